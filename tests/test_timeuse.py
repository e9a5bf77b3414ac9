"""Where the hours go, and the key accounts at risk (DOMAIN.md section 5), by hand."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms import timeuse, windows
from alms.analysis import assign
from alms.cli import main
from alms.pareto import Scope
from alms.prepared import prepare
from alms.reading.ingest import LoadOptions
from alms.settings import AtRisk, Settings, TimeWindow
from tests.helpers import book_of

ACCOUNTS = """
id,owner,revenue,prior revenue,potential,prospect list,status
K1,Ann,600,750,,,
K2,Bob,300,376,,,
S1,Ann,60,0,400,,
S2,Bob,40,,100,,
T1,Ann,0,,,Target,Prospect
L1,Ann,0,,,,Lead
"""
ACTIVITIES = """
account,seller,date,type,duration
K1,Ann,2024-06-30,Call,30
K1,Ann,2023-06-30,Visit,180
K2,Bob,2024-04-01,Meeting,60
S1,Ann,2024-05-01,Email,
S1,Bob,2024-06-01,Meeting,120
S2,Bob,2024-01-15,Call,45
T1,Ann,2024-02-01,Visit,240
L1,Ann,2024-06-10,Call,10
K1,Ann,2024-07-05,Call,999
"""
AS_OF = date(2024, 6, 30)


def result_of(
    settings: Settings | None = None, activities: str | None = ACTIVITIES, accounts=ACCOUNTS
):
    book = book_of(accounts, activities, options=LoadOptions(as_of=AS_OF))
    return assign(prepare(book), settings or Settings())


def test_window_edges_and_segment_shares() -> None:
    # key: K1 600 + K2 300 = 900 >= 80% of 1,000. The window is (2023-06-30, 2024-06-30]:
    # K1's visit exactly a year before is out, its call on the as-of day in, and the
    # call of 5 July (after the as-of date) in no window.
    # minutes: K1 30, K2 60, S1 5 (blank email) + 120, S2 45, T1 240, L1 10 = 510
    s = timeuse.split(result_of())
    assert s.window == windows.Window(date(2023, 6, 30), AS_OF)
    seg = s.segments()
    assert seg["key"]["hours"] == pytest.approx(1.5)
    assert seg["key"]["hours_share"] == pytest.approx(90 / 510)
    assert seg["secondary"]["hours_share"] == pytest.approx(170 / 510)
    assert seg["prospect"]["hours_share"] == pytest.approx(240 / 510)
    assert seg["lead"]["hours_share"] == pytest.approx(10 / 510)
    assert seg["key"]["revenue_share"] == pytest.approx(0.9)
    assert seg["secondary"]["revenue_share"] == pytest.approx(0.1)
    assert s.hours.sum() == pytest.approx(8.5)
    # S1 (potential 400 >= the key threshold 300) is a growth candidate, S2 is not
    assert s.frame().set_index("group")["hours"].to_dict() == pytest.approx(
        {
            "key": 1.5,
            "secondary: growth candidates": 125 / 60,
            "secondary: other": 0.75,
            "target prospects": 4.0,
            "extra prospects": 0.0,
            "other prospects": 0.0,
            "leads": 1 / 6,
        }
    )
    assert s.headline().startswith("33% of hours go to secondary accounts that bring 10%")


def test_a_seller_is_counted_for_the_hours_they_logged() -> None:
    r = result_of()
    ann = timeuse.split(r, Scope("owner", "Ann"))
    # Ann logged K1 30, S1 5, T1 240, L1 10 = 285 min (Bob's 120 on her S1 are Bob's)
    assert ann.hours.sum() == pytest.approx(285 / 60)
    assert ann.revenue.sum() == pytest.approx(660)  # she owns K1 600 and S1 60
    sellers = timeuse.by_seller(r).set_index("seller")
    assert sellers.loc["Bob", "hours"] == pytest.approx(225 / 60)  # K2 60, S1 120, S2 45
    # gap = half the sum of |hours share - revenue share| over the groups:
    # key 30/285 vs 600/660, growth 5/285 vs 60/660, target 240/285 vs 0, leads 10/285 vs 0
    expected = 0.5 * (abs(30 / 285 - 600 / 660) + abs(5 / 285 - 60 / 660) + 240 / 285 + 10 / 285)
    assert sellers.loc["Ann", "gap"] == pytest.approx(expected)
    assert sellers.index[0] == "Ann"  # the largest gap first


def test_shorter_and_custom_windows() -> None:
    three = result_of(replace(Settings(), window=TimeWindow(3)))
    s = timeuse.split(three)
    # after 2024-03-30: K1 30, K2 60 (1 April), S1 125, L1 10; S2 (January), T1 (February) out
    assert s.window.after == date(2024, 3, 30)
    assert s.micro.sum() / windows.MICRO_PER_HOUR == pytest.approx(225 / 60)
    custom = replace(Settings(), window=TimeWindow(None, date(2024, 6, 1), date(2024, 9, 30)))
    s = timeuse.split(result_of(custom))
    # both days included, ended at the as-of date: S1 120 (1 June), L1 10, K1 30
    assert (s.window.first_day, s.window.until) == (date(2024, 6, 1), AS_OF)
    assert s.hours.sum() == pytest.approx(160 / 60)


def test_months_are_clipped_to_the_month_end() -> None:
    assert windows.months_before(date(2024, 5, 31), 3) == date(2024, 2, 29)
    assert windows.months_before(date(2023, 5, 31), 3) == date(2023, 2, 28)
    assert windows.months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert windows.months_before(date(2024, 1, 15), 6) == date(2023, 7, 15)


def test_at_risk_on_both_boundaries() -> None:
    r = result_of()
    risk = timeuse.risk(r)
    ids = r.prepared.frame["account_id"].to_numpy()
    # K1: 600 = 750 x 0.8 is not below it, and it was called on the as-of day: safe.
    # K2: 300 < 376 x 0.8 = 300.8 (falling); its last contact, 1 April, is exactly
    # as-of - 90 days: not after it, so no contact.
    assert ids[risk.falling].tolist() == ["K2"]
    assert ids[risk.no_contact].tolist() == ["K2"]
    table = timeuse.at_risk_table(r)
    assert table["reasons"].tolist() == ["falling revenue + no contact"]
    assert table["last_contact"].iloc[0] == np.datetime64("2024-04-01")
    # 91 days: 1 April is after as-of - 91 days = 31 March: contacted
    r91 = result_of(replace(Settings(), at_risk=AtRisk(days=91)))
    assert timeuse.at_risk_summary(r91) == {
        "count": 1, "falling": 1, "no_contact": 0, "revenue": 300.0, "accounts": ["K2"],
    }  # fmt: skip
    # a 25% drop: 300 < 376 x 0.75 = 282 is false
    r25 = result_of(replace(Settings(), at_risk=AtRisk(drop_pct=25, days=91)))
    assert timeuse.at_risk_summary(r25)["count"] == 0


def test_without_activities_or_prior_half_the_rule_cannot_run() -> None:
    no_acts = result_of(activities=None)
    summary = timeuse.at_risk_summary(no_acts)
    assert summary["no_contact"] is None and summary["accounts"] == ["K2"]  # falling only
    no_prior = ACCOUNTS.replace("prior revenue", "notes")
    risk = timeuse.risk(result_of(accounts=no_prior))
    assert not risk.can_fall and not risk.falling.any()
    assert risk.no_contact.sum() == 1  # K2, still


def test_target_prospects_follow_the_prospecting_programme() -> None:
    r = result_of()
    ids = r.prepared.frame["account_id"].tolist()
    req = dict(zip(ids, r.required_hours.tolist(), strict=True))
    assert req["T1"] == 12.0  # 12 x 30 + 2 x 180 minutes
    assert req["L1"] == 0.0
    over, _ = r.served
    served = dict(zip(ids, over.tolist(), strict=True))
    # T1's 4 hours are under its 12, not over-service of the Zero band
    assert not served["T1"] and served["L1"]  # a lead requires nothing: 10 min is over
    sinks = timeuse.time_sinks(r)
    # every one but T1 requires 0 (band "up to 10K", or a lead): S1 2.08 h, K2 1, S2 0.75, ...
    assert sinks["account_id"].tolist() == ["S1", "K2", "S2", "K1", "L1"]
    s1 = sinks.iloc[0]
    assert s1["excess_hours"] == pytest.approx(125 / 60)
    assert s1["roti"] == pytest.approx(60 / (125 / 60))


def test_activity_mix_and_roti_without_hours() -> None:
    r = result_of()
    mix = timeuse.activity_mix(r)
    assert mix.loc["target prospects", "visit"] == pytest.approx(4.0)
    assert mix.loc["key", "meeting"] == pytest.approx(1.0)
    assert mix.to_numpy().sum() == pytest.approx(8.5)
    roti = timeuse.roti(result_of(activities=None))
    assert np.isnan(roti).all()  # no time spent: no ROTI, never infinity


def test_summary_time_and_at_risk(tmp_path: Path, capsys) -> None:
    acc, act = tmp_path / "a.csv", tmp_path / "b.csv"
    acc.write_text(ACCOUNTS.strip() + "\n")
    act.write_text(ACTIVITIES.strip() + "\n")
    args = ["summary", "--accounts", str(acc), "--activities", str(act), "--as-of", "2024-06-30"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["time"]["window"] == ["2023-07-01", "2024-06-30"]
    assert out["time"]["hours_total"] == 8.5
    assert out["time"]["segments"]["lead"]["hours"] == pytest.approx(1 / 6)
    assert out["at_risk"]["accounts"] == ["K2"] and out["at_risk"]["falling"] == 1
    assert out["as_of"] == "2024-06-30"


# ---------------------------------------------------------------- properties

activity = st.tuples(
    st.sampled_from(["K1", "K2", "S1", "S2", "T1", "L1"]),
    st.sampled_from(["Ann", "Bob", "Cy"]),
    st.dates(date(2023, 1, 1), date(2024, 8, 1)),
    st.sampled_from(["Call", "Email", "Visit", "Meeting", "Task"]),
    st.one_of(st.none(), st.integers(0, 300)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(activity, min_size=1, max_size=25), st.sampled_from([3, 6, 12]))
def test_hours_add_up_and_shares_stay_in_range(rows, months) -> None:
    text = "account,seller,date,type,duration\n" + "\n".join(
        f"{a},{s},{d.isoformat()},{t},{'' if m is None else m}" for a, s, d, t, m in rows
    )
    r = result_of(replace(Settings(), window=TimeWindow(months)), activities=text)
    s = timeuse.split(r)
    window = s.window
    defaults = {"Call": 15, "Email": 5, "Visit": 180, "Meeting": 60, "Task": 30}
    minutes = sum(
        defaults[t] if m is None else m
        for _, _, d, t, m in rows
        if window.after < d <= window.until
    )
    assert s.hours.sum() == pytest.approx(minutes / 60)  # a plain recount
    assert sum(v["hours"] for v in s.segments().values()) == pytest.approx(minutes / 60)
    shares = s.hours_share
    assert ((shares >= 0) & (shares <= 1)).all()
    assert shares.sum() == pytest.approx(1.0 if minutes else 0.0)
    by_seller = timeuse.by_seller(r)
    assert by_seller["hours"].sum() == pytest.approx(minutes / 60)
