"""Helpers of the design tests: the lexicographic optimum by enumeration of the grid."""

from __future__ import annotations

import itertools

import numpy as np

from fundalloc.design.problem import Problem, exceedances, order_pairs


def brute_force(p: Problem):
    """Every grid point of the decided lines: the lexicographic optimum by enumeration."""
    choices = []
    for j in range(len(p.lines)):
        if not p.decided[j]:
            choices.append([p.lo[j]])
        elif j == p.platform:
            choices.append(list(p.plat_grid))
        else:
            choices.append([p.lo[j] + p.step * n for n in range(int(p.steps[j]) + 1)])
    best = None
    pairs = order_pairs(p.lines)
    for combo in itertools.product(*choices):
        a = np.array(combo, float)
        if any(a[lo] > a[hi] for lo, hi in pairs if p.decided[lo] or p.decided[hi]):
            continue
        if (exceedances(p, a) > p.allowed).any():
            continue
        d = [j for j in range(len(a)) if p.decided[j]]
        if p.objective == "closest":
            first = min(a[j] / p.published[j] for j in d)
        else:
            first = float(sum(p.value[j] * a[j] for j in d))
        key = (round(first, 9), -round(float(np.abs(a - p.published).sum()), 9))
        if best is None or key > best[0]:
            best = (key, a)
    return best


def assert_equals_enumeration(p: Problem, design, key) -> None:
    """The design is proven optimal, keeps the risk, and its objective and deviation are the
    enumerated optimum's (key from brute_force)."""
    import pytest

    assert design.optimal, design.stages
    a = design.amounts
    assert (exceedances(p, a) <= p.allowed).all()
    d = np.flatnonzero(p.decided)
    if p.objective == "closest":
        first = min(a[d] / p.published[d])
    else:
        first = float(p.value[d] @ a[d])
    assert first == pytest.approx(key[0], abs=1e-6)
    assert float(np.abs(a - p.published).sum()) == pytest.approx(-key[1], abs=1e-6)
