"""Seeded generator of a realistic B2B sales book: accounts.csv and activities.csv.

The book is built to make every page of the app worth looking at, following DOMAIN.md:

* Customers (about 62% of accounts) have revenue > 0; revenue is lognormal, calibrated so
  that the top 20% of customers by count hold about 80% of customer revenue, and spans every
  default band (edges 10,000 / 100,000 / 1,000,000 / 5,000,000; a few 5M+). Money is in
  currency units with 2 decimals, written as plain numbers ("123456.78"). The book contains
  revenues of exactly 10000.00 and 100000.00 and one tie.
* Prospects and leads have revenue blank or 0; per seller, a varying number of them sit on the
  Target / Extra / Lead lists, so some sellers are over and some under the limits (5-10,
  10-15, at most 10). Status Lead always means list Lead; unlisted prospects form the pool.
* Some key accounts fell 20-50% against the prior year, some went quiet (no activity for the
  last 190-420 days), the biggest are often low-margin and low strategic fit, and 10-25% of
  secondary customers have potential at or above the key threshold (growth candidates).
* Activities (Call, Email, Meeting, Visit, Task; durations in whole minutes, ~4% blank) fall
  on weekdays within `years` years up to `as_of`; most hours go to secondary accounts.

Every column is text, exactly as written to CSV (null = empty cell). Everything is vectorised
with numpy/pyarrow, so `generate_at_scale(1_000_000, 10_000_000)` takes seconds. The same
seed always gives the same bytes.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

AS_OF = date(2026, 10, 31)
ACCOUNT_COLUMNS = [
    "Account ID", "Account Name", "Account Owner", "Region", "Industry", "Status",
    "Prospect List", "Never Prospect", "Revenue (TTM)", "Prior Year Revenue", "Wallet Potential",
    "Gross Margin %", "Share of Wallet %", "Executive Access", "Decision Maker Access",
    "Product Fit", "Strategic Fit", "Employees", "Aggravation (1-5)",
]  # fmt: skip
ACTIVITY_COLUMNS = [
    "Activity ID", "Account ID", "Assigned To", "Activity Date", "Type", "Duration (min)",
]  # fmt: skip
REGIONS = ("North", "Central", "South")
SELLERS = (  # 4 per region, in REGIONS order
    "Emma Lindqvist", "James O'Connor", "Priya Raman", "Lukas Becker",
    "Sofia Marquez", "Daniel Okafor", "Hannah Schmidt", "Marcus Webb",
    "Aisha Bello", "Tom Kowalski", "Chloe Martin", "Ravi Patel",
)  # fmt: skip
_FIRST = ("Anna", "Ben", "Clara", "David", "Elena", "Felix", "Grace", "Henry", "Ines", "Jonas",
          "Kara", "Leo", "Maya", "Noah", "Olivia", "Paul", "Rosa", "Sam", "Tara", "Victor")  # fmt: skip
_LAST = ("Adams", "Brooks", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ito",
         "Jensen", "Khan", "Larsen", "Moreau", "Nakamura", "Olsen", "Petrov", "Quinn", "Rossi",
         "Silva", "Turner")  # fmt: skip
INDUSTRIES: dict[str, tuple[str, ...]] = {  # industry -> name cores that imply it
    "Manufacturing": ("Machining", "Fabrication", "Components", "Tooling", "Plastics"),
    "Healthcare": ("Medical", "Health", "Clinics", "Diagnostics", "Pharma"),
    "Retail": ("Outfitters", "Stores", "Trading", "Home", "Goods"),
    "Logistics": ("Logistics", "Freight", "Shipping", "Transport", "Distribution"),
    "Financial Services": ("Capital", "Financial", "Insurance", "Credit", "Advisors"),
    "Technology": ("Software", "Systems", "Analytics", "Networks", "Digital"),
    "Construction": ("Builders", "Construction", "Contracting", "Materials", "Engineering"),
    "Food & Beverage": ("Foods", "Brewing", "Bakeries", "Beverages", "Farms"),
}
_PREFIXES = (
    "Alder", "Aspen", "Atlas", "Bayside", "Beacon", "Birchwood", "Brightwater", "Cascade", "Cedar",
    "Summit", "Clearview", "Cobalt", "Crescent", "Delta", "Eastgate", "Evergreen", "Falcon",
    "Fairfield", "Granite", "Greenfield", "Harbor", "Highland", "Horizon", "Ironwood", "Juniper",
    "Keystone", "Lakeshore", "Laurel", "Liberty", "Maple", "Meridian", "Midland", "Northstar",
    "Oakridge", "Orion", "Pacific", "Pinnacle", "Prairie", "Redwood", "Riverside", "Rockford",
    "Sterling", "Silverline", "Stonebridge", "Sunrise", "Tidewater", "Trinity", "Union",
    "Valley", "Vanguard", "Westbrook", "Willow", "Windsor", "Zenith", "Copper", "Hawthorne",
    "Kingsley", "Mercer", "Whitfield", "Ashford",
)  # fmt: skip
_SUFFIXES = ("Inc", "Ltd", "Group", "Co", "LLC", "Holdings", "Partners", "GmbH")
STATUSES = ("Customer", "Prospect", "Lead")
LISTS = ("Target", "Extra", "Lead")
TYPES = ("Call", "Email", "Meeting", "Visit", "Task")
# Type probabilities per segment (rows: key, secondary, non-customer; columns: TYPES).
_TYPE_MIX = np.array(
    [[0.28, 0.30, 0.24, 0.13, 0.05], [0.38, 0.36, 0.12, 0.07, 0.07], [0.42, 0.36, 0.14, 0.04, 0.04]]
)
_MINUTES = np.array([15.0, 5.0, 60.0, 180.0, 20.0])  # median minutes per type
_SPREAD = np.array([0.5, 0.45, 0.3, 0.3, 0.6])  # lognormal sigma per type
_STEP = np.array([1, 1, 15, 30, 5])  # minutes are rounded to this step per type
CUSTOMER_SHARE = 0.625
TOP_SHARE = 0.795  # share of revenue held by the top 20% of customers (calibrated)
_CSV_CHUNK = 1_000_000

IntArray = NDArray[np.int64]


def _n_sellers(n_accounts: int) -> int:
    """12 sellers (4 per region) for the sample; about one seller per 200 accounts at scale."""
    return max(12, 3 * round(n_accounts / 600))


def seller_names(n: int) -> list[str]:
    """`n` unique seller names: SELLERS first, then "First X. Last" combinations."""
    names = list(SELLERS[:n])
    total = len(_FIRST) * 26 * len(_LAST)
    for k in range(n - len(names)):  # one per seller, never per row
        j, block = (k * 7919) % total, k // total
        first, rest = divmod(j, 26 * len(_LAST))
        initial, last = divmod(rest, len(_LAST))
        tail = f" {block + 1}" if block else ""
        names.append(f"{_FIRST[first]} {chr(65 + initial)}. {_LAST[last]}{tail}")
    return names


def _take(labels: Sequence[str], idx: IntArray) -> pa.Array:
    """labels[idx] as a string array; a negative index gives null."""
    return pc.take(pa.array(labels, pa.string()), pa.array(idx, mask=idx < 0))


def _text(values: IntArray, null: NDArray[np.bool_] | None = None) -> pa.Array:
    """Integers as decimal text; `null` marks empty cells."""
    return pc.cast(pa.array(values, pa.int64(), mask=null), pa.string())


def _ids(prefix: str, n: int, width: int) -> pa.Array:
    """Ids like A00001: `prefix`, then 1..n zero-padded to at least `width` digits."""
    width = max(width, len(str(n)))
    digits = pc.utf8_lpad(_text(np.arange(1, n + 1, dtype=np.int64)), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _fixed(units: IntArray, decimals: int, null: NDArray[np.bool_] | None = None) -> pa.Array:
    """Non-negative integers of 1/10**decimals as plain decimal text: 12345678 -> "123456.78"."""
    whole, frac = np.divmod(units, 10**decimals)
    return pc.binary_join_element_wise(
        _text(whole, null), pc.utf8_lpad(_text(frac), decimals, "0"), "."
    )


def _calibrated_revenue(z: NDArray[np.float64], median: float) -> NDArray[np.float64]:
    """exp(log(median) + s*z), with s chosen by bisection so the top 20% hold TOP_SHARE."""
    z = np.sort(z)[::-1]
    k = math.ceil(0.2 * len(z))
    lo, hi = 0.5, 4.0
    for _ in range(40):
        s = (lo + hi) / 2
        r = np.exp(s * (z - z[0]))
        lo, hi = (s, hi) if r[:k].sum() / r.sum() < TOP_SHARE else (lo, s)
    return np.exp(np.log(median) + s * z)


def _company_names(rng: np.random.Generator, n: int) -> tuple[pa.Array, IntArray]:
    """Unique "Prefix Core Suffix" names and the industry index the core implies."""
    cores = [c for group in INDUSTRIES.values() for c in group]
    core_industry = np.repeat(np.arange(len(INDUSTRIES)), [len(g) for g in INDUSTRIES.values()])
    p, c, s = len(_PREFIXES), len(cores), len(_SUFFIXES)
    combos = np.array([f"{a} {b} {d}" for d in _SUFFIXES for b in cores for a in _PREFIXES])
    k = rng.permutation(max(n, p * c * s))[:n]
    base, block = k % (p * c * s), k // (p * c * s)
    names = pc.take(pa.array(combos, pa.string()), pa.array(base))
    if block.any():  # only beyond 19,200 accounts
        numbered = pc.binary_join_element_wise(names, _text(block + 1), " ")
        names = pc.if_else(pa.array(block > 0), numbered, names)
    return names, core_industry[(base // p) % c]


def _book(
    seed: int, n_accounts: int, n_activities: int, years: float, as_of: date
) -> tuple[pa.Table, pa.Table]:
    """Build both tables; all arrays are vectorised over rows."""
    if not 0 < years <= 80 or n_accounts < 100 or n_activities < 0:
        raise ValueError("need 0 < years <= 80, n_accounts >= 100 and n_activities >= 0")
    rng = np.random.default_rng(seed)
    n = n_accounts
    names, industry = _company_names(rng, n)
    n_sell = _n_sellers(n)
    sellers = seller_names(n_sell)
    seller_region = (np.arange(n_sell) // 4) % len(REGIONS)
    book_size = rng.uniform(0.8, 1.25, n_sell)
    owner = rng.choice(n_sell, n, p=book_size / book_size.sum()).astype(np.int64)
    region = seller_region[owner]
    no_owner = rng.choice(n, max(1, round(n * 10 / 2400)), replace=False)
    owner[no_owner] = -1
    region[no_owner] = rng.integers(0, len(REGIONS), len(no_owner))

    # Revenue (cents) of customers: calibrated lognormal, then a few deliberate values.
    cust = rng.random(n) < CUSTOMER_SHARE
    ci = np.flatnonzero(cust)
    rev = np.zeros(n, dtype=np.int64)
    raw = _calibrated_revenue(np.clip(rng.standard_normal(ci.size), -3.3, 3.6), 30_000.0)
    rev[ci] = np.maximum(np.round(rng.permutation(raw) * 100), 5_000).astype(np.int64)
    top3 = ci[np.argsort(-rev[ci], kind="stable")[:3]]
    rev[top3] = np.maximum(rev[top3], [1_120_000_000, 760_000_000, 540_000_000])  # a few 5M+
    for edge in (1_000_000, 10_000_000):  # exactly 10000.00 and 100000.00
        rev[ci[np.argmin(np.abs(rev[ci] - edge))]] = edge
    by_rev = ci[np.argsort(rev[ci], kind="stable")]
    tie = by_rev.size // 3
    rev[by_rev[tie + 1]] = rev[by_rev[tie]]  # one tie
    order = ci[np.lexsort((ci, -rev[ci]))]  # key order: revenue desc, then id
    n_key = math.ceil(0.2 * ci.size)
    key = np.zeros(n, dtype=bool)
    key[order[:n_key]] = True
    threshold = rev[order[n_key - 1]]
    rank = np.full(n, n, dtype=np.int64)
    rank[order] = np.arange(ci.size)

    # Prior year: mostly near today; some key accounts fell 20-50%; a few new customers.
    prior = np.round(rev / rng.lognormal(0.04, 0.12, n)).astype(np.int64)
    falling = key & (rng.random(n) < 0.15)
    prior[falling] = np.round(rev[falling] / rng.uniform(0.5, 0.8, falling.sum()))
    prior[cust & ~key & (rng.random(n) < 0.03)] = 0

    # Potential: wallet >= revenue; 10-25% of secondary customers reach the key threshold.
    sow = rng.beta(2.2, 2.0, n) * 0.9 + 0.05
    pot = np.round(np.maximum(rev / sow, rev)).astype(np.int64)
    secondary = cust & ~key
    grow = secondary & (rng.random(n) < 0.17)
    pot[grow] = np.maximum(np.round(threshold * rng.uniform(1.0, 4.0, grow.sum())), rev[grow])
    rest = secondary & ~grow
    cap = threshold * rng.uniform(0.4, 0.97, rest.sum())
    pot[rest] = np.maximum(np.minimum(pot[rest], cap), rev[rest])
    nc = np.flatnonzero(~cust)
    pot[nc] = np.round(rng.lognormal(np.log(12_000_000), 1.3, nc.size))

    # Lists per seller: Target first (best potential, noisy), then Extra, then Lead.
    quota = rng.integers([2, 6, 3], [15, 21, 16], (n_sell, 3))  # targets, extras, leads
    over, under = rng.permutation(n_sell)[:2]
    quota[over], quota[under] = (13, 19, 14), (3, 7, 4)
    score = np.log(pot[nc]) + rng.normal(0, 0.8, nc.size)
    grp = np.where(owner[nc] < 0, n_sell, owner[nc])
    srt = np.lexsort((-score, grp))
    pos = np.empty(nc.size, dtype=np.int64)
    pos[srt] = np.arange(nc.size) - np.searchsorted(grp[srt], grp[srt])
    bounds = np.cumsum(np.vstack([quota, np.zeros((1, 3), dtype=np.int64)]), axis=1)[grp]
    lst = np.full(n, -1, dtype=np.int64)
    lst[nc] = np.where(pos < bounds[:, 0], 0, np.where(pos < bounds[:, 1], 1, -1))
    lst[nc] = np.where((pos >= bounds[:, 1]) & (pos < bounds[:, 2]), 2, lst[nc])
    status = np.where(cust, 0, np.where(lst == 2, 2, 1))
    status[rng.choice(ci, max(1, round(ci.size * 0.005)), replace=False)] = -1
    pool = np.flatnonzero(~cust & (lst < 0))
    never = np.full(n, -1, dtype=np.int64)
    never[rng.choice(pool, min(pool.size, round(nc.size * 0.02)), replace=False)] = 0
    rev_null = ~cust & ((status == 2) | (rng.random(n) < 0.5))

    # Scorecard: 1-5 ratings; the biggest are often transactional (low margin, low fit).
    def rating(size: int) -> IntArray:
        return rng.choice(5, size, p=[0.1, 0.2, 0.35, 0.25, 0.1]).astype(np.int64) + 1

    execs, dm, pfit, sfit = rating(n), rating(n), rating(n), rating(n)
    targets = lst == 0
    dm[targets] = np.maximum(dm[targets], rng.integers(3, 6, targets.sum()))
    pfit[targets] = np.maximum(pfit[targets], rng.integers(3, 6, targets.sum()))
    margin = rng.normal(34, 9, n) - 5 * (np.log10(np.maximum(rev, 100) / 100) - 4.5)
    big = rank < max(5, ci.size // 20)
    transactional = big & (rng.random(n) < 0.45)
    m = transactional.sum()
    sfit[transactional], execs[transactional] = rng.integers(1, 3, m), rng.integers(1, 3, m)
    margin[transactional] = rng.uniform(6, 16, m)
    margin_t = np.round(np.clip(margin, 5, 60) * 10).astype(np.int64)
    sow_t = np.round(rev * 1000 / np.maximum(pot, 1)).astype(np.int64)

    accounts = pa.table(
        [
            _ids("A", n, 5), names, _take(sellers, owner), _take(REGIONS, region),
            _take(list(INDUSTRIES), industry), _take(STATUSES, status), _take(LISTS, lst),
            _take(["yes"], never), _fixed(rev, 2, rev_null), _fixed(prior, 2, ~cust),
            _fixed(pot, 2), _fixed(margin_t, 1, ~cust), _fixed(sow_t, 1), _text(execs),
            _text(dm), _text(pfit), _text(sfit),
        ],
        names=ACCOUNT_COLUMNS[:-2],
    )  # fmt: skip

    # Activities: accounts drawn by effort weight; secondary accounts take most hours.
    weight = np.select(
        [key, cust, lst == 0, lst == 1, lst == 2, never == 0],
        [2.2 * rng.lognormal(0, 0.5, n), rng.lognormal(0, 1.0, n), 1.6, 0.7, 0.9, 0.01],
        0.12,
    )
    acc = np.repeat(np.arange(n), rng.multinomial(n_activities, weight / weight.sum()))
    span = max(30, round(years * 365.25))
    last = np.full(n, span - 1, dtype=np.int64)
    quiet = key & np.where(
        rank < 20, np.isin(rank, rng.choice(10, 2, replace=False)), rng.random(n) < 0.12
    )
    gap = rng.integers(190, 421, quiet.sum())
    last[quiet] = np.maximum(last[quiet] - gap, 0)  # quiet for 190-420 days (or since start)
    start = (as_of - timedelta(days=span - 1) - date(1970, 1, 1)).days
    day = start + (rng.random(n_activities) * (last[acc] + 1)).astype(np.int64)
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    day = np.clip(day - (weekday == 5) + (weekday == 6), start, start + span - 1)
    segment = np.where(key[acc], 0, np.where(cust[acc], 1, 2))
    u = rng.random(n_activities)
    kind = np.empty(n_activities, dtype=np.int64)
    for seg, cum in enumerate(np.cumsum(_TYPE_MIX, axis=1)):  # 3 segments, not rows
        kind[segment == seg] = np.searchsorted(cum[:-1], u[segment == seg], side="right")
    step = _STEP[kind]
    minutes = _MINUTES[kind] * np.exp(_SPREAD[kind] * rng.standard_normal(n_activities))
    minutes = np.maximum(np.round(minutes / step), 1).astype(np.int64) * step
    r = rng.random(n_activities)
    other = rng.integers(0, n_sell, n_activities)
    who = np.where((r < 0.12) | (owner[acc] < 0), other, owner[acc])
    who[r < 0.05] = -1
    srt = np.argsort((day - start).astype(np.int16), kind="stable")  # by date, then account
    dates = pa.array(day[srt].astype(np.int32), pa.date32())
    activities = pa.table(
        [
            _ids("T", n_activities, 6),
            pc.take(accounts["Account ID"], pa.array(acc[srt])),
            _take(sellers, who[srt]),
            pc.cast(dates, pa.string()),  # ISO YYYY-MM-DD
            _take(TYPES, kind[srt]),
            _text(minutes[srt], rng.random(n_activities) < 0.04),  # ~4% blank
        ],
        names=ACTIVITY_COLUMNS,
    )
    # Drawn last, so the columns above keep the bytes they had before these were added.
    # Employees: an unmapped numeric column (scorecard attribute by its header), loosely
    # following revenue, blank for a few. Aggravation 1-5: the transactional giants and a
    # share of small accounts are the hard ones (the A-E matrix's maintenance factor).
    staff = np.round(np.exp(2.5 + 0.45 * np.log1p(rev / 100) + rng.normal(0, 0.8, n)))
    staff_null = rng.random(n) < 0.03
    aggravation = rating(n)
    hard = transactional | (cust & ~key & (rng.random(n) < 0.12))
    aggravation[hard] = np.maximum(aggravation[hard], rng.integers(4, 6, hard.sum()))
    accounts = accounts.append_column(
        ACCOUNT_COLUMNS[-2], _text(staff.astype(np.int64), staff_null)
    ).append_column(ACCOUNT_COLUMNS[-1], _text(aggravation, ~cust))
    return accounts, activities


def generate(
    seed: int = 7, n_accounts: int = 2400, years: float = 2.0, as_of: date = AS_OF
) -> tuple[pa.Table, pa.Table]:
    """The sample book: (accounts, activities), about 10 activities per account per year."""
    return _book(seed, n_accounts, round(10 * n_accounts * years), years, as_of)


def generate_at_scale(
    n_accounts: int, n_activities: int, seed: int = 7, as_of: date = AS_OF, years: float = 2.0
) -> tuple[pa.Table, pa.Table]:
    """A book of exactly `n_accounts` accounts and `n_activities` activities (benchmarks)."""
    return _book(seed, n_accounts, n_activities, years, as_of)


def _csv_cell(col: pa.Array) -> pa.Array:
    """RFC 4180 text of one column: quoted only when it holds a comma, quote or line end."""
    needs = pc.match_substring_regex(col, '[",\r\n]')
    if pc.any(needs).as_py():
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(col, '"', '""'), '"', "")
        col = pc.if_else(needs, quoted, col)
    return pc.fill_null(col, "")


def write_csv(table: pa.Table, path: Path) -> Path:
    """Write `table` (string columns) as UTF-8 CSV: header, comma, `\\n`, minimal quoting."""
    header = ",".join(_csv_cell(pa.array(table.column_names)).to_pylist()) + "\n"
    with path.open("wb") as out:
        out.write(header.encode("utf-8"))
        for lo in range(0, table.num_rows, _CSV_CHUNK):  # one pass per chunk of rows
            part = table.slice(lo, _CSV_CHUNK)
            cells = [_csv_cell(c.combine_chunks()) for c in part.columns]
            lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, ","), "", "\n")
            offsets = np.frombuffer(lines.buffers()[1], np.int32)[lines.offset :]
            out.write(lines.buffers()[2][offsets[0] : offsets[len(lines)]])
    return path


def write_book(accounts: pa.Table, activities: pa.Table, out_dir: Path) -> list[Path]:
    """Write accounts.csv and activities.csv into `out_dir` (created when missing)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_csv(accounts, out_dir / "accounts.csv"),
        write_csv(activities, out_dir / "activities.csv"),
    ]


BASELINE_AS_OF = date(2025, 10, 31)


def baseline_of(
    accounts: pa.Table, activities: pa.Table, seed: int = 7, as_of: date = BASELINE_AS_OF
) -> tuple[pa.Table, pa.Table]:
    """The same book as an export taken at `as_of` (a year earlier): each account's
    revenue then is its prior year revenue now, its prior revenue then that figure
    varied by ~25%; about 4% of today's accounts are not in it yet, and 3% more accounts
    are in it that are gone today. Its activities are those on or before `as_of` on its
    accounts. A seed of its own: the book's own bytes do not change."""
    rng = np.random.default_rng(seed + 1_000)
    n = accounts.num_rows
    kept = rng.random(n) >= 0.04
    prior = accounts.column("Prior Year Revenue").combine_chunks()
    prior_units = np.round(
        pc.fill_null(pc.cast(prior, pa.float64()), 0.0).to_numpy(zero_copy_only=False) * 100
    ).astype(np.int64)
    earlier = np.round(prior_units * np.exp(rng.normal(0.0, 0.25, n))).astype(np.int64)
    then = accounts.set_column(
        accounts.column_names.index("Revenue (TTM)"), "Revenue (TTM)", prior
    ).set_column(
        accounts.column_names.index("Prior Year Revenue"),
        "Prior Year Revenue",
        _fixed(earlier, 2, null=prior_units <= 0),
    )
    status = accounts.column("Status").combine_chunks()
    then = then.set_column(
        then.column_names.index("Status"),
        "Status",
        pc.if_else(pa.array(prior_units > 0), pa.scalar("Customer"), status),
    )
    gone_rows = rng.choice(np.flatnonzero(prior_units > 0), size=round(0.03 * n), replace=False)
    gone = then.take(pa.array(gone_rows))
    gone = gone.set_column(0, "Account ID", _ids("G", len(gone_rows), 5))
    names = pc.binary_join_element_wise(gone.column("Account Name"), " (closed)", "")
    gone = gone.set_column(1, "Account Name", names)
    then = pa.concat_tables([then.filter(pa.array(kept)), gone])
    dates = pc.cast(activities.column("Activity Date"), pa.date32())
    on_then = pc.and_(
        pc.less_equal(dates, pa.scalar(as_of, pa.date32())),
        pc.is_in(activities.column("Account ID"), value_set=then.column("Account ID")),
    )
    return then, activities.filter(on_then)


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m alms.sample --out sample_data [--seed 7] [--accounts N] [--activities N]`."""
    parser = argparse.ArgumentParser(description="Write a seeded sample sales book as CSV.")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--accounts", type=int, default=2400)
    parser.add_argument("--activities", type=int, help="exact row count (scale generator)")
    parser.add_argument("--years", type=float, default=2.0)
    args = parser.parse_args(argv)
    if args.activities is None:
        book = generate(args.seed, args.accounts, args.years)
    else:
        book = generate_at_scale(args.accounts, args.activities, args.seed, years=args.years)
    for path in write_book(*book, args.out):
        print(path)
    if args.activities is None:  # the sample's earlier export (the follow-through page)
        for path in write_book(*baseline_of(*book, args.seed), args.out / "baseline"):
            print(path)


if __name__ == "__main__":
    main()
