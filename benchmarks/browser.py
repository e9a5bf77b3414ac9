"""Browser benchmark: from a key press on a slider to the new figures on screen, in
headless Chromium, for ALMS's pages and for a bare Streamlit floor app, in one run.

    python -m benchmarks.browser                     # the sample book, every slider page
    python -m benchmarks.browser --book benchmarks/data/100k-1m --moves 10
    python -m benchmarks.browser --pages "Key accounts (Pareto)" --moves 3   # a smoke run

Per page: the first slider of the page is focused and moved one step with the arrow
keys (right, then left, alternately); a move ends when the server's `script_finished`
message has reached the page (read from the websocket), the page's text has changed
and two more frames have been painted. Each move's time is the wall time
from just before the key press to that moment, seen from the test driver; the floor
app measured the same way is the baseline, twice: as the bare app it is (`floor`), and
with its objects frozen out of Streamlit's post-run garbage collection as ALMS's server
freezes its own (`frozen_floor`, the fastest answer Streamlit gives here). Figures are
printed and written to `benchmarks/results/browser-latest.json` (median, p90 and the
ratios to both floors).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.load import ROOT, machine

RESULTS = ROOT / "results" / "browser-latest.json"
FLOOR_APP = "benchmarks/floor_app.py"
SLIDER_PAGES = (
    "Key accounts (Pareto)",
    "Bands & programme",
    "Prospects",
    "Strategic scorecard",
    "Where the hours go",
    "A-E matrix",
    "What-if: moving the time",
    "Follow-through",
)
"""The pages with a slider in the main area (their titles in the navigation)."""
CHANGED_JS = """
([before]) => document.querySelector('[data-testid="stMain"]').innerText !== before
"""
PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class RunWatch:
    """Counts the `script_finished` messages the server sends the page (parsed from the
    websocket's frames): a run's end as the browser receives it. A fast run's
    "running" state never reaches the DOM (React batches it away), so the page's own
    attributes cannot tell it."""

    def __init__(self, page: Any) -> None:
        self.finished = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # not a ForwardMsg: nothing to count
            return
        if msg.WhichOneof("type") == "script_finished":
            self.finished += 1


def main_text(page: Any) -> str:
    return page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').innerText")


def idle(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'",
        polling="raf",
    )


def first_slider(page: Any) -> Any:
    """The first slider of the main area that is on screen (not in a closed expander
    or another tab)."""
    return page.get_by_test_id("stMain").get_by_role("slider").filter(visible=True).first


def measure_moves(page: Any, watch: RunWatch, moves: int) -> list[float]:
    """Milliseconds per key press on the page's first main-area slider: until the
    server's run has finished, the page's text has changed and two frames have been
    painted since."""
    slider = first_slider(page)
    slider.wait_for()
    out = []
    for i in range(moves):
        idle(page)
        page.wait_for_timeout(300)  # a quiet page: no run, no animation pending
        slider.focus()
        t0 = time.perf_counter()
        press_until_run(page, watch, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.evaluate(PAINTED_JS)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def press_until_run(page: Any, watch: RunWatch, key: str) -> None:
    """Press `key` on the focused widget; return once the server's run has reached the
    page (its `script_finished` message) and the page's text has changed."""
    before = main_text(page)
    runs = watch.finished
    page.keyboard.press(key)
    deadline = time.perf_counter() + 60
    while watch.finished == runs:
        if time.perf_counter() > deadline:
            raise TimeoutError("no script run finished within 60 s of the key press")
        page.wait_for_timeout(1)  # lets Playwright deliver the websocket frames
    page.wait_for_function(CHANGED_JS, arg=[before], polling="raf", timeout=60_000)


def summarise_ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p90_ms": round(p90, 1),
        "samples_ms": [round(x, 1) for x in samples],
    }


def _open(browser: Any, url: str, height: int) -> tuple[Any, RunWatch]:
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.set_default_timeout(120_000)
    watch = RunWatch(page)  # before the page opens its websocket
    page.goto(url)
    return page, watch


def _floor(browser: Any, moves: int, mode: str) -> dict[str, Any]:
    """The floor app's moves; `mode` "frozen" freezes its objects out of Streamlit's
    post-run collection, as ALMS's server does (see `benchmarks/floor_app.py`)."""
    from tests.browser_support import streamlit_server

    with _env("ALMS_FLOOR", mode), streamlit_server(FLOOR_APP) as url:
        page, watch = _open(browser, url, 900)
        page.get_by_test_id("stMetric").wait_for()
        measure_moves(page, watch, 2)  # warm-up: the first run compiles and connects
        figures = summarise_ms(measure_moves(page, watch, moves))
        page.close()
    return figures


def run(book: Path | None, pages: Sequence[str], moves: int) -> dict[str, Any]:
    from tests.browser_support import chromium, streamlit_server

    results: dict[str, Any] = {"book": str(book) if book else "sample", "moves": moves}
    with chromium() as browser:
        for name, mode in (("floor", ""), ("frozen_floor", "frozen")):
            results[name] = _floor(browser, moves, mode)
        with _env("ALMS_BOOK", str(book.resolve()) if book else None), streamlit_server() as url:
            page, watch = _open(browser, url, 1000)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.get_by_test_id("stMetric").first.wait_for()
            results["pages"] = {}
            for title in pages:
                nav = page.get_by_test_id("stSidebarNav")
                nav.get_by_text(title, exact=True).click()
                idle(page)
                try:
                    first_slider(page).wait_for(timeout=15_000)
                except Exception:  # a page without a slider on screen: said, not timed
                    results["pages"][title] = {"no_visible_slider": True}
                    print(f"{title:<28} no slider on screen", flush=True)
                    continue
                measure_moves(page, watch, 2)  # warm-up: this page's first runs
                figures = summarise_ms(measure_moves(page, watch, moves))
                for name in ("floor", "frozen_floor"):
                    figures[f"ratio_to_{name}"] = round(
                        figures["median_ms"] / results[name]["median_ms"], 2
                    )
                results["pages"][title] = figures
                print(
                    f"{title:<28} median {figures['median_ms']:>7.1f} ms"
                    f"  p90 {figures['p90_ms']:>7.1f} ms  {figures['ratio_to_floor']:.2f}x"
                    f"  {figures['ratio_to_frozen_floor']:.2f}x frozen",
                    flush=True,
                )
            results["page_errors"] = errors
    return results


@contextlib.contextmanager
def _env(name: str, value: str | None) -> Iterator[None]:
    """The environment variable `name` set to `value` (left as it is when None) for
    the block, then as it was: the servers started inside inherit it."""
    previous = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, help="a book folder opened at start (ALMS_BOOK)")
    parser.add_argument("--pages", nargs="+", default=list(SLIDER_PAGES))
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = run(args.book, args.pages, args.moves)
    for name, label in (
        ("floor", "floor (one slider, one metric)"),
        ("frozen_floor", "the same, objects frozen"),
    ):
        print(f"{label:<28} median {results[name]['median_ms']:>7.1f} ms")
    doc = {
        "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
