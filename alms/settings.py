"""Settings: every knob of the analysis in one frozen, typed, validated value.

Sliders edit a copy (`dataclasses.replace`); every computation takes a Settings as an
argument; `to_json`/`from_json` save and reload a scenario, `to_query`/`from_query` carry
it in a share link. Money thresholds are in the book's currency unit; percentages are
0-100 here and shown as such; minutes and hours are what they say.

The schema is declarative: each field states its type, range and allowed values, and
pydantic checks them whenever a value is built, by a slider's `replace` as much as by a
scenario file or a link. So no wrong value reaches a computation: a bad field is refused
at the boundary with a `SettingsError` that names it (e.g. "key.cumulative_pct: should be
greater than 0"). A knob added later is checked by adding it here, nothing else.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import zlib
from dataclasses import field, replace
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from pydantic.dataclasses import dataclass

KeyRuleName = Literal["cumulative", "count"]
ScopeName = Literal["book", "region", "owner"]
ActivityType = Literal["call", "email", "meeting", "visit", "other"]
ACTIVITY_TYPES: tuple[str, ...] = ("call", "email", "meeting", "visit", "other")
SEGMENTS = ("key", "secondary", "prospect", "lead")

_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False, validate_default=False)
"""Unknown fields are refused, and no number may be NaN or infinite."""

Pct = Annotated[float, Field(gt=0, le=100)]
"""A share in percent: (0, 100]."""
Hours = Annotated[float, Field(ge=0, le=1_000_000)]
Minutes = Annotated[float, Field(ge=0, le=100_000)]
PerYear = Annotated[float, Field(ge=0, le=10_000)]
Money = Annotated[float, Field(ge=0, le=1e15)]
Label = Annotated[str, Field(max_length=200)]
AccountId = Annotated[str, Field(min_length=1, max_length=1_000)]
MAX_ACCOUNT_CHOICES = 10_000
"""Most overrides or never-prospect flags a scenario holds."""


class SettingsError(ValueError):
    """Settings that cannot be used; the message names every wrong field."""


def _describe(exc: ValidationError) -> str:
    """'key.cumulative_pct: should be greater than 0 (got 0)'; one clause per error."""
    return describe_errors(exc.errors(include_url=False))


def describe_errors(errors: list) -> str:
    """pydantic's error dicts as one sentence, a clause per error (at most five)."""
    parts = []
    for err in errors:
        loc = ".".join(str(x) for x in err["loc"] if not isinstance(x, int)) or "settings"
        if err["type"] == "unexpected_keyword_argument":
            parts.append(f"{loc}: unknown setting")
            continue
        msg = err["msg"].removeprefix("Value error, ").replace("Input should", "should")
        got = err.get("input")
        shown = "" if isinstance(got, dict | list | tuple) else f" (got {str(got)[:40]!r})"
        parts.append(f"{loc}: {msg}{shown}")
    return "; ".join(parts[:5]) + ("; ..." if len(parts) > 5 else "")


@dataclass(frozen=True, config=_CONFIG)
class KeyRule:
    """Which customers are key.

    cumulative: the shortest prefix of customers (revenue descending, ties by account id
    ascending) whose revenue reaches at least `cumulative_pct`% of all customers' revenue.
    count: the first ceil(`count_pct`% x customers) of that order.
    `within`: segment the whole book, or each region / each owner's book on its own.
    """

    rule: KeyRuleName = "cumulative"
    cumulative_pct: Pct = 80.0
    count_pct: Pct = 20.0
    within: ScopeName = "book"


@dataclass(frozen=True, config=_CONFIG)
class Engagement:
    """The engagement programme of one revenue band (per account, per year)."""

    owner: Label
    contacts_per_year: PerYear
    minutes_per_contact: Minutes
    visits_per_year: PerYear
    minutes_per_visit: Minutes
    intent: Label

    @property
    def hours_per_year(self) -> float:
        """Hours one account of the band should get a year: contacts plus visits."""
        return (
            self.contacts_per_year * self.minutes_per_contact
            + self.visits_per_year * self.minutes_per_visit
        ) / 60


DEFAULT_THRESHOLDS: tuple[float, ...] = (10_000, 100_000, 1_000_000, 5_000_000)
DEFAULT_PROGRAMME: tuple[Engagement, ...] = (
    Engagement("nobody", 0, 0, 0, 0, "respond only"),
    Engagement("inside sales (reactive)", 0, 0, 0, 0, "respond only"),
    Engagement("inside sales", 4, 15, 0, 0, "maintain"),
    Engagement("inside sales + field seller", 12, 20, 2, 180, "grow"),
    Engagement("dedicated sales manager", 12, 60, 4, 240, "grow and protect"),
    Engagement("global account director + local reps", 26, 60, 6, 300, "protect"),
)


def _short_money(value: float) -> str:
    """10000 -> "10K", 1000000 -> "1M", 2500000 -> "2.5M", 750 -> "750"."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            text = f"{value / size:.3f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def band_labels(thresholds: tuple[float, ...]) -> tuple[str, ...]:
    """Zero, then one label per left-closed interval: "up to 10K", "10K-100K", ..., "5M+"."""
    if not thresholds:
        return ("Zero", "above 0")
    labels = ["Zero", f"up to {_short_money(thresholds[0])}"]
    labels += [f"{_short_money(a)}-{_short_money(b)}" for a, b in itertools.pairwise(thresholds)]
    labels.append(f"{_short_money(thresholds[-1])}+")
    return tuple(labels)


@dataclass(frozen=True, config=_CONFIG)
class Bands:
    """Revenue bands: Zero (revenue 0 or none), then left-closed intervals.

    With thresholds t1 < t2 < ... : (0, t1), [t1, t2), ..., [tn, inf). A revenue equal to
    a threshold lands in the upper band. `programme` has one Engagement per band.
    """

    thresholds: Annotated[tuple[Annotated[Money, Field(gt=0)], ...], Field(max_length=20)] = (
        DEFAULT_THRESHOLDS
    )
    programme: tuple[Engagement, ...] = DEFAULT_PROGRAMME

    def __post_init__(self) -> None:
        if list(self.thresholds) != sorted(set(self.thresholds)):
            raise ValueError("band thresholds must be positive and strictly increasing")
        if len(self.programme) != len(self.thresholds) + 2:
            raise ValueError("the programme needs one row per band")

    @property
    def labels(self) -> tuple[str, ...]:
        return band_labels(self.thresholds)

    def with_thresholds(self, thresholds: tuple[float, ...]) -> Bands:
        """New thresholds; each band keeps the programme of the old band at its position
        (an added band copies its lower neighbour's programme)."""
        thresholds = tuple(sorted(set(thresholds)))
        rows = list(self.programme)
        while len(rows) < len(thresholds) + 2:
            rows.append(rows[-1])
        return Bands(thresholds, tuple(rows[: len(thresholds) + 2]))


Count = Annotated[int, Field(ge=0, le=10_000)]


@dataclass(frozen=True, config=_CONFIG)
class ProspectLimits:
    """Per seller: target prospects, extra prospects and leads on the list."""

    target_min: Count = 5
    target_max: Count = 10
    extra_min: Count = 10
    extra_max: Count = 15
    leads_max: Count = 10

    def __post_init__(self) -> None:
        if self.target_min > self.target_max or self.extra_min > self.extra_max:
            raise ValueError("a list's minimum must not exceed its maximum")


@dataclass(frozen=True, config=_CONFIG)
class Override:
    """A manual segment for one account, with the reason, kept in the scenario."""

    account_id: AccountId
    segment: Literal["key", "secondary"]
    reason: Annotated[str, Field(max_length=1_000)] = ""


# ---------------------------------------------------------------- the scorecard

Weight = Annotated[float, Field(ge=0, le=1_000)]


@dataclass(frozen=True, config=_CONFIG)
class Attribute:
    """One scorecard attribute (DOMAIN.md section 3).

    `column`: a derived attribute (share_of_wallet, growth, hours), a field name
    (revenue, potential, ...) or a header of the accounts file, matched case-insensitively
    after trimming. `scale`: minmax, rank (percentile) or fixed lo-hi (clipped to [0, 1]);
    `direction` lower uses 1 - n; `missing`: worst (0), median (of the present n) or
    reweight (the account's score uses only the attributes it has).
    """

    column: Annotated[str, Field(min_length=1, max_length=200)]
    group: Literal["current", "future"] = "current"
    weight: Weight = 10.0
    scale: Literal["minmax", "rank", "fixed"] = "minmax"
    lo: Annotated[float, Field(ge=-1e15, le=1e15)] | None = None
    hi: Annotated[float, Field(ge=-1e15, le=1e15)] | None = None
    direction: Literal["higher", "lower"] = "higher"
    missing: Literal["worst", "median", "reweight"] = "worst"

    def __post_init__(self) -> None:
        if not self.column.strip():
            raise ValueError("column: name a column")
        if self.scale == "fixed" and (self.lo is None or self.hi is None or self.lo >= self.hi):
            raise ValueError(f"{self.column}: the fixed scale needs lo < hi")

    @property
    def name(self) -> str:
        """The column as it is matched: trimmed, lower case."""
        return self.column.strip().lower()


@dataclass(frozen=True, config=_CONFIG)
class Strategic:
    """The strategic set: the top `value` accounts by score (top_n), or the first
    ceil(value% x population) (top_pct)."""

    rule: Literal["top_pct", "top_n"] = "top_pct"
    value: Annotated[float, Field(ge=0, le=10_000_000)] = 10.0

    def __post_init__(self) -> None:
        if self.rule == "top_pct" and self.value > 100:
            raise ValueError("strategic top_pct is a percentage: at most 100")
        if self.rule == "top_n" and self.value != int(self.value):
            raise ValueError("strategic top_n is a whole number of accounts")


@dataclass(frozen=True, config=_CONFIG)
class Scorecard:
    """Weighted attributes summed to a 0-100 score; the top scores are strategic."""

    population: Literal["customers", "all"] = "customers"
    strategic: Strategic = field(default_factory=Strategic)
    attributes: Annotated[tuple[Attribute, ...], Field(max_length=40)] = ()

    def __post_init__(self) -> None:
        names = [a.name for a in self.attributes]
        if len(set(names)) != len(names):
            raise ValueError("each column may be one attribute only")
        if self.attributes and not any(a.weight > 0 for a in self.attributes):
            raise ValueError("at least one attribute needs a weight above 0")


# ---------------------------------------------------------------- time (section 5)


@dataclass(frozen=True, config=_CONFIG)
class TimeWindow:
    """The window of the "Where the hours go" page (DOMAIN.md section 5): the last 3, 6
    or 12 months up to the as-of date, or a custom range (`start` and `end` both
    included). Only that page's shares and lists follow it; programme, maintenance and
    scorecard hours always use the 12 months."""

    months: Literal[3, 6, 12] | None = 12
    """None: the custom range."""
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.months is None and (self.start is None or self.end is None):
            raise ValueError("a custom window needs a start and an end date")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError("the window's start must not be after its end")


@dataclass(frozen=True, config=_CONFIG)
class AtRisk:
    """A key account is at risk when its revenue < prior x (1 - drop_pct/100) (only when
    prior > 0), or when it has no activity in the `days` days up to the as-of date."""

    drop_pct: Annotated[float, Field(ge=0, le=100)] = 20.0
    days: Annotated[int, Field(ge=1, le=3_650)] = 90


# ---------------------------------------------------------------- A-E matrix (section 4)

Cell = Literal["A", "B", "C", "D", "E"]
CELLS: tuple[str, ...] = ("A", "B", "C", "D", "E")


@dataclass(frozen=True, config=_CONFIG)
class Matrix:
    """The maintenance / revenue matrix (DOMAIN.md section 4).

    maintenance = hours in the last 12 months x (1 + a x `aggravation_weight`), a being
    the aggravation rating on the fixed scale [`aggravation_lo`, `aggravation_hi`],
    clipped to [0, 1] (0 when absent). High revenue: revenue >= `revenue_threshold`
    (None: the key rule's smallest key revenue, per group when segmenting within groups);
    high maintenance: maintenance > `maintenance_threshold` (None: the customers'
    median), in hours.
    """

    revenue_threshold: Money | None = None
    maintenance_threshold: Hours | None = None
    aggravation_column: Annotated[str, Field(max_length=200)] | None = None
    """A header of the accounts file; None: the first header containing "aggravation"."""
    aggravation_lo: Annotated[float, Field(ge=-1e9, le=1e9)] = 1.0
    aggravation_hi: Annotated[float, Field(ge=-1e9, le=1e9)] = 5.0
    aggravation_weight: Annotated[float, Field(ge=0, le=100)] = 0.0
    """w = 1 doubles the hours of the most aggravating account; 0 ignores the rating."""

    def __post_init__(self) -> None:
        if self.aggravation_lo >= self.aggravation_hi:
            raise ValueError("the aggravation scale needs lo < hi")


Destination = Literal["at_risk", "growth", "prospects"]
DESTINATIONS: tuple[str, ...] = ("at_risk", "growth", "prospects")


@dataclass(frozen=True, config=_CONFIG)
class WhatIf:
    """Moving the time (DOMAIN.md section 6): which over-served accounts are brought to
    their programme (`cut`: every one, or those of the chosen `cells`), and where each
    seller's freed hours go, in `order` (each destination up to its requirement). The
    over-served tolerance is the Bands page's (`Settings.service_tolerance_pct`)."""

    cut: Literal["over_served", "cells"] = "over_served"
    cells: Annotated[tuple[Cell, ...], Field(max_length=5)] = ("C", "E")
    order: Annotated[tuple[Destination, ...], Field(max_length=3)] = DESTINATIONS

    def __post_init__(self) -> None:
        if len(set(self.cells)) != len(self.cells):
            raise ValueError("each cell may be chosen once")
        if len(set(self.order)) != len(self.order):
            raise ValueError("each destination may come once in the order")


# ---------------------------------------------------------------- follow-through (section 7)

TREND_MONTHS: tuple[int, ...] = (3, 6, 12, 24)


@dataclass(frozen=True, config=_CONFIG)
class FollowThrough:
    """Is the time moving? (DOMAIN.md section 7): the trend covers the `months` calendar
    months ending with the as-of month; `since` is the day the programme started (the
    before / after comparison; None: not set). It must come before the book's as-of date,
    which only the book knows: a later one shows nothing, and says why."""

    months: Literal[3, 6, 12, 24] = 12
    since: date | None = None


DEFAULT_PROSPECTING = Engagement("seller (prospecting)", 12, 30, 2, 180, "win")
"""Target prospects' own programme (our assumption, editable): 12 contacts of 30 minutes
and 2 visits of 180 minutes a year = 12 hours."""

# ---------------------------------------------------------------- Settings

DEFAULT_MINUTES: tuple[tuple[str, float], ...] = (
    ("call", 15),
    ("email", 5),
    ("meeting", 60),
    ("visit", 180),
    ("other", 30),
)


@dataclass(frozen=True, config=_CONFIG)
class Settings:
    """Every knob of the analysis. Frozen: change it with `dataclasses.replace`."""

    key: KeyRule = field(default_factory=KeyRule)
    bands: Bands = field(default_factory=Bands)
    minutes_per_type: tuple[tuple[ActivityType, Minutes], ...] = DEFAULT_MINUTES
    """Default minutes of an activity with no duration, per type (in JSON: a mapping)."""
    growth_factor: Annotated[float, Field(ge=0, le=1_000)] = 1.0
    """Growth candidate: a secondary customer whose potential >= factor x the key threshold
    of its scope group (the revenue of the last account the rule makes key; manual overrides
    do not move it)."""
    capacity_hours: Hours = 1_200.0
    """Hours per seller per year available for account work."""
    service_tolerance_pct: Annotated[float, Field(ge=0, le=1_000)] = 25.0
    """Over-served: actual hours > required x (1 + this/100); under-served: < x (1 - it)."""
    prospects: ProspectLimits = field(default_factory=ProspectLimits)
    exclude_above: Money | None = None
    """Outliers: customers with revenue above this leave the key cut (shown apart)."""
    overrides: Annotated[tuple[Override, ...], Field(max_length=MAX_ACCOUNT_CHOICES)] = ()
    never_prospect: Annotated[tuple[AccountId, ...], Field(max_length=MAX_ACCOUNT_CHOICES)] = ()
    """Account ids flagged by hand as never to be prospected (beside the file's column)."""
    count_zero_revenue: bool = False
    """Show shares of accounts (chart x axis, headline) over all accounts, the zero-revenue
    ones included. The key rules still run on customers only (revenue > 0)."""
    scorecard: Scorecard | None = None
    """The strategic scorecard; None scores nothing (the sample book brings its own)."""
    prospecting: Engagement = DEFAULT_PROSPECTING
    """The programme of target prospects (extra prospects and leads require no time)."""
    window: TimeWindow = field(default_factory=TimeWindow)
    at_risk: AtRisk = field(default_factory=AtRisk)
    matrix: Matrix = field(default_factory=Matrix)
    what_if: WhatIf = field(default_factory=WhatIf)
    follow: FollowThrough = field(default_factory=FollowThrough)

    @field_validator("minutes_per_type", mode="before")
    @classmethod
    def _minutes_mapping(cls, value: object) -> object:
        """A mapping (as JSON writes it) or a list of (type, minutes) pairs, filled up with
        the defaults, in type order: every type always has its minutes."""
        if isinstance(value, list | tuple):
            if not all(isinstance(v, list | tuple) and len(v) == 2 for v in value):
                raise ValueError('give minutes per activity type, e.g. {"call": 15}')
            value = {str(t): m for t, m in value}
        if isinstance(value, dict):
            unknown = set(value) - set(ACTIVITY_TYPES)
            if unknown:
                raise ValueError(f"unknown activity type {sorted(map(str, unknown))[0]!r}")
            table = dict(DEFAULT_MINUTES) | value
            return tuple((t, table[t]) for t in ACTIVITY_TYPES)
        return value

    def minutes(self, activity_type: str) -> float:
        table = dict(self.minutes_per_type)
        return table.get(activity_type, table.get("other", 30.0))

    def with_minutes(self, activity_type: str, minutes: float) -> Settings:
        """The default minutes of one activity type (used where a duration is blank)."""
        table = dict(self.minutes_per_type) | {activity_type: float(minutes)}
        return replace(self, minutes_per_type=tuple(table.items()))

    def with_key(self, **changes: Any) -> Settings:
        return replace(self, key=replace(self.key, **changes))

    # ------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        """Plain data (as a scenario file holds it); pydantic's serializer, ~10x faster
        than dataclasses.asdict, which a share link pays on every settings change."""
        data = _ADAPTER.dump_python(self, mode="json")
        data["minutes_per_type"] = dict(self.minutes_per_type)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, data: object) -> Settings:
        """Settings from a saved scenario; absent keys keep their defaults.

        Raises SettingsError naming each field that has the wrong type, range or value.
        """
        if not isinstance(data, dict):
            raise SettingsError("a scenario is a JSON object of settings")
        try:
            return _ADAPTER.validate_python(data)
        except ValidationError as exc:
            raise SettingsError(_describe(exc)) from None

    @classmethod
    def from_json(cls, text: str | bytes) -> Settings:
        """Settings from a scenario file's text; SettingsError when it is not one."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise SettingsError(f"not JSON ({exc})") from None
        return cls.from_dict(data)

    def validated(self) -> Settings:
        """This value, checked again (pydantic checks at construction; a caller holding
        one built with `__new__` or pickled across versions can ask for the check)."""
        return Settings.from_dict(json.loads(self.to_json()))

    # ------------------------------------------------------------ share links

    def to_query(self, base: Settings | None = None) -> str:
        """The settings as one URL-safe token for a share link ("" for the defaults).

        Only what differs from `base` (the book's defaults; plain Settings() when None),
        top-level field by field, as compact JSON, deflated and base64url encoded. Manual overrides and never-prospect flags are left out: they name
        accounts of one book, and a link must not carry a book's data. (A scorecard
        names columns, not accounts, so it travels.)
        """
        data = replace(self, overrides=(), never_prospect=()).to_dict()
        default = (base or Settings()).to_dict()
        diff = {k: v for k, v in data.items() if v != default[k]}
        if not diff:
            return ""
        packed = zlib.compress(json.dumps(diff, separators=(",", ":")).encode(), 9)
        return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")

    @classmethod
    def from_query(cls, token: str, base: Settings | None = None) -> Settings:
        """Settings from a share-link token over `base` (the defaults the token was made
        against); SettingsError when it is not a valid one."""
        base = base or cls()
        if not token:
            return base
        if len(token) > MAX_QUERY_CHARS:
            raise SettingsError("the link's scenario is too long")
        try:
            packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            inflate = zlib.decompressobj()
            text = inflate.decompress(packed, MAX_QUERY_JSON_BYTES)
            if inflate.unconsumed_tail:  # a deflate bomb
                raise SettingsError("the link's scenario is too large")
            data = json.loads(text)
        except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError) as exc:
            if isinstance(exc, SettingsError):
                raise
            raise SettingsError(f"the link's scenario is not readable ({exc})") from None
        if not isinstance(data, dict):
            raise SettingsError("the link's scenario is not a set of settings")
        return cls.from_dict(replace(base, overrides=(), never_prospect=()).to_dict() | data)


_ADAPTER = TypeAdapter(Settings)
MAX_QUERY_CHARS = 4_000
"""Longest share-link token read (browsers and proxies cut URLs near 8,000 characters)."""
MAX_QUERY_JSON_BYTES = 64_000


def pct_fraction(pct: float) -> Decimal:
    """A percentage as an exact decimal fraction: 80 -> 0.8, 33.3 -> 0.333 (not 0.33299...)."""
    return Decimal(str(pct)) / 100
