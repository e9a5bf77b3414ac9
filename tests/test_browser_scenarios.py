"""End to end in real Chromium: save a scenario, move the cut-off, save another, compare
them (key counts from the plain recount of the sample file), and download the HTML
report, which then opens offline with every chart drawn.

Skips only on a developer machine without /usr/bin/chromium; with CI set it must run.
"""

from __future__ import annotations

import pytest

from alms import story
from benchmarks.browser import first_slider, idle
from tests.browser_support import chromium, open_page, streamlit_server
from tests.test_app_pages import key_count, sample_accounts

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/alms-browser-scenarios.png"


def save(page, name: str) -> None:
    box = page.get_by_label("Name for the settings on screen")
    box.fill(name)
    page.get_by_role("button", name="Save as scenario").click()
    page.get_by_text(name, exact=True).first.wait_for()


def test_save_two_scenarios_compare_and_download_the_report(tmp_path) -> None:
    rows = sample_accounts()
    with chromium() as browser, streamlit_server() as url:
        page, errors = open_page(browser, url + "/pareto", 1600)
        idle(page)  # a key pressed while the first run still renders can be lost
        slider = first_slider(page)
        slider.focus()
        slider.press("ArrowRight")  # 80% -> 81%
        page.get_by_test_id("stMetric").filter(has_text="Key accounts").get_by_text(
            f"{key_count(rows, 81):,}", exact=True
        ).wait_for()
        page.get_by_role("link", name="Scenarios side by side").click()
        save(page, "eighty-one")
        # back to 80 on the Pareto page (same session: in-app links) and save it too
        page.get_by_role("link", name="Key accounts (Pareto)").click()
        page.get_by_test_id("stMetric").filter(has_text="Key accounts").get_by_text(
            f"{key_count(rows, 81):,}", exact=True
        ).wait_for()
        idle(page)
        slider = first_slider(page)
        slider.focus()
        slider.press("ArrowLeft")
        page.get_by_test_id("stMetric").filter(has_text="Key accounts").get_by_text(
            f"{key_count(rows, 80):,}", exact=True
        ).wait_for()
        page.get_by_role("link", name="Scenarios side by side").click()
        save(page, "eighty")
        page.get_by_test_id("stDataFrame").first.wait_for()
        page.locator(".js-plotly-plot").first.wait_for()
        page.wait_for_timeout(800)
        page.screenshot(path=SCREENSHOT, full_page=True)
        with page.expect_download() as info:
            page.get_by_role(
                "button", name="Download report: the settings on screen (HTML)"
            ).click()
        path = tmp_path / "report.html"
        info.value.save_as(path)
        assert not errors
    text = path.read_text(encoding="utf-8")
    assert "eighty" in text and f"{key_count(rows, 80):,} key accounts" in text
    with chromium() as browser:
        offline = browser.new_context(offline=True)
        report = offline.new_page()
        report.goto(path.as_uri())
        charts = len(story.STEPS)  # the sample has a scorecard: every step draws a chart
        report.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}"
        )
