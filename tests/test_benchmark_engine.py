"""A smoke run of `python -m benchmarks.engine` (never timed): small books through the
file path, a DuckDB file and a real PostgreSQL, figures written as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import engine


def test_engine_benchmark_runs_and_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "engine.json"
    engine.main(
        ["--sizes", "2000:20000", "2000:60000", "--engines", "duckdb", "postgres",
         "--out", str(out)]
    )  # fmt: skip
    doc = json.loads(out.read_text())
    assert set(doc["sizes"]) == {"2k-20k", "2k-60k"}
    for size in doc["sizes"].values():
        for path in ("duckdb", "postgres"):
            # The same book whatever the path: accounts and per-table counts agree.
            assert size[path]["accounts"] == size["file"]["accounts"] == 2000
            assert size[path]["counts"] == size["file"]["counts"]
            assert size[path]["moved_bytes"] > 0 and size[path]["usable_s"] > 0
            # The per-day sums come after the usable book, and add bytes.
            assert size[path]["moved_with_days_bytes"] > size[path]["moved_bytes"]
    assert set(doc["moved_ratio_at_10x_activities"]) == {"duckdb", "postgres"}
    assert set(doc["moved_with_days_ratio_at_10x_activities"]) == {"duckdb", "postgres"}
