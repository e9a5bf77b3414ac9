"""A-E matrix: maintenance against revenue, what each cell costs and returns, and the
play for each cell."""

from __future__ import annotations

from dataclasses import replace
from html import escape

import numpy as np
import streamlit as st

from alms import charts, matrix, timeuse, vega
from alms.analysis import Assignment
from alms.prepared import UNITS, Prepared
from alms.settings import CELLS, Settings
from alms.workspace import Workspace
from views import common

p = common.workspace().prepared

st.title("A-E matrix: maintenance against revenue")
st.caption(
    "Customers by the time they take (hours in the 12 months up to "
    f"**{timeuse.as_of_text(p.activity_as_of)}**, raised by an aggravation rating if you "
    "weigh it) and the revenue they bring. Each cell has its play; ROTI = revenue per hour."
)
if not p.n_customers:
    st.info("This book has no customers (no account has revenue above 0).")
    st.stop()


def set_matrix(**changes):
    return lambda settings, value: replace(
        settings, matrix=replace(settings.matrix, **{k: v(value) for k, v in changes.items()})
    )


def with_default(stops: list[float], default: float | None) -> list:
    """The stops with None (the rule's default) at the default's place, or first."""
    if default is None:
        return [None, *stops]
    below = [v for v in stops if v < default]
    return [*below, None, *[v for v in stops if v > default]]


def threshold_sliders(
    c1, c2, s: Settings, p: Prepared, result: Assignment, cells: matrix.Cells
) -> None:
    """The revenue and maintenance thresholds, drawn by the page's figures into the
    controls' row: widgets of the figures' own fragment, so a move reruns them directly
    (one run), and their stops follow the key set and the maintenance they split."""
    key_default = matrix.key_revenue_default(result)
    rev_values = p.rev[: p.n_customers] / UNITS
    rev_stops = p.memo(
        "view.matrix.revenue_stops", None, lambda: matrix.threshold_choices(rev_values)
    )
    current = s.matrix.revenue_threshold
    options = with_default(
        sorted(set(rev_stops) | ({current} if current is not None else set())), key_default
    )
    key, cb = common.bind(
        "matrix.revenue",
        current,
        set_matrix(revenue_threshold=lambda v: v),
    )
    c1.select_slider(
        "Revenue threshold (high revenue: at or above it)",
        options,
        format_func=lambda v: (
            (
                f"{common.money(key_default)} (smallest key revenue)"
                if key_default is not None
                else "each group's smallest key revenue"
            )
            if v is None
            else common.money(v)
        ),
        key=key,
        on_change=cb,
    )
    median = cells.maintenance.median_micro / matrix.MICRO
    current = s.matrix.maintenance_threshold
    m_stops = sorted(set(cells.maintenance.stops) | ({current} if current is not None else set()))
    key, cb = common.bind(
        "matrix.maintenance",
        current,
        set_matrix(maintenance_threshold=lambda v: v),
    )
    c2.select_slider(
        "Maintenance threshold (high maintenance: above it)",
        with_default(m_stops, median),
        format_func=lambda v: f"{median:,.1f} h (median)" if v is None else f"{v:,.1f} h",
        key=key,
        on_change=cb,
    )


CARDS_STYLE = """<style>
.alms-cards {display: grid; grid-template-columns: repeat(auto-fit, minmax(10.5rem, 1fr));
  gap: 1rem; margin-bottom: 0.5rem}
.alms-card {border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 1rem;
  line-height: 1.6}
.alms-card h3 {font-size: 1.5rem; font-weight: 600; margin: 0 0 0.25rem 0; padding: 0}
.alms-card .region {color: rgba(49, 51, 63, 0.6); font-size: 0.875rem; margin-bottom: 0.75rem}
.alms-card p {margin: 0 0 0.75rem 0}
</style>"""


def cell_cards(rows: list[dict]) -> str:
    """The five cells' cards (count, region, revenue, hours, ROTI, play) as one HTML
    element: as columns of bordered markdown they were 16 elements, which the browser
    redrew on every move (~75 ms of its work)."""
    cards = []
    for row in rows:
        roti = "no time spent" if np.isnan(row["roti"]) else f"{row['roti']:,.0f}/h"
        cards.append(
            f'<div class="alms-card"><h3>{row["cell"]} · {row["accounts"]:,}</h3>'
            f'<div class="region">{escape(row["region"])}</div>'
            f"<p>Revenue <b>{escape(common.money(row['revenue']))}</b><br>"
            f"Hours <b>{row['hours']:,.0f}</b><br>ROTI <b>{roti}</b></p>"
            f'<p><span class="region">Play:</span> <i>{escape(row["play"])}</i></p></div>'
        )
    return f'{CARDS_STYLE}<div class="alms-cards">{"".join(cards)}</div>'


def body(ws: Workspace) -> None:
    """The page below its title: rerun alone when one of its widgets moves."""
    s = ws.settings
    p = ws.prepared
    result = ws.assignment()
    cells = matrix.cells(result)

    # ---------------------------------------------------------------- controls
    c1, c2, c3 = st.columns([1.3, 1.3, 1])
    columns = [c.header for c in p.number_columns]
    agg_column = cells.maintenance.column
    key, cb = common.bind(
        "matrix.aggravation",
        float(s.matrix.aggravation_weight),
        set_matrix(aggravation_weight=float),
    )
    c3.slider(
        "Aggravation weight",
        0.0,
        3.0,
        step=0.1,
        key=key,
        on_change=cb,
        disabled=agg_column is None,
        help="maintenance = hours x (1 + rating on its scale x weight): 1 doubles the hours "
        "of the most aggravating account; 0 ignores the rating.",
    )
    with c3.popover("Aggravation rating", icon=":material/sentiment_dissatisfied:"):
        if not columns:
            st.caption("The accounts file has no numeric column to rate aggravation with.")
        else:
            auto = matrix.aggravation_column(p, replace(s.matrix, aggravation_column=None))
            choices = [None, *columns]
            key, cb = common.bind(
                "matrix.agg_column",
                s.matrix.aggravation_column,
                set_matrix(aggravation_column=lambda v: v),
            )
            st.selectbox(
                "Column",
                choices,
                format_func=lambda v: f"automatic ({auto or 'none found'})" if v is None else v,
                key=key,
                on_change=cb,
            )
            lo_col, hi_col = st.columns(2)
            key, cb = common.bind(
                "matrix.agg_lo", float(s.matrix.aggravation_lo), set_matrix(aggravation_lo=float)
            )
            lo_col.number_input("Scale from", key=key, on_change=cb, step=1.0)
            key, cb = common.bind(
                "matrix.agg_hi", float(s.matrix.aggravation_hi), set_matrix(aggravation_hi=float)
            )
            hi_col.number_input("to", key=key, on_change=cb, step=1.0)
    if agg_column is None:
        c3.caption("No aggravation column: maintenance is the hours.")
    else:
        c3.caption(f"Rating: **{agg_column}**")

    def draw(ws: Workspace) -> None:
        """What the settings move: rerun alone when a control bound to it moves."""
        s = ws.settings
        result = ws.assignment()
        cells = matrix.cells(result)
        threshold_sliders(c1, c2, s, p, result, cells)
        m_hours = cells.maintenance.micro / matrix.MICRO
        rev_values = p.rev[: p.n_customers] / UNITS
        if not cells.has_potential:
            st.info(
                "This book has no potential column: no account shows room to grow, so there is no "
                "B cell, and every low-revenue, low-maintenance account is C.",
                icon=":material/info:",
            )
        if cells.book_revenue_threshold is None and s.matrix.revenue_threshold is None:
            st.caption(
                f"Key accounts are set within each {s.key.within}: each group's revenue threshold is "
                "its own smallest key revenue (no single line on the chart)."
            )

        # ---------------------------------------------------------------- cells
        rows_of_cells = cells.records()
        cell_labels = {row["cell"]: f"{row['cell']} ({row['accounts']:,})" for row in rows_of_cells}
        st.html(cell_cards(rows_of_cells))

        names = (
            p.frame["account_name"].to_numpy()[: cells.size]
            if cells.size <= charts.MAX_POINTS
            else None
        )
        # Vega-Lite, not Plotly: the spec stays the same as the thresholds and the weight
        # move, so the browser updates the points in place (alms.vega).
        st.vega_lite_chart(
            spec=vega.matrix(
                m_hours,
                rev_values,
                cells.cell,
                names,
                cells.book_revenue_threshold,
                cells.maintenance_threshold,
                matrix.PLAYS,
            ),
            width="stretch",
        )

        # ---------------------------------------------------------------- tables
        TABS = ("Accounts of a cell", "ROTI by segment", "ROTI by seller")
        cell_tab, seg_tab, seller_tab = st.tabs(TABS, key="view.matrix_tab", on_change="rerun")
        ROTI = st.column_config.NumberColumn("ROTI (revenue / h)", format="%,.0f")
        if cell_tab.open:
            with cell_tab:
                picked = (
                    st.segmented_control(
                        "Cell",
                        CELLS,
                        key="view.matrix_cell",
                        default="E",
                        format_func=cell_labels.get,
                    )
                    or "E"
                )
                positions = matrix.cell_positions(result, picked)
                st.caption(
                    f"**{picked}**: {matrix.REGIONS[picked]}. Play: *{matrix.PLAYS[picked]}*."
                )

                def rows(limit: int | None = None):
                    chosen = positions if limit is None else positions[:limit]
                    keep = [
                        "account_id",
                        "account_name",
                        "owner",
                        "segment",
                        "band",
                        "revenue",
                        "potential",
                        "hours_12m",
                        "maintenance",
                        "roti",
                        "required_hours",
                        "growth_candidate",
                        "at_risk",
                    ]
                    out = result.frame(chosen, keep)
                    return out[[c for c in keep if c in out.columns]]

                common.account_table(
                    rows(common.SHOWN_ROWS),
                    column_config_extra={
                        "hours_12m": st.column_config.NumberColumn("Hours (12 mo)", format="%,.1f"),
                        "maintenance": st.column_config.NumberColumn(
                            "Maintenance h", format="%,.1f"
                        ),
                        "roti": ROTI,
                        "growth_candidate": st.column_config.CheckboxColumn("Growth"),
                        "at_risk": st.column_config.CheckboxColumn("At risk"),
                    },
                )
                common.downloads(rows, len(positions), f"alms-cell-{picked}")
        for tab, by, caption in (
            (seg_tab, "segment", "Revenue per hour on the accounts of each segment (12 months)."),
            (
                seller_tab,
                "seller",
                "Revenue per hour on the accounts each seller owns, best first.",
            ),
        ):
            if tab.open:
                with tab:
                    st.caption(caption)
                    st.dataframe(
                        matrix.roti_by(result, by),
                        hide_index=True,
                        width="stretch",
                        column_config={
                            "revenue": common.MONEY,
                            "hours": common.HOURS,
                            "roti": ROTI,
                        },
                    )

    common.figures(draw)


common.live(body)
