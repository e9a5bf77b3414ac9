"""The per-day activity figures of `prepare`: a file book's are summed from its rows and
agree with the shared ibis rule; an engine's sums are read in consecutive ranges of
days when they are many (they may not fit one query of a session's database), and
split or whole they are the same rows in the same order."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alms import prepared
from alms.aggregates import duckdb_sql
from alms.engine import Tables, connect, load_from
from alms.prepared import Daily, _day, prepare
from alms.reading.book import Upload, load, rebase
from alms.reading.ingest import LoadOptions
from alms.settings import ACTIVITY_TYPES
from alms.workspace import load_sample
from tests.engines import publish_duckdb
from tests.helpers import book_of
from tests.test_engines import sample_tables


def rows(d: Daily) -> list[tuple]:
    """The sums as rows, in a canonical order: rows of one day come in no set order."""
    return sorted(
        zip(
            d.day.tolist(),
            d.pos.tolist(),
            d.sellers[d.seller].tolist(),  # codes differ between reads; names may not
            d.type.tolist(),
            d.minutes.tolist(),
            d.blanks.tolist(),
            strict=True,
        )
    )


def assert_same(a: Daily, b: Daily) -> None:
    assert rows(a) == rows(b)
    assert a.exact == b.exact


def test_a_file_books_activities_sum_to_the_ibis_rules_figures() -> None:
    """The session's own book is summed from its rows in NumPy; the shared ibis
    aggregates (the rule the engines run) summed in DuckDB must give the same figures:
    per account and type, and per day, account, seller and type."""
    book = load_sample()
    p = prepare(book)
    ids = pa.table({"account_id": p.frame["account_id"].tolist(), "pos": range(p.n_accounts)})
    book.con.register("_ids", ids)
    wide = book.query(
        f"SELECT i.pos, s.* FROM ({duckdb_sql('activity_per_account', p.activity_as_of)}) s"
        " JOIN _ids i USING (account_id) ORDER BY i.pos"
    ).to_pandas()
    sums = book.query(
        f"SELECT s.*, i.pos FROM ({duckdb_sql('activity_sums', p.activity_as_of)}) s"
        " JOIN _ids i USING (account_id)"
    ).to_pandas()
    book.con.unregister("_ids")
    pos = wide["pos"].to_numpy()
    assert len(pos) > 1000 and len(sums) > 10_000  # the sample book really has activities
    for w in ("all", "12m"):
        for k, t in enumerate(ACTIVITY_TYPES):
            expected = wide[f"m_{w}_{t}"].fillna(0).to_numpy()
            assert np.allclose(getattr(p, f"minutes_{w}")[pos, k], expected, atol=1e-9), (w, t)
            expected = wide[f"b_{w}_{t}"].fillna(0).to_numpy()
            assert np.array_equal(getattr(p, f"blanks_{w}")[pos, k], expected), (w, t)
    no_activity = np.setdiff1d(np.arange(p.n_accounts), pos)
    assert np.isnat(p.last_contact[no_activity]).all()
    for name in ("last_activity", "last_contact"):
        expected = pd.to_datetime(wide[name]).to_numpy().astype("datetime64[D]")
        assert np.array_equal(getattr(p, name)[pos].view("i8"), expected.view("i8")), name

    d = p.daily
    assert np.all(np.diff(d.day) >= 0)  # every window is one slice
    mine = (
        pd.DataFrame(
            {
                "day": d.day.astype("datetime64[D]"),
                "pos": d.pos,
                "seller": d.sellers[d.seller],
                "type": np.asarray(ACTIVITY_TYPES)[d.type],
                "m": d.minutes,
                "b": d.blanks,
            }
        )
        .groupby(["day", "pos", "seller", "type"], as_index=False)[["m", "b"]]
        .sum()
    )
    theirs = sums.assign(day=pd.to_datetime(sums["day"]).astype("datetime64[s]"))
    mine["day"] = mine["day"].astype("datetime64[s]")
    key = ["day", "pos", "seller", "type"]
    joined = mine.merge(theirs, on=key, how="outer", suffixes=("", "_sql"), indicator=True)
    assert (joined["_merge"] == "both").all()
    assert np.allclose(joined["m"], joined["m_sql"], atol=1e-9)
    assert np.array_equal(joined["b"], joined["b_sql"])
    assert sorted(d.sellers.tolist()) == sorted(set(sums["seller"]))


def test_activities_after_the_as_of_date_count_in_last_activity_only(tmp_path: Path) -> None:
    """Worked by hand: two accounts, activities out of date order, one seller whose only
    activity is after the as-of date (1 March 2025)."""
    accounts = "account_id,account_name,owner,revenue\nA1,Alpha,Ann,100\nA2,Beta,Bob,50\n"
    activities = (
        "account_id,seller,date,type,duration_minutes\n"
        "A2,Bob,2025-02-10,call,15\n"
        "A1,Ann,2025-03-05,visit,90\n"  # after the as-of date
        "A1,Cy,2025-03-09,email,\n"  # after it, Cy's only activity
        "A1,Ann,2024-01-20,meeting,60\n"  # before the 12-month window
        "A1,,2025-01-15,call,\n"  # no seller: the owner Ann; no duration
        "A2,Bob,2025-02-10,call,5\n"
    )
    book = load(
        Upload("a.csv", accounts.encode()),
        Upload("b.csv", activities.encode()),
        options=LoadOptions(as_of=date(2025, 3, 1)),
    )
    p = prepare(book)
    a1, a2 = p.positions_of(["A1", "A2"])
    call, meeting, visit, email = (
        ACTIVITY_TYPES.index(t) for t in ("call", "meeting", "visit", "email")
    )
    assert p.last_activity[a1] == np.datetime64("2025-03-09")
    assert p.last_contact[a1] == np.datetime64("2025-01-15")
    assert p.minutes_all[a1, visit] == 90 and p.blanks_all[a1, email] == 1
    assert p.minutes_12m[a1].sum() == 0 and p.blanks_12m[a1, call] == 1
    assert p.minutes_12m[a2, call] == 20 and p.minutes_all[a1, meeting] == 60
    d = p.daily
    assert d.day.tolist() == [
        _day(date(2024, 1, 20)),
        _day(date(2025, 1, 15)),
        *[_day(date(2025, 2, 10))] * 2,
    ]
    assert sorted(d.sellers.tolist()) == ["Ann", "Bob"]  # Cy logged nothing up to the as-of date
    assert d.sellers[d.seller].tolist()[:2] == ["Ann", "Ann"]
    assert d.minutes.tolist()[:2] == [60.0, 0.0] and d.blanks.tolist()[:2] == [0.0, 1.0]


def test_an_engine_book_read_in_parts_gives_the_same_sums(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = connect(publish_duckdb(tmp_path / "b.duckdb", sample_tables()))
    book = load_from(engine, Tables("accounts", "activities"))
    whole = prepare(book).daily
    rows = book.scalar("SELECT count(*) FROM activity_sums")
    monkeypatch.setattr(prepared, "ROWS_PER_PART", rows // 5)
    assert len(prepared._day_ranges(book)) >= 3
    assert_same(whole, prepare(book).daily)
    engine.close()


# ------------------------------------------------- positions from the stored keys


def _activity_rows_by_name(p: prepared.Prepared, rows: prepared.ActivityRows) -> list[tuple]:
    ids = p.frame["account_id"].to_numpy()
    return sorted(
        zip(
            ids[rows.pos].tolist(),
            rows.day.tolist(),
            rows.sellers[rows.seller].tolist(),
            rows.type.tolist(),
            np.nan_to_num(rows.minutes, nan=-1).tolist(),
            strict=True,
        )
    )


@st.composite
def keyed_books(draw) -> dict[str, str | None]:
    """Accounts in any order (an accounts file, order lines, or both: the accounts'
    revenue then comes from an UPDATE), activities on them and on unknown ids."""
    n = draw(st.integers(1, 12))
    ids = draw(st.permutations([f"A{i:02d}" for i in range(n)]))
    shape = draw(st.sampled_from(["accounts", "orders", "both"]))
    accounts = None
    if shape != "orders":
        lines = [f"{i},{draw(st.sampled_from(['Ann', 'Bob', '']))},{draw(st.integers(0, 9))}"
                 for i in ids]  # fmt: skip
        accounts = "Account ID,Owner,Revenue\n" + "\n".join(lines)
    orders = None
    if shape != "accounts":
        lines = [f"{i},Cy,2024-0{draw(st.integers(1, 9))}-01,{draw(st.integers(1, 90))}"
                 for i in draw(st.lists(st.sampled_from(ids), min_size=1))]  # fmt: skip
        orders = "Account ID,Owner,Date,Amount\n" + "\n".join(lines)
    acts = draw(st.lists(st.tuples(
        st.sampled_from([*ids, "ZZ"]), st.sampled_from(["Ann", "Dee", ""]),
        st.integers(1, 28), st.sampled_from(["Call", "Visit", "Lunch", ""]),
        st.sampled_from(["15", "", "2.5"]),
    ), max_size=40))  # fmt: skip
    activities = "Account ID,Seller,Date,Type,Duration\n" + "\n".join(
        f"{a},{s},2024-05-{d:02d},{t},{m}" for a, s, d, t, m in acts
    )
    return {"accounts": accounts, "activities": activities, "orders": orders}


@settings(max_examples=40, deadline=None)
@given(keyed_books())
def test_positions_from_the_stored_keys_are_the_joins(texts: dict[str, str | None]) -> None:
    """A freshly loaded book reads each activity's account position from its stored
    key; the join on the account ids (what a copied book does) gives the same rows."""
    book = book_of(texts["accounts"], texts["activities"], texts["orders"])
    assert book.keyed
    p = prepare(book)
    frame = prepared._accounts(book, None, True)
    keyed = prepared.keyed_activity_rows(book, frame.column("account_row").to_numpy())
    joined = prepared.activity_rows(book, p.frame["account_id"])
    assert _activity_rows_by_name(p, keyed) == _activity_rows_by_name(p, joined)
    unkeyed = prepare(dataclasses.replace(book, keyed=False))
    assert np.array_equal(p.minutes_all, unkeyed.minutes_all)
    assert np.array_equal(p.blanks_12m, unkeyed.blanks_12m)
    assert rows(p.daily) == rows(unkeyed.daily)


def test_a_rebased_book_joins_on_the_ids() -> None:
    """A book at an earlier as-of date rebuilds its accounts: its activities' stored
    keys may point elsewhere, so it is not keyed, and its figures are the join's."""
    orders = "Account ID,Owner,Date,Amount\nB1,Bob,2023-01-05,10\nA1,Ann,2024-02-01,20\n"
    acts = "Account ID,Date,Duration\nA1,2023-01-10,30\nB1,2023-01-11,45\n"
    book = book_of(None, acts, orders)
    then = rebase(book, date(2023, 6, 1))
    assert book.keyed and not then.keyed
    p = prepare(then)  # B1 only: A1's first line is later
    assert p.frame["account_id"].tolist() == ["B1"]
    assert p.minutes_all.sum() == 45
