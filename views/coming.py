"""What the next steps add: the A-E matrix and the what-if."""

from __future__ import annotations

import streamlit as st

st.title("Coming next")
st.markdown(
    """
- **A-E maintenance / revenue matrix**: hours invested against revenue, return on
  time invested.
- **What-if**: apply the engagement programme to over-served accounts and move the
  freed hours.
"""
)
