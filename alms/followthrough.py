"""Is the time moving? The hours month by month, before and after a date, and the
accounts that changed segment against a baseline.

Rules (DOMAIN.md section 7):
- Trend months are the M calendar months ending with the as-of month (the as-of month up
  to and including the as-of day); an activity falls in the month of its date. Per
  month, hours share of a segment = that month's hours on its accounts / all that month's
  hours; null (NaN here) when the month has no hours. Segments are today's assignment.
- Before / after a date S (before the as-of date): after = dated after S and on or before
  as-of; before = the same number of days L = as-of - S ending on S (after S - L, on or
  before S). Shares per segment on each side, team and per seller (the seller who logged
  the activity, as in section 5).
- Against a baseline (an earlier snapshot of the book, prepared on its own and assigned
  under the same settings): movement = per (segment then, segment now) pair, "absent" for
  an account missing from one snapshot, the accounts and their revenue now; how many of
  the baseline's growth candidates are key now; each snapshot's hours shares over its own
  12 months, by its own segments.
- In this module a share over zero hours is null, never 0.
- Hours are section 5's: recorded minutes plus blank durations at their type's default,
  summed exactly (alms.windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import pandas as pd

from alms import windows
from alms.analysis import KEY, SECONDARY, Assignment
from alms.pareto import Scope, scope_mask
from alms.prepared import UNITS, Prepared
from alms.settings import SEGMENTS
from alms.timeuse import revenue_units_by

ABSENT = len(SEGMENTS)
"""The code of "absent": an account missing from one snapshot."""
STATES = (*SEGMENTS, "absent")
MOVE_PP = 5.0
"""A seller "moved" when the key accounts' share of their hours changed by at least this
many percentage points (smaller changes are noise in a few months of activities)."""


def shares(micro: np.ndarray) -> np.ndarray:
    """Each part's share of the whole along the last axis; NaN where the whole is 0."""
    micro = np.asarray(micro, dtype=float)
    total = micro.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, micro / np.where(total > 0, total, 1), np.nan)


def _or_none(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _segment_shares(micro: np.ndarray) -> dict[str, float | None]:
    return {name: _or_none(v) for name, v in zip(SEGMENTS, shares(micro), strict=True)}


# ---------------------------------------------------------------- the monthly trend


def month_index(d: date) -> int:
    """Months since January 1970 (the month of a date, as one integer)."""
    return (d.year - 1970) * 12 + d.month - 1


def month_label(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{1970 + year:04d}-{month + 1:02d}"


def _row_months(p: Prepared) -> np.ndarray:
    """The month (month_index) of each per-day row, once per book."""

    def compute() -> np.ndarray:
        days = p.daily.day.astype("datetime64[D]")
        return days.astype("datetime64[M]").astype(np.int32)

    return p.memo("follow.row_months", None, compute)


@dataclass(frozen=True)
class Trend:
    """Hours per month and segment (exact micro-minutes), oldest month first."""

    months: list[str]  # "YYYY-MM"
    micro: np.ndarray  # (months x segments)

    @property
    def hours(self) -> np.ndarray:
        """All hours per month (0 for a month with none)."""
        return self.micro.sum(axis=1) / windows.MICRO_PER_HOUR

    @property
    def share(self) -> np.ndarray:
        """(months x segments) hours shares; NaN for a month with no hours."""
        return shares(self.micro)

    def frame(self) -> pd.DataFrame:
        share = self.share
        out = pd.DataFrame({"month": self.months, "hours": self.hours})
        for j, name in enumerate(SEGMENTS):
            out[f"{name} share"] = share[:, j]
        return out

    def summary(self) -> dict:
        """`alms summary`'s "trend"."""
        share = self.share
        return {
            "months": self.months,
            "hours": [float(h) for h in self.hours],
            "hours_share": {
                name: [_or_none(v) for v in share[:, j]] for j, name in enumerate(SEGMENTS)
            },
        }


def trend_window(as_of: date, months: int) -> windows.Window:
    """The days of the M calendar months ending with the as-of month, up to as-of."""
    first = month_index(as_of) - months + 1
    year, month = divmod(first, 12)
    return windows.Window(date(1970 + year, month + 1, 1) - timedelta(days=1), as_of)


def _row_segment(result: Assignment) -> np.ndarray:
    """Today's segment of each per-day row's account (once per assignment)."""
    return result.derive(
        "follow.row_segment",
        lambda: result.segment[result.prepared.daily.pos].astype(np.int64),
    )


def _row_month_segment(result: Assignment) -> np.ndarray:
    """month_index x segments + segment, per row: a trend is a slice and a bincount."""
    return result.derive(
        "follow.row_month_segment",
        lambda: (
            _row_months(result.prepared).astype(np.int64) * len(SEGMENTS) + _row_segment(result)
        ),
    )


def _row_seller_segment(result: Assignment) -> np.ndarray:
    """seller x segments + segment, per row: each side of a date is a slice and a
    bincount."""
    return result.derive(
        "follow.row_seller_segment",
        lambda: (
            result.prepared.daily.seller.astype(np.int64) * len(SEGMENTS) + _row_segment(result)
        ),
    )


def trend(result: Assignment, months: int | None = None, scope: Scope | None = None) -> Trend:
    """Hours per calendar month and segment over the last `months` months (default: the
    settings'), for the team, a region (hours on its accounts) or one seller (the hours
    that seller logged). Kept with the assignment."""
    months = months or result.settings.follow.months
    scope = scope or Scope()
    return result.derive(
        f"follow.trend.{months}.{scope.kind}.{scope.value}",
        lambda: _trend(result, months, scope),
    )


def _trend(result: Assignment, months: int, scope: Scope) -> Trend:
    p = result.prepared
    as_of = p.activity_as_of
    if as_of is None or p.daily is None:
        return Trend([], np.zeros((0, len(SEGMENTS))))
    window = trend_window(as_of, months)
    first = month_index(window.first_day)
    labels = [month_label(first + i) for i in range(months)]
    wh = windows.hours(p, window, result.settings)
    flat = _row_month_segment(result)[wh.rows] - first * len(SEGMENTS)
    weights = wh.micro
    pick = _scope_rows(p, scope, wh.rows)
    if pick is not None:
        flat, weights = flat[pick], weights[pick]
    micro = np.bincount(flat, weights=weights, minlength=months * len(SEGMENTS))
    return Trend(labels, micro.reshape(months, len(SEGMENTS)))


def _scope_rows(p: Prepared, scope: Scope, rows: slice) -> np.ndarray | None:
    """Which rows of the slice a scope counts (None: all of them)."""
    if scope.kind == "team":
        return None
    if scope.kind == "owner":
        hit = np.flatnonzero(p.daily.sellers == scope.value)
        if not hit.size:
            return np.zeros(rows.stop - rows.start, dtype=bool)
        return p.daily.seller[rows] == hit[0]
    return scope_mask(p, scope)[p.daily.pos[rows]]


# ---------------------------------------------------------------- before / after a date


@dataclass(frozen=True)
class BeforeAfter:
    """Hours per segment on each side of a date, team and per seller."""

    since: date
    days: int
    before: windows.Window
    after: windows.Window
    micro_before: np.ndarray  # per segment
    micro_after: np.ndarray
    sellers: np.ndarray  # seller names (who logged)
    seller_before: np.ndarray  # (sellers x segments)
    seller_after: np.ndarray

    @property
    def share_before(self) -> np.ndarray:
        return shares(self.micro_before)

    @property
    def share_after(self) -> np.ndarray:
        return shares(self.micro_after)

    def side(self, micro: np.ndarray) -> dict:
        return {
            "hours": float(micro.sum()) / windows.MICRO_PER_HOUR,
            "hours_share": _segment_shares(micro),
        }

    def summary(self) -> dict:
        """`alms summary`'s "before_after"."""
        return {
            "since": self.since.isoformat(),
            "days": self.days,
            "before": self.side(self.micro_before),
            "after": self.side(self.micro_after),
        }

    def team(self) -> pd.DataFrame:
        """Per segment: hours and share before and after, change in points."""
        before, after = self.share_before, self.share_after
        return pd.DataFrame(
            {
                "segment": SEGMENTS,
                "hours before": self.micro_before / windows.MICRO_PER_HOUR,
                "hours after": self.micro_after / windows.MICRO_PER_HOUR,
                "share before": before,
                "share after": after,
                "change (points)": (after - before) * 100,
            }
        )

    def per_seller(self) -> pd.DataFrame:
        """`sellers_table` (built once)."""
        return self.sellers_table

    @cached_property
    def sellers_table(self) -> pd.DataFrame:
        """One row per seller with hours on either side, sorted by how far the key share
        of their hours moved up (the ones who moved away last; no comparison at the end).
        `moved`: "towards key", "away from key" (by at least MOVE_PP points), "no change"
        or "only one side" (hours before or after only)."""
        before, after = shares(self.seller_before), shares(self.seller_after)
        h_before = self.seller_before.sum(axis=1) / windows.MICRO_PER_HOUR
        h_after = self.seller_after.sum(axis=1) / windows.MICRO_PER_HOUR
        change = (after[:, KEY] - before[:, KEY]) * 100
        moved = np.where(
            np.isnan(change),
            "only one side",
            np.where(
                change >= MOVE_PP,
                "towards key",
                np.where(change <= -MOVE_PP, "away from key", "no change"),
            ),
        )
        out = pd.DataFrame(
            {
                "seller": self.sellers,
                "hours before": h_before,
                "hours after": h_after,
                "key share before": before[:, KEY],
                "key share after": after[:, KEY],
                "secondary share before": before[:, SECONDARY],
                "secondary share after": after[:, SECONDARY],
                "key change (points)": change,
                "moved": moved,
            }
        )
        out = out[(h_before > 0) | (h_after > 0)]
        return out.sort_values(
            ["key change (points)", "seller"], ascending=[False, True], na_position="last"
        ).reset_index(drop=True)

    def headline(self) -> str:
        """'Since 1 Jul 2026, secondary accounts took 54% of hours, down from 63%; 4 of
        12 sellers moved towards key accounts, 2 went the other way'."""
        before, after = self.share_before[SECONDARY], self.share_after[SECONDARY]
        when = f"After {self.since.day} {self.since:%b %Y}"
        if np.isnan(after):
            return f"{when}, no hours were logged"
        text = f"{when}, secondary accounts took {after:.0%} of hours"
        if np.isnan(before):
            text += f" (no hours in the {self.days} days before to compare with)"
        else:
            trend = "down from" if after < before else "up from" if after > before else "as"
            text += f", {trend} {before:.0%}"
        sellers = self.per_seller()
        compared = sellers[sellers["moved"] != "only one side"]
        towards = int((compared["moved"] == "towards key").sum())
        away = int((compared["moved"] == "away from key").sum())
        return (
            f"{text}; {towards} of {len(compared)} sellers moved towards key accounts, "
            f"{away} went the other way"
        )


def before_after(result: Assignment, since: date | None = None) -> BeforeAfter | None:
    """Hours on each side of `since` (default: the settings'); None without a date, an
    as-of date, or when `since` is not before the as-of date. Kept with the assignment."""
    since = since or result.settings.follow.since
    return result.derive(f"follow.before_after.{since}", lambda: _before_after(result, since))


def sides_of(since: date, as_of: date) -> tuple[windows.Window, windows.Window]:
    """(before, after) a start date: after = (since, as-of]; before = the same number
    of days up to and including since."""
    days = (as_of - since).days
    return windows.Window(since - timedelta(days=days), since), windows.Window(since, as_of)


def _before_after(result: Assignment, since: date | None) -> BeforeAfter | None:
    p = result.prepared
    as_of = p.activity_as_of
    if since is None or as_of is None or p.daily is None or since >= as_of:
        return None
    days = (as_of - since).days
    before, after = sides_of(since, as_of)
    d = p.daily
    n_seg, n_sel = len(SEGMENTS), len(d.sellers)
    parts = []
    codes = _row_seller_segment(result)
    for window in (before, after):
        wh = windows.hours(p, window, result.settings)
        per = np.bincount(codes[wh.rows], weights=wh.micro, minlength=n_sel * n_seg)
        per = per.reshape(n_sel, n_seg)
        parts.append(per)
    return BeforeAfter(
        since=since,
        days=days,
        before=before,
        after=after,
        micro_before=parts[0].sum(axis=0),
        micro_after=parts[1].sum(axis=0),
        sellers=d.sellers,
        seller_before=parts[0],
        seller_after=parts[1],
    )


# ---------------------------------------------------------------- against a baseline


def twelve_months(result: Assignment) -> np.ndarray:
    """Micro-minutes per segment over the snapshot's own 12 months (section 5)."""
    p = result.prepared
    if p.activity_as_of is None or p.daily is None:
        return np.zeros(len(SEGMENTS))
    wh = windows.hours(p, windows.last_months(p.activity_as_of, 12), result.settings)
    return result.derive(
        "follow.twelve_months", lambda: wh.micro_by(_row_segment(result)[wh.rows], len(SEGMENTS))
    )


@dataclass(frozen=True)
class Movement:
    """Accounts between the baseline's segments and today's."""

    baseline: Assignment
    now: Assignment
    then_of_now: np.ndarray  # per account now: its baseline segment code (ABSENT: new)
    now_of_then: np.ndarray  # per baseline account: its segment now (ABSENT: gone)
    position_now: np.ndarray  # per baseline account: its position now (-1: gone)

    @cached_property
    def counts(self) -> np.ndarray:
        """(then x now) accounts, "absent" last on both axes."""
        k = len(STATES)
        out = np.bincount(
            self.baseline.segment.astype(np.int64) * k + self.now_of_then, minlength=k * k
        )
        new = self.then_of_now == ABSENT
        out += np.bincount(ABSENT * k + self.now.segment[new].astype(np.int64), minlength=k * k)
        return out.reshape(k, k)

    @cached_property
    def revenue_units(self) -> np.ndarray:
        """(then x now) revenue now (int64 units; 0 for accounts gone)."""
        k = len(STATES)
        flat = self.then_of_now.astype(np.int64) * k + self.now.segment
        return revenue_units_by(flat, self.now.prepared.rev, k * k).reshape(k, k)

    @property
    def growth_became_key(self) -> int:
        return int((self.baseline.growth & (self.now_of_then == KEY)).sum())

    def hours_share(self) -> dict:
        return {
            "baseline": _segment_shares(twelve_months(self.baseline)),
            "now": _segment_shares(twelve_months(self.now)),
        }

    def summary(self) -> dict:
        """`alms summary`'s "movement"."""
        counts = self.counts
        transitions = {
            then: {
                now: int(counts[i, j])
                for j, now in enumerate(STATES)
                if not (i == ABSENT and j == ABSENT)
            }
            for i, then in enumerate(STATES)
        }
        as_of = self.now.prepared.activity_as_of
        base_as_of = self.baseline.prepared.activity_as_of
        return {
            "baseline_as_of": base_as_of.isoformat() if base_as_of else None,
            "as_of": as_of.isoformat() if as_of else None,
            "transitions": transitions,
            "growth_became_key": self.growth_became_key,
            "hours_share": self.hours_share(),
        }

    def flows(self) -> pd.DataFrame:
        """Every non-empty (then, now) pair: accounts and revenue now."""
        counts, rev = self.counts, self.revenue_units
        rows = [
            {
                "then": STATES[i],
                "now": STATES[j],
                "accounts": int(counts[i, j]),
                "revenue now": rev[i, j] / UNITS,
            }
            for i in range(len(STATES))
            for j in range(len(STATES))
            if counts[i, j]
        ]
        return pd.DataFrame(rows, columns=["then", "now", "accounts", "revenue now"])

    def _then(self, base_positions: np.ndarray) -> pd.DataFrame:
        b = self.baseline
        return pd.DataFrame(
            {
                "account_id": b.prepared.frame["account_id"].to_numpy()[base_positions],
                "account_name": b.prepared.frame["account_name"].to_numpy()[base_positions],
                "owner then": b.prepared.frame["owner"].to_numpy()[base_positions],
                "segment then": np.asarray(STATES, dtype=object)[b.segment[base_positions]],
                "revenue then": b.prepared.rev[base_positions] / UNITS,
                "potential then": np.where(
                    b.prepared.potential[base_positions] >= 0,
                    b.prepared.potential[base_positions] / UNITS,
                    np.nan,
                ),
            }
        )

    def _with_now(self, frame: pd.DataFrame, now_positions: np.ndarray) -> pd.DataFrame:
        n = self.now
        frame["owner"] = n.prepared.frame["owner"].to_numpy()[now_positions]
        frame["segment now"] = np.asarray(STATES, dtype=object)[n.segment[now_positions]]
        frame["revenue now"] = n.prepared.rev[now_positions] / UNITS
        frame["hours (12 months)"] = n.hours_12m[now_positions]
        return frame

    @cached_property
    def fell_from_key(self) -> pd.DataFrame:
        """Key accounts then, secondary now: revenue then and now, owner, hours."""
        base = np.flatnonzero((self.baseline.segment == KEY) & (self.now_of_then == SECONDARY))
        out = self._with_now(self._then(base), self.position_now[base])
        return out.sort_values("revenue then", ascending=False, kind="stable")

    @cached_property
    def growth_bets(self) -> pd.DataFrame:
        """The baseline's growth candidates and where they are now (key first)."""
        base = np.flatnonzero(self.baseline.growth & (self.now_of_then != ABSENT))
        out = self._with_now(self._then(base), self.position_now[base])
        out["became key"] = out["segment now"] == "key"
        return out.sort_values(
            ["became key", "revenue now"], ascending=[False, False], kind="stable"
        )

    @cached_property
    def new_key(self) -> pd.DataFrame:
        """Key now and not key then (new to the book, or from another segment)."""
        now = np.flatnonzero((self.now.segment == KEY) & (self.then_of_now != KEY))
        p = self.now.prepared
        out = pd.DataFrame(
            {
                "account_id": p.frame["account_id"].to_numpy()[now],
                "account_name": p.frame["account_name"].to_numpy()[now],
                "segment then": np.asarray(STATES, dtype=object)[self.then_of_now[now]],
            }
        )
        return self._with_now(out, now)

    @cached_property
    def lost(self) -> pd.DataFrame:
        """Accounts of the baseline missing now."""
        gone = np.flatnonzero(self.now_of_then == ABSENT)
        return self._then(gone).sort_values("revenue then", ascending=False, kind="stable")


def movement(now: Assignment, baseline: Assignment) -> Movement:
    """The movement from `baseline` to `now` (accounts matched by id, as everywhere)."""

    def match() -> tuple[np.ndarray, np.ndarray]:
        return (
            now.prepared.positions_of(list(baseline.prepared.frame["account_id"])),
            baseline.prepared.positions_of(list(now.prepared.frame["account_id"])),
        )

    # The ids match once per pair of books, whatever the settings.
    position_now, position_then = baseline.prepared.memo(
        "follow.match", now.prepared.version, match
    )
    now_of_then = _segment_at(now.segment, position_now)
    then_of_now = _segment_at(baseline.segment, position_then)
    return Movement(
        baseline=baseline,
        now=now,
        then_of_now=then_of_now.astype(np.int64),
        now_of_then=now_of_then.astype(np.int64),
        position_now=position_now,
    )


def _segment_at(segment: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """segment[positions], ABSENT where a position is -1."""
    out = np.full(len(positions), ABSENT, dtype=np.int64)
    found = positions >= 0
    out[found] = segment[positions[found]]
    return out


def baseline_segments(move: Movement) -> np.ndarray:
    """Per account now: its segment at the baseline ("absent" when new), as text."""
    return np.asarray(STATES, dtype=object)[move.then_of_now]
