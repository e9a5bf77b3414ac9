"""Assignments: every account with its segment, band, seller, revenue, hours and flags."""

from __future__ import annotations

import streamlit as st

from alms import followthrough
from alms.settings import CELLS, SEGMENTS
from views import common

SHOWN = common.SHOWN_ROWS
COLUMNS = [
    "account_id", "account_name", "owner", "region", "industry", "segment", "baseline segment",
    "band", "revenue",
    "hours_12m", "required_hours", "cell", "maintenance", "roti", "what_if_change",
    "growth_candidate", "strategic", "score", "at_risk",
    "last_contact", "override", "status", "prospect_list", "never_prospect",
]  # fmt: skip

ws = common.workspace()
result = ws.assignment()

st.title("Assignments")
st.caption("Every account under the current settings. Filter, then download what you see.")

c1, c2, c3, c4 = st.columns([2, 1.3, 1.3, 1.6])
query = c1.text_input("Search name or id", key="view.assign_query")
segments = c2.multiselect("Segment", list(SEGMENTS), key="view.assign_segments")
bands = c3.multiselect("Band", list(ws.settings.bands.labels), key="view.assign_bands")
sellers = c4.multiselect("Seller", ws.prepared.owner_labels.tolist(), key="view.assign_sellers")
f1, f2, f3, f4, f5 = st.columns([1, 1, 1, 1, 1.4])
growth_only = f1.toggle("Growth candidates only", key="view.assign_growth")
override_only = f2.toggle("Manual overrides only", key="view.assign_overrides")
strategic_only = f3.toggle(
    "Strategic only",
    key="view.assign_strategic",
    disabled=ws.settings.scorecard is None,
    help="The scorecard's strategic set (Strategic scorecard page)",
)

at_risk_only = f4.toggle("Key accounts at risk only", key="view.assign_at_risk")
cells = f5.multiselect(
    "A-E cell", list(CELLS), key="view.assign_cells", help="The A-E matrix page's cells"
)

positions = result.select(
    segments,
    bands,
    sellers,
    growth_only,
    override_only,
    strategic_only,
    query,
    at_risk_only,
    cells,
)


move = ws.movement()  # with a baseline: each account's segment then ("absent": new)


def rows(limit: int | None = None):
    chosen = positions if limit is None else positions[:limit]
    frame = result.frame(chosen)
    if move is not None:
        frame["baseline segment"] = followthrough.baseline_segments(move)[chosen]
    return frame[[c for c in COLUMNS if c in frame.columns]]


st.write(f"**{len(positions):,}** of {ws.prepared.n_accounts:,} accounts")
st.dataframe(
    rows(SHOWN),
    hide_index=True,
    width="stretch",
    height=520,
    column_config={
        "revenue": st.column_config.NumberColumn("Revenue", format="%,.2f"),
        "hours_12m": st.column_config.NumberColumn("Hours (12 mo)", format="%.1f"),
        "required_hours": st.column_config.NumberColumn("Programme h", format="%.1f"),
        "override": st.column_config.TextColumn("Override", help="Manual segment: reason"),
        "growth_candidate": st.column_config.CheckboxColumn("Growth"),
        "strategic": st.column_config.CheckboxColumn("Strategic"),
        "at_risk": st.column_config.CheckboxColumn("At risk"),
        "last_contact": st.column_config.DateColumn("Last contact"),
        "score": st.column_config.NumberColumn("Score", format="%.1f", help="Scorecard, 0-100"),
        "cell": st.column_config.TextColumn("Cell", help="A-E matrix cell (customers)"),
        "maintenance": st.column_config.NumberColumn("Maintenance h", format="%.1f"),
        "roti": st.column_config.NumberColumn(
            "ROTI", format="%,.0f", help="Revenue per hour (12 months); blank: no time spent"
        ),
        "what_if_change": st.column_config.NumberColumn(
            "What-if h", format="%+.1f", help="Hours the what-if takes off (-) or gives (+)"
        ),
    },
)
common.downloads(rows, len(positions), "alms-assignments")
