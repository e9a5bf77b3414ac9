"""Assignments (placeholder until its issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Assignments")
st.info(
    "Coming with the segmentation step: every account with its segment, band, seller, revenue and hours; download as CSV and Excel.",
    icon=":material/construction:",
)
