"""Two browser sessions side by side on one server, each with its own upload: neither
ever shows the other's book or figures.

Skips only on a developer machine without /usr/bin/chromium; with CI set it must run.
"""

from __future__ import annotations

import pytest

from tests.browser_support import chromium, streamlit_server

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/alms-browser-two-sessions.png"


def book(prefix: str, n: int) -> bytes:
    """n accounts of equal revenue: at 80% the key count is ceil(0.8 n)."""
    rows = "".join(f"{prefix}{j},{prefix} seller,1000\n" for j in range(n))
    return f"Account ID,Account Owner,Revenue\n{rows}".encode()


def open_session(browser, url: str, name: str, data: bytes):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Accounts file")
    uploader.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Load this book").click()
    page.get_by_text("Loaded.", exact=False).wait_for()
    return page, errors


def key_count(page) -> str:
    page.get_by_test_id("stSidebarNav").get_by_text("Key accounts (Pareto)", exact=True).click()
    metric = page.get_by_test_id("stMetric").filter(has_text="Key accounts")
    metric.get_by_test_id("stMetricValue").wait_for()
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def test_two_sessions_side_by_side_keep_their_own_books() -> None:
    with chromium() as browser, streamlit_server() as url:
        left, left_errors = open_session(browser, url, "north.csv", book("N", 10))
        right, right_errors = open_session(browser, url, "south.csv", book("S", 5))
        # ceil(0.8 x 10) = 8 and ceil(0.8 x 5) = 4
        assert key_count(left) == "8"
        assert key_count(right) == "4"
        sidebar_left = left.get_by_test_id("stSidebar").inner_text()
        sidebar_right = right.get_by_test_id("stSidebar").inner_text()
        assert "north.csv" in sidebar_left and "south.csv" not in sidebar_left
        assert "south.csv" in sidebar_right and "north.csv" not in sidebar_right
        assert "10 accounts" in sidebar_left and "5 accounts" in sidebar_right
        # the left session again, after the right one worked: still its own
        assert key_count(left) == "8"
        left.screenshot(path=SCREENSHOT)
        assert not left_errors and not right_errors
