"""The comparison's figures equal each scenario's own `alms summary`, computed apart.

The comparison computes several scenarios on one prepared book, interleaved, so a result
kept for one scenario's settings must never serve another's; each scenario's expected
figures come from a fresh load and prepare (summarise), with nothing shared.
"""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from alms import compare
from alms.analysis import assign
from alms.prepared import prepare
from alms.reading.ingest import UNASSIGNED
from alms.settings import AtRisk, FollowThrough, Matrix, Settings, WhatIf
from alms.summary import summarise
from alms.workspace import Workspace, load_sample


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return Workspace.open(load_sample())


def scenarios_of(ws: Workspace) -> list[tuple[str, Settings]]:
    base = ws.defaults()
    return [
        ("today", base),
        ("70% by region", base.with_key(cumulative_pct=70.0, within="region")),
        (
            "strict",
            replace(
                base,
                service_tolerance_pct=0.0,
                capacity_hours=900.0,
                at_risk=AtRisk(10.0, 45),
                matrix=Matrix(aggravation_weight=1.0),
                what_if=WhatIf(cut="cells", cells=("E",), order=("growth", "at_risk")),
            ),
        ),
    ]


def test_figures_equal_each_scenarios_own_summary(workspace: Workspace) -> None:
    named = scenarios_of(workspace)
    results = [(n, workspace.assignment(s)) for n, s in named]
    table = compare.figures(results).set_index("figure")
    for name, settings in named:
        alone = summarise(load_sample(), settings)
        col = table[name]
        customers_revenue = alone["revenue_total"]
        assert col["Key accounts"] == alone["key"]["count"]
        assert col["Key share of revenue"] == pytest.approx(alone["key"]["share_of_revenue"])
        assert col["Growth candidates"] == alone["growth_candidates"]["count"]
        assert col["Hours on secondary accounts"] == pytest.approx(
            alone["time"]["segments"]["secondary"]["hours_share"]
        )
        assert col["Revenue of secondary accounts"] == pytest.approx(
            alone["time"]["segments"]["secondary"]["revenue_share"]
        )
        assert col["Strategic accounts"] == alone["scorecard"]["strategic"]["count"]
        assert col["Strategic, not key"] == alone["scorecard"]["quadrants"]["strategic_only"]
        assert col["Key accounts at risk"] == alone["at_risk"]["count"]
        for cell in "ABCDE":
            assert col[f"Cell {cell}"] == alone["matrix"][cell]["count"]
        assert col["Hours freed"] == pytest.approx(alone["what_if"]["hours_freed"])
        for dest, label in (
            ("at_risk", "to at-risk key accounts"),
            ("growth", "to growth candidates"),
            ("prospects", "to target prospects"),
        ):
            assert col[label] == pytest.approx(alone["what_if"]["allocated"][dest])
        assert col["Unallocated"] == pytest.approx(alone["what_if"]["unallocated"])
        for band, n in alone["bands"].items():
            assert col[f"Band {band}"] == n
        assert customers_revenue > 0


def test_programme_hours_and_capacity_recounted(workspace: Workspace) -> None:
    """Programme hours = sum over accounts of their band's hours a year (target
    prospects: the prospecting programme; extra prospects and leads: none); capacity =
    sellers x capacity: recounted from the assignment's own arrays in plain Python."""
    named = scenarios_of(workspace)
    results = [(n, workspace.assignment(s)) for n, s in named]
    table = compare.figures(results).set_index("figure")
    for name, settings in named:
        r = assign(prepare(load_sample()), settings)
        hours = [e.hours_per_year for e in settings.bands.programme]
        lists = r.prepared.frame["prospect_list"].fillna("").tolist()
        status = r.prepared.frame["status"].fillna("").tolist()
        expected = 0.0
        for i, band in enumerate(r.band.tolist()):
            customer = r.prepared.rev[i] > 0
            if not customer and lists[i] == "target":
                expected += settings.prospecting.hours_per_year
            elif not customer and (lists[i] == "extra" or status[i] == "lead"):
                continue
            else:
                expected += hours[band]
        assert table.loc["Programme hours a year", name] == pytest.approx(expected)
        # "Unassigned" is no seller: its accounts have no capacity behind them
        owners = {o for o in r.prepared.frame["owner"].dropna() if o and o != UNASSIGNED}
        assert table.loc["Seller capacity a year", name] == settings.capacity_hours * len(owners)


def test_moved_accounts_are_those_whose_segment_differs(workspace: Workspace) -> None:
    named = scenarios_of(workspace)[:2]
    results = [(n, workspace.assignment(s)) for n, s in named]
    moved = compare.moved(results)
    a, b = (assign(prepare(load_sample()), s) for _, s in named)
    ids = a.prepared.frame["account_id"].to_numpy()
    expected = set(ids[a.segment != b.segment])
    assert set(moved["account_id"]) == expected and len(moved) == len(expected)
    row = moved.iloc[0]
    pos = int(np.flatnonzero(ids == row["account_id"])[0])
    assert row["segment: today"] == ["key", "secondary", "prospect", "lead"][a.segment[pos]]


def test_per_seller_key_counts(workspace: Workspace) -> None:
    named = scenarios_of(workspace)[:2]
    results = [(n, workspace.assignment(s)) for n, s in named]
    sellers = compare.per_seller(results).set_index("seller")
    for name, settings in named:
        r = assign(prepare(load_sample()), settings)
        owners = r.prepared.frame["owner"].to_numpy()
        for seller in sellers.index[:4]:
            mine = (owners == seller) & (r.segment == 0)
            assert sellers.loc[seller, f"{name}: key accounts"] == int(mine.sum())


def test_figures_follow_the_follow_through_knobs_of_a_kept_assignment() -> None:
    """A compared scenario's figures are kept with its assignment; one that differs only
    in the follow-through knobs shares that assignment's cache, and must not read the
    other's follow-through figures."""
    ws = Workspace.open(load_sample())
    first = compare.figures([("a", ws.assignment())])
    moved = replace(ws.settings, follow=FollowThrough(since=date(2026, 3, 1)))
    shared = ws.assignment(moved)
    assert shared.cache is ws.assignment().cache  # the case this guards
    second = compare.figures([("a", shared)])
    fresh = compare.figures([("a", Workspace.open(load_sample(), moved).assignment())])
    follow = second["section"] == "Follow-through"
    assert second["a"][follow].tolist() == fresh["a"][follow].tolist()
    assert second["a"][follow].tolist() != first["a"][follow].tolist()
