"""A seeded corpus of hostile and broken input files, each with its expected outcome.

    python -m tests.hostile_corpus --out /tmp/corpus    # writes the files + expected.json

Every case is one file (an accounts file, activities beside a fixed accounts file, or
order lines) and what ALMS must do with it: refuse it with a sentence containing a given
text, or load it with given row counts (and, where it matters, figures). The suite runs
every case through `alms summary` and through the Data page (tests/test_hostile.py).
The same seed always writes the same bytes.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import xlsxwriter

SEED = 20261201
BASE_ACCOUNTS = b"id,owner,revenue\nA,Ann,100\nB,Bob,50\n"
"""The accounts file beside every activities case."""


@dataclass(frozen=True)
class Case:
    name: str  # the file name (its extension matters to the reader)
    table: str  # "accounts", "activities" or "orders"
    data: bytes
    refused: str | None = None  # the refusal's sentence contains this text
    rows: int | None = None  # rows / accepted / rejected of the file
    accepted: int | None = None
    rejected: int | None = None
    figures: dict = field(default_factory=dict)  # summary keys -> expected values
    why: str = ""

    def expected(self) -> dict:
        out = asdict(self)
        del out["data"]
        return out


def _xlsx(sheets: dict[str, list[list[object]]], merge: str | None = None) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    for title, rows in sheets.items():
        sheet = book.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        if merge:
            sheet.merge_range(merge, rows[1][1])
    book.close()
    return buf.getvalue()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)  # ~1000:1
    return buf.getvalue()


def _xml_bomb() -> bytes:
    """An XLSX whose sheet declares nested entities (billion laughs)."""
    lol = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    sheet = (
        f'<?xml version="1.0"?>{lol}]><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;'
        "</t></is></c></row></sheetData></worksheet>"
    )
    base = zipfile.ZipFile(io.BytesIO(_xlsx({"Sheet1": [["id", "revenue"], ["A", 1]]})))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for item in base.infolist():
            body = base.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = sheet.encode()
            z.writestr(item.filename, body)
    return buf.getvalue()


def cases() -> list[Case]:
    rng = random.Random(SEED)
    noise = bytes(rng.getrandbits(8) for _ in range(4_000))
    big_name = "".join(rng.choice("abcdefghij") for _ in range(10_000))
    text = "id,name,revenue\nA,Äpfel GmbH,100\nB,Bob,50\n"
    c: list[Case] = [
        # ------------------------------------------------------------ encodings
        Case("utf16_no_bom.csv", "accounts", text.encode("utf-16-le"), rows=2, accepted=2,
             rejected=0, figures={"revenue_total": 150.0}, why="UTF-16 with no byte-order mark"),
        Case("utf16_bom.csv", "accounts", text.encode("utf-16"), rows=2, accepted=2, rejected=0,
             figures={"revenue_total": 150.0}),
        Case("cp1252_euro_quotes.csv", "accounts",
             "id;name;revenue\nA;“Café” €;1.234,50\nB;Bob;10,00\n".encode("cp1252"), rows=2,
             accepted=2, rejected=0, figures={"revenue_total": 1244.5},
             why="Windows-1252 with euro sign and curly quotes; decimal comma"),
        Case("invalid_utf8_after_bom.csv", "accounts", b"\xef\xbb\xbfid,revenue\nA,\xff\xfe1\n",
             refused="byte-order mark"),
        Case("mixed_encoding.csv", "accounts",
             "id,name,revenue\nA,Zoë,100\n".encode() + "B,Zoë,50\n".encode("cp1252"), rows=2,
             accepted=2, rejected=0, figures={"revenue_total": 150.0},
             why="UTF-8 and Windows-1252 lines mixed: read as Windows-1252, rows kept"),
        Case("binary_as_csv.csv", "accounts", noise, refused="binary data"),
        Case("empty.csv", "accounts", b"", refused="empty"),
        Case("whitespace_only.csv", "accounts", b"   \n\n  \t\n", refused="empty"),
        # ------------------------------------------------------------ structure
        Case("header_only.csv", "accounts", b"id,revenue\n", rows=0, accepted=0, rejected=0,
             figures={"accounts": 0, "customers": 0}),
        Case("no_header.csv", "accounts", b"A,100\nB,200\n", refused="account id"),
        Case("duplicate_headers.csv", "accounts", b"id,revenue,revenue\nA,100,5\nB,7,9\n",
             rows=2, accepted=2, rejected=0, figures={"revenue_total": 107.0}),
        Case("blank_headers.csv", "accounts", b"id,,revenue\nA,x,100\n", rows=1, accepted=1,
             rejected=0, figures={"revenue_total": 100.0}),
        Case("ragged_rows.csv", "accounts", b"id,revenue\nA,100\nB,50,extra,more\nC\nD,25\n",
             rows=4, accepted=2, rejected=2, figures={"revenue_total": 125.0}),
        Case("quoted_newlines.csv", "accounts",
             b'id,name,revenue\nA,"Line one\nline two",100\nB,"Say ""hi""",50\n', rows=2,
             accepted=2, rejected=0, figures={"revenue_total": 150.0}),
        Case("nul_bytes.csv", "accounts", b"id,revenue\nA\x00,100\nB,50\n", rows=2, accepted=2,
             rejected=0, figures={"revenue_total": 150.0}),
        Case("line_20mb.csv", "accounts", b"id" + b"x" * 20_000_000 + b",revenue\nA,1\n",
             refused="cannot split into columns"),
        Case("cols_5000.csv", "accounts",
             (",".join(["id", "revenue", *[f"c{i}" for i in range(4_998)]]) + "\nA,1"
              + "," * 4_998 + "\n").encode(),
             refused="columns"),
        Case("xlsx_really_csv.xlsx", "accounts", b"id,revenue\nA,100\n", refused="not a valid XLSX"),
        Case("csv_really_xlsx.csv", "accounts",
             _xlsx({"Sheet1": [["id", "revenue"], ["A", 100], ["B", 50]]}), rows=2, accepted=2,
             rejected=0, figures={"revenue_total": 150.0}),
        Case("password_protected.xlsx", "accounts",
             b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.getrandbits(8) for _ in range(2_000)),
             refused="cannot be read"),
        Case("corrupt.xlsx", "accounts", b"PK\x03\x04" + noise, refused="not a valid workbook"),
        Case("zip_bomb.xlsx", "accounts", _zip_bomb(), refused="inflates suspiciously"),
        Case("xml_bomb.xlsx", "accounts", _xml_bomb(), refused="cannot be read"),
        Case("empty_first_sheet.xlsx", "accounts",
             _xlsx({"Notes": [], "Data": [["id", "revenue"], ["A", 100], ["B", 50]]}), rows=2,
             accepted=2, rejected=0, figures={"revenue_total": 150.0}),
        Case("merged_cells.xlsx", "accounts",
             _xlsx({"Sheet1": [["id", "name", "revenue"], ["A", "Acme", 100], ["B", None, 50]]},
                   merge="B2:B3"), rows=2, accepted=2, rejected=0,
             figures={"revenue_total": 150.0}),
        # ------------------------------------------------------------ values
        Case("huge_numbers.csv", "accounts", b"id,revenue\nA,1e15\nB,100000000000000\nC,5\n",
             rows=3, accepted=2, rejected=1, figures={"revenue_total": 100000000000005.0},
             why="1e15 is beyond the 10^14 ALMS sums exactly: that cell's row is rejected"),
        Case("book_total_too_large.csv", "accounts",
             ("id,revenue\n" + "".join(f"A{i},90000000000000\n" for i in range(11))).encode(),
             refused="sums exactly"),
        Case("tiny_numbers.csv", "accounts", b"id,revenue\nA,0.0001\nB,0.00004\n", rows=2,
             accepted=2, rejected=0, figures={"customers": 1, "revenue_total": 0.0001},
             why="money is kept to 1/10,000: 0.00004 rounds to 0"),
        Case("exponents.csv", "accounts", b"id,revenue\nA,1.5e3\nB,2E2\n", rows=2, accepted=2,
             rejected=0, figures={"revenue_total": 1700.0}),
        Case("nan_infinity.csv", "accounts", b"id,revenue\nA,NaN\nB,Infinity\nC,-inf\nD,10\n",
             rows=4, accepted=2, rejected=2, figures={"customers": 1, "revenue_total": 10.0},
             why="NaN is a blank marker (revenue 0); Infinity is no amount"),
        Case("ambiguous_thousands.csv", "accounts", b"id,revenue\nA,1.234\nB,2.500\n", rows=2,
             accepted=2, rejected=0, figures={"revenue_total": 3.734},
             why="1.234 alone reads as a decimal point (the page lets the user pin it)"),
        Case("percent_signs.csv", "accounts", b"id,revenue,margin\nA,100,45%\nB,50,12 %\n",
             rows=2, accepted=2, rejected=0, figures={"revenue_total": 150.0}),
        Case("negative_zero.csv", "accounts", b"id,revenue\nA,-0\nB,-0.00\nC,5\n", rows=3,
             accepted=3, rejected=0, figures={"customers": 1}),
        Case("dates_year_1_and_9999.csv", "activities",
             b"account,date,type,duration\nA,0001-01-01,Call,5\nB,9999-12-31,Call,5\n", rows=2,
             accepted=2, rejected=0, figures={"as_of": "9999-12-31"}),
        Case("feb_30.csv", "activities",
             b"account,date,type,duration\nA,2024-02-30,Call,5\nB,2024-02-29,Call,5\n", rows=2,
             accepted=1, rejected=1),
        Case("excel_serials.csv", "activities",
             b"account,date,type,duration\nA,45000,Call,5\nB,0,Call,5\nA,-3,Call,5\n", rows=3,
             accepted=1, rejected=2, why="serial 45000 = 2023-03-15; 0 and negatives are no dates"),
        # ------------------------------------------------------------ keys
        Case("ids_case_and_spaces.csv", "accounts", b"id,revenue\nA,10\na,20\n A ,30\n", rows=3,
             accepted=2, rejected=1, figures={"revenue_total": 30.0},
             why='"A" and " A " are one id after trimming (the second is a duplicate); "a" is another'),
        Case("ids_007_and_7.csv", "accounts", b"id,revenue\n007,10\n7,20\n", rows=2, accepted=2,
             rejected=0, figures={"accounts": 2}),
        Case("ids_as_floats.csv", "accounts", b"id,revenue\n17850.0,10\n17851.0,20\n", rows=2,
             accepted=2, rejected=0, figures={"accounts": 2}),
        Case("lookalike_unicode_ids.csv", "accounts", "id,revenue\nA,10\nА,20\n".encode(), rows=2,
             accepted=2, rejected=0, figures={"accounts": 2},
             why="Latin A and Cyrillic А are two accounts"),
        # ------------------------------------------------------------ hostile text
        Case("formula_injection.csv", "accounts",
             b'id,name,revenue\n=HYPERLINK("http://x"),@SUM(A1),100\n+cmd,-2+3,50\n', rows=2,
             accepted=2, rejected=0, figures={"revenue_total": 150.0}),
        Case("html_and_script.csv", "accounts",
             b"id,name,revenue\nA,<script>alert(1)</script>,100\nB,<b>bold</b> & co,50\n",
             rows=2, accepted=2, rejected=0),
        Case("rtl_override.csv", "accounts", "id,name,revenue\nA,\u202eevil\u202c Ltd,100\n".encode(),
             rows=1, accepted=1, rejected=0),
        Case("name_10000_chars.csv", "accounts", f"id,name,revenue\nA,{big_name},100\n".encode(),
             rows=1, accepted=1, rejected=0),
        Case("emoji.csv", "accounts", "id,name,revenue\nA,🚀 Rocket Co 👩‍💻,100\n".encode(), rows=1,
             accepted=1, rejected=0),
        # ------------------------------------------------------------ order lines
        Case("orders_net_zero.csv", "orders",
             b"customer id,date,amount\nC1,2024-01-01,-1.65\nC1,2024-01-02,-9.95\n"
             b"C1,2024-01-03,1.65\nC1,2024-01-04,9.95\n",
             rows=4, accepted=4, rejected=0, figures={"accounts": 1, "customers": 0}),
        Case("orders_bad_lines.csv", "orders",
             b"customer id,date,amount\nC1,2024-01-01,10\n,2024-01-02,5\nC2,not a date,5\n"
             b"C3,2024-01-03,\n",
             rows=4, accepted=1, rejected=3, figures={"accounts": 1, "revenue_total": 10.0}),
    ]  # fmt: skip
    return c


def write(folder: Path) -> list[Path]:
    """Write every case and expected.json into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in cases():
        path = folder / case.name
        path.write_bytes(case.data)
        paths.append(path)
    (folder / "base_accounts.csv").write_bytes(BASE_ACCOUNTS)
    (folder / "expected.json").write_text(
        json.dumps([c.expected() for c in cases()], indent=1, ensure_ascii=False)
    )
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(path)


if __name__ == "__main__":
    main()
