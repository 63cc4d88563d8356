"""The selection model's rules live in one registry (model/selection/rules.py): a rule added
there is built by both builds, checked on a given batch and named in a conflict; and the
engine's layout rules hold (no rule set in the MIP, no command in the engine, no private name
imported across modules)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_selection_direct import pool

from fundalloc.selection.check import count_violations
from fundalloc.selection.direct import solve_direct
from fundalloc.selection.infeasibility import conflicting_groups, describe
from fundalloc.selection.model import build_model, solve_lexicographic
from fundalloc.selection.rows import Definition, Rows, bounds, sums
from fundalloc.selection.rules import RULES, Check, Rule

PACKAGE = Path(__file__).resolve().parents[1] / "model"


def barred(inst) -> Definition:
    """x_i = 0 for applicants whose id ends in 7 (a made-up rule)."""
    keys = [i for i, ident in enumerate(inst.ids) if ident.endswith("7")]
    return Definition(
        [Rows("barred", keys, [sums("x", [[i] for i in keys])], *bounds(len(keys), 0.0, 0.0))]
    )


BARRED = Rule(
    "barred",
    barred,
    words=lambda inst, i: f"{inst.ids[i]} is barred",
    explain_at=0,
    per_key=True,
    on_batch=Check(
        0,
        lambda inst, x: [
            (int(i), f"barred: {inst.ids[i]}")
            for i in np.flatnonzero(x)
            if inst.ids[i].endswith("7")
        ],
    ),
)


def test_a_new_rule_is_one_registry_entry(monkeypatch):
    monkeypatch.setitem(RULES, "barred", BARRED)
    inst = pool(400, 1)
    inst.pinned[7] = ""  # the pool pins A7 out already
    free = np.array([i.endswith("7") for i in inst.ids])
    m = build_model(inst)
    assert len(m.barred) == free.sum()
    sol = solve_lexicographic(m, inst)
    direct, _ = solve_direct(inst)
    assert sol.status == direct.status == "optimal"
    assert not (sol.designated & free).any()
    np.testing.assert_array_equal(direct.designated, sol.designated)
    x = sol.designated.copy()
    x[17] = True
    assert count_violations(inst, x)[0] == "barred: A17"
    inst.pinned[17] = "in"
    words = describe(conflicting_groups(build_model(inst)), inst)
    assert "A17 is barred" in words and any("A17" in w and "pinned in" in w for w in words)


MIP = [
    "model.py",
    "direct.py",
    "rules.py",
    "award_rules.py",
    "count_rules.py",
    "rows.py",
    "levels.py",
    "instance.py",
    "stages.py",
    "batch.py",
    "apportion.py",
]


def test_the_mip_imports_no_rule_set():
    """Regional groups, their names and the factor index come from the Instance."""
    modules = ", ".join(f"fundalloc.selection.{f[:-3]}" for f in MIP)
    code = (
        f"import sys, importlib\nfor m in '{modules}'.split(', '): importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.startswith(('fundalloc.rules', "
        "'fundalloc.inputs', 'fundalloc.commands'))]\nprint(bad)\nassert not bad, bad"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            yield from ((a.name, []) for a in node.names)


@pytest.mark.parametrize("path", sorted((PACKAGE / "selection").glob("*.py")), ids=lambda p: p.name)
def test_engine_module_layout(path):
    for module, names in _imports(path):
        assert not module.startswith("fundalloc.commands"), f"{path.name} imports {module}"
        private = [n for n in names if n.startswith("_") and module.startswith("fundalloc")]
        assert not private, f"{path.name} imports {private} from {module}"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 310, path.name
