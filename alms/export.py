"""Downloads: CSV and Excel of a table, safe against spreadsheet formula injection.

A text cell that starts with "=", "+", "-", "@", a tab or a carriage return is run as a
formula by spreadsheet programs; such cells get a leading apostrophe on export. Numeric
columns stay numeric. The Excel writer is told never to turn strings into formulas or
links.
"""

from __future__ import annotations

import io

import pandas as pd

EXCEL_MAX_ROWS = 1_048_575  # one sheet's rows, less the header
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot start a formula."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            text = series.astype("string")
            risky = text.str.startswith(_TRIGGERS).fillna(False)
            out[col] = series.where(~risky, "'" + text.astype(object))
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel reads accents right."""
    return defuse(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, sheet: str = "Accounts") -> bytes:
    """An .xlsx of at most one sheet's rows; raises ValueError when the table is larger."""
    if len(frame) > EXCEL_MAX_ROWS:
        raise ValueError(f"{len(frame):,} rows do not fit one Excel sheet; use the CSV.")
    buf = io.BytesIO()
    with pd.ExcelWriter(
        buf,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        defuse(frame).to_excel(writer, sheet_name=sheet, index=False)
        writer.sheets[sheet].freeze_panes(1, 0)
    return buf.getvalue()
