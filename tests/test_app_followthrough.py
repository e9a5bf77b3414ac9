"""AppTest of the Follow-through page on the sample book, with and without a baseline,
against a plain-Python recount of the sample files (DOMAIN.md section 7)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from tests.test_app_pages import ROOT, key_count, metric, open_page
from tests.test_app_timeuse import DEFAULT_MINUTES

SINCE = date(2026, 5, 1)


def rows_of(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["rev"] = Decimal(r["Revenue (TTM)"] or 0)
    return rows


def segments(rows: list[dict]) -> tuple[set, set, dict]:
    """(key ids, secondary ids, id -> key threshold) by the 80% rule, book-wide."""
    customers = sorted(
        (r for r in rows if r["rev"] > 0), key=lambda r: (-r["rev"], r["Account ID"])
    )
    k = key_count(rows, 80)
    key = {r["Account ID"] for r in customers[:k]}
    threshold = customers[k - 1]["rev"]
    return key, {r["Account ID"] for r in customers} - key, threshold


def before_after(since: date) -> dict:
    """Secondary accounts' share of hours on each side of `since`, and the days."""
    accounts = rows_of(ROOT / "sample_data" / "accounts.csv")
    known = {r["Account ID"] for r in accounts}
    _, secondary, _ = segments(accounts)
    with open(ROOT / "sample_data" / "activities.csv", newline="", encoding="utf-8") as fh:
        acts = list(csv.DictReader(fh))
    as_of = max(date.fromisoformat(a["Activity Date"]) for a in acts)
    days = (as_of - since).days
    minutes = {"before": [0.0, 0.0], "after": [0.0, 0.0]}  # [secondary, all]
    for a in acts:
        d = date.fromisoformat(a["Activity Date"])
        side = (
            "after"
            if since < d <= as_of
            else "before"
            if since - timedelta(days) < d <= since
            else None
        )
        if side is None or a["Account ID"] not in known:
            continue
        m = (
            float(a["Duration (min)"])
            if a["Duration (min)"]
            else DEFAULT_MINUTES.get(a["Type"], 30)
        )
        minutes[side][1] += m
        minutes[side][0] += m if a["Account ID"] in secondary else 0
    return {
        "days": days,
        "before": minutes["before"][0] / minutes["before"][1],
        "after": minutes["after"][0] / minutes["after"][1],
    }


def movement() -> dict:
    now = rows_of(ROOT / "sample_data" / "accounts.csv")
    then = rows_of(ROOT / "sample_data" / "baseline" / "accounts.csv")
    key_now, secondary_now, _ = segments(now)
    key_then, secondary_then, threshold = segments(then)
    ids_now = {r["Account ID"] for r in now}
    ids_then = {r["Account ID"] for r in then}
    growth = {
        r["Account ID"]
        for r in then
        if r["Account ID"] in secondary_then
        and r["Wallet Potential"]
        and Decimal(r["Wallet Potential"]) >= threshold
    }
    return {
        "fell": len(key_then & secondary_now),
        "growth_key": len(growth & key_now),
        "new": len(ids_now - ids_then),
        "gone": len(ids_then - ids_now),
    }


def test_without_a_baseline_then_with_the_samples() -> None:
    at = open_page("views/followthrough.py")
    at.segmented_control(key="view.follow_tab").set_value("Before and after").run()
    assert any("Set the day the programme started" in i.value for i in at.info)
    at.segmented_control(key="view.follow_tab").set_value("Against a baseline").run()
    assert any("Add a baseline" in i.value for i in at.info)
    assert not at.metric  # no movement without a baseline
    at.segmented_control(key="view.follow_tab").set_value("Before and after").run()
    at.date_input(key="set.follow.since").set_value(SINCE).run()
    assert not at.exception
    expected = before_after(SINCE)
    headline = next(s.value for s in at.subheader if s.value.startswith("After 1 May 2026"))
    assert f"secondary accounts took {expected['after']:.0%} of hours" in headline
    assert f"from {expected['before']:.0%}" in headline
    assert any(f"({expected['days']} days each)" in c.value for c in at.caption)
    ws = at.session_state["alms_workspace"]
    assert ws.settings.follow.since == SINCE  # kept in the settings (scenario, link)

    at.segmented_control(key="view.follow_tab").set_value("Against a baseline").run()
    next(b for b in at.button if b.label.startswith("Use the sample book")).click().run()
    assert not at.exception
    m = movement()
    assert metric(at, "Key then, secondary now") == f"{m['fell']:,}"
    assert metric(at, "Growth candidates now key") == f"{m['growth_key']:,}"
    assert metric(at, "New accounts") == f"{m['new']:,}"
    assert metric(at, "Accounts gone") == f"{m['gone']:,}"
    assert len(at.dataframe[-1].value) == m["fell"]  # the first list: fell from key
    at.segmented_control(key="view.follow_list").set_value("Lost accounts").run()
    assert len(at.dataframe[-1].value) == m["gone"]
    # the baseline segment is a column of Assignments
    at.switch_page("views/assignments.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "baseline segment" in table.columns


def test_the_months_control_and_a_seller() -> None:
    at = open_page("views/followthrough.py")
    at.segmented_control(key="set.follow.months").set_value(6).run()
    assert not at.exception
    assert at.session_state["alms_workspace"].settings.follow.months == 6
    table = next(d.value for d in at.dataframe if "month" in d.value.columns)
    assert len(table) == 6 and table["month"].iloc[-1] == "2026-10"
