"""The Data page through streamlit's AppTest: sample book, upload, mapping, bad files, isolation.

Every expected figure is worked out by hand from the small files written here.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from alms.reading.schema import Table

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
STATE_KEY = "alms_workspace"
NONE = "(not in file)"
REJECT_COLUMNS = ["file", "row", "column", "value", "reason"]

SAMPLE_ACCOUNTS = 2_400  # the shipped sample_data/accounts.csv (counted again below)

# A Salesforce-style accounts export: 8 data rows, spreadsheet rows 2-9 (the header is row 1).
#
#   row  Account ID  Annual Revenue  Revenue 2024  owner
#   2    001A        "$1,200.50"     "$2,000.00"   Ann Lee
#   3    001B        $300            $100          Bob Stone
#   4    001C        (500)           $50           Ann Lee     (500) is -500: negative
#   5    001D        abc             $70           (blank)     abc is no number
#   6    001A        $10             $10           Ann Lee     repeats row 2's id
#   7    (blank)     $20             $20           Bob Stone   no id
#   8    001E        "$4,000"        $0            Cara Diaz
#   9    001F        (blank)         $5            Cara Diaz   blank revenue reads 0
#
# Revenue = Annual Revenue (the proposed mapping):
#   rejected rows 4 (negative revenue), 5 (not a number), 6 (duplicate of row 2), 7 (no id)
#   accepted 001A 1,200.50 / 001B 300 / 001E 4,000 / 001F 0  -> 4 accepted, 4 rejected
#   customers (revenue > 0): 001A, 001B, 001E -> 3; revenue total 5,500.50
# Revenue = Revenue 2024 (mapping changed by the user):
#   rows 4 and 5 now parse (50 and 70); rows 6 and 7 are still rejected
#   accepted 001A 2,000 / 001B 100 / 001C 50 / 001D 70 / 001E 0 / 001F 5 -> 6 accepted,
#   2 rejected; customers 001A, 001B, 001C, 001D, 001F -> 5; revenue total 2,225
SF_NAME = "sf-accounts.csv"
SF_EXPORT = (
    b"Account ID,Account Name,Account Owner,Annual Revenue,Revenue 2024,Type,Industry\n"
    b'001A,Acme Corp,Ann Lee,"$1,200.50","$2,000.00",Customer,Manufacturing\n'
    b"001B,Beta LLC,Bob Stone,$300,$100,Customer,Retail\n"
    b"001C,Gamma Inc,Ann Lee,(500),$50,Customer,Retail\n"
    b"001D,Delta Co,,abc,$70,Prospect,Energy\n"
    b"001A,Acme Duplicate,Ann Lee,$10,$10,Customer,Manufacturing\n"
    b",No Id Ltd,Bob Stone,$20,$20,Customer,Retail\n"
    b'001E,Epsilon,Cara Diaz,"$4,000",$0,Customer,Finance\n'
    b"001F,Zeta,Cara Diaz,,$5,Prospect,Finance\n"
)
SF_ROWS = 8


# ---------------------------------------------------------------- helpers


def new_app() -> AppTest:
    """A fresh session of the app (its own session state), run once."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def accounts_metric(at: AppTest):
    found = [m for m in at.metric if m.label.startswith("Accounts")]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


def upload_accounts(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> None:
    uploader = at.file_uploader(key="upload_accounts")
    assert uploader.label == "Accounts file"
    uploader.set_value((name, data, mime)).run()
    assert not at.exception, [e.message for e in at.exception]


def mapping_box(at: AppTest, table: str, field: str):
    """The column-mapping selectbox of one canonical field (key map_<table>_<field>_<id>)."""
    prefix = f"map_{table}_{field}_"
    found = [s for s in at.selectbox if s.key and s.key.startswith(prefix)]
    assert len(found) == 1, [s.key for s in at.selectbox]
    return found[0]


def load_button(at: AppTest):
    found = [b for b in at.button if b.label == "Load this book"]
    assert len(found) == 1, [b.label for b in at.button]
    return found[0]


def press_load(at: AppTest) -> None:
    load_button(at).click().run()
    assert not at.exception, [e.message for e in at.exception]


def rejects_frame(at: AppTest) -> pd.DataFrame | None:
    """The rejected-rows dataframe the page shows, None when it shows none."""
    frames = [d.value for d in at.dataframe if list(d.value.columns) == REJECT_COLUMNS]
    assert len(frames) <= 1
    return frames[0] if frames else None


def page_text(at: AppTest) -> str:
    """Every text the page shows (markdown, captions, metrics, alerts, headings)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning"):
        parts.extend(str(e.value) for e in at.get(kind))
    parts.extend(f"{m.label} {m.value} {m.delta}" for m in at.metric)
    return "\n".join(parts)


def sidebar_captions(at: AppTest) -> list[str]:
    captions = [c.value for c in at.sidebar.caption]
    assert len(captions) >= 2, captions
    return captions


def assert_sample_in_use(at: AppTest) -> None:
    metric = accounts_metric(at)
    assert metric.label == "Accounts: accounts.csv"
    assert metric.value == "2,400 accepted"
    assert metric.delta == "none rejected"
    assert rejects_frame(at) is None
    ws = at.session_state[STATE_KEY]
    assert ws.is_sample
    assert ws.book.source == "sample book"
    assert ws.prepared.n_accounts == SAMPLE_ACCOUNTS
    assert any("In use: **sample book**, 2,400 accounts." in m.value for m in at.markdown)
    captions = sidebar_captions(at)
    assert captions[0] == "**Book:** sample book"
    assert captions[1].startswith("2,400 accounts, ")
    assert "rejected" not in captions[1]


# ---------------------------------------------------------------- tests


def test_sample_book_renders_with_2400_accepted() -> None:
    with (REPO / "sample_data" / "accounts.csv").open(newline="", encoding="utf-8") as handle:
        data_rows = sum(1 for _ in csv.reader(handle)) - 1  # minus the header
    assert data_rows == SAMPLE_ACCOUNTS

    at = new_app()
    assert_sample_in_use(at)
    assert [u.label for u in at.file_uploader][:3] == [
        "Accounts file",
        "Activities file",
        "Orders file",
    ]
    # Nothing uploaded yet: no mapping editor, no load button.
    assert not [s for s in at.selectbox if s.key and s.key.startswith("map_")]
    assert not [b for b in at.button if b.label == "Load this book"]


def test_salesforce_export_accepted_rejected_and_reasons() -> None:
    at = new_app()
    upload_accounts(at, SF_NAME, SF_EXPORT)

    # The proposed mapping reads the Salesforce headers.
    assert mapping_box(at, "accounts", "account_id").value == "Account ID"
    assert mapping_box(at, "accounts", "account_name").value == "Account Name"
    assert mapping_box(at, "accounts", "owner").value == "Account Owner"
    assert mapping_box(at, "accounts", "revenue").value == "Annual Revenue"
    assert mapping_box(at, "accounts", "prior_revenue").value == NONE
    assert not load_button(at).disabled

    press_load(at)

    metric = accounts_metric(at)
    assert metric.label == f"Accounts: {SF_NAME}"
    assert metric.value == "4 accepted"
    assert metric.delta == "4 rejected"
    accepted = int(metric.value.split()[0].replace(",", ""))
    rejected = int(metric.delta.split()[0].replace(",", ""))
    assert accepted + rejected == SF_ROWS

    frame = rejects_frame(at)
    assert frame is not None
    assert frame["file"].tolist() == [SF_NAME] * 4
    assert frame["row"].tolist() == [4, 5, 6, 7]
    assert frame["column"].tolist() == [
        "Annual Revenue",
        "Annual Revenue",
        "Account ID",
        "Account ID",
    ]
    assert frame["value"].tolist()[:3] == ["(500)", "abc", "001A"]
    reasons = frame["reason"].tolist()
    assert "negative revenue" in reasons[0]
    assert "not a number" in reasons[1] and "abc" in reasons[1]
    assert "duplicate account id" in reasons[2] and "row 2" in reasons[2]
    assert "missing account id" in reasons[3]
    assert [s.value for s in at.subheader] == ["Rejected rows (4)"]
    assert any(b.label == "Download the rejected rows (CSV)" for b in at.get("download_button"))

    ws = at.session_state[STATE_KEY]
    assert not ws.is_sample
    assert ws.book.source == SF_NAME
    assert ws.prepared.n_accounts == 4
    assert ws.prepared.n_customers == 3
    revenue = dict(zip(ws.prepared.frame["account_id"], ws.prepared.frame["revenue"], strict=True))
    assert revenue == {"001A": 1200.5, "001B": 300.0, "001E": 4000.0, "001F": 0.0}
    # Row 2 keeps the id; the later duplicate (row 6) is the one rejected.
    names = dict(
        zip(ws.prepared.frame["account_id"], ws.prepared.frame["account_name"], strict=True)
    )
    assert names["001A"] == "Acme Corp"
    # Exact money: 1,200.50 + 300 + 4,000 = 5,500.50 in 1/10,000 units.
    assert int(ws.prepared.cum[-1]) == 55_005_000
    assert any(f"In use: **{SF_NAME}**, 4 accounts." in m.value for m in at.markdown)
    assert sidebar_captions(at)[:2] == [
        f"**Book:** {SF_NAME}",
        "4 accounts, 3 customers, 4 rows rejected",
    ]
    assert any(b.label == "Back to the sample book" for b in at.button)


def test_changed_mapping_is_what_gets_loaded() -> None:
    at = new_app()
    upload_accounts(at, SF_NAME, SF_EXPORT)
    box = mapping_box(at, "accounts", "revenue")
    assert box.value == "Annual Revenue"
    assert "Revenue 2024" in box.options
    box.set_value("Revenue 2024").run()
    assert not at.exception
    assert mapping_box(at, "accounts", "revenue").value == "Revenue 2024"

    press_load(at)

    metric = accounts_metric(at)
    assert metric.value == "6 accepted"
    assert metric.delta == "2 rejected"
    frame = rejects_frame(at)
    assert frame is not None
    assert frame["row"].tolist() == [6, 7]
    assert "Annual Revenue" not in frame["column"].tolist()

    ws = at.session_state[STATE_KEY]
    assert ws.book.reports[Table.ACCOUNTS].mapping["revenue"] == "Revenue 2024"
    assert ws.prepared.n_accounts == 6
    assert ws.prepared.n_customers == 5
    revenue = dict(zip(ws.prepared.frame["account_id"], ws.prepared.frame["revenue"], strict=True))
    assert revenue == {
        "001A": 2000.0,
        "001B": 100.0,
        "001C": 50.0,
        "001D": 70.0,
        "001E": 0.0,
        "001F": 5.0,
    }
    # 2,000 + 100 + 50 + 70 + 5 = 2,225, exact in 1/10,000 units.
    assert int(ws.prepared.cum[-1]) == int(Decimal("2225") * 10_000)
    assert sidebar_captions(at)[1] == "6 accounts, 5 customers, 2 rows rejected"
    owners = dict(zip(ws.prepared.frame["account_id"], ws.prepared.frame["owner"], strict=True))
    assert owners["001D"] == "Unassigned"  # blank owner: a warning, not a reject
    assert any("no owner" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        # Starts like a zip (as every XLSX does) but is cut short.
        (
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16 + b"truncated",
            "not a valid workbook",
        ),
        # Not a zip at all, yet named .xlsx.
        (b"\x00\x01 this is no spreadsheet", "not a valid XLSX file"),
    ],
    ids=["truncated-zip", "not-a-zip"],
)
def test_unreadable_file_gives_one_clear_error_and_keeps_the_sample(data: bytes, says: str) -> None:
    at = new_app()
    upload_accounts(
        at,
        "accounts.xlsx",
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert errors[0].startswith("accounts.xlsx:")
    assert says in errors[0]
    assert "Traceback" not in errors[0]
    # Nothing to load from this file: the button is there but disabled.
    assert load_button(at).disabled
    assert not [s for s in at.selectbox if s.key and s.key.startswith("map_accounts_")]
    assert_sample_in_use(at)


def test_file_without_usable_columns_fails_the_load_cleanly() -> None:
    """A readable file with no id or name column: one error naming it; the sample stays."""
    at = new_app()
    upload_accounts(at, "notes.csv", b"Foo,Bar\nx,1\ny,2\n")
    assert mapping_box(at, "accounts", "account_id").value == NONE
    assert mapping_box(at, "accounts", "account_name").value == NONE
    press_load(at)

    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert errors[0].startswith("notes.csv:")
    assert "account id" in errors[0]
    assert [i.value for i in at.info] == ["The book in use is unchanged: sample book."]
    assert_sample_in_use(at)


def test_two_sessions_never_see_each_others_book() -> None:
    first = new_app()
    second = new_app()
    assert_sample_in_use(second)

    upload_accounts(first, SF_NAME, SF_EXPORT)
    press_load(first)
    assert accounts_metric(first).value == "4 accepted"
    assert rejects_frame(first) is not None

    second.run()
    assert not second.exception
    assert_sample_in_use(second)
    assert SF_NAME not in page_text(second)
    assert second.session_state[STATE_KEY].book.rejects().num_rows == 0

    # A session opened after the upload starts on the sample book too.
    third = new_app()
    assert_sample_in_use(third)
    assert SF_NAME not in page_text(third)

    # And the first session still has its own book after the others ran.
    first.run()
    assert not first.exception
    assert accounts_metric(first).value == "4 accepted"
    assert first.session_state[STATE_KEY].book.source == SF_NAME
    assert first.session_state[STATE_KEY] is not second.session_state[STATE_KEY]
    assert first.session_state[STATE_KEY].book.con is not second.session_state[STATE_KEY].book.con
