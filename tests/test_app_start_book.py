"""The facilitator's book: every new session opens on it (loaded once per process,
shared read-only); sessions on it cannot change each other's figures, neither by moving
a slider nor by loading a book of their own; its scenarios come with it."""

import csv
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alms.workspace import Shared, load_folder
from tests.test_app_pages import APP, ROOT, key_count, metric

PAGES = [
    "views/data.py", "views/pareto.py", "views/bands.py", "views/prospects.py",
    "views/scorecard.py", "views/timeuse.py", "views/matrix.py", "views/whatif.py",
    "views/assignments.py", "views/scenarios.py", "views/present.py",
]  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    """The first 900 sample accounts and all activities, with two scenarios."""
    src = ROOT / "sample_data"
    lines = (src / "accounts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    book = tmp_path / "acme"
    book.mkdir()
    (book / "accounts.csv").write_text("".join(lines[:901]), encoding="utf-8")
    shutil.copy(src / "activities.csv", book / "activities.csv")
    (book / "scenarios.json").write_text(
        json.dumps(
            {
                "format": "alms-scenarios",
                "version": 2,
                "current": "seventy",
                "scenarios": [
                    {"name": "eighty", "settings": {}},
                    {"name": "seventy", "settings": {"key": {"cumulative_pct": 70}}},
                ],
            }
        )
    )
    monkeypatch.setenv("ALMS_BOOK", str(book))
    return book


def rows_of(folder: Path) -> list[dict]:
    with open(folder / "accounts.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    from decimal import Decimal

    for r in rows:
        r["rev"] = Decimal(r["Revenue (TTM)"] or 0)
    return rows


def session(page: str = "views/pareto.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_sessions_open_on_the_book_and_cannot_change_each_other(folder: Path) -> None:
    rows = rows_of(folder)
    one = session()
    assert "acme (the facilitator's book)" in " ".join(c.value for c in one.sidebar.caption)
    # the folder's current scenario applies: 70%
    assert metric(one, "Key accounts") == f"{key_count(rows, 70):,}"
    two = session()
    one.slider(key="set.key.cum").set_value(90.0).run()
    assert metric(one, "Key accounts") == f"{key_count(rows, 90):,}"
    two.run()
    assert metric(two, "Key accounts") == f"{key_count(rows, 70):,}"
    # one loads a book of its own: two keeps the facilitator's
    one.switch_page("views/data.py").run()
    small = b"Account ID,Account Name,Revenue (TTM)\nX1,Only Co,100\nX2,Other Co,50\n"
    one.file_uploader(key="upload_accounts").set_value(("mine.csv", small, "text/csv")).run()
    next(b for b in one.button if b.label == "Load this book").click().run()
    assert not one.exception
    one.switch_page("views/pareto.py").run()
    assert metric(one, "Customers in scope").startswith("2")
    two.run()
    assert metric(two, "Key accounts") == f"{key_count(rows, 70):,}"
    assert metric(two, "Customers in scope").startswith(f"{sum(r['rev'] > 0 for r in rows):,}")
    # and back
    one.switch_page("views/data.py").run()
    next(b for b in one.button if "Back to acme" in b.label).click().run()
    one.switch_page("views/pareto.py").run()
    assert metric(one, "Customers in scope") == metric(two, "Customers in scope")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_shared_book(folder: Path, page: str) -> None:
    """The shared arrays are read-only: a page that wrote into them would fail here."""
    at = session(page)
    assert not at.exception


def test_the_shared_arrays_refuse_writes(folder: Path) -> None:
    book, reading = load_folder(folder)
    shared = Shared.of(book, reading)
    with pytest.raises(ValueError, match="read-only"):
        shared.prepared.rev[0] = 0
    a, b = shared.session(), shared.session()
    assert a.prepared.rev is b.prepared.rev  # shared, not copied
    assert a.prepared.derived is not b.prepared.derived  # each session's own memo
    assert a.book.con is not b.book.con  # each its own cursor
    assert [s.name for s in a.named()] == ["eighty", "seventy"] and a.scenario == "seventy"


def test_a_folder_without_a_book_falls_back_to_the_sample(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ALMS_BOOK", str(tmp_path / "nothing-here"))
    at = session()
    errors = " ".join(e.value for e in at.sidebar.error)
    assert "could not be opened" in errors and "sample book is open instead" in errors
    assert "sample book" in " ".join(c.value for c in at.sidebar.caption)


def test_the_book_can_be_named_in_the_apps_secrets(folder: Path, monkeypatch) -> None:
    """Community Cloud: `book = "..."` in the Secrets box (no environment variable)."""
    monkeypatch.delenv("ALMS_BOOK")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["book"] = str(folder)
    at.run()
    assert not at.exception
    assert "acme (the facilitator's book)" in " ".join(c.value for c in at.sidebar.caption)
