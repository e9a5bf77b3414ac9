"""The headline figures of a book as plain data: what `alms summary` prints.

The keys are a contract (see the README): scripts and outside checks read them. Shares
are fractions in [0, 1]; money is in the book's currency unit; hours are hours.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from alms import followthrough, matrix, timeuse, whatif
from alms.analysis import KEY, SECONDARY, Assignment, assign, count_cut
from alms.prepared import Prepared, prepare
from alms.reading.book import Book
from alms.settings import ACTIVITY_TYPES, SEGMENTS, Settings
from alms.windows import MICRO_PER_HOUR, micro_minutes


def _money(units: int) -> float:
    """Exact 1/10,000 units -> a JSON number (exact below 10^11 with 4 decimals)."""
    return float(Decimal(units).scaleb(-4))


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole else 0.0


def top_share(prepared: Prepared, pct: float = 20.0) -> float:
    """Revenue share of the first ceil(pct% x customers) customers by revenue."""
    k = count_cut(prepared.n_customers, pct)
    total = int(prepared.cum[-1]) if prepared.n_customers else 0
    return _share(int(prepared.cum[k - 1]) if k else 0, total)


def exact_hours_total(p: Prepared, settings: Settings) -> float:
    """Hours of all accepted activities, summed exactly (see alms.windows)."""
    defaults = np.array([settings.minutes(t) for t in ACTIVITY_TYPES], dtype=float)
    micro = micro_minutes(p.minutes_all, p.blanks_all, defaults[None, :])
    return float(micro.sum()) / MICRO_PER_HOUR


def summarise(
    book: Book, settings: Settings | None = None, baseline: Book | None = None
) -> dict[str, Any]:
    """Headline figures of `book` under `settings` (defaults when None); with a
    `baseline` (an earlier snapshot), its movement too."""
    settings = settings or Settings()
    prepared = prepare(book)
    result = assign(prepared, settings)
    out = summary_of(book, prepared, result)
    if baseline is not None:
        then = assign(prepare(baseline), settings)
        out["movement"] = followthrough.movement(result, then).summary()
    return out


def summary_of(book: Book, prepared: Prepared, result: Assignment) -> dict[str, Any]:
    customers = prepared.n_customers
    total = int(prepared.cum[-1]) if customers else 0
    counts = result.counts()
    units = result.revenue_units()
    key_n = counts["key"]
    secondary = result.segment == SECONDARY
    growth_n = int(result.growth.sum())
    return {
        "accounts": prepared.n_accounts,
        "customers": customers,
        "revenue_total": _money(total),
        "key": {
            "rule": result.settings.key.rule,
            "cutoff_pct": (
                result.settings.key.cumulative_pct
                if result.settings.key.rule == "cumulative"
                else result.settings.key.count_pct
            ),
            "count": key_n,
            "share_of_customers": _share(key_n, customers),
            "share_of_revenue": _share(units["key"], total),
            "min_revenue": _money(int(prepared.rev[result.segment == KEY].min()))
            if key_n
            else None,
        },
        "top20_revenue_share": top_share(prepared, 20.0),
        "bands": result.band_counts(),
        "hours_total": exact_hours_total(prepared, result.settings),
        "segments": {
            name: {
                "count": counts[name],
                "revenue": _money(units[name]),
                "share_of_revenue": _share(units[name], total),
            }
            for name in SEGMENTS
        },
        "growth_candidates": {
            "count": growth_n,
            "share_of_secondary": _share(growth_n, int(secondary.sum())),
        },
        "scorecard": scorecard_summary(result),
        "time": timeuse.time_summary(result),
        "at_risk": timeuse.at_risk_summary(result),
        "matrix": matrix.cells(result).summary(),
        "what_if": whatif.plan(result).totals(),
        "trend": followthrough.trend(result).summary(),
        **(
            {"before_after": window.summary()}
            if (window := followthrough.before_after(result)) is not None
            else {}
        ),
        "as_of": prepared.activity_as_of.isoformat() if prepared.activity_as_of else None,
        "input": book.counts(),
        "rejects": book.reject_counts()[1],
        "warnings": book.warnings,
    }


def scorecard_summary(result: Assignment) -> dict[str, Any] | None:
    """The scorecard's figures: population size, the strategic set, the ten best scores
    (unrounded, in strategic order), the key x strategic quadrants; None without one."""
    s = result.scores
    if s is None:
        return None
    rev = result.prepared.rev[: s.size]
    total = int(rev.sum())
    ids = result.prepared.frame["account_id"].to_numpy()
    return {
        "population": s.size,
        "strategic": {
            "count": int(s.strategic.sum()),
            "revenue_share": _share(int(rev[s.strategic].sum()), total),
        },
        "top": [{"account_id": str(ids[i]), "score": float(s.score[i])} for i in s.ranking(10)],
        "quadrants": s.quadrants(),
        "notes": s.notes,
    }
