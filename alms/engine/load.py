"""A Book from tables in an engine: the accounts come across, the activities do not.

What crosses the network: the accounts table (one row per account, checked by the same
rules as a file: `alms.reading.ingest.check_accounts`), and the aggregates of
`alms.aggregates` computed inside the engine: for a usable book one row per account;
when a page first reads days (the time, matrix and follow-through pages), the sums per
account, seller, type and bucket of days (at most accounts x their sellers x 5 types x
the buckets, however many activities fill them; benchmarks/README.md measures both).
The activity and order rows never leave the engine; their checks are counted there per
reason and column, and the first rows of each reason are sent for the rejects list.

Day-exact windows need breakpoints: the buckets end at every breakpoint (the as-of
date, the 12-month windows, the last 24 calendar month ends and the N-month windows),
so every window the settings name is exact; a window with another end is refused by
`Daily.between` rather than approximated (`breakpoints` takes the extra days, e.g.
the follow-through's start date).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

import duckdb
import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from alms import aggregates, windows
from alms.engine.connection import Engine, EngineError, reason_of
from alms.followthrough import sides_of, trend_window
from alms.reading.book import (
    EMPTY_ACTIVITIES,
    MEMORY_LIMIT,
    Book,
    LoadError,
    Progress,
    accounts_from_totals,
    check_total,
    connect,
    create_accounts,
    progress_steps,
)
from alms.reading.ingest import (
    REJECT_SCHEMA,
    TYPE_RULES,
    Checked,
    FileReport,
    LoadOptions,
    category_of,
    check_accounts,
    many,
)
from alms.reading.parsing import DateOrder, DecimalMark
from alms.reading.readers import RawTable
from alms.reading.schema import Table, propose_mapping
from alms.settings import TREND_MONTHS, Settings
from alms.windows import months_before

log = logging.getLogger(__name__)
T = TypeVar("T")
LISTED = 100
"""Rejected activity rows sent per reason (the rest are counted, not sent)."""
MAX_TYPES = 10_000
"""Most distinct activity type texts mapped to types (a free-text column is refused)."""
UNKNOWN = "unknown account (not in the accounts)"


@dataclass(frozen=True)
class Tables:
    """Which catalogue tables hold the book, and each one's field -> column mapping
    (a table without one gets the mapping proposed from its column names)."""

    accounts: str | None
    activities: str | None = None
    orders: str | None = None
    mappings: dict[Table, dict[str, str]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [t for t in (self.accounts, self.orders, self.activities) if t is not None]

    def name(self, table: Table) -> str | None:
        return {
            Table.ACCOUNTS: self.accounts,
            Table.ACTIVITIES: self.activities,
            Table.ORDERS: self.orders,
        }[table]

    def mapping(self, table: Table, columns: list[str]) -> dict[str, str]:
        given = self.mappings.get(table)
        mapping = dict(given) if given is not None else propose_mapping(table, columns)
        missing = [c for c in mapping.values() if c not in columns]
        if missing:
            raise LoadError(f"{self.name(table)}: no column named {', '.join(map(repr, missing))}.")
        return mapping


def breakpoints(as_of: date, extra: Iterable[date] = ()) -> list[date]:
    """The days buckets end on: the as-of date, the starts of the revenue windows and of
    the 1-24 month windows, the last 24 calendar month ends (the trend's months), and
    `extra` (days before the as-of date)."""
    points = {as_of, *aggregates.revenue_windows(as_of)}
    points |= {months_before(as_of, m) for m in (1, 3, 6, 12, 24)}
    # A trend of k months starts after the last day of the month k months back.
    points |= {trend_window(as_of, k).after for k in range(1, max(TREND_MONTHS) + 1)}
    points |= {d for d in extra if d < as_of}
    return sorted(points)


def settings_days(settings: Settings, as_of: date | None) -> list[date]:
    """The days the settings' own windows end on beyond `breakpoints`' own: the time
    page's window (a custom range), the two sides of the follow-through's start date."""
    window = windows.of(settings.window, as_of)
    if window is None:
        return []
    days = [window.after, window.until]
    since = settings.follow.since
    if since is not None and since < as_of:
        for side in sides_of(since, as_of):
            days += [side.after, side.until]
    return days


def load_from(
    engine: Engine,
    tables: Tables,
    options: LoadOptions | None = None,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> Book:
    """A Book of `tables` in `engine`. LoadError (one sentence, no credentials) when it
    cannot be built; bad rows never raise, they are counted and the first listed.
    `settings`: their day-exact windows (`settings_days`) are summed exactly too."""
    options = options or LoadOptions()
    book = _guarded(engine, lambda: _load(engine, tables, options, progress, settings))

    def reload(as_of: date | None = None, now: Settings | None = None) -> Book:
        """The same tables read again: at an earlier as-of date (a baseline), or with
        the windows of other settings summed exactly too."""
        return load_from(engine, tables, replace(options, as_of=as_of or options.as_of),
                         None, now or settings)  # fmt: skip

    book.reload = reload
    return book


def _guarded(engine: Engine, work: Callable[[], T], what: str = "the book") -> T:
    """`work()`, any failure turned into one LoadError sentence without credentials
    ("<engine>: <what> could not be read (<reason>).")."""
    try:
        return work()
    except LoadError:
        raise
    except EngineError as exc:
        raise LoadError(str(exc)) from None
    except MemoryError:
        raise LoadError(
            f"the book needs more memory than a session may use ({MEMORY_LIMIT})."
        ) from None
    except Exception as exc:
        log.exception("engine load failed")
        raise LoadError(f"{engine.label}: {what} could not be read ({reason_of(exc)}).") from None


def _load(
    engine: Engine,
    tables: Tables,
    options: LoadOptions,
    progress: Progress | None,
    settings: Settings | None,
) -> Book:
    if tables.accounts is None and tables.orders is None:
        raise LoadError("Choose an accounts table or an order lines table (or both).")
    step = progress_steps(progress, 1 + 2 * sum(t is not None for t in tables.names))
    checked = None
    if tables.accounts is not None:
        step(f"Reading {tables.accounts} from {engine.label}")
        checked = _accounts(engine, tables.accounts, tables, options)
    con = connect()
    try:
        reports: dict[Table, FileReport] = {}
        parts: list[_Rejected] = []
        warnings: list[str] = []
        as_of = options.as_of
        if checked is not None:
            create_accounts(con, checked.table)
            reports[Table.ACCOUNTS] = checked.report
            parts.append(_Rejected(checked.rejects, 0, 0))
        else:
            create_accounts(con, None)
        if tables.orders is not None:
            report, rejected, as_of = _orders(engine, tables, con, options, checked, warnings, step)
            reports[Table.ORDERS] = report
            parts.append(rejected)
        points: list[date] = []
        fetch = None
        if tables.activities is not None:
            report, rejected, points, fetch = _activities(
                engine, tables, con, as_of, settings, step
            )
            reports[Table.ACTIVITIES] = report
            parts.append(rejected)
        con.execute(EMPTY_ACTIVITIES)  # the rows stay in the engine
        if tables.activities is None:  # the same sums, of no activities
            for kind in ("activity_per_account", "activity_sums"):
                con.execute(f"CREATE TABLE {kind} AS {aggregates.duckdb_sql(kind, None)}")
        check_total(con)
        con.register("_rej", pa.concat_tables([r.listed for r in parts]))
        con.execute("CREATE TABLE rejects AS SELECT * FROM _rej")
        con.unregister("_rej")
        warnings += [f"{r.name}: {w}" for r in reports.values() for w in r.warnings]
        return Book(
            con,
            reports,
            warnings,
            as_of,
            f"{engine.label}: {', '.join(tables.names)}",
            aggregated=True,
            breakpoints=tuple(points),
            fetch_sums=fetch,
            unlisted=(sum(r.rows for r in parts), sum(r.problems for r in parts)),
        )
    except BaseException:
        con.close()
        raise


@dataclass(frozen=True)
class _Rejected:
    """One table's rejects: those listed, and the rows and problems counted beyond them."""

    listed: pa.Table
    rows: int
    problems: int


def _accounts(engine: Engine, name: str, tables: Tables, options: LoadOptions) -> Checked:
    """The accounts table, brought across as text and checked by the file rules."""
    t = engine.table(name)
    mapping = tables.mapping(Table.ACCOUNTS, list(t.schema().names))
    raw = _as_text(engine, t, name, mapping)
    # Typed columns come across as plain text: ISO dates, "." decimals.
    text_options = replace(options, date_order=DateOrder.YMD, decimal_mark=DecimalMark.POINT)
    try:
        return check_accounts(raw, mapping, text_options)
    except (ValueError, KeyError) as exc:
        raise LoadError(str(exc).strip("'\"")) from None


def _as_text(engine: Engine, t: ir.Table, name: str, mapping: dict[str, str]) -> RawTable:
    """Every column of `t` as text, ordered by the id column then the others (a table
    has no row order of its own; row N is the N-th in that order)."""
    names = list(t.schema().names)
    key = mapping.get("account_id") or mapping.get("account_name") or names[0]
    text = t.select(*[t[c].cast("string").name(c) for c in names])
    text = text.order_by([key, *[c for c in names if c != key]])
    table = engine.run(text)
    table = pa.table([c.cast(pa.string()) for c in table.columns], names=names)
    rows = pa.array(np.arange(1, table.num_rows + 1), pa.int64())
    return RawTable(name, table, rows)


def _text(col: ir.Value) -> ir.StringValue:
    """Trimmed text, blank -> null (the rule of `alms.reading.parsing.clean_text`)."""
    text = col.cast("string").strip()
    return ibis.ifelse(text == "", ibis.null("string"), text)


def _typed(t: ir.Table, name: str, column: str, want: str, as_type: str = "float64") -> ir.Value:
    """Column `column` of table `name` as a date or a number, refused in one sentence
    when the engine holds it as something else (its text is not parsed engine-side)."""
    dtype = t[column].type()
    if want == "date" and (dtype.is_date() or dtype.is_timestamp()):
        return t[column].cast("date")
    if want == "number" and dtype.is_numeric():
        return t[column].cast(as_type)
    kind = "dates" if want == "date" else "numbers"
    raise LoadError(
        f"{name}: column {column!r} holds {dtype} values, not {kind}; map another column or "
        f"cast it in a view."
    )


def _activities(
    engine: Engine,
    tables: Tables,
    con: duckdb.DuckDBPyConnection,
    as_of: date | None,
    settings: Settings | None,
    step: Callable[[str], None],
) -> tuple[FileReport, _Rejected, list[date], Callable[[], None]]:
    """The activities summed in the engine (alms.aggregates) into the session's
    `activity_per_account`, their rejects counted there; and what brings their per-day
    sums into `activity_sums` when a page first reads days (`Book.fetch_sums`)."""
    name = tables.activities
    src = engine.table(name)
    mapping = tables.mapping(Table.ACTIVITIES, list(src.schema().names))
    missing = [f for f in ("account_id", "date") if f not in mapping]
    if missing:
        raise LoadError(f"{name}: map the {' and '.join(missing)} column(s).")
    step(f"Checking the activities of {name} in {engine.label}")
    rows = src.select(
        account_id=_text(src[mapping["account_id"]]),
        date=_typed(src, name, mapping["date"], "date"),
        seller=_text(src[mapping["seller"]]) if "seller" in mapping else ibis.null("string"),
        type_raw=_text(src[mapping["type"]]) if "type" in mapping else ibis.null("string"),
        duration_minutes=(
            _typed(src, name, mapping["duration_minutes"], "number")
            if "duration_minutes" in mapping
            else ibis.null("float64")
        ),
    )
    negative = (rows.duration_minutes < 0).fill_null(False)
    reasons = [
        _Reason(rows.account_id.isnull(), "account_id", "missing account id"),
        _Reason(rows.date.isnull(), "date", "missing date"),
        _Reason(negative, "duration_minutes", "negative duration"),
    ]
    ok = _ok(rows)
    counts = _counts(
        engine,
        rows,
        ok,
        reasons,
        blank_seller=rows.count(where=ok & rows.seller.isnull()),
        blank_duration=rows.count(where=ok & rows.duration_minutes.isnull()),
    )
    unknown = _unknown(engine, con, rows, _ok, True)
    as_of = as_of or unknown.last_known
    good = rows.filter(ok)
    types = engine.run(
        good.group_by("type_raw").aggregate(n=good.count()).limit(MAX_TYPES + 1)
    ).to_pylist()
    if len(types) > MAX_TYPES:
        raise LoadError(f"{name}: the type column has over {MAX_TYPES:,} different texts.")
    categories = {
        r["type_raw"]: category_of(r["type_raw"], TYPE_RULES, "other")
        for r in types
        if r["type_raw"] is not None  # a blank type is "other", with no warning
    }
    category = (
        good.type_raw.substitute(categories, else_="other") if categories else ibis.literal("other")
    )
    acts = good.mutate(type=category)
    step(f"Summing the activities per account in {engine.label}")
    per_account = engine.run(aggregates.activity_per_account(acts, as_of))
    extra = settings_days(settings, as_of) if settings is not None else []
    points = breakpoints(as_of, extra) if as_of is not None else []
    _store_per_account(con, per_account)
    fetch = _sums_fetcher(engine, con, aggregates.activity_sums(acts, as_of, points))
    rejected, report = _report(
        engine, Table.ACTIVITIES, name, rows, mapping, reasons, counts, unknown
    )
    report.notes.append(
        f"summed in {engine.label}: {many(int(counts['total']), 'row', 'rows')}, none sent"
    )
    report.warnings.extend(_warnings(counts, categories, types, mapping))
    return report, rejected, points, fetch


def _orders(
    engine: Engine,
    tables: Tables,
    con: duckdb.DuckDBPyConnection,
    options: LoadOptions,
    accounts: Checked | None,
    warnings: list[str],
    step: Callable[[str], None],
) -> tuple[FileReport, _Rejected, date | None]:
    """The order lines summed per account in the engine (alms.aggregates.order_totals),
    and the accounts' revenue from them as for a file (`accounts_from_totals`)."""
    name = tables.orders
    src = engine.table(name)
    mapping = tables.mapping(Table.ORDERS, list(src.schema().names))
    if "account_id" not in mapping and "account_name" in mapping:
        mapping["account_id"] = mapping["account_name"]
    by_amount = "amount" in mapping
    need = [
        "account_id",
        "date",
        *([] if by_amount or {"quantity", "unit_price"} <= set(mapping) else ["amount"]),
    ]
    missing = [f for f in need if f not in mapping]
    if missing:
        raise LoadError(
            f"{name}: map the {', '.join(missing)} column(s) (or quantity and unit price)."
        )
    step(f"Checking the order lines of {name} in {engine.label}")
    money = "decimal(38, 4)"
    if by_amount:
        amount = _typed(src, name, mapping["amount"], "number", money)
        parts = {}
    else:
        parts = {
            f: _typed(src, name, mapping[f], "number", money) for f in ("quantity", "unit_price")
        }
        amount = (parts["quantity"] * parts["unit_price"]).cast(money)
    rows = src.select(
        account_id=_text(src[mapping["account_id"]]),
        account_name=(
            _text(src[mapping["account_name"]])
            if "account_name" in mapping
            else ibis.null("string")
        ),
        owner=_text(src[mapping["owner"]]) if "owner" in mapping else ibis.null("string"),
        date=_typed(src, name, mapping["date"], "date"),
        amount=amount,
        **parts,
    )
    reasons = [
        _Reason(rows.account_id.isnull(), "account_id", "missing account id"),
        _Reason(rows.date.isnull(), "date", "missing date"),
    ]
    if by_amount:
        reasons.append(_Reason(rows.amount.isnull(), "amount", "missing amount"))
    else:
        reasons += [
            _Reason(rows[f].isnull(), f, f"missing {f.replace('_', ' ')}")
            for f in ("quantity", "unit_price")
        ]
    ok = _order_ok(rows)
    counts = _counts(engine, rows, ok, reasons)
    unknown = _unknown(engine, con, rows, _order_ok, accounts is not None)
    as_of = options.as_of or unknown.last_known
    step(f"Summing the order lines per account in {engine.label}")
    known = rows.filter(ok)
    totals = engine.run(aggregates.order_totals(known, as_of))
    con.register("_totals", totals)
    con.execute("CREATE TABLE order_totals AS SELECT * FROM _totals")
    con.unregister("_totals")
    if accounts is not None:  # lines of unknown accounts are rejected, not summed
        con.execute(
            "DELETE FROM order_totals WHERE account_id NOT IN (SELECT account_id FROM accounts)"
        )
        if "revenue" in accounts.report.mapping:
            warnings.append(
                "revenue and prior revenue come from the order lines, not the accounts file"
            )
    later = 0
    if as_of is not None:  # lines after the as-of date, of the accounts kept
        after = known.filter(known.date > as_of)
        con.register("_later", engine.run(after.group_by("account_id").aggregate(n=after.count())))
        later = con.execute(
            "SELECT COALESCE(sum(n), 0) FROM _later WHERE account_id IN"
            " (SELECT account_id FROM order_totals)"
        ).fetchall()[0][0]
        con.unregister("_later")
    accounts_from_totals(con, as_of, accounts is not None, warnings, int(later))
    rejected, report = _report(engine, Table.ORDERS, name, rows, mapping, reasons, counts, unknown)
    report.notes.append(
        f"summed in {engine.label}: {many(int(counts['total']), 'line', 'lines')}, none sent"
    )
    return report, rejected, as_of


@dataclass(frozen=True)
class _Reason:
    """A check counted in the engine: the rows it rejects, the field, the reason."""

    where: ir.BooleanValue
    field: str
    text: str


@dataclass(frozen=True)
class _Unknown:
    """Rows whose account is not among the accepted accounts."""

    rows: int  # rows with such an id (also rejected for another reason or not)
    only: int  # of them, rows with no other problem
    ids: list[str]  # the first LISTED such ids
    last_known: date | None  # the latest date of a kept row of a known account


def _unknown(
    engine: Engine,
    con: duckdb.DuckDBPyConnection,
    rows: ir.Table,
    is_ok: Callable[[ir.Table], ir.BooleanValue],
    check: bool,
) -> _Unknown:
    """Rows per account id counted in the engine (O(accounts) sent back), matched with
    the accepted accounts in the session: a row of an account not among them is
    rejected as for a file; without an accounts table (`check` False) none is.
    `is_ok`: the table's own checks, for the rows they keep."""
    with_id = rows.filter(rows.account_id.notnull())
    kept = is_ok(with_id)
    per_id = engine.run(
        with_id.group_by("account_id").aggregate(
            n=with_id.count(), bad=with_id.count(where=~kept), last=with_id.date.max(where=kept)
        )
    )
    con.register("_per_id", per_id)
    try:
        known = "account_id IN (SELECT account_id FROM accounts)" if check else "true"
        rows_, only, ids, last = con.execute(
            f"SELECT COALESCE(sum(n) FILTER (WHERE NOT ({known})), 0),"
            f" COALESCE(sum(n - bad) FILTER (WHERE NOT ({known})), 0),"
            f" list(account_id ORDER BY account_id) FILTER (WHERE NOT ({known})),"
            f" max(last) FILTER (WHERE {known}) FROM _per_id"
        ).fetchall()[0]
    finally:
        con.unregister("_per_id")
    return _Unknown(int(rows_), int(only), list(ids or [])[:LISTED], last)


def _report(
    engine: Engine,
    table: Table,
    name: str,
    rows: ir.Table,
    mapping: dict[str, str],
    reasons: list[_Reason],
    counts: dict,
    unknown: _Unknown,
) -> tuple[_Rejected, FileReport]:
    """The table's report and rejects: every problem counted, the first LISTED rows of
    each reason listed. A listed row has no row number (a table has none); each counts
    as one row, so a row with two problems may be counted as two rows there."""
    parts = []
    for i, reason in enumerate(reasons):
        if counts[f"r{i}"]:
            found = engine.run(
                rows.filter(reason.where)
                .select(value=rows[reason.field].cast("string"))
                .limit(LISTED)
            )
            header = mapping[reason.field]
            parts.append(_rejects(name, header, found.column("value"), reason.text))
    if unknown.ids:
        found = engine.run(
            rows.filter(rows.account_id.isin(unknown.ids))
            .select(value=rows.account_id)
            .limit(LISTED)
        )
        parts.append(_rejects(name, mapping["account_id"], found.column("value"), UNKNOWN))
    listed = pa.concat_tables(parts) if parts else REJECT_SCHEMA.empty_table()
    rejected_rows = int(counts["bad"]) + unknown.only
    problems = sum(int(counts[f"r{i}"]) for i in range(len(reasons))) + unknown.rows
    report = FileReport(
        table,
        name,
        int(counts["total"]),
        int(counts["total"]) - rejected_rows,
        rejected_rows,
        dict(mapping),
    )
    counted = _Rejected(
        listed,
        max(rejected_rows - listed.num_rows, 0),
        max(problems - listed.num_rows, 0),
    )
    return counted, report


def _ok(rows: ir.Table) -> ir.BooleanValue:
    """An activity is kept with an account id, a date and no negative duration."""
    negative = (rows.duration_minutes < 0).fill_null(False)
    return rows.account_id.notnull() & rows.date.notnull() & ~negative


def _order_ok(rows: ir.Table) -> ir.BooleanValue:
    """An order line is kept with an account id, a date and an amount."""
    return rows.account_id.notnull() & rows.date.notnull() & rows.amount.notnull()


def _counts(
    engine: Engine,
    rows: ir.Table,
    ok: ir.BooleanValue,
    reasons: list[_Reason],
    **extra: ir.Value,
) -> dict:
    """One pass over the rows in the engine: `total`, `bad` (rows a check rejects),
    `r0`, `r1`, ... (rows per reason, in `reasons`' order) and the `extra` counts."""
    return _one_row(
        engine,
        rows.aggregate(
            total=rows.count(),
            bad=rows.count(where=~ok),
            **{f"r{i}": rows.count(where=r.where) for i, r in enumerate(reasons)},
            **extra,
        ),
    )


def _one_row(engine: Engine, expr: ir.Table) -> dict:
    """The one row of an aggregate; a count over no rows is 0 (Spark sums it: null)."""
    row = engine.run(expr).to_pylist()[0]
    return {k: (0 if v is None and k != "last" else v) for k, v in row.items()}


def _store_per_account(con, per_account: pa.Table) -> None:
    """The engine's per-account sums into the session's database, typed as the
    embedded path types them."""
    con.register("_pa", per_account)
    columns = ["account_id", "last_activity", "last_contact"]
    casts = ", ".join(
        f"CAST({c} AS {'DOUBLE' if c.startswith('m_') else 'BIGINT'}) AS {c}"
        for c in per_account.column_names
        if c not in columns
    )
    con.execute(
        "CREATE TABLE activity_per_account AS SELECT account_id, CAST(last_activity AS DATE)"
        f" AS last_activity, CAST(last_contact AS DATE) AS last_contact, {casts} FROM _pa"
    )
    con.unregister("_pa")


def _sums_fetcher(
    engine: Engine, con: duckdb.DuckDBPyConnection, expr: ir.Table
) -> Callable[[], None]:
    """What brings the per-day sums `expr` across when first called (later calls do
    nothing): the bytes grow with the filled (account, seller, type, bucket) cells, so
    they move when a page reads days, not for a usable book. LoadError (one sentence,
    no credentials) when the engine does not answer."""
    done = False

    def fetch() -> None:
        nonlocal done
        if not done:
            _store_sums(con, _guarded(engine, lambda: engine.run(expr), "the activities per day"))
            done = True

    return fetch


def _store_sums(con, sums: pa.Table) -> None:
    """The engine's per-day sums into the session's database, typed as the embedded
    path types them; a blank seller is the account's owner (as for a file)."""
    con.register("_sums", sums)
    con.execute(
        """
        CREATE TABLE activity_sums AS
        SELECT CAST(s.day AS DATE) AS day, s.account_id, COALESCE(s.seller, a.owner) AS seller,
               s.type, CAST(s.m AS DOUBLE) AS m, CAST(s.b AS BIGINT) AS b
        FROM _sums s LEFT JOIN accounts a ON a.account_id = s.account_id
        """
    )
    con.unregister("_sums")


def _rejects(name: str, column: str, values: pa.ChunkedArray, reason: str) -> pa.Table:
    n = len(values)
    return pa.table(
        [
            pa.array([name] * n, pa.string()),
            pa.nulls(n, pa.int64()),  # a table has no row numbers of its own
            pa.array([column] * n, pa.string()),
            values.cast(pa.string()).combine_chunks(),
            pa.array([reason] * n, pa.string()),
        ],
        schema=REJECT_SCHEMA,
    )


def _warnings(counts: dict, categories: dict, types: list[dict], mapping: dict) -> list[str]:
    out = []
    if counts["blank_seller"] and "seller" in mapping:
        out.append(
            many(int(counts["blank_seller"]), "activity has", "activities have")
            + " no seller: the account owner is used"
        )
    other = sorted(
        ((r["type_raw"], r["n"]) for r in types if categories.get(r["type_raw"]) == "other"),
        key=lambda kv: (-kv[1], kv[0]),
    )
    if other:
        listed = ", ".join(f"{t!r} x {c:,}" for t, c in other[:5]) + (
            " ..." if len(other) > 5 else ""
        )
        out.append(
            many(sum(n for _, n in other), "activity has", "activities have")
            + f" a type that is no call, email, meeting or visit ({listed}): counted as"
            " other (its default minutes apply where the duration is blank)"
        )
    if counts["blank_duration"] and "duration_minutes" in mapping:
        out.append(
            many(int(counts["blank_duration"]), "activity has", "activities have")
            + " no duration: its type's default minutes apply"
        )
    return out
