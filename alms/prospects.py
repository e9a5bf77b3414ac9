"""Prospect lists per seller, checked against the limits, with ranked suggestions.

Lists: a non-customer is on the target, extra or lead list by its "prospect list" column
(normalised at load); without one, a lead (by status) is on the lead list and any other
non-customer is unlisted. Limits (Settings.prospects): target 5-10, extra 10-15, at most
10 leads per seller. Suggestions rank accounts by the mean percentile of the attributes
present (potential, decision-maker access, product fit); accounts flagged "never
prospect" (a column of the file, or flagged by hand in the scenario) are never suggested.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alms.prepared import UNITS, Prepared
from alms.reading.ingest import UNASSIGNED
from alms.settings import ProspectLimits

LISTS = ("target", "extra", "lead", "unlisted")
_RANK_COLUMNS = ("potential", "dm_access", "product_fit")


@dataclass(frozen=True)
class ProspectState:
    """Once per book: list code (index into LISTS, -1 for customers), rank score, and the
    non-customers grouped by owner (so one seller's accounts are a slice, not a scan)."""

    code: np.ndarray
    score: np.ndarray  # 0-1, higher = better prospect; NaN for customers
    order: np.ndarray  # non-customer positions grouped by owner code, canonical inside
    starts: np.ndarray  # where each owner's group begins in `order` (len = owners + 1)
    counts: np.ndarray  # (owners x LISTS) accounts per owner and list

    def of_owner(self, owner_code: int) -> np.ndarray:
        """Positions of one owner's non-customers, in canonical order."""
        return self.order[self.starts[owner_code] : self.starts[owner_code + 1]]


def state(p: Prepared) -> ProspectState:
    """List codes and rank scores of the book (memoised: no setting changes them)."""
    return p.memo("prospects", None, lambda: _state(p))


def _state(p: Prepared) -> ProspectState:
    n, nc = p.n_accounts, p.n_customers
    lists = p.frame["prospect_list"].fillna("").to_numpy(dtype=object)
    code = np.full(n, 3, dtype=np.int8)
    code[lists == "target"] = 0
    code[lists == "extra"] = 1
    code[(lists == "lead") | ((lists == "") & p.is_lead)] = 2
    code[:nc] = -1
    values = {
        "potential": np.where(p.potential >= 0, p.potential / UNITS, np.nan),
        "dm_access": p.frame["dm_access"].to_numpy(dtype=float),
        "product_fit": p.frame["product_fit"].to_numpy(dtype=float),
    }
    ranks = []
    for name in _RANK_COLUMNS:
        col = pd.Series(values[name][nc:])
        if col.notna().any():
            ranks.append(col.rank(pct=True).to_numpy())
    score = np.full(n, np.nan)
    if ranks:
        stacked = np.vstack(ranks)
        present = np.isfinite(stacked)
        # The mean of the ranks an account has; 0 where it has none (nanmean would warn).
        sums = np.where(present, stacked, 0.0).sum(axis=0)
        counts = present.sum(axis=0)
        score[nc:] = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    else:
        score[nc:] = 0.0
    owners = p.owner_codes[nc:]
    n_owners = len(p.owner_labels)
    order = nc + np.argsort(owners, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(owners, minlength=n_owners))])
    counts = np.zeros((n_owners, len(LISTS)), dtype=np.int64)
    np.add.at(counts, (owners, code[nc:]), 1)
    return ProspectState(code, score, order, starts, counts)


def never_mask(p: Prepared, never_ids: tuple[str, ...] = ()) -> np.ndarray:
    """Accounts never to be prospected: flagged in the file's column or by hand (ids)."""
    never = p.frame["never_prospect"].to_numpy(dtype=bool).copy()
    if never_ids:
        hits = p.positions_of(list(never_ids))
        never[hits[hits >= 0]] = True
    return never


def _owner_code(p: Prepared, seller: str) -> int | None:
    hit = np.flatnonzero(p.owner_labels == seller)
    return int(hit[0]) if hit.size else None


def seller_prospects(
    p: Prepared, seller: str, limit: int | None = None, keep: tuple[str, ...] = ()
) -> pd.DataFrame:
    """One seller's non-customers (prospects and leads), best-ranked first: account_id,
    account_name, list, score. With `limit`: the best `limit` of them, and any in `keep`."""
    owner = _owner_code(p, seller)
    if owner is None:
        return pd.DataFrame(columns=["account_id", "account_name", "list", "score"])
    ps = state(p)
    mine = ps.of_owner(owner)
    mine = mine[np.argsort(-ps.score[mine], kind="stable")]
    if limit is not None and len(mine) > limit:
        extra = p.positions_of(list(keep))
        extra = extra[np.isin(extra, mine[limit:])]
        mine = np.concatenate([mine[:limit], extra])
    frame = p.rows(mine, ["account_id", "account_name"])
    return frame.assign(list=np.array(LISTS)[ps.code[mine]], score=ps.score[mine])


def prospect_count(p: Prepared, seller: str) -> int:
    """How many non-customers (prospects and leads) the seller owns."""
    owner = _owner_code(p, seller)
    return 0 if owner is None else int(state(p).counts[owner].sum())


def flagged_by_hand(p: Prepared, seller: str, never_ids: tuple[str, ...]) -> list[str]:
    """The ids in `never_ids` that are this seller's non-customers, in the given order."""
    owner = _owner_code(p, seller)
    if owner is None or not never_ids:
        return []
    pos = p.positions_of(list(never_ids))
    mine = (pos >= 0) & (p.owner_codes[pos] == owner) & (state(p).code[pos] >= 0)
    return [i for i, hit in zip(never_ids, mine, strict=True) if hit]


def _status(counts: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return np.where(counts < lo, "too few", np.where(counts > hi, "too many", "ok"))


def by_seller(p: Prepared, limits: ProspectLimits) -> pd.DataFrame:
    """Per seller: accounts on each list and whether each list is within its limits
    (too few: below the minimum; too many: above the maximum; the bounds are allowed)."""
    counts = state(p).counts
    frame = pd.DataFrame({"seller": p.owner_labels})
    for i, name in enumerate(LISTS):
        frame[name] = counts[:, i]
    frame["target_status"] = _status(counts[:, 0], limits.target_min, limits.target_max)
    frame["extra_status"] = _status(counts[:, 1], limits.extra_min, limits.extra_max)
    frame["lead_status"] = _status(counts[:, 2], 0, limits.leads_max)
    # "Unassigned" is not a seller: its accounts are counted on the page, not checked.
    return frame[frame["seller"] != UNASSIGNED].reset_index(drop=True)


def unassigned_prospects(p: Prepared) -> int:
    """Non-customers with no owner: on nobody's list."""
    owner = _owner_code(p, UNASSIGNED)
    return 0 if owner is None else int(state(p).counts[owner].sum())


def suggestions(
    p: Prepared, limits: ProspectLimits, seller: str, never_ids: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Ranked moves that bring one seller's lists within the limits.

    Too many on a list: drop its lowest-ranked off the lists. Too few: promote the
    best-ranked from the lists below (extra -> target, lead -> extra, unlisted -> lead).
    Never-prospect accounts (the file's flag, or `never_ids` flagged by hand) are neither
    promoted nor kept: they are listed for removal.
    """
    st = state(p)
    owner = _owner_code(p, seller)
    if owner is None:
        return pd.DataFrame(columns=["action", "account_id", "account_name", "score"])
    mine = st.of_owner(owner)
    never = never_mask(p, never_ids)
    code = st.code.copy()
    moves: list[tuple[str, int]] = []
    for i in mine[never[mine] & (code[mine] < 3)]:
        moves.append((f"remove from {LISTS[code[i]]} (never prospect)", i))
        code[i] = 3
    bounds = {
        0: (limits.target_min, limits.target_max),
        1: (limits.extra_min, limits.extra_max),
        2: (0, limits.leads_max),
    }
    for tier in (0, 1, 2):
        lo, hi = bounds[tier]
        on = mine[code[mine] == tier]
        if len(on) > hi:
            worst = on[np.argsort(st.score[on], kind="stable")][: len(on) - hi]
            for i in worst:
                moves.append((f"drop from {LISTS[tier]}", i))
                code[i] = 3
        elif len(on) < lo:
            pool = mine[(code[mine] > tier) & ~never[mine] & ~np.isin(mine, [i for _, i in moves])]
            best = pool[np.argsort(-st.score[pool], kind="stable")][: lo - len(on)]
            for i in best:
                moves.append((f"promote from {LISTS[code[i]]} to {LISTS[tier]}", i))
                code[i] = tier
    idx = np.array([i for _, i in moves], dtype=np.int64)
    frame = p.rows(idx, ["account_id", "account_name"])
    frame.insert(0, "action", [a for a, _ in moves])
    frame["potential"] = np.where(p.potential[idx] >= 0, p.potential[idx] / UNITS, np.nan)
    frame["dm_access"] = p.frame["dm_access"].iloc[idx].to_numpy()
    frame["product_fit"] = p.frame["product_fit"].iloc[idx].to_numpy()
    frame["score"] = st.score[idx]
    return frame
