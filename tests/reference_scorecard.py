"""A second, plain-Python scorer of DOMAIN.md section 3, for checking alms.scorecard.

Lists of floats and None, one account at a time: nothing shared with the numpy code.
"""

from __future__ import annotations

from alms.settings import Attribute


def normalised(values: list[float | None], a: Attribute) -> list[float | None]:
    """Final n per account (None = missing): scale, then direction, then the missing rule
    (None left for `reweight`)."""
    present = [v for v in values if v is not None]
    out: list[float | None] = []
    for v in values:
        if v is None:
            out.append(None)
        elif a.scale == "minmax":
            lo, hi = min(present), max(present)
            out.append(1.0 if hi == lo else (v - lo) / (hi - lo))
        elif a.scale == "rank":
            below = sum(p < v for p in present)
            equal = sum(p == v for p in present)
            average_rank = below + (equal + 1) / 2
            out.append(1.0 if len(present) == 1 else (average_rank - 1) / (len(present) - 1))
        else:
            out.append(min(1.0, max(0.0, (v - a.lo) / (a.hi - a.lo))))
    out = [None if v is None else (1 - v if a.direction == "lower" else v) for v in out]
    kept = sorted(v for v in out if v is not None)
    if a.missing == "reweight" or not kept:
        return out
    mid = len(kept) // 2
    median = kept[mid] if len(kept) % 2 else (kept[mid - 1] + kept[mid]) / 2
    fill = median if a.missing == "median" else 0.0
    return [fill if v is None else v for v in out]


def scores(columns: list[list[float | None]], attrs: list[Attribute]) -> list[float]:
    """score = 100 x sum(w x n) / sum(w) over the attributes each account uses."""
    finals = [normalised(col, a) for col, a in zip(columns, attrs, strict=True)]
    out = []
    for i in range(len(columns[0]) if columns else 0):
        num = sum(a.weight * f[i] for a, f in zip(attrs, finals, strict=True) if f[i] is not None)
        den = sum(a.weight for a, f in zip(attrs, finals, strict=True) if f[i] is not None)
        out.append(100 * num / den if den else 0.0)
    return out


def ranking(score: list[float], revenue: list[float], ids: list[str]) -> list[int]:
    """Indexes by score desc (equal to 9 decimals: tie), then revenue desc, then id asc."""
    return sorted(range(len(score)), key=lambda i: (-round(score[i], 9), -revenue[i], ids[i]))
