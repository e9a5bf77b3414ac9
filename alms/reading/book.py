"""The Book: one user's sales data in a private, hardened, in-memory DuckDB.

A Book is built once per load and never shared: the app keeps it in the browser
session's state. Its tables:

- `accounts`: one row per accepted account (revenue DECIMAL(38,4), never null: a blank
  revenue is 0);
- `activities`: one row per accepted activity (duration null where the file had none);
- `orders`: accepted order lines, when order lines were loaded;
- `rejects`: every rejected row of every file (file, row, column, value, reason).
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import duckdb
import pyarrow as pa

from alms.aggregates import duckdb_sql
from alms.reading.cells import one_array
from alms.reading.ingest import (
    REJECT_SCHEMA,
    UNASSIGNED,
    Checked,
    FileReport,
    LoadOptions,
    NumberColumn,
    check_accounts,
    check_activities,
    check_orders,
    many,
)
from alms.reading.memory import return_freed_memory
from alms.reading.parsing import MAX_TOTAL
from alms.reading.readers import RawTable, UnreadableFile, read_file
from alms.reading.schema import Table, propose_mapping

log = logging.getLogger(__name__)
# Arrow's buffers from the C library's malloc, not its bundled mimalloc: mimalloc keeps
# the segments a closed session freed reserved for later, where malloc_trim (see
# return_freed_memory) hands them back. Measured: a server starts 60 MB smaller and, 10
# sessions later, returns to +5% of its start; a 100k load is as fast (2.9 s against 3.0).
pa.set_memory_pool(pa.system_memory_pool())
MEMORY_LIMIT = "2GB"
"""Per session; past it a query fails with a clear error instead of spilling to disk."""
_versions = itertools.count(1)


class LoadError(Exception):
    """A load failed as a whole; the message names the file and is shown as is."""


def connect(memory_limit: str = MEMORY_LIMIT, threads: int = 1) -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB that cannot touch files, the network or its own settings.

    One thread per session keeps sessions fair on a shared 2-core server.
    """
    con = duckdb.connect(
        ":memory:",
        config={
            "threads": threads,
            "memory_limit": memory_limit,
            "temp_directory": "",
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            # DuckDB's allocator keeps up to 128 MB per thread after a task; on a shared
            # server that is memory no session uses. Flushing above 8 MB and purging in
            # the background gives it back (10 sessions: +4% over the start once they
            # have gone, against +10%), at no measurable cost to a 100k load.
            "allocator_flush_threshold": "8MB",
            "allocator_background_threads": True,
        },
    )
    # Order matters: once external access is off, temp_directory can no longer be set.
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


@dataclass(frozen=True)
class Upload:
    """One file as uploaded, with the user's column mapping (None: proposed from synonyms)."""

    name: str
    data: bytes
    mapping: dict[str, str] | None = None


@dataclass(eq=False)  # a Book is itself: compared and hashed by identity
class Book:
    con: duckdb.DuckDBPyConnection
    reports: dict[Table, FileReport]
    warnings: list[str] = field(default_factory=list)
    as_of: date | None = None
    source: str = ""
    version: int = field(default_factory=lambda: next(_versions))
    aggregated: bool = False
    breakpoints: tuple[date, ...] = ()
    """An aggregated book: the days its activity sums' buckets end on (alms.engine)."""
    reload: Callable[..., Book] | None = field(default=None, repr=False)
    """An aggregated book: `reload(as_of=None, now=None)` reads the same tables again,
    at an earlier as-of date (what `rebase` does, in the engine: its rows are not here
    to be copied) or with the windows of settings `now` summed exactly."""
    fetch_sums: Callable[[], None] | None = field(default=None, repr=False)
    """An aggregated book whose per-day sums are still in the engine: calling it brings
    them into `activity_sums` (once; the pages that read days call it through
    `Prepared.daily`), so a usable book moves per-account rows only."""
    scanned: dict[str, pa.Table] = field(default_factory=dict, repr=False)
    """Tables held as Arrow and scanned in place by each connection of this book (a view
    registered by name on `con` and on every `view()`'s cursor): the checked activities
    are not copied into DuckDB (at 10M rows, ~1.5 s and a second copy in memory)."""
    keyed: bool = False
    """`activities.account_key` is the `rowid` of each activity's account in `accounts`
    (written by the load that wrote both tables; a copied or rebased book's accounts
    may differ, so it joins on the ids instead)."""
    unlisted: tuple[int, int] = (0, 0)
    """(rows, problems) rejected but not listed in `rejects`: an engine counts every
    reject and sends the first rows of each reason only."""
    """The activities were summed where they live (`alms.engine`): the tables
    `activity_per_account` and `activity_sums` hold the sums, `activities` no rows."""

    def __post_init__(self) -> None:
        # When a session ends, Streamlit drops its state and this Book with it: the
        # database closes then (not at some later collection of the connection object).
        _OPEN.add(self)
        weakref.finalize(self, _close, self.con)
        for name, table in self.scanned.items():
            self.con.register(name, table)

    def query(self, sql: str, params: list | None = None) -> pa.Table:
        """Run SQL written in alms (never user text) and fetch it as Arrow."""
        return self.con.sql(sql, params=params or None).to_arrow_table()

    def scalar(self, sql: str, params: list | None = None):
        rows = self.con.execute(sql, params or []).fetchall()
        row = rows[0] if rows else None
        return None if row is None else row[0]

    def rejects(self, limit: int | None = None) -> pa.Table:
        """The rejected rows (file, row, column, value, reason), the first `limit` only
        when given (a grid shows a bounded number; the download takes them all)."""
        if limit is None:
            return self.query("SELECT * FROM rejects ORDER BY file, row")
        return self.query("SELECT * FROM rejects ORDER BY file, row LIMIT $1", [limit])

    def reject_counts(self) -> tuple[int, int]:
        """(distinct rejected rows, problems listed): a row may have several problems."""
        # A reject listed from an engine has no row number: it counts as one row.
        rows, problems = self.con.execute(
            "SELECT count(DISTINCT (file, row)) FILTER (WHERE row IS NOT NULL)"
            " + count(*) FILTER (WHERE row IS NULL), count(*) FROM rejects"
        ).fetchall()[0]
        return int(rows) + self.unlisted[0], int(problems) + self.unlisted[1]

    @property
    def number_columns(self) -> list[NumberColumn]:
        """The accounts file's unmapped numeric columns (scorecard attributes)."""
        report = self.reports.get(Table.ACCOUNTS)
        return list(report.numbers) if report else []

    @property
    def accounts_mapping(self) -> dict[str, str]:
        """Field -> header of the accounts file as loaded ({} for order lines alone)."""
        report = self.reports.get(Table.ACCOUNTS)
        return dict(report.mapping) if report else {}

    def counts(self) -> dict[str, dict[str, int] | None]:
        """Per input table: rows, accepted, rejected (None when no file was given)."""
        return {t.value: (r.as_counts() if (r := self.reports.get(t)) else None) for t in Table}

    def view(self) -> Book:
        """This book for another session: the same tables through a cursor of its own
        (a DuckDB connection serves one thread at a time), same version and reports.
        Closing the view closes only its cursor."""
        return replace(self, con=self.con.cursor(), warnings=list(self.warnings))

    def close(self) -> None:
        self.con.close()


_OPEN: weakref.WeakSet[Book] = weakref.WeakSet()
"""Books alive in this process (no data held: weak references), for the session benchmark."""


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()
    # A closed session's book: glibc would keep its pages in the heaps of the threads
    # that made it, and a server's memory would stay where its largest session took it.
    return_freed_memory()
    if os.environ.get("ALMS_LOG_BOOKS"):  # benchmarks.sessions counts these lines
        print(f"alms: a book's database closed; {len(_OPEN)} open", file=sys.stderr, flush=True)


def open_books() -> int:
    """How many Books (each with its own database) are alive in this process."""
    return len(_OPEN)


def _raw(upload: Upload, table: Table) -> tuple[RawTable, dict[str, str]]:
    """The file read, and its mapping (the upload's, else proposed from its headers). An
    activities file keeps its mapped columns only: the others are never used, and a
    Parquet file's are not even read."""
    found: dict[str, str] = {}

    def mapped(headers: list[str]) -> Iterable[str]:
        found.update(
            upload.mapping if upload.mapping is not None else propose_mapping(table, headers)
        )
        missing = [h for h in found.values() if h not in headers]
        if missing:
            raise LoadError(f"{upload.name}: no column named {', '.join(map(repr, missing))}.")
        return found.values() if table == Table.ACTIVITIES else headers

    try:
        raw = read_file(upload.name, upload.data, mapped)
    except UnreadableFile as exc:
        raise LoadError(str(exc)) from None
    return raw, found


Progress = Callable[[str, float], None]
"""Told what a long step is doing: a sentence, and the fraction of the work done (0-1)."""


def progress_steps(progress: Progress | None, total: int) -> Callable[[str], None]:
    """A counter over `total` steps that tells `progress` as each one starts."""
    done = [0]

    def step(label: str) -> None:
        if progress is not None:
            progress(label, min(done[0] / total, 1.0))
        done[0] += 1

    return step


def load(
    accounts: Upload | None,
    activities: Upload | None = None,
    orders: Upload | None = None,
    options: LoadOptions | None = None,
    source: str = "",
    progress: Progress | None = None,
) -> Book:
    """Read, map, parse and validate the files, then build a new Book from the good rows.

    Raises LoadError (one sentence naming the file) when a file cannot be used at all,
    whatever went wrong: the session's memory limit, an engine error or a bug end in a
    sentence too, never a traceback (the caller keeps its previous book). Bad rows never
    raise, they land in `rejects`. `progress` hears of each step.
    """
    try:
        return _load(accounts, activities, orders, options, source, progress)
    except LoadError:
        raise
    except (duckdb.OutOfMemoryException, MemoryError):
        raise LoadError(
            f"the book needs more memory than a session may use ({MEMORY_LIMIT}); load "
            "fewer rows or columns (e.g. one year of activities)."
        ) from None
    except Exception as exc:  # the last line of defence: one sentence, and the log
        log.exception("load failed")
        raise LoadError(
            f"the files could not be loaded ({type(exc).__name__}: {str(exc)[:200]})."
        ) from None


def rebase(book: Book, as_of: date) -> Book:
    """The same book at an earlier as-of date (DOMAIN.md section 7, a baseline of order
    lines): its order lines, accounts file and activities copied into a new database,
    revenue and prior revenue recomputed at `as_of`; without an accounts file only the
    accounts with a line dated on or before `as_of` are in it. Activities keep every
    row: the prepared state takes those on or before `as_of`, on the accounts it holds.

    Raises LoadError when the book has no order lines, or on any failure (one sentence).
    """
    if Table.ORDERS not in book.reports:
        raise LoadError(
            "an earlier as-of date needs a book of order lines; for an accounts file, "
            "load its earlier export as the baseline."
        )
    if book.reload is not None:
        return book.reload(as_of)
    con = connect()
    try:
        has_accounts = Table.ACCOUNTS in book.reports
        tables = ["orders", "activities", "account_numbers", "rejects"]
        for name in [*tables, *(["accounts"] if has_accounts else [])]:
            con.register("_in", book.query(f"SELECT * FROM {name}"))  # names of alms's own
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _in")
            con.unregister("_in")
        warnings: list[str] = []
        found = _order_revenue(con, as_of, has_accounts, warnings)
        source = f"{book.source}, as of {as_of:%d %b %Y}"
        return Book(con, dict(book.reports), warnings, found, source)
    except (duckdb.OutOfMemoryException, MemoryError):
        con.close()
        raise LoadError(
            f"the baseline needs more memory than a session may use ({MEMORY_LIMIT})."
        ) from None
    except Exception as exc:
        con.close()
        log.exception("rebase failed")
        raise LoadError(
            f"the baseline could not be built ({type(exc).__name__}: {str(exc)[:200]})."
        ) from None


def _load(
    accounts: Upload | None,
    activities: Upload | None,
    orders: Upload | None,
    options: LoadOptions | None,
    source: str,
    progress: Progress | None,
) -> Book:
    options = options or LoadOptions()
    if accounts is None and orders is None:
        raise LoadError("Load an accounts file or an order lines file (or both).")
    files = sum(u is not None for u in (accounts, activities, orders))
    step = progress_steps(progress, 2 * files + 1)
    try:
        checked: dict[Table, Checked] = {}
        if accounts is not None:
            step(f"Reading {accounts.name}")
            raw, mapping = _raw(accounts, Table.ACCOUNTS)
            step(f"Checking {raw.table.num_rows:,} rows of {accounts.name}")
            checked[Table.ACCOUNTS] = check_accounts(raw, mapping, options)
        if orders is not None:
            step(f"Reading {orders.name}")
            raw, mapping = _raw(orders, Table.ORDERS)
            step(f"Checking {raw.table.num_rows:,} order lines of {orders.name}")
            known = (
                set(checked[Table.ACCOUNTS].table.column("account_id").to_pylist())
                if Table.ACCOUNTS in checked
                else None
            )
            checked[Table.ORDERS] = check_orders(raw, mapping, options, known)
        con = connect()
    except (ValueError, KeyError) as exc:
        raise LoadError(str(exc).strip("'\"")) from None
    try:
        return _store(con, checked, accounts, activities, orders, options, source, step)
    except BaseException:
        con.close()  # a failed load leaves no open database behind
        raise


def _store(
    con: duckdb.DuckDBPyConnection,
    checked: dict[Table, Checked],
    accounts: Upload | None,
    activities: Upload | None,
    orders: Upload | None,
    options: LoadOptions,
    source: str,
    step: Callable[[str], None],
) -> Book:
    """The checked files into the session's database (tables accounts, orders,
    account_numbers, rejects; the activities as Arrow that it scans in place, keyed by
    their accounts' rowids: `Book.scanned`, `Book.keyed`)."""
    scanned: dict[str, pa.Table] = {}
    try:
        warnings: list[str] = []
        as_of = None
        if Table.ORDERS in checked:
            as_of = _accounts_from_orders(con, checked, options, warnings)
        else:
            as_of = options.as_of  # the user's, for any book (else: the latest activity)
            create_accounts(con, checked[Table.ACCOUNTS].table)
        if Table.ACCOUNTS not in checked:
            create_accounts(con, None)
        if activities is not None:
            step(f"Reading {activities.name}")
            raw, mapping = _raw(activities, Table.ACTIVITIES)
            # Reading freed as much as it kept (the typed file, its decoding): back to
            # the system now, or the check's fresh arrays would pile up on top of it.
            return_freed_memory()
            step(f"Checking {raw.table.num_rows:,} activities of {activities.name}")
            # Arrow, not Python tuples: a million accounts would cost ~1 s as a dict.
            owners = con.sql("SELECT account_id, owner, rowid FROM accounts").to_arrow_table()
            checked[Table.ACTIVITIES] = check_activities(raw, mapping, options, owners)
            table = _keyed(checked[Table.ACTIVITIES].table, owners.column("rowid"))
            del raw, owners  # the text table is not needed past validation
            scanned["activities"] = table.select(ACTIVITY_COLUMNS)
        else:
            con.execute(EMPTY_ACTIVITIES)
    except (ValueError, KeyError) as exc:
        raise LoadError(str(exc).strip("'\"")) from None
    check_total(con)
    step("Storing the rejected rows")
    rejects = [c.rejects for c in checked.values()]
    con.register("_rej", pa.concat_tables(rejects) if rejects else REJECT_SCHEMA.empty_table())
    con.execute("CREATE TABLE rejects AS SELECT * FROM _rej")
    con.unregister("_rej")
    reports = {t: c.report for t, c in checked.items()}
    for report in reports.values():
        warnings.extend(f"{report.name}: {w}" for w in report.warnings)
    return_freed_memory()  # what the check freed, before prepare's arrays stack on it
    source = source or _describe(accounts, activities, orders)
    return Book(
        con, reports, warnings, as_of, source, scanned=scanned, keyed=activities is not None
    )


def _keyed(activities: pa.Table, rowids: pa.ChunkedArray) -> pa.Table:
    """The checked activities with `account_key` the rowid of their account (the check
    gives its row in the owners table, which need not be the rowid)."""
    at = activities.schema.get_field_index("account_key")
    keys = one_array(rowids).cast(pa.int32()).take(activities.column(at))
    return activities.set_column(at, "account_key", keys)


def check_total(con: duckdb.DuckDBPyConnection) -> None:
    """LoadError when the accounts' revenue adds up past what ALMS sums exactly."""
    total = con.execute("SELECT sum(revenue) FROM accounts").fetchall()[0][0]
    if total is not None and total > MAX_TOTAL:
        raise LoadError(
            f"the book's revenue adds up to {total:,.0f}, beyond the {MAX_TOTAL:,.0f} that "
            "ALMS sums exactly; check the revenue column's unit (cents? thousands?)."
        )


def _describe(*uploads: Upload | None) -> str:
    return ", ".join(u.name for u in uploads if u is not None)


_ACCOUNT_COLUMNS = {
    "account_id": "VARCHAR",
    "account_name": "VARCHAR",
    "owner": "VARCHAR",
    "status": "VARCHAR",
    "status_raw": "VARCHAR",
    "revenue": "DECIMAL(38,4)",
    "prior_revenue": "DECIMAL(38,4)",
    "potential": "DECIMAL(38,4)",
    "industry": "VARCHAR",
    "region": "VARCHAR",
    "prospect_list": "VARCHAR",
    "never_prospect": "BOOLEAN",
    "margin": "DOUBLE",
    "share_of_wallet": "DOUBLE",
    "exec_access": "DOUBLE",
    "dm_access": "DOUBLE",
    "product_fit": "DOUBLE",
    "strategic_fit": "DOUBLE",
    "src_row": "BIGINT",
}

_ORDER_COLUMNS = {
    "account_id": "VARCHAR",
    "account_name": "VARCHAR",
    "owner": "VARCHAR",
    "date": "DATE",
    "amount": "DECIMAL(38,4)",
    "src_row": "BIGINT",
}

_ACTIVITY_TYPES = {
    "account_id": "VARCHAR", "seller": "VARCHAR", "date": "DATE", "type": "VARCHAR",
    "type_raw": "VARCHAR", "duration_minutes": "DOUBLE", "src_row": "BIGINT",
    "account_key": "INTEGER",
}  # fmt: skip
ACTIVITY_COLUMNS = list(_ACTIVITY_TYPES)
"""The columns of a book's `activities`, in order."""
EMPTY_ACTIVITIES = (
    f"CREATE TABLE activities ({', '.join(f'{c} {t}' for c, t in _ACTIVITY_TYPES.items())})"
)
"""The activities table of a book without activity rows (none loaded, or summed in an
engine)."""


def _create_table(
    con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, columns: dict[str, str]
) -> None:
    """A table with every canonical column (absent ones null), typed as `columns` says."""
    con.register("_in", table)
    present = set(table.column_names)
    exprs = []
    for col, sql_type in columns.items():
        expr = f'CAST("{col}" AS {sql_type})' if col in present else f"CAST(NULL AS {sql_type})"
        if name == "accounts" and col == "revenue":
            expr = f"COALESCE({expr}, 0)"  # a blank revenue is 0: band Zero, not a customer
        exprs.append(f"{expr} AS {col}")
    con.execute(f"CREATE TABLE {name} AS SELECT {', '.join(exprs)} FROM _in")
    con.unregister("_in")


def create_accounts(con: duckdb.DuckDBPyConnection, table: pa.Table | None) -> None:
    """The accounts table, and `account_numbers`: the accounts file's other numeric
    columns (n0, n1, ... as FileReport.numbers names them), one row per account."""
    if table is not None:
        _create_table(con, "accounts", table, _ACCOUNT_COLUMNS)
    numbers = [] if table is None else [c for c in table.column_names if _is_number_column(c)]
    if numbers:
        con.register("_in", table.select(["account_id", *numbers]))
        con.execute("CREATE TABLE account_numbers AS SELECT * FROM _in")
        con.unregister("_in")
    else:
        con.execute("CREATE TABLE account_numbers (account_id VARCHAR)")


def _is_number_column(name: str) -> bool:
    return name.startswith("n") and name[1:].isdigit()


def _accounts_from_orders(
    con: duckdb.DuckDBPyConnection,
    checked: dict[Table, Checked],
    options: LoadOptions,
    warnings: list[str],
) -> date | None:
    """The orders table, and the accounts with revenue from it (`_order_revenue`)."""
    _create_table(con, "orders", checked[Table.ORDERS].table, _ORDER_COLUMNS)
    has_accounts = Table.ACCOUNTS in checked
    if has_accounts:
        create_accounts(con, checked[Table.ACCOUNTS].table)
        if "revenue" in checked[Table.ACCOUNTS].report.mapping:
            warnings.append(
                "revenue and prior revenue come from the order lines, not the accounts file"
            )
    return _order_revenue(con, options.as_of, has_accounts, warnings)


def _order_revenue(
    con: duckdb.DuckDBPyConnection, as_of: date | None, has_accounts: bool, warnings: list[str]
) -> date | None:
    """Revenue and prior revenue from the `orders` table at `as_of` (None: the latest
    order date); without an accounts table, the accounts too. Returns the as-of date.

    revenue = sum of amounts dated in (as_of - 1 year, as_of]; prior_revenue = the same
    for the year before. A negative net (more credits than orders) counts as 0, warned.
    """
    as_of = as_of or con.execute("SELECT max(date) FROM orders").fetchall()[0][0]
    # No dated line at all (every line rejected): no as-of date, never today's date; the
    # windows below are then empty and every revenue is 0.
    con.execute(f"CREATE TABLE order_totals AS {duckdb_sql('order_totals', as_of)}")
    later = con.execute("SELECT count(*) FROM orders WHERE date > $1", [as_of]).fetchall()[0][0]
    accounts_from_totals(con, as_of, has_accounts, warnings, later)
    return as_of


def accounts_from_totals(
    con: duckdb.DuckDBPyConnection,
    as_of: date | None,
    has_accounts: bool,
    warnings: list[str],
    later: int,
) -> None:
    """Revenue and prior revenue of the accounts from the `order_totals` table
    (`alms.aggregates.order_totals`, wherever it was computed); without an accounts
    table, the accounts too. `later` counts the lines dated after the as-of date."""
    negative = con.execute(
        "SELECT count(*) FILTER (WHERE revenue < 0), count(*) FILTER (WHERE prior < 0),"
        " list(account_id ORDER BY account_id) FILTER (WHERE revenue < 0),"
        " list(account_id ORDER BY account_id) FILTER (WHERE prior < 0)"
        " FROM order_totals"
    ).fetchall()[0]
    if negative[0]:
        sample = ", ".join(negative[2][:10]) + (" ..." if negative[0] > 10 else "")
        warnings.append(
            many(negative[0], "account has", "accounts have")
            + " more credit notes than orders in the last 12 months:"
            f" revenue counted as 0 ({sample})"
        )
    if negative[1]:
        sample = ", ".join(negative[3][:10]) + (" ..." if negative[1] > 10 else "")
        warnings.append(
            many(negative[1], "account nets", "accounts net")
            + f" negative in the prior 12 months: counted as 0 ({sample})"
        )
    if later:
        warnings.append(
            many(later, "order line is", "order lines are")
            + f" dated after the as-of date {as_of}: not counted"
        )
    if has_accounts:
        con.execute(
            """
            UPDATE accounts SET
              revenue = COALESCE((SELECT greatest(t.revenue, 0) FROM order_totals t
                                  WHERE t.account_id = accounts.account_id), 0),
              prior_revenue = COALESCE((SELECT greatest(t.prior, 0) FROM order_totals t
                                        WHERE t.account_id = accounts.account_id), 0)
            """
        )
    else:
        con.execute(
            f"""
            CREATE TABLE accounts AS SELECT
              account_id, COALESCE(name, account_id) AS account_name,
              COALESCE(owner, '{UNASSIGNED}') AS owner,
              CAST(NULL AS VARCHAR) AS status, CAST(NULL AS VARCHAR) AS status_raw,
              CAST(greatest(revenue, 0) AS DECIMAL(38,4)) AS revenue,
              CAST(greatest(prior, 0) AS DECIMAL(38,4)) AS prior_revenue,
              {", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in list(_ACCOUNT_COLUMNS.items())[7:])}
            FROM order_totals WHERE first_date <= $asof ORDER BY account_id
            """,
            {"asof": as_of},
        )
        # An account whose lines all come after the as-of date did not exist then
        # (DOMAIN.md section 7: a snapshot of order lines holds the accounts with a line
        # dated on or before its as-of date); its lines stay accepted, and are named here.
        later_only = con.execute(
            "SELECT count(*), list(account_id ORDER BY account_id)[:10] FROM order_totals"
            " WHERE first_date > $asof OR $asof IS NULL",
            {"asof": as_of},
        ).fetchall()[0]
        if later_only[0]:
            warnings.append(
                many(later_only[0], "account has", "accounts have")
                + f" order lines only after the as-of date {as_of}: not in the book"
                f" ({', '.join(later_only[1])}{' ...' if later_only[0] > 10 else ''})"
            )
        no_owner = con.execute(
            "SELECT count(*) FROM order_totals WHERE owner IS NULL AND first_date <= $asof",
            {"asof": as_of},
        ).fetchall()[0][0]
        if no_owner:
            warnings.append(
                many(no_owner, "account has", "accounts have")
                + f' no owner in the order lines: "{UNASSIGNED}"'
            )
