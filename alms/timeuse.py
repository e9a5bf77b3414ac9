"""Busy doing what? The secondary time suck, and the key accounts it puts at risk.

Rules (DOMAIN.md section 5):
- hours share of a segment = its accounts' hours in the window / all hours in the window;
  revenue share = its revenue / all revenue (revenue is the trailing 12 months). A share
  over a zero total is 0.
- Team and region views count hours on the accounts in the scope; a seller's view counts
  the hours that seller logged (the activity's seller, else the account's owner), on
  whichever account, against the revenue of the accounts the seller owns.
- Segments here are the assignment's (cut-off, overrides, bands as set elsewhere), with
  the secondary customers split into growth candidates and the rest, and non-customers by
  list: target prospects, extra prospects, leads (lead list or lead status), other
  prospects.
- A seller's time/revenue gap = half the sum over the groups of |hours share - revenue
  share|: the share of that seller's hours that would have to move for time to follow
  revenue (0 = in step, 1 = every hour where no revenue is).
- Time sinks: accounts by hours in the window beyond what their programme requires for a
  window of that length (required per year x days / 365; the 12-month window: x 1).
- ROTI = revenue / hours in the last 12 months; no hours: no ROTI ("no time spent").
- A key account is at risk when its revenue < prior revenue x (1 - D%) (only when prior
  revenue > 0), or when it has no activity dated after as-of - N days and on or before
  the as-of date, or both. Without an activities file the second half cannot run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd

from alms import windows
from alms.analysis import KEY, LEAD, PROSPECT, SECONDARY, Assignment, at_least_times
from alms.pareto import Scope, scope_mask
from alms.prepared import UNITS, frozen
from alms.prospects import state as prospect_state
from alms.reading.ingest import UNASSIGNED
from alms.settings import ACTIVITY_TYPES, SEGMENTS

GROUPS = (
    "key",
    "secondary: growth candidates",
    "secondary: other",
    "target prospects",
    "extra prospects",
    "other prospects",
    "leads",
)
GROUP_SEGMENT = np.array([KEY, SECONDARY, SECONDARY, PROSPECT, PROSPECT, PROSPECT, LEAD])
"""The segment (analysis codes) each group belongs to."""


def group_codes(result: Assignment) -> np.ndarray:
    """Per account: index into GROUPS (once per assignment)."""
    return result.derive("timeuse.groups", lambda: _group_codes(result))


def _group_codes(result: Assignment) -> np.ndarray:
    lists = prospect_state(result.prepared).code  # 0 target, 1 extra, 2 lead, 3 unlisted
    out = np.where(lists == 0, 3, np.where(lists == 1, 4, np.where(lists == 2, 6, 5)))
    out = np.where(result.segment == LEAD, 6, out)
    out = np.where(result.segment == SECONDARY, np.where(result.growth, 1, 2), out)
    out = np.where(result.segment == KEY, 0, out)
    return out.astype(np.int8)


def window_of(result: Assignment) -> windows.Window | None:
    return windows.of(result.settings.window, result.prepared.activity_as_of)


def _share(part: np.ndarray, whole: float) -> np.ndarray:
    return part / whole if whole else np.zeros_like(part, dtype=float)


@dataclass(frozen=True)
class Split:
    """Hours and revenue per group in one scope and window. Hours are kept as exact
    micro-minute sums (alms.windows): shares and segment totals divide exact integers."""

    window: windows.Window | None
    accounts: np.ndarray  # per group
    micro: np.ndarray  # per group: whole micro-minutes
    revenue_units: np.ndarray  # per group: int64 units (1/10,000)

    @property
    def hours(self) -> np.ndarray:
        return self.micro / windows.MICRO_PER_HOUR

    @property
    def revenue(self) -> np.ndarray:
        return self.revenue_units / UNITS

    @property
    def hours_share(self) -> np.ndarray:
        return _share(self.micro, float(self.micro.sum()))

    @property
    def revenue_share(self) -> np.ndarray:
        total = int(self.revenue_units.sum())
        return np.array([int(v) / total if total else 0.0 for v in self.revenue_units])

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "group": GROUPS,
                "accounts": self.accounts,
                "hours": self.hours,
                "hours_share": self.hours_share,
                "revenue": self.revenue,
                "revenue_share": self.revenue_share,
            }
        )

    def segments(self) -> dict[str, dict[str, float]]:
        """The four segments (DOMAIN.md), as `alms summary` reports them."""
        out = {}
        micro_total = float(self.micro.sum())
        rev_total = int(self.revenue_units.sum())
        for code, name in enumerate(SEGMENTS):
            pick = code == GROUP_SEGMENT
            m, r = float(self.micro[pick].sum()), int(self.revenue_units[pick].sum())
            out[name] = {
                "hours": m / windows.MICRO_PER_HOUR,
                "hours_share": m / micro_total if micro_total else 0.0,
                "revenue_share": r / rev_total if rev_total else 0.0,
            }
        return out

    def headline(self) -> str:
        """'62% of hours go to secondary accounts that bring 21% of revenue; ...'."""
        if not self.micro.sum():
            return "No hours were logged in this window"
        seg = self.segments()
        h, r = seg["secondary"]["hours_share"], seg["secondary"]["revenue_share"]
        k_h, k_r = seg["key"]["hours_share"], seg["key"]["revenue_share"]
        return (
            f"{h:.0%} of hours go to secondary accounts that bring {r:.0%} of revenue; "
            f"key accounts get {k_h:.0%} of hours for {k_r:.0%} of revenue"
        )


def revenue_units_by(codes: np.ndarray, rev: np.ndarray, n: int) -> np.ndarray:
    """Exact integer revenue per code: a float bincount is exact while the whole sum
    stays below 2^53 units (900 billion in currency); beyond, integer np.add.at."""
    if len(rev) and int(rev.sum()) < 2**53:
        return np.bincount(codes, weights=rev, minlength=n).astype(np.int64)
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, codes, rev)
    return out


def split(result: Assignment, scope: Scope | None = None) -> Split:
    """Hours (in the page's window) and revenue per group, for the team, a region or one
    seller (see the module rules for who a seller's hours are)."""
    scope = scope or Scope()
    p = result.prepared
    window = window_of(result)
    codes = group_codes(result)
    n = len(GROUPS)
    owned = scope_mask(p, scope)
    accounts = np.bincount(codes[owned], minlength=n)
    revenue = revenue_units_by(codes[owned], p.rev[owned], n)
    if window is None:
        return Split(None, accounts, np.zeros(n), revenue)
    wh = windows.hours(p, window, result.settings)
    d = p.daily
    if scope.kind == "owner":
        hit = np.flatnonzero(d.sellers == scope.value)
        if hit.size:
            mine = d.seller[wh.rows] == hit[0]
            micro = np.bincount(codes[d.pos[wh.rows][mine]], weights=wh.micro[mine], minlength=n)
        else:
            micro = np.zeros(n)
    elif scope.kind == "team":  # per account first: a bincount over accounts, not rows
        micro = np.bincount(codes, weights=wh.per_account_micro, minlength=n)
    else:
        micro = np.bincount(codes[owned], weights=wh.per_account_micro[owned], minlength=n)
    return Split(window, accounts, micro, revenue)


def by_seller(result: Assignment) -> pd.DataFrame:
    """One row per seller who logged hours or owns accounts ("Unassigned" is no seller):
    hours share per group (hours logged), revenue owned, the time/revenue gap, hours
    against capacity (capacity per year x window days / 365). Sorted by the gap, largest
    first. Kept per assignment and window."""
    window = window_of(result)
    return result.derive(f"timeuse.by_seller.{window}", lambda: _by_seller(result, window))


def _seller_index(result: Assignment) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(names, row of each activity seller, row of each owner): once per book."""
    p = result.prepared

    def compute():
        names = sorted(set(p.daily.sellers.tolist()) | set(p.owner_labels.tolist()))
        index = {name: i for i, name in enumerate(names)}
        logged = np.array([index[s] for s in p.daily.sellers.tolist()], dtype=np.int64)
        owners = np.array([index[s] for s in p.owner_labels.tolist()], dtype=np.int64)
        return names, logged, owners

    return p.memo("timeuse.sellers", None, compute)


def _by_seller(result: Assignment, window: windows.Window | None) -> pd.DataFrame:
    p = result.prepared
    codes = group_codes(result)
    n = len(GROUPS)
    names, logged, owners = _seller_index(result)
    hours = np.zeros((len(names), n))
    if window is not None and len(logged):
        per = windows.hours(p, window, result.settings).by_seller(codes, n)
        np.add.at(hours, logged, per)  # a few hundred seller rows, not accounts
    flat = owners[p.owner_codes] * n + codes
    revenue = revenue_units_by(flat, p.rev, len(names) * n).reshape(len(names), n) / UNITS
    total_h = hours.sum(axis=1, keepdims=True)
    total_r = revenue.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        h_share = np.where(total_h > 0, hours / total_h, 0.0)
        r_share = np.where(total_r > 0, revenue / total_r, 0.0)
    gap = 0.5 * np.abs(h_share - r_share).sum(axis=1)
    days = window.days if window is not None else 0
    full_year = window is not None and window == windows.last_months(window.until)
    factor = 1.0 if full_year else days / 365
    # Sorted and filtered as arrays, then one DataFrame: building it column by column
    # and sorting in pandas costs ~10 ms per rerun.
    seller = np.array(names, dtype=object)
    keep = seller != UNASSIGNED  # not a seller: see `unassigned_hours`
    order = np.flatnonzero(keep)
    order = order[np.lexsort((seller[order], -gap[order]))]
    capacity = result.settings.capacity_hours * factor
    columns = {"seller": seller[order]}
    columns |= {f"share: {g}": h_share[order, j] for j, g in enumerate(GROUPS)}
    columns |= {
        "hours": total_h[order, 0],
        "hours_secondary": hours[order, 1] + hours[order, 2],
        "revenue": total_r[order, 0],
        "key_revenue_share": r_share[order, 0],
        "key_hours_share": h_share[order, 0],
        "gap": gap[order],
        "capacity_hours": np.full(len(order), capacity),
        "load": total_h[order, 0] / capacity if capacity else np.zeros(len(order)),
    }
    return pd.DataFrame(columns)


def unassigned_hours(result: Assignment) -> float:
    """Hours in the window logged by no seller on accounts with no owner."""
    return float(split(result, Scope("owner", UNASSIGNED)).hours.sum())


def roti(result: Assignment) -> np.ndarray:
    """Revenue per hour (12 months) per account; NaN where no time was spent. Kept per
    book on the default minutes, the only setting it depends on."""
    p = result.prepared

    def compute() -> np.ndarray:
        h = result.hours_12m
        with np.errstate(divide="ignore", invalid="ignore"):
            return frozen(np.where(h > 0, (p.rev / UNITS) / h, np.nan))

    return p.memo("roti", result.settings.minutes_per_type, compute)


def time_sinks(result: Assignment, scope: Scope | None = None, limit: int = 50) -> pd.DataFrame:
    """Accounts by hours in the window beyond their programme's requirement for the window,
    largest first (only accounts with hours beyond it)."""
    scope = scope or Scope()
    p = result.prepared
    window = window_of(result)
    cols = ["account_id", "account_name", "owner", "revenue"]
    if window is None:
        return pd.DataFrame(columns=cols)
    wh = windows.hours(p, window, result.settings)
    factor = 1.0 if window == windows.last_months(window.until) else window.days / 365
    excess = wh.per_account - result.required_hours * factor
    mask = scope_mask(p, scope) & (excess > 0)
    idx = np.flatnonzero(mask)
    if len(idx) > limit:
        keep = np.argpartition(-excess[idx], limit - 1)[:limit]
        idx = idx[keep]
    idx = idx[np.lexsort((idx, -excess[idx]))]
    frame = p.rows(idx, cols)
    frame["segment"] = np.array(GROUPS, dtype=object)[group_codes(result)[idx]]
    frame["band"] = np.array(result.settings.bands.labels, dtype=object)[result.band[idx]]
    frame["hours"] = wh.per_account[idx]
    frame["required_hours"] = result.required_hours[idx] * factor
    frame["excess_hours"] = excess[idx]
    frame["roti"] = roti(result)[idx]
    return frame


def activity_mix(result: Assignment, scope: Scope | None = None) -> pd.DataFrame:
    """Hours per group and activity type in the window (rows: groups; columns: types)."""
    scope = scope or Scope()
    p = result.prepared
    window = window_of(result)
    n = len(GROUPS)
    if window is None:
        return pd.DataFrame(
            np.zeros((n, len(ACTIVITY_TYPES))), index=GROUPS, columns=ACTIVITY_TYPES
        )
    codes = group_codes(result).astype(np.int64)
    wh = windows.hours(p, window, result.settings)
    if scope.kind != "team":  # outside the scope: a code past the groups, dropped below
        codes = np.where(scope_mask(p, scope), codes, n)
    mix = wh.by_type(codes, n + 1)[:n]
    return pd.DataFrame(mix, index=GROUPS, columns=ACTIVITY_TYPES)


# ---------------------------------------------------------------- at risk


@dataclass(frozen=True)
class Risk:
    """Key accounts at risk: masks over all accounts (prepared order)."""

    falling: np.ndarray
    no_contact: np.ndarray | None  # None: no activities file, this half cannot run
    can_fall: bool  # the book has prior revenue

    @property
    def at_risk(self) -> np.ndarray:
        return self.falling | (self.no_contact if self.no_contact is not None else False)


def _below(rev: np.ndarray, prior: np.ndarray, drop_pct: float) -> np.ndarray:
    """rev < prior x (1 - drop_pct/100), exactly, for integer units and a decimal pct."""
    factor = float(1 - Decimal(str(drop_pct)) / 100)  # exact: at_least_times reads it back
    return ~at_least_times(rev, prior, factor)


def risk(result: Assignment) -> Risk:
    """The at-risk rules over the key accounts (see the module rules). Pages read
    `Assignment.risk`, which keeps the result per assignment."""
    p = result.prepared
    key = result.segment == KEY
    rule = result.settings.at_risk
    has_prior = bool((p.prior > 0).any())
    idx = np.flatnonzero(key & (p.prior > 0))
    falling = np.zeros(p.n_accounts, dtype=bool)
    if idx.size:
        falling[idx] = _below(p.rev[idx], p.prior[idx], rule.drop_pct)
    no_contact = None
    as_of = p.activity_as_of
    if p.has_activities and as_of is not None:
        since = np.datetime64(as_of - timedelta(days=rule.days), "D")
        last = p.last_contact
        quiet = np.isnat(last) | (last <= since)
        no_contact = key & quiet
    # Kept per book and shared by assignments (Assignment.risk): read-only.
    return Risk(frozen(falling), None if no_contact is None else frozen(no_contact), has_prior)


NEXT_STEP = {
    (True, True): "Executive call this week: revenue falling and no contact; agree a recovery plan",
    (True, False): "Review the account plan: find why revenue fell (price, share, project end)",
    (False, True): "Book a visit: no contact in the window, re-establish the relationship",
}


def at_risk_table(result: Assignment, scope: Scope | None = None, limit: int = 200) -> pd.DataFrame:
    """At-risk key accounts in key order (revenue desc, id asc) with their reasons."""
    scope = scope or Scope()
    p = result.prepared
    r = result.risk
    mask = r.at_risk & scope_mask(p, scope)
    idx = np.flatnonzero(mask)[:limit]
    cols = ["account_id", "account_name", "owner", "revenue"]
    frame = p.rows(idx, cols)
    frame["prior_revenue"] = np.where(p.prior[idx] >= 0, p.prior[idx] / UNITS, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["change"] = np.where(p.prior[idx] > 0, p.rev[idx] / p.prior[idx] - 1, np.nan)
    falling = r.falling[idx]
    quiet = r.no_contact[idx] if r.no_contact is not None else np.zeros(len(idx), bool)
    reasons = np.array(["", "no contact", "falling revenue", "falling revenue + no contact"])
    frame["reasons"] = reasons[falling.astype(int) * 2 + quiet.astype(int)]
    last = p.last_contact[idx] if p.last_contact is not None else np.full(len(idx), np.nan)
    frame["last_contact"] = pd.to_datetime(last)
    window = window_of(result)
    if window is not None:
        frame["hours"] = windows.hours(p, window, result.settings).per_account[idx]
    frame["next_step"] = [
        NEXT_STEP[(bool(f), bool(q))] for f, q in zip(falling, quiet, strict=True)
    ]
    if result.settings.overrides:
        frame["override"] = result.override_notes(idx)
    return frame


def at_risk_summary(result: Assignment) -> dict:
    """`alms summary`'s at_risk: counts per reason, revenue, ids in key order."""
    p = result.prepared
    r = result.risk
    mask = r.at_risk
    ids = p.frame["account_id"].to_numpy()
    return {
        "count": int(mask.sum()),
        "falling": int(r.falling.sum()),
        "no_contact": int(r.no_contact.sum()) if r.no_contact is not None else None,
        "revenue": float(Decimal(int(p.rev[mask].sum())).scaleb(-4)),
        "accounts": [str(i) for i in ids[mask]],
    }


def time_summary(result: Assignment) -> dict | None:
    """`alms summary`'s time: the window's first and last day, hours, the four segments."""
    s = split(result)
    if s.window is None:
        return None
    return {
        "window": [s.window.first_day.isoformat(), s.window.until.isoformat()],
        "hours_total": float(s.hours.sum()),
        "segments": s.segments(),
    }


def as_of_text(d: date | None) -> str:
    return f"{d:%d %b %Y}" if d else "no date"
