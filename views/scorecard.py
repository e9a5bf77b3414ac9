"""Strategic scorecard: weighted attributes on sliders, explainable 0-100 scores, and where
"largest" and "strategic" disagree."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from alms import charts, scorecard
from alms.analysis import Assignment
from alms.scorecard import QUADRANTS
from alms.settings import Attribute, Scorecard, Settings, SettingsError, Strategic
from alms.workspace import Workspace
from views import common

ws = common.workspace()  # the session's one Workspace: the callbacks below write to it
PREFIX = "set.score."
GROUPS = {"current": "Current performance", "future": "Future potential & fit"}

st.title("Strategic scorecard")
st.caption(
    "Largest is not the same as strategic: the biggest accounts are often the most "
    "transactional. Each attribute is normalised to 0-1, weighted, and summed to a 0-100 "
    "score; the top scores are the strategic accounts."
)


def forget_score_widgets() -> None:
    for key in [k for k in st.session_state if str(k).startswith(PREFIX)]:
        del st.session_state[key]


def use(card: Scorecard | None) -> None:
    ws.settings = replace(ws.settings, scorecard=card)
    forget_score_widgets()


def set_strategic_value(settings: Settings, value: float) -> Settings:
    sc = settings.scorecard
    return replace(settings, scorecard=replace(sc, strategic=replace(sc.strategic, value=value)))


def strategic_control(column, card: Scorecard) -> None:
    """The strategic set's size, drawn by the figures into the controls' row: a widget
    of their fragment, so its move reruns them alone."""
    if card.strategic.rule == "top_pct":
        key, cb = common.bind("score.top_pct", float(card.strategic.value), set_strategic_value)
        column.slider(
            "Strategic = the top this share of scored accounts (%)",
            1.0,
            50.0,
            step=1.0,
            format="%d%%",
            key=key,
            on_change=cb,
        )
    else:
        key, cb = common.bind("score.top_n", int(card.strategic.value), set_strategic_value)
        column.number_input(
            "Strategic = this many top-scored accounts", 1, 100_000, step=5, key=key, on_change=cb
        )


def figures_headline(ws: Workspace, sc: scorecard.Scores) -> None:
    """The strategic set in one line and four metrics."""
    card, p = ws.settings.scorecard, ws.prepared
    for note in sc.notes:
        st.caption(f":material/info: {note}")
    quad = sc.quadrants()
    strategic_n = int(sc.strategic.sum())
    rev = p.rev[: sc.size]
    total_rev = int(rev.sum())
    rule_text = (
        f"top {card.strategic.value:g}%"
        if card.strategic.rule == "top_pct"
        else f"top {int(card.strategic.value):,}"
    )
    st.subheader(
        f"{strategic_n:,} strategic accounts ({rule_text}) · {quad['key_and_strategic']:,} of "
        f"them key · {quad['key_only']:,} key accounts are not strategic"
    )
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Strategic accounts", f"{strategic_n:,}", help=f"Of {sc.size:,} scored accounts.")
    m2.metric(
        "Their share of revenue",
        common.pct(int(rev[sc.strategic].sum()) / total_rev if total_rev else 0.0, 1),
    )
    m3.metric("Key and strategic", f"{quad['key_and_strategic']:,}")
    m4.metric("Strategic, not key", f"{quad['strategic_only']:,}", help="Not among the largest.")


def figures_tabs(ws: Workspace, result: Assignment) -> None:
    """Scores, largest vs strategic, one account explained, sensitivity: each built
    only while its tab is open."""
    p = ws.prepared
    sc = result.scores
    config = {
        "rank": st.column_config.NumberColumn("Rank", help="By score (ties: revenue)"),
        "revenue_rank": st.column_config.NumberColumn("Revenue rank"),
        "score": st.column_config.ProgressColumn(
            "Score", min_value=0.0, max_value=100.0, format="%.1f"
        ),
        "strategic": st.column_config.CheckboxColumn("Strategic"),
    }
    for c in sc.columns:
        config[f"pts: {c.attribute.column}"] = st.column_config.NumberColumn(
            c.attribute.column, format="%.1f", help="Points this attribute adds"
        )

    TABS = ("Scores", "Largest vs strategic", "Explain one account", "Sensitivity")
    scores_tab, quad_tab, explain_tab, sens_tab = st.tabs(
        TABS, key="view.score_tab", on_change="rerun"
    )

    if scores_tab.open:
        with scores_tab:
            options = [None, *range(len(sc.columns))]
            by = st.selectbox(
                "Sort by",
                options,
                format_func=lambda j: (
                    "Score" if j is None else f"Points from {sc.columns[j].attribute.column}"
                ),
                key="view.score_sort",
            )
            positions = scorecard.order_by(
                sc, by if by is None or by < len(sc.columns) else None, 200
            )
            frame = scorecard.table(sc, positions, in_score_order=by is None)
            common.account_table(frame, column_config_extra=config, height=460)
            st.caption(
                f"The first {len(frame):,} of {sc.size:,} scored accounts; click a column to sort "
                "these rows, or pick the order above. The Assignments page has every account."
            )

    if quad_tab.open:
        with quad_tab:
            codes = sc.codes
            ranks = np.arange(1, sc.size + 1)
            names = (
                p.frame["account_name"].to_numpy()[: sc.size]
                if sc.size <= charts.MAX_POINTS
                else None
            )
            cut = float(sc.score[sc.strategic].min()) if sc.strategic.any() else None
            st.plotly_chart(
                charts.largest_vs_strategic(ranks, sc.score, codes, names, cut),
                width="stretch",
                config={"displayModeBar": False},
            )
            quad, qrev = sc.quadrants(), sc.quadrant_revenue()
            labels = dict(zip(QUADRANTS, (lab for lab, _ in charts.QUADRANT_STYLE), strict=True))
            st.dataframe(
                pd.DataFrame(
                    {
                        "Quadrant": [labels[q] for q in QUADRANTS],
                        "Accounts": [quad[q] for q in QUADRANTS],
                        "Revenue": [qrev[q] for q in QUADRANTS],
                    }
                ),
                hide_index=True,
                column_config={"Revenue": st.column_config.NumberColumn(format="%,.0f")},
            )
            key_only, strat_only = scorecard.disagreements(sc)
            d1, d2 = st.columns(2)
            with d1:
                st.markdown("**Key but not strategic** (lowest scores first)")
                common.account_table(key_only, column_config_extra=config)
            with d2:
                st.markdown("**Strategic but not key** (smallest revenue first)")
                common.account_table(strat_only, column_config_extra=config)

    if explain_tab.open:
        with explain_tab:
            query = st.text_input("Find an account (name or id)", key="view.score_query")
            found = result.select(query=query) if query else sc.ranking(50)
            found = found[found < sc.size][:200]
            if not len(found):
                st.info("No scored account matches.")
            else:
                ids = p.frame["account_id"].to_numpy()
                labels_of = p.frame["account_name"].to_numpy()
                pos = st.selectbox(
                    "Account",
                    found.tolist(),
                    format_func=lambda i: f"{labels_of[i]} ({ids[i]}) · score {sc.score[i]:.1f}",
                    key=f"view.score_account.{query}",
                )
                if pos is None or pos >= sc.size:
                    pos = int(found[0])
                detail = scorecard.explain(sc, pos)
                st.markdown(
                    f"**{labels_of[pos]}** scores **{sc.score[pos]:.1f}** "
                    f"(rank {sc.ranks[pos]:,} of {sc.size:,}; revenue rank {pos + 1:,})"
                    + (" · **strategic**" if sc.strategic[pos] else "")
                )
                colours = [
                    charts.KEY_COLOUR if g == "current" else "#2e9d5b" for g in detail["group"]
                ]
                hover = [
                    f"{r.attribute}: raw {r.raw:,.4g}, normalised {r.normalised:.2f}, "
                    f"weight {r.weight:g} ({r.weight_share:.0%} of this score) {r.note}"
                    for r in detail.itertuples()
                ]
                st.plotly_chart(
                    charts.contributions(
                        detail["attribute"].tolist(), detail["points"].to_numpy(), hover, colours
                    ),
                    width="stretch",
                    config={"displayModeBar": False},
                )
                st.dataframe(
                    detail,
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "raw": st.column_config.NumberColumn("Raw value", format="%.4g"),
                        "normalised": st.column_config.NumberColumn(
                            "Normalised (0-1)", format="%.3f"
                        ),
                        "weight_share": st.column_config.NumberColumn(
                            "Share of this score's weight", format="percent"
                        ),
                        "points": st.column_config.NumberColumn("Points", format="%.2f"),
                    },
                )
                st.caption(
                    "The points add up to the score: 100 x weight x normalised / weights used."
                )

    if sens_tab.open:
        with sens_tab:
            st.caption(
                "How fragile is the strategic set? For each attribute, its weight 10 points down "
                "and up (the others unchanged): how many accounts would enter and leave."
            )
            st.dataframe(
                scorecard.sensitivity(sc),
                hide_index=True,
                width="stretch",
                column_config={
                    "enter": st.column_config.NumberColumn("Enter"),
                    "leave": st.column_config.NumberColumn("Leave"),
                },
            )


def body(ws: Workspace) -> None:
    """The page below its title: rerun alone when one of its widgets moves."""
    s = ws.settings
    p = ws.prepared
    if s.scorecard is None:
        st.info(
            "This book has no scorecard yet. Start from a suggestion built from its columns "
            "(revenue, growth, share of wallet, potential and the file's numeric columns), then "
            "weigh, add and remove attributes.",
            icon=":material/scoreboard:",
        )
        b1, b2 = st.columns(2)
        if b1.button("Start from this book's columns", type="primary", icon=":material/add_chart:"):
            use(scorecard.suggested(p))
            st.rerun()
        if ws.is_sample and b2.button("Use the sample scorecard"):
            use(scorecard.default_for_sample())
            st.rerun()
        st.stop()

    card = s.scorecard
    flash = st.session_state.pop("score.flash", None)
    if flash:
        st.warning(flash, icon=":material/warning:")

    # ---------------------------------------------------------------- strategic set and population
    c1, c2, c3 = st.columns([1.2, 1.2, 2])
    key, cb = common.bind(
        "score.population",
        card.population,
        lambda st_, v: replace(st_, scorecard=replace(st_.scorecard, population=v)),
    )
    c1.radio(
        "Scored accounts",
        ["customers", "all"],
        format_func={"customers": "Customers", "all": "Every account"}.get,
        key=key,
        on_change=cb,
        horizontal=True,
    )
    key, cb = common.bind(
        "score.rule",
        card.strategic.rule,
        lambda st_, v: replace(
            st_,
            scorecard=replace(
                st_.scorecard, strategic=Strategic(v, 10.0 if v == "top_pct" else 50.0)
            ),
        ),
    )
    c2.radio(
        "Strategic set",
        ["top_pct", "top_n"],
        format_func={"top_pct": "Top share", "top_n": "Top number"}.get,
        key=key,
        on_change=cb,
        horizontal=True,
    )

    headline = st.container()

    # ---------------------------------------------------------------- weights

    def weight_setter(name: str, widget_key: str):
        """Callback of one weight slider; a move that leaves every weight at 0 is undone."""

        def on_change() -> None:
            settings = ws.settings
            sc = settings.scorecard
            value = float(st.session_state[widget_key])
            attrs = tuple(replace(a, weight=value) if a.name == name else a for a in sc.attributes)
            try:
                ws.settings = replace(settings, scorecard=replace(sc, attributes=attrs))
            except (SettingsError, ValueError) as exc:
                old = next(a.weight for a in sc.attributes if a.name == name)
                st.session_state[widget_key] = old
                st.session_state["score.flash"] = f"Not applied: {exc}"

        return on_change

    total = sum(a.weight for a in card.attributes) or 1.0
    st.markdown("#### Weights")
    st.caption(
        "Weights need not add up to 100: each attribute counts by its share of the total, "
        "shown above the sliders. The article's advice: about half on current performance, "
        "half on future potential and fit."
    )
    group_cols = st.columns(2, gap="large")
    for col, (group, label) in zip(group_cols, GROUPS.items(), strict=True):
        members = [a for a in card.attributes if a.group == group]
        share = sum(a.weight for a in members) / total
        col.markdown(f"**{label}** · {share:.0%} of the weight")
        if members:
            col.caption(
                "Share of the score: "
                + " · ".join(f"{a.column} {a.weight / total:.0%}" for a in members)
            )
        else:
            col.caption("No attribute in this group yet (add one under *Edit attributes*).")
        pair = col.columns(2)
        for i, a in enumerate(members):
            widget_key = f"{PREFIX}w.{a.name}"
            common.seed(widget_key, float(a.weight))
            cell = pair[i % 2]
            cell.slider(
                a.column,
                0.0,
                100.0,
                step=1.0,
                format="%d",
                key=widget_key,
                on_change=weight_setter(a.name, widget_key),
                help=f"{a.scale}"
                + (f" {a.lo:g}-{a.hi:g}" if a.scale == "fixed" else "")
                + f", {a.direction} is better, missing: {a.missing}. "
                f"{a.weight / total:.0%} of the score.",
            )

    # ---------------------------------------------------------------- attribute editor
    EDITOR_COLUMNS = [
        "order",
        "column",
        "group",
        "weight",
        "scale",
        "lo",
        "hi",
        "direction",
        "missing",
    ]

    def attribute_editor() -> None:
        """The grid that adds, removes, reorders and tunes the card's attributes."""
        candidates = scorecard.candidate_columns(p)
        names = list(dict.fromkeys([*candidates, *(a.column for a in card.attributes)]))
        editor = pd.DataFrame(
            [
                {
                    "order": i + 1,
                    "column": a.column,
                    "group": a.group,
                    "weight": a.weight,
                    "scale": a.scale,
                    "lo": a.lo,
                    "hi": a.hi,
                    "direction": a.direction,
                    "missing": a.missing,
                }
                for i, a in enumerate(card.attributes)
            ],
            columns=EDITOR_COLUMNS,
        )
        edited = st.data_editor(
            editor,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=f"view.score_grid.{hash(card.attributes)}",
            column_config={
                "order": st.column_config.NumberColumn("#", min_value=1, step=1, width="small"),
                "column": st.column_config.SelectboxColumn("Column", options=names, required=True),
                "group": st.column_config.SelectboxColumn(
                    "Group", options=list(GROUPS), required=True
                ),
                "weight": st.column_config.NumberColumn(
                    "Weight", min_value=0, max_value=100, step=1
                ),
                "scale": st.column_config.SelectboxColumn(
                    "Scale", options=["minmax", "rank", "fixed"], required=True
                ),
                "lo": st.column_config.NumberColumn("Fixed lo"),
                "hi": st.column_config.NumberColumn("Fixed hi"),
                "direction": st.column_config.SelectboxColumn(
                    "Better", options=["higher", "lower"], required=True
                ),
                "missing": st.column_config.SelectboxColumn(
                    "Missing", options=["worst", "median", "reweight"], required=True
                ),
            },
        )
        st.caption(
            "Columns: the derived share_of_wallet (revenue / potential), growth (revenue / prior "
            "- 1) and hours (last 12 months), the book's numeric fields, and every numeric column "
            "of the accounts file. minmax: (x - min) / (max - min); rank: percentile; fixed: "
            "(x - lo) / (hi - lo), for ratings such as 1-5. Missing: worst = 0, median = the "
            "median of the others, reweight = scored on the attributes the account has."
        )
        rows = edited.dropna(subset=["column"]).sort_values("order", kind="stable")
        try:
            attrs = tuple(
                Attribute(
                    column=str(r.column),
                    group=r.group or "current",
                    weight=10.0 if pd.isna(r.weight) else float(r.weight),
                    scale=r.scale or "minmax",
                    lo=None if pd.isna(r.lo) else float(r.lo),
                    hi=None if pd.isna(r.hi) else float(r.hi),
                    direction=r.direction or "higher",
                    missing=r.missing or "worst",
                )
                for r in rows.itertuples()
            )
            if attrs != card.attributes:
                use(replace(card, attributes=attrs))
                st.rerun()
        except (SettingsError, ValueError) as exc:
            st.error(f"Not applied: {exc}", icon=":material/error:")
        e1, e2 = st.columns(2)
        if ws.is_sample and e1.button("Sample scorecard", icon=":material/restart_alt:"):
            use(scorecard.default_for_sample())
            st.rerun()
        if e2.button("Remove the scorecard", icon=":material/delete:"):
            use(None)
            st.rerun()

    editor_box = common.lazy_box(
        "Edit attributes: add, remove, reorder, scale, direction, missing values",
        ":material/edit:",
        "view.score_editor",
    )
    if editor_box.open:  # built only while open: the grid costs a rerun ~5 ms
        with editor_box:
            attribute_editor()

    tabs_box = st.container()

    def draw(ws: Workspace) -> None:
        """The figures: the strategic set's control, the headline and the tabs. A move of
        the strategic share reruns only these (the weights and the editor are not sent
        again); a weight's move reruns the body, as its shares change."""
        strategic_control(c3, ws.settings.scorecard)
        result = ws.assignment()
        sc = result.scores
        with headline:
            figures_headline(ws, sc)
        with tabs_box:
            figures_tabs(ws, result)

    common.figures(draw)


common.live(body)
