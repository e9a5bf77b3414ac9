"""The prepared order of the accounts (customers first, by revenue, then id), which
every figure's positions rely on: sorted by Arrow in `prepared._accounts`, checked here
against DuckDB's own ORDER BY of the same rule (the SQL it replaced) and by hand."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from alms.prepared import prepare
from tests.helpers import book_of

ORDER_SQL = "SELECT account_id FROM accounts ORDER BY revenue > 0 DESC, revenue DESC, account_id"


def test_ties_zero_revenue_and_ids_by_hand() -> None:
    book = book_of(
        """
        id,revenue
        b,10
        a,10
        Z,0
        é,10.00005
        a10,0
        a9,
        B,10.0001
        """
    )
    # 10.00005 rounds half-even to 10.0000: a tie with a and b, and "é" sorts after
    # ASCII by its bytes; B (10.0001) is the largest; "Z" < "a10" < "a9" among the zeros
    assert prepare(book).frame["account_id"].tolist() == ["B", "a", "b", "é", "Z", "a10", "a9"]


ids = st.text(alphabet="aAbB0129é_ ", min_size=1, max_size=4).map(str.strip).filter(bool)
amounts = st.sampled_from(["0", "", "1", "1.5", "2", "2.00001", "1000", "999.9999"])


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(ids, amounts, min_size=1, max_size=25))
def test_the_prepared_order_is_duckdbs_order_by(rows: dict[str, str]) -> None:
    book = book_of("id,revenue\n" + "\n".join(f'"{i}",{r}' for i, r in rows.items()))
    expected = book.query(ORDER_SQL).column("account_id").to_pylist()
    assert prepare(book).frame["account_id"].tolist() == expected
