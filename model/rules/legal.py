"""Policy files: the legal numbers of a programme as data, each with its unit and clause.

A policy file (scenarios/policies/*.toml) holds one table per legal number:

    [county_gdp_min_yi]
    value = 200
    unit = "亿元"
    clause = "县(市、区)上一年度地区生产总值超过200亿元"

plus `id`, `title` and `source` (the text it comes from, a path inside the repository). The
scenario keeps only choices (readings) and assumptions; it may still override a legal number
as a what-if, which the outputs then record as a departure from the policy.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import tomllib
from pydantic import field_validator

from fundalloc.core.errors import ScenarioError
from fundalloc.core.i18n import tr
from fundalloc.core.scenario import toml_text
from fundalloc.core.schema import Section, read, setting

POLICIES = Path(__file__).resolve().parents[2] / "scenarios" / "policies"
REPOSITORY = POLICIES.parents[1]

V = TypeVar("V")


class Legal(Section, Generic[V]):
    """One legal number: its value, unit and the clause of the text it encodes."""

    value: V = setting(zh="数值", en="Value", help="the number the text states")
    unit: str = setting(zh="单位", en="Unit", help="unit of the value, e.g. 亿元, share (0–1)")
    clause: str = setting(zh="原文", en="Clause", help="the clause of the text, quoted in Chinese")


class PolicyHeader(Section):
    """What every policy file starts with."""

    id: str = setting(zh="编号", en="Id", help="short name of the policy file")
    title: str = setting(zh="文件名称", en="Title", help="the document's title and number")
    source: str = setting(
        zh="原文文件",
        en="Source text",
        help="path of the Chinese text inside the repository (docs/sources/)",
    )

    @field_validator("source")
    @classmethod
    def _inside(cls, value: str) -> str:
        if not (REPOSITORY / value).is_file():
            raise ValueError(tr("check.not_repository_file", value=repr(value)))
        return value


@lru_cache(maxsize=32)
def _load(path: Path, model: type[Section]) -> Any:
    if not path.is_file():
        raise ScenarioError(path, "policy", tr("check.policy_not_found"))
    try:
        data = tomllib.loads(toml_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "(syntax)", f"not a valid TOML policy file: {exc}") from None
    return read(model, data, prefix="", source=path)


def load_policy_file(path: str | Path, model: type[Section]) -> Any:
    """Read and check a policy file against its declaration (cached: files are read-only)."""
    return _load(Path(path).resolve(), model)


def in_force(section: Any, policy: Any, key: str) -> Any:
    """The number a run uses: the scenario's what-if override of `key` if it gives one, else
    the policy file's value."""
    mine = getattr(section, key)
    return getattr(policy, key).value if mine is None else mine
