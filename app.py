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

from views import common, housekeeping

PAGES = {
    "Book": [("views/data.py", "Data", ":material/upload_file:")],
    "Segment": [
        ("views/pareto.py", "Key accounts (Pareto)", ":material/bar_chart:"),
        ("views/bands.py", "Bands & programme", ":material/layers:"),
        ("views/prospects.py", "Prospects", ":material/person_search:"),
        ("views/scorecard.py", "Strategic scorecard", ":material/scoreboard:"),
    ],
    "Time": [
        ("views/timeuse.py", "Where the hours go", ":material/hourglass_bottom:"),
        ("views/matrix.py", "A-E matrix", ":material/grid_view:"),
    ],
    "Act": [
        ("views/whatif.py", "What-if: moving the time", ":material/swap_horiz:"),
        ("views/followthrough.py", "Follow-through", ":material/timeline:"),
        ("views/assignments.py", "Assignments", ":material/table:"),
    ],
    "Workshop": [
        ("views/scenarios.py", "Scenarios side by side", ":material/compare:"),
        ("views/present.py", "Presenter mode", ":material/co_present:"),
    ],
    "Help": [("views/about.py", "About ALMS", ":material/info:")],
}


def main() -> None:
    """One run of the shell. A function, so that no module global holds the session's
    Workspace (AppTest keeps the last script's globals alive until the process ends)."""
    st.set_page_config(page_title="ALMS: account list management", page_icon="📇", layout="wide")
    housekeeping.start()
    workspace = common.workspace()
    common.follow_link(workspace)
    sections = {
        name: [
            st.Page(path, title=title, icon=icon, default=path == "views/data.py")
            for path, title, icon in pages
        ]
        for name, pages in PAGES.items()
    }
    page = st.navigation(sections, expanded=True)  # every page in view, none behind "more"
    if page.url_path != "present" and common.STEP_PARAM in st.query_params:
        del st.query_params[common.STEP_PARAM]  # a step means nothing on other pages
    common.sidebar(workspace)
    try:
        common.guarded(workspace, page.run)
    finally:  # also after a page's st.stop()
        common.fill_sidebar(workspace)


main()
