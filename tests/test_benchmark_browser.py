"""A smoke run of `python -m benchmarks.browser` (never timed): the floor app and one
ALMS page driven in Chromium, their figures written as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import browser

pytestmark = pytest.mark.browser


def test_browser_benchmark_runs_and_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "browser.json"
    browser.main(["--pages", "Key accounts (Pareto)", "--moves", "2", "--out", str(out)])
    doc = json.loads(out.read_text())
    assert len(doc["floor"]["samples_ms"]) == 2
    assert len(doc["frozen_floor"]["samples_ms"]) == 2
    page = doc["pages"]["Key accounts (Pareto)"]
    assert len(page["samples_ms"]) == 2 and all(ms > 0 for ms in page["samples_ms"])
    for floor in ("floor", "frozen_floor"):
        assert page[f"ratio_to_{floor}"] == round(page["median_ms"] / doc[floor]["median_ms"], 2)
    assert doc["page_errors"] == []


@pytest.mark.parametrize(("mode", "frozen"), [("frozen", True), ("", False)])
def test_the_frozen_floor_freezes_its_objects_and_the_bare_one_does_not(
    mode: str, frozen: bool
) -> None:
    # Run outside Streamlit's server (bare mode) in a fresh interpreter, so that the
    # freeze is the floor app's own and not this process's.
    code = (
        "import gc, runpy; runpy.run_path('benchmarks/floor_app.py'); print(gc.get_freeze_count())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, "ALMS_FLOOR": mode},
        capture_output=True,
        text=True,
        check=True,
    )
    count = int(done.stdout.split()[-1])
    assert (count > 1000) is frozen and (count == 0) is not frozen
