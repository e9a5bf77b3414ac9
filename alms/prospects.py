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

from alms.ingest import UNASSIGNED
from alms.prepared import UNITS, Prepared
from alms.settings import ProspectLimits

LISTS = ("target", "extra", "lead", "unlisted")
_RANK_COLUMNS = ("potential", "dm_access", "product_fit")


@dataclass(frozen=True)
class ProspectState:
    """Once per book: list code (index into LISTS, -1 for customers) and rank score."""

    code: np.ndarray
    score: np.ndarray  # 0-1, higher = better prospect; NaN for customers


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
        score[nc:] = np.nan_to_num(np.nanmean(np.vstack(ranks), axis=0), nan=0.0)
    else:
        score[nc:] = 0.0
    return ProspectState(code, score)


def never_mask(p: Prepared, never_ids: tuple[str, ...] = ()) -> np.ndarray:
    """Accounts never to be prospected: flagged in the file's column or by hand (ids)."""
    never = p.frame["never_prospect"].to_numpy(dtype=bool).copy()
    if never_ids:
        hits = pd.Index(p.frame["account_id"]).get_indexer(list(never_ids))
        never[hits[hits >= 0]] = True
    return never


def seller_prospects(p: Prepared, seller: str) -> pd.DataFrame:
    """One seller's non-customers (prospects and leads): account_id, account_name, list."""
    owner = np.flatnonzero(p.owner_labels == seller)
    if not owner.size:
        return pd.DataFrame(columns=["account_id", "account_name", "list"])
    code = state(p).code
    mine = np.flatnonzero((p.owner_codes == owner[0]) & (code >= 0))
    frame = p.frame.iloc[mine][["account_id", "account_name"]].reset_index(drop=True)
    return frame.assign(list=np.array(LISTS)[code[mine]])


def _status(count: int, lo: int, hi: int) -> str:
    return "too few" if count < lo else "too many" if count > hi else "ok"


def by_seller(p: Prepared, limits: ProspectLimits) -> pd.DataFrame:
    """Per seller: accounts on each list and whether each list is within its limits."""
    st = state(p)
    n_sellers = len(p.owner_labels)
    frame = pd.DataFrame({"seller": p.owner_labels})
    for i, name in enumerate(LISTS):
        frame[name] = np.bincount(p.owner_codes[st.code == i], minlength=n_sellers)
    frame["target_status"] = [
        _status(v, limits.target_min, limits.target_max) for v in frame["target"]
    ]
    frame["extra_status"] = [_status(v, limits.extra_min, limits.extra_max) for v in frame["extra"]]
    frame["lead_status"] = [_status(v, 0, limits.leads_max) for v in frame["lead"]]
    # "Unassigned" is not a seller: its accounts are counted on the page, not checked.
    return frame[frame["seller"] != UNASSIGNED].reset_index(drop=True)


def unassigned_prospects(p: Prepared) -> int:
    """Non-customers with no owner: on nobody's list."""
    hit = np.flatnonzero(p.owner_labels == UNASSIGNED)
    return int(((p.owner_codes == hit[0]) & (state(p).code >= 0)).sum()) if hit.size else 0


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
    owner = np.flatnonzero(p.owner_labels == seller)
    if not owner.size:
        return pd.DataFrame(columns=["action", "account_id", "account_name", "score"])
    mine = np.flatnonzero((p.owner_codes == owner[0]) & (st.code >= 0))
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
    frame = p.frame.iloc[idx][["account_id", "account_name"]].reset_index(drop=True)
    frame.insert(0, "action", [a for a, _ in moves])
    frame["potential"] = np.where(p.potential[idx] >= 0, p.potential[idx] / UNITS, np.nan)
    frame["dm_access"] = p.frame["dm_access"].to_numpy()[idx]
    frame["product_fit"] = p.frame["product_fit"].to_numpy()[idx]
    frame["score"] = st.score[idx]
    return frame
