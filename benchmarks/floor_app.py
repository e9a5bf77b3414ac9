"""The floor of `python -m benchmarks.browser`: a bare Streamlit app with one slider and
one metric. No app answers a key press faster than this on the same machine."""

import streamlit as st

value = st.slider("Cut-off", 50, 95, 80)
st.metric("Key accounts", f"{value * 17:,}")
