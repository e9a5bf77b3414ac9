"""Segments and bands on hand-worked books (DOMAIN.md "Exact definitions")."""

import numpy as np
import pytest

from alms.analysis import KEY, assign, band_codes, count_cut, cumulative_cut
from alms.prepared import prepare
from alms.settings import Bands, Engagement, Override, Settings
from tests.helpers import book_of


def seg(book_text: str, settings: Settings | None = None, activities: str | None = None):
    book = book_of(book_text, activities)
    prepared = prepare(book)
    result = assign(prepared, settings or Settings())
    frame = result.frame().set_index("account_id")
    return result, frame


def test_cumulative_rule_exact_boundary_and_ties_by_id() -> None:
    # total 1000; 80% = 800. Sorted: A 500, B 300 (sum 800 -> reached), C 100, D 100
    _result, frame = seg(
        """
        id,owner,revenue
        D,x,100
        C,x,100
        B,x,300
        A,x,500
        E,x,0
        """
    )
    assert list(frame.index) == ["A", "B", "C", "D", "E"]  # ties C, D by id ascending
    assert frame["segment"].tolist() == ["key", "key", "secondary", "secondary", "prospect"]
    # 80.01% needs the next in order: C (not D) joins
    _, frame = seg(
        "id,revenue\nD,100\nC,100\nB,300\nA,500", Settings().with_key(cumulative_pct=80.01)
    )
    assert frame.loc[["A", "B", "C"], "segment"].tolist() == ["key"] * 3
    assert frame.loc["D", "segment"] == "secondary"


def test_count_rule_ceil() -> None:
    # 7 customers, 20% -> ceil(1.4) = 2
    text = "id,revenue\n" + "\n".join(f"a{i},{10 * (i + 1)}" for i in range(7))
    _result, frame = seg(text, Settings().with_key(rule="count", count_pct=20))
    assert sorted(frame.index[frame["segment"] == "key"]) == ["a5", "a6"]
    assert count_cut(7, 20) == 2 and count_cut(10, 20) == 2 and count_cut(11, 20) == 3
    assert count_cut(3, 33.3) == 1  # 0.999 -> 1 (exact decimal, no float drift)


def test_single_customer_and_all_zero() -> None:
    _, frame = seg("id,revenue\nonly,5\nz,0")
    assert frame.loc["only", "segment"] == "key"
    result, frame = seg("id,revenue,status\na,0,\nb,,Lead")
    assert frame["segment"].tolist() == ["prospect", "lead"]
    assert result.counts()["key"] == 0 and result.prepared.n_customers == 0


def test_cut_helpers_directly() -> None:
    cum = np.cumsum([50, 30, 10, 10])
    assert cumulative_cut(cum, 80) == 2
    assert cumulative_cut(cum, 50) == 1
    assert cumulative_cut(cum, 100) == 4
    assert cumulative_cut(cum, 0) == 0
    assert cumulative_cut(np.array([], dtype=np.int64), 80) == 0


def test_band_edges_are_left_closed() -> None:
    units = np.array([0, 1, 99_999_999, 100_000_000, 999_999_999, 1_000_000_000]) * 1
    # in 1/10,000 units: 0, 0.0001, 9999.9999, 10000, 99999.9999, 100000
    codes = band_codes(units, (10_000, 100_000, 1_000_000, 5_000_000))
    assert codes.tolist() == [0, 1, 1, 2, 2, 3]
    labels = Bands().labels
    assert labels == ("Zero", "up to 10K", "10K-100K", "100K-1M", "1M-5M", "5M+")


def test_edited_bands_and_required_hours() -> None:
    bands = Bands().with_thresholds((500, 10_000, 100_000, 1_000_000, 5_000_000))
    assert bands.labels[:3] == ("Zero", "up to 500", "500-10K")
    assert len(bands.programme) == 7
    _result, frame = seg("id,revenue\na,500\nb,499.99\nc,5000000\nd,0", Settings(bands=bands))
    assert frame["band"].astype(str).to_dict() == {
        "c": "5M+",
        "a": "500-10K",
        "b": "up to 500",
        "d": "Zero",
    }
    # 5M+ default programme: 26 x 60 + 6 x 300 minutes = 3360 min = 56 h
    assert frame.loc["c", "required_hours"] == 56.0


def test_hours_use_type_defaults_for_blank_durations() -> None:
    result, frame = seg(
        "id,owner,revenue\nA,Ann,100",
        activities="""
        account id,date,type,duration
        A,2024-01-10,Call,30
        A,2024-01-11,Email,
        A,2024-01-12,Visit,
        A,2022-01-01,Call,600
        """,
    )
    # window: (2023-01-12, 2024-01-12]: 30 + email 5 + visit 180 = 215 min
    assert frame.loc["A", "hours_12m"] == 215 / 60
    assert result.hours_all[0] == (215 + 600) / 60
    custom = Settings(
        minutes_per_type=(
            ("call", 15),
            ("email", 10),
            ("meeting", 60),
            ("visit", 120),
            ("other", 30),
        )
    )
    result2 = assign(result.prepared, custom)
    assert result2.hours_12m[0] == (30 + 10 + 120) / 60


def test_growth_candidates_and_scope_within_owner() -> None:
    text = """
    id,owner,revenue,potential
    A,Ann,900,
    B,Ann,100,900
    C,Ann,50,899.99
    D,Bob,40,
    E,Bob,10,40
    """
    _result, frame = seg(text)
    # book: total 1100, 80% = 880 -> A alone (900). Smallest key revenue 900.
    assert frame.index[frame["segment"] == "key"].tolist() == ["A"]
    assert frame["growth_candidate"][frame["growth_candidate"]].index.tolist() == ["B"]
    within = Settings().with_key(within="owner")
    _result, frame = seg(text, within)
    # Ann: 1050 -> 840: A (900). Bob: 50 -> 40: D (40). E's potential 40 >= 40: growth.
    assert sorted(frame.index[frame["segment"] == "key"]) == ["A", "D"]
    assert sorted(frame.index[frame["growth_candidate"]]) == ["B", "E"]


def test_growth_rule_is_exact_and_overrides_do_not_move_the_threshold() -> None:
    text = """
    id,revenue,potential
    A,1000,
    B,100,1100
    C,100,1099.99
    D,20,
    """
    # total 1220, 80% = 976 -> A alone is key: the threshold is 1000.
    # 1.1 x 1000 = 1100 exactly (in binary floats 1100.0000000000002): B qualifies, C not.
    _result, frame = seg(text, Settings(growth_factor=1.1))
    assert frame.index[frame["growth_candidate"]].tolist() == ["B"]
    # D (20) made key by hand: the threshold stays the rule's 1000, so C still does not
    # qualify (it would against D's 20).
    by_hand = Settings(growth_factor=1.1, overrides=(Override("D", "key", "logo"),))
    _result, frame = seg(text, by_hand)
    assert frame.loc["D", "segment"] == "key"
    assert frame.index[frame["growth_candidate"]].tolist() == ["B"]


def test_override_and_outlier_exclusion() -> None:
    text = "id,revenue\nA,1000000\nB,60\nC,30\nD,10"
    settings = Settings(overrides=(Override("D", "key", "strategic logo"),))
    result, frame = seg(text, settings)
    assert frame.loc["D", "segment"] == "key" and frame.loc["D", "overridden"]
    excl = Settings(exclude_above=500_000)
    result, frame = seg(text, excl)
    # without A: 100 -> 80: B (60) + C (30) = 90 >= 80
    assert frame["segment"].tolist() == ["secondary", "key", "key", "secondary"]
    assert result.excluded.tolist() == [True, False, False, False]


def test_engagement_hours() -> None:
    e = Engagement("x", 12, 20, 2, 180, "grow")
    assert e.hours_per_year == (12 * 20 + 2 * 180) / 60
    assert KEY == 0


def test_outliers_left_out_of_the_cut_leave_the_headline_and_curve_too() -> None:
    from alms import pareto

    # A (10,000) is above exclude_above: the key rule runs on B 600, C 300, D 100
    # (80% of 1,000 = 800: B + C = 900), and the headline and curve describe those three.
    book = book_of("id,revenue\nA,10000\nB,600\nC,300\nD,100\nE,0\n")
    r = assign(prepare(book), Settings(exclude_above=5000))
    ids = r.prepared.frame["account_id"].to_numpy()
    assert ids[r.segment == KEY].tolist() == ["B", "C"]
    f = pareto.facts(r, pareto.Scope())
    assert (f.customers, f.cumulative_count, f.key_count, f.zero_revenue) == (3, 2, 2, 1)
    assert f.key_revenue_share == pytest.approx(0.9)
    assert f.sentence("cumulative") == "67% of customers hold 90% of revenue"
    c = pareto.curve(r, pareto.Scope())
    assert c.customers == 3 and c.y[-1] == pytest.approx(1.0)
    assert c.x[2] == pytest.approx(2 / 3) and c.y[2] == pytest.approx(0.9)  # the cut-off


def test_at_least_times_is_exact_with_every_factor() -> None:
    """values >= base x factor, the factor read as the decimal it is written as;
    expected values worked out with Python's exact fractions."""
    from fractions import Fraction

    from alms.analysis import at_least_times

    values = np.array([0, 1, 10, 99, 100, 101, 150, 2**62, -5, 7], dtype=np.int64)
    base = np.array([0, 10, 100, 990, 1000, 1000, 100, 2**62, -5, 70], dtype=np.int64)
    for factor in (1.0, 0.1, 1.5, 0.0, 2.0):
        exact = Fraction(str(factor))
        expected = [
            Fraction(int(v)) >= Fraction(int(b)) * exact for v, b in zip(values, base, strict=True)
        ]
        assert at_least_times(values, base, factor).tolist() == expected, factor
