"""Rule sets the selection model can run under: each reads its own applicant table, applies its
own eligibility rules and names its regional groups, then hands the MIP a plain `Instance`.

A scenario picks one with the top-level key `rules` ("henan", the default, or another
registered here); everything after preparation — the MIP, ties, infeasibility words, outputs —
is shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from fundalloc.core.errors import ScenarioError
from fundalloc.core.scenario import Scenario
from fundalloc.core.schema import read
from fundalloc.inputs.applicants import read_applicants
from fundalloc.inputs.jiangsu import read_jiangsu_applicants
from fundalloc.rules import henan, jiangsu
from fundalloc.rules.jiangsu_settings import JiangsuEligibility, JiangsuEvaluation, jiangsu_rules
from fundalloc.selection.factors import factor_index
from fundalloc.selection.instance import Instance
from fundalloc.selection.params import SelectionParams


@dataclass
class Prepared:
    path: Path
    columns: dict[str, np.ndarray]  # descriptive columns echoed first in selection.csv
    ids: np.ndarray
    names: np.ndarray
    city: np.ndarray
    region: np.ndarray
    score: np.ndarray
    pinned: np.ndarray
    city_match_wan: np.ndarray
    eligible: np.ndarray
    reasons: list[list[str]]
    f_all: np.ndarray
    inst: Instance
    frame: pd.DataFrame | None = None  # the file as read (unknown columns kept): [robust]


@dataclass(frozen=True)
class RuleSet:
    name: str
    regions: tuple[str, ...]
    region_names: dict[str, str]
    prepare: Callable[[Scenario, Path, SelectionParams], Prepared]
    sections: dict[str, type] = field(default_factory=dict)  # its own scenario tables


def instance_of(
    ids, names, city, region, score, pinned, eligible, f_all, params, ruleset: "RuleSet", stars=None
) -> Instance:
    idx = np.flatnonzero(eligible)
    return Instance(
        ids=[str(ids[i]) for i in idx],
        city=[city[i] for i in idx],
        region=[region[i] for i in idx],
        score=np.asarray(score)[idx],
        f=f_all[idx],
        pinned=[pinned[i] for i in idx],
        params=params,
        names=[str(names[i]) for i in idx],
        regions=ruleset.regions,
        region_names=dict(ruleset.region_names),
        stars=None if stars is None else np.asarray(stars, float)[idx],
    )


def henan_rules(scenario: Scenario) -> tuple[henan.EligibilityRules, int]:
    section = read(
        henan.HenanEligibility,
        scenario.section("eligibility"),
        prefix="eligibility",
        source=scenario.path,
    )
    return henan.rules_of(section)


def prepare_henan(scenario: Scenario, path: Path, params: SelectionParams) -> Prepared:
    rules, max_per_city = henan_rules(scenario)
    apps = read_applicants(path, max_per_city=max_per_city)
    ok, reasons = henan.eligibility(
        apps.kind, apps.zone_level, apps.gdp_prev_yi, apps.revenue_prev_yi, apps.mfg_share, rules
    )
    f_all = factor_index(apps.factors, ok, params.weights)
    inst = instance_of(
        apps.ids,
        apps.names,
        apps.city,
        apps.region,
        apps.score,
        apps.pinned,
        ok,
        f_all,
        params,
        HENAN,
        stars=apps.stars,
    )
    return Prepared(
        path=apps.path,
        columns={"kind": apps.kind, "zone_level": apps.zone_level},
        ids=apps.ids,
        names=apps.names,
        city=apps.city,
        region=apps.region,
        score=apps.score,
        pinned=apps.pinned,
        city_match_wan=apps.city_match_wan,
        eligible=ok,
        reasons=reasons,
        f_all=f_all,
        inst=inst,
        frame=apps.frame,
    )


HENAN = RuleSet(
    "henan",
    henan.REGIONS,
    henan.REGION_NAMES,
    prepare_henan,
    {"eligibility": henan.HenanEligibility},
)


def prepare_jiangsu(scenario: Scenario, path: Path, params: SelectionParams) -> Prepared:
    """Jiangsu benchmarks (RULES.md B, docs/jiangsu.md): region and enterprise tracks."""
    rules, max_per_city = jiangsu_rules(scenario)
    apps = read_jiangsu_applicants(path, max_per_city=max_per_city)
    a = apps.facts
    ok, reasons = jiangsu.eligibility(*a.rule_args(), rules)
    f_all = factor_index(apps.factors, ok, params.weights)
    inst = instance_of(
        a.ids, a.names, a.city, a.region, apps.score, apps.pinned, ok, f_all, params, JIANGSU
    )
    return Prepared(
        path=a.path,
        columns={"track": a.track, "unit_type": a.unit_type},
        ids=a.ids,
        names=a.names,
        city=a.city,
        region=a.region,
        score=apps.score,
        pinned=apps.pinned,
        city_match_wan=apps.city_match_wan,
        eligible=ok,
        reasons=reasons,
        f_all=f_all,
        inst=inst,
        frame=a.frame,
    )


JIANGSU = RuleSet(
    "jiangsu",
    jiangsu.REGIONS,
    jiangsu.REGION_NAMES,
    prepare_jiangsu,
    {"eligibility": JiangsuEligibility, "evaluation": JiangsuEvaluation},
)
RULESETS: dict[str, RuleSet] = {"henan": HENAN, "jiangsu": JIANGSU}


def ruleset_of(scenario: Scenario) -> RuleSet:
    name = scenario.get("rules", "henan")
    if name not in RULESETS:
        raise ScenarioError(
            scenario.path, "rules", f"unknown rule set '{name}'; known: {', '.join(RULESETS)}"
        )
    return RULESETS[name]
