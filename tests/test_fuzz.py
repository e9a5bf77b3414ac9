"""Fuzzing the readers and the load: random bytes and random mutations of valid exports
(CSV, XLSX) raise nothing but the documented errors, and lose no row.

The budget is small in CI (the derandomised profile); HYPOTHESIS_PROFILE=thorough runs
600 examples per test.
"""

from __future__ import annotations

import io

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms.reading.book import LoadError, Upload, load
from alms.reading.readers import UnreadableFile, read_file

VALID_CSV = (
    b"Account ID,Account Name,Account Owner,Annual Revenue,Status\n"
    b'001A,Acme,Ann,"$1,200.50",Customer\n001B,Beta,Bob,300,Prospect\n'
    b"001C,Gamma,,(500),Lead\n001D,Delta,Cy,12.5,Customer\n"
)


def _valid_xlsx() -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([["id", "revenue"], ["A", 100], ["B", 50.5], ["C", "x"]]):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    book.close()
    return buf.getvalue()


VALID_XLSX = _valid_xlsx()


@st.composite
def mutated(draw, base: bytes) -> bytes:
    """`base` with a few random byte edits: flips, inserts, deletions, truncation."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 8))]
        else:
            del data[i:]
    return bytes(data)


def _read_or_refuse(name: str, data: bytes) -> None:
    try:
        raw = read_file(name, data)
    except UnreadableFile as exc:
        assert str(exc).startswith(name), str(exc)
        return
    assert raw.total_rows == raw.table.num_rows + len(raw.bad_rows)


def _load_or_refuse(name: str, data: bytes) -> None:
    try:
        book = load(Upload(name, data))
    except LoadError as exc:
        assert str(exc), "a refusal says why"
        return
    report = next(iter(book.reports.values()))
    assert report.accepted + report.rejected == report.rows  # no row lost
    assert book.scalar("SELECT count(*) FROM accounts") == report.accepted
    book.close()


FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2_000))
def test_random_bytes_are_read_or_refused(data: bytes) -> None:
    _read_or_refuse("random.csv", data)
    _load_or_refuse("random.csv", data)


@FUZZ
@given(mutated(VALID_CSV))
def test_mutated_csv_exports_load_or_are_refused(data: bytes) -> None:
    _read_or_refuse("accounts.csv", data)
    _load_or_refuse("accounts.csv", data)


@FUZZ
@given(mutated(VALID_XLSX))
def test_mutated_workbooks_load_or_are_refused(data: bytes) -> None:
    _read_or_refuse("accounts.xlsx", data)
    _load_or_refuse("accounts.xlsx", data)


@FUZZ
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6), st.integers(0, 5))
def test_random_text_tables_lose_no_row(cells: list[str], n_rows: int) -> None:
    header = "id,revenue," + ",".join(f"c{i}" for i in range(len(cells)))
    body = "\n".join(",".join([f"A{r}", cells[r % len(cells)], *cells]) for r in range(n_rows))
    _load_or_refuse("accounts.csv", (header + "\n" + body + "\n").encode("utf-8"))
