"""The strategic scorecard: weighted, normalised attributes summed to a 0-100 score.

Rules (DOMAIN.md section 3):
- An attribute's column resolves, case-insensitively after trimming, first to a derived
  attribute: `share_of_wallet` = revenue / potential (none when potential is blank or 0),
  `growth` = revenue / prior_revenue - 1 (none when prior is blank or 0), `hours` (last 12
  months); then to a field name (revenue, prior_revenue, potential, margin, ...); then to a
  header of the accounts file as uploaded. A cell that is not a number is missing.
- The scored population is the customers (revenue > 0), or every account (`all`, revenue
  0 where none).
- Normalised value n in [0, 1] over the population's non-missing values: `minmax`
  (x - min) / (max - min), 1 for everyone when max = min; `rank` (average rank of ties - 1)
  / (count - 1), 1 when count = 1; `fixed` (x - lo) / (hi - lo) clipped to [0, 1]. Then the
  direction (`lower`: 1 - n, so with max = min `lower` gives 0), then the missing rule on
  the final n: `worst` 0, `median` the median of the present final n, `reweight` the
  account's score uses only the attributes it has.
- score = 100 x sum(w x n) / sum(w) over the attributes used; an account whose used
  weights sum to 0 (under `reweight`, none of its attributes present) scores 0.
- An attribute whose column the book lacks, or with no value in the population, is left
  out with a note (it stays in the settings).
- Strategic = the top N, or the first ceil(X% x population), by score descending, ties by
  revenue descending, then account_id ascending; scores that agree to 9 decimal places tie.
  The prepared order is already revenue descending, id ascending, so the tie-break is the
  account's position.

Performance: each attribute's final n (and whether it counts in the account's weight sum)
depends on its column, scale, direction, missing rule and the population, never on the
weights: it is memoised per book, so a weight slider is one matrix-vector product and one
O(n) top-k selection.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from alms.analysis import KEY, Assignment, categories, count_cut
from alms.prepared import UNITS, Prepared
from alms.settings import Attribute, Scorecard, Settings

DERIVED = {
    "share_of_wallet": "revenue / potential",
    "growth": "revenue / prior revenue - 1",
    "hours": "hours in the last 12 months",
}
FIELD_COLUMNS = (
    "revenue",
    "prior_revenue",
    "potential",
    "margin",
    "share_of_wallet",
    "exec_access",
    "dm_access",
    "product_fit",
    "strategic_fit",
)
"""Account fields an attribute may name (share_of_wallet resolves to the derived one)."""
TIE_DECIMALS = 9
QUADRANTS = ("key_and_strategic", "key_only", "strategic_only", "neither")


@dataclass(frozen=True)
class Source:
    """Where an attribute's values come from: a label for the page and the raw values
    (float, one per account in prepared order, NaN = missing)."""

    label: str
    values: np.ndarray
    unparsed: int = 0


def _money(units: np.ndarray) -> np.ndarray:
    """int64 units (-1 unknown) -> float currency, NaN where unknown."""
    out = units / UNITS
    return np.where(units < 0, np.nan, out)


def resolve(p: Prepared, column: str, hours_12m: np.ndarray | None) -> Source | None:
    """The values an attribute's column names in this book, or None when it has none."""
    name = column.strip().lower()
    rev = p.rev / UNITS
    if name == "share_of_wallet":
        pot = _money(p.potential)
        with np.errstate(divide="ignore", invalid="ignore"):
            return Source("derived: " + DERIVED[name], np.where(pot > 0, rev / pot, np.nan))
    if name == "growth":
        prior = _money(p.prior)
        with np.errstate(divide="ignore", invalid="ignore"):
            return Source("derived: " + DERIVED[name], np.where(prior > 0, rev / prior - 1, np.nan))
    if name == "hours":
        hours = hours_12m if hours_12m is not None else np.zeros(p.n_accounts)
        return Source("derived: " + DERIVED[name], hours.astype(float))
    mapped = p.accounts_mapping
    field = _field_values(p, name)
    if field is not None:
        return field
    for col in p.number_columns:
        if col.header.strip().lower() == name:
            j = p.number_columns.index(col)
            return Source(f"column {col.header!r}", p.numbers[:, j], col.unparsed)
    for field_name, header in mapped.items():  # a header mapped to a field
        if header.strip().lower() == name:
            found = _field_values(p, field_name, f"column {header!r}")
            if found is not None:
                return found
    return None


def _field_values(p: Prepared, name: str, label: str | None = None) -> Source | None:
    """A field's values when the book has that field (revenue always does)."""
    if name not in FIELD_COLUMNS:
        return None
    label = label or f"field {name}"
    if name == "revenue":
        return Source(label, p.rev / UNITS)
    if not _has_field(p, name):
        return None
    if name == "prior_revenue":
        return Source(label, _money(p.prior))
    if name == "potential":
        return Source(label, _money(p.potential))
    return Source(label, p.frame[name].to_numpy(dtype=float, na_value=np.nan))


def population(p: Prepared, card: Scorecard) -> int:
    """How many accounts are scored: the first this many positions of the prepared order
    (customers come first in it)."""
    return p.n_customers if card.population == "customers" else p.n_accounts


def normalise(x: np.ndarray, a: Attribute) -> tuple[np.ndarray, np.ndarray]:
    """(final n, counts) for one attribute over a population's raw values.

    `counts` says whether the attribute's weight counts in the account's weight sum: every
    account, except a missing value under `reweight` (its n is then 0 and unused).
    """
    present = ~np.isnan(x)
    n = np.zeros(len(x))
    v = x[present]
    if v.size:
        if a.scale == "minmax":
            lo, hi = v.min(), v.max()
            n[present] = 1.0 if hi == lo else (v - lo) / (hi - lo)
        elif a.scale == "rank":
            ranks = pd.Series(v).rank(method="average").to_numpy()
            n[present] = 1.0 if v.size == 1 else (ranks - 1) / (v.size - 1)
        else:
            n[present] = np.clip((v - a.lo) / (a.hi - a.lo), 0.0, 1.0)
        if a.direction == "lower":
            n[present] = 1.0 - n[present]
    counts = np.ones(len(x), dtype=bool)
    if a.missing == "median" and v.size:
        n[~present] = float(np.median(n[present]))
    elif a.missing == "reweight":
        counts = present
    return n, counts


@dataclass(frozen=True)
class Column:
    """One attribute in use: its settings, source and final normalised values."""

    attribute: Attribute
    source: Source
    n: np.ndarray  # final n per scored account
    counts: np.ndarray  # bool: the weight counts in the account's weight sum
    present: int  # accounts of the population with a value


def _column(p: Prepared, a: Attribute, pop: int, settings: Settings, hours) -> Column | None:
    """The attribute's normalised column, memoised per book on everything but the weight."""
    key = (replace(a, weight=1.0, group="current"), pop, settings.minutes_per_type)

    def compute() -> Column | None:
        source = resolve(p, a.column, hours() if a.name == "hours" else None)
        if source is None:
            return None
        x = source.values[:pop]
        present = int((~np.isnan(x)).sum())
        if present == 0:
            return Column(a, source, np.zeros(pop), np.zeros(pop, bool), 0)
        n, counts = normalise(x, a)
        return Column(a, source, n, counts, present)

    col = p.memo(f"scorecard.{a.name}", key, compute)
    return None if col is None else replace(col, attribute=a)


@dataclass
class Scores:
    """Scores of one scorecard on one book: arrays over the population (prepared order)."""

    assignment: Assignment
    card: Scorecard
    columns: list[Column]  # attributes used, in the settings' order
    notes: list[str]
    score: np.ndarray  # float 0-100 per scored account
    weights: np.ndarray
    denominators: np.ndarray  # sum of the weights used, per scored account
    k: int  # size of the strategic set

    @property
    def size(self) -> int:
        return len(self.score)

    @cached_property
    def rounded(self) -> np.ndarray:
        return np.round(self.score, TIE_DECIMALS)

    @cached_property
    def strategic(self) -> np.ndarray:
        """bool per scored account: in the strategic set."""
        return top_k_mask(self.rounded, self.k)

    def ranking(self, limit: int | None = None) -> np.ndarray:
        """Positions in strategic order (score desc, then prepared order), the first
        `limit` only when given (an O(n) partition first: no full sort of 1M scores)."""
        r = self.rounded
        if limit is not None and limit < len(r):
            mask = top_k_mask(r, limit)
            idx = np.flatnonzero(mask)
        else:
            idx = np.arange(len(r))
        return idx[np.lexsort((idx, -r[idx]))]

    @cached_property
    def ranks(self) -> np.ndarray:
        """Strategic rank per scored account (1 = best): one full sort, on first use."""
        out = np.empty(self.size, dtype=np.int64)
        out[self.ranking()] = np.arange(1, self.size + 1)
        return out

    def contributions(self, positions: np.ndarray) -> np.ndarray:
        """Points each attribute adds to the score (rows: positions, columns: attributes);
        a row sums to the score."""
        if not self.columns:
            return np.zeros((len(positions), 0))
        n = np.column_stack([c.n[positions] for c in self.columns])
        used = np.column_stack([c.counts[positions] for c in self.columns])
        den = self.denominators[positions][:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            part = 100 * n * used * self.weights[None, :] / den
        return np.where(den > 0, part, 0.0)

    def raw(self, positions: np.ndarray) -> np.ndarray:
        """Raw attribute values (NaN = missing) at the positions."""
        if not self.columns:
            return np.zeros((len(positions), 0))
        return np.column_stack([c.source.values[positions] for c in self.columns])

    def group_shares(self) -> dict[str, float]:
        """Share of the total weight in each group (the article's half and half)."""
        total = float(self.weights.sum())
        out = {"current": 0.0, "future": 0.0}
        for c, w in zip(self.columns, self.weights, strict=True):
            out[c.attribute.group] += float(w) / total if total else 0.0
        return out

    @cached_property
    def codes(self) -> np.ndarray:
        """Per scored account: index into QUADRANTS (key as segmented, overrides
        included, x strategic)."""
        not_key = self.assignment.segment[: self.size] != KEY
        # 2 x not key + not strategic, in one byte per account (no int64 temporaries)
        return (not_key.view(np.int8) << 1) | (~self.strategic).view(np.int8)

    def quadrants(self) -> dict[str, int]:
        """Scored accounts by key x strategic."""
        counts = np.bincount(self.codes, minlength=4)
        return {q: int(counts[i]) for i, q in enumerate(QUADRANTS)}

    def quadrant_revenue(self) -> dict[str, float]:
        """Revenue per quadrant (exact integer sums of the units)."""
        rev = self.assignment.prepared.rev[: self.size]
        return {q: int(rev[self.codes == i].sum()) / UNITS for i, q in enumerate(QUADRANTS)}

    def with_weight(self, index: int, weight: float) -> Scores:
        """The same scorecard with one attribute's weight changed (sensitivity)."""
        weights = self.weights.copy()
        weights[index] = weight
        return _combine(self.assignment, self.card, self.columns, self.notes, weights)


def top_k_mask(rounded: np.ndarray, k: int) -> np.ndarray:
    """bool mask of the first k by (rounded score desc, position asc), in O(n)."""
    n = len(rounded)
    mask = np.zeros(n, dtype=bool)
    if k <= 0 or n == 0:
        return mask
    if k >= n:
        mask[:] = True
        return mask
    cut = np.partition(rounded, n - k)[n - k]  # the k-th largest
    above = rounded > cut
    mask |= above
    ties = np.flatnonzero(rounded == cut)
    mask[ties[: k - int(above.sum())]] = True
    return mask


def strategic_size(card: Scorecard, pop: int) -> int:
    """Top N (at most the population), or ceil(X% x population)."""
    if card.strategic.rule == "top_n":
        return min(int(card.strategic.value), pop)
    return count_cut(pop, card.strategic.value)


def _stacked(
    p: Prepared, columns: list[Column], settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """(n x used, used) as (population x attributes) float matrices, memoised per book on
    what the columns are kept under (`_column`: the attributes without their weights, the
    population and the default minutes, which the hours attribute reads): a weight move
    only multiplies them."""
    key = (
        tuple((replace(c.attribute, weight=1.0, group="current"), len(c.n)) for c in columns),
        settings.minutes_per_type,
    )

    def compute() -> tuple[np.ndarray, np.ndarray]:
        used = np.column_stack([c.counts for c in columns]).astype(float)
        return np.column_stack([c.n for c in columns]) * used, used

    return p.memo("scorecard.stack", key, compute)


def _combine(
    result: Assignment, card: Scorecard, columns: list[Column], notes: list[str], w: np.ndarray
) -> Scores:
    pop = population(result.prepared, card)
    if columns:
        nu, used = _stacked(result.prepared, columns, result.settings)
        den = used @ w
        num = nu @ w
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(den > 0, 100 * num / den, 0.0)
    else:
        den = np.zeros(pop)
        score = np.zeros(pop)
    return Scores(result, card, columns, notes, score, w, den, strategic_size(card, pop))


def score(result: Assignment) -> Scores | None:
    """Score the population under the result's scorecard (None: no scorecard)."""
    card = result.settings.scorecard
    if card is None:
        return None
    p = result.prepared
    pop = population(p, card)
    columns: list[Column] = []
    notes: list[str] = []
    for a in card.attributes:
        col = _column(p, a, pop, result.settings, lambda: result.hours_12m)
        if col is None:
            notes.append(f"{a.column!r} is not a column of this book: left out")
        elif col.present == 0:
            notes.append(f"{a.column!r} has no value among the scored accounts: left out")
        else:
            if col.source.unparsed:
                notes.append(
                    f"{a.column!r}: {col.source.unparsed:,} cells are not numbers (missing)"
                )
            columns.append(col)
    w = np.array([c.attribute.weight for c in columns], dtype=float)
    if columns and not w.any():
        notes.append("every attribute left in has weight 0: every score is 0")
    return _combine(result, card, columns, notes, w)


def sensitivity(s: Scores, step: float = 10.0) -> pd.DataFrame:
    """Per attribute and direction (weight - step, + step, floored at 0): how many accounts
    enter and leave the strategic set, and who (the first few ids of each)."""
    ids = s.assignment.prepared.frame["account_id"].to_numpy()
    base = s.strategic
    rows = []
    for i, c in enumerate(s.columns):
        for sign in (-1, 1):
            w = max(0.0, float(s.weights[i]) + sign * step)
            if w == s.weights[i]:
                continue
            other = s.with_weight(i, w)
            if not other.weights.any():
                continue
            moved = other.strategic
            entered = np.flatnonzero(moved & ~base)
            left = np.flatnonzero(base & ~moved)
            rows.append(
                {
                    "attribute": c.attribute.column,
                    "change": f"{sign * step:+.0f} → {w:g}",
                    "enter": len(entered),
                    "leave": len(left),
                    "entering": ", ".join(map(str, ids[entered[:5]]))
                    + (" ..." if len(entered) > 5 else ""),
                    "leaving": ", ".join(map(str, ids[left[:5]]))
                    + (" ..." if len(left) > 5 else ""),
                }
            )
    return pd.DataFrame(
        rows, columns=["attribute", "change", "enter", "leave", "entering", "leaving"]
    )


def disagreements(s: Scores, limit: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(key but not strategic with the lowest scores, strategic but not key with the
    lowest revenue): where "largest" and "strategic" disagree most."""
    codes = s.codes
    key_only = np.flatnonzero(codes == 1)
    if len(key_only) > limit:  # the `limit` lowest scores without sorting them all
        low = np.argpartition(s.rounded[key_only], limit - 1)[:limit]
        key_only = np.sort(key_only[low])
    key_only = key_only[np.lexsort((key_only, s.rounded[key_only]))][:limit]
    strat_only = np.flatnonzero(codes == 2)[::-1][:limit]  # revenue desc: smallest last
    p = s.assignment.prepared
    out = [
        p.rows(pos, ["account_id", "account_name", "owner", "revenue"]).assign(
            score=s.score[pos], revenue_rank=pos + 1
        )
        for pos in (key_only, strat_only)
    ]
    return out[0], out[1]


def order_by(s: Scores, attribute: int | None, limit: int) -> np.ndarray:
    """The first `limit` positions by score (attribute None) or by the points one
    attribute adds, descending, ties in prepared order (revenue desc, id asc)."""
    if attribute is None:
        return s.ranking(limit)
    c = s.columns[attribute]
    with np.errstate(divide="ignore", invalid="ignore"):
        points = np.where(
            s.denominators > 0, 100 * c.n * c.counts * s.weights[attribute] / s.denominators, 0
        )
    r = np.round(points, TIE_DECIMALS)
    idx = np.flatnonzero(top_k_mask(r, min(limit, len(r))))
    return idx[np.lexsort((idx, -r[idx]))]


def table(s: Scores, positions: np.ndarray, in_score_order: bool = False) -> pd.DataFrame:
    """Accounts at `positions` with their strategic rank, score, strategic flag, revenue
    rank, segment and the points each attribute adds (one column per attribute, "pts:
    <column>"). `in_score_order`: the positions are the ranking's first ones, so the ranks
    are 1, 2, ... (no full sort)."""
    from alms.settings import SEGMENTS

    out = s.assignment.prepared.rows(positions, ["account_id", "account_name", "owner", "revenue"])
    ranks = np.arange(1, len(positions) + 1) if in_score_order else s.ranks[positions]
    out.insert(0, "rank", ranks)
    out["revenue_rank"] = positions + 1
    out["segment"] = pd.Categorical.from_codes(
        s.assignment.segment[positions], dtype=categories(SEGMENTS)
    )
    out["score"] = s.score[positions]
    out["strategic"] = s.strategic[positions]
    points = s.contributions(positions)
    for j, c in enumerate(s.columns):
        out[f"pts: {c.attribute.column}"] = points[:, j]
    return out


def explain(s: Scores, position: int) -> pd.DataFrame:
    """One account's score, attribute by attribute: raw value, normalised n, the weight's
    share in this account's score, the points it adds (they sum to the score), and what
    the missing rule did."""
    pos = np.array([position])
    points = s.contributions(pos)[0]
    raw = s.raw(pos)[0]
    rows = []
    for j, c in enumerate(s.columns):
        a = c.attribute
        used = bool(c.counts[position])
        den = s.denominators[position]
        if np.isnan(raw[j]):
            note = {
                "worst": "missing: counted as the worst (0)",
                "median": f"missing: counted as the median ({c.n[position]:.2f})",
                "reweight": "missing: left out of this account's score",
            }[a.missing]
        else:
            note = ""
        rows.append(
            {
                "attribute": a.column,
                "group": a.group,
                "raw": raw[j],
                "normalised": c.n[position] if used else np.nan,
                "weight": a.weight,
                "weight_share": a.weight / den if used and den else 0.0,
                "points": points[j],
                "note": note,
            }
        )
    return pd.DataFrame(rows)


def suggested(p: Prepared) -> Scorecard:
    """A first scorecard for a book without one, from what the book has: revenue, growth
    and share of wallet for current performance; potential and up to four of the file's
    numeric columns for future potential and fit."""
    from alms.settings import Attribute as A

    have = set(candidate_columns(p))
    attrs = [A("revenue", "current", 20, "rank")]
    if "prior_revenue" in have:
        attrs.append(A("growth", "current", 15, "rank", missing="median"))
    if "potential" in have:
        attrs.append(A("share_of_wallet", "current", 15, "minmax", missing="median"))
        attrs.append(A("potential", "future", 20, "rank", missing="median"))
    extra = [c.header for c in p.number_columns if c.unparsed == 0][:4]
    attrs += [A(h, "future", 10, "minmax", missing="median") for h in extra]
    return Scorecard(attributes=tuple(attrs))


def default_for_sample() -> Scorecard:
    """The sample book's scorecard: 8 attributes, half current performance, half future
    potential and fit (columns by the sample file's headers)."""
    from alms.settings import Attribute as A

    return Scorecard(
        attributes=(
            A("Revenue (TTM)", "current", 15, "rank"),
            A("Gross Margin %", "current", 15, "minmax"),
            A("share_of_wallet", "current", 10, "minmax", missing="median"),
            A("growth", "current", 10, "rank", missing="median"),
            A("Wallet Potential", "future", 15, "rank"),
            A("Executive Access", "future", 10, "fixed", 1, 5, missing="median"),
            A("Decision Maker Access", "future", 10, "fixed", 1, 5, missing="median"),
            A("Strategic Fit", "future", 15, "fixed", 1, 5, missing="median"),
        )
    )


def _has_field(p: Prepared, name: str) -> bool:
    """The book has this field (the test `_field_values` applies, without the values)."""
    if name == "revenue":
        return True
    if name in ("prior_revenue", "potential"):
        units = p.prior if name == "prior_revenue" else p.potential
        return name in p.accounts_mapping or bool((units >= 0).any())
    return name in p.accounts_mapping


def candidate_columns(p: Prepared) -> list[str]:
    """Columns a user may add as attributes: derived, the book's numeric fields, then the
    accounts file's numeric headers (every non-blank cell a number). Once per book."""

    def compute() -> list[str]:
        out = list(DERIVED)
        out += [f for f in FIELD_COLUMNS if f != "share_of_wallet" and _has_field(p, f)]
        out += [c.header for c in p.number_columns if c.unparsed == 0]
        return out

    return list(p.memo("scorecard.candidates", None, compute))
