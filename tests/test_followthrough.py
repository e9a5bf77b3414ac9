"""Is the time moving? (DOMAIN.md section 7) Hand-worked books for the month edges, the
before / after date, the baseline's movement; property tests against plain recounts."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms import followthrough, windows
from alms.analysis import assign
from alms.cli import main
from alms.pareto import Scope
from alms.prepared import prepare
from alms.reading.book import LoadError, rebase
from alms.reading.ingest import LoadOptions
from alms.settings import FollowThrough, Settings
from tests.helpers import book_of, csv_bytes

# Key at 80%: total 1,000, K1 + G1 = 900 >= 800: key K1, G1; S1, S2 secondary; P1 prospect.
NOW = """
id,owner,revenue
K1,Ann,700
G1,Bob,200
S1,Ann,50
S2,Bob,50
P1,Bob,0
"""
ACTIVITIES = """
account,seller,date,type,duration
K1,Ann,2024-02-29,Call,60
P1,Bob,2024-03-15,Call,60
S2,Bob,2024-05-31,Meeting,120
S1,Ann,2024-06-01,Call,30
S2,Bob,2024-06-15,Call,30
S1,Ann,2024-06-16,Call,15
K1,Ann,2024-06-30,Call,60
K1,Ann,2024-07-01,Call,600
"""
AS_OF = date(2024, 6, 30)
# Baseline: total 1,000, K1 + S1 = 800 >= 800: key K1, S1 (threshold 300); G1 (potential
# 1,000 >= 300) a growth candidate; X1 secondary, gone since.
THEN = """
id,owner,revenue,potential
K1,Ann,500,
S1,Ann,300,
G1,Bob,100,1000
X1,Bob,100,
"""
THEN_ACTIVITIES = """
account,seller,date,type,duration
K1,Ann,2023-06-30,Call,60
X1,Bob,2023-05-01,Call,180
X1,Bob,2022-06-30,Call,999
"""


def now_result(**follow):
    book = book_of(NOW, ACTIVITIES, options=LoadOptions(as_of=AS_OF))
    return assign(prepare(book), Settings(follow=FollowThrough(**follow)))


def then_result():
    return assign(prepare(book_of(THEN, THEN_ACTIVITIES)), Settings())


def test_month_edges_and_a_month_without_hours() -> None:
    t = followthrough.trend(now_result(months=3))
    assert t.months == ["2024-04", "2024-05", "2024-06"]
    # Mar 15 is before the first month, Jul 1 after the as-of day; May 31 in May, Jun 1
    # and Jun 30 (the as-of day) in June; April has no hours: null shares, not 0
    assert t.hours.tolist() == pytest.approx([0.0, 2.0, 135 / 60])
    share = t.summary()["hours_share"]
    assert share["prospect"] == [None, 0.0, 0.0]
    assert share["secondary"][0] is None
    assert share["secondary"][1:] == pytest.approx([1.0, 75 / 135])
    assert share["key"][2] == pytest.approx(60 / 135)
    assert share["lead"] == [None, 0.0, 0.0]
    longer = followthrough.trend(now_result(), months=6)  # Jan-Jun: Feb 29 and Mar 15 in
    assert longer.hours.tolist() == pytest.approx([0.0, 1.0, 1.0, 0.0, 2.0, 135 / 60])


def test_a_sellers_trend_counts_the_hours_they_logged() -> None:
    result = now_result(months=3)
    bob = followthrough.trend(result, scope=Scope("owner", "Bob"))  # the hours Bob logged
    assert bob.hours.tolist() == pytest.approx([0.0, 2.0, 0.5])
    assert followthrough.trend(result, scope=Scope("owner", "Nobody")).hours.sum() == 0


def test_before_and_after_a_date() -> None:
    ba = followthrough.before_after(now_result(since=date(2024, 6, 15)))
    assert ba is not None
    # L = 15 days: before = (31 May, 15 Jun] holds Jun 1 and Jun 15 (S itself), not May 31;
    # after = (15 Jun, 30 Jun] holds Jun 16 (S + 1) and Jun 30
    out = ba.summary()
    assert out["since"] == "2024-06-15" and out["days"] == 15
    assert out["before"]["hours"] == pytest.approx(1.0)
    assert out["before"]["hours_share"] == {
        "key": 0.0,
        "secondary": 1.0,
        "prospect": 0.0,
        "lead": 0.0,
    }
    assert out["after"]["hours"] == pytest.approx(1.25)
    assert out["after"]["hours_share"]["key"] == pytest.approx(0.8)
    sellers = ba.per_seller()
    assert sellers["seller"].tolist() == ["Ann", "Bob"]
    assert sellers["key change (points)"].iloc[0] == pytest.approx(80.0)
    assert sellers["moved"].tolist() == ["towards key", "only one side"]
    assert ba.headline() == (
        "After 15 Jun 2024, secondary accounts took 20% of hours, down from 100%; "
        "1 of 1 sellers moved towards key accounts, 0 went the other way"
    )


def test_no_before_after_without_a_date_or_past_the_as_of_date() -> None:
    assert followthrough.before_after(now_result()) is None
    assert followthrough.before_after(now_result(since=AS_OF)) is None


def test_movement_against_an_earlier_export() -> None:
    move = followthrough.movement(now_result(), then_result())
    out = move.summary()
    assert out["baseline_as_of"] == "2023-06-30" and out["as_of"] == "2024-06-30"
    t = out["transitions"]
    assert t["key"] == {"key": 1, "secondary": 1, "prospect": 0, "lead": 0, "absent": 0}
    assert t["secondary"] == {"key": 1, "secondary": 0, "prospect": 0, "lead": 0, "absent": 1}
    assert t["absent"] == {"key": 0, "secondary": 1, "prospect": 1, "lead": 0}
    assert (
        t["prospect"]
        == t["lead"]
        == dict.fromkeys(("key", "secondary", "prospect", "lead", "absent"), 0)
    )
    assert out["growth_became_key"] == 1
    # baseline window (30 Jun 2022, 30 Jun 2023]: K1 60 min, X1 180 (the line on 30 Jun
    # 2022 is out); now (30 Jun 2023, 30 Jun 2024]: key 120, secondary 195, prospect 60
    assert out["hours_share"]["baseline"] == pytest.approx(
        {"key": 0.25, "secondary": 0.75, "prospect": 0.0, "lead": 0.0}
    )
    assert out["hours_share"]["now"] == pytest.approx(
        {"key": 120 / 375, "secondary": 195 / 375, "prospect": 60 / 375, "lead": 0.0}
    )
    fell = move.fell_from_key
    assert fell["account_id"].tolist() == ["S1"]
    assert (fell["revenue then"].iloc[0], fell["revenue now"].iloc[0]) == (300, 50)
    assert move.growth_bets["account_id"].tolist() == ["G1"]
    assert move.lost["account_id"].tolist() == ["X1"]
    assert set(move.new_key["account_id"]) == {"G1"}
    flows = move.flows().set_index(["then", "now"])
    assert flows.loc[("secondary", "key"), "revenue now"] == 200
    assert followthrough.baseline_segments(move).tolist() == [
        "key",  # K1 (canonical order: revenue descending)
        "secondary",  # G1
        "key",  # S1
        "absent",  # S2
        "absent",  # P1
    ]


ORDERS = """
account,owner,date,amount
A1,Ann,2023-03-01,50
A1,Ann,2024-03-01,200
B1,Bob,2024-02-01,50
C1,Bob,2022-06-01,300
"""


def test_an_order_line_book_at_an_earlier_as_of_date() -> None:
    book = book_of(None, orders=ORDERS)
    then = rebase(book, date(2023, 3, 1))
    assert then.as_of == date(2023, 3, 1)
    assert any("B1" in w for w in then.warnings)  # its only line comes later: absent then
    move = followthrough.movement(
        assign(prepare(book), Settings()), assign(prepare(then), Settings())
    )
    t = move.summary()["transitions"]
    # now (1 Mar 2023, 1 Mar 2024]: A1 200 key, B1 50 secondary, C1 0 prospect;
    # then (1 Mar 2022, 1 Mar 2023]: C1 300 key (>= 280 of 350), A1 50 secondary
    assert t["key"]["prospect"] == 1
    assert t["secondary"]["key"] == 1
    assert t["absent"]["secondary"] == 1
    assert sum(sum(row.values()) for row in t.values()) == 3
    with pytest.raises(LoadError):
        rebase(book_of(NOW), date(2023, 1, 1))


def test_summary_keys_and_options(tmp_path: Path, capsys) -> None:
    files = {"now.csv": NOW, "act.csv": ACTIVITIES, "then.csv": THEN, "tact.csv": THEN_ACTIVITIES}
    for name, text in files.items():
        (tmp_path / name).write_bytes(csv_bytes(text))
    args = ["summary", "--accounts", str(tmp_path / "now.csv"), "--activities"]
    args += [str(tmp_path / "act.csv"), "--as-of", "2024-06-30", "--months", "3"]
    assert (
        main(
            [
                *args,
                "--since",
                "2024-06-15",
                "--baseline-accounts",
                str(tmp_path / "then.csv"),
                "--baseline-activities",
                str(tmp_path / "tact.csv"),
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["trend"]["months"] == ["2024-04", "2024-05", "2024-06"]
    assert out["before_after"]["days"] == 15
    assert out["movement"]["growth_became_key"] == 1
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert "before_after" not in out and "movement" not in out
    assert main([*args, "--since", "2024-07-01"]) == 2
    assert "must come before" in capsys.readouterr().err
    assert main([*args, "--baseline-as-of", "2023-06-30"]) == 2  # no order lines to rebase
    assert "order lines" in capsys.readouterr().err


# ---------------------------------------------------------------- properties

DAY0 = date(2023, 1, 1)
ids = st.sampled_from([f"A{i}" for i in range(8)])
activity = st.tuples(
    ids,
    st.integers(0, 540),
    st.sampled_from(["Call", "Visit", "Email"]),
    st.one_of(st.none(), st.integers(0, 300)),
)


def _book(accounts: dict[str, int], rows: list, as_of: date):
    acc = "id,owner,revenue\n" + "\n".join(
        f"{a},{'Ann' if i % 2 else 'Bob'},{r}" for i, (a, r) in enumerate(accounts.items())
    )
    act = "account,date,type,duration\n" + "\n".join(
        f"{a},{DAY0 + timedelta(days=d)},{t},{'' if m is None else m}"
        for a, d, t, m in rows
        if a in accounts
    )
    return book_of(acc, act if rows else None, options=LoadOptions(as_of=as_of))


snapshot = st.dictionaries(ids, st.integers(0, 1000), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    now=snapshot,
    then=snapshot,
    rows=st.lists(activity, max_size=40),
    months=st.sampled_from([3, 6, 12, 24]),
    as_of_day=st.integers(200, 540),
    since_back=st.integers(1, 200),
)
def test_properties(now, then, rows, months, as_of_day, since_back) -> None:
    as_of = DAY0 + timedelta(days=as_of_day)
    result = assign(prepare(_book(now, rows, as_of)), Settings())
    t = followthrough.trend(result, months)
    assert len(t.months) == months
    for month_share in t.share:
        assert np.isnan(month_share).all() or math.isclose(month_share.sum(), 1.0)
    # hours are conserved between the trend and the window of the same days
    wh = windows.hours(result.prepared, followthrough.trend_window(as_of, months), result.settings)
    assert t.hours.sum() == pytest.approx(wh.total)
    # ...and between the two sides of a date and the window of both
    since = as_of - timedelta(days=since_back)
    ba = followthrough.before_after(result, since)
    both = windows.Window(since - timedelta(days=since_back), as_of)
    total = windows.hours(result.prepared, both, result.settings).total
    side_hours = (ba.micro_before.sum() + ba.micro_after.sum()) / windows.MICRO_PER_HOUR
    assert side_hours == pytest.approx(total)
    # a recount of the after side, row by row, from the activities themselves
    minutes = {"Call": 15, "Visit": 180, "Email": 5}
    after = sum(
        (m if m is not None else minutes[ty])
        for a, d, ty, m in rows
        if a in now and since < DAY0 + timedelta(days=d) <= as_of
    )
    assert ba.micro_after.sum() / windows.MICRO_PER_HOUR == pytest.approx(after / 60)
    base = assign(prepare(_book(then, rows, as_of - timedelta(days=365))), Settings())
    counts = followthrough.movement(result, base).counts
    assert counts.sum() == len(set(now) | set(then))  # every account in one transition
    assert counts[followthrough.ABSENT, followthrough.ABSENT] == 0
    assert counts[:, followthrough.ABSENT].sum() == len(set(then) - set(now))
    assert counts[followthrough.ABSENT, :].sum() == len(set(now) - set(then))


def test_default_settings_travel() -> None:
    s = replace(Settings(), follow=FollowThrough(24, date(2024, 1, 1)))
    assert Settings.from_query(s.to_query()) == s


def test_the_comparison_and_the_presenter_step_follow_the_start_day() -> None:
    from alms import compare, story

    result = now_result(since=date(2024, 6, 15))
    table = compare.figures([("with", result), ("without", now_result())])
    rows = table.set_index("figure")
    # hand-worked above: secondary 100% of the 15 days before, 20% of the 15 after
    assert rows.loc["Hours on secondary, before the start day", "with"] == pytest.approx(1.0)
    assert rows.loc["Hours on secondary, after the start day", "with"] == pytest.approx(0.2)
    assert pd.isna(rows.loc["Hours on secondary, after the start day", "without"])
    step = next(s for s in story.STEPS if s.key == "follow")
    slide = step.build(result)
    assert slide.headline.startswith("After 15 Jun 2024, secondary accounts took 20% of hours")
    assert step.build(now_result()).headline.startswith("In 2024-06, secondary accounts took")


def test_a_shared_baseline_is_each_sessions_own_to_change() -> None:
    from alms.workspace import Shared

    shared = Shared.of(book_of(NOW, ACTIVITIES), None, book_of(THEN, THEN_ACTIVITIES))
    one, two = shared.session(), shared.session()
    assert one.movement().summary() == two.movement().summary()
    one.set_baseline(None)  # closes only that session's view of the shared baseline
    assert one.movement() is None
    assert two.movement().summary()["growth_became_key"] == 1
    two.set_baseline(book_of(NOW, ACTIVITIES))  # the book against itself: nothing moved
    counts = two.movement().counts
    assert counts.trace() == counts.sum() == 5
    assert shared.session().movement().summary()["growth_became_key"] == 1
    assert not shared.baseline.prepared.rev.flags.writeable  # frozen for every session
