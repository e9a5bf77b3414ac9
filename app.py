"""ALMS: account list management. `streamlit run app.py`.

The shell only: page setup, this session's Workspace, the navigation and the sidebar.
Every figure comes from the `alms` package; the pages in `views/` only render. (Not a
`pages/` folder: beside the main script, Streamlit treats that as old-style pages for a
process's first run, running a page without this shell.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from views import common

st.set_page_config(page_title="ALMS: account list management", page_icon="📇", layout="wide")

workspace = common.workspace()

sections = {
    "Book": [
        st.Page("views/data.py", title="Data", icon=":material/upload_file:", default=True),
    ],
    "Segment": [
        st.Page("views/pareto.py", title="Key accounts (Pareto)", icon=":material/bar_chart:"),
        st.Page("views/bands.py", title="Bands & programme", icon=":material/layers:"),
        st.Page("views/prospects.py", title="Prospects", icon=":material/person_search:"),
        st.Page("views/assignments.py", title="Assignments", icon=":material/table:"),
    ],
    "Coming next": [
        st.Page("views/coming.py", title="Scorecard, matrix, time", icon=":material/schedule:"),
    ],
}
page = st.navigation(sections)
common.sidebar(workspace)
page.run()
