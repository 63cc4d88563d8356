"""HiGHS through Pyomo's persistent interface (pyomo.contrib.solver), so lexicographic stages
re-solve the same model without rebuilding it."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs


@dataclass
class SolveResult:
    status: str            # optimal | infeasible | time_limit | error
    objective: float | None
    bound: float | None
    mip_gap: float | None  # relative gap |bound - objective| / max(1, |objective|)
    seconds: float

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def make_solver(time_limit: float | None = None, mip_rel_gap: float = 0.0,
                threads: int | None = None) -> Highs:
    solver = Highs()
    solver.config.load_solutions = False
    solver.config.raise_exception_on_nonoptimal_result = False
    if time_limit:
        solver.config.time_limit = float(time_limit)
    # Gap 0 by default: "optimal" in a report means proven, not "within 0.01 %".
    solver.config.rel_gap = mip_rel_gap
    solver.config.abs_gap = 1e-9
    if threads:
        solver.config.threads = threads
    return solver


def solve(model, solver: Highs | None = None) -> SolveResult:
    solver = solver or make_solver()
    start = time.perf_counter()
    res = solver.solve(model)
    seconds = time.perf_counter() - start
    tc, ss = res.termination_condition, res.solution_status
    if tc == TerminationCondition.convergenceCriteriaSatisfied:
        status = "optimal"
    elif tc in (TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible,
                TerminationCondition.infeasibleOrUnbounded):
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
