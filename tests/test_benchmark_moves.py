"""Every move `python -m benchmarks` times exists and runs without an exception: each is
played twice on the sample book through the benchmark's own functions, so a renamed
widget key or tab fails here rather than in a benchmark run nobody watches."""

import pytest

from alms.workspace import Workspace, load_sample, load_sample_baseline
from benchmarks import reruns


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    ws = Workspace.open(load_sample())
    ws.settings = reruns.workshop_scenario(ws.prepared)
    ws.scenarios = {"today": ws.settings, "seventy": ws.settings.with_key(cumulative_pct=70.0)}
    ws.set_baseline(load_sample_baseline())  # as the benchmark sets its book's baseline
    return ws


@pytest.mark.parametrize("name", list(reruns.MOVES))
def test_each_benchmark_move_plays(workspace: Workspace, name: str) -> None:
    move = reruns.MOVES[name]
    result = reruns._page(workspace, move, n_moves=2, n_unchanged=1)
    assert len(result["wall"]) == 2 and all(t > 0 for t in result["wall"])
