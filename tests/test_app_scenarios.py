"""AppTest of the Scenarios page: save, change, save again, compare, switch back, and the
sidebar's scenario file, against plain recounts of the sample file."""

import json

from streamlit.testing.v1 import AppTest

from tests.test_app_pages import key_count, metric, open_box, open_page, sample_accounts
from views.common import SCENARIO_OPEN, SHARE_OPEN


def save_as(at: AppTest, name: str) -> None:
    at.switch_page("views/scenarios.py").run()
    at.text_input[0].set_value(name)
    next(b for b in at.button if b.label == "Save as scenario").click().run()
    assert not at.exception


def figure_row(at: AppTest, figure: str) -> dict:
    table = at.dataframe[0].value
    return table[table["figure"] == figure].iloc[0].to_dict()


def test_save_compare_and_switch() -> None:
    rows = sample_accounts()
    at = open_page("views/scenarios.py")
    assert any("No scenario saved yet" in i.value for i in at.info)
    save_as(at, "today")
    at.switch_page("views/pareto.py").run()
    at.slider(key="set.key.cum").set_value(70.0).run()
    save_as(at, "70% cut")
    assert [m.value for m in at.markdown if m.value.startswith("**70% cut**")] == [
        "**70% cut** · *current*"
    ]
    # the default comparison: the saved scenarios (the current settings are one of them)
    assert at.multiselect(key="view.compare").value == ["today", "70% cut"]
    at.multiselect(key="view.compare").set_value(["today", "70% cut"]).run()
    assert not at.exception
    row = figure_row(at, "Key accounts")
    assert (row["today"], row["70% cut"]) == (
        f"{key_count(rows, 80):,}",
        f"{key_count(rows, 70):,}",
    )
    assert row["differs"] == "●"
    assert figure_row(at, "Band Zero")["differs"] == ""
    labels = {b.label for b in at.get("download_button")}
    assert {
        "Download report: the settings on screen (HTML)",
        "Download report: today vs 70% cut (Excel)",
        "Download all scenarios (JSON)",
    } <= labels
    # between 80% and 70% only key accounts become secondary
    at.session_state["view.compare_tab"] = "Accounts that move"
    at.run()
    moved = key_count(rows, 80) - key_count(rows, 70)
    assert any(m.value.startswith(f"**{moved:,} accounts** change segment") for m in at.markdown)

    # switch back to "today": the pages follow
    use = [b for b in at.button if b.label == "Use"]
    use[0].click().run()
    assert not at.exception
    at.switch_page("views/pareto.py").run()
    assert metric(at, "Key accounts") == f"{key_count(rows, 80):,}"
    assert at.slider(key="set.key.cum").value == 80


def test_a_file_of_several_scenarios_joins_the_session() -> None:
    rows = sample_accounts()
    at = open_page("views/pareto.py")
    base = {"key": {"rule": "cumulative", "cumulative_pct": 60}}
    text = json.dumps(
        {
            "format": "alms-scenarios",
            "version": 2,
            "current": "sixty",
            "scenarios": [
                {"name": "sixty", "settings": base},
                {"name": "bad part", "settings": {"capacity_hours": -1, "future_knob": 1}},
            ],
        }
    ).encode()
    open_box(at, SCENARIO_OPEN)
    at.sidebar.file_uploader[0].set_value(("w.json", text, "application/json")).run()
    assert not at.exception
    assert metric(at, "Key accounts") == f"{key_count(rows, 60):,}"
    warning = " ".join(w.value for w in at.sidebar.warning)
    assert "capacity_hours: should be greater than or equal to 0" in warning
    assert "future_knob: not a setting" in warning
    assert at.sidebar.selectbox[0].options == ["sixty", "bad part"]
    at.sidebar.selectbox[0].set_value("bad part").run()
    assert metric(at, "Key accounts") == f"{key_count(rows, 80):,}"


def test_presenter_mode_walks_every_step() -> None:
    from alms import story

    rows = sample_accounts()
    at = open_page("views/present.py")
    assert at.query_params["step"] == "pareto"
    first = [h.proto.body for h in at.get("html")]
    assert any(f"{key_count(rows, 80):,} key accounts" in h for h in first)
    for i, step in enumerate(story.STEPS[1:], start=2):
        next(b for b in at.button if b.label == "Next").click().run()
        assert not at.exception
        assert at.query_params["step"] == step.key
        assert any(f"Step {i} of {len(story.STEPS)}" in h.proto.body for h in at.get("html"))
    assert next(b for b in at.button if b.label == "Next").disabled
    next(b for b in at.button if b.label == "Previous").click().run()
    assert at.query_params["step"] == story.STEPS[-2].key
    # the sidebar's share link carries the step on screen (and the settings)
    assert not at.sidebar.code  # built only while its box is open
    open_box(at, SHARE_OPEN)
    (link,) = [c.value for c in at.sidebar.code]
    assert link == f"?step={story.STEPS[-2].key}"
    at.switch_page("views/pareto.py").run()
    assert "step" not in at.query_params
    open_box(at, SHARE_OPEN)  # (a browser keeps it open across pages: lazy_box)
    (link,) = [c.value for c in at.sidebar.code]
    assert "step" not in link


def test_a_session_file_continues_the_workshop_in_another_session() -> None:
    from alms import session_file

    rows = sample_accounts()
    at = open_page("views/pareto.py")
    at.slider(key="set.key.cum").set_value(70.0).run()
    save_as(at, "seventy")
    at.switch_page("views/pareto.py").run()
    at.slider(key="set.key.cum").set_value(90.0).run()  # on screen, not saved
    ws = at.session_state["alms_workspace"]
    named, current = ws.to_keep()
    data = session_file.dump(ws.book, named, current)
    other = open_page("views/data.py")
    other.file_uploader(key="upload_session").set_value(("s.zip", data, "application/zip")).run()
    assert not other.exception
    assert any("Continued from s.zip" in s.value for s in other.success)
    other.switch_page("views/pareto.py").run()
    assert metric(other, "Key accounts") == f"{key_count(rows, 90):,}"  # as on screen
    open_box(other, SCENARIO_OPEN)
    assert other.sidebar.selectbox[0].options == ["seventy", "on screen"]
    other.sidebar.selectbox[0].set_value("seventy").run()
    assert metric(other, "Key accounts") == f"{key_count(rows, 70):,}"
