"""What the next steps add: A-E matrix, time suck, what-if."""

from __future__ import annotations

import streamlit as st

st.title("Coming next")
st.markdown(
    """
- **A-E maintenance / revenue matrix**: hours invested against revenue, return on
  time invested.
- **Secondary time suck**: hours by segment against revenue by segment, per seller
  and team; key accounts at risk from neglect.
- **What-if**: apply the engagement programme to over-served accounts and move the
  freed hours.
"""
)
