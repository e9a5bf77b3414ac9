"""Bands & programme (placeholder until its issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Bands & programme")
st.info(
    "Coming with the segmentation step: editable revenue bands, the engagement programme per band, required against actual hours per band and per seller.",
    icon=":material/construction:",
)
