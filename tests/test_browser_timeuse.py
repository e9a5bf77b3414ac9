"""End to end in real Chromium: on "Where the hours go", move the at-risk days slider
with the keyboard and see the count of key accounts at risk follow (expected figures from
the plain recount of the sample files in test_app_timeuse).

Skips only on a developer machine without /usr/bin/chromium; with CI set it must run.
"""

from __future__ import annotations

import pytest

from tests.browser_support import chromium, open_page, streamlit_server
from tests.test_app_timeuse import recount

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/alms-browser-timeuse.png"


def test_the_at_risk_days_slider_moves_the_count() -> None:
    figures = recount(days=90)
    before, after = figures["at_risk"], recount(days=80)["at_risk"]
    assert before != after
    with chromium() as browser, streamlit_server() as url:
        page, errors = open_page(browser, url + "/timeuse", 1600)
        count = page.get_by_test_id("stMetric").filter(has_text="Key accounts at risk")
        count.get_by_text(f"{before:,}", exact=True).wait_for()
        share = f"{figures['secondary_hours_share']:.0%} of hours go to secondary accounts"
        page.get_by_text(share, exact=False).wait_for()
        page.get_by_role("tab", name="Key accounts at risk").click()
        slider = page.get_by_role("slider", name="No contact: no activity in the last (days)")
        slider.focus()
        for _ in range(10):  # 90 -> 80 days, one step per press
            slider.press("ArrowLeft")
        count.get_by_text(f"{after:,}", exact=True).wait_for()
        page.get_by_text("no contact in 80 days", exact=False).wait_for()
        page.screenshot(path=SCREENSHOT, full_page=True)
        assert not errors
