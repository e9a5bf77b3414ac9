"""Where a slider move's time goes, seen from inside the page: the companion of
`python -m benchmarks.browser`, which gives the end-to-end figure.

    python -m benchmarks.timeline                                  # ALMS, Key accounts
    python -m benchmarks.timeline --pages "A-E matrix" --moves 8
    python -m benchmarks.timeline --app benchmarks/floor_app.py    # the floor

A script injected before the page loads stamps, with the page's own clock
(`performance.now()`, ms after the key press): the widget's message leaving for the
server (`send`), the first and the last message back (`first`, `last`), the end of the
move (`end`: the run has finished and two frames are painted) and the main thread's
long tasks (`long_ms`, summed: rendering that blocks the page). The gap from `send` to
`last` is the server's run as the page receives it (messages queue behind a busy main
thread, so a long render delays `last` too); from `last` to `end` is the browser's.
Medians are printed, nothing is saved: a tool to find the time, not a benchmark.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from typing import Any

from benchmarks.browser import RunWatch, first_slider, idle, press_until_run

STAMPS = """
(() => {
  window.__alms = [];
  const stamp = (kind, t, size) => window.__alms.push([kind, t, size]);
  const Native = window.WebSocket;
  function Stamped(...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (e) => stamp('recv', performance.now(), e.data.byteLength || e.data.size || 0));
    const send = ws.send.bind(ws);
    ws.send = (data) => { stamp('send', performance.now(), 0); return send(data); };
    return ws;
  }
  Stamped.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Stamped[k] = Native[k];
  window.WebSocket = Stamped;
  document.addEventListener('keydown', () => stamp('key', performance.now(), 0), true);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) stamp('long', e.startTime, e.duration);
  }).observe({ type: 'longtask' });
})();
"""
PAINTED_AT_JS = """
() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))
"""


def _move(page: Any, watch: RunWatch, key: str) -> dict[str, float]:
    """One key press on the focused slider, its stamps relative to the key press."""
    page.evaluate("() => { window.__alms = []; }")
    press_until_run(page, watch, key)
    end = page.evaluate(PAINTED_AT_JS)
    page.wait_for_timeout(50)  # late long-task entries
    stamps = page.evaluate("() => window.__alms")
    at = next(t for kind, t, _ in stamps if kind == "key")
    recv = [(t, size) for kind, t, size in stamps if kind == "recv"]
    send = next((t for kind, t, _ in stamps if kind == "send"), at)
    return {
        "send": send - at,
        "first": recv[0][0] - at,
        "last": recv[-1][0] - at,
        "end": end - at,
        "messages": len(recv),
        "kb": sum(size for _, size in recv) / 1024,
        "long_ms": sum(size for kind, _, size in stamps if kind == "long"),
    }


def run(app: str, pages: Sequence[str], moves: int) -> dict[str, dict[str, float]]:
    from tests.browser_support import chromium, streamlit_server

    out = {}
    with chromium() as browser, streamlit_server(app) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        page.add_init_script(STAMPS)
        watch = RunWatch(page)
        page.goto(url)
        page.get_by_test_id("stMetric").first.wait_for()
        for title in pages:
            if title != "-":
                page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
                idle(page)
            slider = first_slider(page)
            slider.wait_for()
            rows = []
            for i in range(moves + 2):  # the first two warm up
                idle(page)
                page.wait_for_timeout(300)
                slider.focus()
                rows.append(_move(page, watch, "ArrowRight" if i % 2 == 0 else "ArrowLeft"))
            out[title] = {k: round(statistics.median(r[k] for r in rows[2:]), 1) for k in rows[0]}
            print(f"{title:<28} {out[title]}", flush=True)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", default="app.py")
    parser.add_argument(
        "--pages", nargs="+", default=["Key accounts (Pareto)"], help='"-": the open page'
    )
    parser.add_argument("--moves", type=int, default=8)
    args = parser.parse_args(argv)
    pages = (
        ["-"] if args.app != "app.py" and args.pages == parser.get_default("pages") else args.pages
    )
    run(args.app, pages, args.moves)


if __name__ == "__main__":
    main()
