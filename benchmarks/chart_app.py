"""The floor app plus one Plotly chart, to price a chart's redraw in the browser:

    ALMS_CHART=tiny python -m benchmarks.timeline --app benchmarks/chart_app.py
    ALMS_CHART=pareto python -m benchmarks.timeline --app benchmarks/chart_app.py

`ALMS_CHART`: "none" (the floor), "tiny" (a two-point line that follows the slider),
"pareto" (the Key accounts page's figure of the sample book, cut-off at the slider),
"pareto-static" (the same with Plotly's staticPlot: no hover or drag layers),
"pareto-line" (only its cumulative line, no bars, marker or shapes), "vega" (the same
picture as an Altair chart), "vega-spec" (`alms.vega.pareto`, what the Key accounts page draws: a plain Vega-Lite
dict whose spec is the same on every move, so Streamlit updates its data in place)."""

import os

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from alms import charts, pareto, vega
from alms.pareto import Scope
from alms.workspace import Workspace, load_sample

mode = os.environ.get("ALMS_CHART", "none")
value = st.slider("Cut-off", 50, 95, 80)
st.metric("Key accounts", f"{value * 17:,}")


@st.cache_resource
def curve() -> pareto.Curve:
    return pareto.curve(Workspace.open(load_sample()).assignment(), Scope())


def frames(cut: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The Pareto picture's data for Vega-Lite: bars per rank bin, the cumulative line,
    and the cut-off point with its label."""
    c = curve()
    cut_x = cut * 10 / c.base
    cut_y = float(np.interp(cut_x, c.x, c.y))
    bars = pd.DataFrame(
        {"x": c.bins_x, "key": c.bins_key, "secondary": c.bins_revenue - c.bins_key}
    ).melt("x", var_name="part", value_name="revenue")
    line = pd.DataFrame({"x": c.x, "y": c.y})
    mark = pd.DataFrame({"x": [cut_x], "y": [cut_y], "label": [f"{cut_x:.0%} hold {cut_y:.0%}"]})
    return bars, line, mark


config: dict = {"displayModeBar": False}
if mode == "tiny":
    st.plotly_chart(go.Figure(go.Scatter(x=[0, 1], y=[0, value])), config=config)
elif mode.startswith("pareto"):
    figure = charts.pareto(curve(), value * 10, "cut-off")
    if mode == "pareto-static":
        config["staticPlot"] = True
    if mode == "pareto-line":
        figure = go.Figure(figure.data[2])
    st.plotly_chart(figure, config=config)
elif mode == "vega":  # the same figure in Vega-Lite: the spec stays, only data changes
    import altair as alt

    bars, line, mark = frames(value)
    chart = (
        alt.layer(
            alt.Chart(bars).mark_bar().encode(x="x:Q", y="revenue:Q", color="part:N"),
            alt.layer(
                alt.Chart(line).mark_line(color="#111827", strokeWidth=3).encode(x="x:Q", y="y:Q"),
                alt.Chart(mark).mark_rule(color="#dc2626", strokeDash=[6, 4]).encode(x="x:Q"),
                alt.Chart(mark)
                .mark_point(size=200, filled=True, color="#dc2626")
                .encode(x="x:Q", y="y:Q"),
                alt.Chart(mark)
                .mark_text(align="left", dx=12, fontSize=18, color="#dc2626")
                .encode(x="x:Q", y="y:Q", text="label:N"),
            ),
        )
        .resolve_scale(y="independent")
        .properties(height=420)
    )
    st.altair_chart(chart, width="stretch")
elif mode == "vega-spec":  # the page's own Vega-Lite spec: no Altair on the server
    st.vega_lite_chart(spec=vega.pareto(curve(), value * 10, "cut-off"), width="stretch")
