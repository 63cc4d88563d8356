"""Worked eligibility cases (tests/cases/henan/eligibility.toml) through the one rule function."""

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import tomllib

from fundalloc.rules.henan import default_rules, eligibility

CASES = tomllib.loads(
    (Path(__file__).parent / "cases/henan/eligibility.toml").read_text(encoding="utf-8")
)["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_worked_case(case):
    rules = replace(default_rules(), **case.get("rules", {}))
    ok, reasons = eligibility(
        np.array([case["kind"]], dtype=object),
        np.array([case["zone_level"]], dtype=object),
        np.array([case.get("gdp_prev_yi", math.nan)]),
        np.array([case.get("revenue_prev_yi", math.nan)]),
        np.array([case["mfg_share"]]),
        rules,
    )
    assert bool(ok[0]) is case["eligible"]
    assert (reasons[0] == []) is case["eligible"]
    if "reason" in case:
        assert case["reason"] in reasons[0]
    if "reason_count" in case:
        assert len(reasons[0]) == case["reason_count"]


def test_bundled_file_shows_each_boundary():
    """The default scenario's applicants include the boundary rows the generator documents."""
    from fundalloc.inputs.applicants import read_applicants

    apps = read_applicants(Path(__file__).parents[1] / "scenarios/data/henan_applicants_2025.csv")
    ok, reasons = eligibility(
        apps.kind, apps.zone_level, apps.gdp_prev_yi, apps.revenue_prev_yi, apps.mfg_share
    )
    by_name = dict(zip(apps.names, zip(ok, reasons)))
    assert by_name["遂平县"][0] == False  # noqa: E712 - GDP exactly 200 亿
    assert by_name["淇县"][0] == True  # noqa: E712 - share exactly 30 %
    assert by_name["信阳高新技术产业开发区"][0] == False  # noqa: E712 - revenue exactly 100 亿
    assert any("municipal" in r for r in by_name["周口临港开发区"][1])
