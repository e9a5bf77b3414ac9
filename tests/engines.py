"""Real engines for the tests, started by the suite itself: a DuckDB file, a PostgreSQL
15 server (Debian's initdb / pg_ctl, in a temporary directory, on a free loopback port,
stopped at the end) and Spark in local mode (PySpark on the machine's Java).

Outside CI an engine that this machine lacks skips its tests; in CI nothing skips.
"""

from __future__ import annotations

import contextlib
import glob
import io
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

IN_CI = bool(os.environ.get("CI"))


def unavailable(why: str) -> None:
    """Skip outside CI; in CI a missing engine is a failure, never a skip."""
    if IN_CI:
        pytest.fail(f"engine unavailable in CI: {why}")
    pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server; yields its URL (user alms, database postgres).
    As root, the server runs as the `postgres` user (initdb refuses root)."""
    bindir = _pg_bin()
    if bindir is None:
        unavailable("PostgreSQL's initdb is not installed (Debian: postgresql)")
    root = tempfile.mkdtemp(prefix="alms-pg-")
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = f"{root}/data", _free_port()
    run = {"check": True, "capture_output": True}
    try:
        subprocess.run(
            [*as_user, f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "alms"], **run
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [
                *as_user,
                f"{bindir}/pg_ctl",
                "-D",
                data,
                "-o",
                options,
                "-l",
                f"{root}/log",
                "-w",
                "start",
            ],
            **run,
        )
        try:
            yield f"postgresql://alms:not-a-secret@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop"], **run)
    finally:
        shutil.rmtree(root, ignore_errors=True)


_PG_TYPES = {
    "string": "TEXT",
    "large_string": "TEXT",
    "bool": "BOOLEAN",
    "int64": "BIGINT",
    "int32": "INTEGER",
    "double": "DOUBLE PRECISION",
    "date32[day]": "DATE",
}


def pg_type(t: pa.DataType) -> str:
    if pa.types.is_decimal(t):
        return f"NUMERIC({t.precision},{t.scale})"
    if pa.types.is_timestamp(t):
        return "TIMESTAMP"
    return _PG_TYPES[str(t)]


def publish_postgres(url: str, tables: dict[str, pa.Table]) -> None:
    """Create `tables` in the server (the test's own writable connection, not alms's)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql://", "postgres://"), autocommit=True) as con:
        for name, table in tables.items():
            cols = ", ".join(f'"{f.name}" {pg_type(f.type)}' for f in table.schema)
            con.execute(f'DROP TABLE IF EXISTS "{name}"')
            con.execute(f'CREATE TABLE "{name}" ({cols})')
            names = ", ".join(f'"{c}"' for c in table.column_names)
            data = io.BytesIO()
            pa_csv.write_csv(table, data, pa_csv.WriteOptions(include_header=False))
            with con.cursor().copy(f'COPY "{name}" ({names}) FROM STDIN (FORMAT csv)') as copy:
                copy.write(data.getvalue())


def publish_duckdb(path: Path, tables: dict[str, pa.Table]) -> str:
    """`tables` in a DuckDB file; returns its URL."""
    con = duckdb.connect(str(path))
    try:
        for name, table in tables.items():
            con.register("_t", table)
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _t')
            con.unregister("_t")
    finally:
        con.close()
    return f"duckdb://{path}"


def spark_session():
    """This process's local Spark session (one for the whole run)."""
    if shutil.which("java") is None:
        unavailable("no Java for Spark (Debian: openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def publish_spark(folder: Path, tables: dict[str, pa.Table]) -> str:
    """`tables` as Parquet in `folder`, catalogued as Spark tables; returns the URL."""
    paths = {}
    for name, table in tables.items():
        paths[name] = folder / name
        shutil.rmtree(paths[name], ignore_errors=True)
        paths[name].mkdir(parents=True)
        pq.write_table(table, paths[name] / "part-0.parquet")
    return catalogue_spark(paths)


def catalogue_spark(paths: dict[str, Path]) -> str:
    """Parquet folders as tables of this process's Spark catalogue, which every Spark
    session of the process sees (each ALMS session opens its own); returns the URL."""
    spark = spark_session()
    for name, path in paths.items():
        spark.sql(f"DROP TABLE IF EXISTS `{name}`")
        spark.sql(f"CREATE TABLE `{name}` USING parquet LOCATION '{path}'")
    return "spark://local[1]"


def typed_tables(**csv_files: Path) -> dict[str, pa.Table]:
    """CSV files as a warehouse would hold them: typed columns, as DuckDB reads them."""
    con = duckdb.connect()
    try:
        return {
            name: con.sql(f"SELECT * FROM read_csv('{path}')").to_arrow_table()
            for name, path in csv_files.items()
        }
    finally:
        con.close()
