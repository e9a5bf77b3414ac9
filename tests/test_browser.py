"""End to end in real Chromium: `streamlit run app.py`, upload an accounts export, load it.

Skips only on a developer machine without /usr/bin/chromium; with CI set it must run.
"""

from __future__ import annotations

import pytest

from tests.browser_support import chromium, open_page, streamlit_server

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/alms-browser-upload.png"
TIMEOUT_MS = 60_000

# A small Salesforce-style export, 8 data rows (spreadsheet rows 2-9):
#   row 2  B-001  "$12,500.00"            accepted
#   row 3  B-002  $800                    accepted
#   row 4  B-003  (250)                   rejected: negative revenue
#   row 5  B-004  "$3,000.75"             accepted
#   row 6  B-002  $5                      rejected: duplicate account id (first at row 3)
#   row 7  B-005  blank revenue, owner    accepted (revenue 0, owner "Unassigned")
#   row 8  B-006  twelve                  rejected: not a number
#   row 9  B-007  $99.99                  accepted
# => 5 accepted, 3 rejected; 3 distinct rejected rows.
EXPORT = (
    b"Account ID,Account Name,Account Owner,Annual Revenue,Type,Industry\n"
    b'B-001,Northwind,Ann Lee,"$12,500.00",Customer,Retail\n'
    b"B-002,Contoso,Bob Stone,$800,Customer,Energy\n"
    b"B-003,Fabrikam,Ann Lee,(250),Customer,Retail\n"
    b'B-004,Litware,Cara Diaz,"$3,000.75",Prospect,Finance\n'
    b"B-002,Contoso again,Bob Stone,$5,Customer,Energy\n"
    b"B-005,Adventure Works,,,Prospect,Retail\n"
    b"B-006,Tailspin,Cara Diaz,twelve,Customer,Retail\n"
    b"B-007,Wide World,Ann Lee,$99.99,Customer,Retail\n"
)
NAME = "crm-export.csv"


def test_upload_map_and_load_in_chromium() -> None:
    with chromium() as browser, streamlit_server() as url:
        page, errors = open_page(browser, url, 1100, TIMEOUT_MS)

        page.get_by_text("Load your own book").wait_for()
        # The sample book is in use before anything is uploaded.
        sample_metric = page.get_by_test_id("stMetric").filter(has_text="Accounts: accounts.csv")
        sample_metric.get_by_text("2,400 accepted").wait_for()

        uploader = page.get_by_test_id("stFileUploader").filter(has_text="Accounts file")
        uploader.locator("input[type=file]").set_input_files(
            {"name": NAME, "mimeType": "text/csv", "buffer": EXPORT}
        )

        # The mapping expander of the uploaded file, with its proposed revenue column.
        expander = page.get_by_test_id("stExpander").filter(has_text=f"Accounts: {NAME}")
        expander.wait_for()
        expander.get_by_text("Revenue (trailing 12 months)").wait_for()

        load = page.get_by_role("button", name="Load this book")
        load.wait_for()
        load.click()

        # Wait for the new book to be in use (its metric and the way back to the sample),
        # then compare exact texts, so that a wrong figure fails with a clear message.
        metric = page.get_by_test_id("stMetric").filter(has_text=f"Accounts: {NAME}")
        metric.get_by_test_id("stMetricValue").wait_for()
        page.get_by_role("button", name="Back to the sample book").wait_for()
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text(f"Book: {NAME}").wait_for()

        # The result sits at the top of the page, above the uploader the user scrolled to.
        metric.scroll_into_view_if_needed()
        heading = page.get_by_role("heading", name="Rejected rows")
        heading.wait_for()
        page.get_by_test_id("stDataFrame").first.wait_for()
        page.wait_for_timeout(500)  # let the rejects grid paint before the screenshot
        page.screenshot(path=SCREENSHOT)

        assert metric.get_by_test_id("stMetricValue").inner_text().strip() == "5 accepted"
        assert metric.get_by_test_id("stMetricDelta").inner_text().strip() == "3 rejected"
        column = page.get_by_test_id("stColumn").filter(has=metric)
        assert "8 rows read." in column.inner_text()
        assert heading.inner_text().strip() == "Rejected rows (3)"
        intro = page.get_by_test_id("stMarkdown").filter(has_text="In use:").first
        assert f"In use: {NAME}, 5 accounts." in intro.inner_text()
        # The sample's figure is gone from the page once the new book is in use.
        assert page.get_by_text("2,400 accepted").count() == 0
        # The sidebar: 4 customers (B-001, B-002, B-004, B-007 have revenue > 0; B-005
        # has none) and 3 rejected rows.
        assert sidebar.get_by_text("5 accounts, 4 customers, 3 rows rejected").count() == 1
        assert errors == [], errors
