"""Downloads: CSV and Excel of a table, safe against spreadsheet formula injection.

A text cell that starts with "=", "+", "-", "@", a tab or a carriage return is run as a
formula by spreadsheet programs; such cells get a leading apostrophe on export. Numeric
columns stay numeric. The Excel writer is told never to turn strings into formulas or
links.
"""

from __future__ import annotations

import io

import pandas as pd
import xlsxwriter

EXCEL_MAX_ROWS = 1_048_575  # one sheet's rows, less the header
EXCEL_DOWNLOAD_ROWS = 100_000
"""The app offers Excel up to this many rows (about 7 s of writing); CSV beyond."""
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers cannot start a formula."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            text = series.astype("string")
            risky = text.str.startswith(_TRIGGERS).fillna(False)
            out[col] = series.where(~risky, "'" + text.astype(object))
    # Headers may be user text too (a scenario's name heads a comparison column).
    out.columns = ["'" + c if c.startswith(_TRIGGERS) else c for c in map(str, out.columns)]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel reads accents right."""
    return defuse(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, sheet: str = "Accounts") -> bytes:
    """An .xlsx of at most one sheet's rows; raises ValueError when the table is larger.

    Written cell by cell with xlsxwriter in constant-memory mode, numbers as numbers,
    text as text (never as formulas or links), blanks left empty. About 200,000 cells a
    second on the project's machine (pandas' to_excel: about 120,000).
    """
    return to_workbook({sheet: frame})


SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(name: str) -> str:
    """A valid Excel sheet name: at most 31 characters, none of []:*?/\\."""
    return name.translate(_SHEET_FORBIDDEN).strip()[:SHEET_NAME_MAX] or "Sheet"


def to_workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx with one sheet per table, in order, each written as `to_excel` writes
    one (formula-safe, numbers as numbers). Names are made valid and unique."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    used: set[str] = set()
    for name, frame in sheets.items():
        if len(frame) > EXCEL_MAX_ROWS:
            raise ValueError(f"{len(frame):,} rows do not fit one Excel sheet; use the CSV.")
        title = sheet_name(name)
        while title.lower() in used:
            title = sheet_name(f"{title[: SHEET_NAME_MAX - 3]} {len(used)}")
        used.add(title.lower())
        _write_sheet(book.add_worksheet(title), defuse(frame))
    book.close()
    return buf.getvalue()


def _write_sheet(ws: xlsxwriter.worksheet.Worksheet, safe: pd.DataFrame) -> None:
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, [str(c) for c in safe.columns])
    columns = [_cells(ws, safe[c]) for c in safe.columns]
    for i in range(len(safe)):  # row by row: constant-memory mode writes rows in order
        for j, (write, values) in enumerate(columns):
            value = values[i]
            if value is not None and value == value:  # None and NaN stay blank
                write(i + 1, j, value)


def _cells(ws: xlsxwriter.worksheet.Worksheet, column: pd.Series) -> tuple:
    """The writer for one column's type, and its values as Python objects."""
    if pd.api.types.is_bool_dtype(column.dtype):
        return ws.write_boolean, column.astype(object).where(column.notna(), None).tolist()
    if pd.api.types.is_numeric_dtype(column.dtype):
        return ws.write_number, column.astype(float).tolist()
    values = column.astype(object).where(column.notna(), None).tolist()
    return ws.write_string if _all_text(values) else ws.write, values


def _all_text(values: list) -> bool:
    return all(v is None or isinstance(v, str) for v in values)
