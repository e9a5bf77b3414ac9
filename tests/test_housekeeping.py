"""Sessions that have left give their memory back: a released Workspace holds no data,
and on a real server every session's databases close once it has expired."""

from __future__ import annotations

import gc
import weakref

import pytest

from alms.workspace import Workspace, load_sample
from tests.browser_support import require_chromium


def test_a_released_workspace_lets_go_of_its_book() -> None:
    ws = Workspace.open(load_sample())
    ws.assignment()  # something derived, kept with it
    book = weakref.ref(ws.book)
    kept = [ws]  # as Streamlit keeps the last session it served
    ws.release()
    gc.collect()
    assert book() is None  # collected: its finalizer has closed the database
    assert kept[0].__dict__ == {}


@pytest.mark.browser
def test_every_session_closes_its_databases_once_expired() -> None:
    """A smoke run of `python -m benchmarks.sessions`: two sessions, each on its own
    upload, isolated; after they have expired, each one's two databases (the sample it
    opened on, then its upload) and the warm-up session's two are closed, before the
    server stops: views/housekeeping.py drops the expired sessions and releases them
    (without it: 3 of the 6)."""
    require_chromium()
    from benchmarks import sessions

    n = 2
    result = sessions.run(n, 1)
    assert result["server_errors"] == []
    assert result["databases_closed_after_each_wave"] == [2 + 2 * n]
