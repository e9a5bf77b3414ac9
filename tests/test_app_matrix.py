"""AppTest of the A-E matrix and what-if pages on the sample book, against plain-Python
recounts of the sample files (DOMAIN.md sections 4 and 6)."""

import re
import statistics
from collections import defaultdict
from datetime import date
from decimal import Decimal

import numpy as np

from alms import matrix
from tests.test_app_pages import key_count, metric, open_page, programme_hours, sample_accounts
from tests.test_app_timeuse import DEFAULT_MINUTES, activities


def hours_12m() -> dict[str, float]:
    """Minutes per account in the 12 months up to the latest activity, / 60."""
    acts = activities()
    as_of = max(date.fromisoformat(a["Activity Date"]) for a in acts)
    start = as_of.replace(year=as_of.year - 1)
    minutes: dict[str, float] = defaultdict(float)
    for a in acts:
        if start < date.fromisoformat(a["Activity Date"]) <= as_of:
            d = a["Duration (min)"]
            minutes[a["Account ID"]] += float(d) if d else DEFAULT_MINUTES.get(a["Type"], 30)
    return {k: v / 60 for k, v in minutes.items()}


def recount_cells(revenue_threshold: Decimal | None = None) -> dict[str, int]:
    rows = sample_accounts()
    hours = hours_12m()
    customers = sorted(
        (r for r in rows if r["rev"] > 0), key=lambda r: (-r["rev"], r["Account ID"])
    )
    k = key_count(rows, 80)
    key = {r["Account ID"] for r in customers[:k]}
    key_min = customers[k - 1]["rev"]
    threshold = key_min if revenue_threshold is None else revenue_threshold
    median = statistics.median(hours.get(r["Account ID"], 0.0) for r in customers)
    counts = dict.fromkeys("ABCDE", 0)
    for r in customers:
        h = hours.get(r["Account ID"], 0.0)
        potential = r["Wallet Potential"]
        growth = r["Account ID"] not in key and bool(potential) and Decimal(potential) >= key_min
        if r["rev"] >= threshold:
            cell = "D" if h > median else "A"
        else:
            cell = "E" if h > median else ("B" if growth else "C")
        counts[cell] += 1
    return counts


def cell_counts(at) -> dict[str, int]:
    """Each card's heading ("E · 501"): the five cards are one HTML element."""
    found = {}
    for element in at.html:
        for cell, count in re.findall(r"<h3>([A-E]) · ([\d,]+)</h3>", element.proto.body):
            found[cell] = int(count.replace(",", ""))
    return found


def test_matrix_cells_follow_the_revenue_threshold() -> None:
    at = open_page("views/matrix.py")
    assert cell_counts(at) == recount_cells()
    # the slider's stops are quantiles rounded to two digits; take the one nearest 500K
    rev = np.array([float(r["rev"]) for r in sample_accounts() if r["rev"] > 0])
    value = min(matrix.threshold_choices(rev), key=lambda v: abs(v - 500_000))
    at.select_slider(key="set.matrix.revenue").set_value(value).run()
    assert not at.exception
    assert cell_counts(at) == recount_cells(Decimal(str(value)))
    assert at.session_state["set.matrix.revenue"] == value
    for tab in ("Accounts of a cell", "ROTI by segment", "ROTI by seller"):
        at.session_state["view.matrix_tab"] = tab
        at.run()
        assert not at.exception, tab


def recount_freed(tolerance: float = 0.25) -> float:
    hours = hours_12m()
    freed = 0.0
    for r in sample_accounts():
        need = programme_hours(r)
        if r["rev"] <= 0 and r["Prospect List"] in ("Extra", "Lead"):
            need = 0.0
        h = hours.get(r["Account ID"], 0.0)
        if (h > need * (1 + tolerance)) if need > 0 else h > 0:
            freed += h - need
    return freed


def test_what_if_frees_the_over_served_hours() -> None:
    at = open_page("views/whatif.py")
    assert metric(at, "Hours freed") == f"{recount_freed():,.0f}"
    at.slider(key="set.tolerance").set_value(50.0).run()
    assert not at.exception
    assert metric(at, "Hours freed") == f"{recount_freed(0.5):,.0f}"
    at.radio(key="set.whatif.cut").set_value("cells").run()
    assert not at.exception
    cut = float(metric(at, "Hours freed").replace(",", ""))
    assert 0 < cut < recount_freed(0.5)
    for tab in ("Per seller", "Assumptions", "Moves"):
        at.session_state["view.whatif_tab"] = tab
        at.run()
        assert not at.exception, tab
    moves = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert (moves["change"] != 0).all()
    assert {"Download CSV", "Download Excel"} <= {b.label for b in at.get("download_button")}


def test_one_tolerance_knob_for_bands_and_what_if() -> None:
    """views/controls.py's tolerance slider is one knob: moved on the Bands page's over-
    and under-served tab, the What-if page frees the hours of that tolerance."""
    at = open_page("views/bands.py")
    at.session_state["view.bands_tab"] = "Over- and under-served accounts"
    at.run()
    at.slider(key="set.tolerance").set_value(50.0).run()
    assert not at.exception
    at.switch_page("views/whatif.py").run()
    assert not at.exception
    assert metric(at, "Hours freed") == f"{recount_freed(0.5):,.0f}"
