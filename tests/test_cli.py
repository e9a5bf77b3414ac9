"""`alms summary`: every JSON key on a book whose figures are worked out by hand."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alms.cli import main

ACCOUNTS = """Account ID,Account Owner,Revenue,Potential
A,Ann,5000000,
B,Ann,2000000,
C,Bob,1500000,
D,Bob,500000,
E,Bob,100000,1500000
F,Cy,10000,1499999
G,Cy,9999.99,
H,Cy,0,
I,Cy,,
"""
ACTIVITIES = """Account ID,Date,Type,Duration
A,2024-05-01,Call,30
B,2024-05-02,Email,
C,2024-05-03,Visit,
H,2024-05-04,Meeting,90
Q,2024-05-04,Meeting,90
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    acc = tmp_path / "accounts.csv"
    act = tmp_path / "activities.csv"
    acc.write_text(ACCOUNTS)
    act.write_text(ACTIVITIES)
    return acc, act


def run(capsys, *argv: str) -> dict:
    assert main(["summary", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_key_hand_worked(files, capsys) -> None:
    acc, act = files
    out = run(capsys, "--accounts", str(acc), "--activities", str(act))
    total = 9_119_999.99
    assert out["accounts"] == 9
    assert out["customers"] == 7
    assert out["revenue_total"] == total
    # 80% of 9,119,999.99 = 7,295,999.992: A+B = 7.0M < it, A+B+C = 8.5M >= it
    assert out["key"]["count"] == 3
    assert out["key"]["share_of_customers"] == pytest.approx(3 / 7)
    assert out["key"]["share_of_revenue"] == pytest.approx(8_500_000 / total)
    # ceil(20% of 7) = 2 customers: A + B
    assert out["top20_revenue_share"] == pytest.approx(7_000_000 / total)
    assert out["bands"] == {
        "Zero": 2,
        "up to 10K": 1,
        "10K-100K": 1,
        "100K-1M": 2,
        "1M-5M": 2,
        "5M+": 1,
    }
    assert list(out["bands"]) == ["Zero", "up to 10K", "10K-100K", "100K-1M", "1M-5M", "5M+"]
    # 30 + email default 5 + visit default 180 + 90 minutes
    assert out["hours_total"] == pytest.approx(305 / 60)
    assert out["input"] == {
        "accounts": {"rows": 9, "accepted": 9, "rejected": 0},
        "activities": {"rows": 5, "accepted": 4, "rejected": 1},
        "orders": None,
    }
    assert out["segments"]["key"] == {
        "count": 3,
        "revenue": 8_500_000.0,
        "share_of_revenue": pytest.approx(8_500_000 / total),
    }
    assert out["segments"]["secondary"]["count"] == 4
    assert out["segments"]["secondary"]["revenue"] == 619_999.99
    assert out["segments"]["prospect"]["count"] == 2
    assert out["growth_candidates"] == {"count": 1, "share_of_secondary": 0.25}


def test_settings_and_map(files, capsys, tmp_path: Path) -> None:
    acc, _ = files
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"key": {"rule": "count", "count_pct": 50}}))
    out = run(capsys, "--accounts", str(acc), "--settings", str(scenario))
    assert out["key"]["count"] == 4  # ceil(3.5)
    # map revenue to the Potential column: customers are E (1.5M) and F (1,499,999)
    out = run(capsys, "--accounts", str(acc), "--map", "revenue=Potential")
    assert out["customers"] == 2 and out["revenue_total"] == 2_999_999.0


def test_a_file_of_several_scenarios_picks_one(files, capsys, tmp_path: Path) -> None:
    acc, _ = files
    scenario = tmp_path / "workshop.json"
    scenario.write_text(
        json.dumps(
            {
                "format": "alms-scenarios",
                "version": 2,
                "current": "half",
                "scenarios": [
                    {"name": "quarter", "settings": {"key": {"rule": "count", "count_pct": 25}}},
                    {"name": "half", "settings": {"key": {"rule": "count", "count_pct": 50}}},
                    {"name": "odd", "settings": {"capacity_hours": -3}},
                ],
            }
        )
    )
    out = run(capsys, "--accounts", str(acc), "--settings", str(scenario))
    assert out["key"]["count"] == 4  # the current one: ceil(50% x 7)
    out = run(capsys, "--accounts", str(acc), "--settings", str(scenario), "--scenario", "quarter")
    assert out["key"]["count"] == 2  # ceil(25% x 7)
    code = main(
        ["summary", "--accounts", str(acc), "--settings", str(scenario), "--scenario", "odd"]
    )
    err = capsys.readouterr().err
    assert code == 0 and "odd: capacity_hours: should be greater than or equal to 0" in err
    code = main(["summary", "--accounts", str(acc), "--settings", str(scenario), "--scenario", "x"])
    assert code == 2 and "has no scenario 'x'; it has quarter, half, odd" in capsys.readouterr().err


def test_orders_only(tmp_path: Path, capsys) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "Customer,Order Date,Sales\nX,2024-01-01,10\nX,2023-01-01,5\nY,2024-01-01,0.5\n"
    )
    out = run(capsys, "--orders", str(orders))
    assert out["accounts"] == 2 and out["customers"] == 2
    assert out["revenue_total"] == 10.5
    assert out["input"]["orders"] == {"rows": 3, "accepted": 3, "rejected": 0}
    assert out["input"]["accounts"] is None


def test_unreadable_input_exits_nonzero_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "accounts.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    proc = subprocess.run(
        [sys.executable, "-m", "alms.cli", "summary", "--accounts", str(bad)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "accounts.xlsx" in proc.stderr and "Traceback" not in proc.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "alms.cli", "summary", "--accounts", str(tmp_path / "no.csv")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "no.csv" in missing.stderr
