"""Running `fundalloc` as a user does (a subprocess), and the checks every reliability test
makes of the outcome: the exit code, a message naming what it must name, no traceback."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
HENAN = SCENARIOS / "henan-2025.toml"
JIAXING = SCENARIOS / "jiaxing-sim-baseline.toml"
# the matrix's outcomes travel on each test's report (pytest-xdist workers included) under this
# name; tests/conftest.py adds them up and prints the figures at the end of the run
OUTCOME = "bad_input_matrix"


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


def record_outcome(record_property, kind: str, case: str, outcome: str) -> None:
    """One case of the bad-input matrix: `kind` "bad" or "valid"."""
    record_property(OUTCOME, (kind, case, outcome))


def _empty(path, *args, **kwargs) -> Path:
    Path(path).write_bytes(b"")
    return Path(path)


def results_only(monkeypatch, commands=("select", "compare", "awards", "evaluate")) -> None:
    """Run `commands` as the user does — read, check, compute, write the result tables into the
    run folder — but draw report.pdf, the charts and the workbook as empty files. For the tests
    that look only at the result tables (the same rows from every valid variant of an input
    file): drawing them takes ~80% of a run, and they are checked on the bundled files
    elsewhere (tests/test_outputs.py, tests/test_no_english.py)."""
    from fundalloc.core import report, report_pdf

    monkeypatch.setattr(report_pdf, "answer_pdf", _empty)
    monkeypatch.setattr(report, "write_workbook", _empty)
    for name in commands:
        module = importlib.import_module(f"fundalloc.commands.{name}")
        if getattr(module, "bar_chart", None) is report.bar_chart:
            monkeypatch.setattr(module, "bar_chart", _empty)
