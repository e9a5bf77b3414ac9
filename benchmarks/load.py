"""Load benchmark: ALMS load / prepare / assign against a bare DuckDB `read_csv` and
DuckDB's own GROUP BY of the activities per account and type (the floor of a usable book).

    python -m benchmarks.load                     # 1,000,000 accounts / 10,000,000 activities
    python -m benchmarks.load --quick             # 100,000 accounts / 1,000,000 activities
    python -m benchmarks.load --accounts N --activities M
    python -m benchmarks.load --format parquet    # the same book as Parquet (what fits an upload)

The book is generated once per size by `alms.sample.generate_at_scale` into
`benchmarks/data/<size>/` (git-ignored) and reused afterwards. Every measurement runs in a
fresh Python process, so its peak RSS (`ru_maxrss`) is its own; imports are not timed.
Figures are printed and merged into `benchmarks/results/load-latest.json` under the size
(and the format, when not CSV), with the time and memory at each step of the load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
RESULTS = ROOT / "results" / "load-latest.json"
SEED = 7
FULL = (1_000_000, 10_000_000)
QUICK = (100_000, 1_000_000)
_MARKER = "book.json"  # written last: a folder without it holds an unfinished book


def size_label(n_accounts: int, n_activities: int) -> str:
    """ "1m-10m" for 1,000,000 accounts and 10,000,000 activities."""

    def short(n: int) -> str:
        for unit, name in ((1_000_000, "m"), (1_000, "k")):
            if n >= unit and n % unit == 0:
                return f"{n // unit}{name}"
        return str(n)

    return f"{short(n_accounts)}-{short(n_activities)}"


def peak_mb() -> float:
    """This process's peak resident set so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(pid: int | None = None, field: str = "VmRSS") -> float:
    """A process's resident set now, in MB (this process by default; Linux); NaN when
    the process has gone. `field` picks a part of it from /proc/PID/status: "RssAnon"
    is the memory the process itself holds (heaps), "RssFile" the pages of files it has
    mapped (libraries: the system may drop them at any time)."""
    try:
        status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    except OSError:
        return float("nan")
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- children


def _child_generate(folder: Path, n_accounts: int, n_activities: int) -> dict[str, Any]:
    from alms.sample import baseline_of, generate_at_scale, write_book

    t0 = time.perf_counter()
    accounts, activities = generate_at_scale(n_accounts, n_activities, seed=SEED)
    paths = write_book(accounts, activities, folder)
    # The same book a year earlier: the follow-through page's baseline.
    write_book(*baseline_of(accounts, activities, SEED), folder / "baseline")
    seconds = time.perf_counter() - t0
    meta = {
        "accounts": n_accounts,
        "activities": n_activities,
        "seed": SEED,
        "columns": _generator_columns(),
        "baseline": True,
        "bytes": {p.name: p.stat().st_size for p in paths},
    }
    (folder / _MARKER).write_text(json.dumps(meta, indent=1))
    return {"generate_s": seconds, "peak_rss_mb": peak_mb(), **meta}


def _child_alms(folder: Path, form: str) -> dict[str, Any]:
    from alms.analysis import assign
    from alms.prepared import prepare
    from alms.reading.book import Upload, load
    from alms.settings import Settings

    steps: list[dict[str, Any]] = []

    def progress(label: str, _fraction: float) -> None:
        """Each step of the load as it starts: the time and memory at that moment."""
        at = time.perf_counter() - t0
        steps.append({"step": label, "at_s": round(at, 2), "rss_mb": round(rss_mb())})

    t0 = time.perf_counter()
    accounts = Upload(f"accounts.{form}", (folder / f"accounts.{form}").read_bytes())
    activities = Upload(f"activities.{form}", (folder / f"activities.{form}").read_bytes())
    book = load(accounts, activities, progress=progress)
    t1 = time.perf_counter()
    rss_load = peak_mb()
    progress("Preparing", 1.0)
    prepared = prepare(book)
    t2 = time.perf_counter()
    rss_prepare = peak_mb()
    progress("Prepared", 1.0)
    result = assign(prepared, Settings())
    t3 = time.perf_counter()
    return {
        "alms_load_s": t1 - t0,
        "prepare_s": t2 - t1,
        "assign_ms": (t3 - t2) * 1000,
        "peak_rss_mb_load": rss_load,
        "peak_rss_mb_prepare": rss_prepare,
        "peak_rss_mb_alms": peak_mb(),
        "steps": steps,
        "counts": book.counts(),
        "segments": result.counts(),
    }


GROUP_BY = """
CREATE TABLE g AS
SELECT "Account ID", "Type", count(*) AS n, sum("Duration (min)") AS minutes,
       max("Activity Date") AS last_activity
FROM t GROUP BY ALL
"""
"""The bare floor of `prepare`: the activities summed per account and type by DuckDB
itself (what any tool must do to answer "where do the hours go"), materialised."""


def _child_duckdb(folder: Path, threads: int | None, form: str = "csv") -> dict[str, Any]:
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect(":memory:", config={"threads": threads} if threads else {})
    reader = "read_parquet" if form == "parquet" else "read_csv"
    for table, name in (("a", "accounts"), ("t", "activities")):
        path = str(folder / f"{name}.{form}")
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM {reader}(?)", [path])
    rows = [con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("a", "t")]
    seconds = time.perf_counter() - t0
    con.execute(GROUP_BY)
    groups = con.execute("SELECT count(*) FROM g").fetchall()[0][0]
    group_s = time.perf_counter() - t0 - seconds
    con.close()
    return {
        "seconds": seconds,
        "group_by_s": group_s,
        "groups": groups,
        "peak_rss_mb": peak_mb(),
        "rows": rows,
    }


def _child(argv: Sequence[str]) -> None:
    """Run one measurement and print its figures as one JSON line."""
    what, folder = argv[0], Path(argv[1])
    if what == "generate":
        out = _child_generate(folder, int(argv[2]), int(argv[3]))
    elif what == "alms":
        out = _child_alms(folder, argv[2])
    else:
        out = _child_duckdb(folder, int(argv[2]) or None, argv[3])
    print(json.dumps(out))


def _run_child(*args: object) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.load", "--child", *map(str, args)]
    path = [str(ROOT.parent), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT.parent)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark step {args[0]} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- parent


def _generator_columns() -> list[str]:
    """The generator's account headers: a book written by an older generator (fewer
    columns) is generated again."""
    from alms.sample import ACCOUNT_COLUMNS

    return list(ACCOUNT_COLUMNS)


def ensure_book(n_accounts: int, n_activities: int) -> Path:
    """The book's folder, generated (in a child process) unless already complete."""
    folder = DATA / size_label(n_accounts, n_activities)
    marker = folder / _MARKER
    if marker.exists():
        meta = json.loads(marker.read_text())
        if (
            meta.get("accounts"),
            meta.get("activities"),
            meta.get("seed"),
            meta.get("columns"),
            meta.get("baseline"),
        ) == (n_accounts, n_activities, SEED, _generator_columns(), True):
            print(f"reusing {folder.relative_to(ROOT.parent)}", flush=True)
            return folder
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    print(f"generating {folder.relative_to(ROOT.parent)} ...", flush=True)
    gen = _run_child("generate", folder, n_accounts, n_activities)
    mb = sum(gen["bytes"].values()) / 1e6
    print(f"  {gen['generate_s']:.1f} s, {mb:,.0f} MB of CSV", flush=True)
    return folder


def machine() -> dict[str, Any]:
    import duckdb
    import pyarrow

    return {
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pyarrow": pyarrow.__version__,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
    }


def ensure_parquet(folder: Path) -> None:
    """The book's two CSV files also as Parquet (written by DuckDB, once; not timed)."""
    import duckdb

    for name in ("accounts", "activities"):
        target = folder / f"{name}.parquet"
        if not target.exists():
            tmp = target.with_suffix(".parquet.tmp")
            duckdb.sql(
                f"COPY (SELECT * FROM read_csv('{folder / name}.csv')) TO '{tmp}' (FORMAT parquet)"
            )
            tmp.replace(target)


def measure(n_accounts: int, n_activities: int, form: str = "csv") -> dict[str, Any]:
    folder = ensure_book(n_accounts, n_activities)
    if form == "parquet":
        ensure_parquet(folder)
    print(f"measuring bare DuckDB read ({form}) and GROUP BY ...", flush=True)
    duck = _run_child("duckdb", folder, 0, form)
    duck1 = _run_child("duckdb", folder, 1, form)
    print("measuring ALMS load, prepare, assign ...", flush=True)
    alms = _run_child("alms", folder, form)
    floor = duck["seconds"] + duck["group_by_s"]
    files = [folder / f"{name}.{form}" for name in ("accounts", "activities")]
    return {
        "accounts": n_accounts,
        "activities": n_activities,
        "format": form,
        "file_mb": round(sum(f.stat().st_size for f in files) / 1e6, 1),
        "steps": alms["steps"],
        "alms_load_s": round(alms["alms_load_s"], 3),
        "prepare_s": round(alms["prepare_s"], 3),
        "assign_ms": round(alms["assign_ms"], 2),
        "duckdb_read_csv_s": round(duck["seconds"], 3),
        "duckdb_read_csv_1thread_s": round(duck1["seconds"], 3),
        "ratio_vs_read_csv": round(alms["alms_load_s"] / duck["seconds"], 2),
        "duckdb_group_by_s": round(duck["group_by_s"], 3),
        "duckdb_groups": duck["groups"],
        "floor_read_group_by_s": round(floor, 3),
        "usable_s": round(alms["alms_load_s"] + alms["prepare_s"], 3),
        "ratio_usable_vs_floor": round((alms["alms_load_s"] + alms["prepare_s"]) / floor, 2),
        "peak_rss_mb_alms": round(alms["peak_rss_mb_alms"]),
        "peak_rss_mb_alms_load": round(alms["peak_rss_mb_load"]),
        "peak_rss_mb_duckdb": round(duck["peak_rss_mb"]),
        "counts": alms["counts"],
        "segments": alms["segments"],
    }


def print_table(label: str, r: dict[str, Any]) -> None:
    rows = [
        ("ALMS load (read+parse+validate)", r["alms_load_s"], r["peak_rss_mb_alms_load"]),
        ("ALMS prepare", r["prepare_s"], None),
        ("ALMS assign (default Settings)", r["assign_ms"] / 1000, r["peak_rss_mb_alms"]),
        ("DuckDB read (default threads)", r["duckdb_read_csv_s"], r["peak_rss_mb_duckdb"]),
        ("DuckDB read (threads=1)", r["duckdb_read_csv_1thread_s"], None),
        ("DuckDB GROUP BY account, type", r["duckdb_group_by_s"], None),
    ]
    print(f"\n{'size':<8} {'step':<34} {'seconds':>9} {'peak RSS MB':>12} {'ratio':>7}")
    for i, (step, seconds, rss) in enumerate(rows):
        ratio = f"{r['ratio_vs_read_csv']:.1f}x" if i == 0 else ""
        rss_text = "" if rss is None else f"{rss:,}"
        print(f"{label:<8} {step:<34} {seconds:>9.3f} {rss_text:>12} {ratio:>7}")
    print("(peak RSS is per process and cumulative: the assign row is the ALMS run's peak)")
    for step in r["steps"]:
        print(f"  at {step['at_s']:>7.2f} s  RSS {step['rss_mb']:>6,} MB  {step['step']}")
    print(
        f"usable book (load + prepare) {r['usable_s']:.2f} s = {r['ratio_usable_vs_floor']:.1f}x "
        f"the bare read + GROUP BY ({r['floor_read_group_by_s']:.2f} s); "
        f"peak {r['peak_rss_mb_alms']:,} MB"
    )


def save(label: str, figures: dict[str, Any], out: Path = RESULTS) -> None:
    """Merge this size's figures into the results file (other sizes are kept)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    doc: dict[str, Any] = {}
    if out.exists():
        doc = json.loads(out.read_text())
    doc["machine"] = machine()
    doc.setdefault("sizes", {})[label] = {
        **figures,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    tmp.replace(out)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=FULL[0])
    parser.add_argument("--activities", type=int, default=FULL[1])
    parser.add_argument("--quick", action="store_true", help="100k accounts / 1M activities")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return
    n_accounts, n_activities = QUICK if args.quick else (args.accounts, args.activities)
    label = size_label(n_accounts, n_activities)
    if args.format != "csv":
        label += f" {args.format}"
    figures = measure(n_accounts, n_activities, args.format)
    print_table(label, figures)
    save(label, figures, args.out)
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
