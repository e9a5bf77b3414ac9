"""Vega-Lite specs of the charts a slider redraws on every move.

Streamlit re-embeds a Vega-Lite chart only when its spec changes; when only its named
datasets change it updates the data of the chart already drawn. So each builder here
returns a spec that is the same for every position of the slider, everything the
slider moves (bars, the curve, the cut-off) in `datasets` as small Arrow tables
(pandas frames cost Streamlit ~2 ms each to serialise): a move costs
the browser a data update (~30 ms), where a Plotly figure is drawn anew (~150-200 ms,
`benchmarks/README.md`). The HTML report and presenter mode keep Plotly
(`alms.charts`), whose figures also stand alone offline.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa

from alms.charts import (
    CELL_STYLE,
    KEY_COLOUR,
    REQUIRED_COLOUR,
    SECONDARY_COLOUR,
    ZERO_COLOUR,
    cut_point,
    matrix_guides,
    matrix_points,
)
from alms.pareto import Curve

HEIGHT = 460
KEY, SECONDARY = "Key revenue", "Secondary revenue"
AXIS = {"labelFontSize": 14, "titleFontSize": 15, "titleFontWeight": "normal"}
CANVAS = {"embedOptions": {"renderer": "canvas"}}
"""Each chart drawn on one canvas (Streamlit's `usermeta.embedOptions`): as SVG, every
mark is a DOM element the browser redraws on a move (~0.1 ms each: ~300 ms of main-thread
work for the matrix's 1,500 points, 110-140 ms more a move in same-run A/Bs). Streamlit
switches by itself only above 2,000 rows. The tables beside the charts carry the figures
for screen readers."""


def _x(title: str) -> dict[str, Any]:
    return {
        "field": "x",
        "type": "quantitative",
        "scale": {"domain": [0, 1], "nice": False},
        "axis": {"format": ".0%", "title": title, **AXIS},
    }


def pareto(c: Curve, key_count: int, cutoff_label: str) -> dict[str, Any]:
    """The Key accounts page's picture (as `alms.charts.pareto`): revenue per rank bin
    (key part dark), the cumulative share of revenue, the cut-off as a rule and a
    labelled point on the curve, the zero-revenue tail shaded when it is counted.
    Only `datasets` depend on `key_count`; the rest of the spec depends on the scope's
    noun alone."""
    noun = "accounts" if c.count_zero else "customers"
    x = _x(f"Share of {noun} (largest revenue first)")
    if c.customers == 0:
        note = pa.table({"text": ["No customers (revenue > 0) in this scope"]})
        return {
            "datasets": {"note": note},
            "data": {"name": "note"},
            "height": HEIGHT,
            "mark": {"type": "text", "fontSize": 16},
            "encoding": {"text": {"field": "text", "type": "nominal"}},
        }
    paying = c.customers / c.base
    width = paying / len(c.bins_x) if len(c.bins_x) else 1.0
    left, right = c.bins_x - width / 2, c.bins_x + width / 2
    key = np.asarray(c.bins_key, dtype=float)
    total = np.asarray(c.bins_revenue, dtype=float)
    bars = pa.table(
        {
            "x": np.concatenate([left, left]),
            "x2": np.concatenate([right, right]),
            "y": np.concatenate([np.zeros_like(key), key]),
            "y2": np.concatenate([key, total]),
            "part": pa.array([KEY] * len(key) + [SECONDARY] * len(key)),
            "revenue": np.concatenate([key, total - key]),
        }
    )
    cut_x, cut_y = cut_point(c, key_count)
    cut = pa.table(
        {"x": [cut_x], "y": [cut_y], "label": [f"{cut_x:.0%} hold {cut_y:.0%}"],
         "what": [cutoff_label]}
    )  # fmt: skip
    tail = pa.table(
        {"x": [paying], "x2": [1.0], "mid": [(paying + 1) / 2],
         "label": [f"zero revenue: {c.base - c.customers:,} accounts"]}
    ).slice(0, 1 if c.base > c.customers else 0)  # fmt: skip
    share = {
        "field": "y",
        "type": "quantitative",
        "scale": {"domain": [0, 1.02], "nice": False},
        "axis": {"format": ".0%", "title": "Cumulative share", "orient": "right", **AXIS},
    }
    red = {"color": REQUIRED_COLOUR}
    return {
        "datasets": {
            "bars": bars,
            "line": pa.table({"x": c.x, "y": c.y}),
            "cut": cut,
            "tail": tail,
        },
        "height": HEIGHT,
        "usermeta": CANVAS,
        "layer": [
            {
                "data": {"name": "tail"},
                "layer": [
                    {"mark": {"type": "rect", "color": ZERO_COLOUR},
                     "encoding": {"x": x, "x2": {"field": "x2"}}},
                    {"mark": {"type": "text", "color": "#4b5563", "fontSize": 14},
                     "encoding": {"x": {**x, "field": "mid"}, "y": {"value": HEIGHT / 2},
                                  "text": {"field": "label", "type": "nominal"}}},
                ],
            },
            {
                "data": {"name": "bars"},
                "mark": {"type": "rect"},
                "encoding": {
                    "x": x,
                    "x2": {"field": "x2"},
                    "y": {"field": "y", "type": "quantitative",
                          "axis": {"title": "Revenue per rank bin", "grid": False, **AXIS}},
                    "y2": {"field": "y2"},
                    "color": {
                        "field": "part",
                        "type": "nominal",
                        "scale": {"domain": [KEY, SECONDARY],
                                  "range": [KEY_COLOUR, SECONDARY_COLOUR]},
                        "legend": {"orient": "top", "title": None, "labelFontSize": 14},
                    },
                    "tooltip": [
                        {"field": "part", "title": "part"},
                        {"field": "revenue", "type": "quantitative", "format": ",.0f",
                         "title": "revenue"},
                    ],
                },
            },
            {
                "layer": [
                    {
                        "data": {"name": "line"},
                        "mark": {"type": "line", "color": "#111827", "strokeWidth": 3},
                        "encoding": {
                            "x": x,
                            "y": share,
                            "tooltip": [
                                {"field": "x", "type": "quantitative", "format": ".1%",
                                 "title": f"share of {noun}"},
                                {"field": "y", "type": "quantitative", "format": ".1%",
                                 "title": "share of revenue"},
                            ],
                        },
                    },
                    {"data": {"name": "cut"},
                     "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 2, **red},
                     "encoding": {"x": x}},
                    {"data": {"name": "cut"},
                     "mark": {"type": "point", "filled": True, "size": 220, "opacity": 1, **red},
                     "encoding": {"x": x, "y": share,
                                  "tooltip": {"field": "what", "type": "nominal"}}},
                    {"data": {"name": "cut"},
                     "mark": {"type": "text", "align": "left", "dx": 14, "fontSize": 18,
                              "fontWeight": "bold", **red},
                     "encoding": {"x": x, "y": share,
                                  "text": {"field": "label", "type": "nominal"}}},
                ],
            },
        ],
        "resolve": {"scale": {"y": "independent"}},
    }  # fmt: skip


def matrix(
    maintenance: np.ndarray,
    revenue: np.ndarray,
    cell: np.ndarray,
    names: np.ndarray | None,
    revenue_threshold: float | None,
    maintenance_threshold: float,
    plays: dict[str, str],
) -> dict[str, Any]:
    """The A-E matrix page's picture (as `alms.charts.matrix_scatter`, the same points
    from `charts.matrix_points`): maintenance (hours, log) against revenue (log), one
    colour per cell, the thresholds as dashed rules, each region's letter. The spec
    depends only on whether the book is binned (over `charts.MAX_POINTS` customers);
    points, rules, letters and the axes' extents (a transparent frame of two corners)
    are datasets. The legend names each cell's play; the page's cards give the counts."""
    m = matrix_points(maintenance, revenue, cell)
    xs = [xs for _, xs, _, _ in m.per_cell]
    ys = [ys for _, _, ys, _ in m.per_cell]
    letters = [np.full(len(x), CELL_STYLE[code][0]) for (code, x, _, _) in m.per_cell]
    if m.binned:
        counts = [what for _, _, _, what in m.per_cell]
        size = [(4 + 16 * np.sqrt(c / c.max())) ** 2 for c in counts]
        points = {"count": _cat(counts, np.int64), "size": _cat(size, np.float64)}
        tooltip = [
            {"field": "cell", "title": "cell"},
            {"field": "x", "type": "quantitative", "format": ",.1f", "title": "~ hours"},
            {"field": "y", "type": "quantitative", "format": ",.0f", "title": "~ revenue"},
            {"field": "count", "type": "quantitative", "format": ",", "title": "accounts"},
        ]
    else:
        picked = [what for _, _, _, what in m.per_cell]
        points = {"maintenance": _cat([maintenance[p] for p in picked], np.float64)}
        if names is not None:
            points["name"] = pa.array(_cat([names[p] for p in picked], object), pa.string())
        tooltip = [
            {"field": "cell", "title": "cell"},
            *([{"field": "name", "title": "account"}] if names is not None else []),
            {"field": "maintenance", "type": "quantitative", "format": ",.1f",
             "title": "maintenance h"},
            {"field": "y", "type": "quantitative", "format": ",.0f", "title": "revenue"},
        ]  # fmt: skip
    table = pa.table(
        {
            "x": _cat(xs, np.float64),
            "y": _cat(ys, np.float64),
            "cell": pa.array(_cat(letters, object), pa.string()),
            **points,
        }
    )
    lo, hi = (10 ** m.x_range[0], 10 ** m.x_range[1]), (10 ** m.y_range[0], 10 ** m.y_range[1])
    m_x, letters_at = matrix_guides(m, maintenance_threshold, revenue_threshold)
    has_rev = bool(letters_at)
    regions = pa.table(
        {"x": pa.array([r[0] for r in letters_at], pa.float64()),
         "y": pa.array([r[1] for r in letters_at], pa.float64()),
         "label": pa.array([r[2] for r in letters_at], pa.string())}
    )  # fmt: skip
    note = pa.table(
        {"x": [m.floor], "y": [10 ** (m.y_range[1] - 0.35)], "text": ["no time spent"]}
    ).slice(0, 1 if (maintenance == 0).any() else 0)
    x = {"field": "x", "type": "quantitative",
         "scale": {"type": "log", "nice": False},
         "axis": {"title": "Maintenance (hours in 12 months, weighted by aggravation; log)",
                  **AXIS}}  # fmt: skip
    y = {"field": "y", "type": "quantitative",
         "scale": {"type": "log", "nice": False},
         "axis": {"title": "Revenue (log)", **AXIS}}  # fmt: skip
    legend_text = {label: f"{label}: {plays[label]}" for label, _ in CELL_STYLE}
    dash = {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 2, "color": "#374151"}
    return {
        "datasets": {
            "points": table,
            "frame": pa.table({"x": list(lo), "y": list(hi)}),
            "m_rule": pa.table({"x": [m_x]}),
            "r_rule": pa.table({"y": [float(revenue_threshold)] if has_rev else []},
                               schema=pa.schema([("y", pa.float64())])),
            "regions": regions,
            "note": note,
        },
        "height": 560,
        "usermeta": CANVAS,
        "layer": [
            {"data": {"name": "frame"}, "mark": {"type": "point", "opacity": 0},
             "encoding": {"x": x, "y": y}},
            {"data": {"name": "regions"},
             "mark": {"type": "text", "fontSize": 40, "fontWeight": "bold",
                      "color": "rgba(55,65,81,0.35)"},
             "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}}},
            {
                "data": {"name": "points"},
                "mark": {"type": "circle", "opacity": 0.8 if not m.binned else 0.75,
                         **({} if m.binned else {"size": 64})},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "cell", "type": "nominal",
                        "scale": {"domain": [c for c, _ in CELL_STYLE],
                                  "range": [c for _, c in CELL_STYLE]},
                        "legend": {"orient": "bottom", "title": None, "labelFontSize": 14,
                                   "columns": 3, "labelLimit": 400,
                                   "labelExpr": f"{json.dumps(legend_text)}[datum.label]"},
                    },
                    **({"size": {"field": "size", "type": "quantitative", "scale": None}}
                       if m.binned else {}),
                    "tooltip": tooltip,
                },
            },
            {"data": {"name": "m_rule"}, "mark": dash, "encoding": {"x": x}},
            {"data": {"name": "r_rule"}, "mark": dash, "encoding": {"y": y}},
            {"data": {"name": "note"},
             "mark": {"type": "text", "fontSize": 13, "color": "#6b7280"},
             "encoding": {"x": x, "y": y, "text": {"field": "text", "type": "nominal"}}},
        ],
    }  # fmt: skip


def _cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


def before_after(
    groups: list[str], before: np.ndarray, after: np.ndarray, unallocated: float
) -> dict[str, Any]:
    """The what-if page's picture (as `alms.charts.before_after`): hours per segment
    before and after, side by side, the change written over each "after" bar, and the
    freed hours nobody received as "unallocated". The spec depends on the group names
    only; the hours are a dataset."""
    names = [*groups, "unallocated"]
    before_h = [*np.asarray(before, dtype=float), 0.0]
    after_h = [*np.asarray(after, dtype=float), float(unallocated)]
    change = [*(np.asarray(after, dtype=float) - np.asarray(before, dtype=float)), unallocated]
    bars = pa.table(
        {
            "group": names * 2,
            "when": ["Before"] * len(names) + ["After"] * len(names),
            "hours": before_h + after_h,
            "label": [""] * len(names) + [f"{v:+,.0f} h" for v in change],
        }
    )
    x = {"field": "group", "type": "nominal", "sort": names, "title": None,
         "axis": {"labelAngle": 0, **AXIS}}  # fmt: skip
    y = {"field": "hours", "type": "quantitative",
         "axis": {"title": "Hours (12 months)", **AXIS}}  # fmt: skip
    offset = {"field": "when", "sort": ["Before", "After"]}
    return {
        "datasets": {"bars": bars},
        "data": {"name": "bars"},
        "height": 420,
        "usermeta": CANVAS,
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": x, "y": y, "xOffset": offset,
                    "color": {"field": "when", "type": "nominal",
                              "scale": {"domain": ["Before", "After"],
                                        "range": [SECONDARY_COLOUR, KEY_COLOUR]},
                              "legend": {"orient": "top", "title": None, "labelFontSize": 14}},
                    "tooltip": [
                        {"field": "group", "title": "segment"},
                        {"field": "when", "title": "when"},
                        {"field": "hours", "type": "quantitative", "format": ",.0f",
                         "title": "hours"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "dy": -8, "fontSize": 14},
                "encoding": {"x": x, "y": y, "xOffset": offset,
                             "text": {"field": "label", "type": "nominal"}},
            },
        ],
    }  # fmt: skip
