"""The handout: the HTML report parses, holds every chart and loads nothing from
outside; the workbook has the expected sheets, no cell that a spreadsheet would run as a
formula, and the figures of the comparison."""

import io
import re
from html.parser import HTMLParser

import pytest
from python_calamine import CalamineWorkbook

from alms import report, story
from alms.settings import Settings
from alms.workspace import Workspace
from tests.helpers import book_of

# Hostile text where a report shows user text: account names, sellers, scenario names.
BOOK = """
id,name,owner,region,revenue,prior_revenue,potential
A1,=HYPERLINK("http://evil.example"),@Ann,North,800,900,
A2,+Plus Ltd,-Bob,North,100,100,500
A3,Calm Co,@Ann,South,60,50,
A4,Small Co,-Bob,South,40,,90
A5,Zero Co,-Bob,South,0,,
"""
ACTIVITIES = """
account id,date,type,duration,seller
A1,2026-06-01,visit,120,@Ann
A2,2026-06-02,call,30,-Bob
A3,2026-06-03,meeting,600,@Ann
A4,2026-07-01,email,,-Bob
"""
NAMES = ("=today", "-90% cut")


@pytest.fixture(scope="module")
def results():
    ws = Workspace.open(book_of(BOOK, ACTIVITIES))
    a = Settings()
    b = a.with_key(cumulative_pct=90.0)
    ctx = report.Context(ws.book.source, ws.prepared.activity_as_of, ws.defaults())
    return ctx, [(NAMES[0], ws.assignment(a)), (NAMES[1], ws.assignment(b))]


class Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.charts = 0
        self.links: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "plotly-graph-div" in (attrs.get("class") or ""):
            self.charts += 1
        self.links += [v for k, v in attrs.items() if k in ("src", "href") and v]
        if tag not in ("meta", "br", "hr", "img", "link", "input"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_is_whole_offline_and_states_its_assumptions(results) -> None:
    ctx, res = results
    text = report.html(ctx, res)
    page = Parsed()
    page.feed(text)
    assert not page.open  # every tag closed
    with_chart = sum(1 for s in story.STEPS if s.build(res[0][1]).figure is not None)
    assert page.charts == with_chart + 2  # the story's charts and the two comparison charts
    assert not page.links  # no script, style sheet, image or link from anywhere
    outside = text.replace(report._plotly_js(), "")  # plotly.js itself is inlined
    assert not re.findall(r"https?://(?!evil\.example)", outside)
    assert "<script src" not in outside and "@import" not in outside
    body = "".join(page.text)
    assert "+Plus Ltd" in body and "-Bob" in body  # the account that moves, as text
    for item in (ctx.source, "2026-07-01", *NAMES):
        assert item in body
    for setting in report.assumptions(res[1][1].settings, ctx.defaults)["setting"]:
        assert setting in body
    assert "key.cumulative_pct" in body and "90.0" in body


def test_workbook_sheets_are_formula_safe_and_hold_the_comparison(results) -> None:
    ctx, res = results
    book = CalamineWorkbook.from_filelike(io.BytesIO(report.workbook(ctx, res)))
    names = book.sheet_names
    assert names[:5] == [
        "About",
        "Assumptions =today",
        "Assumptions -90% cut",
        "Comparison",
        "Comparison by seller",
    ]
    assert {"Accounts that move", "Headlines", "Bands", "A-E matrix", "Accounts"} <= set(names)
    for name in names:
        for row in book.get_sheet_by_name(name).to_python():
            for cell in row:
                if isinstance(cell, str) and cell:
                    assert not cell.startswith(("=", "+", "-", "@")), (name, cell)
    about = dict(book.get_sheet_by_name("About").to_python()[1:])
    assert about["As-of date"] == "2026-07-01" and about["Scenario"] == "'=today vs -90% cut"
    rows = book.get_sheet_by_name("Comparison").to_python()
    header = rows[0]
    key = next(r for r in rows if r[1] == "Key accounts")
    # customers 800, 100, 60, 40 (total 1,000): 80% is reached by A1 alone (800);
    # 90% needs A1 and A2 (900)
    assert key[header.index("'=today")] == 1 and key[header.index("'-90% cut")] == 2
    moved = book.get_sheet_by_name("Accounts that move").to_python()
    assert [r[0] for r in moved[1:]] == ["A2"]


def test_assumptions_list_every_setting_once() -> None:
    s = Settings().with_key(cumulative_pct=70.0)
    table = report.assumptions(s, Settings())
    assert table["setting"].is_unique
    assert table.loc[table["setting"] == "key.cumulative_pct", "changed"].item() == "changed"
    assert table.loc[table["setting"] == "key.rule", "changed"].item() == ""
    assert "bands.programme[5].owner" in set(table["setting"])
