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

from typing import Any

import numpy as np
import pyarrow as pa

from alms.charts import KEY_COLOUR, REQUIRED_COLOUR, SECONDARY_COLOUR, ZERO_COLOUR, cut_point
from alms.pareto import Curve

HEIGHT = 460
KEY, SECONDARY = "Key revenue", "Secondary revenue"
AXIS = {"labelFontSize": 14, "titleFontSize": 15, "titleFontWeight": "normal"}


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
