"""The Settings schema refuses wrong values at the boundary, naming the field.

Every value below once passed `from_json`/`from_query` and then broke a page inside
`assign` (or was silently read as something else).
"""

import base64
import json
import zlib
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alms.settings import Attribute, Scorecard, Settings, SettingsError, Strategic


@pytest.mark.parametrize(
    ("scenario", "field"),
    [
        ({"exclude_above": "x"}, "exclude_above"),
        ({"key": {"cumulative_pct": "abc"}}, "key.cumulative_pct"),
        ({"growth_factor": "nan"}, "growth_factor"),
        ({"growth_factor": float("inf")}, "growth_factor"),
        ({"key": {"within": "team"}}, "key.within"),  # was read as "owner"
        ({"key": {"cumulative_pct": 0}}, "key.cumulative_pct"),
        ({"key": {"count_pct": 101}}, "key.count_pct"),
        ({"capacity_hours": -5}, "capacity_hours"),
        ({"minutes_per_type": {"call": -1}}, "minutes_per_type"),
        ({"minutes_per_type": {"fax": 3}}, "minutes_per_type"),
        ({"prospects": {"target_min": 12}}, "prospects"),  # min 12 > max 10
        ({"overrides": [{"account_id": "A", "segment": "vip"}]}, "overrides.segment"),
        ({"bands": {"thresholds": [100, 10]}}, "bands"),
        ({"bands": {"thresholds": [0, 10, 100, 1000]}}, "bands.thresholds"),
        ({"unknown_knob": 1}, "unknown_knob"),
        (
            {"scorecard": {"attributes": [{"column": "NPS", "scale": "fixed", "lo": 5, "hi": 1}]}},
            "NPS",
        ),
        ({"scorecard": {"attributes": [{"column": "NPS", "weight": -1}]}}, "weight"),
        ({"scorecard": {"strategic": {"rule": "top_pct", "value": 150}}}, "strategic"),
        ({"scorecard": {"strategic": {"rule": "top_n", "value": 2.5}}}, "strategic"),
        ({"scorecard": {"population": "everyone"}}, "scorecard.population"),
    ],
)
def test_a_wrong_value_is_refused_naming_its_field(scenario: dict, field: str) -> None:
    with pytest.raises(SettingsError, match=field.replace(".", r"\.")):
        Settings.from_dict(scenario)
    token = base64.urlsafe_b64encode(zlib.compress(json.dumps(scenario).encode())).decode()
    with pytest.raises(SettingsError, match=field.replace(".", r"\.")):
        Settings.from_query(token.rstrip("="))


def test_a_slider_copy_is_checked_too() -> None:
    with pytest.raises(ValueError, match="cumulative_pct"):
        Settings().with_key(cumulative_pct=-3)
    with pytest.raises(ValueError, match="growth_factor"):
        replace(Settings(), growth_factor=float("nan"))


def test_partial_scenarios_keep_the_defaults_and_round_trip() -> None:
    s = Settings.from_dict({"minutes_per_type": {"call": 20}, "key": {"count_pct": 25}})
    assert s.minutes("call") == 20 and s.minutes("visit") == 180
    assert s.key.count_pct == 25 and s.key.cumulative_pct == 80
    card = Scorecard(
        strategic=Strategic("top_n", 5),
        attributes=(
            Attribute("revenue", weight=40),
            Attribute("Exec access (1-5)", "future", 20, "fixed", 1, 5, missing="median"),
        ),
    )
    with_card = replace(s, scorecard=card)
    assert Settings.from_json(with_card.to_json()) == with_card
    assert Settings.from_query(with_card.to_query()) == with_card
    assert json.loads(Settings().to_json())["scorecard"] is None


def test_weights_all_zero_or_duplicate_columns_are_refused() -> None:
    with pytest.raises(ValueError, match="weight above 0"):
        Scorecard(attributes=(Attribute("a", weight=0), Attribute("b", weight=0)))
    with pytest.raises(ValueError, match="one attribute only"):
        Scorecard(attributes=(Attribute("NPS"), Attribute(" nps ")))


_leaf = st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=6)
_json = st.recursive(
    _leaf,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["rule", "value", "column", "attributes", "x"]), inner)
    ),
    max_leaves=6,
)
_keys = st.sampled_from(
    ["key", "bands", "growth_factor", "exclude_above", "scorecard", "minutes_per_type", "overrides"]
)


@given(st.dictionaries(_keys, _json, max_size=4))
def test_random_scenarios_either_load_or_raise_settings_error(data: dict) -> None:
    try:
        s = Settings.from_dict(data)
    except SettingsError:
        return
    assert Settings.from_json(s.to_json()) == s


@given(
    st.text(max_size=60)
    | st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode())
)
def test_random_tokens_either_load_or_raise_settings_error(token: str) -> None:
    try:
        s = Settings.from_query(token)
    except SettingsError:
        return
    assert isinstance(s, Settings)  # any other exception fails the test
