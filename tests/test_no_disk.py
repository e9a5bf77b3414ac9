"""Uploads and the session's database stay in memory: loading, preparing and summarising a
book writes no file, neither in the working directory nor in the temp directory."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from alms.analysis import assign
from alms.prepared import prepare
from alms.reading.book import Upload, load
from alms.settings import Settings
from alms.summary import summary_of

ROOT = Path(__file__).resolve().parents[1]


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_loading_a_book_writes_no_file(tmp_path: Path, monkeypatch) -> None:
    work, temp = tmp_path / "work", tmp_path / "temp"
    work.mkdir(), temp.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    accounts = (ROOT / "sample_data" / "accounts.csv").read_bytes()
    activities = (ROOT / "sample_data" / "activities.csv").read_bytes()
    book = load(Upload("accounts.csv", accounts), Upload("activities.csv", activities))
    prepared = prepare(book)
    summary = summary_of(book, prepared, assign(prepared, Settings()))
    assert summary["accounts"] == 2_400  # the work happened
    # DuckDB would spill to a .tmp folder in the working directory past its memory limit;
    # the session's database has no temp directory at all.
    assert book.scalar("SELECT current_setting('temp_directory')") == ""
    book.close()
    assert _files(work) == set() and _files(temp) == set()
    assert os.getcwd() == str(work)
