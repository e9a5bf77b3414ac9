"""What the next step adds: the follow-through over time."""

from __future__ import annotations

import streamlit as st

st.title("Coming next")
st.markdown(
    """
- **Is the time moving?** Monthly hours per segment, before and after a programme
  start, and which accounts changed segment since a baseline.
"""
)
