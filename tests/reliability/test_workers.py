"""Workers die with their parent: after `kill -9` of `simulate` (no clean-up runs in it), no
worker of it is alive 5 s later — on the local process pool and on a Dask LocalCluster."""

import os
import signal

import pytest

from tests.reliability.helpers import JIAXING, alive, children, start, wait_for

LIMIT_S = 5


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_kill_9_of_simulate_leaves_no_worker(tmp_path, executor):
    proc = start(
        "simulate", JIAXING, "--runs", "100000", "--workers", "2", "--executor", executor,
        "--out", tmp_path / "run", cwd=tmp_path, log=tmp_path / "log",
    )  # fmt: skip
    try:
        # wait until both workers exist (Dask: the workers, plus nothing else of ours)
        workers = wait_for(lambda: len(children(proc.pid)) >= 2 and children(proc.pid), 120)
        assert workers, (tmp_path / "log").read_text()
        assert wait_for(lambda: (tmp_path / "run.incomplete" / "lock.json").exists(), 60)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        left = wait_for(lambda: not [w for w in workers if alive(w)], LIMIT_S)
        assert left, (
            f"workers still alive {LIMIT_S} s after kill -9: {[w for w in workers if alive(w)]}"
        )
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in children(proc.pid):
            os.kill(w, signal.SIGKILL)
