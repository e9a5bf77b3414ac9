"""Money, number, date and minute parsing, with values worked out by hand."""

from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alms.reading import parsing
from alms.reading.parsing import (
    DateOrder,
    DecimalMark,
    infer_date_order,
    infer_decimal_mark,
    parse_date,
    parse_date_column,
    parse_decimal,
    parse_flag_column,
    parse_minutes_column,
    parse_money_column,
)


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("$1,200.50", DecimalMark.POINT, "1200.50"),
        ("1.200,50 €", DecimalMark.COMMA, "1200.50"),
        ("USD 1200", DecimalMark.POINT, "1200"),
        ("(1,000)", DecimalMark.POINT, "-1000"),
        ("-$5.25", DecimalMark.POINT, "-5.25"),
        ("EUR 1.234.567,89", DecimalMark.COMMA, "1234567.89"),
        ("1 200,50", DecimalMark.COMMA, "1200.50"),
        ("1'200.50", DecimalMark.POINT, "1200.50"),
        ("1,200.00-", DecimalMark.POINT, "-1200.00"),
        ("£0.99", DecimalMark.POINT, "0.99"),
        (".5", DecimalMark.POINT, "0.5"),
        ("1.5E+6", DecimalMark.POINT, "1500000"),
        ("1,200", DecimalMark.POINT, "1200"),
        ("1.200", DecimalMark.COMMA, "1200"),
    ],
)
def test_money_forms(text: str, mark: DecimalMark, expected: str) -> None:
    assert parse_decimal(text, mark) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1,20.5", "12..5", "$", "1.2.3,4,5", "--5x"])
def test_money_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text, DecimalMark.POINT)


def test_decimal_mark_votes_by_unambiguous_values() -> None:
    assert infer_decimal_mark(pa.array(["1.200,50", "12,5", "1.000"])) == DecimalMark.COMMA
    assert infer_decimal_mark(pa.array(["1,200.50", "1,000", "7"])) == DecimalMark.POINT
    assert infer_decimal_mark(pa.array(["1,000", "2,000"])) == DecimalMark.POINT  # no vote


def test_money_column_is_exact_and_reports_errors() -> None:
    col = pa.array(["1.200,50", "-1,65", None, "", "x", "9,95"])
    parsed = parse_money_column(col)
    assert parsed.values.to_pylist() == [
        Decimal("1200.5000"),
        Decimal("-1.6500"),
        None,
        None,
        None,
        Decimal("9.9500"),
    ]
    errors = parsed.errors.to_pylist()
    assert errors[:4] == [None, None, None, None]
    assert "not a number" in errors[4]
    assert parsed.note == "decimal comma"


def test_money_rounds_past_four_decimals_half_even() -> None:
    parsed = parse_money_column(pa.array(["0.00005", "0.00015", "1.23456"]), DecimalMark.POINT)
    assert parsed.values.to_pylist() == [Decimal("0.0000"), Decimal("0.0002"), Decimal("1.2346")]


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2024-03-31", DateOrder.MDY, date(2024, 3, 31)),
        ("2024-03-31T14:05:00Z", DateOrder.MDY, date(2024, 3, 31)),
        ("2024/03/31", DateOrder.DMY, date(2024, 3, 31)),
        ("03/04/2024", DateOrder.MDY, date(2024, 3, 4)),
        ("03/04/2024", DateOrder.DMY, date(2024, 4, 3)),
        ("31.12.2023", DateOrder.DMY, date(2023, 12, 31)),
        ("12/1/2010 8:26", DateOrder.MDY, date(2010, 12, 1)),
        ("1/2/24", DateOrder.DMY, date(2024, 2, 1)),
        ("45382", DateOrder.MDY, date(2024, 3, 31)),  # Excel serial, origin 1899-12-30
        ("45382.75", DateOrder.MDY, date(2024, 3, 31)),
        ("31 Mar 2024", DateOrder.MDY, date(2024, 3, 31)),
        ("Mar 31, 2024", DateOrder.MDY, date(2024, 3, 31)),
        ("01-Dec-2010", DateOrder.MDY, date(2010, 12, 1)),
        ("20240331", DateOrder.MDY, date(2024, 3, 31)),
    ],
)
def test_date_forms(text: str, order: DateOrder, expected: date) -> None:
    assert parse_date(text, order) == expected


@pytest.mark.parametrize("text", ["2024-02-30", "13/13/2024", "yesterday", "2024-13-01"])
def test_bad_dates_raise(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text, DateOrder.MDY)


def test_date_order_inferred_from_deciding_values() -> None:
    assert infer_date_order(["03/04/2024", "25/04/2024"])[0] == DateOrder.DMY
    assert infer_date_order(["03/04/2024", "04/25/2024"])[0] == DateOrder.MDY
    order, note = infer_date_order(["03/04/2024", "05/06/2024"])
    assert order == DateOrder.MDY and "assumed" in note
    assert infer_date_order(["03.04.2024"])[0] == DateOrder.DMY


def test_date_column_pinned_order_wins() -> None:
    col = pa.array(["03/04/2024", "25/04/2024"])
    assert parse_date_column(col).values.to_pylist() == [date(2024, 4, 3), date(2024, 4, 25)]
    pinned = parse_date_column(col, DateOrder.MDY)
    assert pinned.values.to_pylist() == [date(2024, 3, 4), None]
    assert "not a valid date" in pinned.errors.to_pylist()[1]


def test_minutes() -> None:
    parsed = parse_minutes_column(pa.array(["15", "1:30", "", "-5", "7.5"]))
    assert parsed.values.to_pylist() == [15.0, 90.0, None, None, 7.5]
    assert "negative duration" in parsed.errors.to_pylist()[3]


def test_flags() -> None:
    parsed = parse_flag_column(pa.array(["yes", "No", "x", "", "maybe"]))
    assert parsed.values.to_pylist() == [True, False, True, None, None]
    assert parsed.errors.to_pylist()[4] is not None


def test_blank_markers_in_numeric_columns() -> None:
    parsed = parse_money_column(pa.array(["-", "n/a", "N/A", "—", "5", "NA"]), DecimalMark.POINT)
    assert parsed.values.to_pylist() == [None, None, None, None, Decimal("5.0000"), None]
    assert parsed.errors.to_pylist() == [None] * 6


# ---------------------------------------------------------------- trimming, slice by slice

_TEXTS = st.lists(
    st.one_of(st.none(), st.text(alphabet=" \t\u00a0\u3000ab\n", max_size=4)), max_size=12
)


@given(values=_TEXTS, size=st.integers(1, 5))
def test_clean_text_trims_as_python_does_whatever_the_slices(values: list, size: int) -> None:
    # Python's str.strip() is the independent rule: Unicode whitespace off both ends,
    # and what is left blank is missing.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parsing, "_TRIM_SLICE", size)
        got = parsing.clean_text(pa.array(values, pa.string())).to_pylist()
    expected = [None if v is None or not v.strip() else v.strip() for v in values]
    assert got == expected


def test_a_column_with_nothing_to_trim_is_not_copied() -> None:
    texts = pa.array(["a", "b c", None, "d"] * 1000, pa.string())
    same = parsing._trimmed(texts)
    assert same.buffers()[2].address == texts.buffers()[2].address
    dirty = pa.concat_arrays([texts, pa.array(["e "], pa.string())])
    trimmed = parsing._trimmed(dirty)
    assert trimmed[-1].as_py() == "e" and trimmed.buffers()[2].address != dirty.buffers()[2].address
