"""The selection MIP (DESIGN.md "The selection model"): which applicants to designate and how much
each one's one-time award is. Build (Pyomo) is separate from solving (solvers/) and from data
(model/applicants.py); constraint names say what they mean and are the units of the
infeasibility explanation (model/infeasibility.py).

Lexicographic objective, solved in stages on one persistent model:
  1. maximise the total assessment score of the designated;
  2. (spend_budget) keeping that score, maximise the money awarded (≤ budget);
  3. keeping both, minimise Σ|award_i − λ·f_i|, the deviation from awards proportional to the
     factor index f_i (one common λ; y_i = λ·x_i linearised exactly by McCormick, x binary).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo

from fundalloc.solvers import SolveResult, solve
from fundalloc.solvers.highs import make_solver

from fundalloc.inputs.applicants import FACTORS
from fundalloc.rules.henan import REGION_NAMES, REGIONS
from fundalloc.selection.params import SelectionParams

# Batches whose total score is within this absolute tolerance (× the largest score) of the best
# are treated as tied: HiGHS's own feasibility tolerances are absolute, near 1e-7.
SCORE_TOL = 1e-6
# Above this many eligible applicants, tied batches that could not all be listed are not handed
# to the deviation MIP (it proves rounding optima slowly at scale); see solve_lexicographic.
MIP_DEVIATION_MAX_N = 200


def factor_index(factors: np.ndarray, eligible: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    """f_i = Σ_k w_k · factor_ik / mean of factor k over eligible applicants (scale-free)."""
    base = factors[eligible] if eligible.any() else factors
    means = base.mean(axis=0)
    w = np.array([weights[f] for f in FACTORS])
    return (factors / means) @ w


@dataclass
class Instance:
    """Everything the MIP needs, as plain arrays (eligible applicants only)."""

    ids: list[str]
    city: list[str]
    region: list[str]
    score: np.ndarray
    f: np.ndarray
    pinned: list[str]
    params: SelectionParams
    names: list[str] = field(default_factory=list)
    # The rule set's regional groups (Henan's five by default) and their display names.
    regions: tuple[str, ...] = REGIONS
    region_names: dict[str, str] = field(default_factory=lambda: dict(REGION_NAMES))


def build_model(inst: Instance, m=None) -> pyo.ConcreteModel:
    """The selection model of one batch, on a new model or on a given block `m` (the
    multi-batch programme builds one block per year, model/programme.py)."""
    p = inst.params
    n = len(inst.ids)
    if m is None:
        m = pyo.ConcreteModel(name="fundalloc_selection")
    m.I = pyo.RangeSet(0, n - 1) if n else pyo.Set(initialize=[])
    I = list(range(n))
    m.x = pyo.Var(m.I, domain=pyo.Binary, doc="designate applicant i")

    if p.award_mode == "proportional":
        lo = math.ceil(p.floor_wan / p.step_wan - 1e-9)
        hi = math.floor(p.cap_wan / p.step_wan + 1e-9)
        m.n = pyo.Var(m.I, domain=pyo.NonNegativeIntegers, bounds=(0, max(hi, 0)))
        m.award = pyo.Expression(m.I, rule=lambda m, i: p.step_wan * m.n[i])
        m.award_floor = pyo.Constraint(m.I, rule=lambda m, i: m.n[i] >= lo * m.x[i])
        m.award_cap = pyo.Constraint(m.I, rule=lambda m, i: m.n[i] <= hi * m.x[i])
    else:
        _build_tiers(m, inst)

    m.budget = pyo.Constraint(expr=sum(m.award[i] for i in I) <= p.budget_wan)
    m.batch_min = pyo.Constraint(expr=sum(m.x[i] for i in I) >= p.batch_min)
    m.batch_max = pyo.Constraint(expr=sum(m.x[i] for i in I) <= p.batch_max)

    cities = sorted(set(inst.city))
    members = {c: [i for i in I if inst.city[i] == c] for c in cities}
    crowded = [c for c in cities if len(members[c]) > p.city_max]  # others cannot bind
    m.city_max = pyo.Constraint(crowded, rule=lambda m, c: sum(m.x[i] for i in members[c])
                                <= p.city_max)
    groups = {g: [i for i in I if inst.region[i] == g] for g in inst.regions}
    mins = [g for g in inst.regions if p.region_min.get(g, 0) > 0]
    maxs = [g for g in inst.regions if g in p.region_max and p.region_max[g] < len(groups[g])]
    # A fixed zero keeps "at least r in a group with no eligible applicant" a real (infeasible)
    # constraint, so the infeasibility explanation can name it like any other rule.
    m.none_eligible = pyo.Var(bounds=(0, 0))
    m.region_min = pyo.Constraint(mins, rule=lambda m, g: m.none_eligible + sum(
        m.x[i] for i in groups[g]) >= p.region_min[g])
    m.region_max = pyo.Constraint(maxs, rule=lambda m, g: sum(m.x[i] for i in groups[g])
                                  <= p.region_max[g])
    # covered[g] ≤ Σ_{i∈g} x_i: a group counts as covered only if someone in it is designated
    # (a group with no eligible applicant gets covered[g] ≤ none_eligible = 0).
    k_cov = int(p.groups_covered_min)
    cov = list(inst.regions) if k_cov > 0 else []
    m.covered = pyo.Var(cov, domain=pyo.Binary)
    m.covered_link = pyo.Constraint(cov, rule=lambda m, g: m.covered[g] <= m.none_eligible + sum(
        m.x[i] for i in groups[g]))
    m.groups_covered_min = pyo.Constraint([0] if k_cov > 0 else [], rule=lambda m, _: sum(
        m.covered[g] for g in cov) >= k_cov)
    pin_in = [i for i in I if inst.pinned[i] == "in"]
    pin_out = [i for i in I if inst.pinned[i] == "out"]
    m.pinned_in = pyo.Constraint(pin_in, rule=lambda m, i: m.x[i] == 1)
    m.pinned_out = pyo.Constraint(pin_out, rule=lambda m, i: m.x[i] == 0)

    m.total_score = pyo.Expression(expr=sum(float(inst.score[i]) * m.x[i] for i in I))
    m.total_award = pyo.Expression(expr=sum(m.award[i] for i in I))
    return m


def add_deviation(m: pyo.ConcreteModel, inst: Instance) -> None:
    """Proportional sizing as MIP rows: award_i ≈ λ·f_i for the designated, y_i = λ·x_i exactly
    (McCormick, x binary). Added only when stage 3 runs as a MIP (tiers, or many tied batches):
    in proportional mode the exact apportionment of model/apportion.py is far faster."""
    p, f, n = inst.params, inst.f, len(inst.ids)
    lam_max = (p.cap_wan / f.min()) if n and f.min() > 0 else p.cap_wan
    m.lam = pyo.Var(bounds=(0, lam_max), doc="万 per unit of factor index")
    m.y = pyo.Var(m.I, bounds=(0, lam_max))
    m.y_le_x = pyo.Constraint(m.I, rule=lambda m, i: m.y[i] <= lam_max * m.x[i])
    m.y_le_lam = pyo.Constraint(m.I, rule=lambda m, i: m.y[i] <= m.lam)
    m.y_ge = pyo.Constraint(m.I, rule=lambda m, i: m.y[i] >= m.lam - lam_max * (1 - m.x[i]))
    m.dev = pyo.Var(m.I, domain=pyo.NonNegativeReals)
    m.dev_above = pyo.Constraint(m.I, rule=lambda m, i: m.dev[i] >= m.award[i] - f[i] * m.y[i])
    m.dev_below = pyo.Constraint(m.I, rule=lambda m, i: m.dev[i] >= f[i] * m.y[i] - m.award[i])

    m.total_deviation = pyo.Expression(expr=sum(m.dev[i] for i in m.I))


def _build_tiers(m, inst: Instance) -> None:
    """Awards from a tier list, monotone in f: a designated applicant with a larger factor index
    never gets a smaller tier. v[i,t] is applicant i's 'level ≥ tier t' whether designated or
    not; chaining v along f-order makes monotonicity O(n·T) instead of pairwise O(n²)."""
    p = inst.params
    tiers = sorted(set(float(t) for t in p.tiers_wan))
    n = len(inst.ids)
    T = list(range(1, len(tiers)))
    m.v = pyo.Var(m.I, T, domain=pyo.Binary)
    m.u = pyo.Var(m.I, T, domain=pyo.Binary)
    m.award = pyo.Expression(m.I, rule=lambda m, i: tiers[0] * m.x[i] + sum(
        (tiers[t] - tiers[t - 1]) * m.u[i, t] for t in T))
    m.tier_nested = pyo.Constraint(m.I, T[1:], rule=lambda m, i, t: m.v[i, t] <= m.v[i, t - 1])
    order = sorted(range(n), key=lambda i: inst.f[i])
    pairs = list(zip(order[:-1], order[1:]))

    def monotone(m, k, t):
        a, b = pairs[k]
        if math.isclose(inst.f[a], inst.f[b], rel_tol=1e-12):
            return m.v[a, t] == m.v[b, t]
        return m.v[a, t] <= m.v[b, t]

    m.tier_monotone = pyo.Constraint(range(len(pairs)), T, rule=monotone)
    m.u_le_v = pyo.Constraint(m.I, T, rule=lambda m, i, t: m.u[i, t] <= m.v[i, t])
    m.u_le_x = pyo.Constraint(m.I, T, rule=lambda m, i, t: m.u[i, t] <= m.x[i])
    m.u_ge = pyo.Constraint(m.I, T, rule=lambda m, i, t: m.u[i, t] >= m.v[i, t] + m.x[i] - 1)
    # Floor and cap as in proportional mode: tiers outside [floor, cap] cannot be chosen.
    m.award_floor = pyo.Constraint(m.I, rule=lambda m, i: m.award[i] >= p.floor_wan * m.x[i])
    m.award_cap = pyo.Constraint(m.I, rule=lambda m, i: m.award[i] <= p.cap_wan * m.x[i])


@dataclass
class StageResult:
    name: str
    result: SolveResult


@dataclass
class Solution:
    status: str                      # optimal | infeasible | time_limit | error
    stages: list[StageResult]
    designated: np.ndarray           # bool over the instance's (eligible) applicants
    award_wan: np.ndarray
    lam: float | None
    total_score: float | None
    total_award_wan: float | None
    total_deviation_wan: float | None
    # Batches as good as the chosen one on score and spending (chosen first), as index lists;
    # `ties_complete` says whether that list is all of them.
    alternatives: list[list[int]] = field(default_factory=list)
    ties_complete: bool = False

    @property
    def mip_gap(self) -> float | None:
        gaps = [s.result.mip_gap for s in self.stages if s.result.mip_gap is not None]
        return max(gaps) if gaps else None

    @property
    def solve_seconds(self) -> float:
        return sum(s.result.seconds for s in self.stages)


def _x(m, n: int) -> np.ndarray:
    return np.array([pyo.value(m.x[i]) > 0.5 for i in range(n)], dtype=bool)


def _hamming(m, n: int, batch: np.ndarray):
    return (sum(1 - m.x[i] for i in range(n) if batch[i])
            + sum(m.x[i] for i in range(n) if not batch[i]))


def list_ties(first: np.ndarray, farthest, next_batch, limit: int,
              time_limit: float) -> tuple[list[np.ndarray], bool, SolveResult]:
    """All batches meeting the active constraints (score and spending kept at their optimum),
    for either build of the model (Pyomo here, highspy in model/selection_direct.py).

    First, maximise the Hamming distance from the batch found (`farthest(first)`): an integral
    objective whose LP bound is usually below 1 when the batch is unique, so uniqueness is proven
    at the root even for 10,000 applicants. If another batch exists, enumerate: each
    `next_batch(found, time_left)` solves with a no-good cut on every batch found so far (up to
    `limit` batches, within `time_limit` s). Both callables return (SolveResult, batch or None).
    Returns (batches, complete, combined result)."""
    found = [first]
    r, batch = farthest(first)
    seconds, complete = r.seconds, False
    if r.objective is not None and r.status == "optimal" and r.objective < 0.5:
        complete = True
    elif r.objective is not None and r.objective >= 0.5:
        found.append(batch)
        check = seconds
        while len(found) <= limit and seconds - check < time_limit:
            r, batch = next_batch(found, max(0.1, time_limit - (seconds - check)))
            seconds += r.seconds
            if r.status == "infeasible":
                complete = True
                break
            if r.objective is None:
                break
            found.append(batch)
    status = "optimal" if complete else "time_limit"
    return found[:limit], complete, SolveResult(status, float(len(found)), None, None, seconds)


def tied_batches(m, n: int, solver, limit: int,
                 time_limit: float) -> tuple[list[np.ndarray], bool, SolveResult]:
    """list_ties on the Pyomo model: objectives and no-good cuts come and go as components."""
    for obj in m.component_objects(pyo.Objective, active=True):
        obj.deactivate()

    def batch(r):
        return _x(m, n) if r.objective is not None else None

    def farthest(first):
        m.farthest = pyo.Objective(expr=_hamming(m, n, first), sense=pyo.maximize)
        r = solve(m, solver, warm_start=True)  # the batch found is feasible, at distance 0
        m.del_component(m.farthest)
        return r, batch(r)

    def next_batch(found, time_left):
        if not hasattr(m, "cuts"):
            m.any_batch = pyo.Objective(expr=0)
            m.cuts = pyo.ConstraintList()
        for b in found[len(m.cuts):]:
            m.cuts.add(_hamming(m, n, b) >= 1)
        solver.config.time_limit = time_left
        r = solve(m, solver)
        return r, batch(r)

    saved = solver.config.time_limit
    try:
        return list_ties(_x(m, n), farthest, next_batch, limit, time_limit)
    finally:
        solver.config.time_limit = saved
        if hasattr(m, "cuts"):
            m.del_component(m.cuts)
            m.del_component(m.any_batch)


def overall_status(stages: list[StageResult]) -> str:
    """The run's status from its stages (listing ties may stop early without harm)."""
    statuses = {s.result.status for s in stages if s.name != "list_tied_batches"}
    return "optimal" if statuses == {"optimal"} else ("time_limit" if "time_limit" in statuses
                                                      else "error")


def solve_lexicographic(m: pyo.ConcreteModel, inst: Instance) -> Solution:
    p = inst.params
    n = len(inst.ids)
    solver = make_solver(time_limit=p.time_limit_s, mip_rel_gap=p.mip_rel_gap)
    stages: list[StageResult] = []

    m.obj_score = pyo.Objective(expr=m.total_score, sense=pyo.maximize)
    r = solve(m, solver)
    stages.append(StageResult("max_total_score", r))
    if r.objective is None:
        return _empty(r.status, stages, n)
    z1 = r.objective
    tol = SCORE_TOL * max(1.0, float(np.abs(inst.score).max(initial=0.0)))
    m.keep_score = pyo.Constraint(expr=m.total_score >= z1 - tol)
    m.obj_score.deactivate()

    if p.spend_budget:
        r = _budget_binds(m, inst)
        if r is not None:
            # Proportional awards can reach the budget iff the batch has enough members at the
            # cap: keeping the spend is a cardinality row, much easier for HiGHS than Σ award.
            hi = math.floor(p.cap_wan / p.step_wan + 1e-9) * p.step_wan
            m.keep_spend = pyo.Constraint(expr=sum(m.x[i] for i in range(n))
                                          >= math.ceil(r.objective / hi - 1e-9))
        else:
            m.obj_spend = pyo.Objective(expr=m.total_award, sense=pyo.maximize)
            r = solve(m, solver)
            m.obj_spend.deactivate()
            if r.objective is not None:
                m.keep_spend = pyo.Constraint(expr=m.total_award >= r.objective - 1e-6)
        stages.append(StageResult("max_total_award", r))
        if r.objective is None:
            return _empty(r.status, stages, n)
    spend = r.objective if p.spend_budget else None

    batches, complete, r_ties = tied_batches(m, n, solver, p.max_ties, p.tie_time_limit_s)
    stages.append(StageResult("list_tied_batches", r_ties))
    if p.award_mode == "proportional" and (complete or n > MIP_DEVIATION_MAX_N):
        # Incomplete ties on a large pool: the exact split of the batches found, and the status
        # says the search for other tied batches did not finish.
        best = _apportion_each(batches, inst, spend)
        x, award, lam, dev, seconds = best
        stages.append(StageResult("min_deviation_from_proportional", SolveResult(
            "optimal" if complete else "time_limit", dev, dev if complete else None,
            0.0 if complete else None, seconds)))
        batches.sort(key=lambda b: not np.array_equal(b, x))
    else:
        add_deviation(m, inst)
        m.obj_dev = pyo.Objective(expr=m.total_deviation, sense=pyo.minimize)
        r = solve(m, solver)
        stages.append(StageResult("min_deviation_from_proportional", r))
        if r.objective is None:
            return _empty(r.status, stages, n)
        x = _x(m, n)
        award = np.where(x, np.round([pyo.value(m.award[i]) for i in range(n)], 6), 0.0)
        lam, dev = float(pyo.value(m.lam)), float(pyo.value(m.total_deviation))
        batches = [x] + [b for b in batches if not np.array_equal(b, x)]
    return Solution(status=overall_status(stages), stages=stages, designated=x, award_wan=award, lam=lam,
                    total_score=float(inst.score[x].sum()), total_award_wan=float(award.sum()),
                    total_deviation_wan=dev,
                    alternatives=[np.flatnonzero(b).tolist() for b in batches],
                    ties_complete=complete)


def _budget_binds(m, inst: Instance) -> SolveResult | None:
    """Proportional mode: if the score-optimal batch can reach the budget (rounded down to the
    step) with awards at most the cap, no batch can spend more — proven without a solve."""
    p = inst.params
    if p.award_mode != "proportional":
        return None
    hi = math.floor(p.cap_wan / p.step_wan + 1e-9)
    best = math.floor(p.budget_wan / p.step_wan + 1e-9) * p.step_wan
    k = int(_x(m, len(inst.ids)).sum())
    if k * hi * p.step_wan < best - 1e-9:
        return None
    return SolveResult("optimal", float(best), float(best), 0.0, 0.0)


def _apportion_each(batches, inst: Instance, spend: float | None):
    """Exact proportional split (model/apportion.py) for each tied batch; the best one wins."""
    import time

    from fundalloc.selection.apportion import proportional_split
    p = inst.params
    lo = math.ceil(p.floor_wan / p.step_wan - 1e-9)
    hi = math.floor(p.cap_wan / p.step_wan + 1e-9)
    lam_max = (p.cap_wan / inst.f.min()) if len(inst.f) and inst.f.min() > 0 else p.cap_wan
    start = time.perf_counter()
    best = None
    # With the spending stage the total is fixed at its optimum; without it, only the budget caps it.
    total = int(round(spend / p.step_wan)) if spend is not None else \
        math.floor(p.budget_wan / p.step_wan + 1e-9)
    for x in batches:
        levels, lam, dev = proportional_split(inst.f[x], lo, hi, p.step_wan, total, lam_max,
                                              at_most=spend is None)
        if best is None or dev < best[3] - 1e-9:
            award = np.zeros(len(x))
            award[x] = levels * p.step_wan
            best = (x, award, lam, dev)
    return (*best, time.perf_counter() - start)


def _empty(status: str, stages, n: int) -> Solution:
    return Solution(status=status, stages=stages, designated=np.zeros(n, bool),
                    award_wan=np.zeros(n), lam=None, total_score=None, total_award_wan=None,
                    total_deviation_wan=None)
