"""Read an uploaded file (CSV, XLSX/XLS/ODS, Parquet) into a table of text columns.

Every column arrives as text (null = blank cell) so that one set of parsers handles all
formats; the typed parsing happens in `alms.reading.parsing`. A Parquet file's typed
numbers and dates stay typed (`typed_cells`): the parsers give them the values their
text would give, without writing 10M texts to read them back. A file that cannot be
read at all raises `UnreadableFile` with one sentence a user can act on. Rows that cannot be split
into the header's columns are returned as `BadRow`s, never dropped silently.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from alms.reading.cells import as_text, cell_text, one_array

MAX_COLUMNS = 2_000
"""Wider files are refused: a 50,000-column header takes seconds to parse."""
MAX_XLSX_UNPACKED = 1_500_000_000
MAX_XLSX_RATIO = 250
"""A zip member that inflates more than this many times is treated as a zip bomb."""
DELIMITERS = ",;\t|"


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message is shown to the user as is."""


@dataclass(frozen=True)
class BadRow:
    row: int  # spreadsheet row number: the header is row 1
    reason: str
    text: str


@dataclass
class RawTable:
    """A file's data as text columns, with the rows that could not be split."""

    name: str
    table: pa.Table  # header names made unique and non-blank; text columns (pa.string()),
    # but a Parquet file's numbers, flags, dates and plain timestamps as they are typed
    # (`typed_cells`): the parsers take them as such, with the same result as their text
    row_numbers: pa.Array  # int64, spreadsheet row number of each table row
    bad_rows: list[BadRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: pa.Array | None = None
    """Per row, where it came from when a file has several parts ("book.xlsx [2011]"),
    so a reject's row number points into the right sheet; None: the file name."""

    @property
    def headers(self) -> list[str]:
        return list(self.table.column_names)

    @property
    def total_rows(self) -> int:
        return self.table.num_rows + len(self.bad_rows)


Chosen = Callable[[list[str]], Iterable[str]]
"""Given a file's headers, the ones the caller will use."""


def read_file(name: str, data: bytes, only: Chosen | None = None) -> RawTable:
    """Dispatch on the file's content (magic bytes), falling back to its extension.

    `only`: told the file's headers once, it names the columns to keep (None: all). A
    Parquet file's other columns are never read; other formats drop them after reading.
    """
    if not data or data.isspace():
        raise UnreadableFile(f"{name}: the file is empty.")
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PAR1":
        return _read_parquet(name, data, only)
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raw = _read_workbook(name, data)
    elif suffix in {".xlsx", ".xlsm", ".xls", ".ods", ".parquet"}:
        raise UnreadableFile(f"{name}: the file is not a valid {suffix[1:].upper()} file.")
    else:
        raw = _read_csv(name, data)
    if only is not None:
        wanted = set(only(raw.headers))
        raw.table = raw.table.select([h for h in raw.headers if h in wanted])
    return raw


# ---------------------------------------------------------------- names


def _unique_headers(raw: list[object]) -> list[str]:
    """Blank headers become "column N"; repeats get " (2)", " (3)"."""
    out: list[str] = []
    seen: set[str] = set()
    for i, h in enumerate(raw, start=1):
        text = "" if h is None else str(h).strip().lstrip("\ufeff")
        text = text or f"column {i}"
        candidate, n = text, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{text} ({n})"
        seen.add(candidate.lower())
        out.append(candidate)
    if len(out) > MAX_COLUMNS:
        raise UnreadableFile(f"has {len(out):,} columns; at most {MAX_COLUMNS:,} are read.")
    return out


# ---------------------------------------------------------------- CSV


def _row_of(data: bytes, offset: int) -> int:
    """The line (1 = the first) that byte `offset` is on."""
    return data.count(b"\n", 0, offset) + 1


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when every other byte is NUL (ASCII-range text written
    as UTF-16 with no byte-order mark), else None."""
    half = len(sample) // 2
    if half < 2:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _refuse_binary(name: str, text: str) -> None:
    """Text with many control characters is not a table (an image, an archive, a
    database file renamed .csv): refuse it rather than read noise as rows."""
    sample = text[:65_536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    if sample and controls > max(3, len(sample) // 100):
        raise UnreadableFile(
            f"{name}: this is not a text table (it holds binary data); export it as CSV, "
            "XLSX or Parquet."
        )


def _decode(name: str, data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name): BOMs first, then UTF-16 without a BOM, then strict
    UTF-8, then detection. Binary content is refused (UnreadableFile)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                f"{name}: starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte "
                f"{exc.start + 3:,}, line {_row_of(data, exc.start + 3):,}); save it again as "
                "UTF-8, or without the mark."
            ) from None
        _refuse_binary(name, text)
        return text, "UTF-8 (BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"{name}: starts with a UTF-16 byte-order mark but is not valid UTF-16."
            ) from None
        _refuse_binary(name, text)
        return text, "UTF-16"
    utf16 = _utf16_without_bom(data[:65_536])
    if utf16 is not None:
        try:
            text = data.decode(utf16)
            _refuse_binary(name, text)
            return text, f"{utf16.upper()} (no byte-order mark)"
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _refuse_binary(name, text)
        return text, "UTF-8"
    from charset_normalizer import from_bytes

    # Detection on short files is unreliable; Windows exports are mostly cp1252, so it wins
    # whenever the detector counts it among the plausible encodings.
    matches = from_bytes(data[:2_000_000])
    plausible = {enc for m in matches for enc in m.could_be_from_charset}
    best = matches.best()
    encoding = "cp1252" if "cp1252" in plausible or best is None else best.encoding
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text, encoding = data.decode("latin-1"), "latin-1"
    _refuse_binary(name, text)
    return text, encoding


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines most consistently (",", ";", tab, "|")."""
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def header_offset(rows: list[list[object]]) -> int:
    """Index of the header row among a file's first rows: title lines above it are skipped.

    The header is the first row whose filled cells number at least 60% of the usual
    width of the first 30 rows (the most common number of filled cells, ties: the wider),
    and at least 2 when that width is 2 or more. The usual width, not the widest: one
    ragged data row wider than the rest must not make the header look like a title line.
    """
    filled = [sum(1 for c in r if c not in (None, "") and str(c).strip()) for r in rows[:30]]
    widths = [n for n in filled if n]
    if not widths:
        return 0
    usual = max(set(widths), key=lambda n: (widths.count(n), n))
    need = max(min(2, usual), -(-usual * 3 // 5))
    return next((i for i, n in enumerate(filled) if n >= need), 0)


def _utf8_payload(data: bytes, text: str, encoding: str, cut: bool) -> bytes:
    """The bytes to hand to the CSV reader: the upload itself when it is UTF-8 and whole
    (no copy), else the decoded text re-encoded."""
    if encoding == "UTF-8" and not cut:
        return data
    if encoding == "UTF-8 (BOM)" and not cut:
        return data[3:]
    return text.encode("utf-8")


def _read_csv(name: str, data: bytes) -> RawTable:
    text, encoding = _decode(name, data)
    notes = [] if encoding.startswith("UTF-8") else [f"read as {encoding} text"]
    first_line = text[:200].partition("\n")[0]
    delimiter = None
    sep_line = first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5
    if sep_line:  # Excel's "sep=;" hint line
        delimiter, text = first_line.strip()[4], text.partition("\n")[2]
    delimiter = delimiter or _sniff_delimiter(text[:65_536])
    try:
        first_rows = list(
            itertools.islice(csv.reader(io.StringIO(text[:262_144]), delimiter=delimiter), 30)
        )
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: cannot split into columns ({exc}).") from None
    skip = header_offset(first_rows)
    if skip:
        text = text.split("\n", skip)[-1]
        notes.append(f"skipped {skip} title line(s) above the header")
    head = text[:1_000_000]
    if "\n" not in head and len(text) > len(head):
        raise UnreadableFile(f"{name}: the header line is longer than 1,000,000 characters.")
    try:
        header = next(csv.reader(io.StringIO(head), delimiter=delimiter), None)
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: cannot split the header into columns ({exc}).") from None
    if not header or not any(h.strip() for h in header):
        raise UnreadableFile(f"{name}: no header row found.")
    try:
        headers = _unique_headers(header)
    except UnreadableFile as exc:
        raise UnreadableFile(f"{name}: {exc}") from None
    if delimiter != ",":
        notes.append(f"columns separated by {'tab' if delimiter == chr(9) else repr(delimiter)}")
    try:
        table = pacsv.read_csv(
            io.BytesIO(_utf8_payload(data, text, encoding, sep_line or skip > 0)),
            read_options=pacsv.ReadOptions(column_names=headers, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values='"' in text,  # without quotes no value spans lines (faster)
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in headers},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return _read_csv_slow(name, text, delimiter, headers, notes, skip)
    table = table.combine_chunks() if table.num_rows else table
    rows = pa.array(np.arange(2 + skip, table.num_rows + 2 + skip, dtype=np.int64))
    if table.num_rows and table.num_columns > 1:
        # pyarrow reads a blank line and a line of empty fields (",,") alike; the row-by-row
        # reader tells them apart (a blank line is no row, ",," is a row with empty cells).
        filled = pc.not_equal(table.column(0), "")
        for col in table.columns[1:]:
            filled = pc.or_(filled, pc.not_equal(col, ""))
        if not pc.all(filled).as_py():
            return _read_csv_slow(name, text, delimiter, headers, notes, skip)
    return RawTable(name, table, rows, [], notes)


def _read_csv_slow(
    name: str, text: str, delimiter: str, headers: list[str], notes: list[str], skip: int = 0
) -> RawTable:
    """Row-by-row reading for files with ragged rows: each one becomes a BadRow."""
    width = len(headers)
    columns: list[list[str]] = [[] for _ in headers]
    numbers: list[int] = []
    bad: list[BadRow] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader, None)
    try:
        for record_no, record in enumerate(reader, start=2 + skip):
            if not record or (len(record) == 1 and not record[0].strip() and width > 1):
                continue  # a blank line is not a row
            if len(record) > width and not any(v.strip() for v in record[width:]):
                record = record[:width]  # trailing empty fields
            if len(record) != width:
                bad.append(
                    BadRow(
                        record_no,
                        f"has {len(record)} fields, expected {width}",
                        delimiter.join(record)[:200],
                    )
                )
                continue
            numbers.append(record_no)
            for col, value in zip(columns, record, strict=True):
                col.append(value)
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: cannot split into columns ({exc}).") from None
    table = pa.table(
        {h: pa.array(c, type=pa.string()) for h, c in zip(headers, columns, strict=True)}
    )
    return RawTable(name, table, pa.array(numbers, type=pa.int64()), bad, notes)


# ---------------------------------------------------------------- workbooks


def _check_zip(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_XLSX_RATIO:
                    raise UnreadableFile(f"{name}: the workbook inflates suspiciously; not read.")
            if total > MAX_XLSX_UNPACKED:
                raise UnreadableFile(f"{name}: the workbook is too large once unpacked.")
    except zipfile.BadZipFile:
        raise UnreadableFile(f"{name}: the file is not a valid workbook.") from None


def _read_workbook(name: str, data: bytes) -> RawTable:
    """Every sheet with data and the first such sheet's columns, stacked (exports split
    by year or region across sheets); a sheet with other columns is named and left out."""
    from python_calamine import CalamineWorkbook

    if data[:2] == b"PK":
        _check_zip(name, data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            (sheet, rows)
            for sheet in book.sheet_names
            if _has_data(rows := book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
        ]
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises its own error types per format
        raise UnreadableFile(f"{name}: the workbook cannot be read ({exc}).") from None
    if not sheets:
        raise UnreadableFile(f"{name}: the workbook has no data.")
    headers: list[str] = []
    named: list[str] = []
    columns: list[list[str | None]] = []
    numbers: list[int] = []
    sources: list[str] = []
    notes: list[str] = []
    used: list[str] = []
    for sheet, rows in sheets:
        skip = header_offset(rows)
        try:
            these = _unique_headers([cell_text(c) for c in rows[skip]])
        except UnreadableFile as exc:
            if used:  # a later sheet without a usable header: say so, keep the rest
                notes.append(f"sheet {sheet!r} not read ({exc})")
                continue
            raise UnreadableFile(f"{name}: {exc}") from None
        if not used:
            headers, columns = these, [[] for _ in these]
            named = _named(rows[skip])
        elif _named(rows[skip]) != named:
            notes.append(f"sheet {sheet!r} not read: its columns differ from sheet {used[0]!r}")
            continue
        used.append(sheet)
        if skip:
            notes.append(f"sheet {sheet!r}: skipped {skip} title row(s) above the header")
        width, beyond = len(headers), 0
        for i, row in enumerate(rows[skip + 1 :], start=skip + 2):
            cells = [cell_text(c) for c in row]
            if not any(c is not None for c in cells):
                continue
            beyond += any(c is not None for c in cells[width:])
            cells = (cells + [None] * width)[:width]
            numbers.append(i)
            sources.append(sheet)
            for col, value in zip(columns, cells, strict=True):
                col.append(value)
        if beyond:
            notes.append(
                f"sheet {sheet!r}: {beyond:,} row(s) have cells right of the last named "
                "column; those cells were not read"
            )
    table = pa.table(
        {h: pa.array(c, type=pa.string()) for h, c in zip(headers, columns, strict=True)}
    )
    if len(book.sheet_names) > 1:
        notes.insert(0, f"sheet{'s' if len(used) > 1 else ''} {', '.join(map(repr, used))}")
    labels = None
    if len(used) > 1:
        labels = pa.array([f"{name} [{s}]" for s in sources], type=pa.string())
    return RawTable(name, table, pa.array(numbers, type=pa.int64()), [], notes, labels)


def _named(header_row: list[object]) -> list[str]:
    """A sheet's header names up to the last non-blank one: what sheets must share to be
    stacked (calamine pads every row to the sheet's own width)."""
    names = [cell_text(c) or "" for c in header_row]
    while names and not names[-1]:
        names.pop()
    return names


def _has_data(rows: list[list[object]]) -> bool:
    return any(any(c not in (None, "") for c in r) for r in rows)


# ---------------------------------------------------------------- Parquet


def typed_cells(kind: pa.DataType) -> bool:
    """A Parquet column type the parsers take as it is (`alms.reading.parsing`): numbers,
    flags, dates and timestamps. Each is the cell its text would be; a column of another
    type (text, decimal, durations, lists) is read as text."""
    return (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_date32(kind)
        or pa.types.is_timestamp(kind)
    )


def _read_parquet(name: str, data: bytes, only: Chosen | None) -> RawTable:
    try:
        file = pq.ParquetFile(io.BytesIO(data))
        names = file.schema_arrow.names
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError ... per defect
        raise UnreadableFile(f"{name}: the Parquet file cannot be read ({exc}).") from None
    headers = _unique_headers(names)
    wanted = set(headers) if only is None else set(only(headers))
    columns = {}
    # A column the caller does not want is not read (an activity id: 0.5 s and ~130 MB
    # at 10M rows). Typed cells stay typed and text is text, so the read table is about
    # the size of the result: only one column at a time exists twice (its chunks joined).
    for header, col in _parquet_columns(name, file, names, headers, wanted):
        if pa.types.is_date64(col.type):
            col = col.cast(pa.date32())
        columns[header] = one_array(col) if typed_cells(col.type) else as_text(col)
    rows = pa.array(np.arange(2, file.metadata.num_rows + 2, dtype=np.int64))
    return RawTable(name, pa.table(columns), rows, [], [])


def _parquet_columns(
    name: str, file: pq.ParquetFile, names: list[str], headers: list[str], wanted: set[str]
) -> Iterator[tuple[str, pa.ChunkedArray]]:
    """(header, column) for each wanted column of the file in order, each let go as the
    caller takes it. The wanted columns are read together, decoded by Arrow's threads
    (10M activities: ~1.0-1.5 s, against ~1.6-2.9 s one column at a time); a file with
    repeated names, which a read by name cannot tell apart, is read whole."""
    chosen = [i for i, header in enumerate(headers) if header in wanted]
    try:
        if len(set(names)) == len(names):
            table = file.read(columns=[names[i] for i in chosen])
        else:
            table = file.read().select(chosen)
    except Exception as exc:  # a defect found only when its column is read
        raise UnreadableFile(f"{name}: the Parquet file cannot be read ({exc}).") from None
    for i in chosen:
        col = table.column(0)
        table = table.remove_column(0)
        yield headers[i], col
