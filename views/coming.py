"""What the next steps add: the workshop features and the follow-through over time."""

from __future__ import annotations

import streamlit as st

st.title("Coming next")
st.markdown(
    """
- **Workshop mode**: scenarios saved side by side and compared, a projector layout.
- **Is the time moving?** Monthly hours per segment, before and after a programme
  start, and which accounts changed segment since a baseline.
"""
)
