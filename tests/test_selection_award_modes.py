"""Award-sizing modes (selection.award_mode): the hand-computed cases of
tests/cases/henan/award_modes.toml through both builds, and the pure rule of each mode
(sizing.py) agreeing with what the MIP pays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tomllib

from fundalloc.core.errors import ScenarioError
from fundalloc.core.schema import read
from fundalloc.rules.henan import CITY_REGION
from fundalloc.selection.direct import solve_direct
from fundalloc.selection.instance import Instance
from fundalloc.selection.model import build_model, solve_lexicographic
from fundalloc.selection.params import SelectionParams
from fundalloc.selection.sizing import awards_of_batch, band_amounts, equal_level, star_amounts

CASES = tomllib.loads(
    (Path(__file__).parent / "cases" / "henan" / "award_modes.toml").read_text(encoding="utf-8")
)["case"]
CITIES = list(CITY_REGION)


def case_instance(case: dict) -> Instance:
    n = len(case["score"])
    keys = dict(budget_wan=2000, floor_wan=200, cap_wan=500, step_wan=10, batch_min=1)
    keys.update(case["params"])
    city = CITIES[:n]
    stars = case.get("stars")
    return Instance(
        ids=[f"A{i}" for i in range(n)],
        city=city,
        region=[CITY_REGION[c] for c in city],
        score=np.array(case["score"], float),
        f=np.array(case.get("f", [1.0] * n), float),
        pinned=[""] * n,
        params=SelectionParams(**keys),
        names=[f"a{i}" for i in range(n)],
        stars=None if stars is None else np.array([np.nan if s < 0 else s for s in stars]),
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_worked_case(case):
    inst = case_instance(case)
    sol = solve_lexicographic(build_model(inst), inst)
    assert sol.status == "optimal"
    got = [inst.ids[i] for i in np.flatnonzero(sol.designated)]
    assert got == case["designated"]
    assert sol.award_wan[sol.designated].tolist() == case["awards_wan"]
    if inst.params.award_mode != "tiers":  # the highspy build gives the same answer
        direct, _ = solve_direct(inst)
        assert direct.designated.tolist() == sol.designated.tolist()
        assert direct.award_wan.tolist() == sol.award_wan.tolist()
    pure = awards_of_batch(inst, sol.designated)
    if pure is not None:  # the pure rule of the mode is what the MIP paid
        assert pure.tolist() == sol.award_wan.tolist()


def test_pure_rules():
    table = {"3": 500.0, "1": 300.0, "none": 250.0}
    assert star_amounts(np.array([3, 1, np.nan, 2]), table)[:3].tolist() == [500, 300, 250]
    assert np.isnan(star_amounts(np.array([2.0]), table)[0])  # no entry: the caller refuses
    bands = {"90": 500.0, "80": 400.0}
    assert band_amounts(np.array([90, 89.99, 80, 79.9]), bands).tolist() == [500, 400, 400, 0]
    p = SelectionParams(budget_wan=1000, floor_wan=200, cap_wan=500, step_wan=50)
    assert equal_level(3, p) * 50 == 300  # 1000 / 3 = 333 → 300 in 50 万 steps
    assert equal_level(6, p) is None  # 6 × 200 > 1000


@pytest.mark.parametrize(
    "keys, bad",
    [
        (dict(award_mode="by_stars"), "stars_wan"),
        (dict(award_mode="by_stars", stars_wan={"4": 300}), "stars_wan"),
        (dict(award_mode="by_score_band", score_bands_wan={"x": 300}), "score_bands_wan"),
        (dict(award_mode="by_score_band", score_bands_wan={"80": 900}), "score_bands_wan.80"),
        (dict(award_mode="equal", equal_wan=100), "equal_wan"),
    ],
)
def test_tables_refused_by_key(keys, bad):
    data = dict(budget_wan=1000, floor_wan=200, cap_wan=500, **keys)
    with pytest.raises(ScenarioError) as e:
        read(SelectionParams, data, prefix="selection", source="s.toml", context={"regions": ()})
    assert f"selection.{bad}" in str(e.value)


def test_compare_shows_one_batch_under_several_modes():
    from fundalloc.core.scenario import load_scenario
    from fundalloc.selection.compare import compare_batches

    root = Path(__file__).resolve().parents[1]
    out = compare_batches(
        load_scenario(root / "scenarios/henan-2025.toml"),
        [],
        modes=["proportional", "equal", "by_stars"],
    )
    frame = out.modes
    rows = frame[(frame.batch == "optimum") & (frame.id != "total")]
    assert rows.id.tolist() == out.summary["optimum"]["designated"]
    assert rows.proportional_wan.tolist() == [
        out.summary["optimum"]["awards_wan"][i] for i in rows.id
    ]
    assert rows.equal_wan.nunique() == 1  # one amount each
    stars = {"3": 500, "2": 500, "1": 300, "0": 300, "none": 300}  # henan-2025.toml
    want = [stars["none" if s != s or s is None else str(int(s))] for s in rows.stars]
    assert rows.by_stars_wan.tolist() == want
