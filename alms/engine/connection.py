"""One session's read-only connection to the engine where a customer's book lives.

URLs (`[connections.alms] url` in `.streamlit/secrets.toml`, or `alms summary --connect`):

- `duckdb:///path/to/book.duckdb`: a DuckDB file, opened read-only;
- `postgresql://user:password@host:port/database`: PostgreSQL, every transaction
  read-only (`default_transaction_read_only`), so no statement can change the data;
- `spark://local[N]`: Spark in local mode in this process (the session's Spark
  catalogue: tables and views); `sc://host:port`: a Spark Connect server.

Table and column names come only from the engine's own catalogue and are quoted by
ibis; no SQL text a user typed is ever run. Credentials stay in the URL object: every
message names the engine by `Engine.label` (scheme, host, database), never a password.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.csv as pa_csv
from ibis.backends.sql.datatypes import DuckDBType

log = logging.getLogger(__name__)


class EngineError(Exception):
    """A connection or a query failed; the message is one sentence, shown as is."""


def label_of(url: str) -> str:
    """The URL without user name, password or query: safe for a message or a log line."""
    scheme, _, rest = url.partition("://")
    if scheme == "duckdb":
        return f"duckdb:{rest}"
    if scheme == "spark":  # spark://local[N]: a master, not a host (no credentials)
        return url
    parts = urlsplit(url)
    host = parts.hostname or parts.netloc.rpartition("@")[2]
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


@dataclass(eq=False)
class Engine:
    """An open, read-only engine: its catalogue, its tables as ibis expressions, and
    `run` to compute an expression there and fetch the (small) result as Arrow."""

    label: str
    kind: str  # "duckdb", "postgres", "spark"
    backend: ibis.BaseBackend | None = None
    duck: duckdb.DuckDBPyConnection | None = None
    """A DuckDB file is read by DuckDB itself (the app's own version), the expressions
    compiled by ibis to its SQL: ibis 12's DuckDB backend predates DuckDB 2."""
    moved: int = 0
    """Bytes of the results fetched so far (Arrow buffers): what crossed to the app."""
    _tables: list[str] | None = field(default=None, repr=False)

    def tables(self) -> list[str]:
        """The tables and views a book can be read from, as the engine's catalogue
        names them (the only names `table` accepts)."""
        if self._tables is None:
            if self.duck is not None:
                rows = self.duck.execute(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = current_schema()"
                ).fetchall()
                self._tables = sorted(r[0] for r in rows)
            else:
                self._tables = sorted(self.backend.list_tables())
        return list(self._tables)

    def table(self, name: str) -> ir.Table:
        """The catalogue's table `name`; EngineError when the catalogue has no such one."""
        if name not in self.tables():
            raise EngineError(
                f"{self.label} has no table or view named {name!r} that this login may read."
            )
        try:
            if self.duck is not None:
                rows = self.duck.execute(
                    "SELECT column_name, data_type FROM information_schema.columns"
                    " WHERE table_schema = current_schema() AND table_name = $1"
                    " ORDER BY ordinal_position",
                    [name],
                ).fetchall()
                return ibis.table({n: DuckDBType.from_string(t) for n, t in rows}, name=name)
            return self.backend.table(name)
        except Exception as exc:
            raise EngineError(
                f"{self.label}: {name!r} cannot be read ({reason_of(exc)})."
            ) from None

    def columns(self, name: str) -> list[str]:
        """The column names of table `name`, from the engine's schema."""
        return list(self.table(name).schema().names)

    def run(self, expr: ir.Table) -> pa.Table:
        """`expr` computed in the engine, its result fetched as Arrow."""
        if self.duck is not None:
            out = self.duck.sql(str(ibis.to_sql(expr, dialect="duckdb"))).to_arrow_table()
        elif self.kind == "postgres":
            out = _copy_out(self.backend, expr)
        else:
            out = self.backend.to_pyarrow(expr)
        self.moved += out.nbytes
        return out

    def close(self) -> None:
        if self.kind == "spark":
            return  # the Spark session is the process's, shared by design of PySpark
        try:
            if self.duck is not None:
                self.duck.close()
            else:
                self.backend.disconnect()
        except Exception:  # closing what failed to open: nothing left to release
            log.debug("disconnect failed", exc_info=True)


def _copy_out(backend: ibis.BaseBackend, expr: ir.Table) -> pa.Table:
    """`expr` through PostgreSQL's COPY ... TO STDOUT as CSV, parsed by Arrow with the
    expression's own types: ~10x faster than ibis's row-by-row fetch for the millions of
    sums a big book sends (and a COPY of a query is allowed in a read-only transaction).
    Empty unquoted fields are NULL; a quoted "" stays an empty string."""
    schema = expr.schema().to_pyarrow()
    sql = str(backend.compile(expr))
    data = io.BytesIO()
    with backend.con.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            data.write(chunk)
    data.seek(0)
    if not data.getbuffer().nbytes:
        return schema.empty_table()
    return pa_csv.read_csv(
        data,
        read_options=pa_csv.ReadOptions(column_names=schema.names),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),  # "Acme\nInc"
        convert_options=pa_csv.ConvertOptions(
            column_types=schema,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            true_values=["t"],
            false_values=["f"],
        ),
    )


def reason_of(exc: BaseException) -> str:
    """An exception's kind and first line, cut short: engines' messages can be long
    and, for a failed connection, may repeat the host; never the URL's password."""
    first = (str(exc).strip().splitlines() or [""])[0][:160]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def connect(url: str) -> Engine:
    """Open `url` read-only; EngineError (one sentence, no credentials) when it fails."""
    label = label_of(url)
    scheme = url.partition("://")[0].lower()
    try:
        if scheme == "duckdb":
            path = url.partition("://")[2]
            con = duckdb.connect(
                path,
                read_only=True,
                config={"enable_external_access": False, "autoload_known_extensions": False},
            )
            return Engine(label, "duckdb", duck=con)
        if scheme in {"postgres", "postgresql"}:
            backend = ibis.connect(url.replace("postgresql://", "postgres://", 1))
            with backend.con.cursor() as cur:  # every later transaction is read-only
                cur.execute("SET default_transaction_read_only = on")
            return Engine(label, "postgres", backend=backend)
        if scheme in {"spark", "sc"}:
            return Engine(label, "spark", backend=ibis.pyspark.connect(_spark_session(url)))
    except EngineError:
        raise
    except ImportError as exc:  # the app was installed without the engines' drivers
        raise EngineError(
            f"{label}: this installation has no driver for it ({exc.name or exc}); "
            "install alms[engines]."
        ) from None
    except Exception as exc:
        secret = urlsplit(url).password if scheme in {"postgres", "postgresql"} else None
        reason = reason_of(exc).replace(secret, "***") if secret else reason_of(exc)
        raise EngineError(f"could not connect to {label} ({reason}).") from None
    raise EngineError(
        f"{label}: not an engine ALMS knows; use duckdb:///file, postgresql://..., "
        "spark://local[N] or sc://host:port."
    )


def _spark_session(url: str):
    from pyspark.sql import SparkSession

    if url.startswith("sc://"):
        return SparkSession.builder.remote(url).getOrCreate()
    master = url.split("://", 1)[1] or "local[1]"
    spark = (
        SparkSession.builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # Results come back through Arrow, and a local driver gets room to gather them.
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    # One Spark session per ALMS session: its own settings and temporary views, over
    # the process's one Spark context (PySpark runs one per process) and catalogue.
    session = spark.newSession()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    return session
