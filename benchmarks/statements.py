"""Where a page's rerun goes, statement by statement (a tool: prints only).

    python -m benchmarks.statements matrix whatif            # 100k accounts / 1M activities
    python -m benchmarks.statements --size 1000000:10000000 --min-ms 3 whatif

Each named move of `python -m benchmarks` (benchmarks.reruns.MOVES) is made `--moves`
times by AppTest on the workshop book, as that benchmark makes it. The page and the shell
(app.py) run with a time stamp after each top-level statement and after each statement
inside their `if` / `with` / `try` blocks and app.py's `main`; the median gap before each
stamp is that statement's share of a move. The instrumented code is compiled in memory
(Streamlit's script cache), never written to a file. Each line is the time up to its
stamp: "(until app.py starts ...)" is AppTest's start of the run and the widget's
callback; "(after the page)" the end of the run after the page's last statement.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import logging
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks import reruns
from benchmarks.load import ensure_book
from tests.apptest_support import scan_components_once

STAMPS: list[tuple[str, float]] = []
DEEPER = (ast.If, ast.With, ast.Try)


def _stamp(label: str) -> None:
    STAMPS.append((label, time.perf_counter()))


def instrumented(path: Path) -> ast.Module:
    """`path`'s code with `_alms_stamp(label)` after each statement worth timing."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))

    def stamped(nodes: list[ast.stmt], depth: int) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for node in nodes:
            if isinstance(node, DEEPER) and depth < 3:
                node.body = stamped(node.body, depth + 1)
            if isinstance(node, ast.FunctionDef) and node.name == "main":
                node.body = stamped(node.body, depth + 1)
            out.append(node)
            skip = (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom, ast.Return)
            if isinstance(node, skip) or (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            ):
                continue
            text = lines[node.lineno - 1].strip()[:60]
            label = f"{path.name}:{node.lineno} {'  ' * depth}{text}"
            out.append(
                ast.Expr(ast.Call(ast.Name("_alms_stamp", ast.Load()), [ast.Constant(label)], []))
            )
        return out

    body = stamped(tree.body, 0)
    future = [n for n in body if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    start = ast.Expr(
        ast.Call(
            ast.Name("_alms_stamp", ast.Load()),
            [ast.Constant(f"(until {path.name} starts: AppTest, widget callbacks)")],
            [],
        )
    )
    tree.body = future + [start] + [n for n in body if n not in future]
    return ast.fix_missing_locations(tree)


def _instrument_scripts(paths: set[str]) -> Any:
    """Streamlit's script cache hands out the instrumented code for `paths`; returns
    the function that puts Streamlit's own back."""
    import builtins

    from streamlit.runtime.scriptrunner import script_cache
    from streamlit.testing.v1 import app_test, local_script_runner

    builtins._alms_stamp = _stamp  # type: ignore[attr-defined]

    compiled: dict[str, Any] = {}

    class Cache(script_cache.ScriptCache):
        def get_bytecode(self, script_path: str) -> Any:
            if str(Path(script_path).resolve()) not in paths:
                return super().get_bytecode(script_path)
            if script_path not in compiled:  # once, as a server compiles each script once
                tree = instrumented(Path(script_path))
                compiled[script_path] = compile(tree, script_path, "exec")
            return compiled[script_path]

    shared = Cache()
    own = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment]
    local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment]

    def restore() -> None:
        app_test.ScriptCache, local_script_runner.ScriptCache = own

    return restore


def profile(ws: Any, name: str, moves: int) -> tuple[float, dict[str, float]]:
    """(median ms of a move, median ms per statement label) for one named move."""
    move = reruns.MOVES[name]
    at = reruns._open(ws, move.page, move.state)
    getattr(at, move.widget)(key=move.key).set_value(move.values[0]).run()  # warm-up
    per: dict[str, list[float]] = {}
    walls = []
    for i in range(1, moves + 1):
        STAMPS.clear()
        value = move.values[i % len(move.values)]
        t0 = time.perf_counter()
        getattr(at, move.widget)(key=move.key).set_value(value).run()
        t1 = time.perf_counter()
        if at.exception:
            raise RuntimeError(f"{move.page} raised: {at.exception[0].value}")
        walls.append((t1 - t0) * 1000)
        marks = [("", t0), *STAMPS, ("(after the page)", t1)]
        for (_, a), (label, b) in itertools.pairwise(marks):
            per.setdefault(label, []).append((b - a) * 1000)
    return statistics.median(walls), {k: statistics.median(v) for k, v in per.items()}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("moves", nargs="+", choices=sorted(reruns.MOVES), metavar="MOVE")
    parser.add_argument("--size", default="100000:1000000", help="ACCOUNTS:ACTIVITIES")
    parser.add_argument("--moves-per-page", type=int, default=20)
    parser.add_argument("--min-ms", type=float, default=0.3, help="hide statements below")
    args = parser.parse_args(argv)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "ScriptRunContext" not in record.getMessage()
    )
    accounts, activities = (int(x) for x in args.size.split(":"))
    scan_components_once()  # ~1.5 s per AppTest otherwise
    ws, _ = reruns.open_workshop(ensure_book(accounts, activities))
    pages = {str((reruns.APP.parent / reruns.MOVES[m].page).resolve()) for m in args.moves}
    restore = _instrument_scripts(pages | {str(reruns.APP.resolve())})
    out: dict[str, Any] = {}
    try:
        for name in args.moves:
            median, per = profile(ws, name, args.moves_per_page)
            out[name] = {"move_ms": median, "statements_ms": per}
            print(f"{name}: median move {median:.1f} ms")
            for label, ms in per.items():
                if ms >= args.min_ms:
                    print(f"  {ms:7.2f}  {label}")
    finally:
        restore()
        ws.release()  # its databases close
    return out


if __name__ == "__main__":
    main()
