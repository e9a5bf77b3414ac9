"""The hostile-file corpus (tests/hostile_corpus.py) through `alms summary` and the Data
page: each file is refused with a clear sentence or loaded with exactly its expected row
counts and figures; never a traceback, and after a refusal the previous book stays."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alms import export
from alms.cli import main
from tests.hostile_corpus import BASE_ACCOUNTS, Case, cases

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CASES = cases()


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.table for c in CASES} == {"accounts", "activities", "orders"}
    assert sum(c.refused is not None for c in CASES) >= 10
    assert cases()[5].data == CASES[5].data  # seeded: the same bytes every time


def summary_of(case: Case, tmp: Path) -> tuple[int, str, str]:
    path = tmp / case.name
    path.write_bytes(case.data)
    args = ["summary"]
    if case.table == "activities":
        (tmp / "base.csv").write_bytes(BASE_ACCOUNTS)
        args += ["--accounts", str(tmp / "base.csv"), "--activities", str(path)]
    else:
        args += [f"--{case.table}", str(path)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_through_alms_summary(case: Case, tmp_path: Path) -> None:
    code, out, err = summary_of(case, tmp_path)
    assert "Traceback" not in err
    if case.refused is not None:
        assert code == 2, out[:300]
        assert err.startswith("alms: ") and case.refused in err
        assert len(err.strip().splitlines()) == 1  # one sentence
        return
    assert code == 0, err
    summary = json.loads(out)
    counts = summary["input"][case.table]
    assert (counts["rows"], counts["accepted"], counts["rejected"]) == (
        case.rows, case.accepted, case.rejected,
    )  # fmt: skip
    for key, value in case.figures.items():
        assert summary[key] == value, key


def _upload(at: AppTest, table: str, name: str, data: bytes) -> None:
    at.file_uploader(key=f"upload_{table}").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]


def test_every_case_through_the_data_page() -> None:
    """One session loads the corpus file by file: a refused file leaves the book that was
    in use; a loaded one shows its counts, and every page renders it."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    ws = at.session_state["alms_workspace"]
    for case in CASES:
        before = ws.book.source
        for table in ("accounts", "activities", "orders"):
            at.file_uploader(key=f"upload_{table}").clear().run()
        if case.table == "activities":
            _upload(at, "accounts", "base.csv", BASE_ACCOUNTS)
        _upload(at, case.table, case.name, case.data)
        errors = [e.value for e in at.error]
        load = next(b for b in at.button if b.label == "Load this book")
        if not errors and not load.disabled:
            load.click().run()
            assert not at.exception, (case.name, [e.message for e in at.exception])
            errors = [e.value for e in at.error]
        if case.refused is not None:
            assert errors, case.name
            assert any(case.refused in e for e in errors), (case.name, errors)
            assert ws.book.source == before, case.name  # the previous book stays
            continue
        assert not errors, (case.name, errors)
        report = ws.book.reports[next(t for t in ws.book.reports if t.value == case.table)]
        assert (report.rows, report.accepted, report.rejected) == (
            case.rows, case.accepted, case.rejected,
        ), case.name  # fmt: skip


HOSTILE_TEXT = [c for c in CASES if c.name in {
    "formula_injection.csv", "html_and_script.csv", "rtl_override.csv", "name_10000_chars.csv",
    "emoji.csv",
}]  # fmt: skip


@pytest.mark.parametrize("case", HOSTILE_TEXT, ids=[c.name for c in HOSTILE_TEXT])
def test_hostile_text_renders_on_every_page_and_exports_safely(case: Case) -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    _upload(at, "accounts", case.name, case.data)
    next(b for b in at.button if b.label == "Load this book").click().run()
    ws = at.session_state["alms_workspace"]
    assert ws.book.source == case.name
    for page in (
        "views/pareto.py", "views/bands.py", "views/prospects.py", "views/scorecard.py",
        "views/timeuse.py", "views/assignments.py",
    ):  # fmt: skip
        at.switch_page(page).run()
        assert not at.exception, (page, [e.message for e in at.exception])
    frame = ws.assignment().frame()
    text = export.to_csv(frame).decode("utf-8-sig")
    for line in text.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "-", "@")), cell  # prefixed with '
