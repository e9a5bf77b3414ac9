"""In Chromium: connect to a real PostgreSQL server, load its tables, and see the file
path's figures on the Data and Key accounts pages.

Skips only on a developer machine without Chromium or PostgreSQL; with CI set it runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alms.analysis import assign
from alms.prepared import prepare
from alms.reading.book import Upload, load
from alms.settings import Settings
from tests.browser_support import chromium, streamlit_server
from tests.engines import postgres_server, publish_postgres, typed_tables
from tests.test_app_timeuse import recount

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
SCREENSHOT = "/tmp/alms-browser-connect.png"


def test_connect_load_and_read_the_figures(monkeypatch) -> None:
    file_book = load(
        Upload("accounts.csv", (SAMPLE / "accounts.csv").read_bytes()),
        Upload("activities.csv", (SAMPLE / "activities.csv").read_bytes()),
    )
    key = assign(prepare(file_book), Settings()).counts()["key"]
    hours = recount(days=90)  # the sample files counted by hand (test_app_timeuse)
    tables = typed_tables(accounts=SAMPLE / "accounts.csv", activities=SAMPLE / "activities.csv")
    with postgres_server() as pg:
        publish_postgres(pg, tables)
        monkeypatch.setenv("ALMS_CONNECT", pg)
        with chromium() as browser, streamlit_server() as url:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.set_default_timeout(60_000)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)
            page.get_by_text("Connect to a database").click()
            page.get_by_role("button", name="Connect to postgresql://127.0.0.1").click()
            page.get_by_role("button", name="Load from the database").click()
            page.get_by_text("Loaded.", exact=False).wait_for()
            body = page.get_by_test_id("stMain").inner_text()
            assert "not-a-secret" not in body and "not-a-secret" not in page.content()
            assert "2,400 accepted" in body
            page.screenshot(path=SCREENSHOT, full_page=True)
            nav = page.get_by_test_id("stSidebarNav")
            nav.get_by_text("Key accounts (Pareto)", exact=True).click()
            metric = page.get_by_test_id("stMetric").filter(has_text="Key accounts")
            metric.get_by_test_id("stMetricValue").wait_for()
            assert metric.get_by_test_id("stMetricValue").inner_text().strip() == f"{key:,}"
            # The first page that reads days brings the per-day sums from the database.
            nav.get_by_text("Where the hours go", exact=True).click()
            share = f"{hours['secondary_hours_share']:.0%} of hours go to secondary accounts"
            page.get_by_text(share, exact=False).wait_for()
            at_risk = page.get_by_test_id("stMetric").filter(has_text="Key accounts at risk")
            at_risk.get_by_text(f"{hours['at_risk']:,}", exact=True).wait_for()
            page.screenshot(path=SCREENSHOT.replace(".png", "-time.png"), full_page=True)
            assert not errors
