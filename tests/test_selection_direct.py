"""The direct highspy path for large pools gives what the Pyomo path gives: same batch, awards,
statuses and tied batches, on instances with ties, pins, a budget that binds or not, and an
infeasible one."""

from __future__ import annotations

import math

import numpy as np
import pytest
from selection_helpers import check_solution

from fundalloc.rules.henan import CITY_REGION, REGIONS
from fundalloc.selection.direct import solve_direct, use_direct
from fundalloc.selection.instance import Instance
from fundalloc.selection.model import build_model, solve_lexicographic
from fundalloc.selection.params import SelectionParams

CITIES = list(CITY_REGION)


def pool(
    n: int,
    seed: int,
    budget_per_zone: float = 330.0,
    region_min: int | None = None,
    decimals: int | None = 1,
) -> Instance:
    rng = np.random.default_rng(seed)
    city = [CITIES[i % len(CITIES)] for i in rng.permutation(n)]
    k = n // 20
    score = rng.uniform(55, 98, n)
    pinned = [""] * n
    pinned[3], pinned[7] = "in", "out"
    params = SelectionParams(
        budget_wan=k * budget_per_zone,
        floor_wan=200,
        cap_wan=500,
        step_wan=10,
        batch_min=k - 1,
        batch_max=k,
        city_max=max(1, math.ceil(2 * k / len(CITIES))),
        region_min={g: region_min if region_min is not None else max(1, k // 10) for g in REGIONS},
        region_max={g: max(2, math.ceil(k * 0.45)) for g in REGIONS},
        tie_time_limit_s=5,
    )
    return Instance(
        ids=[f"A{i}" for i in range(n)],
        city=city,
        region=[CITY_REGION[c] for c in city],
        score=score if decimals is None else np.round(score, decimals),
        f=rng.lognormal(0, 0.4, n),
        pinned=pinned,
        params=params,
        names=[""] * n,
    )


@pytest.mark.parametrize("seed,budget,decimals", [(1, 330.0, 1), (2, 600.0, 1), (4, 330.0, None)])
def test_direct_path_matches_pyomo(seed, budget, decimals):
    inst = pool(400, seed, budget, decimals=decimals)
    want = solve_lexicographic(build_model(inst), inst)
    got, build_seconds = solve_direct(inst)
    assert want.status == got.status == "optimal"
    check_solution(inst, got)
    np.testing.assert_array_equal(got.designated, want.designated)
    np.testing.assert_array_equal(got.award_wan, want.award_wan)
    assert got.total_score == want.total_score and got.lam == want.lam
    assert got.total_deviation_wan == want.total_deviation_wan
    assert sorted(map(tuple, got.alternatives)) == sorted(map(tuple, want.alternatives))
    assert got.ties_complete == want.ties_complete
    assert [s.name for s in got.stages] == [s.name for s in want.stages]
    assert build_seconds > 0


def test_direct_path_reports_infeasible():
    inst = pool(400, 5, region_min=9)  # 5 groups × 9 > a batch of 20
    got, _ = solve_direct(inst)
    assert got.status == "infeasible" and not got.designated.any()
    assert solve_lexicographic(build_model(inst), inst).status == "infeasible"


def test_used_only_for_large_proportional_pools():
    assert not use_direct(pool(400, 1))
    assert use_direct(pool(2000, 1))
    tiers = pool(2000, 1)
    tiers.params.award_mode = "tiers"
    assert not use_direct(tiers)


def covered(inst, x) -> int:
    return len(set(np.asarray(inst.region)[x]))


@pytest.mark.parametrize("seed", [1, 2])
def test_direct_path_honours_groups_covered_min(seed, monkeypatch):
    """A group everyone would leave out (its scores lowered) is covered once the rule asks for
    every group: the direct build has the coverage rows, and gives the Pyomo build's answer."""
    import fundalloc.selection.direct as direct

    inst = pool(400, seed, region_min=0)
    east = np.asarray(inst.region) == "east"
    inst.score[east] = np.round(inst.score[east] / 3, 1)
    free, _ = solve_direct(inst)
    assert free.status == "optimal" and covered(inst, free.designated) < len(REGIONS)
    inst.params.groups_covered_min = len(REGIONS)
    monkeypatch.setattr(direct, "DIRECT_MIN_N", 300)
    assert use_direct(inst)
    want = solve_lexicographic(build_model(inst), inst)
    got, _ = solve_direct(inst)
    assert want.status == got.status == "optimal"
    assert covered(inst, got.designated) == len(REGIONS)
    assert got.total_score < free.total_score
    check_solution(inst, got)
    np.testing.assert_array_equal(got.designated, want.designated)
    np.testing.assert_array_equal(got.award_wan, want.award_wan)
    assert got.total_score == want.total_score and got.lam == want.lam
    assert sorted(map(tuple, got.alternatives)) == sorted(map(tuple, want.alternatives))
    assert [s.name for s in got.stages] == [s.name for s in want.stages]


def test_select_takes_the_direct_path_with_groups_covered_min(monkeypatch):
    """`optimise` no longer sends coverage to Pyomo: forced onto the direct path, the bundled
    scenario with every group covered gives the same summary."""
    import fundalloc.selection.run as run
    from fundalloc.core.scenario import load_scenario

    sc = load_scenario("scenarios/henan-2025.toml", ["selection.groups_covered_min=5"])
    want = run.optimise(sc).summary
    calls = []
    monkeypatch.setattr(run, "use_direct", lambda inst: calls.append(1) or True)
    got = run.optimise(sc).summary
    assert calls and got["build_seconds"] >= 0
    for key in (
        "status",
        "designated",
        "awards_wan",
        "total_score",
        "tied_batches",
        "ties_complete",
        "lambda_wan_per_index",
    ):
        assert got[key] == want[key], key
    assert len({r for r, v in got["by_region"].items() if v["designated"]}) == 5
