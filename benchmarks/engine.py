"""Engine benchmark: a book read where it lives (PostgreSQL, Spark local, a DuckDB file)
against the file path, on the same generated book, in the same run.

    python -m benchmarks.engine                      # 100k accounts, 1M and 10M activities
    python -m benchmarks.engine --quick              # 10k accounts, 100k and 1M activities
    python -m benchmarks.engine --sizes 2000:20000 --engines duckdb   # a smoke run

Per size and path: time to a usable book (load + prepare), bytes moved from the engine
to the app (the Arrow results fetched: `Engine.moved`), and the app's peak memory (the
Python process's ru_maxrss; Spark's JVM and the PostgreSQL server are separate
processes, not counted); then the same once the first page that reads days has brought
the per-day sums (`Prepared.daily`). Publishing the tables into an engine is not timed.
Figures are printed and merged into `benchmarks/results/engine-latest.json`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.load import ROOT, ensure_book, machine, peak_mb, size_label

RESULTS = ROOT / "results" / "engine-latest.json"
FULL = [(100_000, 1_000_000), (100_000, 10_000_000)]
QUICK = [(10_000, 100_000), (10_000, 1_000_000)]
ENGINES = ("duckdb", "postgres", "spark")
TABLES = ("accounts", "activities")


# ---------------------------------------------------------------- children


def _child(path: str, folder: Path, url: str) -> dict[str, Any]:
    """One load in a fresh process: its peak memory is its own."""
    from alms.prepared import prepare

    if path == "spark":  # this process's Spark catalogue: the Parquet files as tables
        from tests.engines import catalogue_spark

        catalogue_spark({name: folder / f"{name}.parquet" for name in TABLES})
    t0 = time.perf_counter()
    if path == "file":
        from alms.reading.book import Upload, load

        book = load(*(Upload(f"{n}.csv", (folder / f"{n}.csv").read_bytes()) for n in TABLES))
        counts = book.counts()
    else:
        from alms.engine import Tables, connect, load_from

        engine = connect(url)
        book = load_from(engine, Tables(*TABLES))
        counts = book.counts()
    t1 = time.perf_counter()
    prepared = prepare(book)
    t2 = time.perf_counter()
    usable = {
        "load_s": t1 - t0,
        "prepare_s": t2 - t1,
        "usable_s": t2 - t0,
        "moved_bytes": engine.moved if path != "file" else 0,
        "peak_rss_mb": peak_mb(),
        "accounts": prepared.n_accounts,
        "counts": counts,
    }
    # The first page that reads days (time, matrix, follow-through): an engine's per-day
    # sums come across then; the file path has them from prepare.
    assert prepared.daily is not None
    usable["days_s"] = time.perf_counter() - t2
    usable["moved_with_days_bytes"] = engine.moved if path != "file" else 0
    usable["peak_with_days_mb"] = peak_mb()
    return usable


def _run_child(path: str, folder: Path, url: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.engine", "--child", path, str(folder), url]
    env = {**os.environ, "PYTHONPATH": str(ROOT.parent)}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT.parent)
    if proc.returncode != 0:  # recorded, and the other paths still measured
        lines = [x for x in proc.stderr.splitlines() if "Error" in x or "error" in x]
        print(f"  {path} failed (exit {proc.returncode}): {lines[-3:]}", flush=True)
        return {"failed": lines[-3:] or [f"exit {proc.returncode}"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- publishing


def _typed_csv(folder: Path, name: str) -> str:
    """The DuckDB SELECT that reads a generated CSV with its columns typed."""
    return f"SELECT * FROM read_csv('{folder / f'{name}.csv'}')"


def publish_parquet(folder: Path) -> None:
    """Typed Parquet copies of the CSVs (Spark's input, and the DuckDB file's)."""
    import duckdb

    con = duckdb.connect()
    for name in TABLES:
        target = folder / f"{name}.parquet"
        if not target.exists():
            con.execute(f"COPY ({_typed_csv(folder, name)}) TO '{target}' (FORMAT parquet)")
    con.close()


def publish_duckdb_file(folder: Path) -> str:
    import duckdb

    path = folder / "book.duckdb"
    if not path.exists():
        con = duckdb.connect(str(path))
        for name in TABLES:
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM '{folder / f'{name}.parquet'}'")
        con.close()
    return f"duckdb://{path}"


def publish_postgres_copy(url: str, folder: Path) -> None:
    """The CSVs into PostgreSQL with COPY, streamed (10M rows never sit in memory)."""
    import duckdb
    import psycopg

    from tests.engines import pg_type

    con = duckdb.connect()
    with psycopg.connect(url.replace("postgresql://", "postgres://"), autocommit=True) as pg:
        for name in TABLES:
            schema = con.sql(f"{_typed_csv(folder, name)} LIMIT 0").to_arrow_table().schema
            cols = ", ".join(f'"{f.name}" {pg_type(f.type)}' for f in schema)
            pg.execute(f'DROP TABLE IF EXISTS "{name}"')
            pg.execute(f'CREATE TABLE "{name}" ({cols})')
            with (
                pg.cursor().copy(f'COPY "{name}" FROM STDIN (FORMAT csv, HEADER true)') as copy,
                open(folder / f"{name}.csv", "rb") as f,
            ):
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
            pg.execute(f'ANALYZE "{name}"')
    con.close()


@contextlib.contextmanager
def _postgres(engines: Sequence[str]) -> Iterator[str | None]:
    if "postgres" not in engines:
        yield None
        return
    from tests.engines import postgres_server

    with postgres_server() as url:
        yield url


# ---------------------------------------------------------------- parent


def measure(
    n_accounts: int, n_activities: int, engines: Sequence[str], pg_url: str | None
) -> dict[str, Any]:
    folder = ensure_book(n_accounts, n_activities)
    publish_parquet(folder)
    out: dict[str, Any] = {"accounts": n_accounts, "activities": n_activities}
    print(f"{size_label(n_accounts, n_activities)}: the file path ...", flush=True)
    out["file"] = _run_child("file", folder, "")
    for engine in engines:
        if engine == "postgres":
            t0 = time.perf_counter()
            publish_postgres_copy(pg_url, folder)
            print(f"  published to PostgreSQL in {time.perf_counter() - t0:.0f} s", flush=True)
            url = pg_url
        elif engine == "duckdb":
            url = publish_duckdb_file(folder)
        else:
            url = "spark://local[1]"
        print(f"  {engine} ...", flush=True)
        out[engine] = _run_child(engine, folder, url)
    return out


def print_table(results: list[dict[str, Any]], engines: Sequence[str]) -> None:
    print(
        f"\n{'size':<10} {'path':<9} {'usable s':>9} {'load s':>8} {'prepare s':>10}"
        f" {'moved MB':>9} {'peak MB':>8} {'days s':>7} {'+days MB':>9} {'peak MB':>8}"
    )
    for r in results:
        label = size_label(r["accounts"], r["activities"])
        for path in ("file", *engines):
            f = r[path]
            if "failed" in f:
                print(f"{label:<10} {path:<9} failed: {f['failed']}")
                continue
            moved = f"{f['moved_bytes'] / 1e6:.1f}" if path != "file" else "-"
            days = f"{f['moved_with_days_bytes'] / 1e6:.1f}" if path != "file" else "-"
            print(
                f"{label:<10} {path:<9} {f['usable_s']:>9.2f} {f['load_s']:>8.2f}"
                f" {f['prepare_s']:>10.2f} {moved:>9} {f['peak_rss_mb']:>8,.0f}"
                f" {f['days_s']:>7.2f} {days:>9} {f['peak_with_days_mb']:>8,.0f}"
            )
    for key, what in (("moved_bytes", "to a usable book"), ("moved_with_days_bytes", "with days")):
        for path, ratio in _moved_ratios(results, engines, key).items():
            print(f"{path}: bytes moved {what} at 10x the activities: {ratio:.2f}x")


def _moved_ratios(
    results: list[dict[str, Any]], engines: Sequence[str], key: str = "moved_bytes"
) -> dict[str, float]:
    """Bytes moved (`key`) by the second size over the first, per engine that measured
    both."""
    if len(results) != 2:
        return {}
    return {
        p: round(results[1][p][key] / results[0][p][key], 3)
        for p in engines
        if key in results[0][p] and key in results[1][p]
    }


def save(results: list[dict[str, Any]], engines: Sequence[str], out: Path = RESULTS) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "engines": list(engines),
        "sizes": {size_label(r["accounts"], r["activities"]): r for r in results},
    }
    if len(results) == 2:
        doc["moved_ratio_at_10x_activities"] = _moved_ratios(results, engines)
        doc["moved_with_days_ratio_at_10x_activities"] = _moved_ratios(
            results, engines, "moved_with_days_bytes"
        )
    out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k accounts, 100k and 1M")
    parser.add_argument("--sizes", nargs="+", metavar="ACCOUNTS:ACTIVITIES")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child[0], Path(args.child[1]), args.child[2])))
        return
    sizes = (
        [tuple(int(x) for x in s.split(":")) for s in args.sizes]
        if args.sizes
        else (QUICK if args.quick else FULL)
    )
    results: list[dict[str, Any]] = []
    with _postgres(args.engines) as pg_url:
        for a, t in sizes:
            results.append(measure(a, t, args.engines, pg_url))
            save(results, args.engines, args.out)  # a later failure keeps these
    print_table(results, args.engines)
    save(results, args.engines, args.out)
    print(f"\nsaved {args.out}")


if __name__ == "__main__":
    main()
