"""A date column's dates are the same whichever way they are read: plain ISO texts in
one Arrow pass, anything else one distinct text at a time through `parse_date`. The
second way is the rule; the property checks the first against a per-cell use of it."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from alms.reading.parsing import DateOrder, parse_date, parse_date_column

ISO_LIKE = st.builds(
    lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
)
"""Texts shaped like ISO dates, real days or not (year 0, month 13, 30 February)."""
OTHER = st.sampled_from(
    ["", "  ", "2024-3-1", "31/03/2024", "03/04/2024", "2024-03-31T10:00", " 2024-03-31",
     "45382", "31 Mar 2024", "20240331", "１２３４-01-01", "not a date"]
)  # fmt: skip


def by_rule(texts: list[str | None], order: DateOrder) -> tuple[list, list[bool]]:
    """Each cell through parse_date: its date (None when blank or refused), and whether
    it was refused."""
    values, refused = [], []
    for t in texts:
        if t is None or not t.strip():
            values.append(None)
            refused.append(False)
            continue
        try:
            values.append(parse_date(t.strip(), order))
            refused.append(False)
        except ValueError:
            values.append(None)
            refused.append(True)
    return values, refused


@given(st.lists(st.one_of(ISO_LIKE, OTHER, st.none()), max_size=30), st.booleans())
def test_a_date_column_reads_as_each_cell_would(texts: list[str | None], pinned: bool) -> None:
    order = DateOrder.DMY if pinned else DateOrder.AUTO
    parsed = parse_date_column(pa.array(texts, pa.string()), order)
    # the order the column was read with: pinned, or the one its note names
    used = order
    if not pinned:
        used = {"day/month/year": DateOrder.DMY, "month/day/year": DateOrder.MDY}.get(
            parsed.note.split(" (")[0], DateOrder.YMD
        )
    values, refused = by_rule(texts, used)
    assert parsed.values.to_pylist() == values
    assert [e is not None for e in parsed.errors.to_pylist()] == refused


def test_plain_iso_dates_worked_by_hand() -> None:
    col = pa.array(["2024-02-29", None, "0001-01-01", "9999-12-31", "  "])
    parsed = parse_date_column(col)
    assert parsed.values.to_pylist() == [
        date(2024, 2, 29),
        None,
        date(1, 1, 1),
        date(9999, 12, 31),
        None,
    ]
    assert parsed.errors.null_count == 5
    year_zero = parse_date_column(pa.array(["2024-01-01", "0000-01-01"]))
    assert year_zero.values.to_pylist() == [date(2024, 1, 1), None]
    assert year_zero.errors.to_pylist()[1] is not None
