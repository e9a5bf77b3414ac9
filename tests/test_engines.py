"""The same book in a DuckDB file, a real PostgreSQL server and Spark in local mode
gives the same prepared state and the same `alms summary` as the file path.

The expected figures are the file path's own, computed independently of the engine
path: different code reads and checks the files (CSV text through alms.reading) and
sums them (in the session's DuckDB); the engine path reads typed tables and sums them
in the engine. Only `input` and `warnings`, which name files or tables, may differ.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms import windows
from alms.cli import main
from alms.engine import EngineError, Tables, connect, load_from
from alms.prepared import CoarseWindow, prepare
from alms.reading.book import LoadError, Upload, load, rebase
from alms.reading.ingest import LoadOptions
from alms.reading.schema import Table
from alms.settings import Settings
from alms.summary import summarise
from tests.engines import (
    IN_CI,
    postgres_server,
    publish_duckdb,
    publish_postgres,
    publish_spark,
    spark_session,
    typed_tables,
)

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
NAMING = {"input", "warnings"}  # keys that name files or tables


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


Publish = Callable[[dict[str, pa.Table]], str]


@pytest.fixture(scope="session", params=["duckdb", "postgres", "spark"])
def publish(request, tmp_path_factory) -> Publish:
    """Puts tables into the engine and returns the URL to read them."""
    folder = tmp_path_factory.mktemp(request.param)
    count = iter(range(10**6))
    if request.param == "duckdb":
        return lambda tables: publish_duckdb(folder / f"book{next(count)}.duckdb", tables)
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")

        def to_postgres(tables: dict[str, pa.Table]) -> str:
            publish_postgres(url, tables)
            return url

        return to_postgres
    return lambda tables: publish_spark(folder, tables)


def without_naming(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k not in NAMING}


def assert_same_prepared(a, b) -> None:
    """The prepared state, array by array: order, money, minutes, contact dates."""
    assert a.frame["account_id"].tolist() == b.frame["account_id"].tolist()
    assert np.array_equal(a.rev, b.rev) and np.array_equal(a.prior, b.prior)
    assert a.n_customers == b.n_customers and a.activity_as_of == b.activity_as_of
    for name in ("minutes_12m", "blanks_12m", "minutes_all", "blanks_all"):
        assert np.allclose(getattr(a, name), getattr(b, name), rtol=0, atol=1e-9), name
    # NaT (no contact) compares unequal to itself; as int64 it is one number.
    assert np.array_equal(a.last_contact.view("i8"), b.last_contact.view("i8"))
    assert a.owner_labels.tolist() == b.owner_labels.tolist()
    assert np.array_equal(a.owner_codes, b.owner_codes)


def sample_tables() -> dict[str, pa.Table]:
    return typed_tables(accounts=SAMPLE / "accounts.csv", activities=SAMPLE / "activities.csv")


def sample_file_book():
    return load(
        Upload("accounts.csv", (SAMPLE / "accounts.csv").read_bytes()),
        Upload("activities.csv", (SAMPLE / "activities.csv").read_bytes()),
    )


def test_sample_book_gives_the_file_paths_figures(publish: Publish) -> None:
    url = publish(sample_tables())
    engine = connect(url)
    book = load_from(engine, Tables("accounts", "activities"))
    expected = summarise(sample_file_book())
    got = summarise(book)
    assert without_naming(got) == without_naming(expected)
    assert got["rejects"] == expected["rejects"]
    a, b = prepare(book), prepare(sample_file_book())
    assert_same_prepared(a, b)
    assert np.array_equal(a.numbers, b.numbers, equal_nan=True)
    # Windows the settings offer are exact on the engine's buckets ...
    s = Settings()
    for months in (3, 6, 12):
        w = windows.last_months(a.activity_as_of, months)
        assert np.allclose(
            windows.hours(a, w, s).per_account, windows.hours(b, w, s).per_account, atol=1e-9
        )
    # ... and a window it did not sum is refused, never approximated.
    odd = windows.Window(a.activity_as_of - timedelta(days=17), a.activity_as_of)
    with pytest.raises(CoarseWindow):
        windows.hours(a, odd, s)
    engine.close()


def test_activity_rows_never_cross(publish: Publish) -> None:
    """Ten copies of every activity move the same bytes to the app: what comes back
    is per account (and per seller, type and bucket), not per activity."""
    tables = sample_tables()
    once = connect(publish(tables))
    assert prepare(load_from(once, Tables("accounts", "activities"))).daily is not None
    ten = {**tables, "activities": pa.concat_tables([tables["activities"]] * 10)}
    tenfold = connect(publish(ten))
    book = load_from(tenfold, Tables("accounts", "activities"))
    assert prepare(book).daily is not None
    assert book.counts()["activities"]["rows"] == 10 * tables["activities"].num_rows
    assert abs(tenfold.moved - once.moved) <= 0.10 * once.moved
    activity_bytes = tables["activities"].nbytes
    assert tenfold.moved < 10 * activity_bytes  # a sanity bound, far below the rows


def _spread(activities: pa.Table, copies: int) -> pa.Table:
    """`copies` of the activities, copy k dated k * 11 days earlier and logged by
    seller "S<k>": new (account, seller, type, bucket) cells, unlike plain copies."""
    date_at = activities.schema.get_field_index("Activity Date")
    seller_at = activities.schema.get_field_index("Assigned To")
    days = activities.column(date_at).to_numpy().astype("datetime64[D]")
    parts = []
    for k in range(copies):
        t = activities.set_column(date_at, "Activity Date", pa.array(days - k * 11))
        seller = pa.array([f"S{k}"] * t.num_rows) if k else t.column(seller_at)
        parts.append(t.set_column(seller_at, "Assigned To", seller))
    return pa.concat_tables(parts)


def _as_upload(name: str, table: pa.Table) -> Upload:
    out = pa.BufferOutputStream()
    pacsv.write_csv(table, out)
    return Upload(f"{name}.csv", out.getvalue().to_pybytes())


def test_a_usable_book_moves_per_account_rows_only(publish: Publish) -> None:
    """Ten times the activities, spread over new days and sellers: the bytes moved to a
    usable book (load and prepare) stay within 10%; the per-day sums, which do grow
    with the filled cells, cross only when a page first reads days, and then give the
    file path's hours."""
    tables = sample_tables()
    acts = tables["activities"]
    loads, days = [], []
    for copies in (1, 10):
        spread = {**tables, "activities": _spread(acts, copies)}
        engine = connect(publish(spread))
        p = prepare(load_from(engine, Tables("accounts", "activities")))
        assert p.daily_loaded is None
        loads.append(engine.moved)
        d = p.daily
        assert d is not None and p.daily_loaded is d
        days.append(engine.moved - loads[-1])
        assert p.daily is d  # once: a second read moves nothing
        assert engine.moved - loads[-1] == days[-1]
        engine.close()
    file = prepare(load(*(_as_upload(n, t) for n, t in spread.items())))
    s = Settings()
    for months in (3, 12):
        w = windows.last_months(p.activity_as_of, months)
        assert windows.hours(p, w, s).total == windows.hours(file, w, s).total > 0
    assert abs(loads[1] - loads[0]) <= 0.10 * loads[0], loads
    assert days[1] > 3 * days[0], days  # what the laziness keeps out of the load
    assert loads[1] < days[1]


def test_per_day_sums_that_do_not_come_are_one_sentence(publish: Publish) -> None:
    """The engine stops answering after the load: reading days raises LoadError (one
    sentence, no traceback text), and a later read tries again."""
    url = publish(sample_tables())
    engine = connect(url)
    p = prepare(load_from(engine, Tables("accounts", "activities")))
    if engine.kind == "spark":  # a process-wide session: take its table away instead
        spark_session().sql("DROP TABLE IF EXISTS `activities`")
    else:
        engine.close()
    with pytest.raises(LoadError) as failed:
        assert p.daily is None
    message = str(failed.value)
    assert "\n" not in message and "Traceback" not in message
    assert "password" not in message.lower() and "secret" not in message.lower()
    assert p.daily_loaded is None
    with pytest.raises(LoadError):  # still not loaded: asked again, fails again
        assert p.daily is None


# ---------------------------------------------------------------- generated books

DAY0 = date(2022, 1, 1)


@st.composite
def books(draw) -> dict[str, list[dict]]:
    """Small books with the awkward parts: blank ids and dates, negative durations,
    unknown accounts, credit notes, no seller, dates over three years."""
    n = draw(st.integers(1, 8))
    ids = [f"A{i:02d}" for i in range(n)]
    owners = ["Ann", "Bob", None]
    accounts = [
        {"Account ID": i, "Owner": draw(st.sampled_from(owners)), "Size": draw(st.integers(0, 9))}
        for i in ids
    ]
    day = st.integers(0, 3 * 365).map(lambda d: DAY0 + timedelta(days=d))
    account = st.sampled_from([*ids, "ZZ", None])
    activities = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "Account ID": account,
                    "Date": st.one_of(st.none(), day) if draw(st.booleans()) else day,
                    "Seller": st.sampled_from(["Ann", "Bob", "Cy", None]),
                    "Type": st.sampled_from(["Call", "Visit", "Email", "Lunch", "Task", None]),
                    "Duration": st.one_of(st.none(), st.integers(-5, 240)),
                }
            ),
            max_size=40,
        )
    )
    orders = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "Account ID": account,
                    "Date": day,
                    "Amount": st.one_of(
                        st.none(), st.integers(-500_000, 2_000_000).map(lambda c: c / 100)
                    ),
                }
            ),
            min_size=1,
            max_size=30,
        )
    )
    return {"accounts": accounts, "activities": activities, "orders": orders}


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    def cell(v) -> str:
        return "" if v is None else str(v)

    lines = [",".join(columns)] + [",".join(cell(r[c]) for c in columns) for r in rows]
    return ("\n".join(lines) + "\n").encode()


ARROW_TYPES = {
    "Account ID": pa.string(),
    "Owner": pa.string(),
    "Size": pa.int64(),
    "Date": pa.date32(),
    "Seller": pa.string(),
    "Type": pa.string(),
    "Duration": pa.int64(),
    "Amount": pa.decimal128(12, 2),
}


def _arrow(rows: list[dict], columns: list[str]) -> pa.Table:
    from decimal import Decimal

    def value(c, v):
        return Decimal(str(v)) if c == "Amount" and v is not None else v

    return pa.table({c: pa.array([value(c, r[c]) for r in rows], ARROW_TYPES[c]) for c in columns})


COLUMNS = {
    "accounts": ["Account ID", "Owner", "Size"],
    "activities": ["Account ID", "Date", "Seller", "Type", "Duration"],
    "orders": ["Account ID", "Date", "Amount"],
}


def _same_on_engine(publish: Publish, book: dict, with_accounts: bool) -> None:
    names = [n for n in COLUMNS if with_accounts or n != "accounts"]
    uploads = {n: Upload(f"{n}.csv", _csv(book[n], COLUMNS[n])) for n in names}
    try:
        file_book = load(uploads.get("accounts"), uploads["activities"], uploads["orders"])
    except LoadError:
        return  # e.g. no valid order line at all: both paths refuse (checked elsewhere)
    expected = summarise(file_book)
    url = publish({n: _arrow(book[n], COLUMNS[n]) for n in names})
    engine = connect(url)
    engine_book = load_from(
        engine, Tables("accounts" if with_accounts else None, "activities", "orders")
    )
    assert_same_prepared(prepare(engine_book), prepare(file_book))
    got = summarise(engine_book)
    assert json.dumps(without_naming(got), sort_keys=True) == json.dumps(
        without_naming(expected), sort_keys=True
    )
    assert got["input"] == expected["input"]  # rows, accepted, rejected per table


ENGINE_EXAMPLES = {"duckdb": 15, "postgres": 10, "spark": 3}


@pytest.mark.parametrize("with_accounts", [True, False])
def test_generated_books_agree_with_the_file_path(publish: Publish, request, with_accounts) -> None:
    kind = request.node.callspec.params["publish"]

    @settings(
        max_examples=ENGINE_EXAMPLES[kind],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=IN_CI,
    )
    @given(books())
    def check(book) -> None:
        _same_on_engine(publish, book, with_accounts)

    check()


# ---------------------------------------------------------------- the CLI, errors


def test_cli_connect_prints_the_files_json(pg_url: str, capsys) -> None:
    publish_postgres(pg_url, sample_tables())
    assert main(["summary", "--connect", pg_url, "--accounts-table", "accounts",
                 "--activities-table", "activities"]) == 0  # fmt: skip
    got = json.loads(capsys.readouterr().out)
    assert main(["summary", "--accounts", str(SAMPLE / "accounts.csv"),
                 "--activities", str(SAMPLE / "activities.csv")]) == 0  # fmt: skip
    expected = json.loads(capsys.readouterr().out)
    assert without_naming(got) == without_naming(expected)


def test_cli_map_and_baseline_through_the_engine(pg_url: str, capsys, tmp_path: Path) -> None:
    """--map renames a column as for a file; --baseline-as-of sums the order lines
    again in the engine at the earlier date."""
    orders = pa.table(
        {
            "Customer": ["A", "A", "B", "B"],
            "Invoice day": pa.array(
                [date(2023, 3, 1), date(2024, 3, 1), date(2023, 9, 1), date(2024, 5, 1)]
            ),
            "Net": pa.array([100, 250, 40, 60], pa.decimal128(10, 2)),
        }
    )
    publish_postgres(pg_url, {"invoices": orders})
    args = ["--map", "account_id=Customer", "--map", "date=Invoice day", "--map", "amount=Net"]
    assert main(["summary", "--connect", pg_url, "--orders-table", "invoices",
                 "--baseline-as-of", "2023-12-31", *args]) == 0  # fmt: skip
    got = json.loads(capsys.readouterr().out)
    csv = tmp_path / "invoices.csv"
    csv.write_text(
        "Customer,Invoice day,Net\nA,2023-03-01,100\nA,2024-03-01,250\n"
        "B,2023-09-01,40\nB,2024-05-01,60\n"
    )
    assert main(["summary", "--orders", str(csv), "--baseline-as-of", "2023-12-31",
                 *args]) == 0  # fmt: skip
    expected = json.loads(capsys.readouterr().out)
    # The year after 1 May 2023, up to the latest line (1 May 2024): 250 + 40 + 60.
    assert got["revenue_total"] == 350.0
    assert without_naming(got) == without_naming(expected)
    assert got["movement"] == expected["movement"]


def test_a_missing_table_or_column_is_one_sentence(pg_url: str, capsys) -> None:
    publish_postgres(pg_url, sample_tables())
    assert main(["summary", "--connect", pg_url, "--accounts-table", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no table or view named 'nope' that this login may read" in err
    assert "Traceback" not in err
    assert main(["summary", "--connect", pg_url, "--accounts-table", "accounts",
                 "--map", "accounts.revenue=No such column"]) == 2  # fmt: skip
    assert "no column named 'No such column'" in capsys.readouterr().err


def test_a_failed_connection_names_no_password(pg_url: str) -> None:
    port = int(pg_url.rsplit(":", 1)[1].split("/")[0])
    url = f"postgresql://alms:s3cret-pass@127.0.0.1:{port + 1}/postgres"
    with pytest.raises(EngineError) as caught:
        connect(url)
    message = str(caught.value)
    assert message.startswith("could not connect to postgresql://127.0.0.1:")
    assert "s3cret-pass" not in message and "alms:" not in message


def test_postgres_sessions_are_read_only(pg_url: str) -> None:
    publish_postgres(pg_url, sample_tables())
    engine = connect(pg_url)
    with pytest.raises(Exception, match="read-only transaction"):
        engine.backend.raw_sql('DELETE FROM "accounts"')
    engine.close()


def test_a_text_column_mapped_as_dates_is_one_sentence(tmp_path: Path) -> None:
    """Text is not parsed in the engine: a column of the wrong type is refused by name."""
    url = publish_duckdb(tmp_path / "b.duckdb", sample_tables())
    engine = connect(url)
    with pytest.raises(LoadError, match="column 'Type' holds string values, not dates"):
        load_from(
            engine,
            Tables(
                "accounts",
                "activities",
                mappings={
                    Table.ACTIVITIES: {"account_id": "Account ID", "date": "Type"},
                },
            ),
        )
    engine.close()


def test_rebase_of_an_engine_book_reads_the_engine_again(tmp_path: Path) -> None:
    tables = {
        "orders": pa.table(
            {
                "Account ID": ["A", "B"],
                "Date": pa.array([date(2023, 6, 1), date(2024, 6, 1)]),
                "Amount": pa.array([5, 7], pa.decimal128(10, 2)),
            }
        )
    }
    engine = connect(publish_duckdb(tmp_path / "o.duckdb", tables))
    book = load_from(engine, Tables(None, orders="orders"))
    then = rebase(book, date(2023, 12, 31))
    assert prepare(then).n_accounts == 1  # B had no line by then (DOMAIN.md section 7)
    assert then.as_of == date(2023, 12, 31) and book.as_of == date(2024, 6, 1)


# ---------------------------------------------------------------- the suite's real exports


def _csv_table(tmp_path: Path, text: str, name: str, **options: str) -> pa.Table:
    import duckdb

    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join(line.strip() for line in text.strip().splitlines()) + "\n")
    extra = "".join(f", {k} = {v}" for k, v in options.items())
    con = duckdb.connect()
    try:
        return con.sql(f"SELECT * FROM read_csv('{path}'{extra})").to_arrow_table()
    finally:
        con.close()


def test_the_suites_real_exports_agree(publish: Publish, tmp_path: Path) -> None:
    """The Salesforce-style accounts export (text, as exported), the invoice lines of
    tests/test_ingest.py (credit notes, a line after the as-of date, no id) and an
    Online-Retail-style quantity x price file (timestamps): each through the engine
    gives the file path's JSON."""
    from tests.test_app_data_page import SF_EXPORT
    from tests.test_ingest import ORDERS

    sf = _csv_table(tmp_path, SF_EXPORT.decode(), "sf", all_varchar="true")
    invoices = _csv_table(tmp_path, ORDERS, "invoices")
    retail = pa.table(
        {
            "InvoiceNo": ["1", "2", "3", "4"],
            "Quantity": pa.array([6, -2, 3, None], pa.int64()),
            "InvoiceDate": pa.array(
                [
                    datetime(2010, 12, 1, 8, 26),
                    datetime(2010, 12, 5, 9),
                    datetime(2010, 12, 9, 10),
                    datetime(2010, 12, 9, 10),
                ],
                pa.timestamp("us"),
            ),
            "UnitPrice": pa.array(["2.55", "2.55", "0.001", "1"]).cast(pa.decimal128(10, 3)),
            "CustomerID": ["17850", "17850", "12346", "12346"],
        }
    )
    retail_csv = (
        "InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,6,2010-12-01,2.55,17850\n"
        "2,-2,2010-12-05,2.55,17850\n3,3,2010-12-09,0.001,12346\n4,,2010-12-09,1,12346\n"
    )
    url = publish({"sf": sf, "invoices": invoices, "retail": retail})
    engine = connect(url)
    as_of = LoadOptions(as_of=date(2024, 6, 30))
    cases = [
        (Tables("sf"), (Upload("sf.csv", SF_EXPORT), None, None), LoadOptions()),
        (
            Tables(None, orders="invoices"),
            (None, None, Upload("invoices.csv", ORDERS.strip().encode())),
            as_of,
        ),
        (
            Tables(None, orders="retail"),
            (None, None, Upload("retail.csv", retail_csv.encode())),
            LoadOptions(),
        ),
    ]
    for tables, uploads, options in cases:
        expected = summarise(load(*uploads, options))
        got = summarise(load_from(engine, tables, options))
        assert without_naming(got) == without_naming(expected), tables
        assert got["input"] == expected["input"], tables
    engine.close()


def test_rejects_beyond_the_listed_ones_are_counted(tmp_path: Path) -> None:
    """250 activities without a date and 130 of an unknown account: every problem is
    counted (as the file path counts them), the first 100 of each reason listed."""
    n_blank, n_unknown, n_good = 250, 130, 20
    accounts = pa.table({"Account ID": ["A", "B"], "Revenue": [10.0, 5.0]})
    ids = ["A"] * n_blank + ["ZZ"] * n_unknown + ["B"] * n_good
    dates = [None] * n_blank + [date(2024, 1, 1)] * (n_unknown + n_good)
    activities = pa.table({"Account ID": ids, "Date": pa.array(dates, pa.date32())})
    csv = "Account ID,Date\n" + "".join(
        f"{i},{'' if d is None else d.isoformat()}\n" for i, d in zip(ids, dates, strict=True)
    )
    file_book = load(
        Upload("a.csv", b"Account ID,Revenue\nA,10\nB,5\n"), Upload("t.csv", csv.encode())
    )
    url = publish_duckdb(tmp_path / "r.duckdb", {"accounts": accounts, "activities": activities})
    book = load_from(connect(url), Tables("accounts", "activities"))
    assert book.reject_counts() == file_book.reject_counts() == (380, 380)
    assert book.counts() == file_book.counts()
    reasons = [r["reason"] for r in book.rejects().to_pylist()]
    assert reasons.count("missing date") == 100
    assert reasons.count("unknown account (not in the accounts)") == 100
    assert summarise(book)["rejects"] == summarise(file_book)["rejects"] == 380


def test_awkward_text_crosses_unchanged(pg_url: str) -> None:
    """Names with commas, quotes, a line break, an empty string and NULL come back
    from PostgreSQL as they are (results travel as CSV from COPY)."""
    names = ["Acme, Inc", 'The "Best" Co', "Line\nbreak", "", None]
    accounts = pa.table(
        {"Account ID": ["A", "B", "C", "D", "E"], "Account Name": names, "Revenue": [1.0] * 5}
    )
    publish_postgres(pg_url, {"accounts": accounts})
    engine = connect(pg_url)
    fetched = engine.run(engine.table("accounts").order_by("Account ID"))
    assert fetched.column("Account Name").to_pylist() == names
    engine.close()


def test_a_permission_error_is_one_sentence(pg_url: str) -> None:
    """A role that may connect but not read the tables (the catalogue then does not
    list them to it): the load ends in one sentence naming the engine, the table and
    why, never a traceback or the password."""
    import psycopg

    publish_postgres(pg_url, sample_tables())
    admin = pg_url.replace("postgresql://", "postgres://")
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute("DROP ROLE IF EXISTS nosy")
        con.execute("CREATE ROLE nosy LOGIN PASSWORD 'nosy-pass'")
    url = pg_url.replace("alms:not-a-secret", "nosy:nosy-pass")
    engine = connect(url)
    with pytest.raises(LoadError) as caught:
        load_from(engine, Tables("accounts", "activities"))
    message = str(caught.value)
    assert message.startswith("postgresql://127.0.0.1:")
    assert message.endswith("has no table or view named 'accounts' that this login may read.")
    assert "nosy-pass" not in message and "\n" not in message
    engine.close()
