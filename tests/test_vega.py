"""Vega-Lite specs of the charts a slider redraws (alms.vega): the spec stays the same
as the slider moves (so Streamlit updates the chart in place), and the data it draws is
the book's, worked out by hand on a seven-account book."""

from __future__ import annotations

import json

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
