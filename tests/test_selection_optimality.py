"""The MIP's optimum equals brute-force enumeration of all subsets (and, on the smallest
instances, of all award vectors), and every constraint holds on what it returns."""

import math

import pytest
from selection_helpers import brute_force, check_solution, random_instance

from fundalloc.selection.model import build_model, solve_lexicographic


def solve(inst):
    return solve_lexicographic(build_model(inst), inst)


def assert_lexicographic_optimum(inst):
    """Score, spending and deviation all equal enumeration of every subset and award vector."""
    expected = brute_force(inst, full=True)
    sol = solve(inst)
    if expected is None:
        assert sol.status == "infeasible"
        return
    check_solution(inst, sol)
    best, spend, deviation = expected
    assert sol.total_score == pytest.approx(best, abs=1e-6)
    assert sol.total_award_wan == pytest.approx(spend, abs=1e-6)
    assert sol.total_deviation_wan == pytest.approx(deviation, abs=1e-4)


@pytest.mark.parametrize("seed", range(40))
def test_score_and_spend_match_enumeration_of_all_subsets(seed):
    inst = random_instance(seed, n=12 + seed % 5)
    expected = brute_force(inst, full=False)
    sol = solve(inst)
    if expected is None:
        assert sol.status == "infeasible"
        return
    assert sol.status == "optimal" and sol.mip_gap == pytest.approx(0, abs=1e-9)
    check_solution(inst, sol)
    best, spend, _ = expected
    assert sol.total_score == pytest.approx(best, abs=1e-6)
    assert sol.total_award_wan == pytest.approx(spend, abs=1e-6)


def test_twenty_applicants_all_subsets():
    inst = random_instance(1234, n=20, pins=False)
    best, spend, _ = brute_force(inst, full=False)
    sol = solve(inst)
    check_solution(inst, sol)
    assert sol.total_score == pytest.approx(best) and sol.total_award_wan == pytest.approx(spend)


@pytest.mark.parametrize("seed", range(25))
def test_award_split_matches_enumeration_of_all_award_vectors(seed):
    inst = random_instance(100 + seed, n=7)
    p = inst.params
    p.step_wan = 50.0  # keep the award vectors few enough to enumerate
    p.batch_max = min(p.batch_max, 3)
    p.batch_min = min(p.batch_min, p.batch_max)
    assert_lexicographic_optimum(inst)


@pytest.mark.parametrize("seed", range(20))
def test_tier_mode_matches_enumeration_and_is_monotone(seed):
    inst = random_instance(500 + seed, n=7, mode="tiers")
    p = inst.params
    p.batch_max = min(p.batch_max, 4)
    p.batch_min = min(p.batch_min, p.batch_max)
    assert_lexicographic_optimum(inst)


@pytest.mark.parametrize("seed", range(15))
def test_without_spend_stage_deviation_matches_enumeration_within_budget(seed):
    inst = random_instance(300 + seed, n=7)
    p = inst.params
    p.spend_budget, p.step_wan = False, 50.0
    p.batch_max = min(p.batch_max, 3)
    p.batch_min = min(p.batch_min, p.batch_max)
    p.budget_wan = p.batch_max * (p.floor_wan + 60)  # tight: the budget caps the proportional sizes
    expected = brute_force(inst, full=True)
    sol = solve(inst)
    if expected is None:
        assert sol.status == "infeasible"
        return
    check_solution(inst, sol)
    assert [s.name for s in sol.stages] == [
        "max_total_score",
        "list_tied_batches",
        "min_deviation_from_proportional",
    ]
    assert sol.total_score == pytest.approx(expected[0], abs=1e-6)
    assert sol.total_deviation_wan == pytest.approx(expected[2], abs=1e-4)


def test_tied_batches_are_all_listed():
    """Equal scores make several batches optimal: every one is listed, the chosen one first."""
    inst = random_instance(11, n=6, pins=False)
    p = inst.params
    inst.score[:] = 80.0
    p.batch_min = p.batch_max = 2
    p.region_min, p.region_max, p.city_max = {}, {}, 2
    p.budget_wan = 2 * p.cap_wan
    sol = solve(inst)
    masks, ok = __import__("selection_helpers").structurally_feasible(inst)
    assert sol.ties_complete and len(sol.alternatives) == int(ok.sum()) > 1
    assert sol.alternatives[0] == list(map(int, sol.designated.nonzero()[0]))
    assert len({tuple(a) for a in sol.alternatives}) == len(sol.alternatives)


def test_awards_track_the_factor_index_when_the_budget_allows():
    """With a wide floor–cap band, awards are λ·f rounded to the step: deviation ≤ step/2 each."""
    inst = random_instance(3, n=12, pins=False)
    p = inst.params
    p.floor_wan, p.cap_wan, p.step_wan, p.budget_wan = 10, 5000, 10, 1500
    p.region_min, p.region_max = {}, {}
    sol = solve(inst)
    check_solution(inst, sol)
    k = int(sol.designated.sum())
    assert sol.total_deviation_wan <= k * p.step_wan / 2 + 1e-6
    assert math.isclose(sol.total_award_wan, 1500)
