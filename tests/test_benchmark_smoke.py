"""Smoke runs of the page rerun benchmark (`python -m benchmarks`) and the export
benchmark (`python -m benchmarks.exports`): they run on a small book and write their
JSON. Never timed: the figures' sizes and shapes are checked, not their speed."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import exports, reruns


def test_rerun_benchmark_runs_every_page_and_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "reruns.json"
    reruns.main(
        ["--sizes", "2000:20000", "--moves", "1", "--baseline-moves", "1", "--out", str(out)]
    )
    size = json.loads(out.read_text())["sizes"]["2k-20k"]
    assert size["accounts"] == 2000 and size["activities"] == 20_000
    for field in ("rerun_ms", "script_ms", "baseline_rerun_ms", "speedup", "verdicts"):
        assert set(size[field]) == set(reruns.MOVES), field
    # Every move ran its page (a page that raised stops the child) and took real time.
    assert all(ms > 0 for ms in size["rerun_ms"].values())
    # A chart page sent a figure, bounded however large the book.
    assert 0 < size["chart_bytes"]["matrix"] <= size["chart_bytes_max"]


def test_export_benchmark_writes_csv_and_excel_figures(tmp_path: Path) -> None:
    out = tmp_path / "exports.json"
    exports.main(["--rows", "200", "--out", str(out)])
    (size,) = json.loads(out.read_text())["sizes"]
    assert size["rows"] == 200
    assert size["csv_s"] > 0 and size["excel_s"] > 0
    assert size["cells"] % 200 == 0 and size["cells"] > 200  # several columns per row


def test_statement_profile_times_the_page_and_leaves_its_file_alone() -> None:
    from benchmarks import statements

    page = Path(reruns.APP).parent / reruns.MOVES["matrix"].page
    before = page.read_bytes()
    out = statements.main(["--size", "2000:20000", "--moves-per-page", "2", "matrix"])
    per = out["matrix"]["statements_ms"]
    assert out["matrix"]["move_ms"] > 0
    # the page's own statements, the shell's, and the run's ends are all there
    assert any(label.startswith("matrix.py:") for label in per)
    assert any(label.startswith("app.py:") for label in per)
    assert "(after the page)" in per and all(ms >= 0 for ms in per.values())
    assert page.read_bytes() == before  # instrumented in memory only
