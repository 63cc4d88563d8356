"""One selection run, as every command and the app use it: read the applicants under the
scenario's rule set, check them, optimise, explain an infeasible instance in words, and return
the table (selection.csv) and summary (summary.json) — writing them is the commands' job
(model/commands/select.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from fundalloc.core.errors import FundallocError, InfeasibleError, ScenarioError
from fundalloc.core.i18n import tr
from fundalloc.core.scenario import Scenario
from fundalloc.selection.batch import Solution
from fundalloc.selection.direct import solve_direct, use_direct
from fundalloc.selection.infeasibility import conflicting_groups, describe
from fundalloc.selection.instance import Instance
from fundalloc.selection.margins import MARGINS_MAX_N, margins
from fundalloc.selection.model import build_model, solve_lexicographic
from fundalloc.selection.params import selection_params
from fundalloc.selection.rulesets import Prepared, ruleset_of
from fundalloc.selection.sizing import unpaid_classes
from fundalloc.selection.spending import spending_summary


@dataclass
class SelectOutcome:
    applicants: Prepared
    table: pd.DataFrame  # selection.csv
    summary: dict  # summary.json
    solution: Solution
    instance: Instance  # the eligible applicants as the MIP saw them


def optimise(
    scenario: Scenario, applicants_path: str | Path | None = None, details: bool = True
) -> SelectOutcome:
    """Solve the scenario; raise InfeasibleError with the conflicting rules in words.
    `details` adds what a person reads beside the batch — margins (two solves per applicant)
    and the batch with spend_budget flipped (one more solve); callers that solve many
    scenarios (sweep) or only need the batch (compare, robust) leave them out."""
    ruleset = ruleset_of(scenario)
    params = selection_params(scenario, ruleset.regions)
    path = applicants_path or scenario.get("selection.applicants")
    if not path:
        raise ScenarioError(
            scenario.path,
            "selection.applicants",
            "no applicant file: set it in the scenario or pass --applicants",
        )
    apps = ruleset.prepare(scenario, Path(path), params)
    inst, ok, reasons, f_all = apps.inst, apps.eligible, apps.reasons, apps.f_all

    unpaid = unpaid_classes(inst)
    if unpaid:
        raise ScenarioError(
            scenario.path,
            "selection.stars_wan",
            f"no amount for the star class of {', '.join(unpaid)} "
            "(add the class, e.g. none = 300 for applicants without stars)",
        )
    pinned_bad = [i for i in np.flatnonzero(~ok) if apps.pinned[i] == "in"]
    if pinned_bad:
        raise InfeasibleError(
            [
                f"applicant {apps.ids[i]} ({apps.names[i]}) is pinned in but is "
                f"not eligible: {'; '.join(reasons[i])}"
                for i in pinned_bad
            ]
        )
    # Large pools: the same rows and stages without Pyomo's build (~50× faster).
    if use_direct(inst):
        model = None
        sol, build_seconds = solve_direct(inst)
    else:
        start = time.perf_counter()
        model = build_model(inst)
        build_seconds = time.perf_counter() - start
        sol = solve_lexicographic(model, inst)
    if sol.status == "infeasible":  # the explanation names the Pyomo model's constraints
        raise InfeasibleError(describe(conflicting_groups(model or build_model(inst)), inst))
    if sol.total_score is None:
        raise FundallocError(tr("solver.stopped_no_batch", status=sol.status))

    eligible_idx = np.flatnonzero(ok)
    designated = np.zeros(len(apps.ids), bool)
    designated[eligible_idx] = sol.designated
    award = np.zeros(len(apps.ids))
    award[eligible_idx] = sol.award_wan
    table = pd.DataFrame(
        {
            "id": apps.ids,
            "name": apps.names,
            "city": apps.city,
            "region": apps.region,
            **apps.columns,
            "score": apps.score,
            "factor_index": np.round(f_all, 4),
            "eligible": ok,
            "reasons": ["; ".join(r) for r in reasons],
            "designated": designated,
            "award_wan": np.round(award).astype(int),
            "proportional_wan": np.where(designated, np.round(sol.lam * f_all, 1), 0.0),
            "city_match_wan": np.where(designated, apps.city_match_wan, 0.0),
        }
    )
    table["total_support_wan"] = table["award_wan"] + table["city_match_wan"]
    margin = np.full(len(apps.ids), np.nan)
    margin_kind = np.full(len(apps.ids), "", dtype=object)
    computed = details and len(inst.ids) <= MARGINS_MAX_N
    if computed:
        margin[eligible_idx], margin_kind[eligible_idx] = margins(inst, sol.designated)
    table["margin_points"] = margin
    table["margin_kind"] = margin_kind
    summary = summary_of(table, sol, params, build_seconds, apps, inst)
    summary["spending"] = spending_summary(inst, sol, solve_one if details else None)
    summary["margins"] = {
        "computed": computed,
        "max_n": MARGINS_MAX_N,
        "of_score_tolerance": params.score_tolerance,
    }
    return SelectOutcome(apps, table, summary, sol, inst)


def solve_one(inst: Instance) -> Solution:
    """One instance through the build optimise uses for it (no explanation if infeasible)."""
    if use_direct(inst):
        return solve_direct(inst)[0]
    return solve_lexicographic(build_model(inst), inst)


def summary_of(
    table: pd.DataFrame, sol: Solution, params, build_seconds: float, apps, inst: Instance
) -> dict:
    """summary.json of a select run (a data contract: DESIGN.md)."""
    chosen = table[table.designated]
    by_region = {
        g: {
            "designated": int((chosen.region == g).sum()),
            "award_wan": int(chosen.award_wan[chosen.region == g].sum()),
        }
        for g in inst.regions
    }
    ids = np.asarray(inst.ids)
    return {
        "status": sol.status,
        "designated": chosen.id.tolist(),
        "total_score": round(float(cast(float, sol.total_score)), 6),
        "total_award_wan": int(round(cast(float, sol.total_award_wan))),
        "budget_wan": params.budget_wan,
        "mip_gap": sol.mip_gap,
        "solve_seconds": round(sol.solve_seconds, 4),
        "build_seconds": round(build_seconds, 4),
        "stages": [
            {
                "stage": s.name,
                "status": s.result.status,
                "objective": s.result.objective,
                "bound": s.result.bound,
                "mip_gap": s.result.mip_gap,
                "seconds": round(s.result.seconds, 4),
            }
            for s in sol.stages
        ],
        "lambda_wan_per_index": sol.lam,
        "total_deviation_wan": round(cast(float, sol.total_deviation_wan), 4),
        "awards_wan": dict(zip(chosen.id, chosen.award_wan.astype(int).tolist(), strict=True)),
        "city_match_total_wan": float(chosen.city_match_wan.sum()),
        "by_region": by_region,
        "tied_batches": [ids[b].tolist() for b in sol.alternatives],
        "ties_complete": sol.ties_complete,
        "n_applicants": int(len(table)),
        "n_eligible": int(table.eligible.sum()),
        "ineligible": {r.id: r.reasons for r in table[~table.eligible].itertuples()},
        "applicants_file": str(apps.path),
        "parameters": params.model_dump(exclude={"applicants"}),
    }
