"""Assignments: every account with its segment, band, seller, revenue, hours and flags."""

from __future__ import annotations

import streamlit as st

from alms import export
from alms.settings import SEGMENTS
from views import common

ws = common.workspace()
result = ws.assignment()
frame = result.frame()

st.title("Assignments")
st.caption("Every account under the current settings. Filter, then download what you see.")

c1, c2, c3, c4 = st.columns([2, 1.3, 1.3, 1.6])
query = c1.text_input("Search name or id", key="view.assign_query")
segments = c2.multiselect("Segment", list(SEGMENTS), key="view.assign_segments")
bands = c3.multiselect("Band", list(ws.settings.bands.labels), key="view.assign_bands")
sellers = c4.multiselect("Seller", list(ws.prepared.owner_labels), key="view.assign_sellers")
f1, f2 = st.columns(2)
growth_only = f1.toggle("Growth candidates only", key="view.assign_growth")
override_only = f2.toggle("Manual overrides only", key="view.assign_overrides")

mask = None
if query:
    hit = frame["account_name"].astype(str).str.contains(query, case=False, regex=False) | frame[
        "account_id"
    ].astype(str).str.contains(query, case=False, regex=False)
    mask = hit
for column, chosen in (("segment", segments), ("band", bands), ("owner", sellers)):
    if chosen:
        m = frame[column].isin(chosen)
        mask = m if mask is None else mask & m
if growth_only:
    mask = frame["growth_candidate"] if mask is None else mask & frame["growth_candidate"]
if override_only:
    mask = frame["overridden"] if mask is None else mask & frame["overridden"]
view = frame if mask is None else frame[mask]

columns = [
    "account_id",
    "account_name",
    "owner",
    "region",
    "industry",
    "segment",
    "band",
    "revenue",
    "hours_12m",
    "required_hours",
    "growth_candidate",
    "overridden",
    "status",
    "prospect_list",
]
view = view[[c for c in columns if c in view.columns]]
st.write(f"**{len(view):,}** of {len(frame):,} accounts")
st.dataframe(
    view.head(2_000),
    hide_index=True,
    width="stretch",
    height=520,
    column_config={
        "revenue": st.column_config.NumberColumn("Revenue", format="%,.2f"),
        "hours_12m": st.column_config.NumberColumn("Hours (12 mo)", format="%.1f"),
        "required_hours": st.column_config.NumberColumn("Programme h", format="%.1f"),
        "overridden": st.column_config.CheckboxColumn("Override"),
        "growth_candidate": st.column_config.CheckboxColumn("Growth"),
    },
)
if len(view) > 2_000:
    st.caption("The first 2,000 rows are shown; the downloads hold all of them.")

d1, d2 = st.columns(2)
d1.download_button(
    "Download CSV",
    lambda: export.to_csv(view),
    file_name="alms-assignments.csv",
    mime="text/csv",
    icon=":material/download:",
    width="stretch",
)
if len(view) <= export.EXCEL_MAX_ROWS:
    d2.download_button(
        "Download Excel",
        lambda: export.to_excel(view),
        file_name="alms-assignments.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        width="stretch",
    )
else:
    d2.caption("Too many rows for one Excel sheet: use the CSV.")
