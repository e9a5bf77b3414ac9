"""AppTest of the "Where the hours go" page on the sample book, against a plain-Python
recount of the sample files (DOMAIN.md section 5)."""

import csv
from datetime import date, timedelta
from decimal import Decimal

from tests.test_app_pages import ROOT, key_count, metric, open_page, sample_accounts

DEFAULT_MINUTES = {"Call": 15, "Email": 5, "Meeting": 60, "Visit": 180}  # anything else: 30


def activities() -> list[dict]:
    with open(ROOT / "sample_data" / "activities.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def recount(days: int = 90, drop: Decimal = Decimal("0.2")) -> dict:
    accounts = sample_accounts()
    acts = activities()
    as_of = max(date.fromisoformat(a["Activity Date"]) for a in acts)
    start = as_of.replace(year=as_of.year - 1)  # the window: (start, as_of]
    customers = sorted(
        (r for r in accounts if r["rev"] > 0), key=lambda r: (-r["rev"], r["Account ID"])
    )
    key = {r["Account ID"] for r in customers[: key_count(accounts, 80)]}
    secondary = {r["Account ID"] for r in customers} - key
    minutes = {"key": 0.0, "secondary": 0.0, "all": 0.0}
    last: dict[str, date] = {}
    for a in acts:
        d = date.fromisoformat(a["Activity Date"])
        if d <= as_of:
            last[a["Account ID"]] = max(d, last.get(a["Account ID"], d))
        if not start < d <= as_of:
            continue
        m = (
            float(a["Duration (min)"])
            if a["Duration (min)"]
            else DEFAULT_MINUTES.get(a["Type"], 30)
        )
        minutes["all"] += m
        if a["Account ID"] in key:
            minutes["key"] += m
        elif a["Account ID"] in secondary:
            minutes["secondary"] += m
    revenue = sum(r["rev"] for r in customers)
    at_risk = 0
    for r in customers:
        if r["Account ID"] not in key:
            continue
        prior = Decimal(r["Prior Year Revenue"] or 0)
        falling = prior > 0 and r["rev"] < prior * (1 - drop)
        seen = last.get(r["Account ID"])
        quiet = seen is None or seen <= as_of - timedelta(days=days)
        at_risk += falling or quiet
    return {
        "hours": minutes["all"] / 60,
        "secondary_hours_share": minutes["secondary"] / minutes["all"],
        "secondary_revenue_share": float(
            sum(r["rev"] for r in customers if r["Account ID"] in secondary) / revenue
        ),
        "at_risk": at_risk,
    }


def test_headline_figures_and_the_at_risk_slider() -> None:
    expected = recount()
    at = open_page("views/timeuse.py")
    assert metric(at, "Hours in the window") == f"{expected['hours']:,.0f}"
    assert metric(at, "Secondary: share of hours") == f"{expected['secondary_hours_share']:.0%}"
    assert metric(at, "Secondary: share of revenue") == f"{expected['secondary_revenue_share']:.0%}"
    assert metric(at, "Key accounts at risk") == f"{expected['at_risk']:,}"
    at.session_state["view.time_tab"] = "Key accounts at risk"
    at.run()
    at.slider(key="set.risk.days").set_value(45).run()
    assert not at.exception
    assert metric(at, "Key accounts at risk") == f"{recount(days=45)['at_risk']:,}"
    table = next(d.value for d in at.dataframe if "reasons" in d.value.columns)
    assert len(table) == recount(days=45)["at_risk"]


def test_every_tab_scope_and_window_render() -> None:
    at = open_page("views/timeuse.py")
    for tab in ("Per seller", "Time sinks", "Activity mix", "Key accounts at risk"):
        at.session_state["view.time_tab"] = tab
        at.run()
        assert not at.exception, tab
    at.radio(key="set.window.months").set_value(3).run()
    three = float(metric(at, "Hours in the window").replace(",", ""))
    assert three < recount()["hours"]
    at.radio(key="set.window.months").set_value(0).run()  # custom: the last 3 months
    assert not at.exception
    assert float(metric(at, "Hours in the window").replace(",", "")) == three
    at.session_state["view.time_tab"] = "Per seller"
    at.radio(key="view.time_scope").set_value("owner").run()
    assert not at.exception
    sellers = next(d.value for d in at.dataframe if "gap" in d.value.columns)
    assert "Unassigned" not in sellers["seller"].tolist()
    assert sellers["gap"].is_monotonic_decreasing


def test_the_sidebar_shows_the_at_risk_count_on_every_page() -> None:
    n = recount()["at_risk"]
    at = open_page("views/pareto.py")
    assert any(f"{n:,} key accounts at risk" in link.label for link in at.get("page_link"))
