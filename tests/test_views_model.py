"""Pareto facts and curve, programme hours, prospect limits, exports, settings round trip."""

import io
import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from alms import export, pareto, programme, prospects
from alms.analysis import assign
from alms.prepared import prepare
from alms.settings import Bands, Engagement, Override, ProspectLimits, Settings
from tests.helpers import book_of

DEFAULT_NOBODY = Engagement("nobody", 0, 0, 0, 0, "respond only")

BOOK = """
id,owner,region,revenue,potential
A,Ann,North,600,
B,Ann,North,200,
C,Bob,South,100,
D,Bob,South,50,
E,Bob,South,50,100
F,Cy,South,0,
"""


def result_of(text: str, settings: Settings | None = None, activities: str | None = None):
    return assign(prepare(book_of(text, activities)), settings or Settings())


def test_facts_for_both_rules_and_scopes() -> None:
    r = result_of(BOOK)
    f = pareto.facts(r, pareto.Scope())
    # total 1000: 80% -> A + B = 800; top 20% of 5 customers -> ceil(1) = 1 -> A = 600
    assert (f.customers, f.cumulative_count, f.count_count) == (5, 2, 1)
    assert f.cumulative_revenue_share == 0.8 and f.count_revenue_share == 0.6
    assert f.sentence("cumulative") == "40% of customers hold 80% of revenue"
    assert f.sentence("count") == "20% of customers hold 60% of revenue"
    south = pareto.facts(r, pareto.Scope("region", "South"))
    # South: C 100, D 50, E 50 (total 200); 80% = 160: C + D = 150 < 160, so all three
    assert (south.customers, south.cumulative_count) == (3, 3)
    assert south.key_count == 0  # book-wide key accounts are all in the North
    # growth: E's potential 100 >= smallest key revenue 200? no
    assert south.growth_count == 0
    bob = pareto.facts(r, pareto.Scope("owner", "Bob"))
    assert bob.customers == 3


def test_curve_is_bounded_and_keeps_the_cutoff() -> None:
    n = 50_000
    text = "id,revenue\n" + "".join(f"a{i:05d},{(i % 997) + 1}\n" for i in range(n))
    r = result_of(text)
    c = pareto.curve(r, pareto.Scope(), max_points=1_000, n_bins=40)
    assert len(c.x) <= 1_003 and len(c.bins_x) == 40
    assert c.x[0] == 0 and c.x[-1] == 1 and c.y[-1] == pytest.approx(1.0)
    k = r.counts()["key"]
    assert k / n in set(c.x.tolist())  # the cut-off point is on the drawn line
    assert c.bins_revenue.sum() == pytest.approx(r.prepared.rev.sum() / 10_000)


def test_key_changes() -> None:
    r80 = result_of(BOOK)
    r95 = assign(r80.prepared, Settings().with_key(cumulative_pct=95))
    entered, left = pareto.key_changes(r80.segment, r95.segment)
    # 95% of 1000 = 950: A, B, C (900) , D (950) -> C and D enter
    assert sorted(r80.prepared.frame["account_id"].iloc[entered]) == ["C", "D"]
    assert len(left) == 0


def test_programme_hours_by_band_and_seller() -> None:
    bands = Bands(
        (100, 500),
        (
            Engagement("nobody", 0, 0, 0, 0, "respond only"),
            Engagement("inside", 4, 15, 0, 0, "maintain"),  # 1 h
            Engagement("field", 12, 20, 1, 120, "grow"),  # 4 + 2 = 6 h
            Engagement("kam", 12, 60, 2, 180, "protect"),  # 12 + 6 = 18 h
        ),
    )
    settings = Settings(bands=bands, capacity_hours=20, service_tolerance_pct=0)
    r = result_of(
        BOOK,
        settings,
        activities="""
        account id,date,type,duration
        A,2024-06-01,Visit,600
        C,2024-06-01,Call,60
        F,2024-06-01,Call,30
        """,
    )
    table = programme.by_band(r).set_index("band")
    # bands: Zero F; up to 100: D, E; 100-500: B, C; 500+: A
    assert table["accounts"].tolist() == [1, 2, 2, 1]
    assert table["required_hours"].tolist() == [0, 2, 12, 18]
    assert table["actual_hours"].tolist() == [0.5, 0, 1, 10]
    # over: F (0 required, 0.5 actual); under: D, E (1 h each, 0 spent), B, C, A
    assert table["over_served"].tolist() == [1, 0, 0, 0]
    assert table["under_served"].tolist() == [0, 2, 2, 1]
    sellers = programme.by_seller(r).set_index("seller")
    # Ann: A 18 + B 6 = 24 > 20; Bob: C 6 + D 1 + E 1 = 8; Cy: 0
    assert sellers.loc["Ann", "required_hours"] == 24 and sellers.loc["Ann", "overloaded"]
    assert sellers.loc["Bob", "required_hours"] == 8 and not sellers.loc["Bob", "overloaded"]


def test_prospect_limits_and_suggestions() -> None:
    rows = ["id,owner,revenue,prospect list,potential,never prospect"]
    rows += [f"t{i},Ann,0,Target,{100 * i}," for i in range(12)]  # 12 targets: 2 too many
    rows += [f"x{i},Ann,0,Extra,{10 * i}," for i in range(3)]  # 3 extras: 7 too few
    rows += [f"u{i},Ann,0,,{5 + i},{'yes' if i == 0 else ''}" for i in range(3)]
    rows += ["c1,Ann,500,,,"]
    r = result_of("\n".join(rows))
    limits = ProspectLimits()
    table = prospects.by_seller(r.prepared, limits).set_index("seller")
    assert table.loc["Ann", ["target", "extra", "lead", "unlisted"]].tolist() == [12, 3, 0, 3]
    assert table.loc["Ann", "target_status"] == "too many"
    assert table.loc["Ann", "extra_status"] == "too few"
    moves = prospects.suggestions(r.prepared, limits, "Ann")
    drops = moves[moves["action"] == "drop from target"]["account_id"].tolist()
    assert drops == ["t0", "t1"]  # the two lowest potentials
    promoted = moves[moves["action"].str.startswith("promote")]["account_id"].tolist()
    assert "u0" not in promoted  # never prospect
    assert set(promoted) == {"u1", "u2"}  # only two eligible unlisted remain

    # flagged by hand: u1 (unlisted) and t11, the best target
    by_hand = prospects.suggestions(r.prepared, limits, "Ann", ("u1", "t11"))
    actions = dict(zip(by_hand["account_id"], by_hand["action"], strict=True))
    assert actions["t11"] == "remove from target (never prospect)"
    # 11 targets left, one too many: the lowest potential goes
    assert [i for i, a in actions.items() if a == "drop from target"] == ["t0"]
    # u0 (file) and u1 (hand) are never promoted: u2 is the only one left
    assert [i for i, a in actions.items() if a.startswith("promote")] == ["u2"]
    mine = prospects.seller_prospects(r.prepared, "Ann")
    assert len(mine) == 18 and (mine["list"] == "target").sum() == 12
    flagged = assign(r.prepared, Settings(never_prospect=("u1",))).frame()
    assert set(flagged.loc[flagged["never_prospect"], "account_id"]) == {"u0", "u1"}
    # the flag by hand replaces the file's column, in the file's place
    assert flagged.columns.is_unique
    file_columns = list(r.prepared.frame.columns)
    assert list(flagged.columns[: len(file_columns)]) == file_columns
    assert Settings.from_json(Settings(never_prospect=("u1",)).to_json()).never_prospect == ("u1",)


def test_exports_defuse_formulas_and_keep_numbers() -> None:
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "Acme", None],
            "revenue": [1.5, 2, 3, 4, 5, 6],
        }
    )
    text = export.to_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n'+1," in text and "\nAcme,5.0" in text
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.to_excel(frame)))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[1] == ['\'=HYPERLINK("x")', 1.5]
    assert rows[5] == ["Acme", 5.0]
    mixed = pd.DataFrame(
        {
            "flag": pd.array([True, None, False], dtype="boolean"),
            "count": pd.array([1, None, 3], dtype="Int64"),
            "band": pd.Categorical(["Zero", "5M+", None]),
        }
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(export.to_excel(mixed)))
    assert sheet.get_sheet_by_index(0).to_python() == [
        ["flag", "count", "band"],
        [True, 1.0, "Zero"],
        ["", "", "5M+"],  # blanks stay blank
        [False, 3.0, ""],
    ]
    with pytest.raises(ValueError, match="do not fit"):
        export.to_excel(pd.DataFrame({"a": np.zeros(export.EXCEL_MAX_ROWS + 1)}))


def test_settings_json_round_trip() -> None:
    s = Settings(
        bands=Bands().with_thresholds((500, 10_000)),
        overrides=(Override("A", "key", "logo"),),
        capacity_hours=900,
    ).with_key(rule="count", count_pct=25, within="owner")
    again = Settings.from_json(s.to_json())
    assert again == s
    assert json.loads(s.to_json())["key"]["count_pct"] == 25
    assert Settings.from_dict({}) == Settings()
    with pytest.raises(ValueError):
        Bands((10, 5), Bands().programme[:4])


def test_select_and_partial_frame() -> None:
    r = result_of(BOOK)
    # key: A, B (800 of 1000); bands: F Zero, others "up to 10K"
    pos = r.select(segments=["key"])
    assert r.frame(pos)["account_id"].tolist() == ["A", "B"]
    pos = r.select(segments=["secondary"], owners=["Bob"])
    assert r.frame(pos)["account_id"].tolist() == ["C", "D", "E"]
    assert r.select(bands=["Zero"]).tolist() == [5]
    assert r.frame(r.select(query="e"))["account_id"].tolist() == ["E"]
    whole = r.frame()
    part = r.frame(r.select(owners=["Ann"]))
    assert part.equals(whole[whole["owner"] == "Ann"].reset_index(drop=True))
    # a few columns, asked in any order, come in the whole frame's order
    asked = ["segment", "account_id", "hours_12m", "revenue", "band"]
    some = r.frame(r.select(owners=["Ann"]), asked)
    in_order = [c for c in whole.columns if c in asked]
    assert some.equals(whole.loc[whole["owner"] == "Ann", in_order].reset_index(drop=True))


def test_counting_zero_revenue_accounts_changes_the_base_not_the_key_set() -> None:
    # BOOK: 5 customers and F with revenue 0 -> 6 accounts in all
    off = result_of(BOOK)
    on = assign(off.prepared, Settings(count_zero_revenue=True))
    assert np.array_equal(off.segment, on.segment)  # the rules run on customers only
    f = pareto.facts(on, pareto.Scope())
    assert (f.customers, f.zero_revenue, f.base, f.noun) == (5, 1, 6, "accounts")
    # cumulative 80%: A + B = 2 of 6 accounts = 33%; count 20% of 5 customers = 1 of 6 = 17%
    assert f.sentence("cumulative") == "33% of accounts hold 80% of revenue"
    assert f.sentence("count") == "17% of accounts hold 60% of revenue"
    south = pareto.facts(on, pareto.Scope("region", "South"))
    assert (south.customers, south.zero_revenue, south.base) == (3, 1, 4)  # C, D, E + F
    c = pareto.curve(on, pareto.Scope())
    assert c.base == 6 and c.customers == 5
    # the last customer sits at 5/6 of the x axis with the whole revenue; then a flat tail
    assert c.x[-2] == pytest.approx(5 / 6) and c.y[-2] == pytest.approx(1.0)
    assert (c.x[-1], c.y[-1]) == (1.0, 1.0)
    assert pareto.curve(off, pareto.Scope()).x[-1] == 1.0  # without: the last customer
    assert Settings.from_json(Settings(count_zero_revenue=True).to_json()).count_zero_revenue


def test_overridden_accounts_are_marked_in_every_table() -> None:
    # D forced to key, E (potential 100) forced to secondary with no reason
    settings = Settings(
        overrides=(Override("D", "key", "strategic logo"), Override("E", "secondary")),
        # growth: potential >= 0.1 x the rule's key threshold (B's 200; D's override does
        # not move it) = 20: E's 100 qualifies
        growth_factor=0.1,
    )
    r = result_of(BOOK, settings)
    frame = r.frame().set_index("account_id")
    assert frame.loc["D", "override"] == "key: strategic logo"
    assert frame.loc["E", "override"] == "secondary"
    assert frame.loc["A", "override"] == ""
    growth = pareto.top_growth(r, pareto.Scope())
    assert growth["override"].tolist() == ["secondary"]  # E: the only growth candidate
    ids = r.prepared.frame["account_id"].to_numpy()
    d = np.flatnonzero(ids == "D")
    assert pareto.change_table(r, d)["override"].tolist() == ["key: strategic logo"]
    plain = result_of(BOOK)
    assert "override" not in pareto.change_table(plain, d).columns


def test_scenario_json_rejects_wrong_types() -> None:
    assert Settings.from_dict({"count_zero_revenue": "false"}).count_zero_revenue is False
    assert Settings.from_dict({"count_zero_revenue": True}).count_zero_revenue is True
    with pytest.raises(ValueError, match="never_prospect: should be a valid tuple"):
        Settings.from_dict({"never_prospect": "A00001"})
    with pytest.raises(ValueError, match="count_zero_revenue: should be a valid boolean"):
        Settings.from_dict({"count_zero_revenue": "maybe"})


def test_accounts_without_owner_are_nobodys_load() -> None:
    r = result_of("id,owner,revenue\nA,,50000\nB,Ann,50000\nC,,200000\n")
    # default programme: 10K-100K needs 4 x 15 min = 1 h; 100K-1M 12 x 20 + 2 x 180 min = 10 h
    assert programme.unowned(r) == (2, pytest.approx(11.0))
    sellers = programme.by_seller(r)
    assert sellers["seller"].tolist() == ["Ann"]
    assert sellers["required_hours"].tolist() == [pytest.approx(1.0)]


def test_programme_hours_follow_the_prospecting_programme() -> None:
    """A target prospect requires the prospecting programme's hours; changing that
    programme on the same prepared book changes the band and seller totals (they are
    memoised per book, so the programme must be part of what they are kept under)."""
    p = prepare(
        book_of(
            """
            id,owner,revenue,prospect_list
            A,Ann,600,
            T,Ann,0,target
            """
        )
    )
    base = Settings(bands=Bands((100,), (DEFAULT_NOBODY,) * 3))
    one = replace(base, prospecting=Engagement("seller", 6, 10, 0, 0, "win"))  # 1 h
    three = replace(base, prospecting=Engagement("seller", 6, 30, 0, 0, "win"))  # 3 h
    for settings, hours in ((one, 1.0), (three, 3.0), (one, 1.0)):
        r = assign(p, settings)
        assert programme.by_band(r)["required_hours"].sum() == hours
        assert programme.by_seller(r).set_index("seller").loc["Ann", "required_hours"] == hours
