"""Executors, checkpoints and resume: the same numbers whatever runs the chunks, an interrupted
run finishes to the identical result, a dead worker's chunk is run again."""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import pytest
from simulation_helpers import small_world, write_scenario

from fundalloc.commands.simulate import run_simulate
from fundalloc.core.errors import FundallocError
from fundalloc.core.executors import MAX_ATTEMPTS, open_executor, run_jobs
from fundalloc.simulation import montecarlo
from fundalloc.simulation.checkpoint import ChunkStore, RunInterrupted
from fundalloc.simulation.montecarlo import run_chunk, run_montecarlo

FIELDS = (
    "owed",
    "paid",
    "claims",
    "earned",
    "deadweight",
    "induced_wan",
    "induced_all_wan",
    "crossings",
)


def numbers(run_dir) -> dict:
    s = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    s.pop("workers")  # how it ran, not what it found
    return s


def test_dask_cluster_gives_the_same_summary_as_local(tmp_path):
    scenario = write_scenario(tmp_path, runs=25)
    local, _ = run_simulate(scenario, workers=2, out=tmp_path / "local", progress=False)
    dask, _ = run_simulate(
        scenario, workers=2, out=tmp_path / "dask", progress=False, executor="dask"
    )
    assert numbers(dask) == numbers(local)
    assert (dask / "outlay.csv").read_bytes() == (local / "outlay.csv").read_bytes()
    assert json.loads((dask / "manifest.json").read_text())["executor"] == "dask"
    assert not list(tmp_path.glob("*.incomplete"))


def test_interrupted_run_resumes_to_the_same_result(tmp_path, monkeypatch):
    scenario = write_scenario(tmp_path, runs=45)  # 5 chunks of 10 (last one short)
    whole, _ = run_simulate(scenario, workers=1, out=tmp_path / "whole", progress=False)
    before = (whole / "summary.json").read_bytes()

    save = ChunkStore.save
    saved = []

    def interrupt_after_two(self, k, part):  # Ctrl-C after two chunks
        save(self, k, part)
        saved.append(k)
        if len(saved) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(ChunkStore, "save", interrupt_after_two)
    with pytest.raises(RunInterrupted, match="2 of 5 chunks finished") as info:
        run_simulate(scenario, workers=1, out=tmp_path / "cut", progress=False)
    assert info.value.exit_code == 130
    monkeypatch.setattr(ChunkStore, "save", save)
    partial = tmp_path / "cut.incomplete"
    assert not (tmp_path / "cut").exists()  # no folder looks like a finished run
    assert sorted(p.name for p in (partial / "chunks").iterdir()) == [
        "chunk-00000.npz",
        "chunk-00001.npz",
    ]

    with pytest.raises(FundallocError, match="seed differs"):
        run_simulate(scenario, seed=8, workers=1, progress=False, resume=partial)
    with pytest.raises(FundallocError, match="number of runs differs"):
        run_simulate(scenario, runs=50, workers=1, progress=False, resume=partial)
    with pytest.raises(FundallocError, match="interrupted run"):  # no fresh start over it
        run_simulate(scenario, workers=1, out=tmp_path / "cut", progress=False)

    ran = []
    monkeypatch.setattr(
        montecarlo, "run_chunk", lambda world, k, *a: ran.append(k) or run_chunk(world, k, *a)
    )
    final, _ = run_simulate(scenario, workers=1, progress=False, resume=partial)
    assert final == tmp_path / "cut" and sorted(ran) == [2, 3, 4]
    assert numbers(final) == numbers(whole)
    assert (final / "outlay.csv").read_bytes() == (whole / "outlay.csv").read_bytes()
    assert not partial.exists()
    assert (whole / "summary.json").read_bytes() == before  # the earlier run is untouched
    with pytest.raises(FundallocError, match="finished run"):
        run_simulate(scenario, workers=1, progress=False, resume=final)


def die_once(world, k, start, count):
    """A chunk whose worker process dies the first time chunk 1 runs (marker file: once)."""
    marker = os.environ["FUNDALLOC_TEST_MARKER"]
    if k == 1 and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return montecarlo._work(world, k, start, count)


def die_always(world, k, start, count):
    if k == 1:
        os._exit(1)
    return montecarlo._work(world, k, start, count)


def test_worker_killed_mid_run_is_recovered(tmp_path, monkeypatch):
    world = small_world(tmp_path, runs=40)
    expected = run_montecarlo(world, workers=1, progress=False)
    marker = tmp_path / "died"
    monkeypatch.setenv("FUNDALLOC_TEST_MARKER", str(marker))
    got = run_montecarlo(world, workers=2, progress=False, task=die_once)
    assert marker.exists()  # a worker really died
    for field in FIELDS:
        np.testing.assert_array_equal(getattr(got, field), getattr(expected, field), err_msg=field)
    with pytest.raises(FundallocError, match=f"failed {MAX_ATTEMPTS} times"):
        run_montecarlo(world, workers=2, progress=False, task=die_always)


def test_dask_worker_killed_mid_run_is_recovered(tmp_path, monkeypatch):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    world = small_world(tmp_path, runs=30)
    expected = run_montecarlo(world, workers=1, progress=False)
    marker = tmp_path / "died"
    monkeypatch.setenv("FUNDALLOC_TEST_MARKER", str(marker))  # inherited by the workers
    try:
        with open_executor("dask", workers=2) as ex:
            got = run_montecarlo(world, progress=False, executor=ex, task=die_once)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert marker.exists()
    for field in FIELDS:
        np.testing.assert_array_equal(getattr(got, field), getattr(expected, field), err_msg=field)


def fail(x):
    raise ValueError(f"bad input {x}")


def test_an_error_in_a_job_is_not_retried_but_raised():
    calls = []
    with open_executor("local", workers=1) as ex:
        with pytest.raises(ValueError, match="bad input 3"):
            run_jobs(ex, fail, [(3,), (4,)], on_result=lambda i, r: calls.append(i))
    assert calls == []


def test_user_errors_are_messages(tmp_path):
    with pytest.raises(FundallocError, match="unknown executor 'ray'"):
        with open_executor("ray"):
            pass
    with pytest.raises(FundallocError, match="--address is for --executor dask"):
        with open_executor("local", address="tcp://127.0.0.1:8786"):
            pass
    with pytest.raises(FundallocError, match="no interrupted run here"):
        run_simulate(write_scenario(tmp_path), progress=False, resume=tmp_path / "nothing")


def test_interrupted_stress_resumes_per_scenario(tmp_path, monkeypatch):
    from fundalloc.commands.stress import run_stress

    base = write_scenario(tmp_path, runs=30)
    hot = write_scenario(tmp_path, name="hot.toml", runs=30, effort=0.3, window=0.4)
    whole, _, want = run_stress(
        base, others=[hot], workers=1, out=tmp_path / "whole", progress=False
    )
    save, saved = ChunkStore.save, []

    def interrupt_in_second_scenario(self, k, part):
        save(self, k, part)
        saved.append(self.folder.parent.name)
        if len(saved) == 4:  # 3 chunks of base, 1 of hot
            raise KeyboardInterrupt

    monkeypatch.setattr(ChunkStore, "save", interrupt_in_second_scenario)
    with pytest.raises(RunInterrupted, match="4 of 6 chunks"):
        run_stress(base, others=[hot], workers=1, out=tmp_path / "cut", progress=False)
    monkeypatch.setattr(ChunkStore, "save", save)
    assert saved == ["00-small"] * 3 + ["01-hot"]
    with pytest.raises(FundallocError, match="settings"):  # a different scenario list
        run_stress(
            base, others=[base], workers=1, progress=False, resume=tmp_path / "cut.incomplete"
        )
    final, _, got = run_stress(
        base, others=[hot], workers=2, progress=False, resume=tmp_path / "cut"
    )  # the run folder's name works too
    assert final == tmp_path / "cut" and got == want
    assert (final / "stress.csv").read_bytes() == (whole / "stress.csv").read_bytes()


def test_cli_interrupt_message_and_resume_options(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from fundalloc.cli import app

    scenario = write_scenario(tmp_path, runs=20)

    def interrupt(self, k, part):
        raise KeyboardInterrupt

    monkeypatch.setattr(ChunkStore, "save", interrupt)
    r = CliRunner().invoke(
        app, ["simulate", str(scenario), "--workers", "1", "--out", str(tmp_path / "run")]
    )
    assert r.exit_code == 130 and "interrupted before any chunk finished" in r.output
    assert not list(tmp_path.glob("run*"))  # nothing to resume: nothing kept
    monkeypatch.setattr("fundalloc.core.executors.CONNECT_TIMEOUT", "0.5s")
    r = CliRunner().invoke(
        app,
        [
            "simulate",
            str(scenario),
            "--executor",
            "dask",
            "--address",
            "tcp://127.0.0.1:9",
            "--out",
            str(tmp_path / "run"),
        ],
    )
    assert r.exit_code == 2 and "cannot reach the Dask scheduler" in r.output
    assert "Traceback" not in r.output
