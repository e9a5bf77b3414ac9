"""Float cells of a Parquet file become the text an export would have written:
`cells.float_text` (Arrow, for a whole column) against `_cell_text` (Python, one
value at a time), the rule it replaces."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from alms.reading.cells import cell_text as _cell_text
from alms.reading.cells import float_text

floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e12, 1e12).map(lambda v: round(v, 2)),  # money-like
    st.integers(-(10**16), 10**16).map(float),  # whole values either side of 1e15
    st.floats(-1e-3, 1e-3),  # either side of 1e-4
    st.floats(width=32),  # a float32 column widens to the same doubles
)


@given(st.lists(st.one_of(st.none(), floats), max_size=40))
def test_a_column_reads_as_its_cells_one_by_one(values: list[float | None]) -> None:
    assert float_text(pa.array(values, pa.float64())).to_pylist() == [_cell_text(v) for v in values]


def test_cells_worked_by_hand() -> None:
    values = [1.0, -0.0, 1e15, 999999999999999.0, 0.1, 12345.67, 1e-05, 5e10, None, np.nan]
    assert float_text(pa.array(values, pa.float64())).to_pylist() == [
        "1", "0", "1000000000000000.0", "999999999999999", "0.1", "12345.67", "1e-05",
        "50000000000", None, None,
    ]  # fmt: skip


def test_a_float32_column_reads_as_its_widened_cells() -> None:
    values = np.array([0.1, 2.5, 3e-5], dtype=np.float32)
    assert float_text(pa.array(values)).to_pylist() == [_cell_text(float(v)) for v in values]
