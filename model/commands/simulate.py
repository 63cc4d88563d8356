"""`fundalloc simulate`: build the world from a scenario, run the Monte Carlo, summarise, write
one results folder (nothing is written unless the run completes; the finished chunks of an
interrupted run are kept for --resume)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from fundalloc.commands.common import (
    RESUME,
    console,
    print_readings,
    replication_options,
    reports_errors,
)
from fundalloc.commands.replications import checkpointed, option_overrides
from fundalloc.core.executors import open_executor
from fundalloc.core.i18n import tr
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import load_scenario
from fundalloc.simulation import yearloop
from fundalloc.simulation.kernel import World
from fundalloc.simulation.montecarlo import Results, run_montecarlo
from fundalloc.simulation.report import award_chart, fan_chart, overrun_chart
from fundalloc.simulation.summary import (
    outlay_frame,
    payer_table,
    risk_notes,
    summarise,
    year_table,
)
from fundalloc.simulation.uncertain import assumption_risk, at_centre, risk_table
from fundalloc.simulation.world import load_world


@reports_errors
@replication_options
def command(
    scenario: Path = typer.Argument(..., help=tr("help.simulate.scenario")),
    resume: Optional[Path] = RESUME,
    **options,
) -> None:
    """Simulate firms under the Jiaxing reward schedule: yearly outlay and chance of overrun.

    Runs the agent-based model as Monte Carlo on all cores, pays awards by the rules engine
    under the readings in [awards], and writes outlay.csv, summary.json, report.html (fan
    chart against the budget, overrun chance, split by award, deadweight) and manifest.json.
    """
    final, s = run_simulate(scenario, options.pop("set_"), resume=resume, **options)
    print_outlay(s)
    console.print(tr("results_at", path=final))


def print_outlay(s: dict) -> None:
    t = Table(title=tr("simulate.title", runs=s["runs"]))
    t.add_column(tr("col.pay_year"), justify="left")
    for col in (tr("col.budget"), tr("col.mean"), "P50", "P95", "P99", tr("col.p_overrun")):
        t.add_column(col, justify="right")
    for y, v in s["pay_years"].items():
        p = v["prob_over_budget"]
        t.add_row(
            y,
            tr("unlimited") if v["budget_wan"] is None else f"{v['budget_wan']:,.0f}",
            *(f"{v[k]:,.0f}" for k in ("mean_wan", "p50_wan", "p95_wan", "p99_wan")),
            "" if p is None else f"{p:.1%}",
        )
    console.print(t)
    dw, sb = s["deadweight"], s["smallest_budget_wan"]
    per = s["induced_revenue"]["per_wan_spent"]
    console.print(
        tr(
            "simulate.total",
            level=f"{sb['level']:.0%}",
            flat=f"{sb['flat']:,.0f}",
            deadweight=f"{0 if dw['share'] is None else dw['share']:.1%}",
            per=f"{0 if per is None else per:.2f}",
        )
    )
    for note in risk_notes(s):  # missing history, unpaid recognitions (issue 14)
        console.print(f"[yellow]{escape(note)}[/yellow]")
    print_payer_outlay(s)
    print_readings(s["interpretation"])


def print_payer_outlay(s: dict) -> None:
    """Per payer (五 各县(市)参照执行), when any payer other than 市本级 has claims or each has
    its own budget: mean, P95, overrun chance of its own budget, smallest safe budget."""
    payers = s.get("by_payer", {})
    if list(payers) in ([], ["市本级"]) and not s.get("budget_by_payer"):
        return
    t = Table(
        title=tr("jiaxing.sim_payers_title", level=f"{s['smallest_budget_wan']['level']:.0%}")
    )
    for col in (tr("jiaxing.col_payer"), tr("col.pay_year"), tr("col.budget"), tr("col.mean")):
        t.add_column(col, justify="left" if col == tr("jiaxing.col_payer") else "right")
    for col in ("P95", tr("col.p_overrun"), tr("jiaxing.col_safe_budget")):
        t.add_column(col, justify="right")
    for name, v in payers.items():
        for y, st in v["pay_years"].items():
            p = st["prob_over_budget"]
            t.add_row(
                name,
                y,
                tr("unlimited") if st["budget_wan"] is None else f"{st['budget_wan']:,.0f}",
                f"{st['mean_wan']:,.0f}",
                f"{st['p95_wan']:,.0f}",
                "" if p is None else f"{p:.1%}",
                f"{v['smallest_budget_wan']['by_pay_year'][y]:,.0f}",
            )
    console.print(t)


def run_simulate(
    path,
    sets=None,
    *,
    runs=None,
    seed=None,
    workers=None,
    budget_wan=None,
    out=None,
    progress=True,
    executor="local",
    address=None,
    resume=None,
    on_progress=None,
) -> tuple[Path, dict]:
    scenario = load_scenario(
        path,
        option_overrides(sets, runs, seed, workers, budget_wan),
        reads=("awards", "simulation"),
    )
    world = load_world(scenario)
    with checkpointed("simulate", scenario, [world], [scenario], out, resume) as partial:
        if executor == "local":  # forked workers inherit the compiled year loop
            yearloop.warm()
        with open_executor(executor, address, world.params.workers) as ex:
            res = run_montecarlo(
                world,
                progress=progress,
                executor=ex,
                store=partial.store(),
                on_progress=on_progress,  # the web app's progress bar
            )
        summary = summarise(res, world)
        if world.params.assumptions:  # shock risk alone: the same streams, assumptions at centre
            with open_executor(executor, address, world.params.workers) as ex:
                centre = run_montecarlo(
                    at_centre(world), progress=progress, executor=ex, label="centre"
                )
            summary["assumption_risk"] = assumption_risk(summary, summarise(centre, world), world)
        with run_folder(
            partial.final,
            "simulate",
            scenario=scenario,
            seed=world.params.seed,
            extra={
                "runs": res.runs,
                "workers": world.params.workers,
                "executor": executor,
                "resumed_from": str(partial.folder) if resume else None,
                "kernel": yearloop.kernel(),  # the year loop: "numba" or "numpy" (same numbers)
            },
        ) as run:
            write_simulation(res, summary, world, run.staging, scenario.path.name)
    return run.final, summary


def write_simulation(res: Results, summary: dict, world: World, staging: Path, title: str) -> None:
    outlay_frame(res).to_csv(staging / "outlay.csv", index=False)
    write_json(staging / "summary.json", summary)
    years = res.pay_years
    c1 = fan_chart(
        staging / "outlay_fan.png",
        years,
        res.owed.sum(axis=2),
        res.budget,
        tr("chart_fan_title", runs=res.runs),
    )
    c2 = overrun_chart(
        staging / "overrun.png",
        years,
        np.array(
            [
                np.nan if s["prob_over_budget"] is None else s["prob_over_budget"]
                for s in summary["pay_years"].values()
            ]
        ),
        world.params.level,
    )
    c3 = award_chart(staging / "by_award.png", years, res.owed.mean(axis=0))
    by_award = pd.DataFrame(
        [
            {"award": a, **{y: s["mean_wan"] for y, s in v.items()}}
            for a, v in summary["by_award"].items()
        ]
    )
    from fundalloc.commands.answers_jiaxing import readings, simulate_answer
    from fundalloc.core.answer import write_reports, write_workbook_of

    interp, _ = readings(summary["interpretation"])
    tables = {
        "By pay year": year_table(summary),
        "By award": by_award,
        # shock risk beside shock + assumption risk (issue 14)
        **(
            {"Assumptions": risk_table(summary["assumption_risk"])}
            if "assumption_risk" in summary
            else {}
        ),
        "By payer": payer_table(summary),
        "Readings": interp,
        "Outlay": outlay_frame(res),  # every replication: last, it is the longest
    }
    answer = simulate_answer(summary, title, [c1, c2, c3], tables)
    write_workbook_of(staging / "outlay.xlsx", answer, tables)
    write_reports(staging, answer)
