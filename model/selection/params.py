"""Scenario section [selection]: the parameters of the selection model, read and checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fundalloc.core.errors import ScenarioError
from fundalloc.inputs.applicants import FACTORS
from fundalloc.rules.henan import REGIONS


@dataclass
class SelectionParams:
    """Scenario section [selection]; see scenarios/henan-2025.toml for each key's meaning."""

    budget_wan: float
    floor_wan: float
    cap_wan: float
    step_wan: float = 10.0
    batch_min: int = 1
    batch_max: int = 5
    city_max: int = 1
    region_min: dict[str, int] = field(default_factory=dict)  # absent group = no minimum
    region_max: dict[str, int] = field(default_factory=dict)  # absent group = no maximum
    award_mode: str = "proportional"
    tiers_wan: list[float] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=lambda: {f: 1.0 for f in FACTORS})
    # At least this many regional groups with one designated applicant or more (0 = no rule);
    # the balance measure of `fundalloc tradeoff`.
    groups_covered_min: int = 0
    spend_budget: bool = True
    time_limit_s: float | None = 60.0
    mip_rel_gap: float = 0.0
    max_ties: int = 20               # list at most this many equally good batches
    tie_time_limit_s: float = 10.0   # time for listing them, after the first check


def _by_region(value: Any, key: str, source, regions) -> dict[str, int]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {r: int(value) for r in regions}
    if isinstance(value, dict):
        unknown = [k for k in value if k not in regions]
        if unknown:
            raise ScenarioError(source, f"selection.{key}", f"unknown regional group(s) {unknown}; "
                                f"groups are {', '.join(regions)}")
        return {k: int(v) for k, v in value.items()}
    raise ScenarioError(source, f"selection.{key}", "give a number or a table by regional group")


def selection_params(scenario, regions: tuple[str, ...] = REGIONS) -> SelectionParams:
    """[selection] of a scenario, checked; `regions` are the rule set's regional groups."""
    s = dict(scenario.section("selection"))
    src = scenario.path
    for key in ("budget_wan", "floor_wan", "cap_wan"):
        if key not in s:
            raise ScenarioError(src, f"selection.{key}", "is required")
    known = set(SelectionParams.__dataclass_fields__) | {"applicants"}
    unknown = sorted(set(s) - known)
    if unknown:
        raise ScenarioError(src, f"selection.{unknown[0]}", f"unknown key; known keys: "
                            f"{', '.join(sorted(known))}")
    s.pop("applicants", None)
    if "region_min" in s:
        s["region_min"] = _by_region(s["region_min"], "region_min", src, regions)
    if "region_max" in s:
        s["region_max"] = _by_region(s["region_max"], "region_max", src, regions)
    if "weights" in s:
        bad = [k for k in s["weights"] if k not in FACTORS]
        if bad:
            raise ScenarioError(src, "selection.weights", f"unknown factor(s) {bad}; factors are "
                                f"{', '.join(FACTORS)}")
        s["weights"] = {f: float(s["weights"].get(f, 0.0)) for f in FACTORS}
    p = SelectionParams(**s)
    validate_params(p, src)
    return p


def validate_params(p: SelectionParams, src) -> None:
    def bad(key, msg):
        raise ScenarioError(src, f"selection.{key}", msg)

    for key in ("budget_wan", "floor_wan", "cap_wan"):
        if getattr(p, key) < 0:
            bad(key, f"negative money ({getattr(p, key):g} 万)")
    if p.step_wan <= 0:
        bad("step_wan", "must be positive")
    if p.cap_wan < p.floor_wan:
        bad("cap_wan", f"cap {p.cap_wan:g} 万 is below floor {p.floor_wan:g} 万")
    if p.batch_min < 0 or p.batch_max < p.batch_min:
        bad("batch_max", f"batch range [{p.batch_min}, {p.batch_max}] is empty")
    if p.award_mode not in ("proportional", "tiers"):
        bad("award_mode", "must be 'proportional' or 'tiers'")
    if p.award_mode == "tiers":
        if not p.tiers_wan:
            bad("tiers_wan", "award_mode = 'tiers' needs a non-empty list of tiers")
        if any(t < 0 for t in p.tiers_wan):
            bad("tiers_wan", "negative tier")
    if any(w < 0 for w in p.weights.values()) or sum(p.weights.values()) <= 0:
        bad("weights", "weights must be non-negative and not all zero")
    if p.mip_rel_gap < 0:
        bad("mip_rel_gap", "must be ≥ 0")
    if isinstance(p.groups_covered_min, bool) or p.groups_covered_min != int(p.groups_covered_min) \
            or p.groups_covered_min < 0:
        bad("groups_covered_min", "a whole number ≥ 0 (0 = no rule)")
