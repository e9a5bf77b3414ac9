"""The maintenance / revenue matrix (A-E) and return on time invested.

Rules (DOMAIN.md section 4; population: customers):
- maintenance = hours in the last 12 months x (1 + a x w); a = the aggravation rating on
  its fixed scale, (x - lo) / (hi - lo) clipped to [0, 1], 0 when absent; w >= 0
  (default 0: maintenance is the hours).
- high revenue = revenue >= the revenue threshold (default: the revenue of the last
  account the key rule puts in the key set, overrides ignored; within regions or sellers
  each group's own); high maintenance = maintenance > the maintenance threshold
  (default: the customers' median, the mean of the two middle values for an even count).
  An account with no hours is therefore always low maintenance.
- A high revenue, low maintenance; D high revenue, high maintenance; E low revenue, high
  maintenance; B low revenue, low maintenance and a growth candidate (room to grow);
  C the rest. Without a potential column there are no growth candidates, so no B.
- A cell's hours are its accounts' raw hours in the 12 months (not maintenance), summed
  exactly (whole micro-minutes, see alms.windows).
- ROTI = revenue / hours; no hours: no ROTI (None / NaN, shown as "no time spent").

Hours are kept as exact micro-minute integers, so a threshold of 10 h compares against
an account's exact 10 h, not a float sum that might land a hair above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np
import pandas as pd

from alms import windows
from alms.analysis import Assignment
from alms.prepared import UNITS, Prepared, frozen
from alms.scorecard import _has_field, resolve
from alms.settings import CELLS, SEGMENTS, Matrix

A, B, C, D, E = range(5)
_CELL_OF = np.array([C, B, E, E, A, A, D, D], dtype=np.int8)
"""The cell of (high revenue, high maintenance, growth candidate) as bits 4, 2, 1: low
revenue and low maintenance is B for a growth candidate, else C; growth only matters
there."""
PLAYS = {
    "A": "Coddle and protect; ask for referrals",
    "B": "Grow share of wallet",
    "C": "No proactive time: respond when asked",
    "D": "Keep, but cut the cost to serve",
    "E": "Stop investing",
}
REGIONS = {
    "A": "low maintenance, high revenue",
    "B": "low maintenance, low revenue, room to grow",
    "C": "low maintenance, low revenue, no room to grow",
    "D": "high maintenance, high revenue",
    "E": "high maintenance, low revenue",
}
MICRO = windows.MICRO_PER_HOUR


def aggravation_column(p: Prepared, setting: Matrix) -> str | None:
    """The header the aggravation rating comes from: the setting's, else the first
    numeric header of the accounts file containing "aggravation" (None: no such column)."""
    if setting.aggravation_column is not None:
        return setting.aggravation_column
    for col in p.number_columns:
        if "aggravation" in col.header.lower():
            return col.header
    return None


def aggravation(p: Prepared, setting: Matrix) -> tuple[np.ndarray, str | None]:
    """(a per customer in [0, 1], the column used or None). Memoised per book."""
    column = aggravation_column(p, setting)

    def compute() -> tuple[np.ndarray, str | None]:
        nc = p.n_customers
        source = resolve(p, column, None) if column else None
        if source is None:
            return np.zeros(nc), None
        x = source.values[:nc].astype(float)
        lo, hi = setting.aggravation_lo, setting.aggravation_hi
        a = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
        return np.nan_to_num(a, nan=0.0), column

    key = (column, setting.aggravation_lo, setting.aggravation_hi)
    return p.memo("matrix.aggravation", key, compute)


def hours_micro(result: Assignment) -> np.ndarray:
    """Whole micro-minutes per customer in the 12 months up to the as-of date."""
    p = result.prepared
    as_of = p.activity_as_of
    if as_of is None:
        return np.zeros(p.n_customers)
    wh = windows.hours(p, windows.last_months(as_of), result.settings)
    return wh.per_account_micro[: p.n_customers]


@dataclass(frozen=True)
class Maintenance:
    """Maintenance per customer (micro-minutes, float when weighted) and its median."""

    micro: np.ndarray
    raw_micro: np.ndarray
    median_micro: float
    column: str | None

    @cached_property
    def stops(self) -> list[float]:
        """Slider stops for the maintenance threshold, in hours (kept with this value:
        quantiles of 100k values cost ~3 ms a rerun)."""
        return threshold_choices(self.micro / MICRO)


def maintenance(result: Assignment) -> Maintenance:
    """Maintenance of every customer; memoised per book on what it depends on (the
    default minutes and the aggravation rule), so a revenue-threshold move reuses it."""
    p, m = result.prepared, result.settings.matrix
    a, column = aggravation(p, m)
    raw = hours_micro(result)

    def compute() -> Maintenance:
        weighted = (
            raw
            if m.aggravation_weight == 0 or column is None
            else raw * (1 + a * m.aggravation_weight)
        )
        median = float(np.median(weighted)) if len(weighted) else 0.0
        return Maintenance(weighted, raw, median, column)

    key = (
        result.settings.minutes_per_type,
        p.activity_as_of,
        column,
        m.aggravation_lo,
        m.aggravation_hi,
        m.aggravation_weight,
    )
    return p.memo("matrix.maintenance", key, compute)


def _units(money: float) -> int:
    return int((Decimal(str(money)) * UNITS).to_integral_value())


@dataclass(frozen=True)
class Cells:
    """The A-E cell of every customer (prepared order: the first `size` positions)."""

    cell: np.ndarray  # int8: A..E
    maintenance: Maintenance
    revenue_threshold: np.ndarray  # int64 units per customer (-1: none, always high)
    book_revenue_threshold: float | None
    """One threshold for the whole book (money); None when each group has its own."""
    maintenance_threshold: float
    """Hours."""
    has_potential: bool
    rev: np.ndarray  # int64 units per customer

    @property
    def size(self) -> int:
        return len(self.cell)

    def counts(self) -> np.ndarray:
        return np.bincount(self.cell, minlength=5)

    def revenue_units(self) -> np.ndarray:
        """Exact integer revenue per cell."""
        out = np.zeros(5, dtype=np.int64)
        np.add.at(out, self.cell, self.rev)
        return out

    def hours_micro(self) -> np.ndarray:
        """Raw hours per cell in whole micro-minutes (exact in float64 below 2^53)."""
        return np.bincount(self.cell, weights=self.maintenance.raw_micro, minlength=5)

    def records(self) -> list[dict]:
        """One dict per cell: cell, region, accounts, revenue, hours, ROTI (NaN: no time
        spent), play (the page's cards read these: no frame to build on every rerun)."""
        hours = self.hours_micro() / MICRO
        revenue = self.revenue_units() / UNITS
        with np.errstate(divide="ignore", invalid="ignore"):
            roti = np.where(hours > 0, revenue / hours, np.nan)
        counts = self.counts()
        return [
            {
                "cell": c,
                "region": REGIONS[c],
                "accounts": int(counts[i]),
                "revenue": float(revenue[i]),
                "hours": float(hours[i]),
                "roti": float(roti[i]),
                "play": PLAYS[c],
            }
            for i, c in enumerate(CELLS)
        ]

    def frame(self) -> pd.DataFrame:
        """`records` as a table, one row per cell."""
        return pd.DataFrame(self.records())

    def summary(self) -> dict:
        """`alms summary`'s matrix: per cell count, revenue and hours (and ROTI, null
        without hours), and the thresholds used (revenue null when per group)."""
        counts, units, micro = self.counts(), self.revenue_units(), self.hours_micro()
        out: dict = {}
        for i, name in enumerate(CELLS):
            revenue = float(Decimal(int(units[i])).scaleb(-4))
            hours = float(micro[i]) / MICRO
            out[name] = {
                "count": int(counts[i]),
                "revenue": revenue,
                "hours": hours,
                "roti": revenue / hours if hours > 0 else None,
            }
        out["revenue_threshold"] = self.book_revenue_threshold
        out["maintenance_threshold"] = self.maintenance_threshold
        out["aggravation_column"] = self.maintenance.column
        out["has_potential"] = self.has_potential
        return out


def cells(result: Assignment) -> Cells:
    """The A-E cells under the assignment's settings (kept with the assignment)."""
    return result.derive("matrix.cells", lambda: _cells(result))


def _cells(result: Assignment) -> Cells:
    p, m = result.prepared, result.settings.matrix
    nc = p.n_customers
    rev = p.rev[:nc]
    maint = maintenance(result)
    if m.revenue_threshold is not None:
        threshold = np.full(nc, _units(m.revenue_threshold), dtype=np.int64)
        book_threshold: float | None = m.revenue_threshold
    else:
        threshold = result.key_threshold[:nc]
        present = threshold[threshold >= 0]
        book_threshold = None
        if result.settings.key.within == "book" and present.size:
            book_threshold = float(Decimal(int(present[0])).scaleb(-4))
    if m.maintenance_threshold is not None:
        limit = float((Decimal(str(m.maintenance_threshold)) * MICRO).to_integral_value())
    else:
        limit = maint.median_micro
    high_rev = rev >= threshold
    high_m = maint.micro > limit
    # One lookup instead of nested np.where (~20 ms -> ~4 ms at 1M customers):
    # index = high revenue x 4 + high maintenance x 2 + growth candidate.
    index = (high_rev.view(np.uint8) << 2) | (high_m.view(np.uint8) << 1)
    index |= result.growth[:nc].view(np.uint8)
    cell = _CELL_OF[index]
    return Cells(
        cell=cell,
        maintenance=maint,
        revenue_threshold=threshold,
        book_revenue_threshold=book_threshold,
        maintenance_threshold=limit / MICRO,
        has_potential=_has_field(p, "potential"),
        rev=rev,
    )


def cell_of_all(result: Assignment) -> np.ndarray:
    """Per account: "A".."E" for customers, "" for the others (tables, downloads); kept
    with the assignment."""

    def compute() -> np.ndarray:
        c = cells(result)
        out = np.full(result.prepared.n_accounts, "", dtype=object)
        out[: c.size] = np.array(CELLS, dtype=object)[c.cell]
        return frozen(out)

    return result.derive("matrix.cell_of_all", compute)


def maintenance_hours(result: Assignment) -> np.ndarray:
    """Per account: maintenance in hours (NaN for non-customers); kept with the
    assignment."""

    def compute() -> np.ndarray:
        c = cells(result)
        out = np.full(result.prepared.n_accounts, np.nan)
        out[: c.size] = c.maintenance.micro / MICRO
        return frozen(out)

    return result.derive("matrix.maintenance_hours", compute)


def roti_by(result: Assignment, by: str) -> pd.DataFrame:
    """Revenue, hours (12 months, on the accounts owned) and ROTI per segment or seller
    ("segment" / "seller"), over all accounts; ROTI NaN where no time was spent."""
    p = result.prepared
    hours = result.hours_12m
    if by == "segment":
        codes, labels = result.segment.astype(np.int64), list(SEGMENTS)
    else:
        codes, labels = p.owner_codes.astype(np.int64), list(p.owner_labels)
    n = len(labels)
    units = np.zeros(n, dtype=np.int64)
    np.add.at(units, codes, p.rev)
    h = np.bincount(codes, weights=hours, minlength=n)
    count = np.bincount(codes, minlength=n)
    revenue = units / UNITS
    with np.errstate(divide="ignore", invalid="ignore"):
        roti = np.where(h > 0, revenue / h, np.nan)
    frame = pd.DataFrame(
        {by: labels, "accounts": count, "revenue": revenue, "hours": h, "roti": roti}
    )
    if by == "seller":
        frame = frame.sort_values(["roti", by], ascending=[False, True], na_position="last")
    return frame.reset_index(drop=True)


def cell_positions(result: Assignment, cell: str) -> np.ndarray:
    """Customer positions in one cell, in key order (revenue descending, id ascending)."""
    return np.flatnonzero(cells(result).cell == CELLS.index(cell))


def key_revenue_default(result: Assignment) -> float | None:
    """The default revenue threshold (the smallest key revenue of the rule, overrides
    ignored), when the book has one threshold; None when per group or without key."""
    if result.settings.key.within != "book":
        return None
    t = result.key_threshold[: result.prepared.n_customers]
    t = t[t >= 0]
    return float(Decimal(int(t[0])).scaleb(-4)) if t.size else None


SAMPLE = 20_000
"""Values the slider stops of a threshold are taken from, at most."""


def threshold_choices(
    values: np.ndarray, extra: tuple[float, ...] = (), n: int = 40
) -> list[float]:
    """Slider stops for a threshold over `values`: ~n quantiles rounded to two significant
    digits (a facilitator picks "50K", not "49,871.23"), plus the `extra` values exactly."""
    present = values[np.isfinite(values) & (values > 0)]
    if present.size > SAMPLE:
        # Stops rounded to two digits need no exact quantiles: every k-th value gives
        # the same stops, give or take one, at a tenth of the cost (~2.4 ms at 100k).
        present = present[:: present.size // SAMPLE]
    stops: set[float] = {float(v) for v in extra}
    if present.size:
        # Sorted first: numpy's quantiles of a sorted array take a third of the time.
        qs = np.quantile(np.sort(present), np.linspace(0, 1, n))
        digits = 1 - np.floor(np.log10(qs)).astype(np.int64)  # two significant digits
        stops.update(float(round(float(q), int(d))) for q, d in zip(qs, digits, strict=True))
    stops.discard(0.0)
    return sorted(stops)
