"""Typed cells as the text an export would have written: workbook cells one by one,
Parquet columns whole. The parsers read text; a typed column they take as it is goes
through here only where it must be text (a rejected cell's value, a text field)."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import pyarrow as pa
import pyarrow.compute as pc


def cell_text(value: object) -> str | None:
    """A workbook cell as the text an export would have written."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value.total_seconds() / 60)
    return str(value)


def one_array(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A column as one array: its only chunk as it is, else its chunks joined. (A
    ChunkedArray's `combine_chunks` copies even a single chunk: 10M texts are ~150 MB
    more at the load's peak.)"""
    if isinstance(column, pa.ChunkedArray):
        return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    return column


def float_text(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """`cell_text` of every value of a float column, written by Arrow where Arrow
    writes the same text: whole values below 1e15 (as integers), and the others from
    1e-4 up to 1e10 in absolute value (Arrow's shortest round-trip digits, as Python's
    repr, checked by a property test). The rest (tiny, huge, infinite) one at a time;
    NaN is blank. A million floats: ~6 s one by one, ~0.1 s so."""
    values = one_array(pc.cast(column, pa.float64()))
    size = pc.abs(values)
    whole = pc.and_(pc.equal(pc.floor(values), values), pc.less(size, 1e15))
    ints = pc.cast(pc.cast(pc.if_else(whole, values, 0.0), pa.int64()), pa.string())
    text = pc.if_else(whole, ints, pc.cast(values, pa.string()))
    plain = pc.and_(pc.greater_equal(size, 1e-4), pc.less(size, 1e10))
    nan = pc.fill_null(pc.is_nan(values), False)
    odd = pc.fill_null(pc.and_(pc.invert(pc.or_(whole, plain)), pc.invert(nan)), False)
    if pc.any(odd).as_py():
        by_python = [cell_text(v) for v in pc.filter(values, odd).to_pylist()]
        text = pc.replace_with_mask(text, odd, pa.array(by_python, pa.string()))
    return pc.if_else(nan, pa.scalar(None, pa.string()), text)


def as_text(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A column as one array of text (null = blank): text as it is, floats as
    `float_text`, nested values by Python, anything else by Arrow's cast (integers,
    dates, timestamps, flags as "true" / "false")."""
    column = one_array(column)
    kind = column.type
    if pa.types.is_string(kind):
        return column
    if pa.types.is_floating(kind):
        return float_text(column)
    if pa.types.is_nested(kind):
        return pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string())
    return column.cast(pa.string())
