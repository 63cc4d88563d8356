"""The greedy stages 1–3 (model/selection/greedy.py) against brute force and the MIP: on a grid
of small random instances with many tied scores, wherever greedy answers, its score is the best
feasible one found by enumerating every batch and the MIP's stage 1 optimum, every batch it
lists is feasible and tied, and it says the listing is complete exactly when the enumeration
finds at most max_ties tied batches (then the two lists hold the same batches)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from selection_helpers import random_instance, structurally_feasible
from test_selection_direct import pool

import fundalloc.selection.direct as direct
from fundalloc.selection.check import count_violations
from fundalloc.selection.greedy import greedy_stages
from fundalloc.selection.model import build_model, solve_lexicographic
from fundalloc.selection.stages import SCORE_TOL

LIMIT = 3


def tied_instance(seed: int):
    """A random instance whose scores take few values (many ties), without pins in."""
    rng = np.random.default_rng(1000 + seed)
    inst = random_instance(seed, int(rng.integers(8, 13)), pins=False)
    inst.score = rng.choice([60.0, 70.0, 70.5, 80.0], len(inst.ids))
    if seed % 4 == 0:  # sometimes someone pinned out or below a pass mark
        inst.pinned[int(rng.integers(len(inst.ids)))] = "out"
    update = dict(max_ties=LIMIT, score_min=65.0 if seed % 5 == 0 else 0.0)
    if seed % 3:  # a budget that pays every cap: the spend is proven without a solve
        update["budget_wan"] = inst.params.batch_max * inst.params.cap_wan
    params = inst.params.model_copy(update=update)
    return dataclasses.replace(inst, params=params)


def enumerate_ties(inst):
    """Every feasible batch (the rules without money, the budget paying the floors) and the
    tied best ones, by enumeration."""
    p = inst.params
    masks, ok = structurally_feasible(inst)
    ok &= masks.sum(1) * p.floor_wan <= p.budget_wan + 1e-9
    if p.score_min > 0:
        ok &= ~masks[:, inst.score < p.score_min].any(1)
    scores = masks.astype(float) @ inst.score
    if not ok.any():
        return None, set()
    best = scores[ok].max()
    tol = SCORE_TOL * max(1.0, float(np.abs(inst.score).max()))
    tied = {masks[t].tobytes() for t in np.flatnonzero(ok & (scores >= best - tol))}
    return best, tied


@pytest.mark.parametrize("block", range(4))
def test_greedy_equals_brute_force_and_the_mip(block):
    answered = 0
    for seed in range(block * 15, block * 15 + 15):
        inst = tied_instance(seed)
        best, tied = enumerate_ties(inst)
        run = greedy_stages(inst, LIMIT)
        if run is None:
            continue
        answered += 1
        assert best is not None, seed  # greedy never answers an infeasible instance
        first = run.stages[0].result
        assert first.status == "optimal" and first.objective == pytest.approx(best), seed
        listed = [b.tobytes() for b in run.batches]
        assert len(set(listed)) == len(listed) and set(listed) <= tied, seed
        for b in run.batches:
            assert count_violations(inst, b) == [], seed
        assert run.complete == (len(tied) <= LIMIT), seed
        if run.complete:
            assert set(listed) == tied, seed
        else:
            assert len(listed) == LIMIT, seed
        mip = solve_lexicographic(build_model(inst), inst)
        assert mip.stages[0].result.objective == pytest.approx(best), seed
        assert mip.ties_complete == run.complete, seed
        if run.complete:
            assert {np.isin(np.arange(len(inst.ids)), a).tobytes() for a in mip.alternatives} == (
                tied
            ), seed
    assert answered >= 4  # the grid exercises greedy, not only its refusals


def test_greedy_refuses_what_it_cannot_prove():
    inst = tied_instance(1)
    for update in (
        dict(award_mode="tiers"),
        dict(score_tolerance=1.0),
        dict(groups_covered_min=2),
    ):
        other = dataclasses.replace(inst, params=inst.params.model_copy(update=update))
        assert greedy_stages(other, LIMIT) is None, update
    pinned = dataclasses.replace(inst, pinned=["in"] + inst.pinned[1:])
    assert greedy_stages(pinned, LIMIT) is None
    zero = dataclasses.replace(inst, score=np.where(np.arange(len(inst.ids)) == 0, 0.0, inst.score))
    assert greedy_stages(zero, LIMIT) is None


@pytest.mark.parametrize("seed,decimals", [(1, None), (2, 1)])
def test_direct_path_gives_the_mips_answer_with_greedy(seed, decimals, monkeypatch):
    """A 400-applicant pool (no pins in) solved by the direct path, greedy on and off: the same
    stages, score, spend and, where the batch is unique, the same batch and awards."""
    inst = pool(400, seed, decimals=decimals)
    inst = dataclasses.replace(inst, pinned=[""] * len(inst.ids))
    got, _ = direct.solve_direct(inst)
    assert got.stages[0].result.seconds < 5  # greedy answered (no MIP solve)
    assert greedy_stages(inst, inst.params.max_ties) is not None
    monkeypatch.setattr(direct, "greedy_stages", lambda inst, limit: None)
    want, _ = direct.solve_direct(inst)
    assert [s.name for s in got.stages] == [s.name for s in want.stages]
    assert got.total_score == pytest.approx(want.total_score)
    assert got.total_award_wan == want.total_award_wan
    if want.ties_complete and len(want.alternatives) == 1:
        assert got.ties_complete and len(got.alternatives) == 1
        np.testing.assert_array_equal(got.designated, want.designated)
        np.testing.assert_array_equal(got.award_wan, want.award_wan)
        assert got.lam == want.lam and got.status == want.status
    else:
        assert not want.ties_complete or len(want.alternatives) > 1
