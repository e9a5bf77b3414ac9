"""End to end in real Chromium: move a scorecard weight slider and see the strategic set
follow. Expected figures come from alms on the same sample book with the same weights
(the AppTest and unit tests pin alms itself against hand-worked books).

Skips only on a developer machine without /usr/bin/chromium; with CI set it must run.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from alms.analysis import assign
from alms.prepared import prepare
from alms.scorecard import default_for_sample
from alms.settings import Settings
from alms.workspace import load_sample
from tests.browser_support import chromium, open_page, streamlit_server

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/alms-browser-scorecard.png"


def strategic_and_key(weights: dict[str, float]) -> int:
    """Key and strategic accounts on the sample book with these weights."""
    card = default_for_sample()
    attrs = tuple(replace(a, weight=weights.get(a.column, a.weight)) for a in card.attributes)
    r = assign(prepare(load_sample()), Settings(scorecard=replace(card, attributes=attrs)))
    return r.scores.quadrants()["key_and_strategic"]


def test_a_weight_slider_moves_the_strategic_set() -> None:
    before = strategic_and_key({})
    after = strategic_and_key({"Revenue (TTM)": 25.0})  # 15 -> 25: ten presses
    assert before != after  # the move must change what the page shows
    with chromium() as browser, streamlit_server() as url:
        page, errors = open_page(browser, url + "/scorecard", 1500)
        both = page.get_by_test_id("stMetric").filter(has_text="Key and strategic")
        both.get_by_text(f"{before:,}", exact=True).wait_for()
        slider = page.get_by_role("slider", name="Revenue (TTM)")
        slider.focus()
        for _ in range(10):
            slider.press("ArrowRight")
        both.get_by_text(f"{after:,}", exact=True).wait_for()
        page.get_by_text("Largest vs strategic", exact=True).click()
        page.locator(".js-plotly-plot").first.wait_for()
        page.screenshot(path=SCREENSHOT, full_page=True)
        assert not errors
