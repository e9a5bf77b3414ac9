"""Moving the time (DOMAIN.md section 6): a hand-worked book of two sellers, and the
conservation rules on random books against a plain re-implementation."""

import json
import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms import matrix, whatif
from alms.analysis import assign
from alms.cli import main
from alms.prepared import prepare
from alms.reading.ingest import LoadOptions
from alms.settings import Settings, WhatIf
from tests.helpers import book_of, csv_bytes

# Default programme (hours a year): 10K-100K 1, 100K-1M 10, 1M-5M 28, up to 10K and Zero
# 0; target prospects 12; leads 0. Tolerance 25%.
# Key (80%): total 3,925,000, 3,140,000 needed; AK 2.0M + BK 1.5M = 3.5M: key AK, BK,
# threshold 1,500,000. Growth (potential >= 1.5M): AG (2M), BG (exactly 1.5M).
# At risk: AK falls (2.0M < 3.0M x 0.8 = 2.4M); BK does not (1.4M prior), and every
# account was contacted within 90 days.
ACCOUNTS = """
id,owner,revenue,prior revenue,potential,prospect list,status
AK,Ann,2000000,3000000,,,
BK,Bob,1500000,1400000,,,
AG,Ann,200000,,2000000,,
BG,Bob,150000,,1500000,,
AS1,Ann,50000,,,,
BS,Bob,20000,,,,
AS2,Ann,5000,,,,
AT,Ann,0,,,Target,Prospect
BT,Bob,0,,,Target,Prospect
BL,Bob,0,,,,Lead
"""
# Hours: AK 10 (needs 28: gap 18), AS1 5 (needs 1: over 1.25, frees 4), AS2 3 (needs 0:
# frees 3), AG 2 (needs 10: gap 8), AT 0 (needs 12: gap 12); BK 28 (as required),
# BS 11 (needs 1: frees 10), BL 2 (needs 0: frees 2), BT 6 (gap 6), BG 9 (gap 1).
HOURS = {"AK": 10, "AS1": 5, "AS2": 3, "AG": 2, "BK": 28, "BS": 11, "BL": 2, "BT": 6, "BG": 9}
AS_OF = date(2024, 6, 30)
ACTIVITIES = "account,date,type,duration\n" + "".join(
    f"{a},2024-06-01,Meeting,{h * 60}\n" for a, h in HOURS.items()
)


def result_of(settings=None):
    book = book_of(ACCOUNTS, ACTIVITIES, options=LoadOptions(as_of=AS_OF))
    return assign(prepare(book), settings or Settings())


def by_id(plan, values) -> dict[str, float]:
    ids = plan.result.prepared.frame["account_id"].to_numpy()
    return {str(i): float(v) for i, v in zip(ids, values, strict=True) if v}


def test_default_order_two_sellers() -> None:
    plan = whatif.plan(result_of())
    # Ann frees AS1 4 + AS2 3 = 7, all to the at-risk AK (gap 18).
    # Bob frees BS 10 + BL 2 = 12: no at-risk account; BG gets its 1, BT its 6; 5 left.
    assert by_id(plan, plan.freed) == {"AS1": 4, "AS2": 3, "BS": 10, "BL": 2}
    assert by_id(plan, plan.added) == {"AK": 7, "BG": 1, "BT": 6}
    t = plan.totals()
    assert t["hours_freed"] == 19
    assert t["allocated"] == {"at_risk": 7, "growth": 1, "prospects": 6}
    assert t["unallocated"] == 5
    owners = plan.per_owner.set_index("seller")
    assert owners.loc["Ann", ["freed", "allocated", "unallocated"]].tolist() == [7, 7, 0]
    assert owners.loc["Bob", ["freed", "allocated", "unallocated"]].tolist() == [12, 7, 5]
    assert plan.headline() == (
        "Cutting every over-served account (4 accounts) frees 19 h: 7 h to 1 at-risk key "
        "account, 1 h to 1 growth candidate, 6 h to 1 target prospect; 5 h stay unallocated."
    )
    moves = plan.moves()
    assert moves.loc[
        moves["account_id"] == "AK", ["hours_before", "hours_after"]
    ].values.tolist() == [[10, 17]]
    assert set(moves["account_id"]) == {"AS1", "AS2", "BS", "BL", "AK", "BG", "BT"}
    # Per segment, by hand: key AK 10 -> 17, BK 28; secondary AG 2, BG 9 -> 10, AS1 5 -> 1,
    # BS 11 -> 1, AS2 3 -> 0; prospects AT 0, BT 6 -> 12; lead BL 2 -> 0.
    team = plan.by_segment().set_index("segment")
    assert team["before"].to_dict() == {"key": 38, "secondary": 30, "prospect": 6, "lead": 2}
    assert team["after"].to_dict() == {"key": 45, "secondary": 14, "prospect": 12, "lead": 0}
    ann = plan.by_segment("Ann").set_index("segment")
    assert ann["before"].to_dict() == {"key": 10, "secondary": 10, "prospect": 0, "lead": 0}
    assert ann["after"].to_dict() == {"key": 17, "secondary": 3, "prospect": 0, "lead": 0}


def test_the_users_order_decides_who_gets_the_hours() -> None:
    s = replace(Settings(), what_if=WhatIf(order=("prospects", "growth", "at_risk")))
    plan = whatif.plan(result_of(s))
    # Ann's 7 all go to AT (gap 12); Bob's 12: BT 6, then BG 1; 5 left.
    assert by_id(plan, plan.added) == {"AT": 7, "BT": 6, "BG": 1}
    assert plan.totals()["allocated"] == {"at_risk": 0, "growth": 1, "prospects": 13}
    # a destination left out of the order gets nothing
    s = replace(Settings(), what_if=WhatIf(order=("growth",)))
    t = whatif.plan(result_of(s)).totals()
    # Ann: AG gets 7 of its gap 8; Bob: BG 1, 11 left
    assert t["allocated"] == {"at_risk": 0, "growth": 8, "prospects": 0}
    assert t["unallocated"] == 11


def test_cutting_chosen_cells_only() -> None:
    r = result_of(replace(Settings(), what_if=WhatIf(cut="cells", cells=("E",))))
    # maintenance = hours: AK 10, BK 28, AG 2, BG 9, AS1 5, BS 11, AS2 3; median 9.
    # AK, BK high revenue and > 9: D. AG, BG (9 is not > 9) growth: B. AS1, AS2: C. BS: E.
    cells = dict(zip(r.prepared.frame["account_id"], matrix.cell_of_all(r), strict=True))
    assert {k: v for k, v in cells.items() if v} == {
        "AK": "D", "BK": "D", "AG": "B", "BG": "B", "AS1": "C", "BS": "E", "AS2": "C",
    }  # fmt: skip
    plan = whatif.plan(r)
    # only BS (E) is cut: Bob's 10 go to BG 1 and BT 6, 3 left; the lead BL is in no cell
    assert by_id(plan, plan.freed) == {"BS": 10}
    assert plan.totals()["unallocated"] == 3
    r = result_of(replace(Settings(), what_if=WhatIf(cut="cells", cells=("C",))))
    assert whatif.plan(r).totals()["allocated"] == {"at_risk": 7, "growth": 0, "prospects": 0}


def test_summary_reports_the_what_if(tmp_path, capsys) -> None:
    (tmp_path / "a.csv").write_bytes(csv_bytes(ACCOUNTS))
    (tmp_path / "b.csv").write_bytes(csv_bytes(ACTIVITIES))
    (tmp_path / "s.json").write_text(json.dumps({"service_tolerance_pct": 1000}))
    args = ["summary", "--accounts", str(tmp_path / "a.csv"), "--activities"]
    assert main([*args, str(tmp_path / "b.csv"), "--as-of", "2024-06-30"]) == 0
    w = json.loads(capsys.readouterr().out)["what_if"]
    assert w["hours_freed"] == 19 and w["unallocated"] == 5
    assert w["allocated"] == {"at_risk": 7, "growth": 1, "prospects": 6}
    # a 1,000% tolerance: BS (11 > 1 x 11 is false) is no longer over-served; only the
    # accounts that need no time at all are: AS2 3 and BL 2
    more = ["--settings", str(tmp_path / "s.json")]
    assert main([*args, str(tmp_path / "b.csv"), *more, "--as-of", "2024-06-30"]) == 0
    w = json.loads(capsys.readouterr().out)["what_if"]
    assert w["hours_freed"] == 5
    assert w["allocated"] == {"at_risk": 3, "growth": 1, "prospects": 1}


# ---------------------------------------------------------------- properties

PROGRAMME = {0: 0.0, 1: 0.0, 2: 1.0, 3: 10.0, 4: 28.0, 5: 56.0}


def band_of(revenue: int) -> int:
    if revenue == 0:
        return 0
    edges = [10_000, 100_000, 1_000_000, 5_000_000]
    return 1 + sum(revenue >= e for e in edges)


def reference(rows, order, tol=0.25):
    """A plain re-implementation of section 6 over (id, owner, revenue, prior, list,
    hours, potential) rows; no contact cannot happen (every touch is on the as-of date,
    accounts without hours excepted)."""
    customers = sorted((r for r in rows if r[2] > 0), key=lambda r: (-r[2], r[0]))
    total = sum(r[2] for r in customers)
    need, run, key = math.ceil(total * 0.8), 0, set()
    for r in customers:
        if run >= need:
            break
        key.add(r[0])
        run += r[2]
    threshold = min((r[2] for r in customers if r[0] in key), default=None)
    req, cat = {}, {}
    for rid, _, rev, prior, lst, hours, pot in rows:
        req[rid] = 12.0 if rev == 0 and lst == "Target" else PROGRAMME[band_of(rev)]
        if rev == 0 and lst != "Target":
            req[rid] = 0.0
        if rid in key and ((prior > 0 and rev < prior * 0.8) or hours == 0):
            cat[rid] = "at_risk"
        elif rev > 0 and rid not in key and pot is not None and pot >= threshold:
            cat[rid] = "growth"
        elif rev == 0 and lst == "Target":
            cat[rid] = "prospects"
    # target prospects are served best rank first: the percentile of their potential
    # among non-customers (ties averaged; no potential ranks 0), then id
    pots = [r[6] for r in rows if r[2] == 0 and r[6] is not None]

    def prospect_rank(r) -> float:
        if r[6] is None:
            return 0.0
        below = sum(p < r[6] for p in pots)
        same = sum(p == r[6] for p in pots)
        return (below + (same + 1) / 2) / len(pots)

    def served_first(r):
        return (-prospect_rank(r), r[0]) if r[2] == 0 else (-r[2], r[0])

    freed, added = {}, {}
    for seller in {r[1] for r in rows}:
        mine = [r for r in rows if r[1] == seller]
        pool = 0.0
        for rid, _, _, _, _, hours, _ in mine:
            over = hours > req[rid] * (1 + tol) if req[rid] > 0 else hours > 0
            if over:
                freed[rid] = hours - req[rid]
                pool += freed[rid]
        for name in order:
            for rid, *_, hours, _ in sorted(
                (r for r in mine if cat.get(r[0]) == name and r[5] < req[r[0]]),
                key=served_first,
            ):
                give = min(pool, req[rid] - hours)
                if give > 0:
                    added[rid] = give
                    pool -= give
    return freed, added


ROW = st.tuples(
    st.sampled_from(["Ann", "Bob", "Cy"]),
    st.sampled_from([0, 0, 5_000, 20_000, 150_000, 2_000_000, 6_000_000]),
    st.sampled_from([0, 1_000, 3_000_000]),
    st.sampled_from(["", "Target", "Extra"]),
    st.sampled_from([0, 1, 2, 6, 9, 13, 30, 80]),
    st.sampled_from([None, 100_000, 5_000_000]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(ROW, min_size=1, max_size=14),
    st.permutations(["at_risk", "growth", "prospects"]),
)
def test_what_if_conserves_hours_and_matches_a_plain_recompute(raw, order) -> None:
    rows = [(f"A{i:02d}", *r) for i, r in enumerate(raw)]
    accounts = "id,owner,revenue,prior revenue,potential,prospect list\n" + "".join(
        f"{rid},{o},{rev},{prior or ''},{'' if pot is None else pot},{lst}\n"
        for rid, o, rev, prior, lst, _, pot in rows
    )
    activities = "account,date,type,duration\n" + "".join(
        f"{rid},2024-06-30,Meeting,{h * 60}\n" for rid, _, _, _, _, h, _ in rows if h
    )
    # one old touch so the book has activities even when every hour count is 0
    activities += f"{rows[0][0]},{AS_OF - timedelta(days=400)},Call,1\n"
    book = book_of(accounts, activities, options=LoadOptions(as_of=AS_OF))
    s = replace(Settings(), what_if=WhatIf(order=tuple(order)))
    r = assign(prepare(book), s)
    plan = whatif.plan(r)
    freed, added = reference([(*row[:5], row[5], row[6]) for row in rows], order)
    assert by_id(plan, plan.freed) == pytest.approx(freed)
    assert by_id(plan, plan.added) == pytest.approx(added)
    # hours never move between sellers; per seller freed = allocated + unallocated
    owners = plan.per_owner.set_index("seller")
    for _seller, row in owners.iterrows():
        assert row["freed"] == pytest.approx(row["allocated"] + row["unallocated"])
        assert row["allocated"] <= row["freed"] + 1e-9
        assert row["hours_after"] == pytest.approx(row["hours_before"] - row["unallocated"])
    # nobody is given beyond the requirement, and only the cut lose hours
    assert np.all((plan.added == 0) | (plan.before + plan.added <= plan.required + 1e-9))
    assert np.all((plan.freed == 0) | r.served[0])
    # a table's first rows are the whole list's first rows (the limit only sorts fewer)
    every = plan.moves()
    for limit in range(1, len(every) + 1):
        assert plan.moves(limit).equals(every.head(limit))
    # the cells partition the customers
    c = matrix.cells(r)
    assert c.counts().sum() == r.prepared.n_customers == sum(1 for row in rows if row[2] > 0)


def test_kept_state_gives_what_a_fresh_book_gives_through_a_session_of_moves() -> None:
    """Segments, at-risk flags and the what-if queue are kept per book while their
    settings stay; walking one book through a session of moves (each knob they depend
    on, and knobs they do not) must give, at every step, exactly what a freshly
    prepared book gives under the same settings."""
    book = book_of(ACCOUNTS, ACTIVITIES, options=LoadOptions(as_of=AS_OF))
    kept = prepare(book)
    base = Settings()
    steps = [
        base,
        replace(base, service_tolerance_pct=10.0),  # a tolerance move: all reused
        replace(base, what_if=WhatIf(order=("prospects", "growth", "at_risk"))),
        replace(base, what_if=WhatIf(order=("growth",))),
        replace(base, at_risk=replace(base.at_risk, drop_pct=60.0)),  # AK no longer falls
        base.with_key(cumulative_pct=95.0),  # a new key set, growth threshold, at risk
        replace(base, growth_factor=0.05),
        base.with_minutes("meeting", 10.0),  # (durations given: hours unchanged)
        replace(base, what_if=WhatIf(cut="cells", cells=("E",))),
        replace(base, service_tolerance_pct=0.0, what_if=WhatIf(order=("at_risk",))),
        base,
    ]
    for i, s in enumerate(steps):
        mine = whatif.plan(assign(kept, s))
        fresh = whatif.plan(assign(prepare(book), s))
        for name in ("freed", "added", "reason"):
            assert np.array_equal(getattr(mine, name), getattr(fresh, name)), (i, name)
        assert mine.by_segment().equals(fresh.by_segment()), i
        assert mine.totals() == fresh.totals(), i
        r_kept, r_fresh = mine.result, fresh.result
        assert np.array_equal(r_kept.segment, r_fresh.segment), i
        assert np.array_equal(r_kept.growth, r_fresh.growth), i
        assert np.array_equal(r_kept.risk.at_risk, r_fresh.risk.at_risk), i
