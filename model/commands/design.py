"""`fundalloc design`: the inverse of `simulate` — the award amounts a yearly budget can carry
at a stated risk (docs/design.md). Thin over fundalloc.design."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from fundalloc.commands.common import (
    console,
    print_readings,
    replication_options,
    reports_errors,
)
from fundalloc.commands.replications import option_overrides
from fundalloc.core.errors import FundallocError
from fundalloc.core.executors import open_executor
from fundalloc.core.i18n import tr
from fundalloc.core.runs import run_folder
from fundalloc.core.scenario import load_scenario
from fundalloc.design.run import DesignRun, run_design
from fundalloc.design.settings import DesignSettings, design_settings
from fundalloc.design.validate import validate, warnings_for
from fundalloc.simulation.world import load_world


@reports_errors
@replication_options
def command(
    scenario: Path = typer.Argument(..., help=tr("help.design.scenario")),
    level: Optional[float] = typer.Option(None, "--level", help=tr("help.design.level")),
    **options,
) -> None:
    """Size the Jiaxing schedule to the budget: the award amounts a yearly budget carries at a
    stated risk.

    Simulates the replications once, records what each award line costs per 万 of its amount,
    and solves a chance-constrained model (HiGHS): in every pay year the claims exceed the
    budget in at most ⌊α·R⌋ replications. Re-simulates the designed schedule on a fresh seed
    and writes designed-policy.toml (usable as awards.policy), lines.csv, risk.csv,
    design.xlsx, report.html, summary.json and manifest.json.
    """
    final, s = run_design_command(scenario, options.pop("set_"), level=level, **options)
    print_design(s)
    console.print(tr("design.use_policy", path=(final / "designed-policy.toml").resolve()))
    console.print(tr("results_at", path=final))


def print_design(s: dict) -> None:
    t = Table(title=tr("design.title", runs=s["runs"], level=f"{s['level']:.0%}"))
    t.add_column(tr("col.line"), justify="left")
    for col in (tr("col.published"), tr("col.designed"), tr("col.binding")):
        t.add_column(col, justify="right")
    for ln in s["lines"]:
        if ln["decided"]:
            t.add_row(
                ln["label"],
                f"{ln['published_wan']:,.0f}",
                f"{ln['designed_wan']:,.0f}",
                tr("design.yes") if ln.get("binding") else "",
            )
    console.print(t)
    y = Table(title=tr("design.risk_title"))
    by_payer = any(v["payer"] != "all" for v in s["validation"]["pay_years"])
    if by_payer:  # each payer's own budget (五 各县(市)参照执行)
        y.add_column(tr("jiaxing.col_payer"), justify="left")
    for col in (
        tr("col.pay_year"),
        tr("col.budget"),
        tr("col.in_sample"),
        tr("col.out_of_sample"),
        tr("col.ci"),
    ):
        y.add_column(col, justify="right")
    for v in s["validation"]["pay_years"]:
        y.add_row(
            *([v["payer"]] if by_payer else []),
            str(v["pay_year"]),
            f"{v['budget_wan']:,.0f}",
            f"{v['in_sample']:.1%}",
            f"{v['out_of_sample']:.1%}",
            f"{v['ci_low']:.1%}–{v['ci_high']:.1%}",
        )
    console.print(y)
    for w in s["warnings"]:
        console.print(f"[yellow]{w['text']}[/]")
    print_readings(s["interpretation"])


def run_design_command(
    path,
    sets=None,
    *,
    runs=None,
    seed=None,
    workers=None,
    budget_wan=None,
    level=None,
    out=None,
    executor="local",
    address=None,
) -> tuple[Path, dict]:
    overrides = option_overrides(sets, runs, seed, workers, budget_wan)
    if level is not None:
        overrides.append(f"design.level={level}")
    scenario = load_scenario(path, overrides, reads=("awards", "simulation", "design"))
    world = load_world(scenario)
    settings = design_settings(scenario)
    t0 = time.perf_counter()
    with open_executor(executor, address, world.params.workers) as ex:
        run = run_design(world, settings, ex, scenario.path)
        if run.design.stages[0]["status"] not in ("optimal", "time_limit") or (
            run.design.stages[0]["objective"] is None
        ):
            raise FundallocError(tr("design.infeasible", level=f"{settings.level:.0%}"))
        design_seconds = time.perf_counter() - t0
        vruns = settings.validation_runs or world.params.runs
        vseed = (
            world.params.seed + 1 if settings.validation_seed is None else settings.validation_seed
        )
        checks = validate(world, run, ex, vruns, vseed)
    summary = summarise(run, checks, settings, world, design_seconds)
    from fundalloc.design.outputs import write_design

    with run_folder(
        out,
        "design",
        scenario=scenario,
        seed=world.params.seed,
        extra={"runs": world.params.runs, "workers": world.params.workers, "executor": executor},
    ) as folder:
        write_design(run, summary, checks, folder.staging, scenario, world)
    return folder.final, summary


def summarise(run: DesignRun, checks: dict, s: DesignSettings, world, seconds: float) -> dict:
    from dataclasses import asdict

    from fundalloc.core.schema import meta
    from fundalloc.design.outputs import line_label

    p = run.problem
    by_line = {c["line"]: c for c in checks["lines"]}
    warnings = warnings_for(p)
    if not run.converged:
        warnings.append(
            {
                "key": "design.warn_not_converged",
                "args": {},
                "text": tr("design.warn_not_converged"),
            }
        )
    if any(st["status"] != "optimal" for st in run.design.stages):
        warnings.append({"key": "design.warn_gap", "args": {}, "text": tr("design.warn_gap")})
    if world.interp.budget_exhausted == "defer":
        warnings.append({"key": "design.warn_defer", "args": {}, "text": tr("design.warn_defer")})
    options = meta(DesignSettings.model_fields["objective"])["options"]
    return {
        "runs": p.runs,
        "seed": world.params.seed,
        "level": p.alpha,
        "allowed_exceedances": p.allowed,
        "objective": p.objective,
        "objective_words": list(options[p.objective]),
        "designed_on": "claims",  # entitlements falling due, before any exhaustion rule
        "budget_wan": {str(y): float(b) for y, b in zip(checks_years_of(checks), p.budget.sum(0))},
        "scale": run.design.scale,
        "solver": run.design.stages,
        "iterations": run.iterations,
        "converged": run.converged,
        "lines": [
            {
                "line": ln.id,
                "label": line_label(ln),
                "decided": bool(p.decided[j]),
                "published_wan": float(run.published[j]),
                "designed_wan": float(run.design.amounts[j]),
                "binding": by_line.get(ln.id, {}).get("binding"),
            }
            for j, ln in enumerate(run.lines)
        ],
        "validation": {k: v for k, v in checks.items() if k != "claims"},
        "warnings": warnings,
        "seconds": {
            "simulate": round(run.sample_seconds, 3),
            "solve": round(run.solve_seconds, 3),
            "design": round(seconds, 3),
            "validation": round(checks["seconds"], 3),
        },
        "interpretation": {k: v for k, v in asdict(world.interp).items()},
    }


def checks_years_of(checks: dict) -> list[int]:
    return sorted({y["pay_year"] for y in checks["pay_years"]})
