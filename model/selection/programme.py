"""The multi-batch programme (`fundalloc plan`): ~20 designations over several annual batches,
solved as one model.

Each year has its own applicant file (applicants not designated may reapply with changed data,
under the same id) and its own batch size and budget; every per-batch rule of [selection]
(floor, cap, step, city_max, and the regional limits unless `per_batch_balance = false`)
holds in each year. One block per year is the single-batch model of model/selection/model.py;
the blocks are linked by
  once[id]         Σ_years x[year, id] ≤ 1   (never designated twice, nor if designated before)
  total_min / total_max, region_min / region_max over the whole programme.
Lexicographic as for one batch, by the same stage runner (stages.py): total score over the
programme, then money spent, then whether another plan is as good; then each year's awards are
split exactly as the single-batch model does for that year's batch.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyomo.environ as pyo

from fundalloc.core.errors import FundallocError, InfeasibleError
from fundalloc.core.i18n import tr
from fundalloc.core.scenario import Scenario
from fundalloc.selection.infeasibility import deletion_filter
from fundalloc.selection.instance import Instance
from fundalloc.selection.model import PyomoBackend, build_model, solve_lexicographic
from fundalloc.selection.params import selection_params
from fundalloc.selection.programme_params import ProgrammeParams, programme_params
from fundalloc.selection.rulesets import Prepared, ruleset_of
from fundalloc.selection.stages import Lexicographic, StageResult, Ties, run_stages
from fundalloc.solvers import SolveResult
from fundalloc.solvers.highs import make_solver


@dataclass
class Plan:
    params: ProgrammeParams
    prepared: dict[int, Prepared]
    instances: dict[int, Instance]
    designated: dict[int, np.ndarray]  # per year, bool over that year's eligible applicants
    awards: dict[int, np.ndarray]
    lam: dict[int, float | None]
    status: str
    stages: list[tuple[str, SolveResult]]
    total_score: float
    other_plan: dict[int, list[str]] | None  # a different plan as good, if one exists

    @property
    def mip_gap(self) -> float | None:
        gaps = [r.mip_gap for _, r in self.stages if r.mip_gap is not None]
        return max(gaps) if gaps else None


def _year_instance(base: Instance, gp: ProgrammeParams, y: int, excluded: set[str]) -> Instance:
    p = base.params.model_copy(
        update=dict(
            batch_min=gp.batch_min[y], batch_max=gp.batch_max[y], budget_wan=gp.budget_wan[y]
        )
    )
    if not gp.per_batch_balance:
        p = p.model_copy(update=dict(region_min={}, region_max={}))
    pinned = ["out" if i in excluded else pin for i, pin in zip(base.ids, base.pinned, strict=True)]
    return dataclasses.replace(base, params=p, pinned=pinned)


def build_programme(
    instances: dict[int, Instance], gp: ProgrammeParams, regions
) -> pyo.ConcreteModel:
    m = pyo.ConcreteModel(name="fundalloc_programme")
    m.Y = pyo.Set(initialize=gp.years)
    m.batch = pyo.Block(m.Y)
    for y in gp.years:
        build_model(instances[y], m.batch[y])
    xs = [(y, i, m.batch[y].x[i]) for y in gp.years for i in range(len(instances[y].ids))]
    by_id: dict[str, list] = {}
    for y, i, x in xs:
        by_id.setdefault(instances[y].ids[i], []).append(x)
    repeated = sorted(k for k, v in by_id.items() if len(v) > 1)
    m.once = pyo.Constraint(repeated, rule=lambda m, k: sum(by_id[k]) <= 1)
    every = [x for _, _, x in xs]
    if gp.total_min:
        m.total_min = pyo.Constraint(expr=sum(every) >= gp.total_min)
    if gp.total_max is not None:
        m.total_max = pyo.Constraint(expr=sum(every) <= gp.total_max)
    groups = {g: [x for y, i, x in xs if instances[y].region[i] == g] for g in regions}
    m.none_eligible = pyo.Var(bounds=(0, 0))  # keeps an empty group's minimum a real row
    mins = [g for g in regions if gp.region_min.get(g, 0) > 0]
    maxs = [g for g in regions if g in gp.region_max]
    m.region_min_total = pyo.Constraint(
        mins, rule=lambda m, g: m.none_eligible + sum(groups[g]) >= gp.region_min[g]
    )
    m.region_max_total = pyo.Constraint(
        maxs, rule=lambda m, g: m.none_eligible + sum(groups[g]) <= gp.region_max[g]
    )
    m.total_score = pyo.Expression(expr=sum(m.batch[y].total_score for y in gp.years))
    m.total_award = pyo.Expression(expr=sum(m.batch[y].total_award for y in gp.years))
    return m


def _split_years(run: Lexicographic, instances: dict[int, Instance], years: list[int]):
    """Stage 4 of the programme: each year's batch split exactly as the single-batch model
    splits a fixed batch; run.split = (batch by year, awards, λ by year, another plan)."""

    def by_year(flat: np.ndarray) -> dict[int, np.ndarray]:
        ends = np.cumsum([len(instances[y].ids) for y in years])
        return dict(zip(years, np.split(flat, ends[:-1]), strict=True))

    chosen = by_year(run.batches[0])
    stages, awards, lam = [], {}, {}
    start = time.perf_counter()
    for y in years:
        inst = dataclasses.replace(
            instances[y],
            pinned=["in" if c else "out" for c in chosen[y]],
            params=instances[y].params.model_copy(
                update=dict(max_ties=1, region_min={}, region_max={})
            ),
        )
        sol = solve_lexicographic(build_model(inst), inst)
        awards[y], lam[y] = sol.award_wan, sol.lam
        if sol.status != "optimal":
            stages.append(StageResult(f"split_{y}", SolveResult(sol.status, None, None, None, 0.0)))
    stages.append(
        StageResult(
            "split_each_year", SolveResult("optimal", None, None, 0.0, time.perf_counter() - start)
        )
    )
    other = None
    if len(run.batches) > 1:  # a different plan as good: reported, not hidden
        far = by_year(run.batches[1])
        other = {y: [instances[y].ids[i] for i in np.flatnonzero(far[y])] for y in years}
    run.split = chosen, awards, lam, other
    return stages


def solve_programme(scenario: Scenario, applicants: dict[int, Path] | None = None) -> Plan:
    ruleset = ruleset_of(scenario)
    params = selection_params(scenario, ruleset.regions)
    gp = programme_params(scenario, ruleset.regions)
    if applicants:
        gp.applicants.update(applicants)
    before = set(gp.designated_before)
    prepared = {y: ruleset.prepare(scenario, gp.applicants[y], params) for y in gp.years}
    instances = {y: _year_instance(prepared[y].inst, gp, y, before) for y in gp.years}
    m = build_programme(instances, gp, ruleset.regions)
    solver = make_solver(time_limit=params.time_limit_s, mip_rel_gap=params.mip_rel_gap)
    xs = [m.batch[y].x[i] for y in gp.years for i in range(len(instances[y].ids))]
    scale = max(float(np.abs(i.score).max(initial=0)) for i in instances.values())
    # Ties: only whether another plan is as good (one distance solve, the stage reported).
    # Stage 2 starts from stage 1's solution, as the programme always has.
    run = run_stages(
        PyomoBackend(m, xs, solver),
        scale,
        params.spend_budget,
        Ties(limit=2, time_limit=0.0, enumerate=False, stage="check_unique_plan"),
        lambda run: _split_years(run, instances, gp.years),
        warm_spend=True,
    )
    if run.stopped is not None and run.stopped.status == "infeasible":
        raise InfeasibleError(
            explain(m, instances, gp, ruleset.region_names),
            tr("solver.no_programme"),
        )
    if run.stopped is not None:
        raise FundallocError(tr("solver.stopped_no_programme", status=run.stopped.status))
    stages = [(s.name, s.result) for s in run.stages]
    chosen, awards, lam, other = run.split
    status = "optimal" if all(r.status == "optimal" for _, r in stages) else "time_limit"
    total = float(sum(instances[y].score[chosen[y]].sum() for y in gp.years))
    return Plan(gp, prepared, instances, chosen, awards, lam, status, stages, total, other)


def explain(m, instances, gp: ProgrammeParams, region_names) -> list[str]:
    """The deletion filter of model/infeasibility.py over the programme's rules: each year's
    batch rules as one group, never twice, the totals and the programme's regional limits."""
    groups = [(f"year {y}", [m.batch[y]]) for y in gp.years]
    groups.append(("once", [m.once]))
    for name in ("total_min", "total_max"):
        if hasattr(m, name) and getattr(m, name).active:
            groups.append((name, [getattr(m, name)]))
    groups += [(f"region_min_total.{g}", [m.region_min_total[g]]) for g in m.region_min_total]
    groups += [(f"region_max_total.{g}", [m.region_max_total[g]]) for g in m.region_max_total]
    needed = deletion_filter(m, groups)
    words = []
    for name in needed:
        if name.startswith("year "):
            y = int(name.split()[1])
            p = instances[y].params
            words.append(
                f"the {y} batch rules: {p.batch_min}–{p.batch_max} designated from "
                f"{len(instances[y].ids)} eligible applicants, budget "
                f"{p.budget_wan:,.0f} 万, floor {p.floor_wan:,.0f} 万, at most "
                f"{p.city_max} per city" + (", its regional limits" if gp.per_batch_balance else "")
            )
        elif name == "once":
            words.append("each applicant designated at most once over the programme")
        elif name == "total_min":
            words.append(f"at least {gp.total_min} designated over the programme (total_min)")
        elif name == "total_max":
            words.append(f"at most {gp.total_max} designated over the programme (total_max)")
        else:
            kind, g = name.split(".")
            limit = gp.region_min[g] if kind == "region_min_total" else gp.region_max[g]
            have = len(
                {
                    i
                    for y in gp.years
                    for i, r in zip(instances[y].ids, instances[y].region, strict=True)
                    if r == g
                }
            )
            words.append(
                f"{'at least' if kind == 'region_min_total' else 'at most'} {limit} "
                f"designated in {g} ({region_names.get(g, g)}) over the programme, "
                f"which has {have} distinct eligible applicant(s) "
                f"(programme.{kind.replace('_total', '')}.{g})"
            )
    return words
