"""Plotly figure builders. Pure: data in, figure out; payloads bounded by construction.

No builder draws one mark per account: curves are decimated (alms.pareto.curve), bars
are per band, per seller or per rank bin.

Traces and layouts are plain dicts handed to one `go.Figure(..., _validate=False)`:
plotly's per-property validation costs 2-3 ms per figure and rerun, which a slider move
cannot afford. `tests/test_charts.py` builds every figure with validation on instead, so
a misspelt property still fails there.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import to_typed_array_spec

from alms.pareto import Curve

KEY_COLOUR = "#1f5fae"
SECONDARY_COLOUR = "#9bb7d9"
REQUIRED_COLOUR = "#e07b39"
ACTUAL_COLOUR = "#1f5fae"
ZERO_COLOUR = "#f3f4f6"
FONT = {"size": 16}


VALIDATE = False
"""Validate figures as they are built (the tests set it; the app does not)."""


class Figure(go.Figure):
    """A go.Figure whose `to_dict` copies the dicts and lists it hands out, not the
    arrays in them, and turns the arrays into plotly.js typed arrays in the same walk:
    plotly deep-copies every array first and then tests every leaf of the figure for an
    array (st.plotly_chart calls it on every rerun, ~2-3 ms for a binned chart). The
    figure itself stays as it was. The result equals plotly's own (tests/test_charts.py)."""

    def to_dict(self) -> dict:
        res = {"data": _encoded(self._data), "layout": _encoded(self._layout)}
        frames = [_encoded(frame._props) for frame in self._frame_objs]
        if frames:
            res["frames"] = frames
        return res


_LEAVES = (str, int, float, bool, type(None))
_SKIPPED = frozenset(("geojson", "layer", "layers", "range"))
"""Keys whose arrays plotly leaves as they are (_plotly_utils.utils.is_skipped_key)."""


def _encoded(value: object, key: str | None = None) -> object:
    """`value` with every dict, list and tuple copied and every array under a key plotly
    encodes made a typed-array spec (as _plotly_utils.utils.convert_to_base64 does);
    other leaves are shared."""
    if isinstance(value, dict):
        return {k: _encoded(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_encoded(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_encoded(v) for v in value)
    if isinstance(value, _LEAVES) or key is None or key in _SKIPPED:
        return value
    if isinstance(value, np.ndarray) and value.size:
        if value.dtype.name == "int64":
            value = _narrowest(value)
        if value.dtype.name in _SHORT:
            return _typed(value)
    return to_typed_array_spec(value) if is_homogeneous_array(value) else value


_SHORT = {
    "int8": "i1",
    "uint8": "u1",
    "int16": "i2",
    "uint16": "u2",
    "int32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
}
"""numpy dtype -> plotly.js typed array type (_plotly_utils.utils.plotlyjsShortTypes)."""


def _narrowest(values: np.ndarray) -> np.ndarray:
    """int64 values in the narrowest of int8/16/32 that holds them (plotly.js has no
    64-bit integers), or as they are when none does."""
    lo, hi = values.min(), values.max()
    for kind in (np.int8, np.int16, np.int32):
        info = np.iinfo(kind)
        if info.min <= lo and hi <= info.max:
            return values.astype(kind)
    return values


def _typed(values: np.ndarray) -> dict:
    """A numeric array of a `_SHORT` dtype as plotly.js's typed array spec, as
    to_typed_array_spec makes it (without its trip through narwhals, ~0.1 ms per
    array)."""
    spec = {
        "dtype": _SHORT[values.dtype.name],
        "bdata": base64.b64encode(np.ascontiguousarray(values)).decode("ascii"),
    }
    if values.ndim > 1:
        spec["shape"] = str(values.shape)[1:-1]
    return spec


def _figure(data: list[dict], layout: dict) -> go.Figure:
    return Figure(data=data, layout=layout, _validate=VALIDATE)


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


def cut_point(c: Curve, key_count: int) -> tuple[float, float]:
    """Where the cut-off sits on the curve: (share of the base accounts, cumulative share
    of revenue) after the last of `key_count` key customers; it lies on the drawn line."""
    cut_x = key_count / c.base
    return cut_x, float(np.interp(cut_x, c.x, c.y))


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
    cut_x, cut_y = cut_point(c, key_count)
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


QUADRANT_STYLE = (
    ("Key and strategic", "#1f5fae"),
    ("Key only (largest, not strategic)", "#e07b39"),
    ("Strategic only (not among the largest)", "#2e9d5b"),
    ("Neither", "#c4c9d1"),
)
MAX_POINTS = 4_000
"""Up to this many accounts a scatter shows every one; beyond, points are binned."""


def largest_vs_strategic(
    revenue_rank: np.ndarray,
    score: np.ndarray,
    quadrant: np.ndarray,
    names: np.ndarray | None,
    score_cut: float | None,
) -> go.Figure:
    """Revenue rank (1 = largest, log axis) against score, coloured by key x strategic.

    Bounded: up to MAX_POINTS accounts every one is a point (named in its tooltip);
    beyond, each quadrant is binned on a 60 x 50 grid (log rank x score) and drawn as one
    marker per occupied bin, sized by its count, so the figure stays small at 1M accounts.
    """
    data = []
    binned = len(score) > MAX_POINTS
    if binned:  # one bincount for all quadrants: np.histogram2d is ~10x slower
        nx, ny = 60, 50
        # float32 and int32 bins: each pass over 1M accounts is what a rerun pays for.
        top = max(float(np.log10(max(int(revenue_rank.max()), 1))), 1e-9)
        xs = np.log10(np.maximum(revenue_rank, 1), dtype=np.float32)
        xs *= np.float32(nx / top)
        xi = np.minimum(xs.astype(np.int32), nx - 1)
        ys = score.astype(np.float32)
        ys *= np.float32(ny / 100)
        yi = np.clip(ys.astype(np.int32), 0, ny - 1)
        flat = (quadrant.astype(np.int32) * nx + xi) * ny + yi
        grid = np.bincount(flat, minlength=4 * nx * ny).reshape(4, nx, ny)
    counts = np.bincount(quadrant, minlength=4)
    for code, (label, colour) in enumerate(QUADRANT_STYLE):
        count = int(counts[code])
        if not count:
            continue
        if not binned:
            sel = quadrant == code
            trace = {
                "type": "scatter",
                "mode": "markers",
                "x": revenue_rank[sel],
                "y": score[sel],
                "name": f"{label}: {count:,}",
                "marker": {"color": colour, "size": 7, "opacity": 0.8},
                "hovertemplate": "revenue rank %{x:,}<br>score %{y:.1f}<extra>%{text}</extra>",
                "text": names[sel] if names is not None else None,
            }
        else:
            ix, iy = np.nonzero(grid[code])
            c = grid[code][ix, iy]
            xc = 10 ** ((ix + 0.5) * (top / nx))
            yc = (iy + 0.5) * (100 / ny)
            trace = {
                "type": "scatter",
                "mode": "markers",
                "x": np.round(xc, 1),
                "y": np.round(yc, 2),
                "name": f"{label}: {count:,}",
                "marker": {
                    "color": colour,
                    "opacity": 0.75,
                    "size": np.round(4 + 16 * np.sqrt(c / c.max()), 1),
                },
                "customdata": c,
                "hovertemplate": "~rank %{x:,.0f}, score ~%{y:.0f}: %{customdata:,} accounts"
                "<extra></extra>",
            }
        data.append(trace)
    shapes = []
    if score_cut is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": score_cut,
                "y1": score_cut,
                "line": {"color": "#2e9d5b", "dash": "dash", "width": 2},
            }
        )
    layout = _layout(
        520,
        hovermode="closest",
        xaxis={
            "title": {"text": "Revenue rank (1 = largest; log scale)"},
            "type": "log",
            "gridcolor": "#e5e7eb",
        },
        yaxis={
            "title": {"text": "Strategic score (0-100)"},
            "range": [0, 101],
            "gridcolor": "#e5e7eb",
        },
        **({"shapes": shapes} if shapes else {}),
        legend={"orientation": "h", "y": 1.12, "x": 0},
    )
    return _figure(data, layout)


def contributions(
    labels: list[str], points: np.ndarray, hover: list[str], colours: list[str]
) -> go.Figure:
    """One account's score, attribute by attribute: horizontal bars of the points each
    adds (they sum to the score); the tooltip holds the raw and normalised values."""
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": points,
        "y": labels,
        "marker": {"color": colours},
        "text": [f"{p:.1f}" for p in points],
        "textposition": "auto",
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    layout = _layout(
        max(220, 44 * len(labels) + 80),
        hovermode="closest",
        xaxis={"title": {"text": "Points added to the score"}, "gridcolor": "#e5e7eb"},
        yaxis={"autorange": "reversed"},
        showlegend=False,
    )
    return _figure([trace], layout)


GROUP_COLOURS = ("#1f5fae", "#e07b39", "#f2b483", "#2e9d5b", "#8fd1a6", "#c4c9d1", "#9b6fc2")
"""One colour per time-suck group (alms.timeuse.GROUPS)."""


def hours_vs_revenue(
    groups: list[str], hours_share: np.ndarray, revenue_share: np.ndarray
) -> go.Figure:
    """Per group, share of hours against share of revenue: the mismatch at a glance."""
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": groups,
            "x": values,
            "name": f"Share of {what}",
            "marker": {"color": colour},
            "text": [f"{v:.0%}" for v in values],
            "textposition": "outside",
            "hovertemplate": f"%{{x:.1%}} of {what}<extra>%{{y}}</extra>",
        }
        for what, values, colour in (
            ("hours", hours_share, REQUIRED_COLOUR),
            ("revenue", revenue_share, KEY_COLOUR),
        )
    ]
    top = float(max(np.max(hours_share, initial=0), np.max(revenue_share, initial=0)))
    layout = _layout(
        420,
        barmode="group",
        hovermode="closest",
        xaxis={
            "tickformat": ".0%",
            "range": [0, min(1.0, top * 1.18) or 1.0],
            "gridcolor": "#e5e7eb",
        },
        yaxis={"autorange": "reversed"},
    )
    return _figure(data, layout)


def seller_heatmap(sellers: list[str], groups: list[str], shares: np.ndarray) -> go.Figure:
    """Sellers (rows) x groups (columns): each seller's share of hours, as colour and text.
    The caller bounds the rows (top N with "others")."""
    trace = {
        "type": "heatmap",
        "z": shares,
        "x": groups,
        "y": sellers,
        "colorscale": [[0.0, "#fff7ec"], [0.5, "#fdae6b"], [1.0, "#a63603"]],
        "zmin": 0,
        "zmax": 1,
        "text": np.vectorize(lambda v: f"{v:.0%}")(shares) if shares.size else shares,
        "texttemplate": "%{text}",
        "hovertemplate": "%{y}: %{z:.1%} of hours on %{x}<extra></extra>",
        "colorbar": {"tickformat": ".0%", "title": {"text": "hours"}},
    }
    layout = _layout(
        max(260, 28 * len(sellers) + 120),
        hovermode="closest",
        yaxis={"autorange": "reversed"},
        xaxis={"side": "top"},
    )
    return _figure([trace], layout)


def activity_mix(groups: list[str], types: list[str], hours: np.ndarray) -> go.Figure:
    """Hours per group, stacked by activity type."""
    colours = ("#1f5fae", "#9bb7d9", "#2e9d5b", "#e07b39", "#c4c9d1")
    data = [
        _bar(groups, hours[:, j], t, colours[j % len(colours)], _hover(t, " h"))
        for j, t in enumerate(types)
    ]
    layout = _layout(400, barmode="stack", yaxis={"title": {"text": "Hours in the window"}})
    return _figure(data, layout)


CELL_STYLE = (
    ("A", "#1f5fae"),
    ("B", "#2e9d5b"),
    ("C", "#9aa3ad"),
    ("D", "#e0a030"),
    ("E", "#c0392b"),
)


def _log_extremes(values: np.ndarray) -> tuple[float, float]:
    """(min(0, log10 of the smallest), max(1, log10 of the largest)) of positive values."""
    if not len(values):
        return 0.0, 1.0
    return min(0.0, float(np.log10(values.min()))), max(1.0, float(np.log10(values.max())))


def _bins(values: np.ndarray, lo: float, hi: float, n: int) -> np.ndarray:
    """int32 bin 0..n-1 of each positive value on n equal steps of log10 from lo to hi."""
    scaled = np.log10(values, dtype=np.float32)
    scaled -= np.float32(lo)
    scaled *= np.float32(n / max(hi - lo, 1e-9))
    return np.clip(scaled.astype(np.int32), 0, n - 1)


@dataclass(frozen=True)
class MatrixPoints:
    """What the A-E matrix chart draws, in its axes' units (hours, revenue): one mark per
    account, or (`binned`) per occupied bin of a cell, `count` accounts each."""

    binned: bool
    floor: float
    """Where accounts with no hours sit: a third of the smallest positive maintenance."""
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    """The axes' extents in log10: the values' extremes widened by 0.15 decades."""
    per_cell: tuple[tuple[int, np.ndarray, np.ndarray, np.ndarray], ...]
    """(cell code, x, y, count or selection of the accounts) of each cell with accounts."""
    counts: np.ndarray


def matrix_points(maintenance: np.ndarray, revenue: np.ndarray, cell: np.ndarray) -> MatrixPoints:
    """The accounts of the A-E matrix placed on log axes (see `matrix_scatter`)."""
    # Passes over the accounts are what a 1M-account rerun pays for: the logs' extremes
    # come from the values' own (log is monotonic), and the bins are found in float32.
    positive = maintenance > 0
    low = float(np.min(maintenance, where=positive, initial=np.inf))
    floor = (low if np.isfinite(low) else 1.0) / 3
    x = np.where(positive, maintenance, floor)
    y = np.maximum(revenue, 1e-2)
    x_lo, x_hi = _log_extremes(x)
    y_lo, y_hi = _log_extremes(y)
    binned = len(x) > MAX_POINTS
    counts = np.bincount(cell, minlength=5)
    per_cell = []
    if binned:
        nx, ny = 60, 50
        xi = _bins(x, x_lo, x_hi, nx)
        yi = _bins(y, y_lo, y_hi, ny)
        flat = (cell.astype(np.int32) * nx + xi) * ny + yi
        grid = np.bincount(flat, minlength=5 * nx * ny).reshape(5, nx, ny)
    for code in range(len(CELL_STYLE)):
        if not counts[code]:
            continue
        if not binned:
            sel = np.flatnonzero(cell == code)
            per_cell.append((code, x[sel], revenue[sel], sel))
            continue
        ix, iy = np.nonzero(grid[code])
        xc = 10 ** (x_lo + (ix + 0.5) * (x_hi - x_lo) / nx)
        yc = 10 ** (y_lo + (iy + 0.5) * (y_hi - y_lo) / ny)
        per_cell.append((code, np.round(xc, 3), np.round(yc, 0), grid[code][ix, iy]))
    return MatrixPoints(
        binned,
        floor,
        (x_lo - 0.15, x_hi + 0.15),
        (y_lo - 0.15, y_hi + 0.15),
        tuple(per_cell),
        counts,
    )


def matrix_guides(
    m: MatrixPoints, maintenance_threshold: float, revenue_threshold: float | None
) -> tuple[float, list[tuple[float, float, str]]]:
    """Where the maintenance rule stands (hours, on the floor at least) and where each
    region's letter goes: halfway (in log) between the rules and the axes' ends; no
    letters without a single revenue line (key accounts set within each group)."""
    m_x = max(maintenance_threshold, m.floor)
    left = 10 ** ((m.x_range[0] + np.log10(m_x)) / 2)
    right = 10 ** ((np.log10(m_x) + m.x_range[1]) / 2)
    if revenue_threshold is None or revenue_threshold <= 0:
        return m_x, []
    top = 10 ** ((np.log10(revenue_threshold) + m.y_range[1]) / 2)
    bottom = 10 ** ((m.y_range[0] + np.log10(revenue_threshold)) / 2)
    return m_x, [(left, top, "A"), (right, top, "D"), (right, bottom, "E"), (left, bottom, "B / C")]


def matrix_scatter(
    maintenance: np.ndarray,
    revenue: np.ndarray,
    cell: np.ndarray,
    names: np.ndarray | None,
    revenue_threshold: float | None,
    maintenance_threshold: float,
    plays: dict[str, str],
) -> go.Figure:
    """Maintenance (hours, log) against revenue (log), one colour per A-E cell, the two
    thresholds as lines and each region named.

    Accounts with no hours sit on a floor left of the smallest positive maintenance
    (a log axis has no 0), labelled "no time spent". Bounded like the scorecard chart:
    up to MAX_POINTS every account is a point; beyond, each cell is binned on a 60 x 50
    grid (log x log) and drawn as one marker per occupied bin, sized by its count.
    """
    m = matrix_points(maintenance, revenue, cell)
    floor = m.floor
    data = []
    for code, xs, ys, what in m.per_cell:
        label, colour = CELL_STYLE[code]
        name = f"{label}: {plays[label]} ({int(m.counts[code]):,})"
        if not m.binned:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": xs,
                    "y": ys,
                    "name": name,
                    "marker": {"color": colour, "size": 8, "opacity": 0.8},
                    "customdata": maintenance[what],
                    "text": names[what] if names is not None else None,
                    "hovertemplate": f"<b>{label}</b> %{{text}}<br>maintenance %{{customdata:,.1f}} h"
                    "<br>revenue %{y:,.0f}<extra></extra>",
                }
            )
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": xs,
                "y": ys,
                "name": name,
                "marker": {
                    "color": colour,
                    "opacity": 0.75,
                    "size": np.round(4 + 16 * np.sqrt(what / what.max()), 1),
                },
                "customdata": what,
                "hovertemplate": f"<b>{label}</b> ~%{{x:,.1f}} h, ~%{{y:,.0f}}: "
                "%{customdata:,} accounts<extra></extra>",
            }
        )
    x_range, y_range = list(m.x_range), list(m.y_range)
    line = {"color": "#374151", "dash": "dash", "width": 2}
    m_x, regions = matrix_guides(m, maintenance_threshold, revenue_threshold)
    data.append(
        {
            "type": "scatter",
            "mode": "lines",
            "x": [m_x, m_x],
            "y": [10 ** y_range[0], 10 ** y_range[1]],
            "line": line,
            "name": f"maintenance threshold {maintenance_threshold:,.1f} h",
            "hoverinfo": "skip",
            "showlegend": False,
        }
    )
    if revenue_threshold is not None and revenue_threshold > 0:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [10 ** x_range[0], 10 ** x_range[1]],
                "y": [revenue_threshold, revenue_threshold],
                "line": line,
                "name": f"revenue threshold {revenue_threshold:,.0f}",
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "x": [r[0] for r in regions],
                "y": [r[1] for r in regions],
                "text": [f"<b>{r[2]}</b>" for r in regions],
                "textfont": {"size": 40, "color": "rgba(55,65,81,0.35)"},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    if (maintenance == 0).any():
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "x": [floor],
                "y": [10 ** (y_range[1] - 0.35)],
                "text": ["no time<br>spent"],
                "textfont": {"size": 13, "color": "#6b7280"},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    layout = _layout(
        560,
        hovermode="closest",
        xaxis={
            "title": {"text": "Maintenance (hours in 12 months, weighted by aggravation; log)"},
            "type": "log",
            "range": x_range,
            "gridcolor": "#e5e7eb",
        },
        yaxis={
            "title": {"text": "Revenue (log)"},
            "type": "log",
            "range": y_range,
            "gridcolor": "#e5e7eb",
        },
        legend={"orientation": "h", "y": -0.18, "x": 0},
    )
    return _figure(data, layout)


def before_after(
    groups: list[str], before: np.ndarray, after: np.ndarray, unallocated: float
) -> go.Figure:
    """Hours per segment before and after the what-if, and the unallocated rest."""
    names = [*groups, "unallocated"]
    data = [
        _bar(names, [*before, 0.0], "Before", SECONDARY_COLOUR, _hover("Before", " h")),
        _bar(names, [*after, unallocated], "After", KEY_COLOUR, _hover("After", " h")),
    ]
    data[1]["text"] = [f"{v:+,.0f} h" for v in [*(after - before), unallocated]]
    data[1]["textposition"] = "outside"
    layout = _layout(
        420,
        barmode="group",
        yaxis={"title": {"text": "Hours (12 months)"}, "gridcolor": "#e5e7eb"},
    )
    return _figure(data, layout)


RISK_COLOURS = ("#c0392b", "#e07b39", "#e0a030", "#9bb7d9")
"""Falling and quiet, falling, quiet, not at risk (alms.story's at-risk groups)."""


def at_risk(groups: list[str], counts: list[int], revenue: list[float]) -> go.Figure:
    """Key accounts by risk reason: one bar per reason, its revenue as the bar and its
    account count as the label."""
    trace = _bar(
        revenue,
        groups,
        "Revenue",
        RISK_COLOURS[0],
        orientation="h",
        text=[f"{n:,} accounts" for n in counts],
        textposition="auto",
        hovertemplate="%{x:,.0f} revenue<extra>%{y}</extra>",
    )
    trace["marker"] = {"color": list(RISK_COLOURS[: len(groups)])}
    layout = _layout(
        360,
        hovermode="closest",
        showlegend=False,
        xaxis={"title": {"text": "Revenue of the key accounts"}, "gridcolor": "#e5e7eb"},
        yaxis={"autorange": "reversed"},
    )
    return _figure([trace], layout)


SCENARIO_COLOURS = ("#1f5fae", "#e07b39", "#2e9d5b")
SCENARIO_HOURS = ("Programme hours a year", "Seller capacity a year", "Hours freed")
"""The hour figures (alms.compare.FIGURES labels) the scenario chart shows."""


def scenario_bars(
    figures: list[str], scenarios: list[str], values: np.ndarray, kind: str
) -> go.Figure:
    """Figures (rows of `values`, one group of horizontal bars each), one bar per scenario
    (columns): shares as percentages, hours as hours."""
    share = kind == "share"
    data = [
        _bar(
            values[:, j],
            figures,
            name,
            SCENARIO_COLOURS[j % len(SCENARIO_COLOURS)],
            orientation="h",
            text=[
                "" if np.isnan(v) else f"{v:.0%}" if share else f"{v:,.0f} h" for v in values[:, j]
            ],
            textposition="outside",
            hovertemplate=("%{x:.1%}" if share else "%{x:,.0f} h") + f"<extra>{name}</extra>",
        )
        for j, name in enumerate(scenarios)
    ]
    top = float(np.nanmax(values, initial=0)) if values.size else 0.0
    axis = {"gridcolor": "#e5e7eb", "range": [0, (top * 1.25) or 1]}
    axis |= {"tickformat": ".0%"} if share else {"title": {"text": "Hours a year"}}
    layout = _layout(
        110 + 34 * len(figures) * max(len(scenarios), 1),
        barmode="group",
        hovermode="closest",
        xaxis=axis,
        yaxis={"autorange": "reversed"},
    )
    return _figure(data, layout)


# ---------------------------------------------------------------- follow-through

SEGMENT_COLOURS = ("#1f5fae", "#e07b39", "#2e9d5b", "#9b6fc2", "#c4c9d1")
"""key, secondary, prospect, lead, absent (alms.followthrough.STATES)."""


def hours_trend(months: list[str], share: np.ndarray, hours: np.ndarray) -> go.Figure:
    """Per calendar month, the segments' shares of that month's hours, stacked to 100%;
    a month with no hours is a gap (no bar) and says so. `share`: (months x segments),
    NaN for a month with no hours; `hours`: all hours per month (hover and line)."""
    from alms.settings import SEGMENTS

    data = [
        {
            "type": "bar",
            "x": months,
            "y": share[:, j],
            "name": name,
            "marker": {"color": SEGMENT_COLOURS[j]},
            "hovertemplate": f"%{{y:.0%}} of the month's hours<extra>{name}</extra>",
        }
        for j, name in enumerate(SEGMENTS)
    ]
    empty = [m for m, h in zip(months, hours, strict=True) if not h]
    notes = [
        {"x": m, "y": 0.5, "text": "no hours", "showarrow": False, "textangle": -90} for m in empty
    ]
    layout = _layout(
        420,
        barmode="stack",
        annotations=notes,
        xaxis={"type": "category", "title": {"text": "Month (the last one up to the as-of day)"}},
        yaxis={
            "tickformat": ".0%",
            "range": [0, 1],
            "title": {"text": "Share of the month's hours"},
        },
    )
    return _figure(data, layout)


def share_before_after(before: np.ndarray, after: np.ndarray, days: int) -> go.Figure:
    """Per segment, its share of hours in the days before the date and after it (NaN:
    no hours on that side, no bar)."""
    from alms.settings import SEGMENTS

    data = []
    for label, values, colour in (
        (f"{days} days before", before, SECONDARY_COLOUR),
        (f"{days} days after", after, KEY_COLOUR),
    ):
        trace = _bar(
            list(SEGMENTS),
            values,
            label,
            colour,
            f"%{{y:.1%}} of hours<extra>{label}</extra>",
            text=["" if np.isnan(v) else f"{v:.0%}" for v in values],
            textposition="outside",
        )
        data.append(trace)
    layout = _layout(
        380,
        barmode="group",
        yaxis={"tickformat": ".0%", "range": [0, 1.1], "gridcolor": "#e5e7eb"},
    )
    return _figure(data, layout)


MAX_MOVERS = 30
"""Sellers drawn in the movers chart (the most moved each way; the table has them all)."""


def seller_moves(sellers: list[str], before: np.ndarray, after: np.ndarray) -> go.Figure:
    """Each seller's key share of hours before (dot) and after (arrow head): a dumbbell
    per seller, at most MAX_MOVERS rows (the caller picks them)."""
    n = len(sellers)
    xs, ys = [], []
    for name, b, a in zip(sellers, before, after, strict=True):
        xs += [b, a, None]
        ys += [name, name, None]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": xs,
            "y": ys,
            "line": {"color": "#9ca3af", "width": 3},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": before,
            "y": sellers,
            "name": "before",
            "marker": {"color": SECONDARY_COLOUR, "size": 12},
            "hovertemplate": "%{x:.0%} of hours on key accounts<extra>before: %{y}</extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": after,
            "y": sellers,
            "name": "after",
            "marker": {"color": KEY_COLOUR, "size": 14, "symbol": "diamond"},
            "hovertemplate": "%{x:.0%} of hours on key accounts<extra>after: %{y}</extra>",
        },
    ]
    layout = _layout(
        max(260, 30 * n + 120),
        hovermode="closest",
        xaxis={
            "tickformat": ".0%",
            "range": [0, 1],
            "title": {"text": "Key accounts' share of the seller's hours"},
            "gridcolor": "#e5e7eb",
        },
        yaxis={"autorange": "reversed", "type": "category"},
    )
    return _figure(data, layout)


def movement_sankey(counts: np.ndarray, revenue: np.ndarray, then: str, now: str) -> go.Figure:
    """Accounts from their segment at the baseline (left; "new" for absent then) to
    their segment now (right; "gone"): at most 5 x 5 flows, width = accounts."""
    from alms.followthrough import STATES

    k = len(STATES)
    left = [("new" if s == "absent" else s) for s in STATES]
    right = [("gone" if s == "absent" else s) for s in STATES]
    source, target, value, money = [], [], [], []
    for i in range(k):
        for j in range(k):
            if counts[i, j]:
                source.append(i)
                target.append(k + j)
                value.append(int(counts[i, j]))
                money.append(float(revenue[i, j]))
    trace = {
        "type": "sankey",
        "arrangement": "fixed",
        "node": {
            "label": [f"{s} ({then})" for s in left] + [f"{s} ({now})" for s in right],
            "color": [*SEGMENT_COLOURS, *SEGMENT_COLOURS],
            "pad": 18,
            "thickness": 18,
        },
        "link": {
            "source": source,
            "target": target,
            "value": value,
            "customdata": money,
            "hovertemplate": "%{value:,} accounts, revenue now %{customdata:,.0f}"
            "<extra>%{source.label} → %{target.label}</extra>",
            "color": "rgba(156, 163, 175, 0.35)",
        },
    }
    return _figure([trace], _layout(460, hovermode="closest"))
