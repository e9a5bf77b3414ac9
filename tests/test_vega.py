"""Vega-Lite specs of the charts a slider redraws (alms.vega): the spec stays the same
as the slider moves (so Streamlit updates the chart in place), and the data it draws is
the book's, worked out by hand on a seven-account book."""

from __future__ import annotations

import json

import numpy as np
import pytest

from alms import pareto, vega
from alms.analysis import assign
from alms.prepared import prepare
from alms.settings import Settings
from tests.helpers import book_of

# Revenue 600, 200, 100, 50, 50 (total 1,000) and two accounts with none.
BOOK = "id,owner,revenue\nA,Ann,600\nB,Ann,200\nC,Bob,100\nD,Bob,50\nE,Bob,50\nF,Cy,0\nG,Cy,0\n"


def _curve(count_zero: bool = False) -> pareto.Curve:
    r = assign(prepare(book_of(BOOK)), Settings(count_zero_revenue=count_zero))
    return pareto.curve(r, pareto.Scope())


def _data(spec: dict, name: str):
    return spec["datasets"][name].to_pandas()


def _without_data(spec: dict) -> str:
    return json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)


def test_the_spec_stays_as_the_cut_off_moves() -> None:
    c = _curve()
    specs = [vega.pareto(c, k, f"cut-off: {k}") for k in (1, 2, 4)]
    assert len({_without_data(s) for s in specs}) == 1
    assert [float(_data(s, "cut")["x"].iloc[0]) for s in specs] == [0.2, 0.4, 0.8]
    assert specs[0]["usermeta"]["embedOptions"]["renderer"] == "canvas"


@pytest.mark.parametrize(("key_count", "share"), [(1, 0.6), (2, 0.8), (3, 0.9), (5, 1.0)])
def test_the_cut_off_sits_on_the_curve(key_count: int, share: float) -> None:
    """Five customers: the top k hold 600, 800, 900, ..., 1,000 of 1,000."""
    cut = _data(vega.pareto(_curve(), key_count, "cut"), "cut")
    assert cut["x"].iloc[0] == pytest.approx(key_count / 5)
    assert cut["y"].iloc[0] == pytest.approx(share)
    assert cut["label"].iloc[0] == f"{key_count / 5:.0%} hold {share:.0%}"


def test_bars_split_each_bins_revenue_into_key_and_secondary() -> None:
    c = _curve()
    bars = _data(vega.pareto(c, 2, "cut"), "bars")
    key = bars[bars["part"] == vega.KEY]
    secondary = bars[bars["part"] == vega.SECONDARY]
    assert key["revenue"].sum() == pytest.approx(800)  # A and B
    assert secondary["revenue"].sum() == pytest.approx(200)  # C, D, E
    assert list(secondary["y"]) == list(key["y2"])  # stacked: secondary on key
    assert bars["x"].min() == pytest.approx(0) and bars["x2"].max() == pytest.approx(1)


def test_the_zero_revenue_tail_only_when_counted() -> None:
    assert _data(vega.pareto(_curve(False), 2, "cut"), "tail").empty
    tail = _data(vega.pareto(_curve(True), 2, "cut"), "tail")
    assert tail["x"].iloc[0] == pytest.approx(5 / 7) and tail["x2"].iloc[0] == 1.0
    assert "2 accounts" in tail["label"].iloc[0]


def test_no_customers_says_so() -> None:
    r = assign(prepare(book_of("id,revenue\nX,0\n")), Settings())
    spec = vega.pareto(pareto.curve(r, pareto.Scope()), 0, "none")
    assert "No customers" in _data(spec, "note")["text"].iloc[0]


PLAYS = {c: f"play {c}" for c in "ABCDE"}
# Five customers, worked by hand: hours 0 (no time), 1, 10, 100, 100; revenue 10 ... 100,000.
HOURS = np.array([0.0, 1.0, 10.0, 100.0, 100.0])
REVENUE = np.array([10.0, 100.0, 1_000.0, 10_000.0, 100_000.0])


def test_the_matrix_spec_stays_as_the_thresholds_move_and_draws_every_account() -> None:
    cells_a = np.array([2, 1, 4, 4, 3])  # C, B, E, E, D
    cells_b = np.array([2, 2, 4, 3, 3])  # a different cut: C, C, E, D, D
    names = np.array(list("PQRST"), dtype=object)
    a = vega.matrix(HOURS, REVENUE, cells_a, names, 5_000.0, 5.0, PLAYS)
    b = vega.matrix(HOURS, REVENUE, cells_b, names, 500.0, 50.0, PLAYS)
    assert _without_data(a) == _without_data(b)
    points = _data(a, "points").sort_values("y")
    # every account once, its cell's letter; no hours sits on the floor, a third of 1 h
    assert points["cell"].tolist() == ["C", "B", "E", "E", "D"]
    assert points["name"].tolist() == list("PQRST")
    assert points["x"].tolist() == pytest.approx([1 / 3, 1, 10, 100, 100])
    assert points["maintenance"].tolist() == [0, 1, 10, 100, 100]
    assert _data(a, "m_rule")["x"].tolist() == [5.0]
    assert _data(b, "r_rule")["y"].tolist() == [500.0]
    # the letters sit halfway (in log) between the rules and the axes' ends
    regions = _data(a, "regions").set_index("label")
    frame = _data(a, "frame")
    top = 10 ** ((np.log10(5_000) + np.log10(frame["y"].max())) / 2)
    assert regions.loc["A", "y"] == pytest.approx(top)
    # axes: log10 of the extremes (floor 1/3 h .. 100 h; 10 .. 100,000) widened 0.15
    assert np.log10(frame["x"]).tolist() == pytest.approx([np.log10(1 / 3) - 0.15, 2.15])
    assert np.log10(frame["y"]).tolist() == pytest.approx([-0.15, 5.15])
    assert len(_data(a, "note")) == 1  # "no time spent": one account has no hours
    # one canvas for every point: as SVG, each point was a DOM element to redraw a move
    assert a["usermeta"]["embedOptions"]["renderer"] == "canvas"


def test_the_matrix_spec_without_a_single_revenue_line_has_no_rule_and_no_letters() -> None:
    spec = vega.matrix(HOURS[1:], REVENUE[1:], np.array([1, 4, 4, 3]), None, None, 5.0, PLAYS)
    assert len(_data(spec, "r_rule")) == 0 and len(_data(spec, "regions")) == 0
    assert len(_data(spec, "note")) == 0  # every account has hours
    with_line = vega.matrix(HOURS[1:], REVENUE[1:], np.array([1, 4, 4, 3]), None, 1e3, 5.0, PLAYS)
    assert _without_data(spec) == _without_data(with_line)


def test_the_before_after_spec_stays_and_labels_the_change() -> None:
    a = vega.before_after(["key", "secondary"], np.array([10.0, 30.0]), np.array([14.0, 20.0]), 6.0)
    b = vega.before_after(["key", "secondary"], np.array([1.0, 2.0]), np.array([1.0, 2.0]), 0.0)
    assert _without_data(a) == _without_data(b)
    bars = _data(a, "bars")
    after = bars[bars["when"] == "After"].set_index("group")
    assert after["hours"].tolist() == [14.0, 20.0, 6.0]
    assert after["label"].tolist() == ["+4 h", "-10 h", "+6 h"]
    before = bars[bars["when"] == "Before"].set_index("group")
    assert before.loc["unallocated", "hours"] == 0.0
    assert a["usermeta"]["embedOptions"]["renderer"] == "canvas"


def test_a_large_matrix_is_binned_and_every_account_is_counted_once() -> None:
    n = 20_000  # over charts.MAX_POINTS
    rng = np.random.default_rng(3)
    hours = np.where(rng.random(n) < 0.1, 0.0, rng.lognormal(1, 1, n))
    cells = rng.integers(0, 5, n)
    spec = vega.matrix(hours, rng.lognormal(8, 2, n), cells, None, 1e4, 3.0, PLAYS)
    points = _data(spec, "points")
    assert len(points) < n / 4
    assert points["count"].sum() == n
    per_cell = points.groupby("cell")["count"].sum()
    assert per_cell.tolist() == np.bincount(cells, minlength=5).tolist()
