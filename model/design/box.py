"""The box of amounts a design can take, shrunk before the model is built.

Every decided line j has an amount a_j on its grid lo_j + step·n (the platform cap on its
own grid). The model's big-M rows are only as tight as the box: a row's M is the most its
claims can reach over the box less the budget. Three reductions, each keeping every optimum:

- **Bound propagation on the risk** (valid whatever the signs of the costs): a_j = a is
  impossible when, with every other line at whichever end of its range gives the least
  claims, more than ⌊α·R⌋ replications of some pay year still exceed the budget (a top-up
  paid later can make a cost per 万 negative: the least claims then take that line's top).
- **Order propagation**: tier 1 ≤ tier 2 ≤ tier 3, municipal ≤ provincial ≤ national move the
  lower ends up and the upper ends down.
- **Cuts from the objective** (solve_design passes them): a common scale s already found
  feasible, or held from stage 1, means a_j ≥ s·published_j; in stage 2 of `closest`, when no
  claim falls as an amount rises, no line need go above the grid point at its published
  amount when neither its claims nor those of the lines below it fall as it rises (lowering
  it there lowers both the claims and the deviation).

Rows that can then never exceed need no binary; rows that exceed whatever the amounts count
as fixed exceedances (mip.build). tests/test_design_box.py checks the optimum with and
without the reductions, and against enumeration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fundalloc.design.problem import Problem, order_pairs


@dataclass
class Box:
    amin: np.ndarray  # (L,) smallest amount of each line (fixed lines: their amount)
    amax: np.ndarray  # (L,) largest

    def contains(self, a: np.ndarray) -> bool:
        return bool(((a >= self.amin - 1e-9) & (a <= self.amax + 1e-9)).all())


def full_box(p: Problem) -> Box:
    top = p.lo + p.step * p.steps
    pj = p.platform
    amin, amax = p.lo.astype(float).copy(), top.astype(float)
    amin[pj], amax[pj] = float(p.plat_grid.min()), float(p.plat_grid.max())
    if not p.decided[pj]:
        amin[pj] = amax[pj] = _nearest_cap(p, p.lo[pj])
    return Box(amin, amax)


def _nearest_cap(p: Problem, a: float) -> float:
    return float(p.plat_grid[int(np.argmin(np.abs(p.plat_grid - a)))])


def grid_up(p: Problem, j: int, a: float) -> float:
    """The smallest amount of line j's grid at or above a (its top if none)."""
    if j == p.platform:
        ok = p.plat_grid[p.plat_grid >= a - 1e-9]
        return float(ok.min()) if len(ok) else float(p.plat_grid.max())
    n = math.ceil(max(a - p.lo[j], 0.0) / p.step - 1e-9)
    return float(p.lo[j] + p.step * min(n, int(p.steps[j])))


def grid_down(p: Problem, j: int, a: float) -> float:
    """The largest amount of line j's grid at or below a (its bottom if none)."""
    if j == p.platform:
        ok = p.plat_grid[p.plat_grid <= a + 1e-9]
        return float(ok.max()) if len(ok) else float(p.plat_grid.min())
    n = math.floor(max(a - p.lo[j], 0.0) / p.step + 1e-9)
    return float(p.lo[j] + p.step * min(n, int(p.steps[j])))


def grid_values(p: Problem, j: int, box: Box) -> np.ndarray:
    if j == p.platform:
        g = p.plat_grid
        return g[(g >= box.amin[j] - 1e-9) & (g <= box.amax[j] + 1e-9)]
    n = np.arange(
        round((box.amin[j] - p.lo[j]) / p.step), round((box.amax[j] - p.lo[j]) / p.step) + 1
    )
    return p.lo[j] + p.step * n


def _line_claims(p: Problem, j: int, values: np.ndarray) -> np.ndarray:
    """(R, Y, Q, k) line j's share of the claims at each of its amounts `values`."""
    if j == p.platform:
        idx = np.searchsorted(p.plat_grid, values - 1e-9)
        return p.plat[..., idx]
    return p.cost[..., j, None] * values


def claim_range(p: Problem, box: Box) -> tuple[np.ndarray, np.ndarray]:
    """(R, Y, Q) least and most claims over the box, line by line."""
    low = np.zeros(p.cost.shape[:3])
    high = np.zeros_like(low)
    for j in range(len(p.lines)):
        ends = _line_claims(p, j, grid_values(p, j, box))
        low += ends.min(-1)
        high += ends.max(-1)
    return low, high


def _order(p: Problem, box: Box) -> bool:
    """Order propagation; False if some pair cannot be ordered within the box."""
    gap = p.step if p.strict else 0.0
    for a, b in order_pairs(p.lines):
        box.amin[b] = max(box.amin[b], grid_up(p, b, box.amin[a] + gap))
        box.amax[a] = min(box.amax[a], grid_down(p, a, box.amax[b] - gap))
    return bool((box.amin <= box.amax + 1e-9).all())


def tighten(p: Problem, box: Box, rounds: int = 20) -> Box | None:
    """The box shrunk by order and risk propagation until it stops changing; None when no
    amounts in it can keep the risk (the model would be infeasible)."""
    budget = p.budget.T[None]  # (1, Y, Q)
    allowed = p.allowed
    for _ in range(rounds):
        before = (box.amin.copy(), box.amax.copy())
        if not _order(p, box):
            return None
        low, _ = claim_range(p, box)
        if ((low > budget + 1e-6).sum(axis=0) > allowed).any():
            return None
        for j in map(int, np.flatnonzero(p.decided)):
            values = grid_values(p, j, box)
            if len(values) <= 1:
                continue
            mine = _line_claims(p, j, values)  # (R, Y, Q, k)
            rest = low[..., None] - mine.min(-1, keepdims=True)  # the others at their least
            over = ((rest + mine) > budget[..., None] + 1e-6).sum(axis=0)  # (Y, Q, k)
            ok = (over <= allowed).all(axis=(0, 1))
            if not ok.any():
                return None
            box.amin[j], box.amax[j] = values[ok].min(), values[ok].max()
            low = low - mine.min(-1) + mine[..., ok].min(-1)
        if np.array_equal(before[0], box.amin) and np.array_equal(before[1], box.amax):
            break
    return box


def scale_cut(p: Problem, box: Box, s: float) -> Box:
    """a_j ≥ s·published_j for every decided line with a published amount (the scale held)."""
    out = Box(box.amin.copy(), box.amax.copy())
    for j in map(int, np.flatnonzero(p.decided & (p.published > 0))):
        out.amin[j] = max(out.amin[j], grid_up(p, j, s * p.published[j]))
    return out


def rising(p: Problem, box: Box) -> np.ndarray:
    """(L,) lines whose claims never fall as their amount rises, nor those of any line below
    them in an order (tier 1 under tier 2 …), in the rows that could exceed the budget within
    the box: every cost per 万 ≥ 0 there, the platform's claims non-decreasing in the cap. (A
    top-up paid in a later year can make a cost negative; in a row that stays within the
    budget over the whole box that changes nothing.)"""
    _, high = claim_range(p, box)
    safe = (high <= p.budget.T[None] + 1e-6)[..., None]  # (R, Y, Q, 1) never over budget
    own = np.asarray(((p.cost >= -1e-12) | safe).all(axis=(0, 1, 2)))
    own[p.platform] = bool(((np.diff(p.plat, axis=-1) >= -1e-9) | safe).all())
    out = own.copy()
    changed = True
    while changed:  # down the orders: a line is rising only if every line below it is
        changed = False
        for lower, higher in order_pairs(p.lines):
            if out[higher] and not out[lower]:
                out[higher], changed = False, True
    return out


def published_cut(p: Problem, box: Box) -> Box | None:
    """Stage 2 of `closest` (orders not strict): a rising line need not go above the grid
    point at its published amount. Lowering it there, and every line below it that is above its
    own, keeps every order (the published schedule is ordered, and so are the lower ends) and
    lowers the claims and the deviation alike, so some optimum is in the cut box. Repeated with
    tighten(): a smaller box leaves fewer rows that can exceed, so more lines rise."""
    out: Box | None = Box(box.amin.copy(), box.amax.copy())
    for _ in range(len(p.lines)):
        assert out is not None
        before = out.amax.copy()
        for j in map(int, np.flatnonzero(p.decided & rising(p, out))):
            cap = grid_up(p, j, max(p.published[j], out.amin[j]))
            out.amax[j] = max(min(out.amax[j], cap), out.amin[j])
        out = tighten(p, out)
        if out is None or np.array_equal(before, out.amax):
            break
    return out


def clip(box: Box, a: np.ndarray) -> np.ndarray:
    return np.minimum(np.maximum(a, box.amin), box.amax)
