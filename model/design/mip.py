"""The chance-constrained design model (sample average approximation), in Pyomo, solved by
HiGHS through fundalloc.solvers.

Decision: an integer number of steps n_j per linear line (amount = min_j + step·n_j); the
platform cap, whose claims are not linear in it, as one binary per cap of its grid. Risk: in
every pay year y (and for every payer q) the claims of replication r exceed the budget only
when u[r,y,q] = 1, with Σ_r u ≤ ⌊α·R⌋. The big-M of each row is the largest claims that row
can reach over the box of amounts less the budget, so a row that can never exceed needs no
binary and a row that always exceeds counts as a fixed exceedance.

Objectives, lexicographic: (1) `closest` the largest common scale factor s (every amount at
least s × its published amount), `induced` / `deadweight` a linear value per 万 of each line;
(2) with (1) held at its optimum, the least total deviation |amount − published| in 万.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo

from fundalloc.design.lines import Line
from fundalloc.solvers import SolveResult, solve
from fundalloc.solvers.highs import make_solver


@dataclass
class Problem:
    lines: list[Line]
    decided: np.ndarray  # (L,) bool
    lo: np.ndarray  # (L,) smallest amount (decided lines) or the fixed amount
    steps: np.ndarray  # (L,) int, largest n_j (0 for fixed lines)
    step: float
    cost: np.ndarray  # (R, Y, Q, L) claims per 万 (platform column unused)
    plat: np.ndarray  # (R, Y, Q, V) platform claims at each cap of plat_grid
    plat_grid: np.ndarray  # (V,) caps the platform line may take
    budget: np.ndarray  # (Q, Y) 万, inf = none
    alpha: float
    published: np.ndarray  # (L,)
    objective: str = "closest"
    value: np.ndarray | None = None  # (L,) objective value per 万 (induced / deadweight)
    strict: bool = False  # order constraints by at least one step
    time_limit: float = 120.0
    risk_count: str = "floor"  # floor: ⌊α·R⌋; binomial: with a sampling margin
    payers: tuple[str, ...] = ("all",)  # (Q,) the budget rows: "all", or each payer's own

    @property
    def runs(self) -> int:
        return self.cost.shape[0]

    @property
    def allowed(self) -> int:
        return allowed_count(self.runs, self.alpha, self.risk_count)

    @property
    def platform(self) -> int:
        return next(j for j, ln in enumerate(self.lines) if ln.award == "platform")


def allowed_count(runs: int, alpha: float, rule: str = "floor") -> int:
    """Replications that may exceed a year's budget. `binomial`: the largest k with
    P[Binomial(R, α) ≤ k] ≤ 5 %, so a schedule whose true risk is α rarely passes (0 if none)."""
    if rule == "floor":
        return math.floor(alpha * runs + 1e-9)
    from scipy.stats import binom

    k = int(binom.ppf(0.05, runs, alpha))
    while k >= 0 and binom.cdf(k, runs, alpha) > 0.05:
        k -= 1
    return max(k, 0)


@dataclass
class Design:
    amounts: np.ndarray  # (L,)
    stages: list[dict] = field(default_factory=list)  # status, objective, bound, gap, seconds
    scale: float | None = None

    @property
    def optimal(self) -> bool:
        return all(s["status"] == "optimal" for s in self.stages)


def claims_at(p: Problem, amounts: np.ndarray) -> np.ndarray:
    """(R, Y, Q) claims of every replication at `amounts` (the model's own arithmetic)."""
    lin = np.array([ln.award != "platform" for ln in p.lines])
    v = int(np.argmin(np.abs(p.plat_grid - amounts[p.platform])))
    return (p.cost[..., lin] * amounts[lin]).sum(-1) + p.plat[..., v]


def exceedances(p: Problem, amounts: np.ndarray) -> np.ndarray:
    """(Y, Q) replications whose claims exceed the budget."""
    return (claims_at(p, amounts) > p.budget.T[None] + 1e-6).sum(axis=0)


def order_pairs(lines: list[Line]) -> list[tuple[int, int]]:
    """(lower, higher): tiers of a sector rise, recognition levels rise (就高不重复)."""
    out = []
    for j, a in enumerate(lines):
        for k, b in enumerate(lines):
            if a.award == b.award and a.group == b.group and a.award != "growth":
                if a.award != "platform" and b.rank == a.rank + 1:
                    out.append((j, k))
    return out


def build(p: Problem) -> pyo.ConcreteModel:
    R, Y, Q, L = p.cost.shape
    lin = [j for j in range(L) if p.decided[j] and p.lines[j].award != "platform"]
    fixed_lin = [j for j in range(L) if not p.decided[j] and p.lines[j].award != "platform"]
    m = pyo.ConcreteModel(name="fundalloc_design")
    m.n = pyo.Var(lin, domain=pyo.NonNegativeIntegers, bounds=lambda m, j: (0, int(p.steps[j])))
    V = len(p.plat_grid)
    m.z = pyo.Var(range(V), domain=pyo.Binary)
    m.one_cap = pyo.Constraint(expr=sum(m.z[v] for v in range(V)) == 1)
    pj = p.platform

    def amount(j):
        if j == pj:
            return sum(float(p.plat_grid[v]) * m.z[v] for v in range(V))
        if j in m.n:
            return float(p.lo[j]) + p.step * m.n[j]
        return float(p.lo[j])

    m.amount = amount  # type: ignore[attr-defined]
    # claims = const + Σ_j C·step·n_j + Σ_v plat_v z_v
    base = (p.cost[..., lin] * p.lo[lin]).sum(-1) + (p.cost[..., fixed_lin] * p.lo[fixed_lin]).sum(
        -1
    )
    slope = p.cost[..., lin] * p.step  # (R, Y, Q, |lin|)
    span = slope * p.steps[lin]
    top = base + np.maximum(span, 0).sum(-1) + p.plat.max(-1)
    bottom = base + np.minimum(span, 0).sum(-1) + p.plat.min(-1)
    budget = p.budget.T[None]  # (1, Y, Q)
    risky = (top > budget + 1e-6) & (bottom <= budget + 1e-6)
    forced = (bottom > budget + 1e-6).sum(axis=0)  # (Y, Q) exceed whatever the amounts
    rows = [tuple(int(x) for x in idx) for idx in np.argwhere(risky)]
    m.R = pyo.Set(initialize=rows, dimen=3)
    m.u = pyo.Var(m.R, domain=pyo.Binary)

    def within(m, r, y, q):
        expr = float(base[r, y, q]) + sum(
            float(slope[r, y, q, i]) * m.n[j] for i, j in enumerate(lin) if slope[r, y, q, i]
        )
        expr += sum(float(p.plat[r, y, q, v]) * m.z[v] for v in range(V) if p.plat[r, y, q, v])
        big_m = float(top[r, y, q] - budget[0, y, q])
        return expr <= float(budget[0, y, q]) + big_m * m.u[r, y, q]

    m.within = pyo.Constraint(m.R, rule=within)
    cells = sorted({(y, q) for _, y, q in rows})
    m.risk = pyo.Constraint(
        cells,
        rule=lambda m, y, q: (
            sum(m.u[r, yy, qq] for r, yy, qq in rows if (yy, qq) == (y, q))
            <= p.allowed - int(forced[y, q])
        ),
    )
    gap = p.step if p.strict else 0.0
    pairs = [(a, b) for a, b in order_pairs(p.lines) if p.decided[a] or p.decided[b]]
    m.order = pyo.Constraint(range(len(pairs)), rule=lambda m, i: _order(m, pairs[i], gap))
    m.dev = pyo.Var(range(L), domain=pyo.NonNegativeReals)
    m.dev_up = pyo.Constraint(range(L), rule=lambda m, j: m.dev[j] >= amount(j) - p.published[j])
    m.dev_dn = pyo.Constraint(range(L), rule=lambda m, j: m.dev[j] >= p.published[j] - amount(j))
    m.forced = forced  # type: ignore[attr-defined]
    m.rows = rows  # type: ignore[attr-defined]
    return m


def _order(m, pair, gap):
    lower, higher = (m.amount(j) for j in pair)  # at least one side is decided
    return lower + gap <= higher


def solve_design(p: Problem) -> Design:
    """Stage 1 (the objective) then stage 2 (least deviation), each proven optimal or stopped by
    the time limit with its gap reported; HiGHS starts from heuristic_start when there is one."""
    start = heuristic_start(p)
    m = build(p)
    L = len(p.lines)
    decided = [j for j in range(L) if p.decided[j]]
    stages: list[dict] = []
    if p.objective == "closest":
        s_max = min((_top(p, j) / p.published[j] for j in decided if p.published[j] > 0), default=0)
        m.s = pyo.Var(bounds=(0.0, s_max))
        m.scaled = pyo.Constraint(
            [j for j in decided if p.published[j] > 0],
            rule=lambda m, j: m.amount(j) >= m.s * float(p.published[j]),
        )
        first = m.s
    else:
        assert p.value is not None
        first = sum(float(p.value[j]) * m.amount(j) for j in decided if p.value[j])
    m.obj1 = pyo.Objective(expr=first, sense=pyo.maximize)
    if start is not None:
        _warm(m, p, start)
    # one persistent solver for both stages: stage 2 only adds a row and swaps the objective
    solver = make_solver(time_limit=p.time_limit)
    res = solve(m, solver, warm_start=start is not None)
    stages.append(_stage("objective", res))
    if res.objective is None:
        return Design(p.lo.copy(), stages)
    best = float(pyo.value(first))
    m.obj1.deactivate()
    tol = 1e-7 * max(1.0, abs(best))
    m.hold = pyo.Constraint(expr=first >= best - tol)
    m.obj2 = pyo.Objective(expr=sum(m.dev[j] for j in range(L)), sense=pyo.minimize)
    res2 = solve(m, solver, warm_start=True)
    stages.append(_stage("deviation", res2))
    amounts = np.array([float(pyo.value(m.amount(j))) for j in range(L)])
    amounts = np.round(amounts, 9)
    scale = float(pyo.value(m.s)) if p.objective == "closest" else None
    return Design(amounts, stages, scale)


def _top(p: Problem, j: int) -> float:
    if j == p.platform:
        return float(p.plat_grid.max())
    return float(p.lo[j] + p.step * p.steps[j])


def scaled(p: Problem, s: float) -> np.ndarray:
    """The amounts s × published rounded up to the grid (fixed lines as they are)."""
    a = p.lo.copy()
    for j in np.flatnonzero(p.decided):
        want = s * p.published[j]
        if j == p.platform:
            ok = p.plat_grid[p.plat_grid >= want - 1e-9]
            a[j] = ok.min() if len(ok) else p.plat_grid.max()
        else:
            n = math.ceil(max(want - p.lo[j], 0.0) / p.step - 1e-9)
            a[j] = p.lo[j] + p.step * min(n, int(p.steps[j]))
    return a


def feasible(p: Problem, a: np.ndarray) -> bool:
    gap = p.step if p.strict else 0.0
    if any(a[lo] + gap > a[hi] + 1e-9 for lo, hi in order_pairs(p.lines)):
        return False
    return bool((exceedances(p, a) <= p.allowed).all())


def heuristic_start(p: Problem) -> np.ndarray | None:
    """A feasible starting point for HiGHS: the largest s (by bisection) whose s × published,
    rounded up to the grid, keeps the risk; None if not even the smallest amounts do."""
    lo_s, hi_s = (
        0.0,
        max(_top(p, j) / p.published[j] for j in range(len(p.lines)) if p.published[j] > 0),
    )
    if not feasible(p, scaled(p, lo_s)):
        return None
    for _ in range(40):
        mid = (lo_s + hi_s) / 2
        lo_s, hi_s = (mid, hi_s) if feasible(p, scaled(p, mid)) else (lo_s, mid)
    return scaled(p, lo_s)


def _warm(m, p: Problem, start: np.ndarray) -> None:
    for j in m.n:
        m.n[j].value = int(round((start[j] - p.lo[j]) / p.step))
    v = int(np.argmin(np.abs(p.plat_grid - start[p.platform])))
    for k in m.z:
        m.z[k].value = 1 if k == v else 0
    over = claims_at(p, start) > p.budget.T[None] + 1e-6
    for r, y, q in m.rows:
        m.u[r, y, q].value = int(over[r, y, q])
    if hasattr(m, "s"):
        ratios = [start[j] / p.published[j] for j in m.scaled]
        m.s.value = min(ratios) if ratios else 0.0


def _stage(name: str, res: SolveResult) -> dict:
    return {
        "stage": name,
        "status": res.status,
        "objective": res.objective,
        "bound": res.bound,
        "gap": res.mip_gap,
        "seconds": round(res.seconds, 3),
    }
