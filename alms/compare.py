"""Scenarios side by side: the figures of each, computed by the functions the pages use.

Every figure here is read from an `Assignment` through the same `alms` functions that the
pages and `alms summary` call (segments, bands, programme, time split, scorecard, at risk,
A-E cells, what-if plan): no second implementation. Shares are fractions in [0, 1],
hours are hours a year (the time split: hours in its window), money is in the book's
currency unit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alms import followthrough, matrix, programme, timeuse, whatif
from alms.analysis import KEY, SECONDARY, Assignment, categories
from alms.prepared import UNITS
from alms.reading.ingest import UNASSIGNED
from alms.settings import CELLS, SEGMENTS

Kind = str  # "count" | "share" | "hours" | "money"


@dataclass(frozen=True)
class Figure:
    """One compared figure: where it belongs, what it says, its unit and its rule."""

    section: str
    label: str
    kind: Kind
    value: Callable[[Assignment], float | None]


def _segment_share(name: str) -> Callable[[Assignment], float]:
    def value(r: Assignment) -> float:
        total = int(r.prepared.cum[-1]) if r.prepared.n_customers else 0
        return r.revenue_units()[name] / total if total else 0.0

    return value


def _time(name: str, what: str) -> Callable[[Assignment], float | None]:
    def value(r: Assignment) -> float | None:
        t = timeuse.time_summary(r)
        return None if t is None else t["segments"][name][what]

    return value


def _strategic(r: Assignment) -> float | None:
    return None if r.scores is None else float(r.scores.strategic.sum())


def _strategic_not_key(r: Assignment) -> float | None:
    return None if r.scores is None else float(r.scores.quadrants()["strategic_only"])


def _cell(name: str) -> Callable[[Assignment], float]:
    return lambda r: float(matrix.cells(r).summary()[name]["count"])


def _what_if(path: str) -> Callable[[Assignment], float]:
    def value(r: Assignment) -> float:
        t = whatif.plan(r).totals()
        for part in path.split("."):
            t = t[part]
        return float(t)

    return value


def _since(side: str) -> Callable[[Assignment], float | None]:
    """Secondary accounts' share of hours on one side of the programme's start day."""

    def value(r: Assignment) -> float | None:
        ba = followthrough.before_after(r)
        if ba is None:
            return None
        share = float((ba.share_before if side == "before" else ba.share_after)[SECONDARY])
        return None if np.isnan(share) else share

    return value


def _sellers(r: Assignment) -> pd.DataFrame:
    return programme.by_seller(r)


FIGURES: tuple[Figure, ...] = (
    Figure("Key accounts", "Key accounts", "count", lambda r: float(r.counts()["key"])),
    Figure("Key accounts", "Key share of revenue", "share", _segment_share("key")),
    Figure("Key accounts", "Growth candidates", "count", lambda r: float(r.growth.sum())),
    Figure(
        "Programme",
        "Programme hours a year",
        "hours",
        lambda r: float(r.required_hours.sum()),
    ),
    Figure(
        "Programme",
        "Seller capacity a year",
        "hours",
        lambda r: float(r.settings.capacity_hours * len(_sellers(r))),
    ),
    Figure(
        "Programme",
        "Sellers over capacity",
        "count",
        lambda r: float(_sellers(r)["overloaded"].sum()),
    ),
    Figure("Programme", "Over-served accounts", "count", lambda r: float(r.served[0].sum())),
    Figure("Where the hours go", "Hours on key accounts", "share", _time("key", "hours_share")),
    Figure(
        "Where the hours go",
        "Hours on secondary accounts",
        "share",
        _time("secondary", "hours_share"),
    ),
    Figure(
        "Where the hours go",
        "Revenue of secondary accounts",
        "share",
        _time("secondary", "revenue_share"),
    ),
    Figure("Scorecard", "Strategic accounts", "count", _strategic),
    Figure("Scorecard", "Strategic, not key", "count", _strategic_not_key),
    Figure("At risk", "Key accounts at risk", "count", lambda r: float(r.risk.at_risk.sum())),
    *(Figure("A-E matrix", f"Cell {c}", "count", _cell(c)) for c in CELLS),
    Figure("What-if", "Hours freed", "hours", _what_if("hours_freed")),
    Figure("What-if", "to at-risk key accounts", "hours", _what_if("allocated.at_risk")),
    Figure("What-if", "to growth candidates", "hours", _what_if("allocated.growth")),
    Figure("What-if", "to target prospects", "hours", _what_if("allocated.prospects")),
    Figure("What-if", "Unallocated", "hours", _what_if("unallocated")),
    Figure("Follow-through", "Hours on secondary, before the start day", "share", _since("before")),
    Figure("Follow-through", "Hours on secondary, after the start day", "share", _since("after")),
)


def _column(r: Assignment) -> list[float | None]:
    """Every figure of one scenario, kept with its assignment: a page that compares
    the same scenarios again (any rerun) reads them, not recomputes them (~0.7 s per
    scenario at 1M accounts)."""
    # Keyed by the follow-through knobs too: an assignment that differs only in them
    # shares its cache (Workspace.assignment), and the last two figures read them.
    return r.derive(f"compare.figures {r.settings.follow!r}", lambda: [f.value(r) for f in FIGURES])


def figures(results: Sequence[tuple[str, Assignment]]) -> pd.DataFrame:
    """One row per figure (section, figure, kind), one column per scenario; then one row
    per band (accounts in it), bands named by each scenario's own thresholds."""
    columns = {name: _column(r) for name, r in results}
    rows = [
        {"section": f.section, "figure": f.label, "kind": f.kind}
        | {name: columns[name][i] for name, _ in results}
        for i, f in enumerate(FIGURES)
    ]
    labels: list[str] = []
    counts = {name: r.band_counts() for name, r in results}
    for name, _ in results:
        labels += [b for b in counts[name] if b not in labels]
    rows += [
        {"section": "Bands", "figure": f"Band {b}", "kind": "count"}
        | {name: counts[name].get(b) for name, _ in results}
        for b in labels
    ]
    return pd.DataFrame(rows)


def per_seller(results: Sequence[tuple[str, Assignment]]) -> pd.DataFrame:
    """Per seller (account owner) and scenario: key accounts, programme hours a year, key
    accounts at risk, hours the what-if frees. Columns "<scenario>: <figure>"."""
    first = results[0][1].prepared
    labels = np.asarray(first.owner_labels, dtype=object)
    n = len(labels)
    codes = first.owner_codes
    out: dict[str, np.ndarray] = {"seller": labels}
    for name, r in results:
        out[f"{name}: key accounts"] = np.bincount(codes[r.segment == KEY], minlength=n)
        out[f"{name}: programme h"] = np.bincount(codes, weights=r.required_hours, minlength=n)
        out[f"{name}: at risk"] = np.bincount(codes[r.risk.at_risk], minlength=n)
        out[f"{name}: freed h"] = np.bincount(codes, weights=whatif.plan(r).freed, minlength=n)
    frame = pd.DataFrame(out)
    return frame[frame["seller"] != UNASSIGNED].reset_index(drop=True)


def moved(results: Sequence[tuple[str, Assignment]]) -> pd.DataFrame:
    """The accounts whose segment differs between any two of the scenarios: id, name,
    seller, revenue and the segment in each scenario (columns "segment: <scenario>"),
    in prepared order (revenue first)."""
    p = results[0][1].prepared
    segments = np.stack([r.segment for _, r in results])
    pos = np.flatnonzero((segments != segments[0]).any(axis=0))
    frame = p.rows(pos, ["account_id", "account_name", "owner"])
    frame["revenue"] = p.rev[pos] / UNITS
    for (name, _), seg in zip(results, segments, strict=True):
        frame[f"segment: {name}"] = pd.Categorical.from_codes(seg[pos], dtype=categories(SEGMENTS))
    return frame


def shown(value: object, kind: Kind) -> str:
    """One figure as text: shares as 12.3%, hours as 1,234 h, counts as 1,234."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    if kind == "share":
        return f"{value:.1%}"
    if kind == "hours":
        return f"{value:,.0f} h"
    return f"{value:,.0f}"


def display(table: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """`figures` as text for a page or a report, with a "differs" mark (●) on each
    figure whose shown value is not the same in every scenario."""
    text = {n: [shown(v, k) for v, k in zip(table[n], table["kind"], strict=True)] for n in names}
    differs = [len(set(row)) > 1 for row in zip(*text.values(), strict=True)]
    return pd.DataFrame(
        {"section": table["section"], "figure": table["figure"]}
        | text
        | {"differs": ["●" if d else "" for d in differs]}
    )
