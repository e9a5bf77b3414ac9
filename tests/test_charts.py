"""Chart builders: what the app draws unvalidated is exactly what plotly validates."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from alms import charts, pareto
from alms.analysis import assign
from alms.prepared import prepare
from alms.settings import Settings
from tests.helpers import book_of

BOOK = """
id,owner,revenue
A,Ann,600
B,Ann,200
C,Bob,100
D,Bob,50
E,Bob,50
F,Cy,0
G,Cy,0
"""


def _figures(count_zero: bool) -> dict:
    r = assign(prepare(book_of(BOOK)), Settings(count_zero_revenue=count_zero))
    c = pareto.curve(r, pareto.Scope())
    hours = np.array([3.0, 0.0, 12.5])
    nobody = assign(prepare(book_of("id,revenue\nX,0\n")), Settings())
    empty = pareto.curve(nobody, pareto.Scope())
    return {
        "pareto": lambda: charts.pareto(c, 2, "cut-off: 2 key accounts"),
        "pareto_no_customers": lambda: charts.pareto(empty, 0, "none"),
        "required_vs_actual": lambda: charts.required_vs_actual(
            ["Zero", "up to 10K", "10K+"], hours, hours[::-1], "per band"
        ),
        "capacity": lambda: charts.capacity(["Ann", "Bob", "Cy"], hours, hours * 2, 1_200.0),
        "service_by_band": lambda: charts.service_by_band(
            ["Zero", "up to 10K"], np.array([2, 0]), np.array([1, 4]), np.array([0, 3])
        ),
        "largest_vs_strategic": lambda: charts.largest_vs_strategic(
            np.array([1, 2, 3, 4]),
            np.array([80.0, 20.0, 95.0, 5.0]),
            np.array([0, 1, 2, 3]),
            np.array(["A", "B", "C", "D"]),
            50.0,
        ),
        "largest_vs_strategic_binned": lambda: charts.largest_vs_strategic(
            np.arange(1, 5_001), np.linspace(0, 100, 5_000), np.arange(5_000) % 4, None, None
        ),
        "contributions": lambda: charts.contributions(
            ["revenue", "NPS"], np.array([30.0, 12.5]), ["a", "b"], ["#111", "#222"]
        ),
        "hours_vs_revenue": lambda: charts.hours_vs_revenue(
            ["key", "secondary"], np.array([0.3, 0.7]), np.array([0.8, 0.2])
        ),
        "seller_heatmap": lambda: charts.seller_heatmap(
            ["Ann", "Bob"], ["key", "secondary"], np.array([[0.2, 0.8], [0.5, 0.5]])
        ),
        "activity_mix": lambda: charts.activity_mix(
            ["key", "secondary"], ["call", "visit"], np.array([[1.0, 2.0], [3.0, 0.5]])
        ),
        "matrix_scatter": lambda: charts.matrix_scatter(
            np.array([0.0, 2.0, 6.0]),
            np.array([900.0, 50.0, 20.0]),
            np.array([0, 2, 4]),
            np.array(["a", "b", "c"]),
            100.0,
            2.0,
            {c: c for c in "ABCDE"},
        ),
        "before_after": lambda: charts.before_after(
            ["key", "secondary"], np.array([5.0, 9.0]), np.array([7.0, 3.0]), 4.0
        ),
        "at_risk": lambda: charts.at_risk(["falling", "quiet", "fine"], [2, 1, 9], [5e5, 1e4, 2e6]),
        "scenario_shares": lambda: charts.scenario_bars(
            ["Key share", "Hours on secondary"],
            ["a", "b", "c"],
            np.array([[0.8, 0.7, np.nan], [0.5, 0.6, 0.4]]),
            "share",
        ),
        "scenario_hours": lambda: charts.scenario_bars(
            ["Programme", "Capacity"], ["a", "b"], np.array([[10.0, 12.0], [99.0, 99.0]]), "hours"
        ),
        "hours_trend": lambda: charts.hours_trend(
            ["2024-04", "2024-05"], np.array([[np.nan] * 4, [0.5, 0.5, 0, 0]]), np.array([0, 2.0])
        ),
        "share_before_after": lambda: charts.share_before_after(
            np.array([0.2, 0.8, 0.0, 0.0]), np.array([np.nan] * 4), 30
        ),
        "seller_moves": lambda: charts.seller_moves(
            ["Ann", "Bob"], np.array([0.2, 0.5]), np.array([0.4, 0.3])
        ),
        "movement_sankey": lambda: charts.movement_sankey(
            np.arange(25).reshape(5, 5) % 3, np.ones((5, 5)) * 1e3, "then", "now"
        ),
        "limits": lambda: charts.limits(
            ["Ann", "Bob"],
            {"target": np.array([3, 12]), "lead": np.array([0, 11])},
            {"target": (5, 10), "lead": (0, 10)},
        ),
    }


@pytest.mark.parametrize("count_zero", [False, True])
def test_unvalidated_figures_equal_validated_ones(monkeypatch, count_zero) -> None:
    for name, build in _figures(count_zero).items():
        fast = json.loads(pio.to_json(build().to_dict(), validate=False))
        monkeypatch.setattr(charts, "VALIDATE", True)
        checked = json.loads(pio.to_json(build().to_dict(), validate=False))
        monkeypatch.setattr(charts, "VALIDATE", False)
        assert fast == checked, name


@pytest.mark.parametrize("count_zero", [False, True])
def test_figures_hand_out_what_plotly_would_and_stay_unchanged(count_zero) -> None:
    """charts.Figure.to_dict skips plotly's deep copy of the arrays: the dict it hands
    out is plotly's own, and handing it out twice gives the same (nothing was changed
    in place)."""
    for name, build in _figures(count_zero).items():
        fig = build()
        kinds = _leaf_types(fig._data), _leaf_types(fig._layout)
        plotly_own = json.loads(pio.to_json(go.Figure.to_dict(fig), validate=False))
        first = json.loads(pio.to_json(fig.to_dict(), validate=False))
        again = json.loads(pio.to_json(fig.to_dict(), validate=False))
        assert first == plotly_own == again, name
        # the arrays inside the figure are still arrays (not replaced by base64 specs)
        assert (_leaf_types(fig._data), _leaf_types(fig._layout)) == kinds, name
        assert isinstance(fig, charts.Figure), name


def _leaf_types(value):
    if isinstance(value, dict):
        return {k: _leaf_types(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_leaf_types(v) for v in value]
    return type(value).__name__


def test_pareto_chart_marks_the_cutoff_and_the_zero_revenue_tail() -> None:
    off = _figures(False)["pareto"]()
    # 5 customers, 2 key: the cut-off line at 2/5
    assert off.layout.shapes[0].x0 == pytest.approx(0.4)
    assert len(off.layout.shapes) == 1
    assert off.layout.xaxis.title.text.startswith("Share of customers")
    on = _figures(True)["pareto"]()
    # 7 accounts: cut-off at 2/7, the zero-revenue tail from 5/7 to 1
    assert on.layout.shapes[0].x0 == pytest.approx(2 / 7)
    tail = on.layout.shapes[1]
    assert (tail.type, tail.x0, tail.x1) == ("rect", pytest.approx(5 / 7), 1)
    assert "2 accounts" in on.layout.annotations[0].text
    assert on.layout.xaxis.title.text.startswith("Share of accounts")


def test_largest_vs_strategic_stays_small_at_a_million_accounts() -> None:
    n = 1_000_000
    rng = np.random.default_rng(1)
    fig = charts.largest_vs_strategic(
        np.arange(1, n + 1), rng.uniform(0, 100, n), rng.integers(0, 4, n), None, 42.0
    )
    size = len(pio.to_json(fig, validate=False))
    assert size < 250_000, size
    # every account is counted in one bin of its quadrant
    assert sum(int(np.sum(t.customdata)) for t in fig.data) == n
    small = charts.largest_vs_strategic(
        np.array([1, 2, 3]),
        np.array([1.0, 2.0, 3.0]),
        np.array([0, 0, 3]),
        np.array(["a", "b", "c"]),
        None,
    )
    assert [len(t.x) for t in small.data] == [2, 1]  # below the limit: one point per account


def test_the_seller_heatmap_stays_small_with_many_sellers_pooled() -> None:
    # the page shows the 30 largest gaps and pools the rest: 31 rows whatever the team
    z = np.random.default_rng(2).uniform(0, 1, (31, 7))
    fig = charts.seller_heatmap([f"seller {i}" for i in range(31)], [f"g{j}" for j in range(7)], z)
    assert len(pio.to_json(fig, validate=False)) < 250_000


def test_the_matrix_chart_stays_small_at_a_million_accounts() -> None:
    n = 1_000_000
    rng = np.random.default_rng(2)
    hours = np.where(rng.random(n) < 0.1, 0.0, rng.lognormal(1, 1, n))
    fig = charts.matrix_scatter(
        hours,
        rng.lognormal(10, 2, n),
        rng.integers(0, 5, n),
        None,
        1e5,
        3.0,
        {c: c for c in "ABCDE"},
    )
    assert len(pio.to_json(fig, validate=False)) < 400_000
    # every account is counted in one bin of its cell
    counted = sum(int(np.sum(t.customdata)) for t in fig.data if t.mode == "markers")
    assert counted == n


def test_scenario_bars_label_each_bar_and_leave_unknown_figures_blank() -> None:
    fig = charts.scenario_bars(
        ["Key share", "Hours"], ["a", "b"], np.array([[0.8, np.nan], [0.25, 0.5]]), "share"
    )
    assert [t.name for t in fig.data] == ["a", "b"]
    assert list(fig.data[0].text) == ["80%", "25%"] and list(fig.data[1].text) == ["", "50%"]


def test_follow_through_charts_gap_empty_months_and_bound_the_flows() -> None:
    fig = charts.hours_trend(
        ["2024-04", "2024-05"], np.array([[np.nan] * 4, [0.25, 0.75, 0, 0]]), np.array([0, 2.0])
    )
    assert [a.text for a in fig.layout.annotations] == ["no hours"]  # April: a gap, said so
    assert fig.layout.annotations[0].x == "2024-04"
    counts = np.zeros((5, 5), dtype=int)
    counts[0, 0], counts[1, 0], counts[4, 1] = 5, 2, 3
    sankey = charts.movement_sankey(counts, np.ones((5, 5)), "2023", "2024")
    link = sankey.data[0].link
    assert list(link.value) == [5, 2, 3]  # only the non-empty flows, at most 5 x 5
    labels = list(sankey.data[0].node.label)
    assert labels[4] == "new (2023)" and labels[9] == "gone (2024)"
    assert (labels[link.source[2]], labels[link.target[2]]) == ("new (2023)", "secondary (2024)")


def test_array_encoding_matches_plotlys_own() -> None:
    """charts' one-walk encoding gives what plotly's convert_to_base64 gives, for every
    kind of array a builder may hand over: each numeric dtype, int64 that fits 8, 16, 32
    bits or none, uint64, bool, text, dates, 2-D, empty, non-contiguous, skipped keys,
    arrays inside lists, pandas columns."""
    import copy

    import pandas as pd
    from _plotly_utils.utils import convert_to_base64

    rng = np.random.default_rng(7)
    grid = rng.normal(size=(4, 6))
    arrays = {
        "f8": rng.normal(size=9),
        "f4": rng.normal(size=9).astype(np.float32),
        "i8_small": np.array([-3, 0, 120], dtype=np.int64),
        "i8_mid": np.array([-3, 30_000], dtype=np.int64),
        "i8_32": np.array([0, 2_000_000_000], dtype=np.int64),
        "i8_big": np.array([0, 2**40], dtype=np.int64),
        "u8": np.array([1, 2**33], dtype=np.uint64),
        "i4": np.array([1, -5], dtype=np.int32),
        "u1": np.array([1, 200], dtype=np.uint8),
        "bool": np.array([True, False]),
        "text": np.array(["a", "b"], dtype=object),
        "dates": np.array(["2026-01-01", "2026-02-01"], dtype="datetime64[D]"),
        "grid": grid,
        "strided": grid[:, ::2],
        "empty": np.zeros(0),
        "range": np.array([0.0, 1.0]),
        "series": pd.Series([1.5, 2.5]),
    }
    figure = {
        "data": [{"type": "scatter", **arrays, "marker": {"size": arrays["f8"], "n": 3}}],
        "layout": {"xaxis": {"range": np.array([1.0, 2.0])}, "lists": [arrays["f8"], "x"]},
    }
    theirs = copy.deepcopy(figure)
    convert_to_base64(theirs)
    ours = charts._encoded(figure)
    assert json.loads(pio.to_json(ours, validate=False)) == json.loads(
        pio.to_json(theirs, validate=False)
    )
    assert isinstance(figure["data"][0]["f8"], np.ndarray)  # the input is left as it was
