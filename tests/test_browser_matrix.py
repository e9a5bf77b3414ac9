"""End to end in real Chromium: on the A-E matrix, move the revenue threshold with the
keyboard and see the cell counts follow (expected counts from the plain recount of the
sample files in test_app_matrix); then the what-if page shows its headline.

Skips only on a developer machine without /usr/bin/chromium; with CI set it must run.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from alms import matrix
from tests.browser_support import chromium, open_page, streamlit_server
from tests.test_app_matrix import recount_cells, recount_freed
from tests.test_app_pages import key_count, sample_accounts

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/alms-browser-matrix.png"


def test_the_revenue_threshold_moves_the_cell_counts() -> None:
    before = recount_cells()
    customers = [float(r["rev"]) for r in sample_accounts() if r["rev"] > 0]
    stops = matrix.threshold_choices(np.array(customers))
    with chromium() as browser, streamlit_server() as url:
        page, errors = open_page(browser, url + "/matrix", 1800)
        card = page.get_by_text(f"A · {before['A']:,}", exact=True)
        card.wait_for()
        slider = page.get_by_role("slider", name="Revenue threshold (high revenue: at or above it)")
        slider.focus()
        slider.press("ArrowRight")  # one stop above the default (the smallest key revenue)
        default = _key_min()
        above = next(v for v in stops if v > default)
        after = recount_cells(Decimal(str(above)))
        assert after != before
        page.get_by_text(f"A · {after['A']:,}", exact=True).wait_for()
        page.get_by_text(f"D · {after['D']:,}", exact=True).wait_for()
        page.screenshot(path=SCREENSHOT, full_page=True)
        page.goto(url + "/whatif")
        freed = page.get_by_test_id("stMetric").filter(has_text="Hours freed")
        freed.get_by_text(f"{recount_freed():,.0f}", exact=True).wait_for()
        page.get_by_text("Cutting every over-served account", exact=False).wait_for()
        page.screenshot(path="/tmp/alms-browser-whatif.png", full_page=True)
        assert not errors


def _key_min() -> float:
    rows = sample_accounts()
    customers = sorted((float(r["rev"]) for r in rows if r["rev"] > 0), reverse=True)
    return customers[key_count(rows, 80) - 1]
