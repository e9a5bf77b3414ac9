"""Scenarios: keep named settings, switch between them, compare two or three side by side."""

from __future__ import annotations

import numpy as np
import streamlit as st

from alms import charts, compare, scenarios, session_file
from views import common

ws = common.workspace()
CURRENT = "Current settings"

st.title("Scenarios side by side")
st.caption(
    "Save the settings on screen under a name, try another cut-off, programme or "
    "scorecard, save that too, and compare. Every figure is computed by the same rules "
    "as the pages; a scenario names settings, never data."
)

# ---------------------------------------------------------------- save
with st.form("scenario_save", border=False, enter_to_submit=True):
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    suggestion = ws.scenario or f"Scenario {len(ws.scenarios) + 1}"
    name = c1.text_input(
        "Name for the settings on screen", value=suggestion, max_chars=scenarios.MAX_NAME
    )
    saved = c2.form_submit_button(
        "Save as scenario", icon=":material/bookmark_add:", width="stretch", type="primary"
    )
if saved:
    try:
        kept = ws.save_scenario(name)
        # The saved scenario joins the comparison, in the place of "Current settings"
        # (the same settings now) when that was compared.
        compared = st.session_state.get("view.compare")
        if compared is not None:
            compared = list(dict.fromkeys(kept if c == CURRENT else c for c in compared))
            if kept not in compared and len(compared) < 3:
                compared.append(kept)
            order = [CURRENT, *ws.scenarios]  # columns in the order the scenarios were saved
            st.session_state["view.compare"] = sorted(
                (c for c in compared if c in order), key=order.index
            )
        st.toast(f"Saved “{kept}”.", icon=":material/bookmark_added:")
    except ValueError as exc:
        st.error(str(exc), icon=":material/error:")

# ---------------------------------------------------------------- the saved ones
defaults = ws.defaults()
if not ws.scenarios:
    st.info(
        "No scenario saved yet. Save the settings on screen, change a slider on any page, "
        "save again: then compare them below.",
        icon=":material/info:",
    )
for i, (label, settings) in enumerate(list(ws.scenarios.items())):
    with st.container(border=True):
        row = st.columns([3, 5, 1, 1], vertical_alignment="center")
        state = ""
        if label == ws.scenario:
            state = " · *current, changed since*" if ws.changed else " · *current*"
        row[0].markdown(f"**{label}**{state}")
        diff = scenarios.differences(settings, defaults, limit=4)
        row[1].caption("; ".join(diff) if diff else "the defaults")
        if row[2].button("Use", key=f"scenario.use.{i}", width="stretch"):
            ws.switch_scenario(label)
            common.forget_setting_widgets()
            st.rerun()
        if row[3].button("Delete", key=f"scenario.del.{i}", width="stretch"):
            ws.delete_scenario(label)
            st.rerun()

f1, f2 = st.columns(2)
if ws.scenarios:
    f1.download_button(
        "Download all scenarios (JSON)",
        lambda: scenarios.dump(ws.named(), ws.scenario),
        file_name="alms-scenarios.json",
        mime="application/json",
        icon=":material/download:",
        width="stretch",
    )
with f2:
    common.scenario_uploader("scenario_upload_page")

st.subheader("Session file")
st.caption(
    "The book (as Parquet) and every scenario in one file: another facilitator loads it on "
    "the Data page and continues where this workshop ended."
)


def session_bytes() -> bytes:
    named, current = ws.to_keep()
    base = ws.baseline
    return session_file.dump(
        ws.book, named, current, base.book if base else None, base.how if base else "export"
    )


if ws.book.aggregated:
    st.info(
        "The book was read from a database: it stays there, and a session file cannot "
        "hold it. Download the scenarios above, and connect again to continue.",
        icon=":material/database:",
    )
else:
    st.download_button(
        "Download session file",
        session_bytes,
        file_name="alms-session.zip",
        mime="application/zip",
        icon=":material/save:",
    )
st.subheader("Handout")
common.handout(
    lambda: [(ws.scenario or "current settings", ws.assignment())],
    "the settings on screen",
    "current",
)

# ---------------------------------------------------------------- compare
st.header("Compare")
options = [CURRENT, *ws.scenarios]
saved_names = list(ws.scenarios)
default = saved_names[-3:] if len(saved_names) >= 2 else [CURRENT, *saved_names]
compared = st.session_state.get("view.compare", default)
st.session_state["view.compare"] = [o for o in compared if o in options][:3]
picked = st.multiselect(
    "Scenarios to compare (two or three)",
    options,
    max_selections=3,
    key="view.compare",
    help="“Current settings” is what the pages show now, saved or not.",
)
if len(picked) < 2:
    st.info("Pick two or three scenarios to compare.", icon=":material/compare_arrows:")
    st.stop()

results = [
    (label, ws.assignment(ws.settings if label == CURRENT else ws.scenarios[label]))
    for label in picked
]
table = compare.figures(results)
names = [label for label, _ in results]
shares = table[table["kind"] == "share"]
hours = table[table["figure"].isin(charts.SCENARIO_HOURS)]
g1, g2 = st.columns(2)
g1.plotly_chart(
    charts.scenario_bars(shares["figure"].tolist(), names, shares[names].to_numpy(float), "share"),
    width="stretch",
    config={"displayModeBar": False},
)
g2.plotly_chart(
    charts.scenario_bars(hours["figure"].tolist(), names, hours[names].to_numpy(float), "hours"),
    width="stretch",
    config={"displayModeBar": False},
)


TABS = ("Figures", "Per seller", "Accounts that move", "What each changes")
fig_tab, seller_tab, moved_tab, diff_tab = st.tabs(TABS, key="view.compare_tab", on_change="rerun")
if fig_tab.open:
    with fig_tab:
        display = compare.display(table, names)
        st.dataframe(display, hide_index=True, width="stretch", height=560)
if seller_tab.open:
    with seller_tab:
        sellers = compare.per_seller(results)
        only = st.toggle("Only sellers whose figures change", value=True, key="view.compare_only")
        if only and len(sellers):
            figures_of = [c for c in sellers.columns if c != "seller"]
            per = {
                f: sellers[[f"{n}: {f}" for n in names]].to_numpy(float)
                for f in {c.split(": ", 1)[1] for c in figures_of}
            }
            change = np.zeros(len(sellers), dtype=bool)
            for v in per.values():
                change |= ~np.isclose(v, v[:, :1]).all(axis=1)
            sellers = sellers[change]
        st.dataframe(
            sellers,
            hide_index=True,
            width="stretch",
            column_config={
                c: st.column_config.NumberColumn(c, format="%,.0f")
                for c in sellers.columns
                if c != "seller"
            },
        )
if moved_tab.open:
    with moved_tab:
        moved = compare.moved(results)
        st.markdown(
            f"**{len(moved):,} accounts** change segment between "
            + " and ".join(f"“{n}”" for n in names)
            + "."
        )
        common.account_table(moved.head(common.SHOWN_ROWS))
        common.downloads(lambda: compare.moved(results), len(moved), "alms-accounts-that-move")
if diff_tab.open:
    with diff_tab:
        for label, r in results:
            diff = scenarios.differences(r.settings, defaults, limit=30)
            st.markdown(f"**{label}**: " + ("the defaults" if not diff else ""))
            for line in diff:
                st.markdown(f"- `{line}`")

st.subheader("Handout of this comparison")
common.handout(lambda: results, " vs ".join(names), "comparison")
