"""The scenario tables [eligibility] and [evaluation] of a rules = "jiangsu" scenario, checked
and turned into the rule dataclasses of model/rules/jiangsu.py. Each key is documented in
scenarios/jiangsu-benchmarks.toml."""

from __future__ import annotations

from dataclasses import fields

from fundalloc.core.errors import ScenarioError
from fundalloc.rules.jiangsu import DELIST_ON, REGION_UNIT_TYPES, EligibilityRules, EvaluationRules

EXTRA_ELIGIBILITY = ("max_applicants_per_city",)
EVALUATION_FILE_KEYS = ("performance",)


def _known(cls) -> set[str]:
    return {f.name for f in fields(cls)}


def _reject_unknown(scenario, section: str, given: dict, known: set[str]) -> None:
    unknown = sorted(set(given) - known)
    if unknown:
        raise ScenarioError(scenario.path, f"{section}.{unknown[0]}",
                            f"unknown key; known keys: {', '.join(sorted(known))}")


def _share(scenario, key: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ScenarioError(scenario.path, key, "a share between 0 and 1 (0.35 for 35 %)")


def jiangsu_rules(scenario) -> tuple[EligibilityRules, int]:
    """[eligibility] → (rules, max applicants per city a year; 0 = no limit)."""
    e = dict(scenario.section("eligibility"))
    _reject_unknown(scenario, "eligibility", e, _known(EligibilityRules) | set(EXTRA_ELIGIBILITY))
    max_per_city = e.pop("max_applicants_per_city", 0)
    if isinstance(max_per_city, bool) or not isinstance(max_per_city, int) or max_per_city < 0:
        raise ScenarioError(scenario.path, "eligibility.max_applicants_per_city",
                            "a whole number ≥ 0 (0 = no limit)")
    if "region_unit_types" in e:
        types = e["region_unit_types"]
        if not isinstance(types, list):
            types = [types]
        bad = [t for t in types if t not in REGION_UNIT_TYPES]
        if bad:
            raise ScenarioError(scenario.path, "eligibility.region_unit_types",
                                f"unknown unit type(s) {bad}; known: "
                                f"{', '.join(REGION_UNIT_TYPES)}")
        e["region_unit_types"] = tuple(types)
    if e.get("region_size_measure", "either") not in ("either", "by_unit_type"):
        raise ScenarioError(scenario.path, "eligibility.region_size_measure",
                            "'either' (GDP or revenue suffices) or 'by_unit_type'")
    if "mfg_share_min" in e:
        _share(scenario, "eligibility.mfg_share_min", e["mfg_share_min"])
    for key in ("region_size_min_yi", "enterprise_revenue_min_yi"):
        if key in e and (isinstance(e[key], bool) or not isinstance(e[key], (int, float))
                         or e[key] < 0):
            raise ScenarioError(scenario.path, f"eligibility.{key}", "a non-negative amount in 亿元")
    if "market_rank_max" in e and (not isinstance(e["market_rank_max"], int)
                                   or e["market_rank_max"] < 0):
        raise ScenarioError(scenario.path, "eligibility.market_rank_max", "a whole number ≥ 0")
    _booleans(scenario, "eligibility", e)
    return EligibilityRules(**e), max_per_city


def evaluation_rules(scenario) -> EvaluationRules:
    """[evaluation] (plus [eligibility] for the conditions rechecked) → EvaluationRules."""
    conditions, _ = jiangsu_rules(scenario)
    e = {k: v for k, v in scenario.section("evaluation").items() if k not in EVALUATION_FILE_KEYS}
    _reject_unknown(scenario, "evaluation", e,
                    (_known(EvaluationRules) - {"conditions"}) | set(EVALUATION_FILE_KEYS))
    if e.get("delist_on", DELIST_ON[0]) not in DELIST_ON:
        raise ScenarioError(scenario.path, "evaluation.delist_on", f"one of {', '.join(DELIST_ON)}")
    for key in ("pass_score", "commend_score"):
        v = e.get(key, 0)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 100:
            raise ScenarioError(scenario.path, f"evaluation.{key}", "a score between 0 and 100")
    _booleans(scenario, "evaluation", e)
    return EvaluationRules(**e, conditions=conditions)


# Switches of the rule dataclasses (annotations are strings under `from __future__`).
BOOLEAN_KEYS = {f.name for cls in (EligibilityRules, EvaluationRules) for f in fields(cls)
                if f.type in ("bool", bool)}


def _booleans(scenario, section: str, given: dict) -> None:
    for key, value in given.items():
        if key in BOOLEAN_KEYS and not isinstance(value, bool):
            raise ScenarioError(scenario.path, f"{section}.{key}", "true or false")
