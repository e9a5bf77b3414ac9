"""Key accounts (Pareto) (placeholder until its issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Key accounts (Pareto)")
st.info(
    "Coming with the segmentation step: a live Pareto chart of the customers with the cut-off slider, both headline facts, scope by region or seller, growth candidates and manual overrides.",
    icon=":material/construction:",
)
