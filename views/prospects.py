"""Prospects: each seller's target, extra and lead lists against the limits."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from alms import charts, prospects
from alms.settings import Settings
from views import common

ws = common.workspace()
s = ws.settings
lim = s.prospects

st.title("Prospects")
st.caption(
    "Target prospects: non-customers actively pursued. Extra prospects: targets in waiting. "
    "Leads: prospects still being qualified. Each seller's lists are checked against the limits."
)

with st.expander("Limits per seller", expanded=False):
    c1, c2, c3 = st.columns(3)
    key, cb = common.bind(
        "lim.target",
        (lim.target_min, lim.target_max),
        lambda s, v: replace(s, prospects=replace(s.prospects, target_min=v[0], target_max=v[1])),
    )
    c1.slider("Target prospects", 0, 40, key=key, on_change=cb)
    key, cb = common.bind(
        "lim.extra",
        (lim.extra_min, lim.extra_max),
        lambda s, v: replace(s, prospects=replace(s.prospects, extra_min=v[0], extra_max=v[1])),
    )
    c2.slider("Extra prospects", 0, 60, key=key, on_change=cb)
    key, cb = common.bind(
        "lim.leads",
        lim.leads_max,
        lambda s, v: replace(s, prospects=replace(s.prospects, leads_max=v)),
    )
    c3.slider("Leads at most", 0, 40, key=key, on_change=cb)

p = ws.computing_state()
table = prospects.by_seller(p, lim)
bad = table[(table[["target_status", "extra_status", "lead_status"]] != "ok").any(axis=1)]
m1, m2, m3 = st.columns(3)
m1.metric("Sellers with every list within limits", f"{len(table) - len(bad):,} of {len(table):,}")
m2.metric(
    "Target prospects",
    f"{int(table['target'].sum()):,}",
    f"limits {lim.target_min}-{lim.target_max} each",
    delta_color="off",
    delta_arrow="off",
)
m3.metric(
    "Leads",
    f"{int(table['lead'].sum()):,}",
    f"at most {lim.leads_max} each",
    delta_color="off",
    delta_arrow="off",
)

top = table.head(40)
st.plotly_chart(
    charts.limits(
        top["seller"].astype(str).tolist(),
        {name: top[name].to_numpy() for name in ("target", "extra", "lead")},
        {
            "target": (lim.target_min, lim.target_max),
            "extra": (lim.extra_min, lim.extra_max),
            "lead": (0, lim.leads_max),
        },
    ),
    width="stretch",
    config={"displayModeBar": False},
)


def _flag(value: str) -> str:
    return {"too few": "⬇ too few", "too many": "⬆ too many"}.get(value, "✓ ok")


shown = table.copy()
for col in ("target_status", "extra_status", "lead_status"):
    shown[col] = shown[col].map(_flag)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config={
        "seller": "Seller",
        "target": st.column_config.NumberColumn("Targets"),
        "extra": st.column_config.NumberColumn("Extras"),
        "lead": st.column_config.NumberColumn("Leads"),
        "unlisted": st.column_config.NumberColumn(
            "Unlisted", help="Prospects on no list: the pool suggestions promote from"
        ),
        "target_status": f"Targets ({lim.target_min}-{lim.target_max})",
        "extra_status": f"Extras ({lim.extra_min}-{lim.extra_max})",
        "lead_status": f"Leads (max {lim.leads_max})",
    },
)
orphans = prospects.unassigned_prospects(p)
if orphans:
    st.caption(f"{orphans:,} prospects and leads have no owner and are on nobody's list.")

st.subheader("Suggestions for one seller")
if table.empty:
    st.info("No seller owns an account: load a book with an owner column to check the lists.")
    st.stop()
seller = st.selectbox(
    "Seller",
    table["seller"].tolist(),
    index=int(bad.index[0]) if len(bad) else 0,
    key="view.prospect_seller",
)
moves = prospects.suggestions(p, lim, seller, s.never_prospect)
if moves.empty:
    st.success(f"{seller}'s lists are within the limits.", icon=":material/check_circle:")
else:
    st.caption(
        "Ranked by the mean percentile of potential, decision-maker access and product fit "
        "(where present). Accounts flagged 'never prospect' are never suggested."
    )
    common.account_table(moves)

PICKABLE = 500  # a multiselect of tens of thousands of options is slow to send and to use
flagged = prospects.flagged_by_hand(p, seller, s.never_prospect)
with st.expander(
    f"Never prospect: {seller}'s accounts flagged by hand ({len(flagged)})",
    key="view.never_expander",
):
    mine = prospects.seller_prospects(p, seller, PICKABLE, tuple(flagged))
    names = dict(zip(mine["account_id"], mine["account_name"], strict=True))
    replaced = set(flagged)

    def keep_others(settings: Settings, chosen: list[str]) -> Settings:
        """This seller's flags become `chosen`; other sellers' flags stay."""
        others = tuple(i for i in settings.never_prospect if i not in replaced)
        return replace(settings, never_prospect=others + tuple(chosen))

    key, cb = common.bind(f"never.{seller}", flagged, keep_others)
    st.multiselect(
        "Never suggest these accounts (kept in the scenario)",
        list(names),
        format_func=lambda i: f"{names[i]} ({i})",
        key=key,
        on_change=cb,
        placeholder="Choose accounts",
    )
    total = prospects.prospect_count(p, seller)
    st.caption(
        (
            f"The {PICKABLE:,} best-ranked of {seller}'s {total:,} prospects and leads. "
            if total > PICKABLE
            else ""
        )
        + "Accounts flagged 'never prospect' in the file are never suggested either; "
        "a flagged account still on a list is suggested for removal."
    )
