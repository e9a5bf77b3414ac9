"""Per-book prepared state: everything no slider changes, computed once at load.

Accounts are held in the canonical order: customers (revenue > 0) first, by revenue
descending, ties by account id ascending; then the non-customers by account id. Money is
an int64 count of 1/10,000 units (exact: DECIMAL(38,4) * 10,000), so cumulative sums are
exact integers and a cut-off is a binary search on them.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from alms.aggregates import revenue_windows
from alms.reading.book import Book
from alms.reading.cells import one_array
from alms.reading.ingest import UNASSIGNED, NumberColumn
from alms.reading.memory import return_freed_memory
from alms.reading.schema import Table
from alms.settings import ACTIVITY_TYPES

T = TypeVar("T")
UNITS = 10_000
"""Money units per currency unit in the prepared arrays."""


@dataclass(frozen=True)
class Groups:
    """Customers split by a scope (region or owner), each group in canonical order."""

    labels: np.ndarray  # object: the group names
    order: np.ndarray  # int64: customer positions, grouped, canonical order inside a group
    starts: np.ndarray  # int64: where each group begins in `order` (len = groups + 1)


@dataclass
class Prepared:
    """The sorted, coded, summed state of one Book. Read-only after `prepare`."""

    version: int
    frame: pd.DataFrame  # one row per account, canonical order, display columns
    rev: np.ndarray  # int64 units, canonical order
    n_customers: int
    cum: np.ndarray  # int64 cumulative units over the customers (len n_customers)
    potential: np.ndarray  # int64 units, -1 where unknown
    prior: np.ndarray  # int64 units, -1 where unknown
    is_lead: np.ndarray  # bool: a non-customer whose status is lead
    owner_codes: np.ndarray
    owner_labels: np.ndarray
    region_codes: np.ndarray
    region_labels: np.ndarray
    minutes_12m: np.ndarray  # float (accounts x types): minutes recorded, last 12 months
    blanks_12m: np.ndarray  # float (accounts x types): activities with no duration
    minutes_all: np.ndarray
    blanks_all: np.ndarray
    last_activity: np.ndarray  # datetime64[D], NaT where none
    activity_as_of: date | None
    numbers: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))
    """float (accounts x number_columns): the accounts file's other numeric columns, NaN
    where blank or not a number."""
    number_columns: list[NumberColumn] = field(default_factory=list)
    accounts_mapping: dict[str, str] = field(default_factory=dict)
    """Field -> header of the accounts file (how a header resolves to a field)."""
    last_contact: np.ndarray | None = None
    """datetime64[D] per account: the latest activity on or before the as-of date."""
    has_activities: bool = False
    """An activities file was loaded (without one, "no contact" cannot be judged)."""
    daily_source: Daily | LazyDaily | None = None
    """The per-day sums (`daily`), or what fetches them from an engine on first use."""
    _groups: dict[str, Groups] = field(default_factory=dict)
    derived: dict[str, tuple[Hashable, Any]] = field(default_factory=dict)
    """Results derived from this book by the modules that own them: see `memo`."""

    @property
    def daily(self) -> Daily | None:
        """Activities up to the as-of date summed per day (None: no activities file).
        A book summed in an engine fetches them here, once, on first use: LoadError
        (one sentence) when the engine no longer answers."""
        source = self.daily_source
        return source.get() if isinstance(source, LazyDaily) else source

    @property
    def daily_loaded(self) -> Daily | None:
        """`daily` if it is in memory already (never fetches)."""
        source = self.daily_source
        return source.loaded if isinstance(source, LazyDaily) else source

    @property
    def n_accounts(self) -> int:
        return len(self.rev)

    def memo(self, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, kept for this book under `name` while `key` (the settings it
        depends on) stays the same. One entry per name: a new key replaces the old one,
        so memory stays bounded however often a slider moves."""
        hit = self.derived.get(name)
        if hit is None or hit[0] != key:
            hit = (key, compute())
            self.derived[name] = hit
        return hit[1]

    def rows(self, positions: np.ndarray, columns: list[str]) -> pd.DataFrame:
        """The accounts file's `columns` at `positions` (index 0, 1, ...), taken in one go:
        `frame.iloc[positions][columns]` would copy every column first."""
        keep = [self.frame.columns.get_loc(c) for c in columns]
        return self.frame.iloc[positions, keep].reset_index(drop=True)

    def positions_of(self, account_ids: list[str]) -> np.ndarray:
        """Canonical positions of the given account ids (-1 where unknown). The id index
        is built once per book: building it costs ~100 ms at 1M accounts."""
        index = self.memo("id_index", None, lambda: pd.Index(self.frame["account_id"]))
        return index.get_indexer(account_ids)

    def groups(self, scope: str) -> Groups:
        """Customer groups for `scope` ("region" or "owner"), built on first use."""
        if scope not in self._groups:
            codes = (self.region_codes if scope == "region" else self.owner_codes)[
                : self.n_customers
            ]
            labels = self.region_labels if scope == "region" else self.owner_labels
            order = np.argsort(codes, kind="stable")
            counts = np.bincount(codes, minlength=len(labels))
            starts = np.concatenate([[0], np.cumsum(counts)])
            self._groups[scope] = Groups(labels, order, starts)
        return self._groups[scope]


def frozen(values: np.ndarray) -> np.ndarray:
    """`values`, made read-only: an array kept per book or per assignment is shared by
    every caller, so one that wrote into it would fail rather than change the others'."""
    values.flags.writeable = False
    return values


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    cat = pd.Categorical(values.fillna("(none)"))
    return np.asarray(cat.codes, dtype=np.int64), np.asarray(cat.categories, dtype=object)


def prepare(book: Book) -> Prepared:
    """Sort, code and sum the book once; sliders only search and combine the result."""
    as_of = book.as_of or book.scalar(
        "SELECT max(p.last_activity) FROM activity_per_account p"
        " JOIN accounts a ON a.account_id = p.account_id"
        if book.aggregated
        else "SELECT max(date) FROM activities"
    )
    # An engine summed the activities at load (alms.engine): its per-account sums join
    # the accounts, its per-day sums come when a page reads days. The session's own
    # activities are summed here from their rows.
    frame = _accounts(
        book, "SELECT * FROM activity_per_account" if book.aggregated else None, book.keyed
    )
    if book.aggregated:
        # Dates as datetime64[D] straight from Arrow: through pandas they would be Python
        # date objects, ~1 s per column at 1M accounts to turn back into an array.
        last, last_contact = (_days(frame.column(c)) for c in ("last_activity", "last_contact"))
        frame = frame.drop_columns(["last_activity", "last_contact"]).to_pandas()

        def matrix(prefix: str) -> np.ndarray:
            cols = [f"{prefix}_{t}" for t in ACTIVITY_TYPES]
            return frame[cols].fillna(0).to_numpy(dtype=float)

        sums = PerAccount(
            last, last_contact, *(matrix(f"{k}_{w}") for w in ("12m", "all") for k in "mb")
        )
        daily = (
            _daily(book, frame["account_id"], "SELECT * FROM activity_sums", book.breakpoints)
            if book.fetch_sums is None
            else None  # fetched on first use, once the display frame holds the ids
        )
    else:
        if book.keyed:
            rows = keyed_activity_rows(book, frame.column("account_row").to_numpy())
            frame = frame.drop_columns(["account_row"]).to_pandas()
        else:
            frame = frame.to_pandas()
            rows = activity_rows(book, frame["account_id"])
        # Each step's temporaries handed back before the next one's stack on them.
        return_freed_memory()
        sums = per_account(rows, len(frame), as_of)
        return_freed_memory()
        daily = daily_of(rows, as_of, book.breakpoints)
        del rows
        return_freed_memory()
    number_columns = book.number_columns
    numbers = np.empty((len(frame), len(number_columns)), dtype=float)
    for j, col in enumerate(number_columns):
        numbers[:, j] = frame[col.internal].to_numpy(dtype=float, na_value=np.nan)
    internal = {c.internal for c in number_columns}
    frame = frame[
        [c for c in frame.columns if not c.startswith(("m_", "b_")) and c not in internal]
    ]
    rev = frame["rev"].to_numpy(dtype=np.int64)
    n_customers = int(frame["customer"].sum())
    owner_codes, owner_labels = _codes(frame["owner"])
    region_codes, region_labels = _codes(frame["region"])
    display = frame.drop(columns=["rev", "prior", "potential", "customer"])
    display["revenue"] = rev / UNITS
    if book.fetch_sums is not None:  # an engine's book: its days come on first use
        daily = LazyDaily(_fetched_daily(book, book.fetch_sums, display["account_id"]))
    return Prepared(
        version=book.version,
        frame=display,
        rev=rev,
        n_customers=n_customers,
        cum=np.cumsum(rev[:n_customers]),
        potential=frame["potential"].to_numpy(dtype=np.int64),
        prior=frame["prior"].to_numpy(dtype=np.int64),
        is_lead=(frame["status"].fillna("") == "lead").to_numpy() & ~frame["customer"].to_numpy(),
        owner_codes=owner_codes,
        owner_labels=owner_labels,
        region_codes=region_codes,
        region_labels=region_labels,
        minutes_12m=sums.minutes_12m,
        blanks_12m=sums.blanks_12m,
        minutes_all=sums.minutes_all,
        blanks_all=sums.blanks_all,
        last_activity=sums.last_activity,
        activity_as_of=as_of,
        numbers=numbers,
        number_columns=number_columns,
        accounts_mapping=book.accounts_mapping,
        last_contact=sums.last_contact,
        has_activities=Table.ACTIVITIES in book.reports,
        daily_source=daily,
    )


def _accounts(book: Book, per_account: str | None, with_row: bool = False) -> pa.Table:
    """The accounts in canonical order with their numeric columns, the columns of the
    SELECT `per_account` (one row per account) when given, and `account_row` (the
    account's rowid) if `with_row`."""
    act_columns = ", act.* EXCLUDE (account_id)" if per_account else ""
    act_columns += ", a.rowid AS account_row" if with_row else ""
    act_join = (
        f"LEFT JOIN ({per_account}) act ON act.account_id = a.account_id" if per_account else ""
    )
    frame = book.query(
        f"""
        SELECT a.account_id, account_name, owner, region, industry, status, prospect_list,
               COALESCE(never_prospect, false) AS never_prospect,
               CAST(revenue * 10000 AS BIGINT) AS rev,
               COALESCE(CAST(prior_revenue * 10000 AS BIGINT), -1) AS prior,
               COALESCE(CAST(potential * 10000 AS BIGINT), -1) AS potential,
               revenue > 0 AS customer,
               margin, share_of_wallet, exec_access, dm_access, product_fit, strategic_fit,
               nums.* EXCLUDE (account_id){act_columns}
        FROM accounts a {act_join}
        LEFT JOIN account_numbers nums ON nums.account_id = a.account_id
        """
    )
    # The canonical order (customers first, by revenue, then id) sorted by Arrow on the
    # integer units: DuckDB's ORDER BY on DECIMAL(38, 4), carrying every column through
    # its sort, took ~2 s at 1M accounts. Both order text by its bytes, nulls last.
    order = pc.sort_indices(frame, sort_keys=CANONICAL_ORDER)
    return _taken(frame, order)


def _taken(frame: pa.Table, order: pa.Array) -> pa.Table:
    """`frame`'s rows in `order`, each column one chunk: taking a few rows of a
    multi-chunk string column costs ~1 ms per column at 1M rows (0.01 ms when
    contiguous), and tables take rows on every rerun. The columns are taken on as many
    threads as Arrow uses (1M accounts, 21 columns: 0.9 s on one thread, 0.5 s on two)."""

    def taken(column: pa.ChunkedArray) -> pa.Array:
        return one_array(column.take(order))

    with ThreadPoolExecutor(max(1, min(pa.cpu_count(), frame.num_columns))) as pool:
        columns = list(pool.map(taken, frame.columns))
    return pa.Table.from_arrays(columns, schema=frame.schema)


CANONICAL_ORDER = [
    ("customer", "descending", "at_end"),
    ("rev", "descending", "at_end"),
    ("account_id", "ascending", "at_end"),
]
"""The accounts' prepared order: `ORDER BY revenue > 0 DESC, revenue DESC, account_id`
(rev is the revenue in units of 1/10,000, exact)."""


@dataclass(frozen=True)
class ActivityRows:
    """The book's activities, one entry per row, on the prepared accounts (those not in
    the book left out): what `per_account` and `daily_of` sum."""

    pos: np.ndarray  # int32 account position (prepared order)
    day: np.ndarray  # int32 days since 1970-01-01
    seller: np.ndarray  # int32 index into `sellers` (a blank seller is UNASSIGNED)
    type: np.ndarray  # int8 index into ACTIVITY_TYPES
    minutes: np.ndarray  # float64 recorded minutes, NaN where blank
    sellers: np.ndarray  # object: seller names


def activity_rows(book: Book, ids: pd.Series) -> ActivityRows:
    """Every activity of the book's own table with its account's position, its seller
    and type as codes: integers from here on (a join on the prepared order and on the
    sellers inside DuckDB), no per-row Python and no text in memory."""
    positions = pa.table(
        {"account_id": pa.array(ids, pa.string()), "pos": pa.array(np.arange(len(ids)), pa.int32())}
    )
    sellers = book.query(
        "SELECT DISTINCT COALESCE(seller, ?) AS seller FROM activities ORDER BY 1", [UNASSIGNED]
    ).column(0)
    codes = pa.table({"seller": sellers, "code": pa.array(np.arange(len(sellers)), pa.int32())})
    book.con.register("_positions", positions)
    book.con.register("_sellers", codes)
    try:
        table = book.query(
            """
            SELECT p.pos, date_diff('day', DATE '1970-01-01', a.date)::INTEGER AS day,
                   s.code AS seller,
                   (COALESCE(list_position(?, a.type), ?) - 1)::TINYINT AS type,
                   a.duration_minutes AS minutes
            FROM activities a JOIN _positions p ON p.account_id = a.account_id
            JOIN _sellers s ON s.seller = COALESCE(a.seller, ?)
            """,
            [list(ACTIVITY_TYPES), ACTIVITY_TYPES.index("other") + 1, UNASSIGNED],
        )
    finally:
        book.con.unregister("_positions")
        book.con.unregister("_sellers")
    return ActivityRows(
        pos=table.column("pos").to_numpy(),
        day=table.column("day").to_numpy(),
        seller=table.column("seller").to_numpy(),
        type=table.column("type").to_numpy(),
        minutes=np.asarray(table.column("minutes").to_numpy(zero_copy_only=False), float),
        sellers=np.asarray(sellers.to_pylist(), dtype=object),
    )


def keyed_activity_rows(book: Book, account_rows: np.ndarray) -> ActivityRows:
    """`activity_rows` of a keyed book (`Book.keyed`), read from its Arrow activities in
    place: each position from the row's `account_key` (the rowid of its account)
    through `account_rows` (the rowid at each prepared position), sellers and types as
    codes by Arrow's hash kernels; no join and no copy into DuckDB (~2 s less at 10M)."""
    table = book.scanned["activities"]
    position = np.full(int(account_rows.max(initial=-1)) + 1, -1, dtype=np.int32)
    position[account_rows] = np.arange(len(account_rows), dtype=np.int32)
    seller, sellers = _text_codes(table.column("seller"), UNASSIGNED)
    type_code, type_names = _text_codes(table.column("type"), "other")
    known = {t: i for i, t in enumerate(ACTIVITY_TYPES)}
    of_name = np.array([known.get(t, known["other"]) for t in type_names], dtype=np.int8)
    return ActivityRows(
        pos=position[_numbers(table.column("account_key"))],
        day=_numbers(pc.cast(table.column("date"), pa.int32())),
        seller=seller,
        type=of_name[type_code],
        minutes=np.asarray(
            table.column("duration_minutes").to_numpy(zero_copy_only=False), dtype=float
        ),
        sellers=sellers,
    )


def _text_codes(values: pa.ChunkedArray | pa.Array, blank: str) -> tuple[np.ndarray, np.ndarray]:
    """(int32 code per row, the distinct texts sorted) of a text column, plain or codes
    into a dictionary (whose values may repeat, chunk by chunk); a null is `blank`."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    encoded = [c if pa.types.is_dictionary(c.type) else pc.dictionary_encode(c) for c in chunks]
    names = [[*c.dictionary.to_pylist(), blank] for c in encoded]
    sorted_names, inverse = np.unique(
        np.asarray([n for part in names for n in part], dtype=object), return_inverse=True
    )
    codes, start = [], 0
    for c, part in zip(encoded, names, strict=True):
        to_sorted = inverse[start : start + len(part)].astype(np.int32)
        start += len(part)
        codes.append(to_sorted[_numbers(pc.fill_null(c.indices, len(part) - 1))])
    code = np.concatenate(codes) if codes else np.empty(0, np.int32)
    return code, sorted_names


def _numbers(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(values.to_numpy())


@dataclass(frozen=True)
class PerAccount:
    """Per account (prepared order): the latest activity, the latest on or before the
    as-of date, and per type (accounts x ACTIVITY_TYPES) the minutes recorded and the
    activities with no duration over the 12-month window and over all dates."""

    last_activity: np.ndarray  # datetime64[D], NaT where none
    last_contact: np.ndarray  # datetime64[D], NaT where none up to the as-of date
    minutes_12m: np.ndarray
    blanks_12m: np.ndarray
    minutes_all: np.ndarray
    blanks_all: np.ndarray


def per_account(rows: ActivityRows, n: int, as_of: date | None) -> PerAccount:
    """The rule of `alms.aggregates.activity_per_account` on the rows: the 12-month
    window is after the same calendar day one year before the as-of date, up to it (no
    as-of date: empty, and no last contact). 0 minutes where an account has none."""
    if as_of is None:
        upto = window = np.zeros(len(rows.day), dtype=bool)
    else:
        upto = rows.day <= _day(as_of)
        window = upto & (rows.day > _day(revenue_windows(as_of)[0]))

    def latest(mask: np.ndarray | None = None) -> np.ndarray:
        # On the rows' own int32 days: ufunc.at casting each to int64 took 5x as long.
        none = np.iinfo(np.int32).min
        out = np.full(n, none, dtype=np.int32)
        where, day = (rows.pos, rows.day) if mask is None else (rows.pos[mask], rows.day[mask])
        np.maximum.at(out, where, day.astype(np.int32, copy=False))
        wide = out.astype(np.int64)
        wide[out == none] = np.iinfo(np.int64).min  # NaT: no activity
        return wide.view("datetime64[D]")

    # The latest days first, before the sums' arrays exist: the process's peak is lower.
    last_activity, last_contact = latest(), latest(upto)
    blank = np.isnan(rows.minutes)
    minutes = np.where(blank, 0.0, rows.minutes)
    k = len(ACTIVITY_TYPES)
    cell = rows.pos.astype(np.intp) * k + rows.type

    def minutes_in(mask: np.ndarray | None = None) -> np.ndarray:
        # A row outside the mask weighs 0, which leaves each float sum as it was:
        # masked copies of the cells and the weights cost ~160 MB at 10M rows.
        weights = minutes if mask is None else minutes * mask
        return np.bincount(cell, weights=weights, minlength=n * k).reshape(n, k)

    def blanks_in(mask: np.ndarray | None = None) -> np.ndarray:
        # Counted on the blank rows' cells alone (a few percent of a real book's rows),
        # not weighed over every row.
        rows_in = blank if mask is None else blank & mask
        return np.bincount(cell[rows_in], minlength=n * k).reshape(n, k).astype(float)

    return PerAccount(
        last_activity=last_activity,
        last_contact=last_contact,
        minutes_12m=minutes_in(window),
        blanks_12m=blanks_in(window),
        minutes_all=minutes_in(),
        blanks_all=blanks_in(),
    )


def daily_of(rows: ActivityRows, as_of: date | None, breakpoints: tuple[date, ...]) -> Daily:
    """The rows dated on or before the as-of date (none without one) as a Daily, sorted
    by day: one entry per activity, which sums over any window exactly as per day.
    Sellers with no such row are left out of `sellers`."""
    keep = rows.day <= _day(as_of) if as_of is not None else np.zeros(len(rows.day), dtype=bool)
    day = rows.day[keep] if not keep.all() else rows.day
    order = None if np.all(day[1:] >= day[:-1]) else np.argsort(day, kind="stable")

    def sorted_(values: np.ndarray) -> np.ndarray:
        kept = values[keep] if not keep.all() else values
        return kept if order is None else kept[order]

    seller = sorted_(rows.seller)
    present = np.bincount(seller, minlength=len(rows.sellers)) > 0
    renumber = np.cumsum(present, dtype=np.int32) - 1
    minutes = sorted_(rows.minutes)
    blank = np.isnan(minutes)
    return Daily(
        day=sorted_(rows.day).astype(np.int32, copy=False),
        pos=sorted_(rows.pos).astype(np.int32, copy=False),
        seller=renumber[seller],
        type=sorted_(rows.type).astype(np.int8, copy=False),
        minutes=np.where(blank, 0.0, minutes),
        blanks=blank.astype(float),
        sellers=rows.sellers[present],
        exact=frozenset(_day(d) for d in breakpoints) if breakpoints else None,
    )


class LazyDaily:
    """Per-day sums that stay in an engine until a page reads days (`Prepared.daily`):
    fetched once, whoever asks first (a lock: a rerun and a download may ask together),
    arrays read-only as the eager ones. `announce(label)` is a context manager shown
    while they come across (a spinner in the app; nothing in the CLI)."""

    LABEL = "Summing the activities per day in the database"

    def __init__(self, load: Callable[[], Daily]) -> None:
        self._load: Callable[[], Daily] | None = load
        self._value: Daily | None = None
        self._lock = threading.Lock()
        self.announce: Callable[[str], AbstractContextManager[Any]] = lambda _: nullcontext()

    @property
    def loaded(self) -> Daily | None:
        return self._value

    def get(self) -> Daily:
        with self._lock:
            if self._value is None:
                assert self._load is not None
                with self.announce(self.LABEL):
                    value = self._load()
                for array in vars(value).values():
                    if isinstance(array, np.ndarray):
                        array.flags.writeable = False
                self._value, self._load = value, None  # the loader's references go
            return self._value


def _fetched_daily(book: Book, fetch: Callable[[], None], ids: pd.Series) -> Callable[[], Daily]:
    def load() -> Daily:
        fetch()
        return _daily(book, ids, "SELECT * FROM activity_sums", book.breakpoints)

    return load


@dataclass(frozen=True)
class Daily:
    """Activities up to the as-of date, sorted by day: one entry per activity of the
    session's own book (`daily_of`), or per (day, account, seller, type) summed by an
    engine (`_daily`). Any window of days is one contiguous slice (two binary searches),
    so a moved window or date costs a bincount over the slice, never a query."""

    day: np.ndarray  # int32 days since 1970-01-01, ascending
    pos: np.ndarray  # int32 account position (prepared order)
    seller: np.ndarray  # int32 index into `sellers` (who logged it: DOMAIN.md section 5)
    type: np.ndarray  # int8 index into ACTIVITY_TYPES
    minutes: np.ndarray  # float64 recorded minutes
    blanks: np.ndarray  # float64 activities with no duration
    sellers: np.ndarray  # object: seller names
    exact: frozenset[int] | None = None
    """Sums of an engine (alms.engine): each row stands for the days up to its `day`
    since the breakpoint before, so only windows whose ends are breakpoints (these days)
    are exact; None: one row per day, every window is exact."""

    def between(self, after: date, until: date) -> slice:
        """Rows dated after `after` and on or before `until`. CoarseWindow when the
        sums are bucketed and the window does not start and end on a breakpoint."""
        if self.exact is not None and not (
            _day(after) in self.exact and (_day(until) in self.exact or _day(until) >= self._last)
        ):
            raise CoarseWindow(after, until)
        lo = np.searchsorted(self.day, _day(after), side="right")
        hi = np.searchsorted(self.day, _day(until), side="right")
        return slice(int(lo), int(hi))

    @property
    def _last(self) -> int:
        """The as-of date: no row is later, so a window may end past it."""
        return max(self.exact) if self.exact else 0


class CoarseWindow(ValueError):
    """A window the bucketed sums of an engine cannot give exactly."""

    def __init__(self, after: date, until: date) -> None:
        super().__init__(
            f"the window {after + timedelta(days=1):%d %b %Y} - {until:%d %b %Y} is not one "
            "the engine summed; reload the book with this window's dates"
        )


def _days(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A date column as datetime64[D] (days since 1970-01-01), NaT where null."""
    nat = np.datetime64("NaT").view("int64")
    days = pc.fill_null(pc.cast(pc.cast(column, pa.int32()), pa.int64()), nat)
    return np.asarray(days.to_numpy(), dtype="int64").view("datetime64[D]")


def _day(d: date) -> int:
    return (d - date(1970, 1, 1)).days


ROWS_PER_PART = 1_500_000
"""Source rows summed per query of `_daily`: an engine's sums of a large book may be
nearly one row per activity, and in one GROUP BY they would need more than a session's
database may hold (MEMORY_LIMIT, next to the book's own tables)."""


def _day_ranges(book: Book) -> list[tuple[str, list[date]]]:
    """WHERE clauses (on `s.day`) and their parameters that split the sums into
    consecutive ranges of days of about ROWS_PER_PART source rows each, in day order:
    every day falls in exactly one range (the first and last are open-ended)."""
    table = "activity_sums" if book.aggregated else "activities"
    column = "day" if book.aggregated else "date"
    rows = book.scalar(f"SELECT count(*) FROM {table}") or 0
    parts = -(-rows // ROWS_PER_PART)
    if parts <= 1:
        return [("true", [])]
    quantiles = ", ".join(str(i / parts) for i in range(1, parts))
    cuts = sorted(set(book.scalar(f"SELECT quantile_disc({column}, [{quantiles}]) FROM {table}")))
    ranges = [("s.day <= ?", [cuts[0]])]
    ranges += [("s.day > ? AND s.day <= ?", [a, b]) for a, b in itertools.pairwise(cuts)]
    return [*ranges, ("s.day > ?", [cuts[-1]])]


def _daily(book: Book, ids: pd.Series, sums: str, breakpoints: tuple[date, ...]) -> Daily:
    """The activity sums per day (`alms.aggregates.activity_sums`, the SELECT `sums`);
    account ids are turned into positions inside DuckDB (a join on the prepared order),
    sellers and types into codes by Arrow's dictionary encoding: no per-row Python."""
    positions = pa.table(
        {"account_id": pa.array(ids, pa.string()), "pos": pa.array(np.arange(len(ids)), pa.int32())}
    )
    book.con.register("_positions", positions)
    try:
        parts = [
            book.query(
                f"""
                SELECT date_diff('day', DATE '1970-01-01', s.day)::INTEGER AS day, p.pos,
                       s.seller, s.type, s.m, s.b
                FROM ({sums}) s JOIN _positions p ON p.account_id = s.account_id
                WHERE {where}
                ORDER BY day
                """,
                params,
            )
            for where, params in _day_ranges(book)
        ]
    finally:
        book.con.unregister("_positions")
    table = pa.concat_tables(parts)
    sellers = pc.dictionary_encode(
        pc.fill_null(table.column("seller"), UNASSIGNED)
    ).combine_chunks()
    types = pc.index_in(table.column("type"), value_set=pa.array(ACTIVITY_TYPES))
    return Daily(
        day=table.column("day").to_numpy().astype(np.int32),
        pos=table.column("pos").to_numpy().astype(np.int32),
        seller=sellers.indices.to_numpy().astype(np.int32),
        type=pc.fill_null(types, ACTIVITY_TYPES.index("other")).to_numpy().astype(np.int8),
        minutes=table.column("m").to_numpy().astype(float),
        blanks=table.column("b").to_numpy().astype(float),
        sellers=np.asarray(sellers.dictionary.to_pylist(), dtype=object),
        exact=frozenset(_day(d) for d in breakpoints) if breakpoints else None,
    )
