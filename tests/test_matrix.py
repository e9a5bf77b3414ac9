"""The A-E maintenance / revenue matrix (DOMAIN.md section 4), on books worked by hand."""

import json
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from alms import matrix
from alms.analysis import assign
from alms.cli import main
from alms.prepared import prepare
from alms.reading.ingest import LoadOptions
from alms.settings import KeyRule, Matrix, Settings
from tests.helpers import book_of, csv_bytes

# Key (80% cumulative): total 1,700; 1,360 needed; K1 1,000 + K2 500 = 1,500 >= 1,360:
# key = K1, K2, threshold 500. Growth: potential >= 500: S1 (exactly 500) only.
ACCOUNTS = """
id,owner,revenue,potential,aggravation (1-5)
K1,Ann,1000,,5
K2,Bob,500,,1
S1,Ann,100,500,3
S2,Bob,60,400,
S3,Ann,40,,5
P1,Ann,0,,
"""
# Hours in the 12 months up to 30 June 2024: K1 2, K2 6, S1 1, S2 4, S3 0.
# K1's visit of 30 June 2023 is exactly a year before: outside the window.
ACTIVITIES = """
account,seller,date,type,duration
K1,Ann,2024-06-30,Call,120
K1,Ann,2023-06-30,Visit,600
K2,Bob,2024-05-01,Meeting,360
S1,Ann,2024-04-01,Call,60
S2,Bob,2024-03-01,Visit,240
P1,Ann,2024-03-01,Call,30
"""
AS_OF = date(2024, 6, 30)


def result_of(settings=None, accounts=ACCOUNTS, activities=ACTIVITIES):
    book = book_of(accounts, activities, options=LoadOptions(as_of=AS_OF))
    return assign(prepare(book), settings or Settings())


def cells_by_id(result) -> dict[str, str]:
    ids = result.prepared.frame["account_id"].to_numpy()
    cell = matrix.cell_of_all(result)
    return {str(i): c for i, c in zip(ids, cell, strict=True) if c}


def test_default_thresholds_and_cells() -> None:
    r = result_of()
    c = matrix.cells(r)
    # maintenance (w = 0) = hours: [2, 6, 1, 4, 0]; sorted [0, 1, 2, 4, 6]: median 2
    assert c.maintenance_threshold == 2.0
    assert c.book_revenue_threshold == 500.0
    # K1: 1,000 >= 500, 2 h is not > 2: A. K2: high, 6 h: D. S1: low, 1 h, growth: B.
    # S2: low, 4 h > 2: E. S3: low, 0 h, no potential: C. P1 is no customer: no cell.
    assert cells_by_id(r) == {"K1": "A", "K2": "D", "S1": "B", "S2": "E", "S3": "C"}
    s = c.summary()
    assert s["A"] == {"count": 1, "revenue": 1000.0, "hours": 2.0, "roti": 500.0}
    assert s["D"] == {"count": 1, "revenue": 500.0, "hours": 6.0, "roti": 500 / 6}
    assert s["E"] == {"count": 1, "revenue": 60.0, "hours": 4.0, "roti": 15.0}
    # S3 spent no time: its cell has no ROTI, never infinity
    assert s["C"] == {"count": 1, "revenue": 40.0, "hours": 0.0, "roti": None}
    assert (s["revenue_threshold"], s["maintenance_threshold"]) == (500.0, 2.0)


def test_revenue_on_the_threshold_is_high_and_maintenance_on_it_is_low() -> None:
    r = result_of(replace(Settings(), matrix=Matrix(revenue_threshold=100)))
    # S1's 100 = the threshold: high revenue; 1 h <= median 2: A
    assert cells_by_id(r)["S1"] == "A"
    r = result_of(replace(Settings(), matrix=Matrix(maintenance_threshold=4)))
    # S2's 4 h = the threshold: low maintenance; low revenue, potential 400 < 500: C
    assert cells_by_id(r) == {"K1": "A", "K2": "D", "S1": "B", "S2": "C", "S3": "C"}


def test_an_even_count_takes_the_mean_of_the_two_middle_values() -> None:
    accounts = ACCOUNTS + "S4,Bob,30,,\n"
    activities = ACTIVITIES + "S4,Bob,2024-06-01,Call,180\n"
    # hours [2, 6, 1, 4, 0, 3]; sorted [0, 1, 2, 3, 4, 6]: median (2 + 3) / 2 = 2.5
    c = matrix.cells(result_of(accounts=accounts, activities=activities))
    assert c.maintenance_threshold == 2.5


def test_aggravation_raises_maintenance() -> None:
    # a on 1-5: K1 (5) 1, K2 (1) 0, S1 (3) 0.5, S2 blank 0, S3 (5) 1. With w = 1:
    # K1 2 x 2 = 4, K2 6, S1 1 x 1.5 = 1.5, S2 4, S3 0 x 2 = 0; sorted [0, 1.5, 4, 4, 6]:
    # median 4. Only K2 (6) is above it: K1 A, S2 (4, low, potential 400 < 500) C.
    r = result_of(replace(Settings(), matrix=Matrix(aggravation_weight=1)))
    c = matrix.cells(r)
    assert c.maintenance.column == "aggravation (1-5)"
    assert c.maintenance_threshold == 4.0
    assert cells_by_id(r) == {"K1": "A", "K2": "D", "S1": "B", "S2": "C", "S3": "C"}
    # a cell's hours stay the raw hours: A holds K1's 2 h, not its maintenance of 4
    assert c.summary()["A"]["hours"] == 2.0
    assert matrix.maintenance_hours(r)[0] == 4.0
    # a scale of 1-3 clips: S1's 3 is 1 there, so S1 is 1 x 2 = 2
    r13 = result_of(
        replace(Settings(), matrix=Matrix(aggravation_weight=1, aggravation_lo=1, aggravation_hi=3))
    )
    assert matrix.maintenance_hours(r13)[2] == 2.0


def test_a_book_without_potential_has_no_b() -> None:
    accounts = "\n".join(",".join(line.split(",")[:3]) for line in ACCOUNTS.strip().splitlines())
    r = result_of(accounts=accounts)
    c = matrix.cells(r)
    assert not c.has_potential
    assert cells_by_id(r)["S1"] == "C"
    assert c.summary()["B"]["count"] == 0
    # no aggravation column either: maintenance is the hours whatever the weight
    r = result_of(replace(Settings(), matrix=Matrix(aggravation_weight=2)), accounts=accounts)
    assert matrix.cells(r).maintenance.column is None
    assert matrix.cells(r).maintenance_threshold == 2.0


def test_within_sellers_each_group_has_its_own_threshold() -> None:
    # Ann: K1 1,000, S1 100, S3 40 = 1,140; 912 needed: K1 alone, threshold 1,000.
    # Bob: K2 500, S2 60 = 560; 448 needed: K2, threshold 500.
    r = result_of(replace(Settings(), key=KeyRule(within="owner")))
    c = matrix.cells(r)
    assert c.book_revenue_threshold is None
    assert c.summary()["revenue_threshold"] is None
    ids = r.prepared.frame["account_id"].to_numpy()[: c.size]
    thresholds = dict(zip(ids, c.revenue_threshold / 10_000, strict=True))
    assert thresholds == {"K1": 1000, "K2": 500, "S1": 1000, "S2": 500, "S3": 1000}


def test_a_book_with_no_activities_is_all_low_maintenance() -> None:
    r = result_of(activities=None)
    c = matrix.cells(r)
    assert c.maintenance_threshold == 0.0
    # nobody is high maintenance, so no D and no E
    assert cells_by_id(r) == {"K1": "A", "K2": "A", "S1": "B", "S2": "C", "S3": "C"}


def test_roti_per_segment_and_seller() -> None:
    r = result_of()
    seg = matrix.roti_by(r, "segment").set_index("segment")
    # key: K1 + K2 = 1,500 over 8 h; secondary 200 over 5 h; prospects 0 over 0.5 h
    assert seg.loc["key", "roti"] == pytest.approx(1500 / 8)
    assert seg.loc["secondary", "roti"] == pytest.approx(200 / 5)
    assert seg.loc["prospect", "roti"] == 0.0
    assert np.isnan(seg.loc["lead", "roti"])
    sellers = matrix.roti_by(r, "seller").set_index("seller")
    # Ann owns K1 (2 h), S1 (1 h), S3, P1 (0.5 h): 1,140 over 3.5 h; Bob 560 over 10 h
    assert sellers.loc["Ann", "roti"] == pytest.approx(1140 / 3.5)
    assert sellers.loc["Bob", "roti"] == pytest.approx(56.0)


def test_summary_reports_the_matrix(tmp_path, capsys) -> None:
    (tmp_path / "a.csv").write_bytes(csv_bytes(ACCOUNTS))
    (tmp_path / "b.csv").write_bytes(csv_bytes(ACTIVITIES))
    (tmp_path / "s.json").write_text(json.dumps({"matrix": {"revenue_threshold": 100}}))
    args = ["summary", "--accounts", str(tmp_path / "a.csv")]
    args += ["--activities", str(tmp_path / "b.csv"), "--settings", str(tmp_path / "s.json")]
    assert main([*args, "--as-of", "2024-06-30"]) == 0
    m = json.loads(capsys.readouterr().out)["matrix"]
    assert m["revenue_threshold"] == 100.0
    # K1 A, K2 D, S1 (100 >= 100, 1 h) A; S2 E; S3 C
    assert {k: m[k]["count"] for k in "ABCDE"} == {"A": 2, "B": 0, "C": 1, "D": 1, "E": 1}
    assert m["A"]["revenue"] == 1100.0 and m["A"]["hours"] == 3.0
