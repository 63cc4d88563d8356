"""The lexicographic selection of model/selection.py, built straight into highspy: the fast
path for large pools.

Why: at 10,000 applicants Pyomo spends ~0.3 s creating one Python object per variable,
constraint and term and ~0.8 s translating them into HiGHS, against ~0.02 s for the same rows
from numpy arrays (solvers/highs_direct.py; benchmarks/). That cost is inherent to an
object-per-term modelling layer, so no Pyomo formulation gets within 3× of the direct build.

Same stages, same tolerances and same answers as `solve_lexicographic` (tested against it):
max score; keep it and reach the budget; list tied batches (Hamming objective, warm start, then
no-good cuts); exact proportional split of each (model/apportion.py). Used for proportional
awards above MIP_DEVIATION_MAX_N eligible applicants, where the Pyomo path also apportions
rather than solving the deviation MIP. An infeasible instance is explained through the Pyomo
model as before (its constraint names are the words of the explanation).
"""

from __future__ import annotations

import math
import time

import highspy
import numpy as np

from fundalloc.solvers import SolveResult
from fundalloc.solvers.highs_direct import build_stage1

from fundalloc.selection.model import (MIP_DEVIATION_MAX_N, SCORE_TOL, Instance, Solution, StageResult,
                        _apportion_each, _empty, list_ties, overall_status)

DIRECT_MIN_N = 2000   # below this the Pyomo build costs under ~0.2 s: not worth a second path

_STATUS = {highspy.HighsModelStatus.kOptimal: "optimal",
           highspy.HighsModelStatus.kInfeasible: "infeasible",
           highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
           highspy.HighsModelStatus.kTimeLimit: "time_limit",
           highspy.HighsModelStatus.kIterationLimit: "time_limit"}


def use_direct(inst: Instance) -> bool:
    return (inst.params.award_mode == "proportional"
            and len(inst.ids) >= max(DIRECT_MIN_N, MIP_DEVIATION_MAX_N + 1))


def _run(h: highspy.Highs, warm: np.ndarray | None = None) -> tuple[SolveResult, np.ndarray | None]:
    if warm is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(warm)
        sol.value_valid = True
        h.setSolution(sol)
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    status = _STATUS.get(h.getModelStatus(), "error")
    info = h.getInfo()
    has = info.primal_solution_status == 2          # kSolutionStatusFeasible
    obj = info.objective_function_value if has else None
    bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
    gap = abs(bound - obj) / max(1.0, abs(obj)) if obj is not None and bound is not None else None
    cols = np.array(h.getSolution().col_value) if has else None
    return SolveResult(status, obj, bound, gap, seconds), cols


def _row(h, idx: np.ndarray, vals: np.ndarray, lo: float, hi: float) -> None:
    h.addRow(lo, hi, len(idx), idx.astype(np.int32), vals.astype(np.float64))


def _objective(h, cost: np.ndarray, offset: float = 0.0, maximise: bool = True) -> None:
    h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost.astype(np.float64))
    h.changeObjectiveOffset(offset)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)


def solve_direct(inst: Instance) -> tuple[Solution, float]:
    """(solution, build seconds) — the counterpart of build_model + solve_lexicographic."""
    p, n = inst.params, len(inst.ids)
    start = time.perf_counter()
    h = build_stage1(inst)
    build_seconds = time.perf_counter() - start
    inf = highspy.kHighsInf
    if p.time_limit_s:
        h.setOptionValue("time_limit", float(p.time_limit_s))
    h.setOptionValue("mip_rel_gap", p.mip_rel_gap)
    h.setOptionValue("mip_abs_gap", 1e-9)
    X, N = np.arange(n), n + np.arange(n)
    score = np.asarray(inst.score, float)
    stages: list[StageResult] = []

    r, cols = _run(h)
    stages.append(StageResult("max_total_score", r))
    if r.objective is None:
        return _empty(r.status, stages, n), build_seconds
    tol = SCORE_TOL * max(1.0, float(np.abs(score).max(initial=0.0)))
    _row(h, X, score, r.objective - tol, inf)                         # keep_score

    if p.spend_budget:
        hi = math.floor(p.cap_wan / p.step_wan + 1e-9)
        best = math.floor(p.budget_wan / p.step_wan + 1e-9) * p.step_wan
        k = int((cols[:n] > 0.5).sum())
        if k * hi * p.step_wan >= best - 1e-9:                        # the budget binds
            r = SolveResult("optimal", float(best), float(best), 0.0, 0.0)
            _row(h, X, np.ones(n), math.ceil(r.objective / (hi * p.step_wan) - 1e-9), inf)
        else:
            _objective(h, np.r_[np.zeros(n), np.full(n, p.step_wan)])
            r, got = _run(h, cols)
            if r.objective is not None:
                cols = got
                _row(h, N, np.full(n, p.step_wan), r.objective - 1e-6, inf)   # keep_spend
        stages.append(StageResult("max_total_award", r))
        if r.objective is None:
            return _empty(r.status, stages, n), build_seconds
    spend = r.objective if p.spend_budget else None

    batches, complete, r_ties = _tied_batches(h, n, cols, p.max_ties, p.tie_time_limit_s)
    stages.append(StageResult("list_tied_batches", r_ties))
    x, award, lam, dev, seconds = _apportion_each(batches, inst, spend)
    stages.append(StageResult("min_deviation_from_proportional", SolveResult(
        "optimal" if complete else "time_limit", dev, dev if complete else None,
        0.0 if complete else None, seconds)))
    batches.sort(key=lambda b: not np.array_equal(b, x))
    return Solution(status=overall_status(stages), stages=stages, designated=x, award_wan=award, lam=lam,
                    total_score=float(score[x].sum()), total_award_wan=float(award.sum()),
                    total_deviation_wan=dev,
                    alternatives=[np.flatnonzero(b).tolist() for b in batches],
                    ties_complete=complete), build_seconds


def _tied_batches(h, n: int, cols: np.ndarray, limit: int, time_limit: float):
    """selection.list_ties on the highspy model: the Hamming objective and no-good cuts as
    coefficient arrays."""
    X = np.arange(n)

    def hamming(b):            # Σ_{i∈b} (1 − x_i) + Σ_{i∉b} x_i  =  c·x + |b|
        return np.r_[np.where(b, -1.0, 1.0), np.zeros(n)], float(b.sum())

    def batch(r, got):
        return got[:n] > 0.5 if r.objective is not None else None

    def farthest(first):
        _objective(h, *hamming(first))
        r, got = _run(h, cols)
        return r, batch(r, got)

    cut = []   # batches already cut off

    def next_batch(found, time_left):
        if not cut:
            _objective(h, np.zeros(2 * n))
        for b in found[len(cut):]:
            c, off = hamming(b)
            _row(h, X, c[:n], 1.0 - off, highspy.kHighsInf)
            cut.append(b)
        h.setOptionValue("time_limit", time_left)
        r, got = _run(h)
        return r, batch(r, got)

    saved = h.getOptionValue("time_limit")[1]   # (status, value)
    try:
        return list_ties(cols[:n] > 0.5, farthest, next_batch, limit, time_limit)
    finally:
        h.setOptionValue("time_limit", saved)
