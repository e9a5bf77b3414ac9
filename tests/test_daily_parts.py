"""The per-day activity sums of `prepare` are read in consecutive ranges of days when a
book is large (a 10M-activity book's sums do not fit one query of a session's
database); split or whole, they are the same rows in the same order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alms import prepared
from alms.engine import Tables, connect, load_from
from alms.prepared import Daily, prepare
from alms.workspace import load_sample
from tests.engines import publish_duckdb
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


def test_a_file_book_read_in_parts_gives_the_same_sums(monkeypatch: pytest.MonkeyPatch) -> None:
    book = load_sample()
    whole = prepare(book).daily
    rows = book.scalar("SELECT count(*) FROM activities")
    monkeypatch.setattr(prepared, "ROWS_PER_PART", rows // 7)
    ranges = prepared._day_ranges(book)
    assert len(ranges) >= 6  # the book was really split (ties of days may merge two cuts)
    split = prepare(book).daily
    assert_same(whole, split)
    # Days ascend across the parts: every window is still one slice.
    assert np.all(np.diff(split.day) >= 0)


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
