"""The selection rules checked on one given batch, in words: each rule of the registry
(model/selection/rules.py) judges the batch, so a budget officer's own batch is held to exactly
the rules the MIP imposes (`fundalloc compare`). tests/test_compare.py checks on many random
batches that no rule is found broken exactly when the MIP, with the batch fixed, is feasible.
"""

from __future__ import annotations

import numpy as np

from fundalloc.selection.instance import Instance
from fundalloc.selection.rules import RULES


def _listed(found: list[tuple[int, int, int, int, str]]) -> list[str]:
    # (listed, rank, rule's place in the registry, order found, message)
    return [msg for *_, msg in sorted(found)]


def count_violations(inst: Instance, x: np.ndarray) -> list[str]:
    """Rules on who is designated: batch size, per city, per regional group, groups covered,
    pins, and whether the budget can pay the smallest awards."""
    x = np.asarray(x, bool)
    return _listed(
        [
            (r.on_batch.listed, rank, k, j, msg)
            for k, r in enumerate(RULES.values())
            if r.on_batch
            for j, (rank, msg) in enumerate(r.on_batch.broken(inst, x))
        ]
    )


def award_violations(inst: Instance, x: np.ndarray, award: np.ndarray) -> list[str]:
    """Rules on the money, for awards the user proposes (万, over the instance's applicants)."""
    x, award = np.asarray(x, bool), np.asarray(award, float)
    return _listed(
        [
            (r.on_awards.listed, rank, k, j, msg)
            for k, r in enumerate(RULES.values())
            if r.on_awards
            for j, (rank, msg) in enumerate(r.on_awards.broken(inst, x, award))
        ]
    )


def best_fit_lambda(f: np.ndarray, award: np.ndarray) -> float:
    """The common λ (万 per unit of factor index) that minimises Σ|award_i − λ·f_i|: a weighted
    median of award_i / f_i with weights f_i."""
    if len(f) == 0:
        return 0.0
    ratio = award / f
    order = np.argsort(ratio)
    cum = np.cumsum(f[order])
    return float(ratio[order][np.searchsorted(cum, cum[-1] / 2)])
