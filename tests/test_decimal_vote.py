"""The decimal mark of a money column, voted by Arrow for the whole column
(`infer_decimal_mark`), against a second, per-text Python implementation of the rule
(`_strip_money` and the two hint patterns, as ALMS voted before), on generated texts of
real exports."""

from __future__ import annotations

import re

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from alms.reading import parsing
from alms.reading.parsing import DecimalMark, infer_decimal_mark

PIECES = [
    "0", "1", "12", "200", "1234", "5", "99999", ".", ",", ".", ",", " ", "'", "’", "(", ")",
    "-", "−", "+", "$", "€", "£", "USD", "EUR", "US$", "R$", "kr", "Fr.", "Fr", "\u00a0",
    "\u202f", "\t", "\n", "\u3000", "\x1c", "١٢", "%", "e5", "abc",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


def python_vote_text(text: str) -> str:
    """What the per-text rule compares with the hint patterns."""
    stripped, _ = parsing._strip_money(text)
    return stripped.replace(" ", "").replace("'", "").replace("’", "")


EU = re.compile(parsing._EU_HINT, re.ASCII)
US = re.compile(parsing._US_HINT, re.ASCII)


def python_vote(values: list[str]) -> DecimalMark:
    """The rule one text at a time: comma when more texts vote comma than point."""
    eu = us = 0
    for text in values:
        s = python_vote_text(text)
        if EU.search(s):
            eu += 1
        elif US.search(s):
            us += 1
    return DecimalMark.COMMA if eu > us else DecimalMark.POINT


@given(st.lists(texts, min_size=1, max_size=30))
def test_the_column_strips_each_text_as_the_python_rule_does(values: list[str]) -> None:
    column = parsing._vote_texts(pa.array(values, pa.string())).to_pylist()
    assert column == [python_vote_text(v) for v in values]


@given(st.lists(texts, max_size=30))
def test_the_column_votes_as_the_python_rule_does(values: list[str]) -> None:
    assert infer_decimal_mark(pa.array(values, pa.string())) == python_vote(values)


def test_votes_worked_by_hand() -> None:
    # "1.200,50" and "12,5" vote comma, "1,200.50" votes point, "1.000" does not vote.
    assert infer_decimal_mark(pa.array(["1.200,50", "12,5", "1,200.50", "1.000"])) == (
        DecimalMark.COMMA
    )
    # Wrapped and signed texts vote by their digits: "(1,200.50)" and "1.200,50-" tie.
    assert infer_decimal_mark(pa.array(["(USD 1,200.50)", "1.200,50-"])) == DecimalMark.POINT
    assert infer_decimal_mark(pa.array(["€ 3,5", None, "7"])) == DecimalMark.COMMA
    assert infer_decimal_mark(pa.array([], pa.string())) == DecimalMark.POINT
