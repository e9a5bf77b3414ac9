"""The per-book aggregates, written once in ibis and run where the rows are.

Everything no slider changes is a GROUP BY over the book's three tables: per account
(last contact, minutes and blank durations per type over all dates and over the
12-month window), per account, seller, type and day (or bucket of days), and the
revenue of order lines per account and window. The expressions here take an ibis
table whose columns carry alms's field names and types; they compile to the session's
embedded DuckDB (`duckdb_sql`: an unbound table, so the hardened connection runs plain
SQL) and run inside a customer's engine (`alms.engine`), so each rule has one
implementation, whatever the engine.

Dates are the book's days (DATE); money stays exact (DECIMAL sums); nothing here
reads text a user typed: table names are alms's own, values are bound as literals.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import ibis
import ibis.expr.types as ir

from alms.settings import ACTIVITY_TYPES

ACTIVITIES = ibis.schema(
    {
        "account_id": "string",
        "seller": "string",
        "date": "date",
        "type": "string",
        "duration_minutes": "float64",
    }
)
"""The activity columns the aggregates read (the embedded table has a few more)."""
ORDERS = ibis.schema(
    {
        "account_id": "string",
        "account_name": "string",
        "owner": "string",
        "date": "date",
        "amount": "decimal(38, 4)",
    }
)


def year_before(d: date) -> date:
    """The same calendar day one year before (29 February -> 28 February)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


def revenue_windows(as_of: date) -> tuple[date, date]:
    """(one year before, two years before): revenue is (one, as_of], prior (two, one]."""
    one = year_before(as_of)
    return one, year_before(one)


def _never(t: ir.Table) -> ir.BooleanValue:
    return ibis.literal(False)


def activity_per_account(acts: ir.Table, as_of: date | None) -> ir.Table:
    """One row per account with activities: `last_activity` (latest date),
    `last_contact` (latest on or before the as-of date), and per type T minutes recorded
    (`m_all_T`, `m_12m_T`; null when none) and activities with no duration (`b_all_T`,
    `b_12m_T`) over all dates and over the 12-month window (after the same calendar day
    one year before the as-of date, up to it). No as-of date: the window is empty."""
    if as_of is None:
        upto = window = _never(acts)
    else:
        upto = acts.date <= as_of
        window = (acts.date > revenue_windows(as_of)[0]) & upto
    blank = acts.duration_minutes.isnull()
    columns: dict[str, ir.Value] = {
        "last_activity": acts.date.max(),
        "last_contact": acts.date.max(where=upto),
    }
    for t in ACTIVITY_TYPES:
        of_type = acts.type == t
        columns[f"m_all_{t}"] = acts.duration_minutes.sum(where=of_type)
        columns[f"b_all_{t}"] = acts.count(where=of_type & blank)
        columns[f"m_12m_{t}"] = acts.duration_minutes.sum(where=of_type & window)
        columns[f"b_12m_{t}"] = acts.count(where=of_type & blank & window)
    return acts.group_by("account_id").aggregate(**columns)


def activity_sums(
    acts: ir.Table, as_of: date | None, breakpoints: Sequence[date] | None = None
) -> ir.Table:
    """Minutes (`m`, 0 when none recorded) and activities with no duration (`b`) per
    account, seller, type and `day`, for the activities dated on or before the as-of
    date. `day` is the activity's date; with `breakpoints` (ascending, the last one the
    as-of date) it is the first breakpoint on or after the date, so any window whose two
    ends are breakpoints is exactly a range of `day`s while one row stands for many
    days (what an engine sends back does not grow with the activities' dates)."""
    upto = _never(acts) if as_of is None else acts.date <= as_of
    day: ir.Value = acts.date
    if breakpoints:
        cases = [(acts.date <= b, ibis.literal(b)) for b in breakpoints[:-1]]
        day = ibis.cases(*cases, else_=ibis.literal(breakpoints[-1])) if cases else day
    rows = acts.filter(upto).mutate(day=day)
    return rows.group_by(["day", "account_id", "seller", "type"]).aggregate(
        m=rows.duration_minutes.sum().fill_null(0),
        b=rows.count(where=rows.duration_minutes.isnull()),
    )


def order_totals(orders: ir.Table, as_of: date | None) -> ir.Table:
    """Per account of the order lines: `revenue` (amounts dated after the same day one
    year before the as-of date, up to it; 0 when none), `prior` (the year before that),
    the latest non-blank `name` and `owner` (`_latest`), and the `first_date`."""
    if as_of is None:
        this = prior = _never(orders)
    else:
        one, two = revenue_windows(as_of)
        this = (orders.date > one) & (orders.date <= as_of)
        prior = (orders.date > two) & (orders.date <= one)
    zero = ibis.literal(0).cast(orders.amount.type())
    return orders.group_by("account_id").aggregate(
        revenue=orders.amount.sum(where=this).fill_null(zero),
        prior=orders.amount.sum(where=prior).fill_null(zero),
        name=_latest(orders, orders.account_name),
        owner=_latest(orders, orders.owner),
        first_date=orders.date.min(),
    )


def _latest(orders: ir.Table, column: ir.StringColumn) -> ir.StringValue:
    """The non-blank value of the latest line, ties by the greatest value: the maximum
    of "YYYY-MM-DD" + value, so every engine picks the same one (an arg-max would pick
    any of the tied lines)."""
    keyed = orders.date.cast("string").concat(column)
    return keyed.max(where=column.notnull()).substr(10)


@lru_cache(maxsize=32)
def _compiled(kind: str, as_of: date | None, breakpoints: tuple[date, ...] | None) -> str:
    if kind == "activity_per_account":
        expr = activity_per_account(ibis.table(ACTIVITIES, name="activities"), as_of)
    elif kind == "activity_sums":
        expr = activity_sums(ibis.table(ACTIVITIES, name="activities"), as_of, breakpoints)
    else:
        expr = order_totals(ibis.table(ORDERS, name="orders"), as_of)
    return str(ibis.to_sql(expr, dialect="duckdb"))


def duckdb_sql(kind: str, as_of: date | None, breakpoints: Sequence[date] | None = None) -> str:
    """The SELECT of aggregate `kind` ("activity_per_account", "activity_sums",
    "order_totals") over the embedded book's own table, compiled once per as-of date."""
    return _compiled(kind, as_of, tuple(breakpoints) if breakpoints else None)
