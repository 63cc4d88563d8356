"""Every file-system and OS failure is one clear message naming the path and what to do, exit
code 2 (1 with a log file for an internal error), no traceback, nothing left behind."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from tests.reliability.helpers import HENAN, JIAXING, ROOT, assert_clean_error, cli, env


def test_out_is_an_existing_file(tmp_path):
    (tmp_path / "README.md").write_text("mine")
    res = cli("select", HENAN, "--out", "README.md", cwd=tmp_path)
    assert_clean_error(res, "--out README.md is an existing file, not a folder")
    assert (tmp_path / "README.md").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]


def test_out_under_a_file(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    res = cli("select", HENAN, "--out", "notes.txt/run", cwd=tmp_path)
    assert_clean_error(res, "notes.txt/run cannot be created", "is a file, not a folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def _as_root() -> bool:
    return os.geteuid() == 0


def test_out_not_writable(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if _as_root():  # root may write anywhere: the kernel's answer to anyone else, simulated
        import fundalloc.core.runs as runs

        monkeypatch.setattr(runs.os, "access", lambda path, mode: Path(path) != locked)
    res = CliRunner().invoke(app, ["select", str(HENAN), "--out", str(locked / "run")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert f"--out {locked / 'run'} cannot be written: no permission" in res.output
    assert list(locked.iterdir()) == []


def test_scenario_not_readable(tmp_path, monkeypatch):
    secret = tmp_path / "secret.toml"
    secret.write_bytes(HENAN.read_bytes())
    secret.chmod(0o000)
    if _as_root():  # root reads anything: the EACCES anyone else gets, simulated
        real = Path.read_bytes

        def read_bytes(self):
            if self == secret:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    res = CliRunner().invoke(app, ["select", str(secret), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert f"permission denied: {secret}" in res.output
    assert not (tmp_path / "o").exists()


def test_a_folder_given_as_the_scenario(tmp_path):
    res = cli("select", tmp_path, cwd=tmp_path)
    assert_clean_error(res, str(tmp_path), "folder")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("port", ["99999", "0", "-1"])
def test_port_out_of_range(tmp_path, port):
    res = cli("app", "--port", port, cwd=tmp_path, timeout=60)
    assert_clean_error(res, "--port", code=2)


def test_no_token_refused_off_loopback(tmp_path):
    res = cli("app", "--host", "0.0.0.0", "--no-token", cwd=tmp_path, timeout=60)
    assert_clean_error(res, "--no-token is for loopback")


def _full_disk(monkeypatch, after: int):
    """Writes fail with ENOSPC after `after` successful ones (np.savez, CSV, JSON, PNG …)."""
    import builtins

    real_open, count = builtins.open, [0]

    def fake_open(file, mode="r", *a, **kw):
        if any(m in mode for m in "wax") and "results" not in str(file):
            count[0] += 1
            if count[0] > after:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        return real_open(file, mode, *a, **kw)

    monkeypatch.setattr(builtins, "open", fake_open)


def test_full_disk_before_any_chunk_leaves_nothing(tmp_path, monkeypatch):
    _full_disk(monkeypatch, after=0)
    res = CliRunner().invoke(app, ["simulate", str(JIAXING), "--runs", "40", "--workers", "1",
                                   "--out", str(tmp_path / "run"), "--lang", "en"])  # fmt: skip
    monkeypatch.undo()
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit)
    assert res.exit_code == 2, res.output
    assert "the disk is full" in res.output and "nothing is left behind" in res.output
    assert list(tmp_path.iterdir()) == []


def test_full_disk_after_some_chunks_keeps_them_for_resume(tmp_path, monkeypatch):
    _full_disk(monkeypatch, after=4)  # checkpoint.json, README.txt, lock, 1–2 chunks
    out = tmp_path / "run"
    res = CliRunner().invoke(app, ["simulate", str(JIAXING), "--runs", "100", "--workers", "1",
                                   "--out", str(out), "--lang", "en"])  # fmt: skip
    monkeypatch.undo()
    assert res.exit_code == 2, res.output
    assert "the disk is full" in res.output and "--resume" in res.output
    partial = tmp_path / "run.incomplete"
    assert partial.is_dir() and not (partial / "lock.json").exists()
    assert not list(partial.rglob(".chunk-*.tmp"))  # no half-written chunk
    assert [p.name for p in tmp_path.iterdir()] == ["run.incomplete"]
    res = CliRunner().invoke(app, ["simulate", str(JIAXING), "--runs", "100", "--workers", "1",
                                   "--resume", str(partial), "--lang", "en"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert (out / "summary.json").is_file() and not partial.exists()


def test_full_disk_on_a_real_small_tmpfs(tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)],
                          capture_output=True, text=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.strip()}); ENOSPC is simulated above")
    try:
        res = cli("simulate", JIAXING, "--runs", "400", "--workers", "1", "--out", mnt / "run",
                  cwd=tmp_path)  # fmt: skip
        assert_clean_error(res, "the disk is full")
        left = sorted(p.name for p in mnt.iterdir())
        # either nothing (no chunk fitted) or the resumable .incomplete, as the message says
        if left:
            assert left == ["run.incomplete"] and "--resume" in res.stderr
        else:
            assert "nothing is left behind" in res.stderr
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_file_size_limit_is_a_clear_error(tmp_path):
    """RLIMIT_FSIZE: the kernel refuses a write past the limit (EFBIG), as a quota would."""
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "from fundalloc.cli import main\n"
        "sys.argv = ['fundalloc', *sys.argv[1:]]\n"
        "main()\n"
    )
    res = subprocess.run([sys.executable, "-c", code, "select", str(HENAN), "--out",
                          str(tmp_path / "run")], cwd=tmp_path, env=env(),
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert_clean_error(res, "larger than the file size limit")
    assert list(tmp_path.iterdir()) == []


def test_damaged_checkpoint_chunk_is_recomputed_on_resume(tmp_path):
    from fundalloc.simulation.checkpoint import ChunkStore

    store = ChunkStore(tmp_path / "chunks")
    store.save(0, {"a": np.arange(3.0)})
    store.save(1, {"a": np.arange(3.0)})
    (tmp_path / "chunks" / "chunk-00001.npz").write_bytes(b"PK\x03\x04 cut short")
    assert store.done() == {0}
    assert (tmp_path / "chunks" / "chunk-00001.npz.corrupt").is_file()
    assert np.array_equal(store.load(0)["a"], np.arange(3.0))


def test_damaged_checkpoint_json_is_a_clear_error(tmp_path):
    partial = tmp_path / "run.incomplete"
    partial.mkdir()
    (partial / "checkpoint.json").write_text("{not json")
    res = cli("simulate", JIAXING, "--runs", "40", "--workers", "1", "--resume", partial,
              cwd=tmp_path)  # fmt: skip
    assert_clean_error(res, "checkpoint.json is damaged")
    assert not (partial / "lock.json").exists()


def test_an_internal_error_is_one_line_and_a_log(tmp_path, monkeypatch):
    monkeypatch.setenv("FUNDALLOC_LOG_DIR", str(tmp_path / "logs"))
    import fundalloc.commands.select as select

    def boom(*a, **kw):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(select, "optimise", boom)
    res = CliRunner().invoke(app, ["select", str(HENAN), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "internal error (ZeroDivisionError: boom)" in res.output
    logs = list((tmp_path / "logs").iterdir())
    assert len(logs) == 1 and "Traceback" in logs[0].read_text() and str(logs[0]) in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "o").exists()


def test_messages_are_chinese_by_default(tmp_path):
    (tmp_path / "README.md").write_text("x")
    res = subprocess.run([sys.executable, "-m", "fundalloc.cli", "select", str(HENAN), "--out",
                          "README.md"], cwd=tmp_path, env={**env(), "FUNDALLOC_LANG": "zh"},
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert res.returncode == 2 and "是一个已有的文件" in res.stderr, res.stderr
    assert ROOT.exists()
