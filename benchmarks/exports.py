"""Export benchmark: the Assignments downloads (CSV, Excel) against pandas' own writers.

    python -m benchmarks.exports            # 10k and 100k rows of the 100k-account book
    python -m benchmarks.exports --rows N   # one size

The frame is the Assignments download of the generated 100k-account book (the columns the
page offers), cut to the size. Baselines in the same run: pandas `to_excel` through
xlsxwriter (what `export.to_excel` used before) and a plain `to_csv` without the formula
defusing. Figures are printed and written to `benchmarks/results/exports-latest.json`.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from alms import export
from alms.export import EXCEL_DOWNLOAD_ROWS
from benchmarks.load import ROOT, ensure_book, machine

RESULTS = ROOT / "results" / "exports-latest.json"
COLUMNS = [
    "account_id", "account_name", "owner", "region", "industry", "segment", "band", "revenue",
    "hours_12m", "required_hours", "growth_candidate", "override", "status", "prospect_list",
]  # fmt: skip


def _frame() -> pd.DataFrame:
    from alms.reading.book import Upload, load
    from alms.workspace import Workspace

    folder = ensure_book(100_000, 1_000_000)
    book = load(
        Upload("accounts.csv", (folder / "accounts.csv").read_bytes()),
        Upload("activities.csv", (folder / "activities.csv").read_bytes()),
    )
    frame = Workspace.open(book).assignment().frame()
    return frame[[c for c in COLUMNS if c in frame.columns]]


def _pandas_excel(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        frame.to_excel(writer, index=False)
    return buf.getvalue()


def _seconds(fn: Callable[[], bytes]) -> tuple[float, int]:
    t0 = time.perf_counter()
    size = len(fn())
    return round(time.perf_counter() - t0, 2), size


def measure(frame: pd.DataFrame, rows: int) -> dict[str, Any]:
    part = frame.head(rows)
    csv_s, csv_bytes = _seconds(lambda: export.to_csv(part))
    xlsx_s, xlsx_bytes = _seconds(lambda: export.to_excel(part))
    plain_csv_s, _ = _seconds(lambda: part.to_csv(index=False).encode())
    pandas_xlsx_s, _ = _seconds(lambda: _pandas_excel(part))
    return {
        "rows": rows,
        "cells": rows * part.shape[1],
        "csv_s": csv_s,
        "csv_mb": round(csv_bytes / 1e6, 1),
        "baseline_plain_csv_s": plain_csv_s,
        "excel_s": xlsx_s,
        "excel_mb": round(xlsx_bytes / 1e6, 1),
        "baseline_pandas_excel_s": pandas_xlsx_s,
        "excel_speedup": round(pandas_xlsx_s / xlsx_s, 2) if xlsx_s else None,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows to export")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    frame = _frame()
    results = [measure(frame, n) for n in (args.rows or [10_000, 100_000])]
    print(f"{'rows':>8} {'csv s':>7} {'plain':>7} {'excel s':>8} {'pandas':>7} {'speedup':>8}")
    for r in results:
        print(
            f"{r['rows']:>8,} {r['csv_s']:>7.2f} {r['baseline_plain_csv_s']:>7.2f} "
            f"{r['excel_s']:>8.2f} {r['baseline_pandas_excel_s']:>7.2f} {r['excel_speedup']:>7}x"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "machine": machine(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "excel_download_rows": EXCEL_DOWNLOAD_ROWS,
        "sizes": results,
    }
    args.out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
