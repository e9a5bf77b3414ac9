"""Follow-through: did the hours move? The hours month by month, before and after the
day the programme started, and the accounts that changed segment since a baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import streamlit as st

from alms import charts, followthrough, timeuse
from alms.settings import TREND_MONTHS
from views import common, controls

ws = common.workspace()
s = ws.settings
p = ws.prepared
as_of = p.activity_as_of

st.title("Follow-through: did the hours move?")
st.caption(
    "Declaring a programme is easy; sellers drift back to business as usual. Here: "
    f"whether the hours went to the key accounts. As of **{timeuse.as_of_text(as_of)}**; "
    "segments are today's, under the settings in use."
)
if not p.has_activities:
    st.info(
        "This book has no activities file: there are no hours to follow month by month "
        "or around a date. The movement between segments (below) still works. Load an "
        "activities export on the Data page.",
        icon=":material/info:",
    )

# ---------------------------------------------------------------- controls
c1, c2, c3 = st.columns([1.2, 1.2, 2])
key, cb = common.bind("follow.months", s.follow.months, lambda st_, v: _months(st_, v))


def _months(settings, value):
    value = value or settings.follow.months  # a segmented control can be unselected
    return replace(settings, follow=replace(settings.follow, months=value))


c1.segmented_control(
    "Months in the trend (calendar months)",
    list(TREND_MONTHS),
    format_func=str,
    key=key,
    on_change=cb,
    disabled=as_of is None,
)
key, cb = common.bind(
    "follow.since",
    s.follow.since,
    lambda st_, v: replace(st_, follow=replace(st_.follow, since=v)),
)
c2.date_input(
    "The programme started on",
    key=key,
    on_change=cb,
    max_value=as_of - timedelta(days=1) if as_of else None,
    disabled=as_of is None,
    help="The hours after this day are compared with the same number of days up to it "
    "(the day itself counts before). Kept in the scenario and the link.",
)
sellers = sorted(set(p.owner_labels) | set(p.daily.sellers if p.daily is not None else []))
scope = controls.scope_picker(c3, p, "view.follow_scope", "view.follow_scope", sellers)

result = ws.assignment()


def _month(label: str) -> str:
    """'2026-10' -> 'Oct 2026'."""
    return datetime.strptime(label, "%Y-%m").strftime("%b %Y")


SECTIONS = ("Month by month", "Before and after", "Against a baseline")
section = st.segmented_control(
    "Show",
    SECTIONS,
    key="view.follow_tab",
    default=SECTIONS[0],
    label_visibility="collapsed",
    width="stretch",
)


# ---------------------------------------------------------------- the trend
def show_trend() -> None:
    """Where the hours went, month by month."""
    trend = followthrough.trend(result, scope=scope)
    if not trend.months:
        st.info("No dates in this book: no months to show.", icon=":material/info:")
    else:
        hours = trend.hours
        with_hours = hours > 0
        if with_hours.any():
            share = trend.share
            first = int(np.argmax(with_hours))
            last = len(hours) - 1 - int(np.argmax(with_hours[::-1]))
            line = (
                f"In {_month(trend.months[last])}, secondary accounts took {share[last, 1]:.0%} "
                f"of the hours{' of ' + scope.label if scope.kind != 'team' else ''}"
            )
            if first != last:
                line += f"; in {_month(trend.months[first])}, {share[first, 1]:.0%}"
            st.subheader(line)
        st.plotly_chart(
            charts.hours_trend(trend.months, trend.share, hours),
            width="stretch",
            config={"displayModeBar": False},
            key="follow.trend_chart",
        )
        if (~with_hours).any():
            st.caption(
                f"{int((~with_hours).sum())} of {len(hours)} months have no hours: gaps, not "
                "zeros. The last month runs to the as-of day."
            )
        with st.expander("The months as a table"):
            st.dataframe(
                trend.frame(),
                hide_index=True,
                column_config={
                    "hours": st.column_config.NumberColumn("Hours", format="%,.1f"),
                    **{
                        f"{seg} share": st.column_config.NumberColumn(
                            f"{seg} share", format="percent"
                        )
                        for seg in ("key", "secondary", "prospect", "lead")
                    },
                },
            )


# ---------------------------------------------------------------- before / after
def show_before_after() -> None:
    """Before and after the programme started."""
    ba = followthrough.before_after(result)
    if s.follow.since is None:
        st.info(
            "Set the day the programme started (above) to compare the same number of days "
            "on each side of it.",
            icon=":material/event:",
        )
    elif ba is None:
        st.warning(
            f"The start day {s.follow.since} is not before the as-of date "
            f"({timeuse.as_of_text(as_of)}): nothing comes after it yet.",
            icon=":material/event_busy:",
        )
    else:
        st.subheader(ba.headline())
        st.caption(
            f"Before: {ba.before.label()}; after: {ba.after.label()} ({ba.days} days each). "
            f"A seller moved when the key share of their hours changed by {followthrough.MOVE_PP:.0f} "
            "points or more."
        )
        left, right = st.columns([1, 1.3])
        left.plotly_chart(
            charts.share_before_after(ba.share_before, ba.share_after, ba.days),
            width="stretch",
            config={"displayModeBar": False},
            key="follow.before_after_chart",
        )
        team = ba.team()
        left.dataframe(
            team,
            hide_index=True,
            column_config={
                "hours before": st.column_config.NumberColumn("Hours before", format="%,.1f"),
                "hours after": st.column_config.NumberColumn("Hours after", format="%,.1f"),
                "share before": st.column_config.NumberColumn("Share before", format="percent"),
                "share after": st.column_config.NumberColumn("Share after", format="percent"),
                "change (points)": st.column_config.NumberColumn("Change (points)", format="%+.1f"),
            },
        )
        per_seller = ba.per_seller()
        compared = per_seller[per_seller["moved"] != "only one side"]
        if len(compared):
            half = charts.MAX_MOVERS // 2
            shown = (
                compared
                if len(compared) <= charts.MAX_MOVERS
                else pd.concat([compared.head(half), compared.tail(half)])
            )
            right.plotly_chart(
                charts.seller_moves(
                    shown["seller"].tolist(),
                    shown["key share before"].to_numpy(),
                    shown["key share after"].to_numpy(),
                ),
                width="stretch",
                config={"displayModeBar": False},
                key="follow.movers_chart",
            )
            if len(shown) < len(compared):
                right.caption(
                    f"The {half} sellers who moved most towards key accounts and the {half} who "
                    f"moved most away, of {len(compared):,}; the table below has them all."
                )
            away = compared[compared["moved"] == "away from key"]["seller"].tolist()
            if away:
                right.markdown(
                    "**Went the other way:** "
                    + ", ".join(away[:12])
                    + (" ..." if len(away) > 12 else "")
                )
        st.dataframe(
            per_seller,
            hide_index=True,
            column_config={
                "seller": "Seller",
                "hours before": st.column_config.NumberColumn("Hours before", format="%,.1f"),
                "hours after": st.column_config.NumberColumn("Hours after", format="%,.1f"),
                **{
                    c: st.column_config.NumberColumn(c.capitalize(), format="percent")
                    for c in (
                        "key share before",
                        "key share after",
                        "secondary share before",
                        "secondary share after",
                    )
                },
                "key change (points)": st.column_config.NumberColumn(
                    "Key change (points)", format="%+.1f"
                ),
                "moved": "Moved",
            },
        )
        common.downloads(lambda: per_seller, len(per_seller), "alms-sellers-before-after")


# ---------------------------------------------------------------- against a baseline
def show_baseline() -> None:
    """Which accounts changed segment since the baseline."""
    move = ws.movement()
    if move is None:
        st.info(
            "Add a baseline, an earlier state of this book: an earlier export of the accounts "
            "(and its activities), or, for a book of order lines, the same lines at an earlier "
            "as-of date. The same settings segment both.",
            icon=":material/compare_arrows:",
        )
        controls.baseline_controls(ws, "follow.baseline")
        return

    summary = move.summary()
    then_label = summary["baseline_as_of"] or "then"
    now_label = summary["as_of"] or "now"
    shares_then, shares_now = summary["hours_share"]["baseline"], summary["hours_share"]["now"]
    if shares_then["secondary"] is not None and shares_now["secondary"] is not None:
        st.subheader(
            f"On {timeuse.as_of_text(move.baseline.prepared.activity_as_of)}, "
            f"{shares_then['secondary']:.0%} of the year's hours went to "
            f"secondary accounts; now {shares_now['secondary']:.0%}"
        )
    counts = move.counts
    k = followthrough.ABSENT
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Key then, secondary now", f"{int(counts[0, 1]):,}")
    m2.metric(
        "Growth candidates now key",
        f"{move.growth_became_key:,}",
        help="Of the baseline's growth candidates (same growth factor): did the bet pay?",
    )
    m3.metric("New accounts", f"{int(counts[k, :].sum()):,}")
    m4.metric("Accounts gone", f"{int(counts[:, k].sum()):,}")
    st.plotly_chart(
        charts.movement_sankey(counts, move.revenue_units / 1e4, then_label, now_label),
        width="stretch",
        config={"displayModeBar": False},
        key="follow.sankey",
    )
    with st.expander("Every flow: accounts and their revenue now"):
        st.dataframe(
            move.flows(),
            hide_index=True,
            column_config={
                "revenue now": st.column_config.NumberColumn("Revenue now", format="%,.0f")
            },
        )

    lists = {  # label: (Movement's list, what it holds); a list is built when shown
        "Fell from key": ("fell_from_key", "Key at the baseline, secondary now."),
        "Growth bets": ("growth_bets", "The baseline's growth candidates, and where they are now."),
        "New key accounts": ("new_key", "Key now, not key then (new, or from another segment)."),
        "Lost accounts": ("lost", "In the baseline, not in the book now."),
    }
    tab = st.segmented_control(
        "List", list(lists), default="Fell from key", key="view.follow_list", width="stretch"
    )
    attribute, note = lists[tab or "Fell from key"]
    table = getattr(move, attribute)
    st.caption(f"{note} {len(table):,} accounts.")
    money = {
        c: st.column_config.NumberColumn(c.capitalize(), format="%,.0f")
        for c in ("revenue then", "revenue now", "potential then")
    }
    st.dataframe(
        table.head(common.SHOWN_ROWS),
        hide_index=True,
        column_config={
            **common.ACCOUNT_COLUMNS,
            "owner": st.column_config.TextColumn("Seller now"),
            "owner then": st.column_config.TextColumn("Seller then"),
            **money,
            "hours (12 months)": st.column_config.NumberColumn("Hours (12 mo)", format="%,.1f"),
        },
    )
    common.downloads(
        lambda: table, len(table), "alms-" + (tab or "Fell from key").lower().replace(" ", "-")
    )
    with st.expander("Change the baseline"):
        controls.baseline_controls(ws, "follow.baseline")


{SECTIONS[0]: show_trend, SECTIONS[1]: show_before_after, SECTIONS[2]: show_baseline}[
    section or SECTIONS[0]
]()
