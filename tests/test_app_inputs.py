"""One page-side loader (model/app/inputs.py): every page reaches a scenario through it, so the
check that a page user's `key=value` lines name no server file (security.page_sets) cannot be
skipped by a new page. Read from the pages' source (AST), and tried on the loader itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest.importorskip("solara")

from fundalloc.app import inputs  # noqa: E402
from fundalloc.core.errors import FundallocError  # noqa: E402

APP = Path(__file__).resolve().parents[1] / "model" / "app"
LOADER = "inputs.py"
BY_PATH = {"run_simulate", "run_stress", "run_design_command"}  # (path, sets, ...)
BY_SCENARIO = {"run_select", "run_compare"}  # (scenario, ...)


def pages() -> dict[str, ast.Module]:
    return {p.name: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(APP.glob("*.py"))}


def called(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def test_only_the_loader_checks_and_loads():
    """page_sets and load_scenario appear in inputs.py only (security.py defines page_sets)."""
    for name, tree in pages().items():
        if name in (LOADER, "security.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                assert called(node) not in ("page_sets", "load_scenario"), name
            if isinstance(node, ast.ImportFrom) and node.module == "fundalloc.core.scenario":
                assert "load_scenario" not in [a.name for a in node.names], name


def _assigned_from_loader(func: ast.AST) -> set[str]:
    """Names assigned from inputs.page_inputs(...) or inputs.scenario(...) in a function."""
    out = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            f = node.value.func
            if (
                isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and f.value.id == "inputs"
                and f.attr in ("page_inputs", "scenario")
            ):
                out |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return out


def commands_imported(tree: ast.Module) -> dict[str, str]:
    """Local name → command function, for every import from fundalloc.commands (`as` too)."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "fundalloc.commands"
        ):
            for a in node.names:
                if a.name in BY_PATH | BY_SCENARIO:
                    out[a.asname or a.name] = a.name
    return out


def test_every_command_call_gets_what_the_loader_checked():
    seen = set()
    for name, tree in pages().items():
        local = commands_imported(tree)
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            checked = _assigned_from_loader(func)
            for node in ast.walk(func):
                if not isinstance(node, ast.Call) or called(node) not in local:
                    continue
                command = local[called(node)]
                seen.add(command)
                where = f"{name}:{node.lineno}"
                if command in BY_PATH:
                    path, sets = node.args[:2]
                    for arg, attr in ((path, "path"), (sets, "sets")):
                        assert isinstance(arg, ast.Attribute) and arg.attr == attr, where
                        assert isinstance(arg.value, ast.Name) and arg.value.id in checked, where
                else:
                    first = node.args[0]
                    assert isinstance(first, ast.Name) and first.id in checked, where
    # the test means something only while the pages do call the commands
    assert BY_PATH | BY_SCENARIO <= seen


@pytest.mark.parametrize("line", ["simulation.firms=/etc/passwd", "extends=/etc/hosts"])
def test_the_loader_refuses_a_line_naming_a_file(line):
    from fundalloc.app import common

    with pytest.raises(FundallocError, match="a page cannot name a file"):
        inputs.page_inputs(common.DEFAULT_SIMULATION, [line])
    with pytest.raises(FundallocError, match="a page cannot name a file"):
        inputs.scenario(common.DEFAULT_SIMULATION, [line])


def test_the_loader_passes_lines_naming_no_file():
    from fundalloc.app import common

    inp = inputs.page_inputs(common.DEFAULT_SIMULATION, ["simulation.seed=7"])
    assert inp.sets == ["simulation.seed=7"] and inp.path == common.DEFAULT_SIMULATION
    assert inputs.scenario(inp.path, inp.sets).get("simulation.seed") == 7
