"""`fundalloc select`: read, check, optimise, explain, write. Nothing is written unless the whole
run succeeds (model/runs.py)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import List, Optional

import numpy as np
import pandas as pd
import typer
from rich.table import Table

from fundalloc.core.errors import FundallocError, InfeasibleError, ScenarioError
from fundalloc.selection.infeasibility import conflicting_groups, describe
from fundalloc.core.report import bar_chart, html_report, write_workbook
from fundalloc.selection.rulesets import Prepared, ruleset_of
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.selection.model import Instance, Solution, build_model, solve_lexicographic
from fundalloc.selection.params import selection_params
from fundalloc.selection.direct import solve_direct, use_direct
from fundalloc.commands.charts import latin
from fundalloc.commands.common import APPLICANTS, OUT, SETS, console, reports_errors


@dataclass
class SelectOutcome:
    applicants: Prepared
    table: pd.DataFrame         # selection.csv
    summary: dict               # summary.json
    solution: Solution
    instance: Instance          # the eligible applicants as the MIP saw them


def optimise(scenario: Scenario, applicants_path: str | Path | None = None) -> SelectOutcome:
    """Solve the scenario; raise InfeasibleError with the conflicting rules in words."""
    ruleset = ruleset_of(scenario)
    params = selection_params(scenario, ruleset.regions)
    path = applicants_path or scenario.get("selection.applicants")
    if not path:
        raise ScenarioError(scenario.path, "selection.applicants",
                            "no applicant file: set it in the scenario or pass --applicants")
    apps = ruleset.prepare(scenario, Path(path), params)
    inst, ok, reasons, f_all = apps.inst, apps.eligible, apps.reasons, apps.f_all

    pinned_bad = [i for i in np.flatnonzero(~ok) if apps.pinned[i] == "in"]
    if pinned_bad:
        raise InfeasibleError([f"applicant {apps.ids[i]} ({apps.names[i]}) is pinned in but is "
                               f"not eligible: {'; '.join(reasons[i])}" for i in pinned_bad])
    # Large pools: the same stages without Pyomo's build (~50× faster); the direct build has
    # no group-coverage rows, so groups_covered_min always goes through Pyomo.
    if use_direct(inst) and not params.groups_covered_min:
        model = None
        sol, build_seconds = solve_direct(inst)
    else:
        start = time.perf_counter()
        model = build_model(inst)
        build_seconds = time.perf_counter() - start
        sol = solve_lexicographic(model, inst)
    if sol.status == "infeasible":   # the explanation names the Pyomo model's constraints
        raise InfeasibleError(describe(conflicting_groups(model or build_model(inst)), inst))
    if sol.total_score is None:
        raise FundallocError(f"the solver stopped with status '{sol.status}' before finding any "
                             f"batch; raise selection.time_limit_s")

    eligible_idx = np.flatnonzero(ok)
    designated = np.zeros(len(apps.ids), bool)
    designated[eligible_idx] = sol.designated
    award = np.zeros(len(apps.ids))
    award[eligible_idx] = sol.award_wan
    table = pd.DataFrame({
        "id": apps.ids, "name": apps.names, "city": apps.city, "region": apps.region,
        **apps.columns, "score": apps.score,
        "factor_index": np.round(f_all, 4), "eligible": ok,
        "reasons": ["; ".join(r) for r in reasons], "designated": designated,
        "award_wan": np.round(award).astype(int),
        "proportional_wan": np.where(designated, np.round(sol.lam * f_all, 1), 0.0),
        "city_match_wan": np.where(designated, apps.city_match_wan, 0.0),
    })
    table["total_support_wan"] = table["award_wan"] + table["city_match_wan"]
    summary = _summary(table, sol, params, build_seconds, apps, inst)
    return SelectOutcome(apps, table, summary, sol, inst)


def _summary(table: pd.DataFrame, sol: Solution, params, build_seconds: float, apps,
             inst: Instance) -> dict:
    chosen = table[table.designated]
    by_region = {g: {"designated": int((chosen.region == g).sum()),
                     "award_wan": int(chosen.award_wan[chosen.region == g].sum())}
                 for g in inst.regions}
    ids = np.asarray(inst.ids)
    return {
        "status": sol.status,
        "designated": chosen.id.tolist(),
        "total_score": round(float(sol.total_score), 6),
        "total_award_wan": int(round(sol.total_award_wan)),
        "budget_wan": params.budget_wan,
        "mip_gap": sol.mip_gap,
        "solve_seconds": round(sol.solve_seconds, 4),
        "build_seconds": round(build_seconds, 4),
        "stages": [{"stage": s.name, "status": s.result.status, "objective": s.result.objective,
                    "bound": s.result.bound, "mip_gap": s.result.mip_gap,
                    "seconds": round(s.result.seconds, 4)} for s in sol.stages],
        "lambda_wan_per_index": sol.lam,
        "total_deviation_wan": round(sol.total_deviation_wan, 4),
        "awards_wan": dict(zip(chosen.id, chosen.award_wan.astype(int).tolist())),
        "city_match_total_wan": float(chosen.city_match_wan.sum()),
        "by_region": by_region,
        "tied_batches": [ids[b].tolist() for b in sol.alternatives],
        "ties_complete": sol.ties_complete,
        "n_applicants": int(len(table)),
        "n_eligible": int(table.eligible.sum()),
        "ineligible": {r.id: r.reasons for r in table[~table.eligible].itertuples()},
        "applicants_file": str(apps.path),
        "parameters": asdict(params),
    }


def write_outputs(outcome: SelectOutcome, staging: Path, scenario: Scenario) -> None:
    table, summary = outcome.table, outcome.summary
    table.to_csv(staging / "selection.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", summary)
    chosen = table[table.designated]
    inst = outcome.instance
    regions = pd.DataFrame([{"region": g, "name": inst.region_names.get(g, g),
                             **summary["by_region"][g],
                             "eligible": int(((table.region == g) & table.eligible).sum())}
                            for g in inst.regions])
    stages = pd.DataFrame(summary["stages"])
    facts = pd.DataFrame([
        ("status", summary["status"]), ("designated", len(summary["designated"])),
        ("total score", summary["total_score"]), ("total award (万)", summary["total_award_wan"]),
        ("budget (万)", summary["budget_wan"]), ("MIP gap", summary["mip_gap"]),
        ("solve seconds", summary["solve_seconds"]),
        ("city matching funds (万)", summary["city_match_total_wan"]),
        ("scenario", str(scenario.path)), ("overrides", " ".join(scenario.overrides)),
    ], columns=["item", "value"])
    write_workbook(staging / "allocation.xlsx", {
        "Designated": chosen.drop(columns=["eligible", "reasons"]),
        "All applicants": table, "By region": regions, "Solver": stages, "Summary": facts,
        "Parameters": pd.DataFrame(list(summary["parameters"].items()),
                                   columns=["key", "value"]).astype(str),
    })
    c1 = bar_chart(staging / "awards_by_applicant.png", chosen.id.tolist(),
                   chosen.award_wan.tolist(), "One-time award by designated applicant",
                   "wan yuan (10,000 CNY)", reference=summary["parameters"]["cap_wan"],
                   reference_label="cap")
    c2 = bar_chart(staging / "awards_by_region.png", [latin(inst.region_names.get(g, g))
                                                       for g in inst.regions],
                   [summary["by_region"][g]["award_wan"] for g in inst.regions],
                   "Awards by regional group", "wan yuan (10,000 CNY)")
    p = summary["parameters"]
    head = (f"<p>Status <b>{summary['status']}</b> (MIP gap {summary['mip_gap']}, solved in "
            f"{summary['solve_seconds']} s). {len(chosen)} designated of "
            f"{summary['n_eligible']} eligible ({summary['n_applicants']} applicants); total "
            f"score {summary['total_score']:.1f}; awards {summary['total_award_wan']:,} 万 of a "
            f"budget of {p['budget_wan']:,.0f} 万 (floor {p['floor_wan']:,.0f}, cap "
            f"{p['cap_wan']:,.0f}, step {p['step_wan']:,.0f}); city matching funds "
            f"{summary['city_match_total_wan']:,.0f} 万 beside them.</p>")
    inel = table[~table.eligible][["id", "name", "city", "reasons"]]
    html_report(staging / "report.html", "fundalloc — designation and award split", [
        ("", head), ("Designated", chosen[["id", "name", "city", "region", "score",
                                            "factor_index", "award_wan", "proportional_wan",
                                            "city_match_wan"]]),
        ("Charts", [c1, c2]), ("Regional balance", regions),
        ("Not eligible", inel), ("Solver stages", stages),
    ])


def run_select(scenario: Scenario, applicants: str | Path | None = None,
               out: Path | None = None) -> tuple[Path, SelectOutcome]:
    outcome = optimise(scenario, applicants)
    with run_folder(out, "select", scenario=scenario) as run:
        write_outputs(outcome, run.staging, scenario)
    return run.final, outcome


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help="Scenario TOML, e.g. scenarios/henan-2025.toml."),
    applicants: Optional[Path] = APPLICANTS,
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Choose which applicants to designate and how much each gets, proven optimal.

    Checks eligibility (RULES.md A), solves the selection MIP with HiGHS (score first, then
    spending, then closeness to proportional awards), and writes selection.csv, summary.json,
    allocation.xlsx, report.html and manifest.json. If no batch can satisfy the rules, says
    which rules conflict.
    """
    final, outcome = run_select(load_scenario(scenario, set_), applicants, out)
    print_designated(outcome)
    console.print(f"results: {final}")


def print_designated(outcome: SelectOutcome) -> None:
    s = outcome.summary
    t = Table(title=f"Designated ({len(s['designated'])}) — status {s['status']}, MIP gap "
                    f"{s['mip_gap']}, {s['solve_seconds']:.2f} s")
    for col in ("id", "name", "city", "region", "score", "award 万", "city match 万"):
        t.add_column(col, overflow="fold",   # whole names even in an 80-column terminal
                     justify="right" if col[0] in "sac" and col != "city" else "left")
    for r in outcome.table[outcome.table.designated].itertuples():
        t.add_row(r.id, r.name, r.city, r.region, f"{r.score:.1f}", f"{r.award_wan:,}",
                  f"{r.city_match_wan:,.0f}")
    console.print(t)
    console.print(f"total score {s['total_score']:.1f}; awards {s['total_award_wan']:,} 万 of "
                  f"{s['budget_wan']:,.0f} 万; {s['n_eligible']} of {s['n_applicants']} eligible")
