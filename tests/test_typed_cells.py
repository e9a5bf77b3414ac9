"""A Parquet file's typed columns are parsed as they are (`parsing._typed_numbers`,
`_typed_days`, flags, integer money): each parser must give exactly what it gives for
the same column written as text (`cells.as_text`), the rule the typed paths replace.
The second method here is that text path itself, and a whole load of the same book
written once typed and once as text."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alms.reading import parsing
from alms.reading.book import Upload, load
from alms.reading.cells import as_text
from alms.reading.parsing import DateOrder, DecimalMark

MARKS = list(DecimalMark)
ints = st.one_of(st.integers(-1000, 1000), st.integers(-(2**63), 2**63 - 1))
floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e6, 1e6).map(lambda v: round(v, 2)),
    st.sampled_from([0.0, -0.0, 1e15, 1e-5, 2.5]),
)


def same(typed: parsing.Parsed, text: parsing.Parsed) -> None:
    assert typed.values.to_pylist() == text.values.to_pylist()
    assert typed.errors.to_pylist() == text.errors.to_pylist()
    assert typed.note == text.note


@given(st.lists(st.one_of(st.none(), ints), max_size=30), st.sampled_from(MARKS))
def test_integer_numbers_durations_and_money_read_as_their_text(values, mark) -> None:
    col = pa.array(values, pa.int64())
    same(parsing.parse_number_column(col, mark), parsing.parse_number_column(as_text(col), mark))
    same(parsing.parse_minutes_column(col), parsing.parse_minutes_column(as_text(col)))
    same(parsing.parse_money_column(col, mark), parsing.parse_money_column(as_text(col), mark))


@given(st.lists(st.one_of(st.none(), floats), max_size=30), st.sampled_from(MARKS))
def test_float_numbers_and_durations_read_as_their_text(values, mark) -> None:
    col = pa.array(values, pa.float64())
    same(parsing.parse_number_column(col, mark), parsing.parse_number_column(as_text(col), mark))
    same(parsing.parse_minutes_column(col), parsing.parse_minutes_column(as_text(col)))


def test_negative_durations_are_rejected_with_their_text() -> None:
    parsed = parsing.parse_minutes_column(pa.array([30, -5, None], pa.int32()))
    assert parsed.values.to_pylist() == [30.0, None, None]
    assert parsed.errors.to_pylist() == [None, "negative duration: '-5'", None]


@given(st.lists(st.one_of(st.none(), st.booleans()), max_size=20))
def test_flags_read_as_their_text(values) -> None:
    col = pa.array(values, pa.bool_())
    same(parsing.parse_flag_column(col), parsing.parse_flag_column(as_text(col)))


days = st.dates(date(1, 1, 1), date(9999, 12, 31))
times = st.datetimes(datetime(1678, 1, 1), datetime(2261, 12, 31))


@settings(max_examples=60)
@given(
    st.lists(st.one_of(st.none(), days), max_size=20),
    st.lists(st.one_of(st.none(), times), max_size=20),
    st.sampled_from(["s", "ms", "us", "ns"]),
    st.sampled_from(list(DateOrder)),
)
def test_dates_and_timestamps_read_as_their_text(dates, stamps, unit, order) -> None:
    col = pa.array(dates, pa.date32())
    same(parsing.parse_date_column(col, order), parsing.parse_date_column(as_text(col), order))
    for zone in (None, "UTC", "America/New_York", "Asia/Kolkata"):
        col = pa.array(stamps, pa.timestamp(unit)).cast(pa.timestamp(unit, zone))
        same(parsing.parse_date_column(col, order), parsing.parse_date_column(as_text(col), order))


def test_a_timestamp_reads_as_the_day_of_its_wall_clock() -> None:
    col = pa.array(
        [datetime(1969, 12, 31, 23, 0), datetime(2024, 3, 31, 10, 0)], pa.timestamp("us")
    )
    assert parsing.parse_date_column(col).values.to_pylist() == [
        date(1969, 12, 31),
        date(2024, 3, 31),
    ]


def _parquet(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def _as_text_table(table: pa.Table) -> pa.Table:
    return pa.table({n: as_text(table.column(n)) for n in table.column_names})


@pytest.mark.parametrize("typed_file", ["accounts", "activities"])
def test_a_typed_book_loads_as_the_same_book_written_as_text(typed_file: str) -> None:
    accounts = pa.table(
        {
            "Account ID": ["A1", "A2", "A3", "A4"],
            "Account Name": ["Acme", "Beta", "Gamma", "Delta"],
            "Account Owner": ["Ann", None, "Bob", "Ann"],
            "Revenue": pa.array([1200, 0, -5, 70], pa.int64()),
            "Prior Year Revenue": [1000.25, float("nan"), 3.0, 2.0],
            "Executive Access": pa.array([3, None, 5, 1], pa.int32()),
            "Never Prospect": [True, False, None, False],
            "Employees": [10.5, 20.0, None, 7.0],
        }
    )
    activities = pa.table(
        {
            "Activity ID": ["x1", "x2", "x3", "x4", "x5"],
            "Account ID": ["A1", "A2", "A9", "A1", "A4"],
            "Activity Date": pa.array(
                [date(2024, 3, 1), date(2024, 2, 1), date(2024, 1, 1), None, date(2024, 3, 2)]
            ),
            "Type": ["Call", "Visit", "Email", "Call", "Demo"],
            "Duration (min)": pa.array([30, None, 15, -5, 45], pa.int64()),
            "Assigned To": ["Ann", None, "Bob", "Ann", "Cy"],
        }
    )
    typed = {"accounts": accounts, "activities": activities}
    text = {name: _as_text_table(t) for name, t in typed.items()}
    books = []
    for tables in ({**text, typed_file: typed[typed_file]}, text):
        books.append(
            load(
                Upload("accounts.parquet", _parquet(tables["accounts"])),
                Upload("activities.parquet", _parquet(tables["activities"])),
            )
        )
    typed_book, text_book = books
    for sql in (
        "SELECT * FROM accounts ORDER BY account_id",
        "SELECT * FROM account_numbers ORDER BY account_id",
        "SELECT * FROM activities ORDER BY src_row",
        'SELECT * FROM rejects ORDER BY row, "column"',
    ):
        assert typed_book.query(sql).to_pylist() == text_book.query(sql).to_pylist(), sql
    assert typed_book.query("SELECT count(*) AS n FROM rejects").column(0)[0].as_py() >= 3
    assert {t: r.notes for t, r in typed_book.reports.items()} == {
        t: r.notes for t, r in text_book.reports.items()
    }
    assert typed_book.warnings == text_book.warnings


@settings(max_examples=60)
@given(
    st.lists(st.sampled_from([None, "17850.0", "12.00", "A1", "7"]), max_size=40),
    st.integers(0, 1500),
    st.sampled_from([None, "17850.0", "A1"]),
)
def test_float_like_ids_are_decided_by_every_id_not_the_first_thousand(head, pad, tail) -> None:
    values = [*head, *([None] * pad), tail]
    present = [v for v in values if v is not None]
    floats = bool(present) and all(re.fullmatch(r"\d+\.0+", v) for v in present)
    expected = [None if v is None else (v.split(".")[0] if floats else v) for v in values]
    assert parsing.clean_ids(pa.array(values, pa.string())).values.to_pylist() == expected


@given(st.lists(st.one_of(st.none(), floats), max_size=30), st.sampled_from(MARKS))
def test_float_money_reads_as_its_text(values, mark) -> None:
    col = pa.array(values, pa.float64())
    same(parsing.parse_money_column(col, mark), parsing.parse_money_column(as_text(col), mark))


long_amounts = st.decimals(
    min_value=Decimal("-1e13"), max_value=Decimal("1e13"), allow_nan=False, places=17
)


@given(st.lists(st.tuples(long_amounts, st.integers(0, 17)), min_size=1, max_size=30))
def test_money_with_many_decimals_rounds_half_even_like_decimal(values) -> None:
    with localcontext(prec=60):  # 13 digits and 17 decimals need more than the 28 default
        texts = [format(round(v, places), "f") for v, places in values]
        expected = [Decimal(t).quantize(Decimal("0.0001"), ROUND_HALF_EVEN) for t in texts]
    for mark, written in ((DecimalMark.POINT, texts), (DecimalMark.COMMA, None)):
        written = written or [t.replace(".", ",") for t in texts]
        parsed = parsing.parse_money_column(pa.array(written, pa.string()), mark)
        assert parsed.values.to_pylist() == expected
        assert parsed.errors.null_count == len(texts)


def test_money_ties_round_to_the_even_unit() -> None:
    texts = ["0.00005", "0.00015", "-2.00005", "1.2345500", "7.000049999", "0.99995"]
    parsed = parsing.parse_money_column(pa.array(texts, pa.string()), DecimalMark.POINT)
    assert [str(v) for v in parsed.values.to_pylist()] == [
        "0.0000", "0.0002", "-2.0000", "1.2346", "7.0000", "1.0000",
    ]  # fmt: skip
