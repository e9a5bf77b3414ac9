"""A Book from tables in an engine: the accounts come across, the activities do not.

What crosses the network is O(accounts): the accounts table (one row per account,
checked by the same rules as a file: `alms.reading.ingest.check_accounts`), and the
aggregates of `alms.aggregates` computed inside the engine over the activities: one row
per account, and the sums per account, seller, type and bucket of days. The activity
rows themselves never leave the engine; their checks are counted there per reason and
column, and the first rows of each reason are sent for the rejects list.

Day-exact windows need breakpoints: the buckets end at every breakpoint (the as-of
date, the 12-month windows, the last 24 calendar month ends and the N-month windows),
so every window the settings name is exact; a window with another end is refused by
`Daily.between` rather than approximated (`breakpoints` takes the extra days, e.g.
the follow-through's start date).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from alms import aggregates
from alms.engine.connection import Engine, EngineError, _reason
from alms.reading.book import (
    MEMORY_LIMIT,
    Book,
    LoadError,
    Progress,
    _steps,
    check_total,
    connect,
    create_accounts,
)
from alms.reading.ingest import (
    REJECT_SCHEMA,
    TYPE_RULES,
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

log = logging.getLogger(__name__)
LISTED = 100
"""Rejected activity rows sent per reason (the rest are counted, not sent)."""
MAX_TYPES = 10_000
"""Most distinct activity type texts mapped to types (a free-text column is refused)."""
UNKNOWN = "unknown account (not in the accounts)"


@dataclass(frozen=True)
class Tables:
    """Which catalogue tables hold the book, and each one's field -> column mapping
    (a table without one gets the mapping proposed from its column names)."""

    accounts: str
    activities: str | None = None
    mappings: dict[Table, dict[str, str]] = field(default_factory=dict)

    def mapping(self, table: Table, columns: list[str]) -> dict[str, str]:
        given = self.mappings.get(table)
        mapping = dict(given) if given is not None else propose_mapping(table, columns)
        missing = [c for c in mapping.values() if c not in columns]
        if missing:
            name = self.accounts if table == Table.ACCOUNTS else self.activities
            raise LoadError(f"{name}: no column named {', '.join(map(repr, missing))}.")
        return mapping


def month_end(index: int) -> date:
    """The last day of month `index` (months since January 1970)."""
    year, month = divmod(index + 1, 12)
    return date(1970 + year, month + 1, 1) - timedelta(days=1)


def breakpoints(as_of: date, extra: Iterable[date] = ()) -> list[date]:
    """The days buckets end on: the as-of date, the starts of the revenue windows and of
    the 1-24 month windows, the last 24 calendar month ends (the trend's months), and
    `extra` (days before the as-of date)."""
    from alms.windows import months_before

    points = {as_of, *aggregates.revenue_windows(as_of)}
    points |= {months_before(as_of, m) for m in (1, 3, 6, 12, 24)}
    this_month = (as_of.year - 1970) * 12 + as_of.month - 1
    points |= {month_end(this_month - k) for k in range(1, max(TREND_MONTHS) + 1)}
    points |= {d for d in extra if d < as_of}
    return sorted(points)


def settings_days(settings: Settings, as_of: date | None) -> list[date]:
    """The days the settings' own windows end on beyond `breakpoints`' own: a custom
    range of the time page, the two sides of the follow-through's start date."""
    if as_of is None:
        return []
    days: list[date] = []
    window = settings.time_window
    if window.months is None:
        days += [window.start - timedelta(days=1), min(window.end, as_of)]
    since = settings.follow.since
    if since is not None and since < as_of:
        days += [since, since - (as_of - since)]
    return days


def load_from(
    engine: Engine,
    tables: Tables,
    options: LoadOptions | None = None,
    progress: Progress | None = None,
    extra_days: Iterable[date] = (),
) -> Book:
    """A Book of `tables` in `engine`. LoadError (one sentence, no credentials) when it
    cannot be built; bad rows never raise, they are counted and the first listed."""
    try:
        return _load(engine, tables, options or LoadOptions(), progress, list(extra_days))
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
        raise LoadError(f"{engine.label}: the book could not be read ({_reason(exc)}).") from None


def _load(
    engine: Engine,
    tables: Tables,
    options: LoadOptions,
    progress: Progress | None,
    extra_days: list[date],
) -> Book:
    step = _steps(progress, 5 if tables.activities else 2)
    step(f"Reading {tables.accounts}")
    accounts = engine.table(tables.accounts)
    mapping = tables.mapping(Table.ACCOUNTS, list(accounts.schema().names))
    raw = _as_text(engine, accounts, tables.accounts, mapping)
    # Typed columns come across as plain text: ISO dates, "." decimals.
    text_options = replace(options, date_order=DateOrder.YMD, decimal_mark=DecimalMark.POINT)
    try:
        checked = check_accounts(raw, mapping, text_options)
    except (ValueError, KeyError) as exc:
        raise LoadError(str(exc).strip("'\"")) from None
    step(f"Checking {raw.table.num_rows:,} accounts of {tables.accounts}")
    con = connect()
    try:
        create_accounts(con, checked.table)
        reports = {Table.ACCOUNTS: checked.report}
        rejects = [checked.rejects]
        unlisted = (0, 0)
        as_of = options.as_of
        points: list[date] = []
        if tables.activities:
            report, listed, unlisted, as_of, points = _activities(
                engine, tables, con, options, step, extra_days
            )
            reports[Table.ACTIVITIES] = report
            rejects.append(listed)
        else:
            _empty_sums(con)
        check_total(con)
        con.execute(
            "CREATE TABLE activities (account_id VARCHAR, seller VARCHAR, date DATE,"
            " type VARCHAR, type_raw VARCHAR, duration_minutes DOUBLE, src_row BIGINT)"
        )
        con.register("_rej", pa.concat_tables(rejects))
        con.execute("CREATE TABLE rejects AS SELECT * FROM _rej")
        con.unregister("_rej")
        warnings = [f"{r.name}: {w}" for r in reports.values() for w in r.warnings]
        source = ", ".join(t for t in (tables.accounts, tables.activities) if t)
        return Book(
            con,
            reports,
            warnings,
            as_of,
            f"{engine.label}: {source}",
            aggregated=True,
            breakpoints=tuple(points),
            unlisted=unlisted,
        )
    except BaseException:
        con.close()
        raise


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


def _typed(t: ir.Table, name: str, column: str, want: str) -> ir.Value:
    """Column `column` of table `name` as a date or a number, refused in one sentence
    when the engine holds it as something else (its text is not parsed engine-side)."""
    dtype = t[column].type()
    if want == "date" and (dtype.is_date() or dtype.is_timestamp()):
        return t[column].cast("date")
    if want == "number" and dtype.is_numeric():
        return t[column].cast("float64")
    kind = "dates" if want == "date" else "numbers"
    raise LoadError(
        f"{name}: column {column!r} holds {dtype} values, not {kind}; map another column or "
        f"cast it in a view."
    )


def _activities(
    engine: Engine,
    tables: Tables,
    con,
    options: LoadOptions,
    step,
    extra_days: list[date],
) -> tuple[FileReport, pa.Table, tuple[int, int], date | None, list[date]]:
    name = tables.activities
    src = engine.table(name)
    mapping = tables.mapping(Table.ACTIVITIES, list(src.schema().names))
    missing = [f for f in ("account_id", "date") if f not in mapping]
    if missing:
        raise LoadError(f"{name}: map the {' and '.join(missing)} column(s).")
    step(f"Checking the activities of {name} in {engine.label}")
    raw_type = _text(src[mapping["type"]]) if "type" in mapping else ibis.null("string")
    duration = (
        _typed(src, name, mapping["duration_minutes"], "number")
        if "duration_minutes" in mapping
        else ibis.null("float64")
    )
    rows = src.select(
        account_id=_text(src[mapping["account_id"]]),
        date=_typed(src, name, mapping["date"], "date"),
        seller=_text(src[mapping["seller"]]) if "seller" in mapping else ibis.null("string"),
        type_raw=raw_type,
        duration_minutes=duration,
    )
    ok = _ok(rows)
    counts = _one_row(
        engine,
        rows.aggregate(
            total=rows.count(),
            missing_id=rows.count(where=rows.account_id.isnull()),
            missing_date=rows.count(where=rows.date.isnull()),
            negative=rows.count(where=(rows.duration_minutes < 0).fill_null(False)),
            bad=rows.count(where=~ok),
            blank_seller=rows.count(where=ok & rows.seller.isnull()),
            blank_duration=rows.count(where=ok & rows.duration_minutes.isnull()),
            last=rows.date.max(where=ok),
        ),
    )
    good = rows.filter(ok)
    types = engine.run(
        good.group_by("type_raw").aggregate(n=good.count()).limit(MAX_TYPES + 1)
    ).to_pylist()
    if len(types) > MAX_TYPES:
        raise LoadError(f"{name}: the type column has over {MAX_TYPES:,} different texts.")
    categories = {r["type_raw"]: category_of(r["type_raw"], TYPE_RULES, "other") for r in types}
    category = (
        rows.type_raw.substitute(
            {k: v for k, v in categories.items() if k is not None}, else_="other"
        )
        if any(k is not None for k in categories)
        else ibis.literal("other")
    )
    acts = good.mutate(type=category)
    as_of = options.as_of or counts["last"]
    step(f"Summing the activities per account in {engine.label}")
    per_account = engine.run(aggregates.activity_per_account(acts, as_of))
    points = breakpoints(as_of, extra_days) if as_of is not None else None
    sums = engine.run(aggregates.activity_sums(acts, as_of, points))
    step("Counting the activities of unknown accounts")
    with_id = rows.filter(rows.account_id.notnull())
    per_id = engine.run(
        with_id.group_by("account_id").aggregate(
            n=with_id.count(), bad=with_id.count(where=~_ok(with_id))
        )
    )
    _store_sums(con, per_account, sums)
    con.register("_per_id", per_id)
    unknown_rows, unknown_only, unknown_ids = con.execute(
        "SELECT COALESCE(sum(n), 0), COALESCE(sum(n - bad), 0),"
        " list(account_id ORDER BY account_id)[:$1]"
        " FROM _per_id WHERE account_id NOT IN (SELECT account_id FROM accounts)",
        [LISTED],
    ).fetchall()[0]
    con.unregister("_per_id")
    step(f"Listing the first rejected rows of {name}")
    listed = _listed(engine, name, rows, mapping, counts, unknown_ids, ok)
    rejected_rows = int(counts["bad"]) + int(unknown_only)
    problems = (
        int(counts["missing_id"])
        + int(counts["missing_date"])
        + int(counts["negative"])
        + int(unknown_rows)
    )
    # A listed row has no row number: each counts as one row (a row missing both its
    # id and its date is listed twice, so `rows` may be counted one too many there).
    unlisted = (max(rejected_rows - listed.num_rows, 0), max(problems - listed.num_rows, 0))
    report = FileReport(
        Table.ACTIVITIES,
        name,
        int(counts["total"]),
        int(counts["total"]) - rejected_rows,
        rejected_rows,
        dict(mapping),
        [f"summed in {engine.label}: {many(int(counts['total']), 'row', 'rows')}, none sent"],
        _warnings(counts, categories, types, mapping),
    )
    return report, listed, unlisted, as_of, points or []


def _ok(rows: ir.Table) -> ir.BooleanValue:
    """An activity is kept with an account id, a date and no negative duration."""
    negative = (rows.duration_minutes < 0).fill_null(False)
    return rows.account_id.notnull() & rows.date.notnull() & ~negative


def _one_row(engine: Engine, expr: ir.Table) -> dict:
    return engine.run(expr).to_pylist()[0]


def _store_sums(con, per_account: pa.Table, sums: pa.Table) -> None:
    """The engine's sums into the session's database, typed as the embedded path types
    them; a blank seller is the account's owner (as for a file)."""
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


def _empty_sums(con) -> None:
    con.register("_none", aggregates.ACTIVITIES.to_pyarrow().empty_table())
    con.execute(
        "CREATE TABLE activity_per_account AS"
        f" {aggregates.duckdb_sql('activity_per_account', None).replace('activities', '_none')}"
    )
    con.unregister("_none")
    con.execute(
        "CREATE TABLE activity_sums (day DATE, account_id VARCHAR, seller VARCHAR,"
        " type VARCHAR, m DOUBLE, b BIGINT)"
    )


def _listed(
    engine: Engine,
    name: str,
    rows: ir.Table,
    mapping: dict[str, str],
    counts: dict,
    unknown_ids: list[str],
    ok: ir.BooleanValue,
) -> pa.Table:
    """The first LISTED rows of each reason, in the rejects' columns."""
    parts = []
    reasons = [
        ("missing_id", rows.account_id.isnull(), "account_id", "missing account id"),
        ("missing_date", rows.date.isnull(), "date", "missing date"),
        (
            "negative",
            (rows.duration_minutes < 0).fill_null(False),
            "duration_minutes",
            "negative duration",
        ),
    ]
    for key, where, field_name, reason in reasons:
        if not counts[key]:
            continue
        found = engine.run(
            rows.filter(where).select(value=rows[field_name].cast("string")).limit(LISTED)
        )
        parts.append(_rejects(name, mapping[field_name], found.column("value"), reason))
    if unknown_ids:
        found = engine.run(
            rows.filter(rows.account_id.isin(unknown_ids))
            .select(value=rows.account_id)
            .limit(LISTED)
        )
        parts.append(_rejects(name, mapping["account_id"], found.column("value"), UNKNOWN))
    return pa.concat_tables(parts) if parts else REJECT_SCHEMA.empty_table()


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
        ((r["type_raw"], r["n"]) for r in types if r["type_raw"] is not None) if categories else [],
        key=lambda kv: (-kv[1], kv[0]),
    )
    other = [(t, n) for t, n in other if categories[t] == "other"]
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
