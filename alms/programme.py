"""The engagement programme against the hours actually spent, per band and per seller.

Required hours of an account = its band's programme hours per year (contacts x minutes
per contact + visits x minutes per visit, / 60). Actual hours = its activities' hours in
the 12 months up to the as-of date. An account is over-served when actual > required x
(1 + tolerance) (or any hours when the programme asks none), under-served when actual <
required x (1 - tolerance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alms.analysis import Assignment
from alms.prepared import UNITS
from alms.reading.ingest import UNASSIGNED


def _revenue(result: Assignment) -> np.ndarray:
    """Revenue per account as float currency units (for display sums), once per book."""
    p = result.prepared
    return p.memo("revenue_float", None, lambda: p.rev / UNITS)


def by_band(result: Assignment) -> pd.DataFrame:
    """One row per band: accounts, revenue, hours required and actual, gap, service.

    The hours part depends only on the bands, the minutes per type and the prospecting
    programme: it is memoised on them, so a tolerance move recounts only the over- and under-served accounts.
    """
    s = result.settings
    hours = result.prepared.memo(
        "programme.by_band",
        (s.bands, s.minutes_per_type, s.prospecting),
        lambda: _band_hours(result),
    )
    over, under = result.served
    return hours.assign(
        over_served=result.per_band(over).astype(int),
        under_served=result.per_band(under).astype(int),
    )[BAND_COLUMNS]


BAND_COLUMNS = [
    "band", "owner", "intent", "accounts", "revenue", "required_hours", "actual_hours",
    "gap_hours", "over_served", "under_served",
]  # fmt: skip


def _band_hours(result: Assignment) -> pd.DataFrame:
    labels = list(result.settings.bands.labels)
    frame = pd.DataFrame(
        {
            "band": labels,
            "owner": [e.owner for e in result.settings.bands.programme],
            "intent": [e.intent for e in result.settings.bands.programme],
            "accounts": np.bincount(result.band, minlength=len(labels)),
            "revenue": result.per_band(_revenue(result)),
            "required_hours": result.per_band(result.required_hours),
            "actual_hours": result.per_band(result.hours_12m),
        }
    )
    frame["gap_hours"] = frame["actual_hours"] - frame["required_hours"]
    return frame


def by_seller(result: Assignment) -> pd.DataFrame:
    """One row per seller (account owner; not "Unassigned"): programme hours against
    capacity, the most loaded first. Memoised on the settings it depends on (bands, minutes,
    prospecting programme, capacity)."""
    s = result.settings
    return result.prepared.memo(
        "programme.by_seller",
        (s.bands, s.minutes_per_type, s.prospecting, s.capacity_hours),
        lambda: _by_seller(result),
    ).copy()  # one row per seller: a copy is cheap, and the memo stays as computed


def unowned(result: Assignment) -> tuple[int, float]:
    """(accounts, programme hours a year) of the accounts with no owner ("Unassigned"):
    work the programme asks for that no seller's capacity covers."""
    p = result.prepared
    hit = np.flatnonzero(p.owner_labels == UNASSIGNED)
    if not hit.size:
        return 0, 0.0
    mine = p.owner_codes == hit[0]
    return int(mine.sum()), float(result.required_hours[mine].sum())


def _by_seller(result: Assignment) -> pd.DataFrame:
    p = result.prepared
    n = len(p.owner_labels)
    codes = p.owner_codes
    frame = pd.DataFrame(
        {
            "seller": p.owner_labels,
            "accounts": np.bincount(codes, minlength=n),
            "required_hours": np.bincount(codes, weights=result.required_hours, minlength=n),
            "actual_hours": np.bincount(codes, weights=result.hours_12m, minlength=n),
        }
    )
    cap = result.settings.capacity_hours
    frame["capacity_hours"] = cap
    frame["load"] = frame["required_hours"] / cap if cap else np.inf
    frame["overloaded"] = frame["required_hours"] > cap
    frame = frame[frame["seller"] != UNASSIGNED]  # not a seller: see `unowned`
    return frame.sort_values("load", ascending=False, kind="stable").reset_index(drop=True)


def served_accounts(result: Assignment, which: str, limit: int = 200) -> pd.DataFrame:
    """The most over- (or under-) served accounts by the size of the gap, largest first."""
    over, under = result.served
    mask = over if which == "over" else under
    idx = np.flatnonzero(mask)
    gap_all = result.hours_12m[idx] - result.required_hours[idx]
    size = np.abs(gap_all)
    if len(idx) > limit:  # the top `limit` only: a full sort costs ~50 ms at 1M accounts
        keep = np.argpartition(-size, limit)[:limit]
        idx, size, gap_all = idx[keep], size[keep], gap_all[keep]
    rank = np.argsort(-size, kind="stable")
    order, gap = idx[rank], gap_all[rank]
    frame = result.prepared.rows(order, ["account_id", "account_name", "owner", "revenue"])
    frame = frame.assign(
        band=np.array(result.settings.bands.labels)[result.band[order]],
        required_hours=result.required_hours[order],
        actual_hours=result.hours_12m[order],
        gap_hours=gap,
    ).reset_index(drop=True)
    if result.settings.overrides:
        frame["override"] = result.override_notes(order)
    return frame
