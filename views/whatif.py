"""What-if: bring over-served accounts to their programme and move the freed hours where
they pay (at-risk key accounts, growth candidates, target prospects), seller by seller."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from alms import vega, whatif
from alms.settings import CELLS, DESTINATIONS, SEGMENTS
from alms.workspace import Workspace
from views import common, controls

st.title("What-if: moving the time")
st.caption(
    "Bring over-served accounts down to their engagement programme, count the hours that "
    "frees, and give them, seller by seller, to the accounts that get less than theirs. "
    "Hours stay with the seller who owns the account."
)


def set_what_if(**changes):
    return lambda settings, value: replace(
        settings, what_if=replace(settings.what_if, **{k: f(value) for k, f in changes.items()})
    )


def body(ws: Workspace) -> None:
    """The page below its title: rerun alone when one of its widgets moves."""
    s = ws.settings

    # ---------------------------------------------------------------- controls
    c1, c2, c3 = st.columns([1.2, 1, 1.4])
    CUTS = {"over_served": "Every over-served account", "cells": "Over-served in chosen cells"}
    key, cb = common.bind("whatif.cut", s.what_if.cut, set_what_if(cut=lambda v: v))
    c1.radio("What to cut", list(CUTS), format_func=CUTS.get, key=key, on_change=cb)
    key, cb = common.bind(
        "whatif.cells",
        list(s.what_if.cells),
        set_what_if(cells=lambda v: tuple(v or ())),
        redraw=common.FIGURES,
    )
    c1.segmented_control(
        "Cells (A-E matrix)",
        CELLS,
        selection_mode="multi",
        key=key,
        on_change=cb,
        disabled=s.what_if.cut != "cells",
    )
    LABELS = {k: v[1] for k, v in whatif.DESTINATION_LABELS.items()}
    key, cb = common.bind(
        "whatif.order",
        list(s.what_if.order),
        set_what_if(order=lambda v: tuple(v)),
        redraw=common.FIGURES,
    )
    c3.multiselect(
        "Where freed hours go, in this order",
        list(DESTINATIONS),
        format_func=LABELS.get,
        key=key,
        on_change=cb,
        help="Each account up to its programme's hours; a destination left out gets none.",
    )

    def draw(ws: Workspace) -> None:
        """What the settings move: rerun alone when a control bound to it moves."""
        # The tolerance is a widget of this fragment, in the controls' row: its move
        # reruns only the figures, in one run.
        controls.tolerance_slider(c2, ws.settings)
        result = ws.assignment()
        plan = whatif.plan(result)
        totals = plan.totals()

        # ---------------------------------------------------------------- headline
        st.subheader(plan.headline())
        m = st.columns(5)
        m[0].metric("Hours freed", f"{totals['hours_freed']:,.0f}")
        for col, name in zip(m[1:4], DESTINATIONS, strict=True):
            col.metric(
                f"To {LABELS[name]}",
                f"{totals['allocated'][name]:,.0f} h",
                help=f"{totals['accounts'][name]:,} accounts",
            )
        m[4].metric(
            "Unallocated",
            f"{totals['unallocated']:,.0f} h",
            help="Freed, but no account of the same seller below its programme is left to take them",
        )

        seg = plan.by_segment()
        # Vega-Lite: a stable spec whose hours are updated in place (alms.vega).
        st.vega_lite_chart(
            spec=vega.before_after(
                list(SEGMENTS),
                seg["before"].to_numpy(),
                seg["after"].to_numpy(),
                totals["unallocated"],
            ),
            width="stretch",
        )

        TABS = ("Per seller", "Moves", "Assumptions")
        seller_tab, moves_tab, rules_tab = st.tabs(TABS, key="view.whatif_tab", on_change="rerun")
        if seller_tab.open:
            with seller_tab:
                owners = plan.per_owner
                st.caption(
                    "Per seller: hours on the accounts they own before and after, what is freed, "
                    "where it goes, and what is left (freed = allocated + unallocated)."
                )
                st.dataframe(
                    owners,
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "seller": "Seller",
                        "hours_before": st.column_config.NumberColumn(
                            "Hours before", format="%,.1f"
                        ),
                        "freed": st.column_config.NumberColumn("Freed", format="%,.1f"),
                        "at_risk": st.column_config.NumberColumn("To at-risk key", format="%,.1f"),
                        "growth": st.column_config.NumberColumn("To growth", format="%,.1f"),
                        "prospects": st.column_config.NumberColumn(
                            "To target prospects", format="%,.1f"
                        ),
                        "allocated": st.column_config.NumberColumn("Allocated", format="%,.1f"),
                        "unallocated": st.column_config.NumberColumn("Unallocated", format="%,.1f"),
                        "hours_after": st.column_config.NumberColumn("Hours after", format="%,.1f"),
                    },
                )
                sellers = [str(x) for x in owners["seller"]]
                if sellers:
                    who = st.selectbox("One seller's segments", sellers, key="view.whatif_seller")
                    one = plan.by_segment(who)
                    st.vega_lite_chart(
                        spec=vega.before_after(
                            list(SEGMENTS),
                            one["before"].to_numpy(),
                            one["after"].to_numpy(),
                            float(owners.set_index("seller").loc[who, "unallocated"]),
                        ),
                        width="stretch",
                    )
        if moves_tab.open:
            with moves_tab:
                count = int((plan.reason > 0).sum())
                st.caption(
                    f"**{count:,} moves**, by seller: the cuts first, then the accounts that receive "
                    "hours, in your order. Hand them to the sellers."
                )
                common.account_table(
                    plan.moves(common.SHOWN_ROWS),
                    column_config_extra={
                        "cell": st.column_config.TextColumn("Cell"),
                        "hours_before": st.column_config.NumberColumn(
                            "Hours before", format="%,.1f"
                        ),
                        "hours_after": st.column_config.NumberColumn("Hours after", format="%,.1f"),
                        "change": st.column_config.NumberColumn("Change", format="%+,.1f"),
                        "reason": st.column_config.TextColumn("Reason"),
                    },
                )
                common.downloads(plan.moves, count, "alms-what-if-moves")
        if rules_tab.open:
            with rules_tab:
                bands = s.bands
                rows = "\n".join(
                    f"| {label} | {e.owner} | {e.hours_per_year:,.1f} |"
                    for label, e in zip(bands.labels, bands.programme, strict=True)
                )
                st.markdown(
                    f"""
        - Hours are those of the **12 months** up to the as-of date, on the accounts each seller
          **owns** (not who logged them).
        - **Over-served**: hours above the programme x (1 + {s.service_tolerance_pct:g}%), or any
          hours where the programme asks none. Cutting one frees *hours - programme*.
        - **What is cut**: {
                        "every over-served account"
                        if s.what_if.cut == "over_served"
                        else "the over-served customers of cells "
                        + ", ".join(s.what_if.cells or ("(none)",))
                    }.
        - **Where hours go**: {", ".join(LABELS[d] for d in s.what_if.order) or "nowhere"}, in that
          order, each account up to its programme; within a destination, the largest accounts
          (target prospects: the best ranked) first. Hours never move between sellers; accounts
          with no owner form a pool of their own ("Unassigned").
        - **Target prospects** follow the prospecting programme: {s.prospecting.hours_per_year:,.1f}
          h a year; extra prospects and leads require none.

        | Band | Owner | Programme h / year |
        |---|---|---|
        {rows}

        Change the programme on **Bands & programme**, the cells on **A-E matrix**, the at-risk
        rule on **Where the hours go**.
        """
                )

    common.figures(draw)


common.live(body)
