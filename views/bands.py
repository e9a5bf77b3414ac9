"""Bands & programme: editable revenue bands, the engagement programme, hours it needs."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from alms import charts, programme
from alms.analysis import blank_durations
from alms.settings import Bands, Engagement
from views import common, controls

ws = common.workspace()
s = ws.settings

st.title("Bands & programme")
st.caption(
    "Each revenue band gets an engagement rule: who owns it, how often it is contacted and "
    "visited. From it follow the hours each band should get, set against the hours it gets."
)

TABS = ("By band", "Per seller", "Over- and under-served accounts")
# Lazy tabs (on_change="rerun"): only the open tab runs, so a slider in one tab does not
# pay for the grids and charts of the others.
by_band_tab, seller_tab, served_tab = st.tabs(TABS, key="view.bands_tab", on_change="rerun")

if by_band_tab.open:
    with by_band_tab:
        left, right = st.columns([1, 3])
        with left:
            st.markdown("**Band edges** (revenue where a band starts)")
            edges = pd.DataFrame({"Lower edge": list(s.bands.thresholds)})
            edited = st.data_editor(
                edges,
                num_rows="dynamic",
                hide_index=True,
                key=f"view.edges.{hash(s.bands.thresholds)}",
                column_config={
                    "Lower edge": st.column_config.NumberColumn(
                        min_value=0.01, format="%,.0f", required=True
                    )
                },
                width="stretch",
            )
            new_edges = tuple(sorted({float(v) for v in edited["Lower edge"].dropna() if v > 0}))
            if new_edges != tuple(s.bands.thresholds):
                ws.settings = replace(s, bands=s.bands.with_thresholds(new_edges))
                st.rerun()
            st.caption(
                "Add, remove or change a row. A revenue equal to an edge lands in the upper band."
            )
            if st.button("Default bands", icon=":material/restart_alt:"):
                ws.settings = replace(s, bands=Bands())
                st.rerun()

        with right:
            st.markdown("**Engagement programme** (per account and year; every cell is editable)")
            prog = pd.DataFrame(
                [vars(e) for e in s.bands.programme], index=pd.Index(s.bands.labels, name="band")
            )
            prog.insert(4, "hours_per_year", [e.hours_per_year for e in s.bands.programme])
            edited_prog = st.data_editor(
                prog,
                key=f"view.programme.{hash(s.bands)}",
                disabled=["hours_per_year"],
                column_config={
                    "owner": st.column_config.TextColumn("Owner role"),
                    "contacts_per_year": st.column_config.NumberColumn(
                        "Contacts / yr", min_value=0, step=1
                    ),
                    "minutes_per_contact": st.column_config.NumberColumn(
                        "Min / contact", min_value=0
                    ),
                    "visits_per_year": st.column_config.NumberColumn(
                        "Visits / yr", min_value=0, step=1
                    ),
                    "hours_per_year": st.column_config.NumberColumn("Hours / yr", format="%.1f"),
                    "minutes_per_visit": st.column_config.NumberColumn("Min / visit", min_value=0),
                    "intent": st.column_config.SelectboxColumn(
                        "Intent",
                        options=["respond only", "maintain", "grow", "grow and protect", "protect"],
                    ),
                },
                width="stretch",
            )
            rows = tuple(
                Engagement(
                    owner=str(r.owner),
                    contacts_per_year=float(r.contacts_per_year or 0),
                    minutes_per_contact=float(r.minutes_per_contact or 0),
                    visits_per_year=float(r.visits_per_year or 0),
                    minutes_per_visit=float(r.minutes_per_visit or 0),
                    intent=str(r.intent),
                )
                for r in edited_prog.itertuples()
            )
            if rows != s.bands.programme:
                ws.settings = replace(s, bands=Bands(s.bands.thresholds, rows))
                st.rerun()
            st.markdown(
                "**Target prospects** follow a prospecting programme of their own (whatever "
                "their band); extra prospects and leads require no proactive time."
            )
            e = s.prospecting
            pro = st.columns(4)
            for col, (name, label) in zip(
                pro,
                (
                    ("contacts_per_year", "Contacts / yr"),
                    ("minutes_per_contact", "Min / contact"),
                    ("visits_per_year", "Visits / yr"),
                    ("minutes_per_visit", "Min / visit"),
                ),
                strict=True,
            ):
                key, cb = common.bind(
                    f"prospecting.{name}",
                    float(getattr(e, name)),
                    lambda st_, v, n=name: replace(
                        st_, prospecting=replace(st_.prospecting, **{n: v})
                    ),
                )
                col.number_input(
                    label, min_value=0.0, max_value=10_000.0, step=1.0, key=key, on_change=cb
                )
            st.caption(f"= {e.hours_per_year:,.1f} hours a year per target prospect.")

        blanks = blank_durations(ws.prepared)
        with st.expander(
            f"Minutes per activity with no duration ({sum(blanks.values()):,} activities "
            "in the last 12 months)",
            icon=":material/timer:",
        ):
            for col, (kind, minutes) in zip(
                st.columns(len(s.minutes_per_type)), s.minutes_per_type, strict=True
            ):
                key, cb = common.bind(
                    f"minutes.{kind}", minutes, lambda s, v, k=kind: s.with_minutes(k, v)
                )
                col.number_input(
                    f"{kind.capitalize()} ({blanks.get(kind, 0):,} blank)",
                    min_value=0.0,
                    max_value=24 * 60.0,
                    step=5.0,
                    key=key,
                    on_change=cb,
                )

        result = ws.assignment()
        bands = programme.by_band(result)
        st.plotly_chart(
            charts.required_vs_actual(
                bands["band"].tolist(),
                bands["required_hours"].to_numpy(),
                bands["actual_hours"].to_numpy(),
                "Per band: hours the programme requires vs hours spent in the last 12 months",
            ),
            width="stretch",
            config={"displayModeBar": False},
        )
        st.dataframe(
            bands,
            hide_index=True,
            width="stretch",
            column_config={
                "revenue": st.column_config.NumberColumn("Revenue", format="%,.0f"),
                "required_hours": st.column_config.NumberColumn("Required h", format="%,.0f"),
                "actual_hours": st.column_config.NumberColumn("Actual h", format="%,.0f"),
                "gap_hours": st.column_config.NumberColumn("Actual - required", format="%+,.0f"),
                "over_served": "Over-served",
                "under_served": "Under-served",
            },
        )


if seller_tab.open:
    with seller_tab:
        result = ws.assignment()
        st.caption("Does the programme fit the hours each seller has?")
        c1, c2 = st.columns([1, 3])
        key, cb = common.bind(
            "capacity", s.capacity_hours, lambda s, v: replace(s, capacity_hours=v)
        )
        c1.number_input(
            "Capacity per seller (hours / year for account work)",
            min_value=0.0,
            step=50.0,
            key=key,
            on_change=cb,
        )
        sellers = programme.by_seller(result)
        over = sellers[sellers["overloaded"]]
        c1.metric("Sellers over capacity", f"{len(over):,} of {len(sellers):,}")
        if len(over):
            c1.caption(
                "Most loaded: "
                + ", ".join(f"{r.seller} ({r.load:.0%})" for r in over.head(3).itertuples())
            )
        top = sellers.head(40)
        c2.plotly_chart(
            charts.capacity(
                top["seller"].astype(str).tolist(),
                top["required_hours"].to_numpy(),
                top["actual_hours"].to_numpy(),
                s.capacity_hours,
            ),
            width="stretch",
            config={"displayModeBar": False},
        )
        if len(sellers) > 40:
            c2.caption(f"The 40 most loaded of {len(sellers):,} sellers.")
        n_unowned, unowned_hours = programme.unowned(result)
        if n_unowned:
            c1.caption(
                f"{n_unowned:,} accounts have no owner: the programme asks "
                f"{unowned_hours:,.0f} hours a year for them that no seller's capacity covers."
            )
        st.dataframe(
            sellers.drop(columns=["capacity_hours"]),
            hide_index=True,
            width="stretch",
            column_config={
                "seller": "Seller",
                "accounts": st.column_config.NumberColumn("Accounts", format="%,d"),
                "required_hours": st.column_config.NumberColumn("Programme h", format="%,.0f"),
                "actual_hours": st.column_config.NumberColumn("Actual h (12 mo)", format="%,.0f"),
                "load": st.column_config.ProgressColumn(
                    "Programme / capacity", format="percent", min_value=0.0, max_value=1.0
                ),
                "overloaded": st.column_config.CheckboxColumn("Over capacity"),
            },
        )


if served_tab.open:
    with served_tab:
        result = ws.assignment()
        controls.tolerance_slider(st, s)
        per_band = programme.by_band(result)
        counts = {
            "over": int(per_band["over_served"].sum()),
            "under": int(per_band["under_served"].sum()),
        }
        st.plotly_chart(
            charts.service_by_band(
                per_band["band"].tolist(),
                per_band["over_served"].to_numpy(),
                (
                    per_band["accounts"] - per_band["over_served"] - per_band["under_served"]
                ).to_numpy(),
                per_band["under_served"].to_numpy(),
            ),
            width="stretch",
            config={"displayModeBar": False},
        )
        which = st.radio(
            "Show",
            ["over", "under"],
            format_func=lambda w: f"{w.capitalize()}-served ({counts[w]:,})",
            horizontal=True,
            key="view.served",
        )
        st.caption(
            "More hours than the programme asks for: time that could go elsewhere."
            if which == "over"
            else "Fewer hours than the programme asks for."
        )
        # one table at a time: each is a search over every account
        common.account_table(programme.served_accounts(result, which, 100))
