"""The strategic scorecard (DOMAIN.md section 3) on books small enough to work by hand."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms.analysis import assign
from alms.cli import main
from alms.prepared import prepare
from alms.scorecard import top_k_mask
from alms.settings import Attribute, Scorecard, Settings, Strategic
from alms.summary import scorecard_summary
from tests import reference_scorecard as reference
from tests.helpers import book_of

# Customers A-D (revenue order A, B, C, D), E a prospect. Blank = missing.
BOOK = """
id,owner,revenue,potential,prior revenue,NPS,Exec access (1-5),Grade,Employees
A,Ann,400,800,200,10,5,2,"1,200"
B,Ann,300,,300,30,,2,n/a
C,Bob,200,400,0,30,1,2,lots
D,Bob,100,1000,50,,3,2,40
E,Bob,0,5000,,50,4,,7
"""


def scores_of(card: Scorecard, text: str = BOOK, settings: Settings | None = None):
    r = assign(prepare(book_of(text)), replace(settings or Settings(), scorecard=card))
    ids = r.prepared.frame["account_id"].tolist()
    return r, dict(zip(ids, r.score.tolist(), strict=True))


def test_minmax_worst_and_fixed_median() -> None:
    card = Scorecard(
        strategic=Strategic("top_n", 2),
        attributes=(
            Attribute("NPS", weight=30),  # minmax, worst
            Attribute("Exec access (1-5)", "future", 10, "fixed", 1, 5, missing="median"),
        ),
    )
    r, score = scores_of(card)
    # NPS over A 10, B 30, C 30 (D missing): n = A 0, B 1, C 1, D worst 0.
    # Exec (x - 1) / 4: A 1, C 0, D 0.5; B missing -> median of (1, 0, 0.5) = 0.5.
    # score = 100 x (30 n_nps + 10 n_exec) / 40
    assert score["A"] == pytest.approx(25.0)  # (0 + 10) / 40
    assert score["B"] == pytest.approx(87.5)  # (30 + 5) / 40
    assert score["C"] == pytest.approx(75.0)  # (30 + 0) / 40
    assert score["D"] == pytest.approx(12.5)  # (0 + 5) / 40
    assert np.isnan(score["E"])  # a prospect: not in the customers population
    s = r.scores
    ids = r.prepared.frame["account_id"].to_numpy()
    assert ids[r.strategic].tolist() == ["B", "C"]
    # key (cumulative 80% of 1,000): A 400 + B 300 + C 200 = 900 >= 800 -> A, B, C
    assert s.quadrants() == {
        "key_and_strategic": 2,
        "key_only": 1,
        "strategic_only": 0,
        "neither": 1,
    }
    assert s.group_shares() == {"current": 0.75, "future": 0.25}
    # contributions add up to the score: B = 30 x 1 / 40 x 100 = 75 and 10 x 0.5 / 40 x 100
    b = np.flatnonzero(ids == "B")
    assert s.contributions(b)[0].tolist() == pytest.approx([75.0, 12.5])
    summary = scorecard_summary(r)
    assert summary["population"] == 4
    assert summary["strategic"] == {"count": 2, "revenue_share": pytest.approx(0.5)}  # 500/1000
    assert [t["account_id"] for t in summary["top"]] == ["B", "C", "A", "D"]


def test_rank_lower_and_reweight() -> None:
    card = Scorecard(
        attributes=(
            Attribute("nps", weight=20, scale="rank", missing="reweight"),
            Attribute(
                " EXEC ACCESS (1-5) ",
                weight=20,
                scale="fixed",
                lo=1,
                hi=5,
                direction="lower",
                missing="reweight",
            ),
        )
    )
    _, score = scores_of(card)
    # NPS ranks: 10 -> 1, the two 30s -> 2.5 each; n = (rank - 1) / 2: A 0, B 0.75, C 0.75.
    # Exec lower: 1 - (x - 1) / 4: A 0, C 1, D 0.5. Reweight: only what the account has.
    assert score["A"] == pytest.approx(0.0)
    assert score["B"] == pytest.approx(75.0)  # NPS only: 20 x 0.75 / 20
    assert score["C"] == pytest.approx(87.5)  # (20 x 0.75 + 20 x 1) / 40
    assert score["D"] == pytest.approx(50.0)  # exec only: 0.5


def test_max_equal_min_and_ties_by_revenue() -> None:
    higher = Scorecard(strategic=Strategic("top_pct", 50), attributes=(Attribute("Grade"),))
    r, score = scores_of(higher)
    assert set(score[i] for i in "ABCD") == {100.0}  # max = min: n = 1
    ids = r.prepared.frame["account_id"].to_numpy()
    assert ids[r.strategic].tolist() == ["A", "B"]  # ceil(50% x 4) = 2, ties by revenue
    lower = Scorecard(attributes=(Attribute("Grade", direction="lower"),))
    _, score = scores_of(lower)
    assert set(score[i] for i in "ABCD") == {0.0}  # 1 - 1


def test_derived_share_of_wallet_and_growth() -> None:
    card = Scorecard(
        strategic=Strategic("top_n", 3),
        attributes=(Attribute("share_of_wallet"), Attribute("growth")),
    )
    r, score = scores_of(card)
    # share of wallet: A 0.5, C 0.5, D 0.1, B none (no potential) -> minmax A 1, C 1, D 0
    # growth: A 400/200 - 1 = 1, B 0, D 1, C none (prior 0) -> minmax A 1, B 0, D 1
    assert score == pytest.approx(
        {"A": 100.0, "B": 0.0, "C": 50.0, "D": 50.0, "E": np.nan}, nan_ok=True
    )
    ids = r.prepared.frame["account_id"].to_numpy()
    assert ids[r.strategic].tolist() == ["A", "C", "D"]  # C, D tie at 50: C has more revenue


def test_population_all_scores_prospects_too() -> None:
    card = Scorecard(
        population="all", strategic=Strategic("top_n", 1), attributes=(Attribute("NPS"),)
    )
    r, score = scores_of(card)
    # NPS over A 10, B 30, C 30, E 50: A 0, B 0.5, C 0.5, E 1; D worst 0
    assert score == pytest.approx({"A": 0, "B": 50, "C": 50, "D": 0, "E": 100})
    assert r.scores.quadrants() == {
        "key_and_strategic": 0,
        "key_only": 3,
        "strategic_only": 1,
        "neither": 1,
    }


def test_missing_and_partly_numeric_columns_are_noted_not_rejected() -> None:
    card = Scorecard(
        attributes=(Attribute("Employees"), Attribute("churn score"), Attribute("owner"))
    )
    r, score = scores_of(card)
    assert r.prepared.n_accounts == 5  # "lots" rejects no row
    notes = r.scores.notes
    assert "'churn score' is not a column of this book: left out" in notes
    assert "'owner' is not a column of this book: left out" in notes
    assert "'Employees': 1 cells are not numbers (missing)" in notes
    # Employees: A 1,200, D 40 (B "n/a" blank, C "lots" missing) -> A 100, D 0, B and C worst 0
    assert score == pytest.approx({"A": 100, "B": 0, "C": 0, "D": 0, "E": np.nan}, nan_ok=True)


def test_scores_equal_to_nine_decimals_are_ties() -> None:
    book = """
    id,revenue,x
    A,300,0.3
    B,200,0.30000000000000004
    C,100,0
    """
    card = Scorecard(strategic=Strategic("top_n", 1), attributes=(Attribute("x"),))
    r, score = scores_of(card, book)
    assert score["A"] < score["B"]  # 99.99999999999997 < 100 in floats
    ids = r.prepared.frame["account_id"].to_numpy()
    assert ids[r.strategic].tolist() == ["A"]  # equal to 9 decimals: revenue decides
    rounded = np.round(np.array([5.0, 7.0, 7.0, 1.0, 7.0]), 9)
    assert top_k_mask(rounded, 2).tolist() == [False, True, True, False, False]


def test_summary_with_settings_and_without_a_scorecard(tmp_path: Path, capsys) -> None:
    acc = tmp_path / "accounts.csv"
    acc.write_text("\n".join(line.strip() for line in BOOK.strip().splitlines()))
    scenario = tmp_path / "s.json"
    card = {
        "strategic": {"rule": "top_n", "value": 2},
        "attributes": [
            {"column": "NPS", "weight": 30},
            {"column": "exec access (1-5)", "group": "future", "weight": 10, "scale": "fixed",
             "lo": 1, "hi": 5, "missing": "median"},
        ],
    }  # fmt: skip
    scenario.write_text(json.dumps({"scorecard": card}))
    assert main(["summary", "--accounts", str(acc), "--settings", str(scenario)]) == 0
    out = json.loads(capsys.readouterr().out)["scorecard"]
    assert out["top"][0] == {"account_id": "B", "score": 87.5}
    assert out["quadrants"]["neither"] == 1 and out["strategic"]["count"] == 2
    assert main(["summary", "--accounts", str(acc)]) == 0
    assert json.loads(capsys.readouterr().out)["scorecard"] is None


def test_hours_attribute_follows_the_default_minutes_on_the_same_book() -> None:
    """The hours attribute's column and the stacked matrix the score multiplies are both
    memoised per book: a changed default call length must reach the score (the stack was
    kept on the attributes alone, so it served the first minutes' hours)."""
    p = prepare(
        book_of(
            """
            id,owner,revenue
            A,Ann,300
            B,Ann,200
            C,Ann,100
            """,
            """
            account,seller,date,type,duration
            A,Ann,2024-06-30,Call,
            B,Ann,2024-06-30,Call,20
            """,
        )
    )
    card = Scorecard(attributes=(Attribute("hours"),))  # minmax, score = 100 x n
    # Call default 15 min: hours A 15/60 = 0.25, B 20/60 = 1/3, C 0 -> n A 0.75, B 1, C 0.
    # Call default 30 min: A 0.5, B 1/3, C 0 -> n A 1, B (1/3) / 0.5 = 2/3, C 0.
    fifteen = replace(Settings(), scorecard=card).with_minutes("call", 15)
    thirty = fifteen.with_minutes("call", 30)
    for chosen, expected in (
        (fifteen, [75.0, 100.0, 0.0]),
        (thirty, [100.0, 200 / 3, 0.0]),
        (fifteen, [75.0, 100.0, 0.0]),
    ):
        assert assign(p, chosen).score.tolist() == pytest.approx(expected)


# ---------------------------------------------------------------- properties


values = st.one_of(st.none(), st.integers(-5, 5).map(float))
row = st.tuples(st.integers(1, 50), values, values)
attr = st.builds(
    Attribute,
    column=st.just("x"),
    weight=st.integers(1, 50).map(float),
    scale=st.sampled_from(["minmax", "rank"]),
    direction=st.sampled_from(["higher", "lower"]),
    missing=st.sampled_from(["worst", "median", "reweight"]),
)


def book_text(rows: list[tuple]) -> str:
    lines = ["id,revenue,x,y"]
    for i, (rev, x, y) in enumerate(rows):
        cell = lambda v: "" if v is None else f"{v:g}"  # noqa: E731
        lines.append(f"c{i:03d},{rev},{cell(x)},{cell(y)}")
    return "\n".join(lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=12), attr, attr, st.integers(1, 5))
def test_scores_match_a_plain_recount_and_obey_the_invariants(rows, a, b, scale) -> None:
    b = replace(b, column="y")
    text = book_text(rows)
    if all(x is None for _, x, _ in rows) or all(y is None for *_, y in rows):
        return  # an attribute with no value is left out: covered above
    r, _ = scores_of(Scorecard(attributes=(a, b)), text)
    s = r.scores
    raw = s.raw(np.arange(s.size))
    columns = [[None if np.isnan(v) else float(v) for v in raw[:, j]] for j in range(2)]
    assert s.score == pytest.approx(reference.scores(columns, [a, b]))
    assert ((s.score >= 0) & (s.score <= 100 + 1e-9)).all()
    scaled = Scorecard(
        attributes=(replace(a, weight=a.weight * scale), replace(b, weight=b.weight * scale))
    )
    r2, _ = scores_of(scaled, text)
    assert r2.scores.score == pytest.approx(s.score)  # scaling every weight changes nothing
    if "reweight" in (a.missing, b.missing):
        return  # the order property below needs one weight sum for every account
    # Raising x's weight never lets the best account on x fall below one it was level
    # with or above.
    heavier = s.with_weight(0, a.weight + 25)
    nx = s.columns[0].n
    best = int(np.argmax(nx))
    for o in range(s.size):
        if s.score[best] >= s.score[o] - 1e-9:
            assert heavier.score[best] >= heavier.score[o] - 1e-9
