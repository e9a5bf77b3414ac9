"""Plotly figure builders. Pure: data in, figure out; payloads bounded by construction.

No builder draws one mark per account: curves are decimated (alms.pareto.curve), bars
are per band, per seller or per rank bin.

Traces and layouts are plain dicts handed to one `go.Figure(..., _validate=False)`:
plotly's per-property validation costs 2-3 ms per figure and rerun, which a slider move
cannot afford. `tests/test_charts.py` builds every figure with validation on instead, so
a misspelt property still fails there.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from alms.pareto import Curve

KEY_COLOUR = "#1f5fae"
SECONDARY_COLOUR = "#9bb7d9"
REQUIRED_COLOUR = "#e07b39"
ACTUAL_COLOUR = "#1f5fae"
ZERO_COLOUR = "#f3f4f6"
FONT = {"size": 16}


VALIDATE = False
"""Validate figures as they are built (the tests set it; the app does not)."""


def _figure(data: list[dict], layout: dict) -> go.Figure:
    return go.Figure(data=data, layout=layout, _validate=VALIDATE)


def _bar(x: object, y: object, name: str, colour: str, hover: str | None = None, **extra) -> dict:
    """One bar trace; `hover` is the label after the value in its tooltip."""
    trace = {"type": "bar", "x": x, "y": y, "name": name, "marker": {"color": colour}, **extra}
    if hover is not None:
        trace["hovertemplate"] = hover
    return trace


def _hover(label: str, unit: str = "") -> str:
    """Tooltip: the value without decimals, its unit, then the trace's label."""
    return f"%{{y:,.0f}}{unit}<extra>{label}</extra>"


def _layout(height: int = 460, **extra: object) -> dict:
    """The shared layout; figures are built in one go.Figure call (plotly's relayout
    helpers such as add_vline cost ~10 ms each per rerun)."""
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "font": FONT,
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.08, "x": 0},
        "hovermode": "x unified",
        **extra,
    }


def pareto(c: Curve, key_count: int, cutoff_label: str) -> go.Figure:
    """Revenue per rank bin (bars: key part dark) and the cumulative share line.

    The cut-off (after the last key customer) is marked on the line and as a
    vertical line with its label. When the curve counts zero-revenue accounts
    (c.base > c.customers) they are the shaded flat tail on the right.
    """
    if c.customers == 0:
        note = {"text": "No customers (revenue > 0) in this scope", "showarrow": False}
        return _figure([], _layout(annotations=[note]))
    noun = "accounts" if c.count_zero else "customers"
    paying = c.customers / c.base
    width = paying / len(c.bins_x) if len(c.bins_x) else 1
    cut_x = key_count / c.base
    cut_y = float(np.interp(cut_x, c.x, c.y))
    data = [
        _bar(c.bins_x, c.bins_key, "Key revenue", KEY_COLOUR, _hover("key"), width=width),
        _bar(
            c.bins_x,
            c.bins_revenue - c.bins_key,
            "Secondary revenue",
            SECONDARY_COLOUR,
            _hover("secondary"),
            width=width,
        ),
        dict(
            type="scatter",
            x=c.x,
            y=c.y,
            yaxis="y2",
            name="Cumulative share of revenue",
            mode="lines",
            line={"color": "#111827", "width": 3},
            hovertemplate=f"%{{x:.1%}} of {noun}: %{{y:.1%}} of revenue<extra></extra>",
        ),
        dict(
            type="scatter",
            x=[cut_x],
            y=[cut_y],
            yaxis="y2",
            mode="markers+text",
            name="Cut-off",
            marker={"size": 14, "color": REQUIRED_COLOUR},
            text=[f"{cut_x:.0%} hold {cut_y:.0%}"],
            textposition="middle right",
            textfont={"size": 18, "color": REQUIRED_COLOUR},
            showlegend=False,
            hovertemplate=f"{cutoff_label}<extra></extra>",
        ),
    ]
    shapes: list[dict] = [
        {
            "type": "line",
            "x0": cut_x,
            "x1": cut_x,
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": REQUIRED_COLOUR, "dash": "dash", "width": 2},
        }
    ]
    notes: list[dict] = []
    if c.base > c.customers:
        shapes.append(
            {
                "type": "rect",
                "x0": paying,
                "x1": 1,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "fillcolor": ZERO_COLOUR,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        notes.append(
            {
                "x": (paying + 1) / 2,
                "y": 0.5,
                "yref": "paper",
                "showarrow": False,
                "text": f"zero revenue<br>{c.base - c.customers:,} accounts",
                "font": {"color": "#4b5563"},
            }
        )
    layout = _layout(
        barmode="stack",
        shapes=shapes,
        **({"annotations": notes} if notes else {}),
        xaxis={
            "title": {"text": f"Share of {noun} (largest revenue first)"},
            "tickformat": ".0%",
            "range": [0, 1],
        },
        yaxis={"title": {"text": "Revenue per rank bin"}, "showgrid": False},
        yaxis2={
            "title": {"text": "Cumulative share"},
            "overlaying": "y",
            "side": "right",
            "tickformat": ".0%",
            "range": [0, 1.02],
            "dtick": 0.2,
            "gridcolor": "#e5e7eb",
        },
    )
    return _figure(data, layout)


def _required_actual_bars(
    labels: list[str], required: np.ndarray, actual: np.ndarray
) -> list[dict]:
    return [
        _bar(
            labels, required, "Required by the programme", REQUIRED_COLOUR, _hover("required", " h")
        ),
        _bar(labels, actual, "Actually spent (12 months)", ACTUAL_COLOUR, _hover("actual", " h")),
    ]


def required_vs_actual(
    labels: list[str], required: np.ndarray, actual: np.ndarray, title: str, height: int = 420
) -> go.Figure:
    """Grouped bars: hours the programme requires against hours actually spent."""
    layout = _layout(
        height, barmode="group", yaxis={"title": {"text": "Hours per year"}}, title={"text": title}
    )
    return _figure(_required_actual_bars(labels, required, actual), layout)


def capacity(
    sellers: list[str], required: np.ndarray, actual: np.ndarray, capacity_hours: float
) -> go.Figure:
    """Per seller: required and actual hours against the capacity line."""
    line = {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": capacity_hours,
        "y1": capacity_hours,
        "line": {"color": "#b91c1c", "dash": "dash", "width": 2},
    }
    note = {
        "xref": "paper",
        "x": 0,
        "y": capacity_hours,
        "yanchor": "bottom",
        "showarrow": False,
        "text": f"capacity {capacity_hours:,.0f} h",
        "font": {"color": "#b91c1c"},
    }
    layout = _layout(
        440,
        barmode="group",
        yaxis={"title": {"text": "Hours per year"}},
        title={"text": "Per seller: programme vs capacity"},
        shapes=[line],
        annotations=[note],
    )
    return _figure(_required_actual_bars(sellers, required, actual), layout)


def limits(
    sellers: list[str], counts: dict[str, np.ndarray], ranges: dict[str, tuple[int, int]]
) -> go.Figure:
    """Per seller and list: the count, with the allowed range in the legend."""
    colours = {"target": KEY_COLOUR, "extra": SECONDARY_COLOUR, "lead": REQUIRED_COLOUR}
    data = []
    for name, values in counts.items():
        lo, hi = ranges[name]
        label = f"{name} ({lo}-{hi})" if lo else f"{name} (max {hi})"
        data.append(_bar(sellers, values, label, colours.get(name, "#888")))
    layout = _layout(420, barmode="group", yaxis={"title": {"text": "Accounts on the list"}})
    return _figure(data, layout)


def service_by_band(
    labels: list[str], over: np.ndarray, within: np.ndarray, under: np.ndarray
) -> go.Figure:
    """Per band: accounts over-served, within the tolerance, under-served (stacked)."""
    parts = (
        ("Over-served", over, REQUIRED_COLOUR),
        ("Within tolerance", within, SECONDARY_COLOUR),
        ("Under-served", under, "#b91c1c"),
    )
    data = [
        _bar(labels, values, name, colour, f"%{{y:,}} accounts<extra>{name.lower()}</extra>")
        for name, values, colour in parts
    ]
    layout = _layout(360, barmode="stack", yaxis={"title": {"text": "Accounts"}})
    return _figure(data, layout)
