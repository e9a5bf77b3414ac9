"""The seeded sample book: reproducible bytes and the properties the app's pages rely on."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from alms.sample import generate, generate_at_scale, write_book, write_csv

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
ACCOUNT_HEADER = [
    "Account ID", "Account Name", "Account Owner", "Region", "Industry", "Status",
    "Prospect List", "Never Prospect", "Revenue (TTM)", "Prior Year Revenue", "Wallet Potential",
    "Gross Margin %", "Share of Wallet %", "Executive Access", "Decision Maker Access",
    "Product Fit", "Strategic Fit", "Employees", "Aggravation (1-5)",
]  # fmt: skip
ACTIVITY_HEADER = [
    "Activity ID", "Account ID", "Assigned To", "Activity Date", "Type", "Duration (min)",
]  # fmt: skip


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def accounts() -> list[dict[str, str]]:
    return read(SAMPLE / "accounts.csv")[1]


@pytest.fixture(scope="module")
def activities() -> list[dict[str, str]]:
    return read(SAMPLE / "activities.csv")[1]


def customer_revenues(accounts: list[dict[str, str]]) -> list[Decimal]:
    revenues = [Decimal(a["Revenue (TTM)"] or "0") for a in accounts]
    return sorted((r for r in revenues if r > 0), reverse=True)


def test_same_seed_gives_the_shipped_bytes(tmp_path: Path) -> None:
    paths = write_book(*generate(seed=7), tmp_path / "again")
    assert [p.name for p in paths] == ["accounts.csv", "activities.csv"]
    for path in paths:
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), path.name
    other = write_book(*generate(seed=8), tmp_path / "other")
    for path in other:
        assert path.read_bytes() != (SAMPLE / path.name).read_bytes(), path.name


def test_tables_are_text_as_written(tmp_path: Path) -> None:
    tables = generate(seed=3, n_accounts=300, years=1.0)
    for table, path in zip(tables, write_book(*tables, tmp_path), strict=True):
        assert all(field.type == pa.string() for field in table.schema)
        header, rows = read(path)
        assert header == table.column_names
        expected = [{k: v or "" for k, v in row.items()} for row in table.to_pylist()]
        assert rows == expected
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n") and b'"' not in raw  # nothing to quote


def test_write_csv_quotes_only_where_needed(tmp_path: Path) -> None:
    table = pa.table({"a": ["plain", 'say "hi"', None], "b,c": ["x,y", "", "z"]})
    path = write_csv(table, tmp_path / "t.csv")
    assert path.read_bytes() == b'a,"b,c"\nplain,"x,y"\n"say ""hi""",\n,z\n'
    assert list(csv.reader(io.StringIO(path.read_text()))) == [
        ["a", "b,c"], ["plain", "x,y"], ['say "hi"', ""], ["", "z"],
    ]  # fmt: skip


def test_headers_ids_and_references(accounts: list, activities: list) -> None:
    assert read(SAMPLE / "accounts.csv")[0] == ACCOUNT_HEADER
    assert read(SAMPLE / "activities.csv")[0] == ACTIVITY_HEADER
    ids = [a["Account ID"] for a in accounts]
    assert len(ids) == len(set(ids)) == 2400
    assert all(len(i) == 6 and i[0] == "A" and i[1:].isdigit() for i in ids)
    assert len({a["Account Name"] for a in accounts}) == len(accounts)
    assert {t["Account ID"] for t in activities} <= set(ids)
    assert 40_000 <= len(activities) <= 60_000
    assert len({t["Activity ID"] for t in activities}) == len(activities)


def test_statuses_owners_and_lists(accounts: list) -> None:
    customers = [a for a in accounts if Decimal(a["Revenue (TTM)"] or "0") > 0]
    customer_ids = {a["Account ID"] for a in customers}
    assert 0.60 <= len(customers) / len(accounts) <= 0.65
    assert {a["Status"] for a in customers} == {"Customer", ""}
    assert 1 <= sum(a["Status"] == "" for a in customers) <= 20
    assert 5 <= sum(a["Account Owner"] == "" for a in accounts) <= 15
    assert len({a["Account Owner"] for a in accounts} - {""}) == 12
    assert len({a["Region"] for a in accounts}) == 3
    assert 6 <= len({a["Industry"] for a in accounts}) <= 8
    for a in accounts:
        assert (a["Status"] == "Lead") == (a["Prospect List"] == "Lead")
        if a["Account ID"] in customer_ids:
            assert a["Prospect List"] == a["Never Prospect"] == ""
        else:
            assert a["Status"] in {"Prospect", "Lead"}
            assert a["Prior Year Revenue"] == "" and a["Wallet Potential"] != ""


def test_top_fifth_of_customers_hold_about_80_percent(accounts: list) -> None:
    revenues = customer_revenues(accounts)
    top = math.ceil(0.2 * len(revenues))
    share = sum(revenues[:top]) / sum(revenues)
    assert Decimal("0.70") <= share <= Decimal("0.90")


def test_every_default_band_has_customers(accounts: list) -> None:
    edges = [Decimal(e) for e in ("10000", "100000", "1000000", "5000000")]
    bands = Counter(sum(r >= e for e in edges) for r in customer_revenues(accounts))
    assert sorted(bands) == [0, 1, 2, 3, 4]  # up to 10K, 10K-100K, 100K-1M, 1M-5M, 5M+
    revenue_text = [a["Revenue (TTM)"] for a in accounts]
    assert "10000.00" in revenue_text and "100000.00" in revenue_text
    revenues = customer_revenues(accounts)
    assert len(set(revenues)) < len(revenues)  # at least one tie


def test_sellers_over_and_under_the_prospect_limits(accounts: list) -> None:
    counts: dict[str, Counter] = defaultdict(Counter)
    for a in accounts:
        if a["Account Owner"]:
            counts[a["Account Owner"]][a["Prospect List"]] += 1
    over = [s for s, c in counts.items() if c["Target"] > 10 or c["Extra"] > 15 or c["Lead"] > 10]
    under = [s for s, c in counts.items() if c["Target"] < 5 or c["Extra"] < 10]
    assert over and under and set(over) != set(counts)


def test_activities_span_and_effort(accounts: list, activities: list) -> None:
    as_of = date(2026, 10, 31)
    days = [date.fromisoformat(t["Activity Date"]) for t in activities]
    assert as_of - timedelta(days=731) < min(days) and max(days) <= as_of
    assert {t["Type"] for t in activities} == {"Call", "Email", "Meeting", "Visit", "Task"}
    blank = sum(t["Duration (min)"] == "" for t in activities) / len(activities)
    assert 0.03 <= blank <= 0.05
    default = {"Email": 5, "Call": 15, "Meeting": 60, "Visit": 180, "Task": 15}
    revenue = {a["Account ID"]: Decimal(a["Revenue (TTM)"] or "0") for a in accounts}
    ranked = sorted((i for i in revenue if revenue[i] > 0), key=lambda i: (-revenue[i], i))
    key = set(ranked[: math.ceil(0.2 * len(ranked))])
    hours: Counter = Counter()
    last: dict[str, date] = {}
    for t, day in zip(activities, days, strict=True):
        group = "key" if t["Account ID"] in key else "other"
        if revenue[t["Account ID"]] > 0 and group == "other":
            group = "secondary"
        hours[group] += int(t["Duration (min)"] or default[t["Type"]]) / 60
        last[t["Account ID"]] = max(day, last.get(t["Account ID"], day))
    assert hours["secondary"] > hours["key"] and hours["secondary"] > 0.5 * sum(hours.values())
    assert hours["other"] > 0  # prospects and leads get some activity
    quiet = [i for i in key if last.get(i, date.min) < as_of - timedelta(days=183)]
    assert 5 <= len(quiet) <= 0.25 * len(key)


def test_scale_generator_row_counts_and_references() -> None:
    accounts, activities = generate_at_scale(20_000, 200_000)
    assert accounts.num_rows == 20_000 and activities.num_rows == 200_000
    assert accounts.column_names == ACCOUNT_HEADER
    assert activities.column_names == ACTIVITY_HEADER
    ids = set(accounts["Account ID"].to_pylist())
    assert len(ids) == 20_000
    assert set(activities["Account ID"].unique().to_pylist()) <= ids


def test_the_shipped_baseline_is_the_book_a_year_earlier(
    tmp_path: Path, accounts: list, activities: list
) -> None:
    from alms.sample import BASELINE_AS_OF, baseline_of

    paths = write_book(*baseline_of(*generate(seed=7)), tmp_path / "baseline")
    for path in paths:
        assert path.read_bytes() == (SAMPLE / "baseline" / path.name).read_bytes(), path.name
    header, then = read(SAMPLE / "baseline" / "accounts.csv")
    assert header == ACCOUNT_HEADER
    now = {a["Account ID"]: a for a in accounts}
    kept = [a for a in then if a["Account ID"] in now]
    gone = [a for a in then if a["Account ID"] not in now]
    assert 0.9 * len(accounts) < len(kept) < len(accounts)  # some accounts are new since
    assert gone and all(a["Account ID"].startswith("G") for a in gone)
    for a in kept:  # revenue then = prior year revenue now
        assert a["Revenue (TTM)"] == now[a["Account ID"]]["Prior Year Revenue"]
    ids = {a["Account ID"] for a in then}
    _, then_activities = read(SAMPLE / "baseline" / "activities.csv")
    expected = [
        r
        for r in activities
        if r["Account ID"] in ids and date.fromisoformat(r["Activity Date"]) <= BASELINE_AS_OF
    ]
    assert then_activities == expected
