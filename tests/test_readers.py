"""Reading real-world files: delimiters, encodings, workbooks, Parquet, broken rows."""

import io
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from alms.reading.cells import as_text
from alms.reading.readers import UnreadableFile, read_file
from alms.reading.schema import Table, normalise_header, propose_mapping
from tests.helpers import csv_bytes


def test_semicolon_and_cp1252_with_eu_money() -> None:
    data = "Kunde;Name;Umsatz\n001;Müller GmbH;1.200,50 €\n002;Café Noir;3,5\n".encode("cp1252")
    raw = read_file("konten.csv", data)
    assert raw.headers == ["Kunde", "Name", "Umsatz"]
    assert raw.table.column("Name").to_pylist() == ["Müller GmbH", "Café Noir"]
    assert raw.table.column("Kunde").to_pylist() == ["001", "002"]  # ids stay text
    assert any("separated by ';'" in n for n in raw.notes)


def test_tab_and_bom_and_na_stays_a_name() -> None:
    data = b"\xef\xbb\xbfAccount ID\tAccount Name\n1\tNA\n2\tNone\n"
    raw = read_file("a.tsv", data)
    assert raw.headers == ["Account ID", "Account Name"]
    assert raw.table.column("Account Name").to_pylist() == ["NA", "None"]


def test_ragged_rows_become_bad_rows_with_spreadsheet_row_numbers() -> None:
    data = csv_bytes(
        """
        id,name,revenue
        1,a,10
        2,b
        3,c,30,extra
        4,d,40
        """
    )
    raw = read_file("a.csv", data)
    assert raw.table.column("id").to_pylist() == ["1", "4"]
    assert raw.row_numbers.to_pylist() == [2, 5]
    assert [(b.row, b.reason) for b in raw.bad_rows] == [
        (3, "has 2 fields, expected 3"),
        (4, "has 4 fields, expected 3"),
    ]
    assert raw.total_rows == 4


def test_quoted_newlines_and_duplicate_headers() -> None:
    data = b'id,Name,Name,\n1,"two\nlines",x,\n2,b,y,\n'
    raw = read_file("a.csv", data)
    assert raw.headers == ["id", "Name", "Name (2)", "column 4"]
    assert raw.table.column("Name").to_pylist() == ["two\nlines", "b"]
    assert raw.row_numbers.to_pylist() == [2, 3]


def test_xlsx_cells_read_as_export_text() -> None:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet("Accounts")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["CustomerID", "Revenue", "Since"])
    ws.write_number(1, 0, 17850)
    ws.write_number(1, 1, 1200.5)
    import datetime

    ws.write_datetime(1, 2, datetime.datetime(2024, 3, 31), date_fmt)
    ws.write_string(2, 0, "00123")
    ws.write_string(2, 1, "$7")
    wb.close()
    raw = read_file("book.xlsx", buf.getvalue())
    assert raw.table.column("CustomerID").to_pylist() == ["17850", "00123"]
    assert raw.table.column("Revenue").to_pylist() == ["1200.5", "$7"]
    assert raw.table.column("Since").to_pylist()[0].startswith("2024-03-31")


def test_parquet_numbers_stay_typed_and_read_as_their_text() -> None:
    table = pa.table(
        {
            "id": ["a", "b"],
            "revenue": [1.5, 200.0],
            "n": [1, 2],
            "price": pa.array([Decimal("1.50"), None], pa.decimal128(5, 2)),
        }
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    raw = read_file("x.parquet", buf.getvalue())
    assert raw.table.column("id").to_pylist() == ["a", "b"]
    assert raw.table.column("revenue").type == pa.float64()
    assert as_text(raw.table.column("revenue")).to_pylist() == ["1.5", "200"]
    assert as_text(raw.table.column("n")).to_pylist() == ["1", "2"]
    assert raw.table.column("price").to_pylist() == ["1.50", None]  # a decimal as its text


def test_only_the_chosen_columns_are_kept_and_the_chooser_sees_every_header() -> None:
    table = pa.table({"id": ["a", "b"], "note": ["x", "y"], "n": [1, 2]})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    seen: list[list[str]] = []

    def only(headers: list[str]) -> list[str]:
        seen.append(headers)
        return ["n", "id"]

    parquet = read_file("x.parquet", buf.getvalue(), only)
    csv_file = read_file("x.csv", b"id,note,n\na,x,1\nb,y,2\n", only)
    assert seen == [["id", "note", "n"]] * 2
    assert parquet.headers == csv_file.headers == ["id", "n"]
    assert parquet.table.num_rows == csv_file.table.num_rows == 2


@pytest.mark.parametrize(
    ("name", "data", "phrase"),
    [
        ("empty.csv", b"   \n", "empty"),
        ("bad.xlsx", b"PK\x03\x04not really a zip", "not a valid workbook"),
        ("fake.xlsx", b"hello,world\n1,2\n", "not a valid XLSX"),
        ("bad.parquet", b"PAR1garbage", "cannot be read"),
    ],
)
def test_unreadable_files_get_one_sentence_naming_the_file(name, data, phrase) -> None:
    with pytest.raises(UnreadableFile) as info:
        read_file(name, data)
    assert name in str(info.value) and phrase in str(info.value)


def test_too_many_columns_refused() -> None:
    header = ",".join(f"c{i}" for i in range(2_500))
    with pytest.raises(UnreadableFile, match="2,500 columns"):
        read_file("wide.csv", (header + "\n").encode())


def test_header_normalisation_and_crm_synonyms() -> None:
    assert normalise_header("ActivityDate") == "activity date"
    assert normalise_header("Account_Owner ") == "account owner"
    salesforce = ["Id", "Name", "Type", "Industry", "AnnualRevenue", "Owner Name", "BillingState"]
    assert propose_mapping(Table.ACCOUNTS, salesforce) == {
        "account_id": "Id",
        "account_name": "Name",
        "owner": "Owner Name",
        "status": "Type",
        "revenue": "AnnualRevenue",
        "industry": "Industry",
    }
    hubspot = ["Record ID", "Company name", "Company owner", "Lifecycle Stage", "Annual Revenue"]
    assert propose_mapping(Table.ACCOUNTS, hubspot) == {
        "account_id": "Record ID",
        "account_name": "Company name",
        "owner": "Company owner",
        "status": "Lifecycle Stage",
        "revenue": "Annual Revenue",
    }
    tasks = ["Id", "WhatId", "ActivityDate", "TaskSubtype", "DurationInMinutes", "OwnerId"]
    assert propose_mapping(Table.ACTIVITIES, tasks) == {
        "account_id": "WhatId",
        "date": "ActivityDate",
        "type": "TaskSubtype",
        "duration_minutes": "DurationInMinutes",
        "seller": "OwnerId",
    }
    retail = ["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"]
    assert propose_mapping(Table.ORDERS, retail) == {
        "account_id": "CustomerID",
        "date": "InvoiceDate",
        "quantity": "Quantity",
        "unit_price": "UnitPrice",
    }


def test_title_lines_above_the_header_and_blank_lines_keep_row_numbers() -> None:
    data = b"Accounts report\nGenerated 2024-06-30\n\nid,name,revenue\n1,a,10\n\n2,b,20\n"
    raw = read_file("report.csv", data)
    assert raw.headers == ["id", "name", "revenue"]
    assert raw.table.column("id").to_pylist() == ["1", "2"]
    # header is line 4, so data lines are 5 and 7 (line 6 is blank)
    assert raw.row_numbers.to_pylist() == [5, 7]
    assert any("skipped 3 title" in n for n in raw.notes)


def test_xlsx_title_rows_are_skipped() -> None:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet()
    ws.write(0, 0, "Opportunity report")
    ws.write_row(2, 0, ["Account Name", "Amount", "Close Date"])
    ws.write_row(3, 0, ["Acme", 100, "2024-01-01"])
    wb.close()
    raw = read_file("report.xlsx", buf.getvalue())
    assert raw.headers == ["Account Name", "Amount", "Close Date"]
    assert raw.row_numbers.to_pylist() == [4]


def _year_split_workbook() -> bytes:
    """Order lines split by year over two sheets (as UCI's Online Retail II is), plus a
    notes sheet with other columns; the second sheet has a stray cell right of its table."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    header = ["Invoice", "Quantity", "InvoiceDate", "Price", "Customer ID"]
    first = wb.add_worksheet("Year 2009-2010")
    first.write_row(0, 0, header)
    first.write_row(1, 0, ["489434", 12, "2009-12-01", 6.95, "13085"])
    first.write_row(2, 0, ["489435", 10, "2009-12-01", 1.25, "13085"])
    second = wb.add_worksheet("Year 2010-2011")
    second.write_row(0, 0, header)
    second.write_row(1, 0, ["536365", 6, "2010-12-01", 2.55, "17850", "stray note"])
    second.write_row(2, 0, ["536366", 6, "2010-12-01", "n/a?", "17850"])
    notes = wb.add_worksheet("Notes")
    notes.write_row(0, 0, ["Source", "Licence"])
    notes.write_row(1, 0, ["UCI", "CC BY 4.0"])
    wb.close()
    return buf.getvalue()


def test_workbook_sheets_with_the_same_columns_are_stacked() -> None:
    raw = read_file("retail.xlsx", _year_split_workbook())
    assert raw.table.column("Invoice").to_pylist() == ["489434", "489435", "536365", "536366"]
    assert raw.row_numbers.to_pylist() == [2, 3, 2, 3]  # each sheet's own row numbers
    assert raw.sources.to_pylist() == [
        "retail.xlsx [Year 2009-2010]",
        "retail.xlsx [Year 2009-2010]",
        "retail.xlsx [Year 2010-2011]",
        "retail.xlsx [Year 2010-2011]",
    ]
    assert raw.notes[0] == "sheets 'Year 2009-2010', 'Year 2010-2011'"
    assert "sheet 'Notes' not read: its columns differ from sheet 'Year 2009-2010'" in raw.notes
    assert any("1 row(s) have cells right of the last named column" in n for n in raw.notes)


def test_a_parquet_file_with_repeated_names_keeps_the_chosen_one() -> None:
    table = pa.Table.from_arrays(
        [pa.array(["a", "b"]), pa.array([1, 2]), pa.array(["x", "y"])], names=["id", "id", "n"]
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    raw = read_file("x.parquet", buf.getvalue(), lambda headers: ["id (2)"])
    assert raw.headers == ["id (2)"]
    assert raw.table.column(0).to_pylist() == [1, 2]
