"""Plotly figure builders. Pure: data in, figure out; payloads bounded by construction.

No builder draws one mark per account: curves are decimated (alms.pareto.curve), bars
are per band, per seller or per rank bin.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from alms.pareto import Curve

KEY_COLOUR = "#1f5fae"
SECONDARY_COLOUR = "#9bb7d9"
REQUIRED_COLOUR = "#e07b39"
ACTUAL_COLOUR = "#1f5fae"
FONT = {"size": 16}


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
    vertical line with its label.
    """
    if c.customers == 0:
        note = {"text": "No customers (revenue > 0) in this scope", "showarrow": False}
        return go.Figure(layout=_layout(annotations=[note]))
    width = 1 / len(c.bins_x) if len(c.bins_x) else 1
    cut_x = key_count / c.customers
    cut_y = float(np.interp(cut_x, c.x, c.y))
    data = [
        go.Bar(
            x=c.bins_x,
            y=c.bins_key,
            width=width,
            name="Key revenue",
            marker_color=KEY_COLOUR,
            hovertemplate="%{y:,.0f}<extra>key</extra>",
        ),
        go.Bar(
            x=c.bins_x,
            y=c.bins_revenue - c.bins_key,
            width=width,
            name="Secondary revenue",
            marker_color=SECONDARY_COLOUR,
            hovertemplate="%{y:,.0f}<extra>secondary</extra>",
        ),
        go.Scatter(
            x=c.x,
            y=c.y,
            yaxis="y2",
            name="Cumulative share of revenue",
            mode="lines",
            line={"color": "#111827", "width": 3},
            hovertemplate="%{x:.1%} of customers: %{y:.1%} of revenue<extra></extra>",
        ),
        go.Scatter(
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
    cut_line = {
        "type": "line",
        "x0": cut_x,
        "x1": cut_x,
        "y0": 0,
        "y1": 1,
        "yref": "paper",
        "line": {"color": REQUIRED_COLOUR, "dash": "dash", "width": 2},
    }
    layout = _layout(
        barmode="stack",
        shapes=[cut_line],
        xaxis={"title": "Share of customers (largest first)", "tickformat": ".0%", "range": [0, 1]},
        yaxis={"title": "Revenue per rank bin", "showgrid": False},
        yaxis2={
            "title": "Cumulative share",
            "overlaying": "y",
            "side": "right",
            "tickformat": ".0%",
            "range": [0, 1.02],
            "dtick": 0.2,
            "gridcolor": "#e5e7eb",
        },
    )
    return go.Figure(data=data, layout=layout)


def _required_actual_bars(labels: list[str], required: np.ndarray, actual: np.ndarray) -> list:
    return [
        go.Bar(
            x=labels,
            y=required,
            name="Required by the programme",
            marker_color=REQUIRED_COLOUR,
            hovertemplate="%{y:,.0f} h<extra>required</extra>",
        ),
        go.Bar(
            x=labels,
            y=actual,
            name="Actually spent (12 months)",
            marker_color=ACTUAL_COLOUR,
            hovertemplate="%{y:,.0f} h<extra>actual</extra>",
        ),
    ]


def required_vs_actual(
    labels: list[str], required: np.ndarray, actual: np.ndarray, title: str, height: int = 420
) -> go.Figure:
    """Grouped bars: hours the programme requires against hours actually spent."""
    layout = _layout(height, barmode="group", yaxis={"title": "Hours per year"}, title=title)
    return go.Figure(data=_required_actual_bars(labels, required, actual), layout=layout)


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
        yaxis={"title": "Hours per year"},
        title="Per seller: programme vs capacity",
        shapes=[line],
        annotations=[note],
    )
    return go.Figure(data=_required_actual_bars(sellers, required, actual), layout=layout)


def limits(
    sellers: list[str], counts: dict[str, np.ndarray], ranges: dict[str, tuple[int, int]]
) -> go.Figure:
    """Per seller and list: the count, with the allowed range in the legend."""
    colours = {"target": KEY_COLOUR, "extra": SECONDARY_COLOUR, "lead": REQUIRED_COLOUR}
    data = []
    for name, values in counts.items():
        lo, hi = ranges[name]
        data.append(
            go.Bar(
                x=sellers,
                y=values,
                name=f"{name} ({lo}-{hi})" if lo else f"{name} (max {hi})",
                marker_color=colours.get(name, "#888"),
            )
        )
    layout = _layout(420, barmode="group", yaxis={"title": "Accounts on the list"})
    return go.Figure(data=data, layout=layout)
