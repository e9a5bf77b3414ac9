"""Server housekeeping: sessions that have left give their memory back.

Streamlit keeps a disconnected session for `server.disconnectedSessionTTL` seconds so a
reconnect finds it, but it drops an expired one only when its session store is next
written: on a quiet server, the last sessions of a workshop (each with its own book and
database) stay in memory until somebody else connects. One daemon thread per process
asks the store to drop the expired sessions every few seconds, collects the cycles a
session leaves (its state, its Workspace, its Book, whose database closes then) and
hands the freed pages back to the system.

Every run of a page ends with Streamlit's full garbage collection
(`runner.postScriptGC`, memory hygiene on a shared server), which walks every object
the process holds: with pandas, pyarrow, plotly, ibis and DuckDB imported, ~180,000
of them, 60-130 ms a run during which no message leaves (the GIL is held), longer
than the whole run of most pages. The modules' objects live as long as the process,
so the first run freezes them (`gc.freeze`): the collection then walks only what the
sessions made since, and a slider move's last message leaves that much earlier
(`benchmarks/README.md`).

It reads Streamlit's private session store (pinned streamlit==1.67.0); if that ever
moves, the thread logs once and stops, and sessions are dropped as Streamlit does.
"""

from __future__ import annotations

import atexit
import gc
import logging
import threading

from alms.reading.memory import return_freed_memory
from alms.workspace import Workspace
from views.common import STATE_KEY

log = logging.getLogger(__name__)
INTERVAL_S = 5.0
_lock = threading.Lock()
_started = False


def start() -> None:
    """On a real server, once per process (later calls do nothing): freeze the
    modules' objects out of the garbage collector's walks, and start the housekeeping
    thread. Not under AppTest, whose stand-in runtime has no sessions to sweep and
    whose process is a test run's."""
    global _started
    with _lock:
        if _started:
            return
        _started = True
    if _session_manager() is None:
        return
    freeze_modules()
    threading.Thread(target=_loop, name="alms-housekeeping", daemon=True).start()


LATE_IMPORTS = ("alms.report", "alms.export", "alms.charts", "alms.vega", "plotly.graph_objects")
"""Modules the pages import on first use: imported before the freeze, so that their
objects are frozen too."""


def freeze_modules() -> int:
    """Import the late modules, collect, and move every object the process holds now
    to the collector's permanent generation; returns how many. Called before the first
    session's Workspace exists, so no book is frozen: what a session makes later is
    collected as before. The objects of the session being served now (its state, its
    runner) are frozen with the rest; `sweep` empties that state when it expires, so
    its book never outlives it."""
    import importlib

    for name in LATE_IMPORTS:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    # Thawed at exit, so the interpreter's last collection finalises them as usual
    # (DuckDB's bindings report every uncollected object of theirs as a leak).
    atexit.register(gc.unfreeze)
    return gc.get_freeze_count()


def _session_manager():
    """The server's WebsocketSessionManager; None under AppTest (a stand-in runtime)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

    manager = getattr(Runtime.instance(), "_session_mgr", None) if Runtime.exists() else None
    return manager if isinstance(manager, WebsocketSessionManager) else None


def sweep() -> int | None:
    """Drop the expired disconnected sessions, shut them down and release their
    Workspace; when any went, collect and trim. Returns how many were dropped; None
    where no server's session store exists (AppTest's runtime is a stand-in)."""
    manager = _session_manager()
    if manager is None:
        return None
    with manager._storage_lock:  # the manager saves and deletes under this lock
        expired = manager._session_storage._cache.expire()
    for _, info in expired:
        state = info.session._session_state
        # SessionState has no .get: it is no Mapping
        workspace = state[STATE_KEY] if STATE_KEY in state else None  # noqa: SIM401
        # Shut down as Streamlit does a session that cannot come back (its uploaded
        # files go). Streamlit's runtime loop keeps the last session it served
        # referenced until another connects, and the widgets' callbacks keep the
        # page's globals: the Workspace lets go of its data itself.
        info.session.shutdown()
        if isinstance(workspace, Workspace):
            workspace.release()
        # A frozen state (the first session's) is never collected: empty it, so
        # nothing it held outlives the session.
        state.clear()
    if expired:
        gc.collect()  # a session's state holds cycles: its Book goes only now
        return_freed_memory()
    return len(expired)


def _loop() -> None:
    stop = threading.Event()
    while not stop.wait(INTERVAL_S):
        try:
            if sweep() is None:
                return  # no server here (a test's stand-in runtime): nothing to sweep
        except Exception:  # Streamlit's internals moved: say so once, leave it to them
            log.warning("session housekeeping stopped", exc_info=True)
            return
