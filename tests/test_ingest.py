"""Validation: every row accepted or rejected with a reason; orders -> revenue windows."""

from datetime import date
from decimal import Decimal

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alms.aggregates import revenue_windows
from alms.analysis import assign
from alms.prepared import prepare
from alms.reading import ingest
from alms.reading.book import LoadError, Upload, load
from alms.reading.ingest import LoadOptions
from alms.settings import Settings
from tests.helpers import book_of, csv_bytes

ACCOUNTS = """
Account ID,Account Name,Account Owner,Annual Revenue,Type
001,Acme,Ann,"$1,200.50",Customer
002,Beta,,"(1,000)",Customer
003,Gamma,Bob,abc,
001,Acme again,Ann,5,
,Nameless,Bob,10,
004,Delta,,,Lead
00123,Zed,Bob,10000,
123,Yo,Bob,USD 1200,
"""


def test_accounts_rejects_with_reasons_and_counts() -> None:
    book = book_of(ACCOUNTS)
    report = book.counts()["accounts"]
    # 8 rows: 002 negative, 003 unparseable, 001 repeated, blank id -> 4 rejected
    assert report == {"rows": 8, "accepted": 4, "rejected": 4}
    rejects = {(r["row"], r["reason"]) for r in book.rejects().to_pylist()}
    assert rejects == {
        (3, "negative revenue"),
        (4, "not a number: 'abc'"),
        (5, "duplicate account id (first at row 2)"),
        (6, "missing account id"),
    }
    ids = [r[0] for r in book.con.execute("SELECT account_id FROM accounts ORDER BY 1").fetchall()]
    assert ids == ["001", "00123", "004", "123"]  # "00123" and "123" are two accounts
    owners = dict(book.con.execute("SELECT account_id, owner FROM accounts").fetchall())
    assert owners["004"] == "Unassigned"
    assert any("1 account has no owner" in w for w in book.warnings)
    revenue = dict(book.con.execute("SELECT account_id, revenue FROM accounts").fetchall())
    assert revenue["001"] == Decimal("1200.5") and revenue["004"] == 0
    status = dict(book.con.execute("SELECT account_id, status FROM accounts").fetchall())
    assert status["004"] == "lead" and status["001"] == "customer"


def test_name_is_the_key_without_an_id_column() -> None:
    book = book_of(
        """
        Company name,Company owner,Annual Revenue
        Acme,Ann,100
        Beta,Bob,50
        Acme,Bob,7
        """
    )
    assert book.counts()["accounts"] == {"rows": 3, "accepted": 2, "rejected": 1}
    assert book.rejects().to_pylist()[0]["column"] == "Company name"


def test_activities_unknown_account_bad_date_default_seller() -> None:
    book = book_of(
        """
        Account ID,Account Owner,Revenue
        A,Ann,100
        B,Bob,50
        """,
        """
        AccountId,ActivityDate,Type,DurationInMinutes,Assigned To
        A,2024-03-01,Call,10,
        A,2024-03-15,Email,,Ann
        Z,2024-01-01,Call,5,Ann
        B,2024-02-30,Visit,100,Bob
        B,,Visit,100,Bob
        B,2024-02-03,Meeting,-5,Bob
        B,2024-02-03,Lunch meeting,45,Cid
        """,
    )
    assert book.counts()["activities"] == {"rows": 7, "accepted": 3, "rejected": 4}
    reasons = sorted(r["reason"].split(" (")[0] for r in book.rejects().to_pylist())
    assert reasons == [
        "missing date",
        "negative duration: '-5'",
        "not a valid date: '2024-02-30'",
        "unknown account",
    ]
    rows = book.con.execute(
        "SELECT account_id, seller, type, duration_minutes FROM activities ORDER BY src_row"
    ).fetchall()
    assert rows == [
        ("A", "Ann", "call", 10.0),
        ("A", "Ann", "email", None),
        ("B", "Cid", "meeting", 45.0),
    ]


def test_unreadable_file_is_one_sentence() -> None:
    with pytest.raises(LoadError, match=r"accounts.xlsx: the file is not a valid workbook"):
        load(Upload("accounts.xlsx", b"PK\x03\x04broken"))
    with pytest.raises(LoadError, match="Load an accounts file or an order lines file"):
        load(None)
    with pytest.raises(LoadError, match="no column named 'Nope'"):
        load(Upload("a.csv", b"id,x\n1,2\n", {"account_id": "Nope"}))


def test_book_is_hardened() -> None:
    book = book_of("id,revenue\n1,5")
    for sql in (
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY accounts TO '/tmp/x.csv'",
        "ATTACH '/tmp/x.db'",
        "SET memory_limit='100GB'",
        "INSTALL httpfs",
    ):
        with pytest.raises(duckdb.Error):
            book.con.execute(sql)
    assert book.con.execute("SELECT current_setting('threads')").fetchall()[0][0] == 1


def test_windows_same_calendar_day() -> None:
    assert revenue_windows(date(2024, 6, 30)) == (date(2023, 6, 30), date(2022, 6, 30))
    assert revenue_windows(date(2024, 2, 29)) == (date(2023, 2, 28), date(2022, 2, 28))


ORDERS = """
Customer ID,Invoice Date,Amount,Customer Name,Sales Rep
C1,2024-06-30,100.10,One,Ann
C1,2023-06-30,999,One,Ann
C1,2023-07-01,0.90,One,Ann
C1,2022-06-30,5,One,Ann
C1,2022-07-01,7,One,Ann
C2,2024-01-01,-1.65,Two,
C2,2024-01-02,-9.95,Two,
C2,2024-01-03,1.65,Two,
C2,2024-01-04,9.95,Two,
C3,2024-05-05,-50,Three,Bob
C3,2024-05-06,20,Three,Bob
,2024-05-06,20,Nobody,Bob
C4,2024-07-01,30,Four,Bob
"""


def test_order_lines_give_revenue_and_prior_revenue() -> None:
    book = book_of(None, orders=ORDERS, options=LoadOptions(as_of=date(2024, 6, 30)))
    assert book.counts()["orders"] == {"rows": 13, "accepted": 12, "rejected": 1}
    rows = book.con.execute(
        "SELECT account_id, account_name, owner, revenue, prior_revenue FROM accounts ORDER BY 1"
    ).fetchall()
    # C1: (2023-06-30, 2024-06-30] = 100.10 + 0.90; prior (2022-06-30, 2023-06-30] = 999 + 7
    # C2: -1.65 - 9.95 + 1.65 + 9.95 = 0 exactly: not a customer
    # C3: -50 + 20 = -30 -> counted as 0, warned;  C4: its only line is dated after the
    # as-of date, so C4 is not an account of the book as of then (DOMAIN.md section 7)
    assert rows == [
        ("C1", "One", "Ann", Decimal("101.0000"), Decimal("1006.0000")),
        ("C2", "Two", "Unassigned", Decimal("0"), Decimal("0")),
        ("C3", "Three", "Bob", Decimal("0"), Decimal("0")),
    ]
    assert any(
        "1 account has order lines only after the as-of date" in w and "C4" in w
        for w in book.warnings
    )
    assert any("more credit notes than orders" in w and "C3" in w for w in book.warnings)
    assert any("1 order line is dated after" in w for w in book.warnings)
    assert book.as_of == date(2024, 6, 30)


def test_default_as_of_is_latest_order_and_quantity_times_price() -> None:
    book = book_of(
        None,
        orders="""
        InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID
        1,6,12/1/2010 8:26,2.55,17850
        2,-2,12/5/2010 9:00,2.55,17850
        3,3,12/9/2010 10:00,0.001,12346
        4,,12/9/2010 10:00,1,12346
        """,
    )
    assert book.as_of == date(2010, 12, 9)
    revenue = dict(book.con.execute("SELECT account_id, revenue FROM accounts").fetchall())
    assert revenue == {"17850": Decimal("10.2000"), "12346": Decimal("0.0030")}
    assert book.counts()["orders"] == {"rows": 4, "accepted": 3, "rejected": 1}
    assert book.rejects().to_pylist()[0]["reason"] == "missing quantity"


def test_orders_beside_accounts_replace_revenue_and_reject_unknown() -> None:
    book = book_of(
        """
        Account ID,Account Owner,Revenue
        A,Ann,999
        B,Bob,5
        """,
        orders="""
        Account ID,Date,Amount
        A,2024-01-01,10
        X,2024-01-01,10
        """,
    )
    revenue = dict(book.con.execute("SELECT account_id, revenue FROM accounts").fetchall())
    assert revenue == {"A": Decimal("10"), "B": Decimal("0")}
    assert book.counts()["orders"] == {"rows": 2, "accepted": 1, "rejected": 1}
    assert any("come from the order lines" in w for w in book.warnings)


def test_same_bytes_same_result_and_rows_add_up() -> None:
    data = csv_bytes(ACCOUNTS)
    a = load(Upload("a.csv", data)).counts()["accounts"]
    b = load(Upload("a.csv", data)).counts()["accounts"]
    assert a == b and a["accepted"] + a["rejected"] == a["rows"]


def test_float_artefact_ids_match_integer_ids() -> None:
    book = book_of(
        "CustomerID,Revenue\n17850,10\n12346,5\n",
        orders="CustomerID,InvoiceDate,Quantity,UnitPrice\n17850.0,2024-01-01,2,2.5\n12346.0,2024-01-01,1,1\n",
    )
    assert book.counts()["orders"] == {"rows": 2, "accepted": 2, "rejected": 0}
    revenue = dict(book.con.execute("SELECT account_id, revenue FROM accounts").fetchall())
    assert revenue == {"17850": Decimal("5"), "12346": Decimal("1")}
    # mixed columns are left exactly as written
    mixed = book_of("id,revenue\n7.0,1\n0007,2\n")
    ids = sorted(r[0] for r in mixed.con.execute("SELECT account_id FROM accounts").fetchall())
    assert ids == ["0007", "7.0"]


def test_load_reports_each_step_with_the_fraction_done() -> None:
    heard: list[tuple[str, float]] = []
    load(
        Upload("accounts.csv", csv_bytes(ACCOUNTS)),
        Upload("acts.csv", csv_bytes("account,date,type\n001,2024-01-02,call\n002,x,call")),
        progress=lambda label, fraction: heard.append((label, fraction)),
    )
    # two files: read and check each, then store the rejects: 5 steps, told as they start
    assert heard == [
        ("Reading accounts.csv", 0.0),
        ("Checking 8 rows of accounts.csv", 0.2),
        ("Reading acts.csv", 0.4),
        ("Checking 2 activities of acts.csv", 0.6),
        ("Storing the rejected rows", 0.8),
    ]


def test_rejects_of_a_stacked_workbook_name_their_sheet() -> None:
    from tests.test_readers import _year_split_workbook

    book = load(None, orders=Upload("retail.xlsx", _year_split_workbook()))
    rows = book.con.execute("SELECT file, row, reason FROM rejects").fetchall()
    assert [(f, r) for f, r, _ in rows] == [("retail.xlsx [Year 2010-2011]", 3)]
    # both years' good lines count: the as-of date comes from the second sheet, and
    # 17850's one good line (6 x 2.55) is its revenue
    assert book.as_of == date(2010, 12, 1)
    revenue = dict(book.con.execute("SELECT account_id, revenue FROM accounts").fetchall())
    assert revenue == {"17850": Decimal("15.3"), "13085": Decimal("0")}


def test_categories_match_whole_words_not_substrings() -> None:
    accounts = """
    id,revenue,status
    A,0,Inactive
    B,0,Misleading data
    C,0,marketingqualifiedlead
    D,0,New Lead
    E,100,Lead
    """
    activities = """
    account,date,type,duration
    A,2024-01-01,Hotel stay,
    A,2024-01-02,Voicemail,
    A,2024-01-03,Video call,
    A,2024-01-04,E-mail,
    A,2024-01-05,Task,
    """
    book = book_of(accounts, activities)
    status = dict(book.con.execute("SELECT account_id, status FROM accounts").fetchall())
    # "Inactive" holds no "active", "Misleading" no "lead": both prospects
    assert status == {"A": "prospect", "B": "prospect", "C": "lead", "D": "lead", "E": "lead"}
    types = [t for (t,) in book.con.execute("SELECT type FROM activities ORDER BY date").fetchall()]
    # "Hotel stay" holds no "tel"; a voicemail is a call attempt, not an e-mail
    assert types == ["other", "call", "meeting", "email", "other"]
    warning = next(w for w in book.warnings if "no call, email, meeting or visit" in w)
    assert (
        "2 activities have" in warning and "'Hotel stay' x 1" in warning and "'Task' x 1" in warning
    )
    # E has revenue: a customer whatever its status says (status splits non-customers only)
    r = assign(prepare(book), Settings())
    assert r.counts() == {"key": 1, "secondary": 0, "prospect": 2, "lead": 2}


@given(
    ids=st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "zz", ""])), max_size=40),
    per_thread=st.integers(1, 7),
)
def test_ids_are_looked_up_alike_on_one_thread_or_several(ids: list, per_thread: int) -> None:
    known = pa.array(["c", "a", "b", "q"], pa.string())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ingest, "_IDS_PER_THREAD", per_thread)
        mp.setattr(pa, "cpu_count", lambda: 3)
        got = ingest._positions_in(pa.array(ids, pa.string()), known).to_pylist()
    # By hand: the row of each id in `known`, None where it is not there (or blank).
    rows = {"c": 0, "a": 1, "b": 2, "q": 3}
    assert got == [rows.get(i) if i is not None else None for i in ids]


@given(
    ids=st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "A", " a"])), max_size=30),
    seed=st.integers(0, 2**16),
)
def test_duplicates_name_each_repeat_and_its_first_kept_row(ids: list, seed: int) -> None:
    keep = np.random.default_rng(seed).random(len(ids)) < 0.8
    rows = pa.array(np.arange(2, len(ids) + 2), pa.int64())
    dup, reasons = ingest._duplicates(pa.array(ids, pa.string()), keep, rows)
    # By a dict: the first kept row of each id; a later kept row of it is a repeat.
    first: dict[str, int] = {}
    expected = []
    for i, value in enumerate(ids):
        if not keep[i] or value is None:
            expected.append(None)
        elif value in first:
            expected.append(f"duplicate account id (first at row {first[value]})")
        else:
            first[value] = i + 2
            expected.append(None)
    assert reasons.to_pylist() == expected
    assert dup.tolist() == [r is not None for r in expected]
