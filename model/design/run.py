"""A design from start to end: the lines and their grids from [design], the scenarios at the
current amounts (scenarios.py), the model (mip.py), the re-simulation at the designed amounts
until the costs per 万 stop changing, and the out-of-sample check (validate.py)."""

from __future__ import annotations

import dataclasses
import math
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np

from fundalloc.core.errors import ScenarioError
from fundalloc.core.i18n import tr
from fundalloc.design.lines import Line, amounts_of, lines_of
from fundalloc.design.mip import Design, solve_design
from fundalloc.design.problem import Problem, claims_at, exceedances
from fundalloc.design.scenarios import Sample, payers, sample
from fundalloc.design.settings import DesignSettings
from fundalloc.simulation.kernel import World
from fundalloc.simulation.montecarlo import pay_years

# Readings under which an award of 0 or two equal tiers change which claims exist (a top-up
# of 0 opens no growth window / is not "the first award"): tiers then differ by a step.
STRICT_READINGS = {"growth_window_from": "each_award", "later_higher_tier": "none"}
# Readings under which the claims are not linear in the amounts (keep the larger of two awards).
NONLINEAR_READINGS = {"growth_with_revenue_same_year": "highest"}


def linear(world: World) -> bool:
    """Whether the claims are linear in the amounts: the kernel's behaviour reacts to the
    thresholds only, so only a reading can make them non-linear."""
    return not any(getattr(world.interp, k) == v for k, v in NONLINEAR_READINGS.items())


@dataclass
class Bounds:
    lines: list[Line]
    decided: np.ndarray
    lo: np.ndarray
    steps: np.ndarray
    plat_grid: np.ndarray


@dataclass
class DesignRun:
    lines: list[Line]
    published: np.ndarray
    design: Design
    problem: Problem
    iterations: list[dict] = field(default_factory=list)
    converged: bool = False
    sample_seconds: float = 0.0
    solve_seconds: float = 0.0


def _per_line(value, line: Line, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, dict):
        return float(value.get(line.id, default))
    return float(value)


def bounds(world: World, s: DesignSettings, source) -> Bounds:
    lines = lines_of(world.policy)
    ids = [ln.id for ln in lines]
    for table in ("min_wan", "max_wan"):
        value = getattr(s, table)
        for key in value.keys() if isinstance(value, dict) else ():
            if key not in ids:
                raise ScenarioError(
                    source, f"design.{table}.{key}", tr("design.unknown_line", known=", ".join(ids))
                )
    wanted = set(ids) if s.lines == ["all"] else set(s.lines)
    for key in wanted - set(ids):
        raise ScenarioError(
            source, "design.lines", tr("design.unknown_line_in", line=key, known=", ".join(ids))
        )
    step = s.step_wan
    decided = np.array([ln.id in wanted for ln in lines])
    lo, steps = np.zeros(len(lines)), np.zeros(len(lines), np.int64)
    grid = np.array([lines[-1].published_wan])
    for j, ln in enumerate(lines):
        if not decided[j]:
            lo[j] = ln.published_wan
            continue
        top_default = step * math.ceil(2 * ln.published_wan / step)
        a = _per_line(s.min_wan, ln, step)
        b = _per_line(s.max_wan, ln, top_default)
        if ln.award == "revenue_tier" and a <= 0:
            raise ScenarioError(source, f"design.min_wan.{ln.id}", tr("design.tier_zero"))
        if b < a:
            raise ScenarioError(
                source, f"design.max_wan.{ln.id}", tr("design.max_below_min", lo=a, hi=b)
            )
        lo[j], steps[j] = a, int(math.floor((b - a) / step + 1e-9))
        if ln.award == "platform":
            grid = a + step * np.arange(steps[j] + 1)
    return Bounds(lines, decided, lo, steps, grid)


def budgets(world: World, names: tuple[str, ...], source) -> np.ndarray:
    """(Q, Y) budget of each budget row (payers()) and pay year, from awards.budget_wan: one
    for all, or each payer's own when it is a table by payer (inf = unlimited)."""
    years = pay_years(world)
    if names == ("all",):
        b = world.interp.budget_for(years)[None, :]
    else:
        b = np.array([world.interp.budget_for(years, name) for name in names])
    if not np.isfinite(b).any():
        raise ScenarioError(source, "awards.budget_wan", tr("design.no_budget"))
    return b


def problem(world, s: DesignSettings, bd: Bounds, smp: Sample, budget, names) -> Problem:
    published = np.array([ln.published_wan for ln in bd.lines])
    value = None
    if s.objective == "induced":
        value = smp.induced.mean(0) / np.where(published > 0, published, 1.0)
    elif s.objective == "deadweight":
        assert smp.anyway is not None
        value = (smp.cost - smp.anyway).sum(axis=(1, 2)).mean(0)
    strict = any(getattr(world.interp, k) == v for k, v in STRICT_READINGS.items())
    return Problem(
        lines=bd.lines,
        decided=bd.decided,
        lo=bd.lo,
        steps=bd.steps,
        step=s.step_wan,
        cost=smp.cost,
        plat=smp.plat,
        plat_grid=bd.plat_grid,
        budget=budget,
        alpha=s.level,
        published=published,
        objective=s.objective,
        value=value,
        strict=strict,
        time_limit=s.time_limit_s,
        risk_count=s.risk_count,
        payers=names,
    )


def run_design(world: World, s: DesignSettings, executor: Executor, source) -> DesignRun:
    bd = bounds(world, s, source)
    names = payers(world)[1]
    budget = budgets(world, names, source)
    published = amounts_of(world.policy, bd.lines)
    amounts = published.copy()
    iterations: list[dict] = []
    t_sample = t_solve = 0.0
    design = None
    prob = None
    converged = False
    for it in range(s.max_iterations):
        smp = sample(
            world,
            bd.lines,
            amounts,
            bd.plat_grid,
            executor,
            need_off=s.objective == "induced",
            need_anyway=s.objective == "deadweight",
        )
        t_sample += smp.seconds
        if prob is not None and design is not None:
            # the claims the model predicted at its amounts against the rules' own claims there
            predicted = claims_at(prob, design.amounts)
            drift = float(np.abs(predicted - smp.base).max())
            iterations[-1]["max_drift_wan"] = round(drift, 6)
            if drift <= 1e-6:
                converged = True
                break
        prob = problem(world, s, bd, smp, budget, names)
        t0 = time.perf_counter()
        design = solve_design(prob)
        t_solve += time.perf_counter() - t0
        iterations.append(
            {
                "iteration": it + 1,
                "amounts_simulated": dict(zip([ln.id for ln in bd.lines], amounts.tolist())),
                "status": [st["status"] for st in design.stages],
            }
        )
        if s.resimulate == "auto" and linear(world):
            # linear: the slopes hold at any amounts (validate.py checks it on fresh runs)
            iterations[-1]["max_drift_wan"] = None
            iterations[-1]["resimulated"] = False
            converged = True
            break
        if design.stages[0]["status"] == "infeasible" or np.allclose(design.amounts, amounts):
            if np.allclose(design.amounts, amounts):  # designed = simulated: nothing to redo
                iterations[-1]["max_drift_wan"] = 0.0
                converged = True
            break
        amounts = design.amounts.copy()
    assert design is not None and prob is not None
    return DesignRun(bd.lines, published, design, prob, iterations, converged, t_sample, t_solve)


def in_sample(run: DesignRun) -> np.ndarray:
    """(Y, Q) share of the design's replications over budget at the designed amounts."""
    return exceedances(run.problem, run.design.amounts) / run.problem.runs


def world_at(world: World, run: DesignRun) -> World:
    from fundalloc.design.lines import policy_with

    return dataclasses.replace(
        world, policy=policy_with(world.policy, run.lines, run.design.amounts)
    )
