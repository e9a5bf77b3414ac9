"""The story of the articles, step by step: one headline, a few figures and one chart each.

Presenter mode walks these steps and the handout prints them, so both say the same thing
from the same functions the pages use. Adding a page to the walk is one entry in
`STEPS`. Every builder takes an `Assignment` and returns a `Slide`; none draws one mark
per account (the charts are the bounded ones of `alms.charts`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go

from alms import charts, followthrough, matrix, pareto, programme, timeuse, whatif
from alms.analysis import KEY, Assignment
from alms.prepared import UNITS
from alms.reading.ingest import many
from alms.settings import SEGMENTS


@dataclass(frozen=True)
class Slide:
    """What one step shows: a headline sentence, short supporting points, one chart."""

    headline: str
    points: list[str] = field(default_factory=list)
    figure: go.Figure | None = None


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    build: Callable[[Assignment], Slide]


def _money(value: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{value / size:,.1f}{suffix}"
    return f"{value:,.0f}"


def _pareto(r: Assignment) -> Slide:
    f = pareto.facts(r, pareto.Scope())
    rule = r.settings.key.rule
    return Slide(
        f"{f.sentence(rule)}: {many(f.key_count, 'key account', 'key accounts')}",
        [
            f"Key accounts bring {f.key_revenue_share:.0%} of revenue",
            f"{many(int(r.growth.sum()), 'growth candidate', 'growth candidates')} "
            "among the secondary accounts",
            f"{many(f.customers, 'customer', 'customers')}, revenue {_money(f.revenue)}",
        ],
        charts.pareto(
            pareto.curve(r, pareto.Scope()), f.key_count, f"cut-off: {f.key_count:,} key accounts"
        ),
    )


def _bands(r: Assignment) -> Slide:
    b = programme.by_band(r)
    required, actual = float(b["required_hours"].sum()), float(b["actual_hours"].sum())
    over, under = int(b["over_served"].sum()), int(b["under_served"].sum())
    sellers = programme.by_seller(r)
    return Slide(
        f"The programme asks {required:,.0f} h a year; sellers spent {actual:,.0f} h "
        "in the last 12 months",
        [
            f"{many(over, 'account', 'accounts')} over-served, {under:,} under-served",
            f"{many(int(sellers['overloaded'].sum()), 'seller', 'sellers')} of "
            f"{len(sellers):,} asked for more than {r.settings.capacity_hours:,.0f} h",
        ],
        charts.required_vs_actual(
            b["band"].tolist(),
            b["required_hours"].to_numpy(),
            b["actual_hours"].to_numpy(),
            "Per band: hours the programme requires vs hours spent",
        ),
    )


def _scorecard(r: Assignment) -> Slide:
    sc = r.scores
    if sc is None:
        return Slide("No scorecard in this scenario", ["Build one on the Scorecard page"])
    q = sc.quadrants()
    strategic_n = int(sc.strategic.sum())
    names = (
        r.prepared.frame["account_name"].to_numpy()[: sc.size]
        if sc.size <= charts.MAX_POINTS
        else None
    )
    cut = float(sc.score[sc.strategic].min()) if strategic_n else None
    return Slide(
        f"{many(strategic_n, 'strategic account', 'strategic accounts')}: "
        f"{q['strategic_only']:,} of them are not key, and {q['key_only']:,} key accounts "
        "are not strategic",
        [
            f"{q['key_and_strategic']:,} accounts are both largest and strategic",
            f"{len(sc.columns):,} attributes weighted",
        ],
        charts.largest_vs_strategic(np.arange(1, sc.size + 1), sc.score, sc.codes, names, cut),
    )


def _time(r: Assignment) -> Slide:
    s = timeuse.split(r)
    seg = s.segments()
    return Slide(
        s.headline(),
        [
            f"{s.hours.sum():,.0f} h logged in " + (s.window.label() if s.window else "no window"),
            f"Prospects and leads: {seg['prospect']['hours_share'] + seg['lead']['hours_share']:.0%}"
            " of hours",
        ],
        charts.hours_vs_revenue(list(timeuse.GROUPS), s.hours_share, s.revenue_share),
    )


def _at_risk(r: Assignment) -> Slide:
    risk = r.risk
    key = r.segment == KEY
    falling = risk.falling & key
    quiet = (risk.no_contact if risk.no_contact is not None else np.zeros_like(key)) & key
    groups = {
        "falling and no contact": falling & quiet,
        "falling revenue": falling & ~quiet,
        "no recent contact": quiet & ~falling,
        "not at risk": key & ~falling & ~quiet,
    }
    rev = r.prepared.rev
    counts = [int(m.sum()) for m in groups.values()]
    revenue = [int(rev[m].sum()) / UNITS for m in groups.values()]
    n = int(risk.at_risk.sum())
    at = r.settings.at_risk
    return Slide(
        f"{many(n, 'key account', 'key accounts')} at risk, holding "
        f"{_money(int(rev[risk.at_risk].sum()) / UNITS)} of revenue",
        [
            f"Falling: revenue more than {at.drop_pct:.0f}% below the year before",
            f"No contact: no activity in the last {at.days} days",
        ],
        charts.at_risk(list(groups), counts, revenue),
    )


def _matrix(r: Assignment) -> Slide:
    cells = matrix.cells(r)
    frame = cells.frame()
    hours = frame["hours"].sum()
    revenue = frame["revenue"].sum()
    ce = frame[frame["cell"].isin(["C", "E"])]
    return Slide(
        f"Cells C and E hold {ce['accounts'].sum():,} accounts: "
        f"{(ce['hours'].sum() / hours if hours else 0):.0%} of the hours for "
        f"{(ce['revenue'].sum() / revenue if revenue else 0):.0%} of the revenue",
        [f"{row.cell}: {row.accounts:,} accounts · {row.play}" for row in frame.itertuples()],
        charts.matrix_scatter(
            cells.maintenance.micro / matrix.MICRO,
            r.prepared.rev[: r.prepared.n_customers] / UNITS,
            cells.cell,
            r.prepared.frame["account_name"].to_numpy()[: cells.size]
            if cells.size <= charts.MAX_POINTS
            else None,
            cells.book_revenue_threshold,
            cells.maintenance_threshold,
            matrix.PLAYS,
        ),
    )


def _what_if(r: Assignment) -> Slide:
    plan = whatif.plan(r)
    t = plan.totals()
    seg = plan.by_segment()
    return Slide(
        plan.headline(),
        [f"{t['hours_freed']:,.0f} h freed, {t['unallocated']:,.0f} h left unallocated"],
        charts.before_after(
            list(SEGMENTS), seg["before"].to_numpy(), seg["after"].to_numpy(), t["unallocated"]
        ),
    )


def _follow(r: Assignment) -> Slide:
    t = followthrough.trend(r)
    ba = followthrough.before_after(r)
    figure = charts.hours_trend(t.months, t.share, t.hours) if t.months else None
    if ba is not None:
        return Slide(
            ba.headline(),
            [
                f"{ba.days} days on each side of {ba.since:%d %b %Y}",
                f"Key accounts: {ba.share_before[KEY]:.0%} of hours before, "
                f"{ba.share_after[KEY]:.0%} after",
            ],
            figure,
        )
    with_hours = np.flatnonzero(t.hours > 0) if t.months else np.array([], dtype=int)
    if not len(with_hours):
        return Slide("No dated hours to follow month by month", [], figure)
    last = int(with_hours[-1])
    return Slide(
        f"In {t.months[last]}, secondary accounts took {t.share[last, 1]:.0%} of the hours",
        [f"{len(t.months)} months; set the programme's start day to compare before and after"],
        figure,
    )


STEPS: tuple[Step, ...] = (
    Step("pareto", "Key accounts: the Pareto cut", _pareto),
    Step("bands", "Bands and their programme", _bands),
    Step("scorecard", "Largest is not strategic", _scorecard),
    Step("time", "Where the hours go", _time),
    Step("at_risk", "Key accounts at risk", _at_risk),
    Step("matrix", "The A-E matrix: return on time", _matrix),
    Step("what_if", "What-if: moving the time", _what_if),
    Step("follow", "Is the time moving?", _follow),
)
