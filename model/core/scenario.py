"""Scenario files: TOML with `extends`, dotted `--set` overrides and paths made absolute.

A scenario is kept as a plain nested dict (the contract is the key names in DESIGN.md); each
command reads its own typed section from it (see `selection_params` in model/selection/params.py).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from fundalloc.core.errors import ScenarioError
from fundalloc.core.i18n import tr
from fundalloc.core.settings import KNOWN_TABLES, check_scenario
from fundalloc.core.tables import decode

# Keys whose string values are file paths; relative paths are taken from the file that sets them.
PATH_KEYS = {
    "applicants",
    "firms",
    "recognitions",
    "platforms",
    "batch",
    "extends",
    "policy",
    "performance",
}


@dataclass
class Scenario:
    path: Path
    data: dict[str, Any]
    sha256: str
    overrides: list[str] = field(default_factory=list)

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise ScenarioError(self.path, name, tr("scenario.must_be_table"))
        return value


def _absolutise(node: dict, base: Path, depth: int = 0) -> None:
    """Make the file paths of `node` absolute. A path key is a top-level key (`extends`) or a
    key of a section table (`selection.applicants`): deeper, the same word names something
    else (a recognition programme called `platforms` is a table of settings, not of paths)."""
    for key, value in node.items():
        is_path_key = key in PATH_KEYS and depth <= 1
        if isinstance(value, dict) and is_path_key:
            # a table of paths, e.g. programme.applicants = { 2025 = "a.csv", 2026 = "b.csv" }
            for k, v in value.items():
                if isinstance(v, str) and v and not Path(v).is_absolute():
                    value[k] = str((base / v).resolve())
        elif isinstance(value, dict):
            _absolutise(value, base, depth + 1)
        elif is_path_key and isinstance(value, str) and value:
            node[key] = str((base / value).resolve()) if not Path(value).is_absolute() else value


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def toml_text(path: Path) -> str:
    """A TOML file's text: UTF-8 (a BOM is dropped) or GBK/GB18030, as Notepad or WPS save it."""
    found = decode(path.read_bytes())
    if found is None:
        raise ScenarioError(
            path, "(file)", "is neither UTF-8 nor GBK text: save it as UTF-8 and try again"
        )
    return found[0]


def _read(path: Path, seen: tuple[Path, ...]) -> dict:
    if path in seen:
        raise ScenarioError(path, "extends", tr("scenario.loop"))
    if not path.exists():
        raise ScenarioError(path, "(file)", tr("scenario.not_found"))
    try:
        data = tomllib.loads(toml_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "(syntax)", tr("scenario.bad_toml", error=exc)) from None
    _absolutise(data, path.parent)
    parent = data.pop("extends", None)
    if parent is not None and not isinstance(parent, str):
        raise ScenarioError(
            path,
            "extends",
            tr("scenario.bad_extends", value=repr(parent)),
        )
    if parent:
        data = _merge(_read(Path(parent), seen + (path,)), data)
    return data


def parse_value(text: str) -> Any:
    """`--set` values are TOML literals (numbers, true/false, lists, inline tables); else text."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_set(data: dict, assignment: str, source: Path) -> None:
    if "=" not in assignment:
        raise ScenarioError(source, assignment, tr("scenario.set_syntax"))
    dotted, text = (s.strip() for s in assignment.split("=", 1))
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ScenarioError(source, dotted, tr("scenario.value_not_table", part=part))
        node = child
    value = parse_value(text)
    if parts[-1] in PATH_KEYS and len(parts) <= 2 and isinstance(value, str):
        value = str(Path(value).resolve())
    node[parts[-1]] = value


def load_scenario(
    path: str | Path, sets: list[str] | None = None, reads: tuple[str, ...] | None = None
) -> Scenario:
    """Read a scenario, apply `--set` overrides and check it against the declarations.
    `reads` names the tables a command uses: an override elsewhere would have no effect on
    its results, so it is refused rather than recorded in the manifest as applied."""
    path = Path(path).resolve()
    if path.is_dir():
        raise ScenarioError(path, "(file)", tr("scenario.is_folder"))
    data = _read(path, ())
    given: dict[str, str] = {}
    for assignment in sets or []:
        dotted = assignment.split("=", 1)[0].strip()
        if dotted in given and given[dotted] != assignment:
            # e.g. --runs 20 and --set simulation.runs=1.5: one would silently win
            raise ScenarioError(
                path, dotted, tr("scenario.set_twice", first=given[dotted], second=assignment)
            )
        given[dotted] = assignment
        table = assignment.split("=", 1)[0].strip().split(".")[0]
        if reads is not None and table not in reads and table in KNOWN_TABLES:
            raise ScenarioError(
                path,
                assignment.split("=", 1)[0].strip(),
                tr(
                    "scenario.not_read",
                    table=table,
                    reads=", ".join(f"[{r}]" for r in reads),
                ),
            )
        apply_set(data, assignment, path)
    check_scenario(data, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Scenario(path=path, data=data, sha256=digest, overrides=list(sets or []))
