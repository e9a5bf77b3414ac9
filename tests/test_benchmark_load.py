"""A smoke run of `python -m benchmarks.load` (never timed): a small generated book
through ALMS and through the bare DuckDB floor (read_csv, then GROUP BY), figures
written as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from benchmarks import load


def test_load_benchmark_runs_and_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    load.main(["--accounts", "2000", "--activities", "20000", "--out", str(out)])
    figures = json.loads(out.read_text())["sizes"]["2k-20k"]

    # Every generated row accepted, counted independently from the CSV files.
    folder = load.DATA / "2k-20k"
    acts = pd.read_csv(folder / "activities.csv")
    assert figures["counts"]["activities"]["accepted"] == len(acts) == 20_000
    assert figures["counts"]["accounts"]["accepted"] == 2000

    # The floor's GROUP BY ran over the same rows: one group per (account, type) pair.
    pairs = acts.groupby(["Account ID", "Type"], dropna=False).ngroups
    assert figures["floor_read_group_by_s"] > figures["duckdb_read_csv_s"] > 0
    usable = figures["alms_load_s"] + figures["prepare_s"]
    assert figures["usable_s"] == round(usable, 3)
    assert figures["ratio_usable_vs_floor"] == round(usable / figures["floor_read_group_by_s"], 2)
    assert figures["duckdb_groups"] == pairs > 2000  # several types per account
    assert figures["peak_rss_mb_alms"] > 0
