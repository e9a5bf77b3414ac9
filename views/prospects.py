"""Prospects (placeholder until its issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Prospects")
st.info(
    "Coming with the segmentation step: per seller target prospects, extra prospects and leads against the limits, with ranked suggestions.",
    icon=":material/construction:",
)
