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

Each stage is built over a box of amounts shrunk first (box.py: risk and order propagation,
and cuts that keep every optimum), which tightens every big-M and drops the rows that cannot
change; stage 2 of `closest` is a model of its own over the box the held scale leaves, started
from stage 1's amounts improved line by line (local_start).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from fundalloc.design.box import (
    Box,
    claim_range,
    clip,
    full_box,
    grid_up,
    published_cut,
    scale_cut,
    tighten,
)
from fundalloc.design.dominance import must_hold
from fundalloc.design.problem import Problem, claims_at, exceedances, order_pairs
from fundalloc.solvers import SolveResult, solve
from fundalloc.solvers.highs import make_solver


@dataclass
class Design:
    amounts: np.ndarray  # (L,)
    stages: list[dict] = field(default_factory=list)  # status, objective, bound, gap, seconds
    scale: float | None = None

    @property
    def optimal(self) -> bool:
        return all(s["status"] == "optimal" for s in self.stages)


def build(p: Problem, box: Box | None = None) -> pyo.ConcreteModel:
    """The model over `box` (the full grids when None): n_j steps for each linear line whose
    range is open, one binary z_v per cap of the platform's range, one binary u per row that
    can both keep and exceed its budget, with M = the most its claims reach over the box less
    the budget; rows that exceed whatever the amounts count in `forced`."""
    box = box or full_box(p)
    L, pj = len(p.lines), p.platform
    lin = [j for j in range(L) if j != pj and box.amin[j] < box.amax[j] - 1e-9]
    fixed = [j for j in range(L) if j != pj and j not in lin]
    grid = p.plat_grid
    caps = [v for v in range(len(grid)) if box.amin[pj] - 1e-9 <= grid[v] <= box.amax[pj] + 1e-9]
    m = pyo.ConcreteModel(name="fundalloc_design")
    n_lo = {j: round((box.amin[j] - p.lo[j]) / p.step) for j in lin}
    n_hi = {j: round((box.amax[j] - p.lo[j]) / p.step) for j in lin}
    m.n = pyo.Var(lin, domain=pyo.NonNegativeIntegers, bounds=lambda m, j: (n_lo[j], n_hi[j]))
    m.z = pyo.Var(caps, domain=pyo.Binary)
    m.one_cap = pyo.Constraint(expr=sum(m.z[v] for v in caps) == 1)

    def amount(j):
        if j == pj:
            return sum(float(grid[v]) * m.z[v] for v in caps)
        if j in m.n:
            return float(p.lo[j]) + p.step * m.n[j]
        return float(box.amin[j])

    m.amount = amount  # type: ignore[attr-defined]
    # claims = base + Σ_j C·(lo + step·n_j) + Σ_v plat_v z_v
    base = (p.cost[..., fixed] * box.amin[fixed]).sum(-1) + (p.cost[..., lin] * p.lo[lin]).sum(-1)
    slope = p.cost[..., lin] * p.step  # (R, Y, Q, |lin|)
    bottom, top = claim_range(p, box)
    budget = p.budget.T[None]  # (1, Y, Q)
    risky = (top > budget + 1e-6) & (bottom <= budget + 1e-6)
    forced = (bottom > budget + 1e-6).sum(axis=0)  # (Y, Q) exceed whatever the amounts
    hard = must_hold(p, box, risky, forced)  # dominated often enough: never over budget
    rows = [tuple(int(x) for x in idx) for idx in np.argwhere(risky & ~hard)]
    m.R = pyo.Set(initialize=rows, dimen=3)
    m.u = pyo.Var(m.R, domain=pyo.Binary)

    terms = [m.n[j] for j in lin] + [m.z[v] for v in caps]
    coefs = np.concatenate([slope, p.plat[..., caps]], axis=-1)  # (R, Y, Q, |lin| + |caps|)

    def claims(r, y, q):
        # built as one LinearExpression: Pyomo's `+` of each term made building and handing
        # the model to HiGHS most of the solve's time
        c = coefs[r, y, q]
        nz = np.flatnonzero(c)
        return LinearExpression(
            constant=float(base[r, y, q]),
            linear_coefs=c[nz].tolist(),
            linear_vars=[terms[i] for i in nz],
        )

    def within(m, r, y, q):
        big_m = float(top[r, y, q] - budget[0, y, q])
        return claims(r, y, q) <= float(budget[0, y, q]) + big_m * m.u[r, y, q]

    m.within = pyo.Constraint(m.R, rule=within)
    held = [tuple(int(x) for x in idx) for idx in np.argwhere(risky & hard)]
    m.held = pyo.Constraint(held, rule=lambda m, r, y, q: claims(r, y, q) <= float(budget[0, y, q]))
    cells = sorted({(y, q) for _, y, q in rows} | set(map(tuple, np.argwhere(forced > 0))))
    by_cell: dict = {c: [] for c in cells}
    for r, y, q in rows:
        by_cell[(y, q)].append(m.u[r, y, q])
    broken = []  # rows left with no variable that cannot hold

    def row(expr):
        if isinstance(expr, bool | np.bool_):
            if not expr:
                broken.append(1)
            return pyo.Constraint.Skip
        return expr

    m.risk = pyo.Constraint(
        cells, rule=lambda m, y, q: row(sum(by_cell[(y, q)]) <= p.allowed - int(forced[y, q]))
    )
    gap = p.step if p.strict else 0.0
    pairs = [(a, b) for a, b in order_pairs(p.lines) if p.decided[a] or p.decided[b]]
    m.order = pyo.Constraint(range(len(pairs)), rule=lambda m, i: row(_order(m, pairs[i], gap)))
    if broken:  # more forced exceedances than allowed, or fixed ends out of order: infeasible
        m.impossible = pyo.Constraint(expr=sum(m.z[v] for v in caps) <= 0)
    # |a_j − published_j| in steps: an integer when every amount and published amount lie on
    # one grid of `step`, so HiGHS sees an integral objective and proves the least deviation
    # as soon as its bound is within one step (not only at a zero gap)
    lattice = on_lattice(p)
    unit = p.step if lattice else 1.0
    kind = pyo.NonNegativeIntegers if lattice else pyo.NonNegativeReals
    m.unit = unit  # type: ignore[attr-defined]
    m.dev = pyo.Var(range(L), domain=kind)
    m.dev_up = pyo.Constraint(
        range(L), rule=lambda m, j: unit * m.dev[j] >= amount(j) - p.published[j]
    )
    m.dev_dn = pyo.Constraint(
        range(L), rule=lambda m, j: unit * m.dev[j] >= p.published[j] - amount(j)
    )
    m.forced = forced  # type: ignore[attr-defined]
    m.rows = rows  # type: ignore[attr-defined]
    m.box = box  # type: ignore[attr-defined]
    return m


def on_lattice(p: Problem) -> bool:
    """Every amount a line can take, less its published amount, is a whole number of steps."""

    def whole(x) -> bool:
        return bool(
            np.all(np.abs(np.asarray(x) / p.step - np.round(np.asarray(x) / p.step)) < 1e-9)
        )

    return whole(p.lo - p.published) and whole(p.plat_grid - p.published[p.platform])


def _order(m, pair, gap):
    lower, higher = (m.amount(j) for j in pair)  # at least one side is decided
    if isinstance(lower, float) and isinstance(higher, float):  # both fixed by the box
        return lower + gap <= higher + 1e-9
    return lower + gap <= higher


def _scaled_rows(m, p: Problem, lower: float) -> None:
    """s ∈ [lower, largest ratio the box allows], every amount ≥ s × its published amount."""
    decided = [j for j in np.flatnonzero(p.decided) if p.published[j] > 0]
    s_max = min((m.box.amax[j] / p.published[j] for j in decided), default=0.0)
    m.s = pyo.Var(bounds=(min(lower, s_max), s_max))
    m.scaled = pyo.Constraint(decided, rule=lambda m, j: m.amount(j) >= m.s * float(p.published[j]))


def solve_design(p: Problem) -> Design:
    """Stage 1 (the objective) then stage 2 (least deviation), each proven optimal or stopped by
    the time limit with its gap reported; HiGHS starts from heuristic_start when there is one.
    The boxes only drop amounts no optimum takes (box.py), so "optimal" is the full model's."""
    start = heuristic_start(p)
    closest = p.objective == "closest"
    box = full_box(p)
    if closest and start is not None:  # the optimum's scale is at least the start's
        box = scale_cut(p, box, scale_of(p, start))
    box = tighten(p, box) or full_box(p)  # None: let HiGHS prove it infeasible
    m = build(p, box)
    L = len(p.lines)
    stages: list[dict] = []
    if closest:
        _scaled_rows(m, p, 0.0)
        first = m.s
    else:
        assert p.value is not None
        decided = np.flatnonzero(p.decided)
        first = sum(float(p.value[j]) * m.amount(j) for j in decided if p.value[j])
    m.obj1 = pyo.Objective(expr=first, sense=pyo.maximize)
    warm = start is not None and box.contains(start)
    if warm and start is not None:
        _warm(m, p, start)
    solver = make_solver(time_limit=p.time_limit)
    res = solve(m, solver, warm_start=warm)
    stages.append(_stage("objective", res))
    if res.objective is None:
        return Design(p.lo.copy(), stages)
    best = float(pyo.value(first))
    tol = 1e-7 * max(1.0, abs(best))
    one = _amounts(m, L)
    if closest:
        # a model of its own over what the held scale leaves: tighter rows, fewer binaries
        box2 = scale_cut(p, box, best - tol)
        box2 = tighten(p, box2) or box
        if not p.strict:
            box2 = published_cut(p, box2) or box2
        m = build(p, box2)
        _scaled_rows(m, p, best - tol)
        begin = local_start(p, box2, clip(box2, one))
        solver = make_solver(time_limit=p.time_limit)
    else:  # the same persistent model: only a row and the objective change
        m.obj1.deactivate()
        m.hold = pyo.Constraint(expr=first >= best - tol)
        begin = one
    m.obj2 = pyo.Objective(expr=sum(m.unit * m.dev[j] for j in range(L)), sense=pyo.minimize)
    if begin is not None:
        _warm(m, p, begin)
    res2 = solve(m, solver, warm_start=begin is not None)
    stages.append(_stage("deviation", res2))
    amounts = np.round(_amounts(m, L), 9) if res2.objective is not None else one
    scale = scale_of(p, amounts) if closest else None
    return Design(amounts, stages, scale)


def _amounts(m, L: int) -> np.ndarray:
    return np.array([float(pyo.value(m.amount(j))) for j in range(L)])


def scale_of(p: Problem, a: np.ndarray) -> float:
    """The common scale of amounts a: the least ratio to the published amount."""
    d = [j for j in np.flatnonzero(p.decided) if p.published[j] > 0]
    return float(min((a[j] / p.published[j] for j in d), default=0.0))


def scaled(p: Problem, s: float) -> np.ndarray:
    """The amounts s × published rounded up to the grid (fixed lines as they are)."""
    a = p.lo.copy()
    for j in map(int, np.flatnonzero(p.decided)):
        a[j] = grid_up(p, j, s * p.published[j])
    return a


def feasible(p: Problem, a: np.ndarray) -> bool:
    gap = p.step if p.strict else 0.0
    if any(a[lo] + gap > a[hi] + 1e-9 for lo, hi in order_pairs(p.lines)):
        return False
    return bool((exceedances(p, a) <= p.allowed).all())


def heuristic_start(p: Problem) -> np.ndarray | None:
    """A feasible starting point for HiGHS: the largest s (by bisection) whose s × published,
    rounded up to the grid, keeps the risk; None if not even the smallest amounts do."""
    tops = [p.lo[j] + p.step * p.steps[j] for j in range(len(p.lines))]
    tops[p.platform] = float(p.plat_grid.max())
    lo_s = 0.0
    hi_s = max(tops[j] / p.published[j] for j in range(len(p.lines)) if p.published[j] > 0)
    if not feasible(p, scaled(p, lo_s)):
        return None
    for _ in range(40):
        mid = (lo_s + hi_s) / 2
        lo_s, hi_s = (mid, hi_s) if feasible(p, scaled(p, mid)) else (lo_s, mid)
    return scaled(p, lo_s)


def local_start(p: Problem, box: Box, a: np.ndarray) -> np.ndarray | None:
    """Stage 2's start: from feasible amounts a, raise a line below its published amount by one
    step while that keeps the risk and the orders, the largest deviation first, until none can
    (None when a itself is not feasible)."""
    if not feasible(p, a):
        return None
    a = a.copy()
    moved = True
    while moved:
        moved = False
        for j in sorted(map(int, np.flatnonzero(p.decided)), key=lambda j: a[j] - p.published[j]):
            if a[j] >= p.published[j] - 1e-9:
                continue
            up = grid_up(p, j, a[j] + 1e-6)
            if (
                up <= a[j]
                or up > box.amax[j] + 1e-9
                or abs(up - p.published[j]) >= p.published[j] - a[j]
            ):
                continue
            b = a.copy()
            b[j] = up
            if feasible(p, b):
                a, moved = b, True
    return a


def _warm(m, p: Problem, start: np.ndarray) -> None:
    for j in m.n:
        m.n[j].value = int(round((start[j] - p.lo[j]) / p.step))
    v = int(np.argmin(np.abs(p.plat_grid - start[p.platform])))
    for k in m.z:
        m.z[k].value = 1 if k == v else 0
    over = claims_at(p, start) > p.budget.T[None] + 1e-6
    for r, y, q in m.rows:
        m.u[r, y, q].value = int(over[r, y, q])
    for j in m.dev:
        m.dev[j].value = abs(float(start[j]) - float(p.published[j])) / m.unit
    if hasattr(m, "s"):
        lo, hi = m.s.bounds
        m.s.value = min(max(scale_of(p, start), lo), hi)


def _stage(name: str, res: SolveResult) -> dict:
    return {
        "stage": name,
        "status": res.status,
        "objective": res.objective,
        "bound": res.bound,
        "gap": res.mip_gap,
        "seconds": round(res.seconds, 3),
    }
