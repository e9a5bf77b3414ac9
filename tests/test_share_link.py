"""Share links: the settings travel in the URL, never the book's data."""

import base64
import json
import zlib

import pytest
from streamlit.testing.v1 import AppTest

from alms.settings import Bands, Override, Settings
from tests.test_app_pages import APP, key_count, metric, sample_accounts


def token_of(data: dict) -> str:
    """A token built by hand: deflated compact JSON, base64url without padding."""
    packed = zlib.compress(json.dumps(data).encode())
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def test_token_carries_the_changed_settings_and_no_accounts() -> None:
    assert Settings().to_query() == ""
    s = Settings(
        bands=Bands().with_thresholds((20_000, 100_000, 1_000_000, 5_000_000)),
        overrides=(Override("A00042", "key", "strategic logo"),),
        never_prospect=("A00077",),
        count_zero_revenue=True,
    ).with_key(rule="count", count_pct=25)
    token = s.to_query()
    decoded = json.loads(zlib.decompress(base64.urlsafe_b64decode(token + "==")))
    assert set(decoded) == {"key", "bands", "count_zero_revenue"}  # only what differs
    assert "A00042" not in json.dumps(decoded) and "A00077" not in json.dumps(decoded)
    back = Settings.from_query(token)
    assert back == Settings(
        bands=s.bands, count_zero_revenue=True, key=s.key
    )  # the same, without the account-level choices


def test_a_hand_built_token_is_read() -> None:
    s = Settings.from_query(token_of({"key": {"cumulative_pct": 70}, "capacity_hours": 900}))
    assert s.key.cumulative_pct == 70 and s.capacity_hours == 900
    assert s.key.rule == "cumulative"  # absent fields keep their defaults


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("not*base64", "not readable"),
        (base64.urlsafe_b64encode(b"plain text").decode(), "not readable"),
        (token_of([1, 2]), "not a set of settings"),
        (token_of({"key": {"cutoff": 80}}), "unknown setting"),
        ("A" * 5_000, "too long"),
        # 10 MB of spaces deflate to ~10 KB of token: refused before it is inflated whole
        (
            base64.urlsafe_b64encode(zlib.compress(b" " * 200_000, 9)).decode(),
            "too large",
        ),
    ],
)
def test_bad_tokens_are_refused_with_a_reason(token: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_query(token)


def test_opening_a_link_applies_its_settings_and_the_url_follows() -> None:
    rows = sample_accounts()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["s"] = Settings().with_key(cumulative_pct=70).to_query()
    at.run()
    at.switch_page("views/pareto.py").run()
    assert not at.exception
    assert at.slider(key="set.key.cum").value == 70
    assert metric(at, "Key accounts") == f"{key_count(rows, 70):,}"
    at.slider(key="set.key.cum").set_value(90.0).run()
    assert Settings.from_query(at.query_params["s"]).key.cumulative_pct == 90


def test_a_broken_link_falls_back_to_the_defaults() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["s"] = "garbage!"
    at.run()
    assert any("could not be used" in t.value for t in at.toast)
    assert "s" not in at.query_params  # the URL follows the settings: the defaults
    at.switch_page("views/pareto.py").run()
    assert not at.exception
    assert at.slider(key="set.key.cum").value == 80
