"""The Pareto view of a book: scopes, both headline facts, the curve, what changed.

A scope (the whole team, one region, one seller) restricts which customers are looked
at. The key set restricted to a scope is still a prefix of the scope's revenue order, so
the cut-off is one position on the scope's curve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alms.analysis import KEY, SECONDARY, Assignment, count_cut, cumulative_cut
from alms.prepared import UNITS, Prepared


@dataclass(frozen=True)
class Scope:
    """Which accounts a page looks at: kind "team", "region" or "owner", and its value."""

    kind: str = "team"
    value: str | None = None

    @property
    def label(self) -> str:
        if self.kind == "team":
            return "the whole team"
        return f"{'region' if self.kind == 'region' else 'seller'} {self.value}"


def scope_mask(prepared: Prepared, scope: Scope) -> np.ndarray:
    """Accounts in the scope (bool per account, canonical order)."""
    if scope.kind == "team":
        return np.ones(prepared.n_accounts, dtype=bool)
    codes, labels = (
        (prepared.region_codes, prepared.region_labels)
        if scope.kind == "region"
        else (prepared.owner_codes, prepared.owner_labels)
    )
    hits = np.flatnonzero(labels == scope.value)
    return codes == hits[0] if hits.size else np.zeros(prepared.n_accounts, dtype=bool)


def customer_positions(
    prepared: Prepared, scope: Scope, excluded: np.ndarray | None = None
) -> np.ndarray:
    """Positions of the scope's customers, in revenue order, without the outliers that
    `excluded` marks (they leave the key cut, so the curve and headline leave them too)."""
    if scope.kind == "team":
        pos = np.arange(prepared.n_customers)
    else:
        pos = np.flatnonzero(scope_mask(prepared, scope)[: prepared.n_customers])
    if excluded is not None and excluded.any():
        pos = pos[~excluded[pos]]
    return pos


def _cumsum(prepared: Prepared, pos: np.ndarray) -> np.ndarray:
    """Cumulative revenue of the customers at `pos` (the prepared sums when they are all
    the book's customers)."""
    if len(pos) == prepared.n_customers:
        return prepared.cum
    return np.cumsum(prepared.rev[pos])


def top_growth(result: Assignment, scope: Scope, limit: int = 15) -> pd.DataFrame:
    """The growth candidates of a scope with the largest potential - revenue gap."""
    p = result.prepared
    idx = np.flatnonzero(result.growth & scope_mask(p, scope))
    gap = p.potential[idx] - p.rev[idx]
    if len(idx) > limit:
        keep = np.argpartition(-gap, limit)[:limit]
        idx, gap = idx[keep], gap[keep]
    order = np.argsort(-gap, kind="stable")
    idx, gap = idx[order], gap[order]
    frame = p.rows(idx, ["account_name", "owner", "revenue"])
    frame = frame.assign(potential=p.potential[idx] / UNITS, gap=gap / UNITS)
    return _with_overrides(frame, result, idx)


def _with_overrides(frame: pd.DataFrame, result: Assignment, idx: np.ndarray) -> pd.DataFrame:
    """The override mark as a column, when the scenario has any overrides."""
    if result.settings.overrides:
        frame["override"] = result.override_notes(idx)
    return frame


def change_table(result: Assignment, positions: np.ndarray, limit: int = 25) -> pd.DataFrame:
    """The first `limit` accounts of a "what changed" list, with their override marks."""
    idx = positions[:limit]
    frame = result.prepared.rows(idx, ["account_name", "owner", "revenue"])
    return _with_overrides(frame, result, idx)


@dataclass(frozen=True)
class ParetoFacts:
    """Both headline facts for one scope, and the current key set's figures in it.

    Shares are fractions in [0, 1].
    """

    customers: int
    revenue: float
    cumulative_pct: float
    cumulative_count: int
    cumulative_revenue_share: float
    count_pct: float
    count_count: int
    count_revenue_share: float
    key_count: int
    key_revenue_share: float
    growth_count: int
    secondary_count: int
    zero_revenue: int
    """Accounts in the scope with revenue 0 (or none): prospects and leads."""
    count_zero: bool = False
    """Shares of accounts count the zero-revenue accounts too (Settings.count_zero_revenue)."""

    @property
    def base(self) -> int:
        """The number the share of accounts is taken of: customers, or all accounts."""
        return self.customers + (self.zero_revenue if self.count_zero else 0)

    @property
    def noun(self) -> str:
        return "accounts" if self.count_zero else "customers"

    def share_of_base(self, n: int) -> float:
        """n as a fraction of the base (0 when the base is empty)."""
        return n / self.base if self.base else 0.0

    def sentence(self, rule: str) -> str:
        """'20% of customers hold 80% of revenue' for one rule ('accounts' when the
        zero-revenue accounts are counted)."""
        n, share = (
            (self.cumulative_count, self.cumulative_revenue_share)
            if rule == "cumulative"
            else (self.count_count, self.count_revenue_share)
        )
        return f"{self.share_of_base(n):.0%} of {self.noun} hold {share:.0%} of revenue"


def facts(result: Assignment, scope: Scope) -> ParetoFacts:
    """Both rules' headline facts in the scope, and the current key set's figures.

    The rules always run on the scope's customers (revenue > 0) without the outliers
    left out of the key cut (Settings.exclude_above), so the headline, the curve and the
    key metric describe the same customers; zero-revenue accounts only change the base of
    "share of accounts" when Settings.count_zero_revenue is on.
    """
    p, s = result.prepared, result.settings.key
    pos = customer_positions(p, scope, result.excluded)
    cum = _cumsum(p, pos)
    total = int(cum[-1]) if len(cum) else 0
    k_cum = cumulative_cut(cum, s.cumulative_pct)
    k_cnt = count_cut(len(pos), s.count_pct)

    def share(k: int) -> float:
        return int(cum[k - 1]) / total if k and total else 0.0

    key = result.segment[pos] == KEY
    in_scope = scope_mask(p, scope)
    return ParetoFacts(
        customers=len(pos),
        revenue=total / UNITS,
        cumulative_pct=s.cumulative_pct,
        cumulative_count=k_cum,
        cumulative_revenue_share=share(k_cum),
        count_pct=s.count_pct,
        count_count=k_cnt,
        count_revenue_share=share(k_cnt),
        key_count=int(key.sum()),
        key_revenue_share=int(p.rev[pos][key].sum()) / total if total else 0.0,
        growth_count=int((result.growth & in_scope).sum()),
        secondary_count=int(((result.segment == SECONDARY) & in_scope).sum()),
        zero_revenue=int(in_scope[p.n_customers :].sum()),
        count_zero=result.settings.count_zero_revenue,
    )


@dataclass(frozen=True)
class Curve:
    """A decimated Pareto curve: customer share (x) against cumulative revenue share (y).

    At most `max_points` points; the ends and the requested marks are always kept, so
    the cut-off lies exactly on the drawn line. x is a share of `base` accounts.
    """

    x: np.ndarray
    y: np.ndarray
    bins_x: np.ndarray  # centre of each rank bin (customer share)
    bins_revenue: np.ndarray  # revenue of the customers in each bin
    bins_key: np.ndarray  # revenue of the key customers in each bin
    customers: int
    base: int = 0
    """Accounts the x axis is a share of: the customers, or with the zero-revenue accounts
    too; those sit on the flat tail from customers / base to 1."""
    count_zero: bool = False
    """The x axis is a share of all accounts (Settings.count_zero_revenue)."""


def curve(result: Assignment, scope: Scope, max_points: int = 1_500, n_bins: int = 50) -> Curve:
    p = result.prepared
    pos = customer_positions(p, scope, result.excluded)
    n = len(pos)
    base = n
    count_zero = result.settings.count_zero_revenue
    if count_zero:
        base = int(scope_mask(p, scope).sum()) if scope.kind != "team" else p.n_accounts
    if n == 0:
        empty = np.zeros(0)
        return Curve(empty, empty, empty, empty, empty, 0, base, count_zero)
    rev = p.rev[pos]
    cum = _cumsum(p, pos)
    total = float(cum[-1])
    key = result.segment[pos] == KEY
    k = int(key.sum())
    idx = np.unique(
        np.concatenate([np.linspace(0, n - 1, min(n, max_points)).astype(np.int64), [k - 1, k]])
    )
    idx = idx[(idx >= 0) & (idx < n)]
    x = np.concatenate([[0.0], (idx + 1) / base])
    y = np.concatenate([[0.0], cum[idx] / total])
    if base > n:  # the zero-revenue tail: flat at 100%
        x, y = np.append(x, 1.0), np.append(y, 1.0)
    bins = min(n_bins, n)
    edges = np.linspace(0, n, bins + 1).astype(np.int64)
    bin_rev = np.add.reduceat(rev.astype(float), edges[:-1]) / UNITS
    bin_key = np.add.reduceat(np.where(key, rev, 0).astype(float), edges[:-1]) / UNITS
    centres = (edges[:-1] + edges[1:]) / 2 / base
    return Curve(x, y, centres, bin_rev, bin_key, n, base, count_zero)


def key_changes(before: np.ndarray | None, after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions that entered and left the key segment between two segment arrays."""
    if before is None or before.shape != after.shape:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    was, now = before == KEY, after == KEY
    return np.flatnonzero(now & ~was), np.flatnonzero(was & ~now)
