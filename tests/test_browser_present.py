"""End to end in real Chromium: presenter mode walks the story with the keyboard (Page
Down as a clicker sends it, the arrow keys), the address follows the step, a link opens
on its step, and the sidebar starts collapsed. Expected headlines from plain recounts of
the sample files.

Skips only on a developer machine without /usr/bin/chromium; with CI set it must run.
"""

from __future__ import annotations

import re

import pytest

from alms import story
from tests.browser_support import chromium, open_page, streamlit_server
from tests.test_app_pages import key_count, sample_accounts

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/alms-browser-present.png"


def test_presenter_mode_steps_with_the_keyboard() -> None:
    rows = sample_accounts()
    key_n = key_count(rows, 80)
    titles = [s.title for s in story.STEPS]
    with chromium() as browser, streamlit_server() as url:
        page, errors = open_page(browser, url + "/present", 900)
        page.get_by_text(f"Step 1 of {len(titles)} · {titles[0]}").wait_for()
        page.get_by_text(f"{key_n:,} key accounts", exact=False).first.wait_for()
        assert page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"
        page.locator(".js-plotly-plot").first.wait_for()
        page.screenshot(path=SCREENSHOT)
        page.keyboard.press("PageDown")
        page.get_by_text(f"Step 2 of {len(titles)} · {titles[1]}").wait_for()
        page.keyboard.press("ArrowRight")
        page.get_by_text(f"Step 3 of {len(titles)} · {titles[2]}").wait_for()
        page.keyboard.press("PageUp")
        page.get_by_text(f"Step 2 of {len(titles)} · {titles[1]}").wait_for()
        page.wait_for_url(re.compile(r"step=bands"))
        page.get_by_text("Required by the programme").first.wait_for()  # the bands chart
        page.wait_for_timeout(500)
        page.screenshot(path="/tmp/alms-browser-present-2.png")
        # a colleague's link opens on the same step
        other, more_errors = open_page(browser, url + "/present?step=what_if", 900)
        at = [s.key for s in story.STEPS].index("what_if")
        other.get_by_text(f"Step {at + 1} of {len(titles)} · {titles[at]}").wait_for()
        other.get_by_text("Cutting every over-served account", exact=False).wait_for()
        assert not errors and not more_errors
