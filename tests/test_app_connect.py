"""The Data page's "Connect to a database", through AppTest, on a DuckDB file.

Expected figures come from the file path (the same export uploaded as CSV) or by hand.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from alms.summary import summarise
from tests.engines import publish_duckdb, typed_tables
from tests.test_app_data_page import SF_EXPORT, SF_ROWS, STATE_KEY

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"


def _salesforce_table(tmp_path: Path) -> pa.Table:
    """The Salesforce-style export of the Data page's tests, as an all-text table."""
    path = tmp_path / "sf.csv"
    path.write_bytes(SF_EXPORT)
    con = duckdb.connect()
    try:
        return con.sql(f"SELECT * FROM read_csv('{path}', all_varchar = true)").to_arrow_table()
    finally:
        con.close()


def _app(url: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.secrets["connections"] = {"alms": {"url": url}}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _click(at: AppTest, label: str) -> None:
    found = [b for b in at.button if b.label.startswith(label)]
    assert len(found) == 1, [b.label for b in at.button]
    found[0].click().run()
    assert not at.exception, [e.message for e in at.exception]


def _loaded_sample(tmp_path: Path) -> AppTest:
    """The app with the sample book loaded from a DuckDB file through the Data page."""
    url = publish_duckdb(tmp_path / "crm.duckdb", typed_tables(
        accounts=SAMPLE / "accounts.csv", activities=SAMPLE / "activities.csv"
    ))  # fmt: skip
    at = _app(url)
    _click(at, "Connect to duckdb:")
    _click(at, "Load from the database")
    return at


def test_connect_pick_tables_and_load_gives_the_file_figures(tmp_path: Path) -> None:
    url = publish_duckdb(tmp_path / "crm.duckdb", typed_tables(
        accounts=SAMPLE / "accounts.csv", activities=SAMPLE / "activities.csv"
    ))  # fmt: skip
    at = _app(url)
    # The URL is never shown; the label names the file.
    _click(at, "Connect to duckdb:")
    boxes = {s.key: s for s in at.selectbox if s.key and s.key.startswith("connect.table.")}
    assert boxes["connect.table.accounts"].value == "accounts"
    assert boxes["connect.table.activities"].value == "activities"
    assert boxes["connect.table.orders"].value == "(none)"
    _click(at, "Load from the database")
    ws = at.session_state[STATE_KEY]
    assert ws.book.aggregated and ws.book.source.endswith("accounts, activities")
    from alms.reading.book import Upload, load

    expected = summarise(
        load(
            Upload("accounts.csv", (SAMPLE / "accounts.csv").read_bytes()),
            Upload("activities.csv", (SAMPLE / "activities.csv").read_bytes()),
        )
    )
    got = summarise(ws.book)
    assert {k: v for k, v in got.items() if k != "warnings"} == {
        k: v for k, v in expected.items() if k != "warnings"
    }
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Accounts: accounts"] == "2,400 accepted"
    # The session file cannot hold it: the Scenarios page says so instead of a button.
    at.switch_page("views/scenarios.py").run()
    assert not at.exception
    assert any("read from a database" in i.value for i in at.info)
    assert not [b for b in at.get("download_button") if b.label == "Download session file"]


def test_a_real_export_rejects_the_same_rows_as_the_file(tmp_path: Path) -> None:
    """The Salesforce-style export as a text table: 4 accepted, 4 rejected, for the same
    reasons as its CSV (tests/test_app_data_page.py works them out by hand)."""
    url = publish_duckdb(tmp_path / "sf.duckdb", {"accounts": _salesforce_table(tmp_path)})
    at = _app(url)
    _click(at, "Connect to duckdb:")
    _click(at, "Load from the database")
    ws = at.session_state[STATE_KEY]
    report = ws.book.reports[next(iter(ws.book.reports))]
    assert (report.rows, report.accepted, report.rejected) == (SF_ROWS, 4, 4)
    reasons = sorted(
        r["reason"].split(":")[0].split(" (")[0] for r in ws.book.rejects().to_pylist()
    )
    assert reasons == [
        "duplicate account id",
        "missing account id",
        "negative revenue",
        "not a number",
    ]
    assert int(ws.prepared.cum[-1]) == 55_005_000  # 1,200.50 + 300 + 4,000, exact


def test_a_failed_connection_is_one_sentence_and_keeps_the_sample(tmp_path: Path) -> None:
    at = _app(f"duckdb://{tmp_path}/missing/nowhere.duckdb")
    _click(at, "Connect to duckdb:")
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("could not connect to duckdb:")
    assert at.session_state[STATE_KEY].is_sample


def test_no_connection_configured_shows_no_section(monkeypatch) -> None:
    monkeypatch.delenv("ALMS_CONNECT", raising=False)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not [e for e in at.expander if e.label == "Connect to a database"]


def test_every_page_renders_a_book_from_a_database(tmp_path: Path) -> None:
    """Each page shows a book read from an engine without an exception; a window the
    engine did not sum is refused with an offer to sum it, which then shows it."""
    from dataclasses import replace
    from datetime import timedelta

    from alms import windows
    from alms.settings import TimeWindow
    from app import PAGES

    at = _loaded_sample(tmp_path)
    for path, title, _ in [p for pages in PAGES.values() for p in pages]:
        at.switch_page(path).run()
        assert not at.exception, (title, [e.message for e in at.exception])
        assert not [w for w in at.warning if "not one the engine summed" in w.value], title
    ws = at.session_state[STATE_KEY]
    as_of = ws.prepared.activity_as_of
    odd = TimeWindow(None, as_of - timedelta(days=16), as_of)  # 17 days: no bucket ends there
    ws.settings = replace(ws.settings, window=odd)
    at.switch_page("views/timeuse.py").run()
    assert [w.value for w in at.warning if "not one the engine summed" in w.value]
    _click(at, "Sum this window in the database")
    assert not [w for w in at.warning if "not one the engine summed" in w.value]
    ws = at.session_state[STATE_KEY]
    window = windows.of(ws.settings.window, as_of)
    assert window.days == 17
    file_book = prepare_file_sample()
    got = windows.hours(ws.prepared, window, ws.settings).total
    expected = windows.hours(file_book, window, ws.settings).total
    assert got == expected and got > 0


def test_a_book_from_a_database_brings_its_days_when_a_page_reads_them(tmp_path: Path) -> None:
    """The per-day sums stay in the database while the pages of per-account figures are
    open; the time page brings them (once), and when the database no longer answers it
    says so in one sentence and the book stays loaded."""
    at = _loaded_sample(tmp_path)
    for path in ("views/pareto.py", "views/bands.py", "views/scorecard.py"):
        at.switch_page(path).run()
        assert not at.exception
    ws = at.session_state[STATE_KEY]
    assert ws.prepared.daily_loaded is None
    ws.engine.close()  # the database goes away after the load
    at.switch_page("views/timeuse.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error if "activities per day could not be read" in e.value]
    assert [i.value for i in at.info if "The book stays loaded" in i.value]
    at.switch_page("views/pareto.py").run()  # per-account pages still show
    assert not at.exception and not at.error
    assert at.session_state[STATE_KEY].prepared.daily_loaded is None


def prepare_file_sample():
    from alms.prepared import prepare
    from alms.reading.book import Upload, load

    return prepare(
        load(
            Upload("accounts.csv", (SAMPLE / "accounts.csv").read_bytes()),
            Upload("activities.csv", (SAMPLE / "activities.csv").read_bytes()),
        )
    )


def test_a_sessions_connection_closes_with_the_session(tmp_path: Path) -> None:
    """ARCHITECTURE rule 2: one connection per session, closed when the session ends
    (views/housekeeping.py calls Workspace.release) or when another replaces it."""
    from alms.engine import connect
    from alms.workspace import Workspace, load_sample

    url = publish_duckdb(tmp_path / "one.duckdb", {"t": pa.table({"a": [1]})})
    ws = Workspace.open(load_sample())
    first, second = connect(url), connect(url)
    ws.set_engine(first)
    ws.set_engine(second)  # the first is closed when replaced
    with pytest.raises(duckdb.ConnectionException):
        first.duck.execute("SELECT 1")
    ws.release()
    with pytest.raises(duckdb.ConnectionException):
        second.duck.execute("SELECT 1")
