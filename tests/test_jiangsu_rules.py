"""Worked Jiangsu cases (tests/cases/jiangsu/*.toml) through the rule functions, plus properties
that hold for any applicant: the vectorised function agrees with itself row by row, more of any
quantity never loses eligibility, and "either" is never stricter than "by_unit_type"."""

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import tomllib

from fundalloc.rules.jiangsu import (
    REGION_UNIT_TYPES,
    EligibilityRules,
    EvaluationRules,
    eligibility,
    evaluate_benchmarks,
)
from fundalloc.rules.jiangsu_settings import default_evaluation, default_rules

CASES = Path(__file__).parent / "cases/jiangsu"
ELIGIBILITY = tomllib.loads((CASES / "eligibility.toml").read_text(encoding="utf-8"))["case"]
EVALUATION = tomllib.loads((CASES / "evaluation.toml").read_text(encoding="utf-8"))["case"]


def args_of(cases: list[dict], defaults: dict | None = None) -> tuple:
    """The eligibility function's arrays for a list of case dicts (absent = not given)."""
    d = defaults or {}

    def col(key, missing, dtype=float):
        return np.array([c.get(key, d.get(key, missing)) for c in cases], dtype=dtype)

    return (
        col("track", "", object),
        col("unit_type", "", object),
        col("in_catalogue", False, bool),
        col("provincial_pilot", True, bool),
        col("mfg_share", math.nan),
        col("gdp_prev_yi", math.nan),
        col("revenue_prev_yi", math.nan),
        col("national_share_rank", math.nan),
    )


def elig_rules(case) -> EligibilityRules:
    r = dict(case.get("rules", {}))
    if "region_unit_types" in r:
        r["region_unit_types"] = tuple(r["region_unit_types"])
    return replace(default_rules(), **r)


def check_reasons(case, reasons):
    if "reason" in case:
        assert any(case["reason"] in r for r in reasons), reasons
    if "reason_count" in case:
        assert len(reasons) == case["reason_count"], reasons


def test_every_case_names_its_clause():
    for case in ELIGIBILITY + EVALUATION:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in case["clause"]), case["name"]


@pytest.mark.parametrize("case", ELIGIBILITY, ids=[c["name"] for c in ELIGIBILITY])
def test_eligibility_case(case):
    ok, reasons = eligibility(*args_of([case]), elig_rules(case))
    assert bool(ok[0]) is case["eligible"], reasons[0]
    assert (reasons[0] == []) is case["eligible"]
    check_reasons(case, reasons[0])


def test_all_cases_at_once_match_one_by_one():
    """Same rules for all: the vectorised call must not mix rows up."""
    plain = [c for c in ELIGIBILITY if "rules" not in c]
    ok, reasons = eligibility(*args_of(plain))
    for i, case in enumerate(plain):
        one_ok, one_reasons = eligibility(*args_of([case]))
        assert ok[i] == one_ok[0] and reasons[i] == one_reasons[0], case["name"]


def random_applicants(rng, n):
    track = rng.choice(["region", "enterprise"], n).astype(object)
    unit = np.where(
        track == "enterprise", "enterprise", rng.choice(list(REGION_UNIT_TYPES), n)
    ).astype(object)

    def maybe(lo, hi):
        return np.where(rng.random(n) < 0.2, np.nan, np.round(rng.uniform(lo, hi, n), 2))

    return [
        track,
        unit,
        rng.random(n) < 0.7,
        rng.random(n) < 0.8,
        np.round(rng.uniform(0.3, 0.4, n), 3),
        maybe(80, 120),
        maybe(5, 120),
        np.where(rng.random(n) < 0.5, np.nan, rng.integers(1, 9, n)),
    ]


@pytest.mark.parametrize("seed", range(5))
def test_more_never_loses_eligibility(seed):
    rng = np.random.default_rng(seed)
    base = random_applicants(rng, 400)
    more = list(base)
    more[2] = base[2] | (rng.random(400) < 0.3)  # listed in the catalogue
    more[3] = base[3] | (rng.random(400) < 0.3)  # became a pilot
    for k in (4, 5, 6):  # larger share, GDP, revenue
        more[k] = base[k] + rng.uniform(0, 0.05 if k == 4 else 20, 400)
    more[7] = np.maximum(1, base[7] - rng.integers(0, 3, 400))  # better rank
    for rules in (
        default_rules(),
        replace(default_rules(), region_size_measure="by_unit_type", mfg_share_inclusive=False),
    ):
        ok_base, _ = eligibility(*base, rules)
        ok_more, _ = eligibility(*more, rules)
        assert not (ok_base & ~ok_more).any()


@pytest.mark.parametrize("seed", range(5))
def test_either_is_never_stricter_than_by_unit_type(seed):
    apps = random_applicants(np.random.default_rng(100 + seed), 400)
    either, _ = eligibility(*apps, default_rules())
    by_type, _ = eligibility(*apps, replace(default_rules(), region_size_measure="by_unit_type"))
    assert not (by_type & ~either).any()
    assert (either & ~by_type).any()  # the readings do differ on some applicant


EVAL_DEFAULTS = {
    "track": "region",
    "unit_type": "county",
    "mfg_share": 0.45,
    "gdp_prev_yi": 500.0,
    "provincial_pilot": True,
}


def eval_rules(case) -> EvaluationRules:
    return replace(default_evaluation(), **case.get("rules", {}))


@pytest.mark.parametrize("case", EVALUATION, ids=[c["name"] for c in EVALUATION])
def test_evaluation_case(case):
    score = np.array([case["performance_score"]], float)
    marks = [np.array([case.get(k, False)]) for k in ("new_models", "demonstration")]
    outcome, meets, reasons = evaluate_benchmarks(
        *args_of([case], EVAL_DEFAULTS), score, *marks, eval_rules(case)
    )
    assert outcome[0] == case["outcome"], reasons[0]
    assert (reasons[0] == []) == (case["outcome"] == "kept")
    check_reasons(case, reasons[0])


def test_raising_the_pass_mark_only_adds_delistings():
    rng = np.random.default_rng(7)
    apps = random_applicants(rng, 300)
    score = np.round(rng.uniform(40, 100, 300), 1)
    marks = [rng.random(300) < 0.5, rng.random(300) < 0.5]
    low, _, _ = evaluate_benchmarks(
        *apps, score, *marks, replace(default_evaluation(), pass_score=60)
    )
    high, _, _ = evaluate_benchmarks(
        *apps, score, *marks, replace(default_evaluation(), pass_score=70)
    )
    assert not ((low == "delisted") & (high != "delisted")).any()
    assert ((high == "delisted") & (low != "delisted")).any()
    assert ((low == "delisted") & (score >= 85)).any()  # failed conditions delist good scores
