"""Margins (selection.csv margin_points) against brute force: raise (or lower) an applicant's
score by its margin ± 0.01, re-solve the whole selection, and see it enter (leave) or not."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fundalloc.selection.margins import margins
from fundalloc.selection.model import build_model, solve_lexicographic
from tests.selection_helpers import random_instance

EPS = 0.01


def designated(inst, i, delta) -> bool:
    score = np.asarray(inst.score, float).copy()
    score[i] += delta
    moved = dataclasses.replace(inst, score=score)
    moved = dataclasses.replace(moved, params=inst.params.model_copy(update=dict(max_ties=1)))
    sol = solve_lexicographic(build_model(moved), moved)
    return bool(sol.designated[i])


@pytest.mark.parametrize("seed", range(8))
def test_margins_agree_with_resolving(seed):
    inst = random_instance(seed, 7, pins=False)
    sol = solve_lexicographic(build_model(inst), inst)
    assert sol.status == "optimal"  # these seeds give feasible instances
    m, kind = margins(inst, sol.designated)
    checked = 0
    for i in range(len(inst.ids)):
        if kind[i] == "enter":
            assert designated(inst, i, m[i] + EPS), (i, m[i])
            if m[i] > EPS:
                assert not designated(inst, i, m[i] - EPS), (i, m[i])
            checked += 1
        elif kind[i] == "leave":
            assert not designated(inst, i, -(m[i] + EPS)), (i, m[i])
            if m[i] > EPS:
                assert designated(inst, i, -(m[i] - EPS)), (i, m[i])
            checked += 1
        else:  # never enters / leaves: no score change moves it
            assert kind[i] in ("never_enters", "never_leaves")
            assert designated(inst, i, 50.0 if kind[i] == "never_enters" else -50.0) == (
                kind[i] == "never_leaves"
            )
    assert checked


def test_margin_is_the_score_gap_by_hand():
    # 90 / 80 / 70, room for two (batch_max 2): the 70 must rise by 10 to tie the 80.
    inst = random_instance(0, 3, pins=False)
    p = inst.params.model_copy(
        update=dict(
            batch_min=1, batch_max=2, city_max=3, region_min={}, region_max={}, budget_wan=10_000
        )
    )
    inst = dataclasses.replace(inst, score=np.array([90.0, 80.0, 70.0]), params=p)
    sol = solve_lexicographic(build_model(inst), inst)
    m, kind = margins(inst, sol.designated)
    assert kind == ["leave", "leave", "enter"]
    assert m.tolist() == [20.0, 10.0, 10.0]
