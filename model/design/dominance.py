"""Replications that can never be among the ones over budget.

Replication r dominates r' in a pay year (and budget row) when its claims are at least r''s at
every amount in the box: Σ_j min over a_j of (claims_rj(a_j) − claims_r'j(a_j)) ≥ 0. If r'
exceeds the budget, so does every replication dominating it. So when at least k − f others
dominate r' (k = ⌊α·R⌋ allowed, f rows over whatever the amounts), r' exceeding would make
more than k exceed: r' must keep the budget — a plain row, with no binary and no big-M.

On the baseline at R = 1,000 this fixes more than half of the rows the
box leaves open.
"""

from __future__ import annotations

import numpy as np

from fundalloc.design.box import Box, _line_claims, grid_values
from fundalloc.design.problem import Problem

BLOCK = 128  # rows of r' at a time: memory ∝ BLOCK × rows × lines


def must_hold(p: Problem, box: Box, risky: np.ndarray, forced: np.ndarray) -> np.ndarray:
    """(R, Y, Q) the risky rows that at least `allowed − forced` other risky rows dominate.
    (Those that another such row dominates are implied by it; kept all the same: dropping
    them made HiGHS slower on the baseline, 19–22 s against 10–12 s for stage 2.)"""
    hard = np.zeros_like(risky)
    plat = _line_claims(p, p.platform, grid_values(p, p.platform, box))  # (R, Y, Q, V)
    lin = [j for j in range(len(p.lines)) if j != p.platform]
    lo, hi = box.amin[lin], box.amax[lin]
    for y, q in zip(*np.nonzero(risky.any(axis=0)), strict=True):
        rows = np.flatnonzero(risky[:, y, q])
        need = p.allowed - int(forced[y, q])
        if need <= 0 or len(rows) <= need:
            continue  # nothing may exceed (the risk row says so), or too few to dominate
        dom = _dominates(p.cost[rows, y, q][:, lin], plat[rows, y, q], lo, hi)
        hard[rows[dom.sum(axis=0) >= need], y, q] = True
    return hard


def _dominates(cost: np.ndarray, caps: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """(n, n) [r, r'] whether r's claims are at least r''s at every amount of the box: the
    least of claims_r − claims_r' line by line (a linear line's (c_r − c_r')·a is least at the
    low end when positive, at the high end when negative; the platform over its caps)."""
    n = len(cost)
    dom = np.zeros((n, n), bool)
    for start in range(0, n, BLOCK):
        block = slice(start, start + BLOCK)
        diff = cost[:, None, :] - cost[None, block, :]
        worst = np.where(diff >= 0, diff * lo, diff * hi).sum(-1)
        worst += (caps[:, None, :] - caps[None, block, :]).min(-1)
        dom[:, block] = worst >= -1e-9
    np.fill_diagonal(dom, False)  # not itself
    return dom
