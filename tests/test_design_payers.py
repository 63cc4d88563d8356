"""fundalloc design with a budget per payer (issue 18 "a budget per payer when payers are
given", 五 各县(市)参照执行): the design's claims per payer are the Monte Carlo's, the chance
constraint holds for each payer's own budget (one binary per replication, year and payer) and
the model's optimum on a two-payer instance equals brute-force enumeration."""

from __future__ import annotations

import numpy as np
import pytest
from design_helpers import brute_force as _brute_force
from simulation_helpers import small_world
from test_design import SHARED_RISK

from fundalloc.core.executors import open_executor
from fundalloc.design.lines import amounts_of, lines_of
from fundalloc.design.mip import build, solve_design
from fundalloc.design.problem import Problem, exceedances
from fundalloc.design.run import budgets
from fundalloc.design.scenarios import payers, sample
from fundalloc.rules.jiaxing import PAYERS
from fundalloc.simulation.montecarlo import run_montecarlo

TWO = 'simulation.population.payer_shares={"市本级" = 0.6, "嘉善县" = 0.4}'
BUDGETS = 'awards.budget_wan={"市本级" = 300, "嘉善县" = 200}'


def _world(tmp_path, runs=12):
    return small_world(tmp_path, [TWO, BUDGETS, *SHARED_RISK], runs=runs)


def test_claims_by_payer_are_the_monte_carlos(tmp_path):
    world = _world(tmp_path)
    rows, names = payers(world)
    assert names == ("市本级", "嘉善县")
    assert budgets(world, names, "x")[:, 0].tolist() == [300.0, 200.0]
    lines = lines_of(world.policy)
    cap = np.array([float(world.policy.platform_cap_wan)])
    with open_executor("local", None, 1) as ex:
        smp = sample(world, lines, amounts_of(world.policy, lines), cap, ex)
    res = run_montecarlo(world, runs=12, workers=1, progress=False)
    assert res.claims_payer is not None
    for q, name in enumerate(names):
        mc = res.claims_payer[..., PAYERS.index(name)]
        assert mc.sum() > 0, name  # both payers have claims
        np.testing.assert_allclose(smp.base[:, :, q], mc, atol=1e-6)


def _two_payer_problem(tmp_path) -> Problem:
    world = _world(tmp_path)
    names = payers(world)[1]
    lines = lines_of(world.policy)
    decided = np.array([ln.id in ("tech_info_1", "tech_info_2", "growth") for ln in lines])
    grid = np.array([float(world.policy.platform_cap_wan)])
    published = amounts_of(world.policy, lines)
    with open_executor("local", None, 1) as ex:
        smp = sample(world, lines, published, grid, ex)
    lo = np.where(decided, 5.0, published)
    at_pub = (smp.cost * published).sum(-1) + smp.plat[..., 0]  # (R, Y, Q)
    at_lo = (smp.cost * lo).sum(-1) + smp.plat[..., 0]
    # each payer's budget in each year between what its smallest and its published amounts
    # need: the second largest of the midpoints, so the smallest amounts exceed it in at most
    # one replication (feasible) and the published ones in more (the risk binds)
    mid = (at_lo + at_pub) / 2
    budget = np.sort(mid, axis=0)[-2].T  # (Q, Y)
    return Problem(
        lines=lines,
        decided=decided,
        lo=lo,
        steps=np.where(decided, 5, 0),
        step=5.0,
        cost=smp.cost,
        plat=smp.plat,
        plat_grid=grid,
        budget=budget,
        alpha=0.1,
        published=published,
        payers=names,
    )


def test_two_payers_optimum_equals_brute_force_and_holds_for_each(tmp_path):
    p = _two_payer_problem(tmp_path)
    assert p.runs <= 12 and p.allowed == 1 and p.cost.shape[2] == 2
    m = build(p)
    assert {q for _, _, q in m.rows} == {0, 1}  # a binary per replication, year and payer
    (key, _), design = _brute_force(p), solve_design(p)
    assert design.optimal, design.stages
    a = design.amounts
    d = np.flatnonzero(p.decided)
    assert min(a[d] / p.published[d]) == pytest.approx(key[0], abs=1e-6)
    assert float(np.abs(a - p.published).sum()) == pytest.approx(-key[1], abs=1e-6)
    assert (exceedances(p, a) <= p.allowed).all()  # (Y, Q): every payer within its risk
    assert (exceedances(p, p.published) > p.allowed).any()  # the risk binds
    # one budget of the two budgets' sum is a weaker constraint: each payer's own is not
    # implied by it, so the pooled design is never smaller and here differs
    pooled = Problem(
        **{
            **p.__dict__,
            "cost": p.cost.sum(2, keepdims=True),
            "plat": p.plat.sum(2, keepdims=True),
            "budget": p.budget.sum(0, keepdims=True),
            "payers": ("all",),
        }
    )
    b = solve_design(pooled).amounts
    assert (b[d] >= a[d] - 1e-9).all()
