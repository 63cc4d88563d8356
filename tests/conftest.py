"""Shared test set-up. The existing tests assert English words in messages and tables: they run
in English (FUNDALLOC_LANG=en); tests of the Chinese default (tests/test_chinese_first.py) set
the language themselves. The language chosen by a CLI test's --lang is reset after each test.

The suite runs on two pytest-xdist workers (pyproject.toml addopts). Tests that share one
expensive thing stay on one worker (`xdist_group`, --dist loadgroup): the browser tests share
one app and one Chromium (tests/e2e/conftest.py), a module's tests its module-scoped fixture.
The bad-input matrix's figures come back from the workers on the test reports and are printed
here, at the end of the run."""

from collections import Counter
from pathlib import Path

import pytest

from fundalloc.core import i18n

HERE = Path(__file__).resolve().parent
# modules whose tests share a module-scoped fixture (a run, a server) worth making once
SHARED_FIXTURE_MODULES = {
    "reliability/test_app_security.py",
    "test_compare.py",
    "test_jiangsu_select.py",
    "test_programme.py",
    "test_simulation_behaviour.py",
}


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    monkeypatch.setenv("FUNDALLOC_LANG", "en")
    saved = list(i18n._current)
    i18n._current.clear()
    yield
    i18n._current[:] = saved


def _group(item: pytest.Item) -> str | None:
    try:
        rel = Path(item.fspath).resolve().relative_to(HERE).as_posix()
    except ValueError:
        return None
    if rel.startswith("e2e/"):
        return "browser"  # one app and one Chromium for the session
    return rel if rel in SHARED_FIXTURE_MODULES else None


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups off the marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        group = _group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


_MATRIX: dict[str, dict[str, str]] = {}  # kind ("bad" / "valid") → case → outcome


def pytest_runtest_logreport(report):
    from tests.reliability.helpers import OUTCOME

    for name, value in report.user_properties:
        if name == OUTCOME:
            kind, case, outcome = value
            _MATRIX.setdefault(kind, {})[case] = outcome


def pytest_terminal_summary(terminalreporter):
    """The bad-input matrix's figures: tracebacks / silent acceptances / partial outputs /
    unclear messages (target 0 each), and the valid variants accepted."""
    if not _MATRIX:
        return
    bad = Counter(_MATRIX.get("bad", {}).values())
    valid = Counter(_MATRIX.get("valid", {}).values())
    terminalreporter.write_line(
        f"bad-input matrix: {sum(bad.values())} cases — clear {bad['clear']}, "
        f"warned {bad['warned']}, tracebacks {bad['traceback']}, silent acceptances "
        f"{bad['silent']}, partial outputs {bad['partial']}, unclear {bad['unclear']}; valid "
        f"variants accepted {valid['accepted']} of {sum(valid.values())}"
    )
    for case, outcome in sorted(_MATRIX.get("bad", {}).items()):
        if outcome not in ("clear", "warned"):
            terminalreporter.write_line(f"  {outcome}: {case}")
    for case, outcome in sorted(_MATRIX.get("valid", {}).items()):
        if outcome != "accepted":
            terminalreporter.write_line(f"  refused: {case}")
