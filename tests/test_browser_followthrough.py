"""End to end in real Chromium: on the Follow-through page, set the programme's start day
with the date picker and see the before / after figures follow (expected figures from the
plain recount of the sample files in test_app_followthrough), then add the sample's
baseline with one click and see the movement.

Skips only on a developer machine without /usr/bin/chromium; with CI set it must run.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser_support import chromium, open_page, streamlit_server
from tests.test_app_followthrough import before_after, movement

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/alms-browser-followthrough.png"
SCREENSHOT_BEFORE_AFTER = "/tmp/alms-browser-followthrough-before-after.png"


def _set_date(page, label: str, when: date) -> None:
    """Type the date into the picker's year, month and day fields (each field moves on
    to the next when full), then close its calendar: the date is committed."""
    page.get_by_role("spinbutton", name=f"year, {label}").click()
    page.keyboard.type(when.strftime("%Y%m%d"))
    page.keyboard.press("Escape")


def test_the_date_picker_moves_the_before_after_figures() -> None:
    first, second = date(2026, 5, 1), date(2026, 8, 1)
    one, two = before_after(first), before_after(second)
    with chromium() as browser, streamlit_server() as url:
        page, errors = open_page(browser, url + "/followthrough", 1400)
        page.get_by_role("radio", name="Month by month").wait_for()
        page.get_by_text("secondary accounts took", exact=False).first.wait_for()
        page.get_by_role("radio", name="Before and after").click()
        page.get_by_text("Set the day the programme started", exact=False).wait_for()
        _set_date(page, "The programme started on", first)
        page.get_by_text(
            f"After 1 May 2026, secondary accounts took {one['after']:.0%} of hours", exact=False
        ).wait_for()
        page.get_by_text(f"({one['days']} days each)", exact=False).wait_for()
        _set_date(page, "The programme started on", second)
        page.get_by_text(
            f"After 1 Aug 2026, secondary accounts took {two['after']:.0%} of hours", exact=False
        ).wait_for()
        page.get_by_text(f"({two['days']} days each)", exact=False).wait_for()
        assert "s=" in page.url  # the link carries the start day

        page.locator(".js-plotly-plot").nth(1).wait_for()  # the shares, the movers
        page.screenshot(path=SCREENSHOT_BEFORE_AFTER, full_page=True)

        page.get_by_role("radio", name="Against a baseline").click()
        page.get_by_role("button", name="Use the sample book as exported a year earlier").click()
        m = movement()
        metric = page.get_by_test_id("stMetric").filter(has_text="Accounts gone")
        metric.get_by_text(f"{m['gone']:,}", exact=True).wait_for()
        page.locator(".js-plotly-plot").first.wait_for()  # the Sankey
        page.screenshot(path=SCREENSHOT, full_page=True)
        assert not errors
