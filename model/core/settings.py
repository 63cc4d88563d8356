"""Which declaration reads which table of a scenario, and the check of a whole scenario.

A scenario is checked as soon as it is loaded (after `extends` and every `--set`): an unknown
table or key anywhere, at any depth or at the top level, and a value of the wrong type stop
the run before anything is computed, naming the dotted key and the nearest known one. So a
typo such as `--set selecton.budget_wan=3000` or `rule = "jiangsu"` can never be recorded in a
manifest as applied while the run used the default.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable
from typing import Any, Callable

from fundalloc.core.errors import ScenarioError
from fundalloc.core.i18n import tr

# Top-level keys that are not tables.
TOP_KEYS = {"rules": 'the selection rule set: "henan" (default) or "jiangsu"'}


# The module that declares each table beyond the rule set's own (its import registers it in
# SECTION_LOADERS). A scenario's check imports only the modules of the tables it has: a Henan
# selection does not pay for importing the simulation (and scipy behind it).
TABLE_MODULES = {
    "simulation": "fundalloc.simulation.settings",
    "stress": "fundalloc.simulation.settings",
    "design": "fundalloc.design.settings",
    "awards": "fundalloc.rules.jiaxing",
    "robust": "fundalloc.selection.robust_params",
}


def declarations(
    rules: str, only: Iterable[str] | None = None
) -> dict[str, tuple[type, Callable[[dict], dict] | None]]:
    """Table name -> (declaration, context from the whole scenario) for a rule set: every
    table, or (`only`) at least those named. Imported here, late, because each declaration
    lives beside the code that uses it."""
    from fundalloc.selection.params import SelectionParams
    from fundalloc.selection.programme_params import ProgrammeSection
    from fundalloc.selection.rulesets import RULESETS

    ruleset = RULESETS[rules]

    def regions(_: dict) -> dict:
        return {"regions": tuple(ruleset.regions)}

    tables: dict[str, tuple[type, Callable[[dict], dict] | None]] = {
        "selection": (SelectionParams, regions),
        "programme": (ProgrammeSection, regions),
    }
    for name, model in getattr(ruleset, "sections", {}).items():
        tables[name] = (model, regions)
    tables.update(extra_sections(only))
    return tables


def extra_sections(
    only: Iterable[str] | None = None,
) -> dict[str, tuple[type, Callable[[dict], dict] | None]]:
    """Tables read by the reward-schedule commands (awards, simulate, stress), robust and
    design: every one, or (`only`) at least those named."""
    wanted = TABLE_MODULES if only is None else [t for t in only if t in TABLE_MODULES]
    for module in sorted({TABLE_MODULES[t] for t in wanted}):
        importlib.import_module(module)

    out: dict[str, tuple[type, Callable[[dict], dict] | None]] = {}
    # in a fixed order, not the order the modules happened to be imported in (docs/settings.md)
    for loader in sorted(SECTION_LOADERS, key=lambda f: f.__module__):
        out.update(loader())
    return out


# Each entry returns {table name: (declaration, context)}; modules that declare a table add it.
# scenario table -> (its declaration, a function that rewrites the table before the check, or None)
SectionTables = dict[str, tuple[type, Callable[[dict], dict] | None]]
SECTION_LOADERS: list[Callable[[], SectionTables]] = []


def policy_declarations() -> dict[str, type]:
    """Policy-file name -> its declaration (the legal numbers of each programme)."""
    from fundalloc.rules.henan import HenanPolicy
    from fundalloc.rules.jiangsu_settings import JiangsuPolicy

    out: dict[str, type] = {
        "henan-zones-2025.toml": HenanPolicy,
        "jiangsu-benchmarks-2021.toml": JiangsuPolicy,
    }
    for loader in POLICY_LOADERS:
        out.update(loader())
    return out


# Each entry returns {policy file name: declaration}; modules that declare a policy add it.
POLICY_LOADERS: list[Callable[[], dict[str, type]]] = []

KNOWN_TABLES = (
    "selection",
    "eligibility",
    "programme",
    "evaluation",
    "awards",
    "simulation",
    "stress",
    "robust",
    "design",
)


def known_top_level(rules: str) -> list[str]:
    return sorted(set(TOP_KEYS) | set(declarations(rules)))


def check_scenario(data: dict[str, Any], source: Any) -> None:
    """Check every table of a loaded scenario against its declaration (ScenarioError)."""
    from fundalloc.core.schema import read
    from fundalloc.selection.rulesets import RULESETS

    rules = data.get("rules", "henan")
    if not isinstance(rules, str) or rules not in RULESETS:
        raise ScenarioError(
            source,
            "rules",
            tr("settings.unknown_rules", value=repr(rules), known=", ".join(RULESETS)),
        )
    tables = declarations(rules, only=data)
    for key, value in data.items():
        if key in TOP_KEYS:
            continue
        if key in KNOWN_TABLES and key not in tables:
            # e.g. [evaluation] in a Henan scenario: a real table, but not this rule set's
            raise ScenarioError(
                source,
                key,
                tr("settings.not_this_rule_set", table=key, rules=rules),
            )
        if key not in tables:
            known = known_top_level(rules)
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
            hint = tr("schema.did_you_mean", dotted=close[0]) if close else ""
            raise ScenarioError(
                source, key, tr("settings.unknown_top", hint=hint, known=", ".join(known))
            )
        model, context = tables[key]
        read(model, value, prefix=key, source=source, context=context(data) if context else None)
