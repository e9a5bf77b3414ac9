"""Scenario files: today's envelope, the bare settings older versions wrote, and files
whose parts this version cannot use (named, the rest applied)."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from alms import scenarios
from alms.scenarios import Named
from alms.scorecard import default_for_sample
from alms.settings import Override, Settings, SettingsError

DATA = Path(__file__).parent / "data" / "scenarios"
SAMPLE = replace(Settings(), scorecard=default_for_sample())


def test_files_of_earlier_versions_load_with_their_values() -> None:
    """Real files written by ALMS releases before the envelope (tests/data/scenarios,
    made with those releases' own Settings.to_json)."""
    core = scenarios.read((DATA / "v1-2026-11-core.json").read_text(), SAMPLE, "core")
    assert not core.unused
    (only,) = core.scenarios
    assert only.name == "core"
    s = only.settings
    assert s.key.cumulative_pct == 70 and s.capacity_hours == 1000
    assert s.overrides == (Override("A00001", "key", "strategic logo"),)
    # absent parts (the scorecard did not exist yet) take the book's defaults
    assert s.scorecard == SAMPLE.scorecard and s.window == Settings().window

    p = scenarios.read((DATA / "v1-2026-11-prospects.json").read_text(), SAMPLE).scenarios[0]
    assert p.settings.key.rule == "count" and p.settings.key.count_pct == 25
    assert p.settings.never_prospect == ("A00002",)
    assert p.settings.prospects.leads_max == 8 and p.settings.service_tolerance_pct == 10

    card = scenarios.read((DATA / "v1-2026-11-scorecard.json").read_text(), SAMPLE)
    sc = card.scenarios[0].settings.scorecard
    assert [a.column for a in sc.attributes] == ["revenue", "potential"]
    assert sc.strategic.rule == "top_n" and sc.strategic.value == 25
    assert sc.attributes[1].missing == "median"

    t = scenarios.read((DATA / "v1-2026-12-time.json").read_text(), SAMPLE).scenarios[0]
    assert t.settings.window.months == 6
    assert (t.settings.at_risk.drop_pct, t.settings.at_risk.days) == (15, 60)


def test_todays_file_holds_several_named_scenarios_and_the_current_one() -> None:
    reading = scenarios.read((DATA / "v2-2026-12-workshop.json").read_text(), Settings())
    assert [s.name for s in reading.scenarios] == ["today", "70% cut, E cut"]
    assert reading.current == "70% cut, E cut" and not reading.unused
    today, cut = (s.settings for s in reading.scenarios)
    assert today == SAMPLE
    assert cut.key.cumulative_pct == 70 and cut.what_if.cells == ("E",)
    assert cut.matrix.aggravation_weight == 1


def test_dump_and_read_round_trip() -> None:
    items = [Named("a", SAMPLE), Named("b", Settings().with_key(rule="count"))]
    back = scenarios.read(scenarios.dump(items, "b"))
    assert back.scenarios == items and back.current == "b"


def test_parts_that_cannot_be_used_are_named_and_the_rest_applies() -> None:
    data = Settings().to_dict()
    data["key"]["cumulative_pct"] = 0  # out of range
    data["bands"]["thresholds"] = [5000, 100]  # not increasing
    data["seasonality"] = {"q4": 1.2}  # a setting of a newer ALMS
    data["capacity_hours"] = 900
    reading = scenarios.read(json.dumps(data), SAMPLE)
    s = reading.scenarios[0].settings
    assert s.capacity_hours == 900  # applied
    assert s.key == SAMPLE.key and s.bands == SAMPLE.bands  # kept at the defaults
    assert len(reading.unused) == 3
    text = " | ".join(reading.unused)
    assert "seasonality: not a setting" in text
    assert "key.cumulative_pct: should be greater than 0" in text
    assert "bands: band thresholds must be positive and strictly increasing" in text


def test_one_bad_scenario_of_several_is_named() -> None:
    good = Settings().with_key(cumulative_pct=60).to_dict()
    bad = Settings().to_dict() | {"capacity_hours": -5}
    text = json.dumps(
        {
            "format": scenarios.FORMAT,
            "version": 2,
            "scenarios": [
                {"name": "good", "settings": good},
                {"name": "bad", "settings": bad},
                {"name": "broken", "settings": "no"},
                {"name": "good", "settings": good},
            ],
        }
    )
    reading = scenarios.read(text)
    assert [s.name for s in reading.scenarios] == ["good", "bad", "good (2)"]
    assert reading.scenarios[1].settings.capacity_hours == Settings().capacity_hours
    assert any(
        u.startswith("bad: capacity_hours: should be greater than or equal to 0")
        for u in reading.unused
    )
    assert any(u.startswith("scenario 3: not a named set of settings") for u in reading.unused)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "a scenario file is a JSON object"),
        ('{"format": "other-tool", "version": 1}', "not an ALMS scenario file"),
        ('{"format": "alms-scenarios", "version": 99, "scenarios": []}', "from a newer ALMS"),
        ('{"format": "alms-scenarios", "version": 2, "scenarios": []}', "holds no scenarios"),
    ],
)
def test_what_is_no_scenario_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        scenarios.read(text)


def test_differences_name_each_changed_leaf() -> None:
    s = replace(Settings().with_key(cumulative_pct=70), capacity_hours=900.0)
    assert scenarios.differences(s, Settings()) == [
        "capacity_hours: 1200.0 -> 900.0",
        "key.cumulative_pct: 80.0 -> 70.0",
    ]
    assert scenarios.differences(Settings(), Settings()) == []
