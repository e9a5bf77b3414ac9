"""Key accounts: the live Pareto chart, both headline facts, growth candidates, overrides."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from alms import pareto, vega
from alms.analysis import Assignment
from alms.settings import Override, Settings
from alms.workspace import Workspace
from views import common, controls

st.title("Key accounts")
st.caption(
    "Customers (revenue > 0) sorted by revenue, largest first. Key accounts carry most of the "
    "revenue; every other customer is secondary."
)


def cut_off_slider(column, s: Settings) -> None:
    """The key rule's slider, drawn by the page's figures into the controls' row: a
    widget of the figures' own fragment, so its move reruns them directly (one run;
    a control outside them would rerun the body and then them)."""
    if s.key.rule == "cumulative":
        name, value, field, label, low, high = (
            "key.cum", s.key.cumulative_pct, "cumulative_pct",
            "Key = smallest set of top customers holding at least this share of revenue (%)",
            50.0, 99.0,
        )  # fmt: skip
    else:
        name, value, field, label, low, high = (
            "key.count", s.key.count_pct, "count_pct",
            "Key = this share of customers, largest first (%)", 5.0, 50.0,
        )  # fmt: skip
    key, cb = common.bind(name, value, lambda s, v: s.with_key(**{field: v}))
    column.slider(label, low, high, step=1.0, format="%d%%", key=key, on_change=cb)


def options_box(s: Settings, f: pareto.ParetoFacts, result: Assignment) -> None:
    """Zero revenue and outliers: drawn by the body below the figures, as nothing in it
    follows the cut-off (the zero-revenue count is the scope's, the outliers are the
    revenue limit's), so a cut-off move does not send it again."""
    with st.expander(
        "Options: zero revenue, outliers",
        expanded=s.exclude_above is not None or s.count_zero_revenue,
    ):
        key, cb = common.bind(
            "count_zero", s.count_zero_revenue, lambda s, v: replace(s, count_zero_revenue=v)
        )
        st.toggle(
            "Count zero-revenue accounts in the share of accounts",
            key=key,
            on_change=cb,
            help="Prospects and leads have no revenue. Counted, they stretch the chart's x axis "
            "and the headline says 'of accounts'. The key rules always run on paying customers.",
        )
        st.caption(
            f"{f.zero_revenue:,} accounts in this scope have zero or no revenue: "
            + (
                "counted in the share of accounts (the shaded tail of the chart)."
                if s.count_zero_revenue
                else "left out of the chart and the shares, which are of paying customers."
            )
        )
        key, cb = common.bind(
            "exclude",
            s.exclude_above,
            lambda s, v: replace(s, exclude_above=None if not v else float(v)),
        )
        st.number_input(
            "Leave out customers above this revenue (one-off orders); empty = keep all",
            min_value=0.0,
            value=None,
            step=100_000.0,
            key=key,
            on_change=cb,
        )
        if s.exclude_above is not None:
            st.warning(
                f"{int(result.excluded.sum()):,} customers above {common.money(s.exclude_above)} are "
                "left out of the key cut (they stay secondary).",
                icon=":material/filter_alt:",
            )


def body(ws: Workspace) -> None:
    """The page below its title: rerun alone when one of its widgets moves."""
    s = ws.settings
    p = ws.prepared

    # ---------------------------------------------------------------- controls
    c1, c2, c3 = st.columns([1.2, 1.6, 1.4])
    key, cb = common.bind("key.rule", s.key.rule, lambda s, v: s.with_key(rule=v))
    c1.radio(
        "Rule",
        ["cumulative", "count"],
        format_func={"cumulative": "Share of revenue", "count": "Top share of customers"}.get,
        key=key,
        on_change=cb,
    )
    regions = controls.regions_of(p)
    scope = controls.scope_picker(c3, p, "view.scope_kind", "view.scope")
    within_options = ["book"] + (["region"] if regions else []) + ["owner"]
    key, cb = common.bind(
        "key.within", s.key.within, lambda s, v: s.with_key(within=v), redraw=common.FIGURES
    )
    c3.radio(
        "Segment",
        within_options,
        format_func={
            "book": "across the book",
            "region": "within each region",
            "owner": "within each seller's book",
        }.get,
        key=key,
        on_change=cb,
        horizontal=True,
    )

    def draw(ws: Workspace) -> None:
        """What the settings move: rerun alone when a control bound to it moves."""
        s = ws.settings
        p = ws.prepared
        cut_off_slider(c2, s)
        result = ws.assignment()
        f = pareto.facts(result, scope)

        # ---------------------------------------------------------------- headline
        st.subheader(
            f"{f.sentence('cumulative')} (cumulative {f.cumulative_pct:.0f}% rule)  ·  "
            f"{f.sentence('count')} (top {f.count_pct:.0f}% of customers rule)"
        )
        m1, m2, m3, m4 = st.columns(4)
        m1.metric(
            "Key accounts", f"{f.key_count:,}", help="Under the rule chosen above, in this scope."
        )
        m2.metric(
            f"Share of {f.noun}",
            common.pct(f.share_of_base(f.key_count), 1),
            help="Of all accounts in the scope, zero revenue included" if f.count_zero else None,
        )
        m3.metric("Share of revenue", common.pct(f.key_revenue_share, 1))
        m4.metric(
            "Customers in scope",
            f"{f.customers:,}",
            f"revenue {common.money(f.revenue)}",
            delta_color="off",
            delta_arrow="off",
        )

        curve = pareto.curve(result, scope)
        # Vega-Lite, not Plotly: its spec stays the same as the cut-off moves, so the browser
        # updates the chart's data in place instead of drawing it anew (alms.vega).
        st.vega_lite_chart(
            spec=vega.pareto(curve, f.key_count, f"cut-off: {f.key_count:,} key accounts"),
            width="stretch",
        )

        # ---------------------------------------------------------------- what changed
        # The list follows the key set, not the settings: a display option leaves it as it was.
        last = st.session_state.get("pareto.last")
        if last is None or last[0] != p.version or not np.array_equal(last[1], result.segment):
            if last is not None and last[0] == p.version:
                st.session_state["pareto.changes"] = pareto.key_changes(last[1], result.segment)
            st.session_state["pareto.last"] = (p.version, result.segment)
        entered, left = st.session_state.get("pareto.changes", (np.zeros(0, int), np.zeros(0, int)))

        left_col, right_col = st.columns(2)
        with left_col:
            st.markdown("#### What changed since the last setting")
            if not len(entered) and not len(left):
                st.caption(
                    "Move the cut-off or change the rule to see which accounts enter or leave."
                )
            for label, positions in (
                ("Entered the key segment", entered),
                ("Left the key segment", left),
            ):
                if len(positions):
                    frame = pareto.change_table(result, positions, 25)
                    st.markdown(
                        f"**{label}: {len(positions):,}**"
                        + (" (first 25)" if len(positions) > 25 else "")
                    )
                    common.account_table(frame)

        with right_col:
            st.markdown("#### Growth candidates")
            st.write(
                f"**{f.growth_count:,}** of {f.secondary_count:,} secondary customers "
                f"({f.growth_count / f.secondary_count if f.secondary_count else 0:.0%}) have a potential "
                f"at or above {s.growth_factor:g} x the smallest key account's revenue."
            )
            key, cb = common.bind(
                "growth", s.growth_factor, lambda s, v: replace(s, growth_factor=v)
            )
            st.slider(
                "Growth rule: potential >= this multiple of the smallest key revenue",
                0.25,
                3.0,
                step=0.25,
                key=key,
                on_change=cb,
            )
            shown = pareto.top_growth(result, scope, 15)
            if len(shown):
                common.account_table(shown)

        with st.expander(f"Manual overrides ({len(s.overrides)})", key="view.overrides_expander"):
            st.caption(
                "Force an account into key or secondary, with a reason. Kept in the scenario and "
                "marked wherever the account appears."
            )
            query = st.text_input("Find a customer by name or id", key="view.override_query")
            if query:
                hits = result.select(segments=("key", "secondary"), query=query)[:50]  # customers
                if len(hits):
                    pick = st.selectbox(
                        "Account",
                        hits,
                        key="view.override_pick",
                        format_func=lambda i: (
                            f"{p.frame['account_name'].iat[i]} ({p.frame['account_id'].iat[i]}), "
                            f"{common.money(p.rev[i] / 10_000)}, now {['key', 'secondary'][int(result.segment[i])]}"
                        ),
                    )
                    seg = st.radio(
                        "Segment",
                        ["key", "secondary"],
                        horizontal=True,
                        key="view.override_segment",
                    )
                    reason = st.text_input(
                        "Reason",
                        placeholder="e.g. strategic logo, contract renewal",
                        key="view.override_reason",
                    )
                    if st.button(
                        "Add override", icon=":material/push_pin:", key="view.override_add"
                    ):
                        account_id = str(p.frame["account_id"].iat[pick])
                        kept = tuple(o for o in s.overrides if o.account_id != account_id)
                        ws.settings = replace(
                            s, overrides=(*kept, Override(account_id, seg, reason))
                        )
                        st.rerun()
                else:
                    st.caption("No customer matches.")
            for i, o in enumerate(s.overrides):
                a, b = st.columns([5, 1])
                a.write(f"**{o.account_id}** -> {o.segment}: {o.reason or '(no reason given)'}")
                if b.button("Remove", key=f"rm_override_{i}"):
                    ws.settings = replace(
                        s, overrides=tuple(x for j, x in enumerate(s.overrides) if j != i)
                    )
                    st.rerun()

    common.figures(draw)
    # ---------------------------------------------------------------- options
    result = ws.assignment()
    options_box(s, pareto.facts(result, scope), result)


common.live(body)
