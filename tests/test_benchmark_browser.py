"""A smoke run of `python -m benchmarks.browser` (never timed): the floor app and one
ALMS page driven in Chromium, their figures written as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import browser

pytestmark = pytest.mark.browser


def test_browser_benchmark_runs_and_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "browser.json"
    browser.main(["--pages", "Key accounts (Pareto)", "--moves", "2", "--out", str(out)])
    doc = json.loads(out.read_text())
    assert len(doc["floor"]["samples_ms"]) == 2
    page = doc["pages"]["Key accounts (Pareto)"]
    assert len(page["samples_ms"]) == 2 and all(ms > 0 for ms in page["samples_ms"])
    assert page["ratio_to_floor"] == round(page["median_ms"] / doc["floor"]["median_ms"], 2)
    assert doc["page_errors"] == []
