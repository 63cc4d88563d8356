"""Run folders never collide: two `select` started together into the default folder both
succeed, in different folders; a second `--resume` of a live run is refused naming its PID; the
lock of a run that was killed is taken over; an earlier run is never touched."""

import json
import os
import signal
import subprocess
import sys

from tests.reliability.helpers import (
    HENAN,
    JIAXING,
    assert_clean_error,
    cli,
    env,
    start,
    tree,
    wait_for,
)


def test_two_selects_started_together_both_succeed(tmp_path):
    earlier = cli("select", HENAN, "--out", tmp_path / "results" / "earlier", cwd=tmp_path)
    assert earlier.returncode == 0, earlier.stderr
    before = tree(tmp_path / "results" / "earlier")
    cmd = [sys.executable, "-m", "fundalloc.cli", "select", str(HENAN)]
    procs = [
        subprocess.Popen(
            cmd, cwd=tmp_path, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_o, e) in zip(procs, outs):
        assert p.returncode == 0, e.decode()
        assert b"Traceback" not in e
    runs = sorted(d for d in (tmp_path / "results").iterdir() if d.name != "earlier")
    assert len(runs) == 3, runs  # three folders, none lost
    for d in runs:
        assert (d / "manifest.json").is_file() and (d / "selection.csv").is_file()
    assert not [p for p in (tmp_path / "results").iterdir() if p.name.startswith(".")]
    assert tree(tmp_path / "results" / "earlier") == before


def _interrupted_run(tmp_path):
    """A simulate killed by SIGKILL after some chunks: its .incomplete keeps a stale lock."""
    run = tmp_path / "run"
    proc = start("simulate", JIAXING, "--runs", "200", "--workers", "1", "--out", run,
                 cwd=tmp_path, log=tmp_path / "first.log")  # fmt: skip
    chunks = run.with_name("run.incomplete") / "chunks"
    assert wait_for(lambda: chunks.is_dir() and len(list(chunks.glob("chunk-*.npz"))) >= 2, 180)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    return run.with_name("run.incomplete"), proc.pid


def test_second_resume_of_a_live_run_is_refused_and_a_dead_ones_lock_taken_over(tmp_path):
    partial, dead_pid = _interrupted_run(tmp_path)
    lock = json.loads((partial / "lock.json").read_text())
    assert lock["pid"] == dead_pid  # the killed run's lock is still there: stale
    first = start("simulate", JIAXING, "--runs", "200", "--workers", "1", "--resume", partial,
                  cwd=tmp_path, log=tmp_path / "resume1.log")  # fmt: skip
    try:
        # the first resume takes over the dead run's lock
        assert wait_for(
            lambda: (json.loads((partial / "lock.json").read_text() or "{}").get("pid") == first.pid
                     if (partial / "lock.json").exists() else False), 60
        ), (tmp_path / "resume1.log").read_text()  # fmt: skip
        second = cli("simulate", JIAXING, "--runs", "200", "--workers", "1", "--resume", partial,
                     cwd=tmp_path)  # fmt: skip
        assert_clean_error(second, "being written by another process", f"PID {first.pid}")
        assert first.wait(300) == 0, (tmp_path / "resume1.log").read_text()
    finally:
        if first.poll() is None:
            first.kill()
    assert (tmp_path / "run" / "summary.json").is_file()
    assert not partial.exists()


def test_two_runs_into_the_same_out_the_second_is_refused_naming_the_first(tmp_path):
    first = start("simulate", JIAXING, "--runs", "200", "--workers", "1", "--out", tmp_path / "x",
                  cwd=tmp_path, log=tmp_path / "1.log")  # fmt: skip
    try:
        assert wait_for(lambda: (tmp_path / "x.incomplete" / "lock.json").exists(), 120)
        second = cli("simulate", JIAXING, "--runs", "200", "--workers", "1", "--out", tmp_path / "x",
                     cwd=tmp_path)  # fmt: skip
        assert_clean_error(second, f"PID {first.pid}")
        assert first.wait(300) == 0
    finally:
        if first.poll() is None:
            first.kill()
    assert (tmp_path / "x" / "summary.json").is_file()
