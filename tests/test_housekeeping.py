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


SERVER_LOG = """\
  You can now view your Streamlit app in your browser.
2026-12-07 13:20:01.101 INFO    views.housekeeping: a book's database closed; 3 open
ERROR:    Exception in ASGI application
Traceback (most recent call last):
  File "starlette_websocket.py", line 450, in _websocket_endpoint
    await websocket.accept(subprotocol=subprotocol)
RuntimeError: WebSocket is not connected. Need to call "accept" first.
2026-12-07 13:20:02.202 ERROR   streamlit.runtime: Error in the script runner
Traceback (most recent call last):
  File "app.py", line 3, in <module>
ValueError: a real failure
2026-12-07 13:20:03.303 WARNING streamlit: a ValueError mentioned at level WARNING
"""


def test_the_session_benchmark_tells_a_client_leaving_early_from_a_server_error() -> None:
    """Worked by hand from the log above: the uvicorn record is a client that left
    before its socket was accepted; the runner's traceback and the warning naming an
    error are the server's problems (two)."""
    from benchmarks.sessions import server_problems

    problems, client_gone = server_problems(SERVER_LOG)
    assert client_gone == 1
    assert len(problems) == 2
    assert "ValueError: a real failure" in problems[0]
    assert "a ValueError mentioned" in problems[1]


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


FROZEN_PROBE = """
import gc, json, weakref
from views.housekeeping import freeze_modules
frozen = freeze_modules()

class Node:
    pass

a, b = Node(), Node()
a.other, b.other = b, a  # a cycle made after the freeze: garbage once dropped
gone = weakref.ref(a)
del a, b
gc.collect(2)
print(json.dumps({"frozen": frozen, "walked": len(gc.get_objects()), "cycle_left": gone() is not None}))
"""


def test_the_modules_objects_leave_the_collectors_walk_and_new_cycles_still_go() -> None:
    """A real server's first run freezes what the imports made (views/housekeeping.py):
    the full collection after every run then walks a small part of the process's
    objects, while a cycle made after the freeze is collected as before. In a child
    process, so the test run's own objects are not frozen."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", FROZEN_PROBE], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    probe = json.loads(out.strip().splitlines()[-1])
    assert probe["frozen"] > 50_000  # pandas, pyarrow, plotly, ibis, streamlit...
    assert probe["walked"] < probe["frozen"] / 10
    assert probe["cycle_left"] is False
