"""Where the hours go: hours against revenue per segment, per seller and team; the time
sinks; the key accounts at risk from neglect."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from alms import charts, timeuse, windows
from alms.settings import ACTIVITY_TYPES, AtRisk, TimeWindow
from views import common, controls

ws = common.workspace()
s = ws.settings
p = ws.prepared
as_of = p.activity_as_of

st.title("Where the hours go")
st.caption(
    "Busy doing what? Share of hours on each segment against its share of revenue. "
    f"As of **{timeuse.as_of_text(as_of)}** (the latest order or activity date; set another "
    "on the Data page when loading)."
)
if not p.has_activities:
    st.info(
        "This book has no activities file: there are no hours to share out, and the "
        "no-contact half of the at-risk rule cannot run. Load an activities export on the "
        "Data page.",
        icon=":material/info:",
    )

# ---------------------------------------------------------------- controls
c1, c2 = st.columns([1.4, 2])
choices = {12: "12 months", 6: "6 months", 3: "3 months", 0: "Custom"}  # 0: a custom range
# A custom range starts as the last 3 months.
start_range = windows.last_months(as_of, 3) if as_of else None


def set_months(settings, months: int, w=start_range):
    if months or w is None:
        return replace(settings, window=TimeWindow(months or 12))
    return replace(settings, window=TimeWindow(None, w.first_day, w.until))


key, cb = common.bind("window.months", s.window.months or 0, set_months)
c1.radio(
    "Window (up to the as-of date)",
    list(choices),
    format_func=choices.get,
    key=key,
    on_change=cb,
    horizontal=True,
    disabled=as_of is None,
)
if s.window.months is None and as_of is not None:
    key, cb = common.bind(
        "window.range",
        (s.window.start, s.window.end),
        lambda st_, v: (
            replace(st_, window=TimeWindow(None, v[0], v[1]))
            if isinstance(v, tuple) and len(v) == 2
            else st_
        ),
    )
    c1.date_input("From - to (both included)", key=key, on_change=cb, max_value=as_of)

scope = controls.scope_picker(
    c2, p, "view.time_scope", "view.time_scope", sorted(set(p.owner_labels) | set(p.daily.sellers))
)
if scope.kind == "owner":
    c2.caption("A seller's hours are the hours they logged, on any account.")

result = ws.assignment()
split = timeuse.split(result, scope)
window = split.window

# ---------------------------------------------------------------- headline
st.subheader(split.headline() + (f" ({scope.label})" if scope.kind != "team" else ""))
seg = split.segments()
risk = result.risk
m1, m2, m3, m4 = st.columns(4)
m1.metric(
    "Hours in the window",
    f"{split.hours.sum():,.0f}",
    help=window.label() if window else "No dated activity",
)
m2.metric("Secondary: share of hours", common.pct(seg["secondary"]["hours_share"]))
m3.metric("Secondary: share of revenue", common.pct(seg["secondary"]["revenue_share"]))
m4.metric(
    "Key accounts at risk",
    f"{int(risk.at_risk.sum()):,}",
    help="Falling revenue or no recent contact (tab below).",
)
st.plotly_chart(
    charts.hours_vs_revenue(list(timeuse.GROUPS), split.hours_share, split.revenue_share),
    width="stretch",
    config={"displayModeBar": False},
)
st.caption(
    f"Window {window.label() if window else '-'}; revenue is the trailing 12 months. "
    "Segments follow the cut-off, bands, programme and overrides set on the other pages."
)

TABS = ("Per seller", "Time sinks", "Activity mix", "Key accounts at risk")
seller_tab, sinks_tab, mix_tab, risk_tab = st.tabs(TABS, key="view.time_tab", on_change="rerun")
HOURS = st.column_config.NumberColumn(format="%,.1f")

if seller_tab.open:
    with seller_tab:
        sellers = timeuse.by_seller(result)
        st.caption(
            "**Time/revenue gap** = half the sum over the segments of |share of the seller's "
            "hours - share of the seller's revenue|: the share of their hours that would "
            "have to move for time to follow revenue (0% in step, 100% all hours where no "
            "revenue is). Hours are those the seller logged; revenue that of the accounts "
            "they own."
        )
        nobody = timeuse.unassigned_hours(result)
        if nobody:
            st.caption(
                f"{nobody:,.1f} hours were logged by no seller on accounts with no owner "
                "(not in the table)."
            )
        shown = sellers.head(30)
        share_cols = [f"share: {g}" for g in timeuse.GROUPS]
        z = shown[share_cols].to_numpy()
        labels = [f"{n} (gap {g:.0%})" for n, g in zip(shown["seller"], shown["gap"], strict=True)]
        if len(sellers) > 30:
            rest = sellers.iloc[30:]
            weights = rest["hours"].to_numpy()
            others = (
                (rest[share_cols].to_numpy() * weights[:, None]).sum(axis=0) / weights.sum()
                if weights.sum()
                else np.zeros(len(share_cols))
            )
            z = np.vstack([z, others])
            labels.append(f"{len(rest):,} other sellers (pooled)")
        st.plotly_chart(
            charts.seller_heatmap(labels, list(timeuse.GROUPS), z),
            width="stretch",
            config={"displayModeBar": False},
        )
        st.dataframe(
            sellers[
                [
                    "seller",
                    "gap",
                    "hours",
                    "hours_secondary",
                    "key_hours_share",
                    "key_revenue_share",
                    "revenue",
                    "capacity_hours",
                    "load",
                ]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "seller": "Seller",
                "gap": st.column_config.ProgressColumn(
                    "Time/revenue gap", min_value=0.0, max_value=1.0, format="percent"
                ),
                "hours": st.column_config.NumberColumn("Hours logged", format="%,.1f"),
                "hours_secondary": st.column_config.NumberColumn("On secondary", format="%,.1f"),
                "key_hours_share": st.column_config.NumberColumn("Key: hours", format="percent"),
                "key_revenue_share": st.column_config.NumberColumn(
                    "Key: revenue", format="percent"
                ),
                "revenue": st.column_config.NumberColumn("Revenue owned", format="%,.0f"),
                "capacity_hours": st.column_config.NumberColumn(
                    "Capacity in the window", format="%,.0f"
                ),
                "load": st.column_config.ProgressColumn(
                    "Hours / capacity", min_value=0.0, max_value=1.5, format="percent"
                ),
            },
        )

if sinks_tab.open:
    with sinks_tab:
        sinks = timeuse.time_sinks(result, scope)
        st.caption(
            "Accounts by hours in the window beyond what their programme requires for a "
            "window of that length (per year x days / 365). ROTI = revenue per hour (12 months)."
        )
        sinks["roti"] = [
            "no time spent" if np.isnan(v) else f"{v:,.0f}" for v in sinks.get("roti", [])
        ]
        common.account_table(
            sinks,
            column_config_extra={
                "segment": st.column_config.TextColumn("Segment"),
                "hours": st.column_config.NumberColumn("Hours", format="%,.1f"),
                "required_hours": st.column_config.NumberColumn("Programme h", format="%,.1f"),
                "excess_hours": st.column_config.NumberColumn("Beyond", format="%+,.1f"),
                "roti": st.column_config.TextColumn("ROTI (revenue / h)"),
            },
        )

if mix_tab.open:
    with mix_tab:
        mix = timeuse.activity_mix(result, scope)
        st.plotly_chart(
            charts.activity_mix(list(mix.index), list(ACTIVITY_TYPES), mix.to_numpy()),
            width="stretch",
            config={"displayModeBar": False},
        )
        visits = mix["visit"]
        st.caption(
            "Are visits going to small accounts? Visit hours: "
            + " · ".join(f"{g} {v:,.0f} h" for g, v in visits.items() if v)
        )

if risk_tab.open:
    with risk_tab:
        r1, r2 = st.columns(2)
        key, cb = common.bind(
            "risk.drop",
            float(s.at_risk.drop_pct),
            lambda st_, v: replace(st_, at_risk=replace(st_.at_risk, drop_pct=v)),
        )
        r1.slider(
            "Falling: revenue below prior revenue by more than (%)",
            0.0,
            90.0,
            step=1.0,
            format="%d%%",
            key=key,
            on_change=cb,
            disabled=not risk.can_fall,
        )
        key, cb = common.bind(
            "risk.days",
            int(s.at_risk.days),
            lambda st_, v: replace(st_, at_risk=AtRisk(st_.at_risk.drop_pct, int(v))),
        )
        r2.slider(
            "No contact: no activity in the last (days)",
            7,
            365,
            step=1,
            key=key,
            on_change=cb,
            disabled=risk.no_contact is None,
        )
        if not risk.can_fall:
            st.warning(
                "This book has no prior revenue: the falling-revenue half of the rule cannot run.",
                icon=":material/warning:",
            )
        if risk.no_contact is None:
            st.warning(
                "This book has no activities: the no-contact half of the rule cannot run.",
                icon=":material/warning:",
            )
        table = timeuse.at_risk_table(result, scope)
        falling = int(risk.falling.sum())
        quiet = int(risk.no_contact.sum()) if risk.no_contact is not None else 0
        st.markdown(
            f"**{int(risk.at_risk.sum()):,} key accounts at risk**: {falling:,} with falling "
            f"revenue, {quiet:,} with no contact in {s.at_risk.days} days (an account may "
            "have both)."
            + (
                f" The {len(table):,} largest are listed; Assignments (filter *at risk*) "
                "has every one, with downloads."
                if len(table) < int(risk.at_risk.sum())
                else ""
            )
        )
        common.account_table(
            table,
            column_config_extra={
                "prior_revenue": st.column_config.NumberColumn("Prior revenue", format="%,.0f"),
                "change": st.column_config.NumberColumn("Change", format="percent"),
                "reasons": st.column_config.TextColumn("Reasons"),
                "last_contact": st.column_config.DateColumn("Last contact"),
                "hours": st.column_config.NumberColumn("Hours in the window", format="%,.1f"),
                "next_step": st.column_config.TextColumn("Suggested next step"),
            },
        )
