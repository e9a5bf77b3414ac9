"""The floor app plus one Plotly chart, to price a chart's redraw in the browser:

    ALMS_CHART=tiny python -m benchmarks.timeline --app benchmarks/chart_app.py
    ALMS_CHART=pareto python -m benchmarks.timeline --app benchmarks/chart_app.py

`ALMS_CHART`: "none" (the floor), "tiny" (a two-point line that follows the slider),
"pareto" (the Key accounts page's figure of the sample book, cut-off at the slider),
"pareto-static" (the same with Plotly's staticPlot: no hover or drag layers),
"pareto-line" (only its cumulative line, no bars, marker or shapes)."""

import os

import plotly.graph_objects as go
import streamlit as st

from alms import charts, pareto
from alms.pareto import Scope
from alms.workspace import Workspace, load_sample

mode = os.environ.get("ALMS_CHART", "none")
value = st.slider("Cut-off", 50, 95, 80)
st.metric("Key accounts", f"{value * 17:,}")


@st.cache_resource
def curve() -> pareto.Curve:
    return pareto.curve(Workspace.open(load_sample()).assignment(), Scope())


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
