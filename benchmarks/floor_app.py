"""The floor of `python -m benchmarks.browser`: a bare Streamlit app with one slider and
one metric.

With `ALMS_FLOOR=frozen` its first run freezes the process's objects out of the
collector, as ALMS's server does (`views/housekeeping.py`): Streamlit's full garbage
collection after every run (`runner.postScriptGC`) then walks only what runs made since.
Left on, that collection holds the GIL for ~60-130 ms on this machine after every run,
so the bare app's answer includes a cost that ALMS does not pay. No app answers a key
press faster than the frozen floor on the same machine."""

import gc
import os

import streamlit as st

if os.environ.get("ALMS_FLOOR") == "frozen" and not gc.get_freeze_count():
    gc.collect()
    gc.freeze()

value = st.slider("Cut-off", 50, 95, 80)
st.metric("Key accounts", f"{value * 17:,}")
