"""Server housekeeping: sessions that have left give their memory back.

Streamlit keeps a disconnected session for `server.disconnectedSessionTTL` seconds so a
reconnect finds it, but it drops an expired one only when its session store is next
written: on a quiet server, the last sessions of a workshop (each with its own book and
database) stay in memory until somebody else connects. One daemon thread per process
asks the store to drop the expired sessions every few seconds, collects the cycles a
session leaves (its state, its Workspace, its Book, whose database closes then) and
hands the freed pages back to the system.

It reads Streamlit's private session store (pinned streamlit==1.67.0); if that ever
moves, the thread logs once and stops, and sessions are dropped as Streamlit does.
"""

from __future__ import annotations

import gc
import logging
import threading

from alms.reading.book import return_freed_memory
from alms.workspace import Workspace
from views.common import STATE_KEY

log = logging.getLogger(__name__)
INTERVAL_S = 5.0
_lock = threading.Lock()
_started = False


def start() -> None:
    """Start the housekeeping thread once per process (later calls do nothing)."""
    global _started
    with _lock:
        if _started:
            return
        _started = True
    threading.Thread(target=_loop, name="alms-housekeeping", daemon=True).start()


def sweep() -> int | None:
    """Drop the expired disconnected sessions, shut them down and release their
    Workspace; when any went, collect and trim. Returns how many were dropped; None
    where no server's session store exists (AppTest's runtime is a stand-in)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

    manager = getattr(Runtime.instance(), "_session_mgr", None) if Runtime.exists() else None
    if not isinstance(manager, WebsocketSessionManager):
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
