"""Moving the time: bring over-served accounts to their programme and move the freed hours.

Rules (DOMAIN.md section 6; hours are those of the last 12 months, on the accounts a
seller owns):
- an account is over-served when its hours exceed its required hours x (1 + tolerance),
  or has any hours when it requires none (`Assignment.served`; the tolerance is the Bands
  page's); required hours are its band's programme, the prospecting programme for target
  prospects, none for extra prospects and leads;
- what is cut: every over-served account, or the over-served customers of the chosen A-E
  cells; bringing one to its programme frees hours - required (all its hours when it
  requires none);
- freed hours stay with the account's owner ("Unassigned" is a pool of its own); each
  owner's freed hours go, in the user's order of destinations (default: at-risk key
  accounts, growth candidates, target prospects), to that owner's accounts whose hours
  are below their requirement, each up to its requirement;
- inside a destination the accounts are served in key order (revenue descending, id
  ascending); target prospects by their prospect rank (best first), then id. The order
  inside a destination changes who gets the hours, never a destination's total;
- hours are conserved: per owner, freed = allocated + unallocated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from alms import matrix
from alms.analysis import Assignment, segmenting_key
from alms.prepared import frozen
from alms.prospects import state as prospect_state
from alms.reading.ingest import many
from alms.settings import CELLS, DESTINATIONS, SEGMENTS

REASONS = (
    "",
    "over-served: bring to programme",
    "at-risk key account: raise to programme",
    "growth candidate: raise to programme",
    "target prospect: raise to programme",
)
"""Per account reason code: 0 untouched, 1 cut, then 2 + the destination's index."""
DESTINATION_LABELS = {
    "at_risk": ("at-risk key account", "at-risk key accounts"),
    "growth": ("growth candidate", "growth candidates"),
    "prospects": ("target prospect", "target prospects"),
}


def destinations(result: Assignment) -> dict[str, np.ndarray]:
    """Per destination, which accounts may receive hours (before the below-requirement
    test): at-risk key accounts, growth candidates, target prospects."""
    lists = prospect_state(result.prepared).code
    return {
        "at_risk": result.risk.at_risk,
        "growth": result.growth,
        "prospects": lists == 0,
    }


@dataclass(frozen=True)
class Plan:
    """The what-if's moves: per account hours before, freed and added (prepared order)."""

    result: Assignment
    before: np.ndarray  # hours, 12 months
    required: np.ndarray
    freed: np.ndarray  # hours taken off (cut accounts)
    added: np.ndarray  # hours given (destinations)
    reason: np.ndarray  # int8 index into REASONS
    cut: np.ndarray
    """Positions of the cut accounts (reason 1), in prepared order."""
    given: np.ndarray
    """Positions of the accounts given hours (reason >= 2), in prepared order: the sums
    per destination run over these (the same values in the same order as a mask over
    every account, so the same sums), not over a million accounts."""
    pool: np.ndarray
    """Hours freed per owner (owner code order)."""

    @property
    def after(self) -> np.ndarray:
        return self.before - self.freed + self.added

    @cached_property
    def per_owner(self) -> pd.DataFrame:
        """One row per owner with freed or allocated hours: freed, allocated per
        destination, unallocated (= freed - allocated), hours before and after."""
        p = self.result.prepared
        n = len(p.owner_labels)
        codes, reason = p.owner_codes[self.given], self.reason[self.given]
        freed = self.pool
        columns: dict[str, np.ndarray] = {"seller": np.asarray(p.owner_labels, dtype=object)}
        columns["hours_before"] = hours_per_owner(self.result)
        columns["freed"] = freed
        allocated = np.zeros(n)
        added = self.added[self.given]
        for j, name in enumerate(DESTINATIONS):
            got = np.zeros(n)
            mask = reason == 2 + j
            if mask.any():
                got = np.bincount(codes[mask], weights=added[mask], minlength=n)
            columns[name] = got
            allocated += got
        columns["allocated"] = allocated
        columns["unallocated"] = np.maximum(freed - allocated, 0.0)
        columns["hours_after"] = columns["hours_before"] - freed + allocated
        # Most freed first, then by name (owner codes follow the sorted names).
        shown = np.flatnonzero((freed > 0) | (columns["hours_before"] > 0))
        shown = shown[np.lexsort((shown, -freed[shown]))]
        return pd.DataFrame({name: values[shown] for name, values in columns.items()})

    def totals(self) -> dict:
        """`alms summary`'s what_if: hours freed, allocated per destination, unallocated
        (kept: the page's figures and its headline both read it)."""
        return self._totals

    @cached_property
    def _totals(self) -> dict:
        reason, added = self.reason[self.given], self.added[self.given]
        freed = float(self.freed.sum())
        allocated = {
            name: float(added[reason == 2 + j].sum()) for j, name in enumerate(DESTINATIONS)
        }
        per_reason = np.bincount(reason, minlength=len(REASONS))
        counts = {name: int(per_reason[2 + j]) for j, name in enumerate(DESTINATIONS)}
        return {
            "hours_freed": freed,
            "allocated": allocated,
            "unallocated": max(freed - sum(allocated.values()), 0.0),
            "accounts": {"cut": len(self.cut)} | counts,
        }

    def headline(self) -> str:
        """'Cutting ... frees 1,240 h; 610 h go to 9 at-risk key accounts, ...; 130 h stay
        unallocated.'"""
        t = self.totals()
        s = self.result.settings.what_if
        what = (
            "every over-served account"
            if s.cut == "over_served"
            else "over-served accounts in " + _cells_text(s.cells)
        )
        if not t["accounts"]["cut"]:
            return f"Cutting {what} frees no hours: none is over-served."
        parts = [
            f"{t['allocated'][name]:,.0f} h to {many(t['accounts'][name], *DESTINATION_LABELS[name])}"
            for name in s.order
            if t["accounts"][name]
        ]
        moved = ", ".join(parts) if parts else "no account below its programme takes any"
        return (
            f"Cutting {what} ({many(t['accounts']['cut'], 'account', 'accounts')}) frees "
            f"{t['hours_freed']:,.0f} h: {moved}; {t['unallocated']:,.0f} h stay unallocated."
        )

    def by_segment(self, owner: str | None = None) -> pd.DataFrame:
        """Hours per segment before and after (before - freed + added), for the team or
        one owner."""
        p, r = self.result.prepared, self.result
        k = len(SEGMENTS)
        if owner is None:  # the team: only the cut and the given accounts are summed
            hours = p.memo(
                "whatif.hours_per_segment",
                (segmenting_key(r.settings), r.settings.minutes_per_type),
                lambda: np.bincount(r.segment, weights=self.before, minlength=k),
            )
            freed = np.bincount(r.segment[self.cut], weights=self.freed[self.cut], minlength=k)
            added = np.bincount(r.segment[self.given], weights=self.added[self.given], minlength=k)
        else:
            mask = p.owner_codes == _owner_code(p, owner)
            seg = r.segment[mask]
            hours = np.bincount(seg, weights=self.before[mask], minlength=k)
            freed = np.bincount(seg, weights=self.freed[mask], minlength=k)
            added = np.bincount(seg, weights=self.added[mask], minlength=k)
        return pd.DataFrame({"segment": SEGMENTS, "before": hours, "after": hours - freed + added})

    def moves(self, limit: int | None = None) -> pd.DataFrame:
        """The list of moves: account, seller, hours before, after, change, reason; by
        seller, cuts first, then destinations in order, largest change first."""
        p = self.result.prepared
        idx = np.flatnonzero(self.reason > 0)
        change = (self.added - self.freed)[idx]
        owner = p.owner_codes[idx]
        if limit is not None and idx.size > limit:
            # The first `limit` rows belong to the first sellers whose moves reach it:
            # sort only theirs (the whole list takes ~8 ms at 60k moves).
            reach = np.cumsum(np.bincount(owner, minlength=len(p.owner_labels)))
            keep = owner <= int(np.searchsorted(reach, limit, side="left"))
            idx, change, owner = idx[keep], change[keep], owner[keep]
        # Sellers by name: owner codes follow the sorted labels.
        order = np.lexsort((idx, -np.abs(change), self.reason[idx], owner))
        idx = idx[order]
        if limit is not None:
            idx = idx[:limit]
        cols = ["account_id", "account_name", "owner", "revenue"]
        frame = p.rows(idx, cols)
        frame["segment"] = np.array(SEGMENTS, dtype=object)[self.result.segment[idx]]
        frame["cell"] = matrix.cell_of_all(self.result)[idx]
        frame["required_hours"] = self.required[idx]
        frame["hours_before"] = self.before[idx]
        frame["hours_after"] = self.after[idx]
        frame["change"] = self.added[idx] - self.freed[idx]
        frame["reason"] = np.array(REASONS, dtype=object)[self.reason[idx]]
        return frame


def _cells_text(cells: tuple[str, ...]) -> str:
    chosen = [c for c in CELLS if c in cells]
    if not chosen:
        return "no cell"
    return ("cell " if len(chosen) == 1 else "cells ") + " and ".join(
        [", ".join(chosen[:-1]), chosen[-1]] if len(chosen) > 1 else chosen
    )


def _owner_code(p, owner: str) -> int:
    hit = np.flatnonzero(np.asarray(p.owner_labels) == owner)
    return int(hit[0]) if hit.size else -1


def hours_per_owner(result: Assignment) -> np.ndarray:
    """Hours in the 12 months per owner (owner code order), kept per book while the
    default minutes stay: no what-if knob changes them."""
    p = result.prepared
    return p.memo(
        "whatif.hours_per_owner",
        result.settings.minutes_per_type,
        lambda: np.bincount(p.owner_codes, weights=result.hours_12m, minlength=len(p.owner_labels)),
    )


def plan(result: Assignment) -> Plan:
    """The what-if under the assignment's settings (kept with the assignment)."""
    return result.derive("whatif.plan", lambda: _plan(result))


def change(result: Assignment) -> np.ndarray:
    """Per account: hours after the what-if minus hours before (the Assignments column)."""
    plan_ = plan(result)
    return plan_.added - plan_.freed


def cut_mask(result: Assignment) -> np.ndarray:
    """The accounts the what-if brings to their programme."""
    over = result.over_served
    s = result.settings.what_if
    if s.cut == "over_served":
        return over
    chosen = np.zeros(result.prepared.n_accounts, dtype=bool)
    c = matrix.cells(result)
    picked = [CELLS.index(x) for x in s.cells]
    chosen[: c.size] = np.isin(c.cell, picked)
    return over & chosen


@dataclass(frozen=True)
class Queue:
    """The accounts that may receive hours, in the order they are served: by owner, then
    destination (the user's order), then inside it (key order; target prospects by rank),
    with the hours each lacks to its programme. No tolerance or cut changes it."""

    positions: np.ndarray  # int64
    owner: np.ndarray  # int64 owner code per queued account
    destination: np.ndarray  # int64 index into settings.what_if.order
    gap: np.ndarray  # hours below the requirement (> 0)


def queue(result: Assignment) -> Queue:
    """The queue under the assignment's settings, kept per book while what it depends on
    stays (the segmentation and at-risk rule, minutes, programme, destination order): a
    tolerance or cut move reuses it (the sort costs ~20 ms at 1M accounts)."""
    s = result.settings
    key = (
        segmenting_key(s),
        s.at_risk,
        s.minutes_per_type,
        s.bands,
        s.prospecting,
        s.what_if.order,
    )
    return result.prepared.memo("whatif.queue", key, lambda: _queue(result))


def _queue(result: Assignment) -> Queue:
    p = result.prepared
    before, required = result.hours_12m, result.required_hours
    gap = np.where(before < required, required - before, 0.0)
    order = result.settings.what_if.order
    owner = p.owner_codes.astype(np.int64)
    dest = destinations(result)
    rank_of = np.full(p.n_accounts, -1, dtype=np.int64)
    for r, name in enumerate(order):
        hit = dest[name] & (gap > 0) & (rank_of < 0)
        rank_of[hit] = r
    idx = np.flatnonzero(rank_of >= 0)
    # Inside a destination: key order (positions), target prospects by rank score.
    score = prospect_state(p).score
    tiebreak = np.where(np.isnan(score[idx]), 0.0, -score[idx])
    is_prospects = np.array([name == "prospects" for name in order], dtype=bool)[rank_of[idx]]
    tiebreak = np.where(is_prospects, tiebreak, 0.0)
    idx = idx[np.lexsort((idx, tiebreak, rank_of[idx], owner[idx]))]
    return Queue(
        positions=frozen(idx),
        owner=frozen(owner[idx]),
        destination=frozen(rank_of[idx]),
        gap=frozen(gap[idx]),
    )


def _plan(result: Assignment) -> Plan:
    p = result.prepared
    n = p.n_accounts
    before = result.hours_12m
    required = result.required_hours
    cut = np.flatnonzero(cut_mask(result))
    freed = np.zeros(n)
    freed[cut] = np.maximum(before[cut] - required[cut], 0.0)
    reason = np.zeros(n, dtype=np.int8)  # 1: cut; 2.. a destination, set below
    reason[cut] = 1
    added = np.zeros(n)
    order = result.settings.what_if.order
    # Per owner, the cut accounts' freed hours (bincount adds in order: the other
    # accounts' zeros would change nothing).
    pool = np.bincount(p.owner_codes[cut], weights=freed[cut], minlength=len(p.owner_labels))
    given = np.zeros(0, dtype=np.int64)
    if pool.sum() > 0 and order:
        q = queue(result)
        served = pool[q.owner] > 0  # a filter keeps the queue's order
        idx, o, g = q.positions[served], q.owner[served], q.gap[served]
        if idx.size:
            cum = np.cumsum(g)
            starts = np.flatnonzero(np.r_[True, o[1:] != o[:-1]])
            lengths = np.diff(np.r_[starts, len(idx)])
            offset = np.repeat(cum[starts] - g[starts], lengths)
            before_me = cum - g - offset  # gaps served earlier within the same owner
            give = np.clip(pool[o] - before_me, 0.0, g)
            hit = give > 0
            added[idx[hit]] = give[hit]
            dest_code = np.array([2 + DESTINATIONS.index(name) for name in order], np.int8)
            reason[idx[hit]] = dest_code[q.destination[served][hit]]
            given = np.sort(idx[hit])
    return Plan(result, before, required, freed, added, reason, cut, given, pool)
