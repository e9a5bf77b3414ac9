"""The session file: a book and its scenarios out and back in, with every figure as it
was (alms summary of the original against the reloaded book), and damaged or foreign
files refused with one sentence."""

import io
import json
import zipfile
from dataclasses import replace
from datetime import date

import pytest

from alms import session_file
from alms.reading.book import LoadError
from alms.reading.ingest import LoadOptions
from alms.scenarios import Named
from alms.scorecard import default_for_sample
from alms.settings import Attribute, Scorecard, Settings
from alms.summary import summarise
from alms.workspace import load_sample
from tests.helpers import book_of

SAME = ("input", "rejects", "warnings")  # about the files, not the figures


def figures(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k not in SAME}


def test_the_sample_comes_back_with_every_figure_and_scenario() -> None:
    s = replace(Settings(), scorecard=default_for_sample())
    t = s.with_key(cumulative_pct=70.0)
    data = session_file.dump(load_sample(), [Named("today", s), Named("seventy", t)], "seventy")
    back = session_file.read(data, "workshop.zip")
    assert back.scenarios.current == "seventy"
    assert [n.name for n in back.scenarios.scenarios] == ["today", "seventy"]
    for named in back.scenarios.scenarios:
        original = summarise(load_sample(), named.settings)
        again = summarise(back.book, named.settings)
        assert figures(again) == figures(original)
    assert back.book.source == "sample book (from workshop.zip)"
    assert any(w.startswith("at the original load: accounts.csv") for w in back.book.warnings)


def test_an_order_lines_book_keeps_its_as_of_date_and_windows() -> None:
    book = book_of(
        None,
        orders="""
        customer,order date,sales
        X,2026-03-01,100
        X,2025-03-01,40
        Y,2026-02-01,7.5
        Y,2024-12-31,99
        """,
        options=LoadOptions(as_of=date(2026, 6, 30)),
    )
    original = summarise(book)
    back = session_file.read(session_file.dump(book, [Named("s", Settings())], "s"))
    assert back.book.as_of == date(2026, 6, 30)
    assert figures(summarise(back.book)) == figures(original)
    assert original["revenue_total"] == 107.5  # X 100 + Y 7.5 in the 12 months to 30 Jun


def test_the_baseline_comes_back_with_the_same_movement() -> None:
    from alms.reading.book import rebase
    from alms.workspace import load_sample_baseline

    since = Settings(follow=replace(Settings().follow, since=date(2026, 5, 1)))
    sample = load_sample()
    original = summarise(sample, since, load_sample_baseline())
    data = session_file.dump(sample, [Named("s", since)], "s", load_sample_baseline())
    back = session_file.read(data, "w.zip")
    assert back.baseline is not None and back.baseline_how == "export"
    again = summarise(back.book, since, back.baseline)
    assert again["movement"] == original["movement"]
    assert again["before_after"] == original["before_after"]
    assert again["trend"] == original["trend"]
    # an order-line book's baseline at an earlier as-of date: its accounts and dates kept
    orders = book_of(
        None,
        orders="""
        customer,order date,sales
        X,2026-03-01,100
        X,2025-03-01,40
        Y,2026-02-01,7.5
        """,
    )
    then = rebase(orders, date(2025, 6, 30))
    expected = summarise(orders, Settings(), then)["movement"]
    back = session_file.read(
        session_file.dump(orders, [Named("s", Settings())], "s", then, "as_of")
    )
    assert back.baseline_how == "as_of" and back.baseline.as_of == date(2025, 6, 30)
    assert summarise(back.book, Settings(), back.baseline)["movement"] == expected
    assert expected["transitions"]["absent"]["secondary"] == 1  # Y: no line by then


def test_rejected_rows_are_counted_and_odd_headers_survive() -> None:
    book = book_of(
        """
        id,name,revenue,"Exec ""access"" (1-5)","); DROP TABLE accounts; --"
        A,Alpha,100,5,1
        B,Beta,not a number,3,2
        C,Gamma,50,1,3
        """
    )
    card = Scorecard(
        attributes=(Attribute('Exec "access" (1-5)', weight=10),),
    )
    s = replace(Settings(), scorecard=card)
    back = session_file.read(session_file.dump(book, [Named("s", s)], "s"))
    assert back.rejected == 1
    assert figures(summarise(back.book, s)) == figures(summarise(book, s))
    assert [c.header for c in back.book.number_columns] == [
        'Exec "access" (1-5)',
        "); DROP TABLE accounts; --",
    ]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "damaged"),
        (_zip({"other.txt": b"x"}), "not an ALMS session file"),
        (
            _zip(
                {
                    "session.json": b'{"format": "alms-session", "version": 9}',
                    "accounts.parquet": b"",
                }
            ),
            "newer ALMS",
        ),
        (_zip({"session.json": b"{nope", "accounts.parquet": b""}), "damaged"),
    ],
)
def test_what_is_no_session_file_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        session_file.read(data, "f.zip")


def test_a_member_too_large_is_refused_before_it_is_inflated(monkeypatch) -> None:
    monkeypatch.setattr(session_file, "MAX_MEMBER_BYTES", 1_000)
    data = _zip(
        {
            "session.json": json.dumps({"format": "alms-session"}).encode(),
            "accounts.parquet": b"0" * 5_000,
        }
    )
    with pytest.raises(LoadError, match="too large"):
        session_file.read(data, "f.zip")
    assert session_file.is_session_file(data) and not session_file.is_session_file(b"PK\x03\x04")
