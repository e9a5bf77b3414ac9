"""AppTest of the Strategic scorecard page on the sample book: the figures shown match a
plain-Python recount of the sample file (tests/reference_scorecard.py)."""

from dataclasses import replace

import pytest

from alms.scorecard import default_for_sample
from tests import reference_scorecard as reference
from tests.test_app_pages import metric, open_page, sample_accounts


def number(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def expected(weights: dict[str, float]) -> tuple[list[str], list[float], list[bool]]:
    """(ids in strategic order, their scores, key flags) on the sample file by hand."""
    rows = [r for r in sample_accounts() if r["rev"] > 0]
    revenue = [float(r["rev"]) for r in rows]
    potential = [number(r["Wallet Potential"]) for r in rows]
    prior = [number(r["Prior Year Revenue"]) for r in rows]
    columns = {
        "Revenue (TTM)": revenue,
        "Gross Margin %": [number(r["Gross Margin %"]) for r in rows],
        "share_of_wallet": [v / p if p else None for v, p in zip(revenue, potential, strict=True)],
        "growth": [v / p - 1 if p else None for v, p in zip(revenue, prior, strict=True)],
        "Wallet Potential": potential,
        "Executive Access": [number(r["Executive Access"]) for r in rows],
        "Decision Maker Access": [number(r["Decision Maker Access"]) for r in rows],
        "Strategic Fit": [number(r["Strategic Fit"]) for r in rows],
    }
    attrs = [
        replace(a, weight=weights.get(a.column, a.weight)) for a in default_for_sample().attributes
    ]
    score = reference.scores([columns[a.column] for a in attrs], attrs)
    ids = [r["Account ID"] for r in rows]
    order = reference.ranking(score, revenue, ids)
    return [ids[i] for i in order], [score[i] for i in order], order


def scores_table(at):
    return next(d.value for d in at.dataframe if "pts: Strategic Fit" in d.value.columns)


def test_moving_a_weight_changes_the_top_account_and_score_shown() -> None:
    at = open_page("views/scorecard.py")
    ids, scores, _ = expected({})
    top = scores_table(at)
    assert top["account_id"].tolist()[:5] == ids[:5]
    assert top["score"].tolist()[:5] == pytest.approx(scores[:5], abs=1e-9)
    k = -(-len(ids) // 10)  # ceil(10% of the customers)
    assert metric(at, "Strategic accounts") == f"{k:,}"

    at.slider(key="set.score.w.gross margin %").set_value(50.0).run()
    assert not at.exception
    ids2, scores2, _ = expected({"Gross Margin %": 50.0})
    assert ids2[:5] != ids[:5]  # the move matters
    top = scores_table(at)
    assert top["account_id"].tolist()[:5] == ids2[:5]
    assert top["score"].tolist()[:5] == pytest.approx(scores2[:5], abs=1e-9)
    # the points of one row add up to its score
    points = top[[c for c in top.columns if c.startswith("pts: ")]].sum(axis=1)
    assert points.tolist() == pytest.approx(top["score"].tolist())


def test_other_tabs_strategic_rule_and_assignments() -> None:
    at = open_page("views/scorecard.py")
    for tab in ("Largest vs strategic", "Explain one account", "Sensitivity"):
        at.session_state["view.score_tab"] = tab
        at.run()
        assert not at.exception, tab
    at.radio(key="set.score.rule").set_value("top_n").run()
    assert metric(at, "Strategic accounts") == "50"
    ids, _, _ = expected({})
    at.switch_page("views/assignments.py").run()
    at.toggle(key="view.assign_strategic").set_value(True).run()
    assert not at.exception
    shown = next(d.value for d in at.dataframe if "strategic" in d.value.columns)
    assert sorted(shown["account_id"]) == sorted(ids[:50])
    assert shown["strategic"].all()


def test_a_weight_move_that_leaves_every_weight_at_zero_is_undone() -> None:
    at = open_page("views/scorecard.py")
    ws = at.session_state["alms_workspace"]
    *others, last = [a.name for a in ws.settings.scorecard.attributes]
    for name in others:
        at.slider(key=f"set.score.w.{name}").set_value(0.0).run()
    assert not at.exception
    at.slider(key=f"set.score.w.{last}").set_value(0.0).run()
    assert not at.exception
    assert ws.settings.scorecard.attributes[-1].weight == 15.0  # kept
    assert at.slider(key=f"set.score.w.{last}").value == 15.0  # and shown
    assert any("weight above 0" in w.value for w in at.warning)


def test_a_real_book_starts_without_the_sample_scorecard() -> None:
    at = open_page("views/scorecard.py")
    ws = at.session_state["alms_workspace"]
    from tests.helpers import book_of

    ws.replace_book(book_of("id,revenue,NPS\nA,100,5\nB,50,9\n"))
    at.run()
    assert ws.settings.scorecard is None
    at.button[0].click().run()  # "Start from this book's columns"
    assert not at.exception
    columns = [a.column for a in ws.settings.scorecard.attributes]
    assert columns == ["revenue", "NPS"]
    assert metric(at, "Strategic accounts") == "1"  # ceil(10% of 2)


def test_the_attribute_editor_is_built_when_its_box_opens() -> None:
    """Closed, the editor's grid costs a rerun nothing; opened, it lists the scorecard's
    attributes in order with their weights (the sample's default card)."""
    at = open_page("views/scorecard.py")
    assert not [d for d in at.dataframe if "column" in d.value.columns]
    at.session_state["view.score_editor"] = True
    at.run()
    (grid,) = [d.value for d in at.dataframe if "column" in d.value.columns]
    card = default_for_sample().attributes
    assert grid["column"].tolist() == [a.column for a in card]
    assert grid["weight"].tolist() == [a.weight for a in card]
    assert grid["order"].tolist() == list(range(1, len(card) + 1))
