"""HiGHS through Pyomo's persistent interface (pyomo.contrib.solver), so lexicographic stages
re-solve the same model without rebuilding it."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs


class WarmHighs(Highs):
    """Pyomo's persistent HiGHS, able to hand HiGHS the current variable values as a starting
    solution. Lexicographic stages re-solve from a known-feasible point: with it HiGHS need
    not search for an incumbent and can stop as soon as its root bound matches."""

    warm_start = False

    def _solve(self):
        if self.warm_start:
            cols, vals = [], []
            for v_id, col in self._pyomo_var_to_solver_var_map.items():
                value = self._vars[v_id][0].value
                if value is not None:
                    cols.append(col)
                    vals.append(float(value))
            if cols:
                self._solver_model.setSolution(
                    len(cols), np.array(cols, dtype=np.int32), np.array(vals, dtype=np.float64)
                )
        return super()._solve()


@dataclass
class SolveResult:
    status: str  # optimal | infeasible | time_limit | error
    objective: float | None
    bound: float | None
    mip_gap: float | None  # relative gap |bound - objective| / max(1, |objective|)
    seconds: float

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def make_solver(
    time_limit: float | None = None, mip_rel_gap: float = 0.0, threads: int | None = None
) -> WarmHighs:
    solver = WarmHighs()
    solver.config.load_solutions = False
    solver.config.raise_exception_on_nonoptimal_result = False
    if time_limit:
        solver.config.time_limit = float(time_limit)
    # Gap 0 by default: "optimal" in a report means proven, not "within 0.01 %".
    solver.config.rel_gap = mip_rel_gap
    solver.config.abs_gap = 1e-9
    if threads:
        solver.config.threads = threads
    # Between lexicographic stages we only add constraints and swap objectives; variables,
    # bounds and existing rows never change, so skip Pyomo's per-solve rescans of them.
    updates = solver.config.auto_updates
    updates.check_for_new_or_removed_vars = False
    updates.update_vars = False
    updates.update_constraints = False
    updates.update_parameters = False
    updates.update_named_expressions = False
    return solver


def solve(model, solver: WarmHighs | None = None, warm_start: bool = False) -> SolveResult:
    """Solve; with `warm_start`, the model's current variable values are the starting point."""
    solver = solver or make_solver()
    start = time.perf_counter()
    solver.warm_start = warm_start
    try:
        res = solver.solve(model)
    finally:
        solver.warm_start = False
    seconds = time.perf_counter() - start
    tc, ss = res.termination_condition, res.solution_status
    if tc == TerminationCondition.convergenceCriteriaSatisfied:
        status = "optimal"
    elif tc in (
        TerminationCondition.provenInfeasible,
        TerminationCondition.locallyInfeasible,
        TerminationCondition.infeasibleOrUnbounded,
    ):
        status = "infeasible"
    elif tc in (TerminationCondition.maxTimeLimit, TerminationCondition.iterationLimit):
        status = "time_limit"
    else:
        status = "error"
    has_solution = ss in (SolutionStatus.optimal, SolutionStatus.feasible)
    if has_solution:
        res.solution_loader.load_vars()
    obj = res.incumbent_objective if has_solution else None
    bound = res.objective_bound
    gap = None
    if obj is not None and bound is not None and math.isfinite(bound):
        gap = abs(bound - obj) / max(1.0, abs(obj))
    return SolveResult(status, obj, bound, gap, seconds)
