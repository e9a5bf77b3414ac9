"""Invariants on random books (hypothesis), each checked by a second, simpler method."""

import csv
import io
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms.analysis import assign
from alms.prepared import prepare
from alms.reading.book import Upload, load
from alms.settings import Settings

IDS = st.sampled_from(["a", "b", "c", "0012", "12", "x y", "", " a "])
MONEY = st.one_of(
    st.decimals(min_value=0, max_value=10**7, places=2).map(str),
    st.sampled_from(["", "-5", "(3)", "abc", "$1,000.50", "1,5", "0", "1e3"]),
)


def to_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["Account ID", "Account Owner", "Revenue"])
    writer.writerows(rows)
    return buf.getvalue().encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(IDS, st.sampled_from(["Ann", "", "Bob"]), MONEY), max_size=25))
def test_ingestion_never_loses_or_duplicates_a_row(rows) -> None:
    book = load(Upload("a.csv", to_csv([list(r) for r in rows])))
    counts = book.counts()["accounts"]
    assert counts["rows"] == len(rows)
    assert counts["accepted"] + counts["rejected"] == len(rows)
    accepted_rows = [r[0] for r in book.con.execute("SELECT src_row FROM accounts").fetchall()]
    rejected_rows = {r["row"] for r in book.rejects().to_pylist()}
    assert len(rejected_rows) == counts["rejected"]
    # every input row (2..n+1) is in exactly one of the two sets
    assert sorted(accepted_rows + sorted(rejected_rows)) == list(range(2, len(rows) + 2))
    ids = [r[0] for r in book.con.execute("SELECT account_id FROM accounts").fetchall()]
    assert len(ids) == len(set(ids))


def reference_key(revenues: dict[str, Decimal], rule: str, pct: float) -> set[str]:
    """Plain Python: sort, then walk the prefix with exact fractions."""
    customers = sorted((r for r in revenues.items() if r[1] > 0), key=lambda r: (-r[1], r[0]))
    if rule == "count":
        k = math.ceil(Fraction(len(customers)) * Fraction(str(pct)) / 100)
        return {c for c, _ in customers[:k]}
    total = sum((v for _, v in customers), Decimal(0))
    target = Fraction(total) * Fraction(str(pct)) / 100
    out, running = set(), Decimal(0)
    for cid, value in customers:
        if Fraction(running) >= target:
            break
        out.add(cid)
        running += value
    return out


def reference_band(value: Decimal, thresholds) -> int:
    if value <= 0:
        return 0
    return 1 + sum(1 for t in thresholds if value >= Decimal(str(t)))


BOOKS = st.dictionaries(
    st.text(alphabet="abcdefgh0123", min_size=1, max_size=4),
    st.one_of(
        st.decimals(min_value=0, max_value=10**7, places=2),
        st.sampled_from([Decimal(0), Decimal(10_000), Decimal(100), Decimal("9999.99")]),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    BOOKS,
    st.sampled_from(["cumulative", "count"]),
    st.sampled_from([0.1, 20, 33.3, 50, 79.99, 80, 95, 100]),
    st.lists(st.sampled_from([100, 5_000, 10_000, 250_000, 1_000_000]), unique=True, max_size=4),
)
def test_segments_and_bands_match_a_plain_recompute(revenues, rule, pct, thresholds) -> None:
    text = "id,revenue\n" + "".join(f"{k},{v}\n" for k, v in revenues.items())
    book = load(Upload("a.csv", text.encode()))
    prepared = prepare(book)
    thresholds = tuple(sorted(thresholds))
    base = Settings()
    s = base.with_key(rule=rule, cumulative_pct=pct, count_pct=pct)
    if thresholds:
        from alms.settings import Bands

        s = Settings(key=s.key, bands=Bands().with_thresholds(thresholds))
    result = assign(prepared, s)
    frame = result.frame().set_index("account_id")
    key = set(frame.index[frame["segment"] == "key"])
    assert key == reference_key(revenues, rule, pct)
    customers = {k for k, v in revenues.items() if v > 0}
    secondary = set(frame.index[frame["segment"] == "secondary"])
    assert key | secondary == customers and not key & secondary
    codes = dict(zip(frame.index, result.band.tolist(), strict=True))
    assert codes == {k: reference_band(v, s.bands.thresholds) for k, v in revenues.items()}
    assert sum(result.band_counts().values()) == len(revenues)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BOOKS, st.sampled_from([50, 80, 90]))
def test_prepared_path_agrees_with_a_sql_window_recompute(revenues, pct) -> None:
    text = "id,revenue\n" + "".join(f"{k},{v}\n" for k, v in revenues.items())
    book = load(Upload("a.csv", text.encode()))
    sql_key = {
        r[0]
        for r in book.con.execute(
            """
            WITH c AS (SELECT account_id, revenue FROM accounts WHERE revenue > 0),
            w AS (SELECT account_id,
                    SUM(revenue) OVER (ORDER BY revenue DESC, account_id
                                       ROWS UNBOUNDED PRECEDING) - revenue AS before,
                    SUM(revenue) OVER () AS total
                  FROM c)
            SELECT account_id FROM w WHERE before * 100 < total * CAST(? AS DECIMAL(10,4))
            """,
            [pct],
        ).fetchall()
    }
    result = assign(prepare(book), Settings().with_key(cumulative_pct=pct))
    frame = result.frame()
    assert set(frame["account_id"][frame["segment"] == "key"]) == sql_key


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    BOOKS,
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 90), st.integers(0, 6), st.integers(0, 400)),
        min_size=6,
        max_size=6,
    ),
)
def test_programme_hours_add_up(revenues, rows) -> None:
    from alms import programme
    from alms.settings import Bands, Engagement

    owners = ["Ann", "Bob", "Cy"]
    text = "id,owner,revenue\n" + "".join(
        f"{k},{owners[i % 3]},{v}\n" for i, (k, v) in enumerate(revenues.items())
    )
    prog = tuple(Engagement("x", c, m, v, mv, "grow") for c, m, v, mv in rows)
    s = Settings(bands=Bands(Bands().thresholds, prog))
    result = assign(prepare(load(Upload("a.csv", text.encode()))), s)
    per_band = programme.by_band(result)
    per_seller = programme.by_seller(result)
    # each account needs its band's hours: sum per band = count x hours, totals agree
    expected = [n * e.hours_per_year for n, e in zip(per_band["accounts"], prog, strict=True)]
    assert per_band["required_hours"].tolist() == pytest.approx(expected)
    assert per_seller["required_hours"].sum() == pytest.approx(sum(expected))
    assert per_band["accounts"].sum() == len(revenues)
