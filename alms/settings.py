"""Settings: every knob of the analysis in one frozen, typed value.

Sliders edit a copy (`dataclasses.replace`); every computation takes a Settings as an
argument; `to_json`/`from_json` save and reload a scenario. Money thresholds are in the
book's currency unit; percentages are 0-100 here and shown as such; minutes and hours are
what they say.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import zlib
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

KeyRuleName = Literal["cumulative", "count"]
ScopeName = Literal["book", "region", "owner"]
ACTIVITY_TYPES = ("call", "email", "meeting", "visit", "other")
SEGMENTS = ("key", "secondary", "prospect", "lead")


@dataclass(frozen=True)
class KeyRule:
    """Which customers are key.

    cumulative: the shortest prefix of customers (revenue descending, ties by account id
    ascending) whose revenue reaches at least `cumulative_pct`% of all customers' revenue.
    count: the first ceil(`count_pct`% x customers) of that order.
    `within`: segment the whole book, or each region / each owner's book on its own.
    """

    rule: KeyRuleName = "cumulative"
    cumulative_pct: float = 80.0
    count_pct: float = 20.0
    within: ScopeName = "book"


@dataclass(frozen=True)
class Engagement:
    """The engagement programme of one revenue band (per account, per year)."""

    owner: str
    contacts_per_year: float
    minutes_per_contact: float
    visits_per_year: float
    minutes_per_visit: float
    intent: str

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


@dataclass(frozen=True)
class Bands:
    """Revenue bands: Zero (revenue 0 or none), then left-closed intervals.

    With thresholds t1 < t2 < ... : (0, t1), [t1, t2), ..., [tn, inf). A revenue equal to
    a threshold lands in the upper band. `programme` has one Engagement per band.
    """

    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS
    programme: tuple[Engagement, ...] = DEFAULT_PROGRAMME

    def __post_init__(self) -> None:
        if list(self.thresholds) != sorted(set(self.thresholds)) or any(
            t <= 0 for t in self.thresholds
        ):
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


@dataclass(frozen=True)
class ProspectLimits:
    """Per seller: target prospects, extra prospects and leads on the list."""

    target_min: int = 5
    target_max: int = 10
    extra_min: int = 10
    extra_max: int = 15
    leads_max: int = 10


@dataclass(frozen=True)
class Override:
    """A manual segment for one account, with the reason, kept in the scenario."""

    account_id: str
    segment: str
    reason: str = ""


@dataclass(frozen=True)
class Settings:
    """Every knob of the analysis. Frozen: change it with `dataclasses.replace`."""

    key: KeyRule = field(default_factory=KeyRule)
    bands: Bands = field(default_factory=Bands)
    minutes_per_type: tuple[tuple[str, float], ...] = (
        ("call", 15),
        ("email", 5),
        ("meeting", 60),
        ("visit", 180),
        ("other", 30),
    )
    growth_factor: float = 1.0
    """Growth candidate: a secondary customer whose potential >= factor x the key threshold
    of its scope group (the revenue of the last account the rule makes key; manual overrides
    do not move it)."""
    capacity_hours: float = 1_200.0
    """Hours per seller per year available for account work."""
    service_tolerance_pct: float = 25.0
    """Over-served: actual hours > required x (1 + this/100); under-served: < x (1 - it)."""
    prospects: ProspectLimits = field(default_factory=ProspectLimits)
    exclude_above: float | None = None
    """Outliers: customers with revenue above this leave the key cut (shown apart)."""
    overrides: tuple[Override, ...] = ()
    never_prospect: tuple[str, ...] = ()
    """Account ids flagged by hand as never to be prospected (beside the file's column)."""
    count_zero_revenue: bool = False
    """Show shares of accounts (chart x axis, headline) over all accounts, the zero-revenue
    ones included. The key rules still run on customers only (revenue > 0)."""

    def minutes(self, activity_type: str) -> float:
        return dict(self.minutes_per_type).get(activity_type, dict(self.minutes_per_type)["other"])

    def with_minutes(self, activity_type: str, minutes: float) -> Settings:
        """The default minutes of one activity type (used where a duration is blank)."""
        table = dict(self.minutes_per_type) | {activity_type: float(minutes)}
        return replace(self, minutes_per_type=tuple(table.items()))

    def with_key(self, **changes: Any) -> Settings:
        return replace(self, key=replace(self.key, **changes))

    # ------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["minutes_per_type"] = dict(self.minutes_per_type)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Settings from a saved scenario; absent keys keep their defaults."""
        base = cls()
        key = replace(base.key, **data.get("key", {}))
        bands_data = data.get("bands", {})
        programme = tuple(
            Engagement(**row)
            for row in bands_data.get("programme", asdict(base.bands)["programme"])
        )
        bands = Bands(
            tuple(float(t) for t in bands_data.get("thresholds", base.bands.thresholds)), programme
        )
        minutes = dict(base.minutes_per_type) | {
            k: float(v) for k, v in data.get("minutes_per_type", {}).items()
        }
        return cls(
            key=key,
            bands=bands,
            minutes_per_type=tuple(minutes.items()),
            growth_factor=float(data.get("growth_factor", base.growth_factor)),
            capacity_hours=float(data.get("capacity_hours", base.capacity_hours)),
            service_tolerance_pct=float(
                data.get("service_tolerance_pct", base.service_tolerance_pct)
            ),
            prospects=replace(base.prospects, **data.get("prospects", {})),
            exclude_above=data.get("exclude_above"),
            overrides=tuple(Override(**o) for o in _list(data, "overrides")),
            never_prospect=tuple(str(i) for i in _list(data, "never_prospect")),
            count_zero_revenue=_flag(data.get("count_zero_revenue", base.count_zero_revenue)),
        )

    @classmethod
    def from_json(cls, text: str) -> Settings:
        return cls.from_dict(json.loads(text))

    # ------------------------------------------------------------ share links

    def to_query(self) -> str:
        """The settings as one URL-safe token for a share link ("" for the defaults).

        Only what differs from the defaults, as compact JSON, deflated and base64url
        encoded. Manual overrides and never-prospect flags are left out: they name
        accounts of one book, and a link must not carry a book's data.
        """
        data = replace(self, overrides=(), never_prospect=()).to_dict()
        default = Settings().to_dict()
        diff = {k: v for k, v in data.items() if v != default[k]}
        if not diff:
            return ""
        packed = zlib.compress(json.dumps(diff, separators=(",", ":")).encode(), 9)
        return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")

    @classmethod
    def from_query(cls, token: str) -> Settings:
        """Settings from a share-link token; ValueError when it is not a valid one."""
        if not token:
            return cls()
        if len(token) > MAX_QUERY_CHARS:
            raise ValueError("the link's scenario is too long")
        try:
            packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            inflate = zlib.decompressobj()
            text = inflate.decompress(packed, MAX_QUERY_JSON_BYTES)
            if inflate.unconsumed_tail:  # a deflate bomb
                raise ValueError("the link's scenario is too large")
            data = json.loads(text)
        except (binascii.Error, zlib.error, UnicodeDecodeError) as exc:
            raise ValueError(f"the link's scenario is not readable ({exc})") from None
        if not isinstance(data, dict):
            raise ValueError("the link's scenario is not a set of settings")
        try:
            return cls.from_dict(data)
        except TypeError as exc:  # an unknown field name
            raise ValueError(f"the link's scenario has an unknown setting ({exc})") from None


MAX_QUERY_CHARS = 4_000
"""Longest share-link token read (browsers and proxies cut URLs near 8,000 characters)."""
MAX_QUERY_JSON_BYTES = 64_000


def _list(data: dict[str, Any], name: str) -> list:
    """A list field of a saved scenario (absent: empty); anything else is an error."""
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list, not {type(value).__name__}")
    return value


def _flag(value: object) -> bool:
    """A yes/no field of a saved scenario: true/false (JSON) or the words true/false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"expected true or false, not {value!r}")


def pct_fraction(pct: float) -> Decimal:
    """A percentage as an exact decimal fraction: 80 -> 0.8, 33.3 -> 0.333 (not 0.33299...)."""
    return Decimal(str(pct)) / 100
