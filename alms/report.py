"""The handout: one self-contained HTML report and one Excel workbook.

Both are built from the story steps (alms.story) and the comparison (alms.compare), the
figures and charts the pages show, and both state where the figures come from: the
book's source, its as-of date, the scenario and every assumption (each setting, and
whether it is the book's default). The HTML carries plotly.js inline, so its charts stay
interactive with no network; it loads nothing from outside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from alms import compare, export, followthrough, matrix, programme, story, timeuse, whatif
from alms.analysis import Assignment
from alms.charts import SCENARIO_HOURS, scenario_bars
from alms.settings import Settings

MAX_ACCOUNT_ROWS = export.EXCEL_DOWNLOAD_ROWS
"""Accounts in the workbook's Accounts sheet at most (the CSV download holds all)."""
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True)
class Context:
    """What the report states about its figures' origin."""

    source: str
    as_of: date | None
    defaults: Settings


def assumptions(settings: Settings, defaults: Settings) -> pd.DataFrame:
    """Every setting as one row: its path (e.g. "bands.programme[2].owner"), its value,
    and whether it differs from the book's default."""
    rows: list[dict] = []
    base = defaults.to_dict()

    def walk(path: str, value: object, default: object) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                d = default.get(k) if isinstance(default, dict) else None
                walk(f"{path}.{k}" if path else k, v, d)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, v in enumerate(value):
                d = default[i] if isinstance(default, list) and i < len(default) else None
                walk(f"{path}[{i}]", v, d)
        else:
            rows.append(
                {
                    "setting": path,
                    "value": _text(value),
                    "changed": "changed" if value != default else "",
                }
            )

    walk("", settings.to_dict(), base)
    return pd.DataFrame(rows, columns=["setting", "value", "changed"])


def _text(value: object) -> str:
    if value is None:
        return "(automatic)"
    if isinstance(value, list):
        return ", ".join(map(str, value)) if value else "(none)"
    return str(value)


def about(ctx: Context, scenario: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item": ["Report", "Data source", "As-of date", "Scenario", "Made"],
            "value": [
                "ALMS: account list management",
                ctx.source,
                ctx.as_of.isoformat() if ctx.as_of else "(no dated activity)",
                scenario,
                datetime.now().strftime("%Y-%m-%d %H:%M"),
            ],
        }
    )


def tables(result: Assignment) -> dict[str, pd.DataFrame]:
    """The tables of one scenario, by sheet name."""
    slides = [(s.title, s.build(result)) for s in story.STEPS]
    headline = pd.DataFrame(
        {
            "step": [t for t, _ in slides],
            "headline": [sl.headline for _, sl in slides],
            "points": [" · ".join(sl.points) for _, sl in slides],
        }
    )
    time_split = timeuse.split(result).frame()
    plan = whatif.plan(result)
    return {
        "Headlines": headline,
        "Bands": programme.by_band(result),
        "Sellers": programme.by_seller(result),
        "Time by segment": time_split,
        "Time by seller": timeuse.by_seller(result),
        "At risk": timeuse.at_risk_table(result, limit=10_000),
        "A-E matrix": matrix.cells(result).frame(),
        "What-if by seller": plan.per_owner,
        "What-if moves": plan.moves(limit=MAX_ACCOUNT_ROWS),
        "Hours by month": followthrough.trend(result).frame(),
        **(
            {"Before-after by seller": ba.per_seller()}
            if (ba := followthrough.before_after(result)) is not None
            else {}
        ),
        "Accounts": result.frame(
            None if result.prepared.n_accounts <= MAX_ACCOUNT_ROWS else np.arange(MAX_ACCOUNT_ROWS)
        ),
    }


def comparison_tables(results: Sequence[tuple[str, Assignment]]) -> dict[str, pd.DataFrame]:
    return {
        "Comparison": compare.figures(results),
        "Comparison by seller": compare.per_seller(results),
        "Accounts that move": compare.moved(results),
    }


def workbook(ctx: Context, results: Sequence[tuple[str, Assignment]]) -> bytes:
    """The Excel handout: About and Assumptions (per scenario), the comparison when there
    are several scenarios, then each scenario's tables (the first scenario's only, when
    comparing, so the workbook stays readable)."""
    names = [n for n, _ in results]
    sheets: dict[str, pd.DataFrame] = {"About": about(ctx, " vs ".join(names))}
    for name, r in results:
        label = "Assumptions" if len(results) == 1 else f"Assumptions {name}"
        sheets[label] = assumptions(r.settings, ctx.defaults)
    if len(results) > 1:
        sheets |= comparison_tables(results)
    sheets |= tables(results[0][1])
    return export.to_workbook(sheets)


@cache
def _plotly_js() -> str:
    return plotly.offline.get_plotlyjs()


def _figure_html(fig: go.Figure) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG)


def _table_html(frame: pd.DataFrame, rows: int = 40) -> str:
    shown = frame.head(rows)
    html = shown.to_html(index=False, escape=True, float_format=lambda v: f"{v:,.2f}", border=0)
    more = (
        f"<p class='note'>The first {rows:,} of {len(frame):,} rows; the workbook has more.</p>"
        if len(frame) > rows
        else ""
    )
    return html + more


STYLE = """
body { font-family: system-ui, -apple-system, Segoe UI, sans-serif; color: #111827;
       max-width: 1200px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #1f5fae; }
.headline { font-size: 1.35rem; font-weight: 600; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e5e7eb; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.note { color: #6b7280; font-size: .85rem; }
.chart { margin: 1rem 0; }
"""


def html(ctx: Context, results: Sequence[tuple[str, Assignment]]) -> str:
    """The HTML handout: about and assumptions, the comparison (several scenarios), then
    the story of the first scenario, each step with its headline, points and chart."""
    names = [n for n, _ in results]
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>ALMS report: {escape(' vs '.join(names))}</title>",
        f"<style>{STYLE}</style>",
        f"<script>{_plotly_js()}</script></head><body>",
        "<h1>Account list management: where the time goes</h1>",
        _table_html(about(ctx, " vs ".join(names))),
    ]
    if len(results) > 1:
        t = comparison_tables(results)
        figures = t["Comparison"]
        parts.append("<h2>Scenarios side by side</h2>")
        shares = figures[figures["kind"] == "share"]
        hours = figures[figures["figure"].isin(SCENARIO_HOURS)]
        for rows, kind in ((shares, "share"), (hours, "hours")):
            fig = scenario_bars(rows["figure"].tolist(), names, rows[names].to_numpy(float), kind)
            parts.append(f"<div class='chart'>{_figure_html(fig)}</div>")
        parts.append(_table_html(compare.display(figures, names), rows=200))
        moved = t["Accounts that move"]
        parts.append(f"<h3>{len(moved):,} accounts change segment</h3>")
        parts.append(_table_html(moved))
    name, first = results[0]
    parts.append(f"<h2>The story of “{escape(name)}”</h2>")
    for step in story.STEPS:
        slide = step.build(first)
        parts.append(f"<h2>{escape(step.title)}</h2>")
        parts.append(f"<p class='headline'>{escape(slide.headline)}</p>")
        if slide.points:
            parts.append("<ul>" + "".join(f"<li>{escape(p)}</li>" for p in slide.points) + "</ul>")
        if slide.figure is not None:
            parts.append(f"<div class='chart'>{_figure_html(slide.figure)}</div>")
    parts.append("<h2>Assumptions</h2>")
    for name, r in results:
        parts.append(f"<h3>{escape(name)}</h3>")
        parts.append(_table_html(assumptions(r.settings, ctx.defaults), rows=1_000))
    parts.append("</body></html>")
    return "\n".join(parts)
