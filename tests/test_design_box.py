"""The design's box (model/design/box.py): shrinking the amounts' ranges before the model is
built never loses an optimum. On random instances — costs of both signs (a top-up paid later
makes some negative), order chains, a platform table — every feasible grid point survives the
risk and order propagation, the optimum with the reductions equals enumeration of the whole
grid, and the reductions do shrink the model."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from design_helpers import assert_equals_enumeration, brute_force

from fundalloc.design.box import claim_range, full_box, published_cut, scale_cut, tighten
from fundalloc.design.dominance import must_hold
from fundalloc.design.lines import Line
from fundalloc.design.mip import build, solve_design
from fundalloc.design.problem import Problem, claims_at, exceedances, order_pairs

LINES = [
    Line("a_1", "revenue_tier", "a", 0, 10.0, 1.0),
    Line("a_2", "revenue_tier", "a", 1, 20.0, 2.0),
    Line("a_3", "revenue_tier", "a", 2, 30.0, 3.0),
    Line("growth", "growth", "", 0, 10.0),
    Line("platform", "platform", "", 0, 30.0),
]


def random_problem(seed: int, objective: str = "closest", negative: float = 0.1) -> Problem:
    """Claims of 14 replications over 3 pay years; a share `negative` of the costs below 0."""
    rng = np.random.default_rng(seed)
    R, Y, L = 14, 3, len(LINES)
    cost = rng.uniform(0.0, 6.0, (R, Y, 1, L))
    flip = rng.random(cost.shape) < negative
    cost[flip] = -rng.uniform(0.0, 1.5, int(flip.sum()))
    cost[..., 4] = 0.0  # the platform's claims are its table
    grid = np.array([10.0, 20.0, 30.0, 40.0])
    plat = np.sort(rng.uniform(0, 40, (R, Y, 1, 4)), axis=-1)
    published = np.array([10.0, 20.0, 30.0, 10.0, 30.0])
    at_pub = (cost[..., :4] * published[:4]).sum(-1) + plat[..., 2]
    budget = float(np.quantile(at_pub, 0.55))  # the published schedule breaks the risk
    return Problem(
        lines=LINES,
        decided=np.ones(L, bool),
        lo=np.array([5.0, 5.0, 5.0, 5.0, 10.0]),
        steps=np.array([5, 7, 9, 5, 0]),
        step=5.0,
        cost=cost,
        plat=plat,
        plat_grid=grid,
        budget=np.full((1, Y), budget),
        alpha=0.15,
        published=published,
        objective=objective,
        value=None if objective == "closest" else np.array([1.0, 1.2, 1.5, 0.5, 0.3]),
    )


def feasible_points(p: Problem):
    choices = []
    for j in range(len(p.lines)):
        if j == p.platform:
            choices.append(list(p.plat_grid))
        else:
            choices.append([p.lo[j] + p.step * n for n in range(int(p.steps[j]) + 1)])
    pairs = order_pairs(p.lines)
    for combo in itertools.product(*choices):
        a = np.array(combo, float)
        if all(a[lo] <= a[hi] for lo, hi in pairs) and (exceedances(p, a) <= p.allowed).all():
            yield a


@pytest.mark.parametrize("seed", range(6))
def test_propagation_keeps_every_feasible_point(seed):
    p = random_problem(seed)
    box = tighten(p, full_box(p))
    points = list(feasible_points(p))
    assert points, "the instance has feasible schedules"
    assert box is not None
    assert all(box.contains(a) for a in points)
    # and it does cut: some grid point outside the box (else the test proves nothing)
    full = full_box(p)
    assert (box.amax < full.amax).any() or (box.amin > full.amin).any()


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("objective", ["closest", "induced"])
def test_optimum_with_the_box_equals_enumeration(seed, objective):
    p = random_problem(seed, objective)
    found = brute_force(p)
    design = solve_design(p)
    if found is None:
        assert design.stages[0]["status"] == "infeasible"
        return
    assert_equals_enumeration(p, design, found[0])


@pytest.mark.parametrize("seed", range(4))
def test_published_cut_keeps_an_optimum_with_negative_costs(seed):
    """Stage 2 of closest: with the scale held, the cut box still holds a least-deviation
    schedule, though some costs are negative (only lines that rise in the rows that can
    exceed are cut)."""
    p = random_problem(seed, negative=0.3)
    found = brute_force(p)
    assert found is not None
    (key, best) = found
    s = key[0]
    held = tighten(p, scale_cut(p, full_box(p), s - 1e-9))
    assert held is not None
    cut = published_cut(p, held)
    assert cut is not None
    inside = [a for a in feasible_points(p) if cut.contains(a) and min(a / p.published) >= s - 1e-9]
    assert inside
    assert min(float(np.abs(a - p.published).sum()) for a in inside) == pytest.approx(-key[1])


def test_the_box_leaves_fewer_binaries():
    p = random_problem(3)
    full = build(p)
    small = build(p, tighten(p, scale_cut(p, full_box(p), 0.5)))
    assert len(small.rows) < len(full.rows)


def test_a_line_whose_cost_is_negative_where_the_risk_binds_is_not_cut():
    """A top-up paid later makes tier 1's cost negative in the two replications that bind:
    raising tier 1 above its published amount (deviation 5) is then the cheapest way to keep
    the risk; cutting it at its published amount would cost a 10 万 cut elsewhere."""
    lines = [
        Line("a_1", "revenue_tier", "a", 0, 10.0, 1.0),
        Line("growth", "growth", "", 0, 10.0),
        Line("service_mfg_demo_municipal", "service_mfg_demo", "service_mfg_demo", 0, 20.0),
        Line("industrial_design_municipal", "industrial_design", "industrial_design", 0, 20.0),
        Line("platform", "platform", "", 0, 30.0),
    ]
    cost = np.zeros((4, 1, 1, 5))
    cost[:2, 0, 0, :4] = [-4.0, 1.0, 0.0, 0.5]  # rows 0, 1: the top-up year
    cost[2:, 0, 0, 2] = 10.0  # rows 2, 3: the demonstration awards hold the scale at 0.5
    plat = np.zeros((4, 1, 1, 1))
    plat[:2] = 125.0
    p = Problem(
        lines=lines,
        decided=np.array([True, False, True, True, False]),
        lo=np.array([5.0, 10.0, 5.0, 5.0, 30.0]),
        steps=np.array([5, 0, 7, 7, 0]),
        step=5.0,
        cost=cost,
        plat=plat,
        plat_grid=np.array([30.0]),
        budget=np.full((1, 1), 100.0),
        alpha=0.25,
        published=np.array([10.0, 10.0, 20.0, 20.0, 30.0]),
    )
    (key, _) = brute_force(p)
    assert key == (0.5, -15.0)
    design = solve_design(p)
    assert design.optimal
    np.testing.assert_allclose(design.amounts, [15.0, 10.0, 10.0, 20.0, 30.0])
    cut = published_cut(p, tighten(p, scale_cut(p, full_box(p), 0.5)))
    assert cut is not None and cut.amax[0] >= 15.0


@pytest.mark.parametrize("seed", range(6))
def test_rows_that_must_hold_hold_in_every_feasible_schedule(seed):
    """A replication dominated by at least k others (design/dominance.py) is over budget in
    no feasible schedule, so it needs no binary."""
    p = dataclasses.replace(random_problem(seed), alpha=0.25)  # k = 3 of 14
    box = full_box(p)
    low, high = claim_range(p, box)
    budget = p.budget.T[None]
    risky = (high > budget + 1e-6) & (low <= budget + 1e-6)
    forced = (low > budget + 1e-6).sum(axis=0)
    hard = must_hold(p, box, risky, forced)
    assert hard.any()  # the case occurs (else the test proves nothing)
    for a in feasible_points(p):
        over = claims_at(p, a) > budget + 1e-6
        assert not (over & hard).any()
