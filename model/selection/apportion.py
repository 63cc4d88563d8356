"""Exact proportional split of a fund in whole steps (the third stage of the selection model
for a fixed batch).

Problem: given factor indexes f_i of the designated, award levels n_i ∈ [lo, hi] (in steps), and
the total N (or no total), minimise Σ_i |step·n_i − λ·f_i| over integer n and one λ ∈ [0, λmax].

Why it is exact: for fixed n the objective is convex piecewise linear in λ with breakpoints
step·n_i / f_i, so some optimum has λ = step·k / f_i for an i and a k ∈ [lo, hi]. For fixed λ
the rounding problem is convex and separable under one sum constraint: start from the nearest
levels and move the total by the cheapest unit changes (the first change of each award may cost
less than a step, every further one costs exactly a step). Evaluating all candidate λ —
vectorised in chunks — finds the global optimum, which a branch-and-bound search proves only
slowly because the LP relaxation rounds nothing and bounds the residual by 0.
"""

from __future__ import annotations

import math
import time

import numpy as np

from fundalloc.selection.instance import Instance, lam_max
from fundalloc.selection.levels import level_range

INF = np.inf


def _cost(
    lam: np.ndarray, f: np.ndarray, lo: int, hi: int, step: float, total: int | None, at_most: bool
):
    """Best rounding cost for each λ in `lam` (vector)."""
    t = lam[:, None] * f[None, :] / step
    base = np.clip(np.rint(t), lo, hi)
    cost = step * np.abs(base - t).sum(axis=1)
    if total is None:
        return cost
    d = total - base.sum(axis=1)
    if at_most:  # only a sum above the limit must move; moving costs ≥ 0 from nearest levels
        d = np.minimum(d, 0)
    up = np.where(base < hi, step * (np.abs(base + 1 - t) - np.abs(base - t)), INF)
    down = np.where(base > lo, step * (np.abs(base - 1 - t) - np.abs(base - t)), INF)
    room_up, room_down = (hi - base).sum(axis=1), (base - lo).sum(axis=1)
    out = cost.copy()
    for sign, first, room in ((1, up, room_up), (-1, down, room_down)):
        rows = np.flatnonzero(sign * d > 0)
        if rows.size == 0:
            continue
        need = (sign * d[rows]).astype(int)
        firsts = np.sort(first[rows], axis=1)
        finite = np.isfinite(firsts).sum(axis=1)
        csum = np.concatenate(
            [
                np.zeros((rows.size, 1)),
                np.cumsum(np.where(np.isfinite(firsts), firsts, 0.0), axis=1),
            ],
            axis=1,
        )
        take = np.minimum(need, finite)
        extra = need - take  # every further unit change costs exactly one step
        out[rows] += csum[np.arange(rows.size), take] + step * extra
        out[rows[need > room[rows]]] = INF
    return out


def proportional_split(
    f: np.ndarray,
    lo: int,
    hi: int,
    step: float,
    total: int | None,
    lam_max: float,
    at_most: bool = False,
    chunk: int = 4096,
) -> tuple[np.ndarray, float, float]:
    """Return (levels n_i, λ, deviation Σ|step·n_i − λ f_i|) at the global optimum.
    `total` is Σ n_i in steps (exactly, or at most with `at_most`), or None when the total is
    free. Raises ValueError if no levels fit."""
    f = np.asarray(f, dtype=float)
    if f.size == 0:
        return np.zeros(0, int), 0.0, 0.0
    ks = np.arange(lo, hi + 1, dtype=float)
    cands = np.unique(
        np.clip(
            np.concatenate([(step * ks[None, :] / f[:, None]).ravel(), [0.0, lam_max]]),
            0.0,
            lam_max,
        )
    )
    if cands.size > chunk:  # many candidates: evaluate only those the sum bound allows
        lam, cost = _pruned(cands, f, lo, hi, step, total, at_most, chunk)
    else:
        lam, cost = cands, _cost(cands, f, lo, hi, step, total, at_most)
    best_cost, best_lam = INF, 0.0
    for start in range(0, lam.size, chunk):  # ascending λ: the first of equals wins
        j = start + int(np.argmin(cost[start : start + chunk]))
        if cost[j] < best_cost - 1e-9:
            best_cost, best_lam = float(cost[j]), float(lam[j])
    if not np.isfinite(best_cost):
        raise ValueError("no award levels in [lo, hi] add up to the total")
    return _levels(f, lo, hi, step, total, at_most, best_lam), best_lam, best_cost


# A candidate whose bound is this far above the best cost found cannot win (nor change which
# of the near-best candidates does: they are 1e-9 apart at most).
FAR = 1e-6


def _pruned(cands, f, lo, hi, step, total, at_most, chunk):
    """(λ, cost) of the candidates that can matter, ascending in λ. Every rounding has
    Σ|step·n_i − λ f_i| ≥ step·dist(Σ λ f_i / step, feasible sums of n) (triangle inequality),
    so candidates are evaluated from the smallest bound up and the rest, whose bound is above
    the best cost found, are never evaluated: at 2,500 awards ~5 % of them, not all of the
    K × levels candidates at K terms each."""
    k = f.size
    top = k * hi if total is None else min(total, k * hi)
    bottom = k * lo if (total is None or at_most) else total
    sums = cands * (f.sum() / step)
    bound = step * np.maximum(np.maximum(bottom - sums, sums - top), 0.0)
    order = np.argsort(bound, kind="stable")
    best = INF
    taken = []
    for start in range(0, order.size, chunk):
        idx = order[start : start + chunk]
        if bound[idx[0]] >= best + FAR:
            break
        cost = _cost(cands[idx], f, lo, hi, step, total, at_most)
        best = min(best, float(cost.min()))
        taken.append((idx, cost))
    idx = np.concatenate([i for i, _ in taken])
    cost = np.concatenate([c for _, c in taken])
    keep = np.argsort(idx)
    return cands[idx[keep]], cost[keep]


def _levels(f, lo, hi, step, total, at_most, lam):
    """The rounding that attains the cost `_cost` reports for one λ."""
    t = lam * f / step
    n = np.clip(np.rint(t), lo, hi).astype(int)
    if total is None:
        return n
    d = int(total - n.sum())
    if at_most:
        d = min(d, 0)
    sign = 1 if d > 0 else -1
    for _ in range(abs(d)):  # at most a few hundred moves, each picks the cheapest unit change
        nxt = n + sign
        ok = (nxt >= lo) & (nxt <= hi)
        delta = np.where(ok, np.abs(nxt - t) - np.abs(n - t), INF)
        i = int(np.argmin(delta))
        n[i] += sign
    return n


def apportion_each(batches: list[np.ndarray], inst: Instance, spend: float | None):
    """The exact split of each tied batch; the one closest to proportional wins (the first of
    equals). Returns (x, award, λ, deviation, seconds)."""
    p = inst.params
    lo, hi = level_range(p)
    lmax = lam_max(inst)
    start = time.perf_counter()
    best = None
    # With the spending stage the total is fixed at its optimum; without it, the budget caps it.
    total = (
        int(round(spend / p.step_wan))
        if spend is not None
        else math.floor(p.budget_wan / p.step_wan + 1e-9)
    )
    for x in batches:
        levels, lam, dev = proportional_split(
            inst.f[x], lo, hi, p.step_wan, total, lmax, at_most=spend is None
        )
        if best is None or dev < best[3] - 1e-9:
            award = np.zeros(len(x))
            award[x] = levels * p.step_wan
            best = (x, award, lam, dev)
    assert best is not None, "apportion_each needs at least one batch"
    return (*best, time.perf_counter() - start)
