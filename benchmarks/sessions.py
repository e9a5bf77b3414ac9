"""Many sessions on one server: isolation and memory, in a real `streamlit run`.

    python -m benchmarks.sessions              # 30 sessions
    python -m benchmarks.sessions --sessions 5 # a smoke run

Each session is a headless Chromium context (Debian's /usr/bin/chromium): it opens the app
(the sample book), uploads its own small book (session i: i + 3 accounts of equal
revenue, so its key count at an 80% cut-off is ceil(0.8 x (i + 3))), loads it, opens the
Key accounts page and moves the cut-off to 85% with the keyboard. Afterwards every
session is visited again and must still show its own book and figures; the server's log
must hold no error. Memory is the server's resident set (VmRSS): before the wave (after
a warm-up session has come and gone), after each session, and after every context has
closed and the disconnected-session time (5 s here, 120 s by default) has passed (and
again, "settled", 40 s later, when the allocators have purged what they freed); by
then every session's databases must have closed (the app's housekeeping thread drops
expired sessions and releases their Workspace: views/housekeeping.py).

Figures are printed and written to benchmarks/results/sessions-latest.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.load import rss_mb

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
RESULTS = ROOT / "results" / "sessions-latest.json"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
TTL_S = 5
SETTLE_S = 40
"""After the sessions have gone: how long the allocators get to purge what they freed
(DuckDB's purges in background threads) before memory counts as settled."""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(log: Any) -> tuple[subprocess.Popen, str]:
    port = _port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
            "--server.disconnectedSessionTTL", str(TTL_S),
        ],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={
            **os.environ, "PYTHONPATH": str(REPO), "ALMS_LOG_BOOKS": "1",
            "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),  # as `make run`
        },
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.25)
    raise SystemExit("the server did not start")


def _closes(log: Any) -> int:
    """Databases closed so far, from the server's log (read without moving the offset
    the server writes at)."""
    size = os.fstat(log.fileno()).st_size
    return os.pread(log.fileno(), size, 0).decode("utf-8", "replace").count(CLOSED)


CLOSED = "a book's database closed"
CLIENT_GONE = 'WebSocket is not connected. Need to call "accept" first'
"""What Streamlit 1.67's Starlette server logs, with a traceback, when a browser closes a
page's socket in a way its receive loop does not expect (Starlette raises a RuntimeError
there, which Streamlit takes for a text frame and closes the socket a second time): the
client has gone, no session's state is touched, so it is counted apart from the errors."""
RECORD_START = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|[A-Z]+:\s)")
"""A new log record: Streamlit's lines begin with their time, uvicorn's with a level."""


def server_problems(server_log: str) -> tuple[list[str], int]:
    """The server log's errors (records with a traceback or an error line), and how
    many records were only a client leaving early (CLIENT_GONE)."""
    records: list[list[str]] = [[]]
    for line in server_log.splitlines():
        if RECORD_START.match(line) and records[-1]:
            records.append([])
        records[-1].append(line)
    problems, client_gone = [], 0
    for record in records:
        text = "\n".join(record)
        if "Traceback" not in text and not any(
            "Error" in ln and not ln.startswith(" ") for ln in record
        ):
            continue
        if CLIENT_GONE in text:
            client_gone += 1
        else:
            problems.append("\n".join(record[:12]))
    return problems, client_gone


def book(i: int) -> bytes:
    """Session i's accounts file: i + 3 accounts of revenue 1,000 each."""
    rows = "".join(f"S{i}-{j},Seller {i},1000\n" for j in range(i + 3))
    return f"Account ID,Account Owner,Revenue\n{rows}".encode()


def expected_keys(i: int, pct: int) -> int:
    """Equal revenues: the shortest prefix reaching pct% is ceil(pct% x n) accounts."""
    return math.ceil(pct * (i + 3) / 100)


def _key_metric(page: Any) -> Any:
    return page.get_by_test_id("stMetric").filter(has_text="Key accounts")


def _go(page: Any, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()


def _session(browser: Any, url: str, i: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.get_by_text("Load your own export below").wait_for()
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Accounts file")
    uploader.locator("input[type=file]").set_input_files(
        {"name": f"s{i}.csv", "mimeType": "text/csv", "buffer": book(i)}
    )
    page.get_by_role("button", name="Load this book").click()
    page.get_by_text("Loaded.", exact=False).wait_for()
    _go(page, "Key accounts (Pareto)")  # in the app: a new URL would be a new session
    _key_metric(page).get_by_text(str(expected_keys(i, 80)), exact=True).wait_for()
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(5):
        slider.press("ArrowRight")
    _key_metric(page).get_by_text(str(expected_keys(i, 85)), exact=True).wait_for()
    if errors:
        raise SystemExit(f"session {i}: JavaScript errors {errors}")
    return context, page


class Wave(NamedTuple):
    """One wave of sessions: server memory (MB) after each session, its seconds, memory
    once its sessions expired, databases closed by then, and memory (whole, anonymous)
    once the allocators had time to purge."""

    rss: list[float]
    seconds: float
    after: float
    closed: int
    settled: float
    anon_settled: float


def run(n: int, n_waves: int = 1) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryFile() as log, sync_playwright() as pw:
        proc, url = _server(log)
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            rss_start = rss_mb(proc.pid)
            warm, _ = _session(browser, url, 0)  # imports, caches: not a session's cost
            warm.close()
            time.sleep(TTL_S + 8)
            rss_before, anon_before = rss_mb(proc.pid), rss_mb(proc.pid, "RssAnon")
            waves: list[Wave] = []
            for wave in range(n_waves):
                contexts, rss, started = [], [], time.perf_counter()
                for i in range(1, n + 1):
                    contexts.append(_session(browser, url, i))
                    rss.append(rss_mb(proc.pid))
                    print(f"  wave {wave + 1}, session {i}: server {rss[-1]:,.0f} MB",
                          file=sys.stderr, flush=True)  # fmt: skip
                wave_s = time.perf_counter() - started
                for i, (_, page) in enumerate(contexts, start=1):  # each sees its own book
                    _go(page, "Data")
                    page.get_by_text(f"In use: s{i}.csv", exact=False).wait_for()
                    _go(page, "Key accounts (Pareto)")
                    _key_metric(page).get_by_text(str(expected_keys(i, 85)), exact=True).wait_for()
                for context, _ in contexts:
                    context.close()
                time.sleep(TTL_S + 15)  # sessions expire, their state and databases go
                soon, closed = rss_mb(proc.pid), _closes(log)
                time.sleep(SETTLE_S)  # the allocators purge what they freed, in time
                waves.append(
                    Wave(rss, wave_s, soon, closed, rss_mb(proc.pid), rss_mb(proc.pid, "RssAnon"))
                )
            browser.close()
            wave1 = waves[0]
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        log.seek(0)
        server_log = log.read().decode("utf-8", "replace")
    problems, client_gone = server_problems(server_log)
    closes = [ln for ln in server_log.splitlines() if CLOSED in ln]
    still_open = int(closes[-1].rsplit(";", 1)[1].split()[0]) if closes else None
    first = wave1.rss[0] - rss_before
    per_extra = (wave1.rss[-1] - wave1.rss[0]) / max(n - 1, 1)
    return {
        "sessions": n,
        "rss_start_mb": round(rss_start),
        "rss_before_mb": round(rss_before),
        "rss_per_session_mb": [round(v) for v in wave1.rss],
        "first_session_mb": round(first, 1),
        "per_extra_session_mb": round(per_extra, 1),
        "rss_after_close_mb": round(wave1.after),
        "rss_after_each_wave_mb": [round(w.after) for w in waves],
        "rss_settled_mb": round(wave1.settled),
        "rss_settled_after_each_wave_mb": [round(w.settled) for w in waves],
        "anon_before_mb": round(anon_before),
        "anon_settled_after_each_wave_mb": [round(w.anon_settled) for w in waves],
        "returned_within_10pct": all(w.settled <= rss_before * 1.10 for w in waves),
        "sessions_per_1gb": int((1024 - rss_before) // per_extra) if per_extra > 0 else None,
        "sessions_per_2_7gb": int((2765 - rss_before) // per_extra) if per_extra > 0 else None,
        "isolated": True,  # every session re-checked its own figures above
        "server_errors": problems[:10],
        "client_disconnects_logged": client_gone,
        "databases_closed": len(closes),
        "databases_closed_after_each_wave": [w.closed for w in waves],
        "databases_open_at_end": still_open,
        "wave_s": round(wave1.seconds, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--waves", type=int, default=2, help="waves of sessions, one after another")
    args = parser.parse_args(argv)
    result = run(args.sessions, args.waves)
    result["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    for key, value in result.items():
        if key != "rss_per_session_mb":
            print(f"{key:>24}: {value}")
    if result["server_errors"] or not result["returned_within_10pct"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
