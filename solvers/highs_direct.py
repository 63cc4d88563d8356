"""HiGHS through highspy with no modelling layer: a model passed as numpy arrays, and the few
operations the lexicographic stages need on it — set an objective, add or delete a row, run
(from a starting solution if given). The rows themselves come from the selection model's rule
registry (model/selection/direct.py); this adapter knows nothing of them, so solvers/ does not
import model/.
"""

from __future__ import annotations

import math
import time

import highspy
import numpy as np

from fundalloc.solvers.highs import SolveResult

INF = highspy.kHighsInf

STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "time_limit",
}


def build(
    lower: np.ndarray,
    upper: np.ndarray,
    integer: np.ndarray,
    A,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    threads: int | None = None,
) -> highspy.Highs:
    """A Highs object holding the columns (bounds, integrality) and rows (CSR matrix `A`,
    bounds; ±inf for none), with a zero objective to maximise."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(lower), len(row_lower)
    lp.col_cost_ = np.zeros(len(lower))
    lp.col_lower_, lp.col_upper_ = lower, upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = A.indptr, A.indices
    lp.a_matrix_.value_ = A.data
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if k else highspy.HighsVarType.kContinuous for k in integer
    ]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if threads:
        h.setOptionValue("threads", threads)
    h.passModel(lp)
    return h


def run(h: highspy.Highs, warm: np.ndarray | None = None) -> tuple[SolveResult, np.ndarray | None]:
    """Solve; `warm` (all column values) is handed to HiGHS as a starting solution. Returns the
    result and the column values found (None if none)."""
    if warm is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(warm)
        sol.value_valid = True
        h.setSolution(sol)
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    status = STATUS.get(h.getModelStatus(), "error")
    info = h.getInfo()
    has = info.primal_solution_status == 2  # kSolutionStatusFeasible
    obj = info.objective_function_value if has else None
    bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
    gap = abs(bound - obj) / max(1.0, abs(obj)) if obj is not None and bound is not None else None
    cols = np.array(h.getSolution().col_value) if has else None
    return SolveResult(status, obj, bound, gap, seconds), cols


def add_row(h: highspy.Highs, idx: np.ndarray, vals: np.ndarray, lo: float, hi: float) -> None:
    h.addRow(lo, hi, len(idx), idx.astype(np.int32), vals.astype(np.float64))


def delete_row(h: highspy.Highs, row: int) -> None:
    h.deleteRows(1, np.array([row], dtype=np.int32))


def set_objective(
    h: highspy.Highs, cost: np.ndarray, offset: float = 0.0, maximise: bool = True
) -> None:
    h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost.astype(np.float64))
    h.changeObjectiveOffset(offset)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)


def time_limit(h: highspy.Highs) -> float:
    return float(h.getOptionValue("time_limit")[1])  # (status, value)
