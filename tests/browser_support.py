"""Helpers for the browser end-to-end tests: a real `streamlit run` and Debian's Chromium.

- `streamlit_server()` starts `python -m streamlit run app.py` on a free loopback port
  from the repository root, waits (bounded) until `/_stcore/health` answers "ok", yields
  the base URL and stops the whole process group at the end.
- `chromium()` launches /usr/bin/chromium through Playwright (browser downloads do not
  work here). When Chromium or Playwright is missing the test is skipped on a developer
  machine and fails when the environment variable CI is set: in CI the browser tests are
  mandatory.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.browser import idle

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 60.0
"""How long the server may take to answer its health check before the test fails."""


def skip_or_fail(reason: str) -> None:
    """Skip outside CI; in CI (env var CI set) a missing prerequisite is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run, not skip)")
    pytest.skip(reason)


def require_chromium() -> None:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("the playwright Python package is not installed")


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group, then SIGKILL it if it does not go."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def streamlit_server(app: str = "app.py") -> Iterator[str]:
    """Run the app with `streamlit run` on a free loopback port; yield its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                app,
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode("utf-8", "replace")[-4000:]
                    state = (
                        f"exited with code {proc.returncode}"
                        if proc.poll() is not None
                        else f"no health answer within {START_TIMEOUT_S:.0f} s"
                    )
                    pytest.fail(f"streamlit run {app} {state}:\n{output}")
                time.sleep(0.25)
            yield url
        finally:
            _stop(proc)


@contextlib.contextmanager
def chromium(headless: bool = True) -> Iterator[object]:
    """A Playwright Chromium Browser on Debian's /usr/bin/chromium (never downloaded)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=headless
        )
        try:
            yield browser
        finally:
            browser.close()


def open_page(
    browser: Any, url: str, height: int = 1400, timeout_ms: int = 60_000
) -> tuple[Any, list[str]]:
    """A new 1400-wide page at `url` with a default timeout; returns (page, errors), where
    `errors` collects the page's uncaught JavaScript errors (each test asserts it empty).

    Returns once the first run has drawn the page (something is on screen and no run
    is going), as a person would wait before touching it: a key pressed while the first
    run is still drawing may land on a slider that is replaced a moment later."""
    page = browser.new_page(viewport={"width": 1400, "height": height}, accept_downloads=True)
    page.set_default_timeout(timeout_ms)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.get_by_test_id("stMain").get_by_test_id("stElementContainer").first.wait_for()
    idle(page)
    page.evaluate(STILL_JS)
    return page, errors


# Resolves once nothing on the page has changed for 300 ms. Widgets such as sliders are
# drawn by lazily loaded components a moment after the run ends; a key pressed while
# one mounts can be lost.
STILL_JS = """() => new Promise(resolve => {
    let timer = setTimeout(done, 300);
    const seen = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 300); });
    function done() { seen.disconnect(); resolve(); }
    seen.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
})"""
