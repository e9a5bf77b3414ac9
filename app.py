"""ALMS: account list management. `streamlit run app.py`.

The shell only: page setup, this session's Workspace, the navigation and the sidebar.
Every figure comes from the `alms` package; pages only render.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import common

st.set_page_config(page_title="ALMS: account list management", page_icon="📇", layout="wide")

workspace = common.workspace()

pages = {
    "Book": [
        st.Page("pages/data.py", title="Data", icon=":material/upload_file:", default=True),
    ],
    "Segment": [
        st.Page("pages/pareto.py", title="Key accounts (Pareto)", icon=":material/bar_chart:"),
        st.Page("pages/bands.py", title="Bands & programme", icon=":material/layers:"),
        st.Page("pages/prospects.py", title="Prospects", icon=":material/person_search:"),
        st.Page("pages/assignments.py", title="Assignments", icon=":material/table:"),
    ],
    "Coming next": [
        st.Page("pages/coming.py", title="Scorecard, matrix, time", icon=":material/schedule:"),
    ],
}
page = st.navigation(pages)
common.sidebar(workspace)
page.run()
