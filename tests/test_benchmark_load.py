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
    usable = figures["alms_load_s"] + figures["prepare_s"]  # each rounded to the ms
    assert abs(figures["usable_s"] - usable) <= 0.002
    ratio = figures["usable_s"] / figures["floor_read_group_by_s"]
    assert abs(figures["ratio_usable_vs_floor"] - ratio) <= 0.01 * ratio + 0.01
    assert figures["duckdb_groups"] == pairs > 2000  # several types per account
    assert figures["peak_rss_mb_alms"] > 0
    labels = [step["step"] for step in figures["steps"]]
    assert labels[0] == "Reading accounts.csv" and labels[-1] == "Prepared"
    assert any(label.startswith("Checking 20,000 activities") for label in labels)


def test_load_benchmark_reads_the_same_book_as_parquet(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    size = ["--accounts", "2000", "--activities", "20000"]
    load.main([*size, "--format", "parquet", "--out", str(out)])
    sizes = json.loads(out.read_text())["sizes"]
    figures = sizes["2k-20k parquet"]
    assert figures["format"] == "parquet"
    # The same rows accepted as from the CSV files, counted independently.
    acts = pd.read_csv(load.DATA / "2k-20k" / "activities.csv")
    assert figures["counts"]["activities"]["accepted"] == len(acts)
    assert figures["duckdb_groups"] == acts.groupby(["Account ID", "Type"]).ngroups
