"""Windows of days up to the as-of date, and the hours inside them.

Rules (DOMAIN.md section 5):
- The 12-month window is after the same calendar day one year before the as-of date and
  on or before the as-of date. An N-month window starts after the same day N months
  before the as-of date, clipped to that month's end (as-of 31 May, 3 months: after 28
  or 29 February). A custom range holds both its first and its last day; it ends on the
  as-of date at the latest (activities after it fall in no window).
- Hours = recorded minutes / 60, a blank duration counting its type's default minutes.
  Minutes are summed exactly: each row's minutes are counted in whole micro-minutes
  (exact for durations written with up to 6 decimals), summed as integers, and divided
  by 60 once, so a total is the correctly rounded value of the exact decimal sum.

Everything reads the prepared per-day sums (`Prepared.daily`, sorted by day): a window is
one slice of them, its per-account hours one bincount, memoised per book on the window
and the default minutes.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import numpy as np

from alms.prepared import Daily, Prepared
from alms.settings import ACTIVITY_TYPES, Settings, TimeWindow


@dataclass(frozen=True)
class Window:
    """Days after `after` and on or before `until`."""

    after: date
    until: date

    @property
    def first_day(self) -> date:
        return self.after + timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.until - self.after).days

    def label(self) -> str:
        return f"{self.first_day:%d %b %Y} - {self.until:%d %b %Y}"


def months_before(d: date, months: int) -> date:
    """The same day `months` months before `d`, clipped to the month's end."""
    total = d.year * 12 + (d.month - 1) - months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def last_months(as_of: date, months: int = 12) -> Window:
    """The N months up to the as-of date (12: the same calendar day a year before)."""
    return Window(months_before(as_of, months), as_of)


def of(setting: TimeWindow, as_of: date | None) -> Window | None:
    """The window a TimeWindow setting names, for a book with this as-of date (None: the
    book has no dates at all)."""
    if as_of is None:
        return None
    if setting.months is not None:
        return last_months(as_of, setting.months)
    until = min(setting.end, as_of)
    after = setting.start - timedelta(days=1)
    return Window(min(after, until), until)


@dataclass
class WindowHours:
    """The activities of one window: per-row arrays (a slice of the per-day sums) with
    their whole micro-minutes, and per-account totals."""

    prepared: Prepared
    window: Window
    rows: slice
    micro: np.ndarray  # per row of the slice: whole micro-minutes (as float64)

    @property
    def daily(self) -> Daily:
        return self.prepared.daily

    def micro_by(self, codes: np.ndarray, n: int) -> np.ndarray:
        """Micro-minutes per code, codes per row: integer sums (exact in float64 below
        2^53 micro-minutes, 150 million hours)."""
        return np.bincount(codes, weights=self.micro, minlength=n)

    def _sum(self, codes: np.ndarray, n: int) -> np.ndarray:
        """Hours per code: the exact micro-minute sums, then one division each."""
        return self.micro_by(codes, n) / MICRO_PER_HOUR

    @cached_property
    def per_account_micro(self) -> np.ndarray:
        return self.micro_by(self.daily.pos[self.rows], self.prepared.n_accounts)

    @cached_property
    def per_account(self) -> np.ndarray:
        return self.per_account_micro / MICRO_PER_HOUR

    @property
    def total(self) -> float:
        return float(self.micro.sum()) / MICRO_PER_HOUR

    def by(self, codes: np.ndarray, n_codes: int) -> np.ndarray:
        """Hours per account code (e.g. a segment group), codes per account."""
        return self._sum(codes[self.daily.pos[self.rows]], n_codes)

    def by_type(self, codes: np.ndarray, n_codes: int) -> np.ndarray:
        """(n_codes x activity types) hours, codes per account."""
        d = self.daily
        types = len(ACTIVITY_TYPES)
        flat = codes[d.pos[self.rows]].astype(np.int64) * types + d.type[self.rows]
        return self._sum(flat, n_codes * types).reshape(n_codes, types)

    def by_seller(self, codes: np.ndarray, n_codes: int) -> np.ndarray:
        """(sellers who logged x n_codes) hours, codes per account."""
        d = self.daily
        flat = d.seller[self.rows].astype(np.int64) * n_codes + codes[d.pos[self.rows]]
        return self._sum(flat, len(d.sellers) * n_codes).reshape(len(d.sellers), n_codes)


MICRO_PER_HOUR = 60_000_000


def micro_minutes(minutes: np.ndarray, blanks: np.ndarray, defaults: np.ndarray) -> np.ndarray:
    """Whole micro-minutes of recorded minutes plus blank durations at their default
    (each part rounded to 1e-6 minute: exact for decimals of up to 6 places)."""
    return np.round(minutes * 1e6) + blanks * np.round(defaults * 1e6)


WINDOWS_KEPT = 8
"""Windows kept per book (12, 6, 3 months, a custom range, the trend's months and the two
sides of a date): flipping between them costs nothing, and memory stays bounded (a
window is a view of the per-row sums, plus per-account totals once asked for)."""


def hours(p: Prepared, window: Window, settings: Settings) -> WindowHours:
    """The window's hours, kept per book for the last few windows (on the same default
    minutes per type)."""
    kept: dict[Window, WindowHours] = p.memo("window.hours", settings.minutes_per_type, dict)
    if window not in kept:
        d = p.daily
        rows = d.between(window.after, window.until)
        micro = all_micro(p, settings)[rows]  # a view: a new window costs two searches
        if len(kept) >= WINDOWS_KEPT:
            kept.pop(next(iter(kept)))
        kept[window] = WindowHours(p, window, rows, micro)
    return kept[window]


def all_micro(p: Prepared, settings: Settings) -> np.ndarray:
    """Whole micro-minutes of every per-day row, once per book and default minutes."""

    def compute() -> np.ndarray:
        d = p.daily
        defaults = np.array([settings.minutes(t) for t in ACTIVITY_TYPES], dtype=float)
        return micro_minutes(d.minutes, d.blanks, defaults[d.type])

    return p.memo("window.micro_all", settings.minutes_per_type, compute)
