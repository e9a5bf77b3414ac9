"""assign(): one row per account with its segment, band, hours and flags.

Rules (DOMAIN.md, "Exact definitions"):
- a customer has revenue > 0; other accounts are leads (status lead) or prospects;
- key, cumulative rule: customers by revenue descending, ties by account id ascending;
  key = the shortest prefix whose revenue sum is >= X% of all customers' revenue;
- key, count rule: the first ceil(Y% x customers) of that order;
- within a region or owner scope the same rules run on each group's customers;
- bands are left-closed: Zero = revenue 0; (0, t1); [t1, t2); ...; [tn, inf);
- hours = recorded minutes / 60, a blank duration counting its type's default minutes;
- growth candidate = a secondary customer with potential >= growth_factor x the key
  threshold of its group: the revenue of the last account the rule puts in the key set
  (manual overrides do not move it).

Everything here reads the Prepared arrays: a slider move is a few binary searches and
vector operations, no SQL.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from alms.prepared import UNITS, Prepared, frozen
from alms.prospects import never_mask
from alms.prospects import state as prospect_state
from alms.settings import ACTIVITY_TYPES, SEGMENTS, Settings, pct_fraction

KEY, SECONDARY, PROSPECT, LEAD = range(4)


def cumulative_cut(cum: np.ndarray, pct: float) -> int:
    """Length of the shortest prefix whose sum (last of `cum`) reaches pct% of the total.

    `cum` holds exact integer running sums. Target = ceil(total x pct / 100), so the
    comparison `prefix >= target` is exact. A total of 0 or pct of 0 gives 0.
    """
    if len(cum) == 0:
        return 0
    total = int(cum[-1])
    target = math.ceil(Fraction(total) * Fraction(pct_fraction(pct)))
    if target <= 0:
        return 0
    return min(int(np.searchsorted(cum, target, side="left")) + 1, len(cum))


def count_cut(n: int, pct: float) -> int:
    """ceil(pct% x n), exact for decimal percentages."""
    return min(math.ceil(Fraction(n) * Fraction(pct_fraction(pct))), n)


@lru_cache(maxsize=64)
def categories(labels: tuple[str, ...]) -> pd.CategoricalDtype:
    """The categorical type of a column of these labels, built once (pandas checks the
    labels each time one is built: ~0.3 ms per column and table)."""
    return pd.CategoricalDtype(list(labels))


@dataclass
class Assignment:
    """The result of `assign`: arrays in the prepared (canonical) order."""

    prepared: Prepared
    settings: Settings
    segment: np.ndarray  # int8: KEY, SECONDARY, PROSPECT, LEAD
    band: np.ndarray  # int16: index into settings.bands.labels
    growth: np.ndarray  # bool
    overridden: np.ndarray  # bool
    excluded: np.ndarray  # bool: outlier left out of the key cut
    key_threshold: np.ndarray  # int64 units: the rule's smallest key revenue in the group
    cache: dict = field(default_factory=dict)
    """Values other modules derive from this assignment, kept with it (see `derive`)."""

    def derive(self, name: str, compute):
        """compute(), once per assignment (the workspace keeps one per settings)."""
        if name not in self.cache:
            self.cache[name] = compute()
        return self.cache[name]

    @cached_property
    def hours_12m(self) -> np.ndarray:
        """Hours per account in the 12 months up to the as-of date."""
        return _hours(self.prepared, "12m", self.settings)

    @cached_property
    def scores(self):  # -> alms.scorecard.Scores | None (imported late: it imports this)
        """The strategic scorecard's scores under these settings (None: no scorecard)."""
        from alms.scorecard import score

        return score(self)

    @cached_property
    def risk(self):  # -> alms.timeuse.Risk (imported late: it imports this module)
        """Key accounts at risk under these settings (falling revenue, no contact); kept
        per book while the segmentation and the at-risk rule stay the same."""
        from alms.timeuse import risk

        key = (segmenting_key(self.settings), self.settings.at_risk)
        return self.prepared.memo("risk", key, lambda: risk(self))

    @cached_property
    def strategic(self) -> np.ndarray:
        """bool per account: in the scorecard's strategic set (all False without one)."""
        out = np.zeros(self.prepared.n_accounts, dtype=bool)
        if self.scores is not None:
            out[: self.scores.size] = self.scores.strategic
        return out

    @cached_property
    def score(self) -> np.ndarray:
        """Scorecard score per account, 0-100 (NaN outside the scored population)."""
        out = np.full(self.prepared.n_accounts, np.nan)
        if self.scores is not None:
            out[: self.scores.size] = self.scores.score
        return out

    @cached_property
    def hours_all(self) -> np.ndarray:
        """Hours per account over all activities."""
        return _hours(self.prepared, "all", self.settings)

    @cached_property
    def band_runs(self) -> tuple[np.ndarray, np.ndarray]:
        """(start, band) of each run of equal bands along the canonical order.

        Bands follow revenue, and accounts are sorted by revenue, so each band is one
        contiguous run: per-band sums are one np.add.reduceat, not a weighted bincount.
        """
        change = np.flatnonzero(np.diff(self.band)) + 1
        starts = np.concatenate([[0], change]) if len(self.band) else np.zeros(0, np.int64)
        return starts, self.band[starts]

    def per_band(self, values: np.ndarray) -> np.ndarray:
        """Sum of `values` (one per account) per band, in band order."""
        starts, bands = self.band_runs
        out = np.zeros(len(self.settings.bands.labels))
        if len(starts):
            np.add.at(out, bands, np.add.reduceat(values.astype(float, copy=False), starts))
        return out

    @cached_property
    def over_served(self) -> np.ndarray:
        """Over-served per account: hours_12m > required x (1 + tolerance), or any hours
        where the programme asks none."""
        tol = self.settings.service_tolerance_pct / 100
        req, act = self.required_hours, self.hours_12m
        return np.where(req > 0, act > req * (1 + tol), act > 0)

    @cached_property
    def served(self) -> tuple[np.ndarray, np.ndarray]:
        """(over-served, under-served) per account against the engagement programme;
        under: hours_12m < required x (1 - tolerance)."""
        tol = self.settings.service_tolerance_pct / 100
        req, act = self.required_hours, self.hours_12m
        return self.over_served, (req > 0) & (act < req * (1 - tol))

    @cached_property
    def required_hours(self) -> np.ndarray:
        """Hours per year the programme asks for each account: its band's, except that
        target prospects follow the prospecting programme and extra prospects and leads
        require no proactive time (DOMAIN.md section 6)."""
        s, p = self.settings, self.prepared

        def compute() -> np.ndarray:
            per_band = np.array([e.hours_per_year for e in s.bands.programme])
            required = per_band[self.band]
            lists = prospect_state(p).code
            required[lists == 0] = s.prospecting.hours_per_year
            required[(lists == 1) | (lists == 2)] = 0.0
            return frozen(required)

        # Kept per book: a tolerance or cut-off move leaves the programme as it was.
        return p.memo("required_hours", (s.bands, s.prospecting), compute)

    def override_notes(self, positions: np.ndarray) -> np.ndarray:
        """Per position: "" or the manual segment and its reason, e.g. "key: strategic logo".

        The mark every table shows next to an overridden account.
        """
        notes = np.full(len(positions), "", dtype=object)
        hit = np.flatnonzero(self.overridden[positions])
        if hit.size:
            by_id = {o.account_id: o for o in self.settings.overrides}
            ids = self.prepared.frame["account_id"].iloc[positions[hit]]
            for j, account_id in zip(hit, ids, strict=True):
                o = by_id[str(account_id)]
                notes[j] = f"{o.segment}: {o.reason}" if o.reason else o.segment
        return notes

    def counts(self) -> dict[str, int]:
        c = np.bincount(self.segment, minlength=4)
        return {name: int(c[i]) for i, name in enumerate(SEGMENTS)}

    def revenue_units(self) -> dict[str, int]:
        """Exact revenue per segment in units (integer sums; bincount would go via float)."""
        return {
            name: int(self.prepared.rev[self.segment == i].sum()) for i, name in enumerate(SEGMENTS)
        }

    def band_counts(self) -> dict[str, int]:
        c = np.bincount(self.band, minlength=len(self.settings.bands.labels))
        return {label: int(c[i]) for i, label in enumerate(self.settings.bands.labels)}

    def frame(
        self, positions: np.ndarray | None = None, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """One row per account for tables and downloads (canonical order), or only the
        rows at `positions` (building a few rows of a 1M-account book costs nothing).

        `columns`: only these (in the frame's own order); a table that shows a few
        columns then never computes the others (the what-if plan, the at-risk rule)."""
        base = self.prepared.frame
        want = None if columns is None else set(columns)

        def wanted(name: str) -> bool:
            return want is None or name in want

        take = slice(None) if positions is None else positions
        every = np.arange(self.prepared.n_accounts) if positions is None else positions
        from alms import matrix, timeuse, whatif  # late: they import this module

        derived = {
            "segment": lambda: pd.Categorical.from_codes(
                self.segment[take], dtype=categories(SEGMENTS)
            ),
            "band": lambda: pd.Categorical.from_codes(
                self.band[take], dtype=categories(self.settings.bands.labels)
            ),
            "hours_12m": lambda: self.hours_12m[take],
            "required_hours": lambda: self.required_hours[take],
            "growth_candidate": lambda: self.growth[take],
            "overridden": lambda: self.overridden[take],
            "override": lambda: self.override_notes(every),
            "at_risk": lambda: self.risk.at_risk[take],
            "cell": lambda: matrix.cell_of_all(self)[take],
            "maintenance": lambda: matrix.maintenance_hours(self)[take],
            "roti": lambda: timeuse.roti(self)[take],
            "what_if_change": lambda: whatif.change(self)[take],
        }
        if self.prepared.last_contact is not None:
            derived["last_contact"] = lambda: self.prepared.last_contact[take]
        if self.settings.scorecard is not None:
            derived["score"] = lambda: self.score[take]
            derived["strategic"] = lambda: self.strategic[take]
        if self.settings.never_prospect:  # the file's flag or one set by hand
            derived["never_prospect"] = lambda: never_mask(
                self.prepared, self.settings.never_prospect
            )[take]
        extra = {name: compute() for name, compute in derived.items() if wanted(name)}
        # Rows and columns in one take: a column subset first would copy every row.
        keep = [i for i, c in enumerate(base.columns) if wanted(c)]
        df = base.iloc[take, keep].reset_index(drop=True)
        for name in [c for c in df.columns if c in extra]:  # never_prospect, in its place
            df[name] = extra.pop(name)
        if not extra:
            return df
        # The derived columns joined in one go: a column added at a time costs ~0.2 ms
        # each (a table shows up to ~12).
        return pd.concat([df, pd.DataFrame(extra, index=df.index)], axis=1)

    def select(
        self,
        segments: Sequence[str] = (),
        bands: Sequence[str] = (),
        owners: Sequence[str] = (),
        growth_only: bool = False,
        overridden_only: bool = False,
        strategic_only: bool = False,
        query: str = "",
        at_risk_only: bool = False,
        cells: Sequence[str] = (),
    ) -> np.ndarray:
        """Positions of the accounts matching every filter given (canonical order)."""
        p = self.prepared
        mask = np.ones(p.n_accounts, dtype=bool)
        if segments:
            mask &= np.isin(self.segment, [SEGMENTS.index(s) for s in segments])
        if bands:
            labels = list(self.settings.bands.labels)
            mask &= np.isin(self.band, [labels.index(b) for b in bands if b in labels])
        if owners:
            mask &= np.isin(p.owner_codes, np.flatnonzero(np.isin(p.owner_labels, owners)))
        if growth_only:
            mask &= self.growth
        if overridden_only:
            mask &= self.overridden
        if strategic_only:
            mask &= self.strategic
        if at_risk_only:
            mask &= self.risk.at_risk
        if cells:
            from alms.matrix import cell_of_all  # late: it imports this module

            mask &= np.isin(cell_of_all(self), list(cells))
        if query:
            found = p.frame["account_name"].astype(str).str.contains(
                query, case=False, regex=False
            ) | p.frame["account_id"].astype(str).str.contains(query, case=False, regex=False)
            mask &= found.to_numpy()
        return np.flatnonzero(mask)


def _hours(p: Prepared, window: str, settings: Settings) -> np.ndarray:
    """Hours per account: recorded minutes plus blank durations at their type's default.

    Memoised per book on the minutes per type: no other setting changes it.
    """

    def compute() -> np.ndarray:
        minutes, blanks = (
            (p.minutes_12m, p.blanks_12m) if window == "12m" else (p.minutes_all, p.blanks_all)
        )
        defaults = np.array([settings.minutes(t) for t in ACTIVITY_TYPES], dtype=float)
        return (minutes.sum(axis=1) + blanks @ defaults) / 60

    return p.memo(f"hours.{window}", settings.minutes_per_type, compute)


def at_least_times(values: np.ndarray, base: np.ndarray, factor: float) -> np.ndarray:
    """values >= base x factor, exactly, for integer arrays and a decimal factor.

    The factor is taken as the decimal it is written as (0.1 is 1/10, not the binary
    0.1000000000000000055...), so a potential of exactly 0.1 x the threshold qualifies.
    """
    num, den = Decimal(str(factor)).as_integer_ratio()
    if num == den:  # a factor of 1 (the default): no product, nothing to overflow
        return values >= base
    limit = np.iinfo(np.int64).max // max(num, den, 1)
    if len(values) and max(int(np.abs(values).max()), int(np.abs(base).max())) > limit:
        values, base = values.astype(object), base.astype(object)  # Python ints: exact
    return values * den >= base * num


def blank_durations(p: Prepared) -> dict[str, int]:
    """Activities in the last 12 months with no duration, per type: the ones the
    per-type default minutes apply to."""
    counts = p.memo("blank_durations", None, lambda: p.blanks_12m.sum(axis=0))
    return {t: int(c) for t, c in zip(ACTIVITY_TYPES, counts, strict=True)}


def band_codes(rev_units: np.ndarray, thresholds: tuple[float, ...]) -> np.ndarray:
    """Band index per revenue: 0 for revenue 0, else 1 + number of thresholds <= revenue."""
    edges = np.array([round(t * UNITS) for t in thresholds], dtype=np.int64)
    codes = 1 + np.searchsorted(edges, rev_units, side="right")
    codes[rev_units <= 0] = 0
    return codes.astype(np.int16)


@dataclass(frozen=True)
class Segmentation:
    """What `assign` computes from the key rule, outliers, overrides and growth factor
    (read-only arrays, shared by every assignment with those settings)."""

    segment: np.ndarray
    growth: np.ndarray
    overridden: np.ndarray
    excluded: np.ndarray
    key_threshold: np.ndarray


def segmenting_key(settings: Settings) -> tuple:
    """The settings segments and growth flags depend on, and nothing else: a move of any
    other knob (a tolerance, a weight, a window) reuses the segmentation."""
    return (settings.key, settings.exclude_above, settings.overrides, settings.growth_factor)


def assign(prepared: Prepared, settings: Settings) -> Assignment:
    """Segment, band and flag every account under `settings` (see the module rules).

    The segmentation is kept per book while `segmenting_key(settings)` stays the same,
    and the bands while the thresholds do."""
    p = prepared
    seg = p.memo("assign.segmentation", segmenting_key(settings), lambda: _segment(p, settings))
    return Assignment(
        prepared=p,
        settings=settings,
        segment=seg.segment,
        band=p.memo(
            "band_codes",
            settings.bands.thresholds,
            lambda: frozen(band_codes(p.rev, settings.bands.thresholds)),
        ),
        growth=seg.growth,
        overridden=seg.overridden,
        excluded=seg.excluded,
        key_threshold=seg.key_threshold,
    )


def _segment(prepared: Prepared, settings: Settings) -> Segmentation:
    p, rule = prepared, settings.key
    n, nc = p.n_accounts, p.n_customers
    segment = np.where(p.is_lead, LEAD, PROSPECT).astype(np.int8)
    segment[:nc] = SECONDARY
    threshold = np.full(n, -1, dtype=np.int64)
    excluded = np.zeros(n, dtype=bool)
    if settings.exclude_above is not None:
        excluded[:nc] = p.rev[:nc] > round(settings.exclude_above * UNITS)
    if rule.within == "book":
        groups = [np.arange(nc)]
    else:
        g = p.groups(rule.within)
        groups = [g.order[g.starts[i] : g.starts[i + 1]] for i in range(len(g.starts) - 1)]
    for members in groups:
        if excluded.any():
            members = members[~excluded[members]]
        if rule.rule == "cumulative":
            whole_book = rule.within == "book" and not excluded.any()
            cum = p.cum if whole_book else np.cumsum(p.rev[members])
            k = cumulative_cut(cum, rule.cumulative_pct)
        else:
            k = count_cut(len(members), rule.count_pct)
        segment[members[:k]] = KEY
        if k:
            threshold[members] = p.rev[members[k - 1]]
    overridden = np.zeros(n, dtype=bool)
    if settings.overrides:
        pos = p.positions_of([o.account_id for o in settings.overrides])
        for i, o in zip(pos, settings.overrides, strict=True):
            if i >= 0 and i < nc and o.segment in ("key", "secondary"):
                segment[i] = KEY if o.segment == "key" else SECONDARY
                overridden[i] = True
    growth = (
        (segment == SECONDARY)
        & (threshold >= 0)
        & (p.potential >= 0)
        & at_least_times(p.potential, threshold, settings.growth_factor)
    )
    return Segmentation(
        segment=frozen(segment),
        growth=frozen(growth),
        overridden=frozen(overridden),
        excluded=frozen(excluded),
        key_threshold=frozen(threshold),
    )
