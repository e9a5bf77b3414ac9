"""End to end in real Chromium: edit a band edge in the grid and see the bands follow;
open the lazy tabs (AppTest cannot click a tab).

Skips only on a developer machine without /usr/bin/chromium; with CI set it must run.
"""

from __future__ import annotations

import pytest

from tests.browser_support import chromium, open_page, streamlit_server

pytestmark = pytest.mark.browser


def test_editing_a_band_edge_relabels_the_bands() -> None:
    with chromium() as browser, streamlit_server() as url:
        page, errors = open_page(browser, url + "/bands")
        page.get_by_text("Band edges").wait_for()
        edges = page.get_by_test_id("stDataFrame").first
        edges.get_by_test_id("glide-cell-1-0").wait_for(state="attached")
        assert "up to 10K" in page.content()
        canvas = edges.locator("canvas").first
        canvas.wait_for()
        page.wait_for_timeout(1_500)  # the grid lays out after it appears
        box = canvas.bounding_box()
        assert box is not None
        # select a cell, walk up to the first row with the keyboard (no pixel guessing),
        # Enter opens the editor, Enter commits
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 35 + 17)
        page.wait_for_timeout(500)
        for _ in range(6):
            page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")  # open the cell editor
        page.wait_for_timeout(400)
        page.keyboard.press("Control+A")
        page.keyboard.type("20000", delay=60)
        page.keyboard.press("Enter")
        # the grids draw on a canvas; their text lives in an accessible table
        page.wait_for_function("document.body.innerHTML.includes('20K-100K')")
        for _ in range(20):  # the first band's new label follows in the same rerun
            if "up to 20K" in page.content():
                break
            page.wait_for_timeout(500)
        assert "up to 20K" in page.content()
        page.screenshot(path="/tmp/alms-browser-bands.png", full_page=True)

        # The other tabs run only when opened, and answer when they are.
        assert "Sellers over capacity" not in page.content()
        page.get_by_role("tab", name="Per seller").click()
        page.get_by_text("Sellers over capacity").wait_for()
        page.get_by_role("tab", name="Over- and under-served accounts").click()
        page.get_by_text("Tolerance around the programme").wait_for()
        page.get_by_text("Over-served (").first.wait_for()
        page.get_by_role("tab", name="By band").click()
        page.get_by_text("up to 20K").first.wait_for()  # the edited edge is kept
        assert not errors
