"""The package's shape: every folder of model/ and solvers/ is installed, and the engine never
imports the command modules (they are a front end, like the web app)."""

import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_installed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {"fundalloc.solvers"}
    for init in (ROOT / "model").rglob("__init__.py"):
        rel = init.parent.relative_to(ROOT / "model")
        found.add(".".join(("fundalloc", *rel.parts)))
    assert found == listed


def test_the_engine_never_imports_commands():
    front_ends = {"commands", "app"}
    for path in (ROOT / "model").rglob("*.py"):
        rel = path.relative_to(ROOT / "model")
        if rel.parts[0] in front_ends or rel.name == "cli.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) fundalloc\.commands", text, re.M), rel
