"""Running `fundalloc` as a user does (a subprocess), and the checks every reliability test
makes of the outcome: the exit code, a message naming what it must name, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
HENAN = SCENARIOS / "henan-2025.toml"
JIAXING = SCENARIOS / "jiaxing-sim-baseline.toml"
OUTCOMES: dict[str, dict[str, str]] = {}  # the matrix's outcomes: kind → case → outcome


def env(**extra: str) -> dict[str, str]:
    out = {**os.environ, "FUNDALLOC_LANG": "en", **extra}
    out.pop("COLUMNS", None)
    out["COLUMNS"] = "400"  # one message on one line: fragments are matched whole
    return out


def cli(*args, cwd: Path, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fundalloc.cli", *map(str, args)],
        cwd=cwd,
        env=env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def start(*args, cwd: Path, log: Path) -> subprocess.Popen:
    with open(log, "wb") as fh:
        return subprocess.Popen(
            [sys.executable, "-m", "fundalloc.cli", *map(str, args)],
            cwd=cwd,
            env=env(),
            stdout=fh,
            stderr=subprocess.STDOUT,
        )


def assert_clean_error(res, *fragments: str, code: int = 2) -> str:
    """Exit `code`, no Python traceback, and every fragment in the message."""
    text = res.stdout + res.stderr
    assert "Traceback" not in text, text
    assert res.returncode == code, text
    for f in fragments:
        assert f in text, f"{f!r} not in:\n{text}"
    return text


def children(pid: int) -> list[int]:
    """Live (not zombie) child processes of `pid`."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    """Running, not a zombie awaiting its reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(cond, timeout: float, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(step)
    return cond()


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: an earlier run must stay exactly as it was."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
