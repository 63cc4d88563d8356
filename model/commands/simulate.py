"""`fundalloc simulate`: build the world from a scenario, run the Monte Carlo, summarise, write
one results folder (nothing is written unless the run completes; the finished chunks of an
interrupted run are kept for --resume)."""

from __future__ import annotations

import math
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
from fundalloc.core.errors import ScenarioError
from fundalloc.core.executors import open_executor
from fundalloc.core.i18n import tr
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import load_scenario
from fundalloc.core.tables import typed_numbers
from fundalloc.simulation import yearloop
from fundalloc.simulation.budgets import (
    budget_chart_of,
    budget_frame,
    budget_items,
    by_budget,
    simulated_again,
)
from fundalloc.simulation.kernel import World
from fundalloc.simulation.montecarlo import Passes, Results, run_montecarlo
from fundalloc.simulation.rebudget import ClaimCache, rebudget, reusable, study_key
from fundalloc.simulation.report import award_chart, fan_chart, overrun_chart
from fundalloc.simulation.summary import (
    outlay_frame,
    payer_table,
    risk_notes,
    summarise,
    year_table,
)
from fundalloc.simulation.uncertain import assumption_risk, risk_table, shock_risk
from fundalloc.simulation.world import load_world


@reports_errors
@replication_options
def command(
    scenario: Path = typer.Argument(..., help=tr("help.simulate.scenario")),
    resume: Optional[Path] = RESUME,
    budgets: Optional[str] = typer.Option(None, "--budgets", help=tr("help.simulate.budgets")),
    **options,
) -> None:
    """Simulate firms under the Jiaxing reward schedule: yearly outlay and chance of overrun.

    Runs the agent-based model as Monte Carlo on all cores, pays awards by the rules engine
    under the readings in [awards], and writes outlay.csv, summary.json, report.html (fan
    chart against the budget, overrun chance, split by award, deadweight) and manifest.json.
    """
    sets = list(options.pop("set_") or []) + budget_sets(budgets)
    final, s = run_simulate(scenario, sets, resume=resume, **options)
    print_outlay(s)
    print_by_budget(s)
    console.print(tr("results_at", path=final))


def budget_sets(text: str | None) -> list[str]:
    """--budgets 4000,6000,8000 as the --set line of simulation.budgets: split and read as the
    stress page's field reads the list (4000万、0.6亿, Chinese commas, 4,000 is four thousand)."""
    if text is None:
        return []
    values = []
    for part in budget_items(text):
        typed = typed_numbers(pd.Series([part]), "--budgets", "--budgets", unit="万元").iloc[0]
        try:
            value = float(typed)
        except ValueError:
            value = float("nan")
        if not math.isfinite(value):
            raise typer.BadParameter(tr("check.budgets_option", value=part))
        values.append(value)
    # repr: every digit typed (:g would turn 1234567 into 1.23457e+06)
    return [f"simulation.budgets=[{', '.join(repr(v) for v in values)}]"]


def print_by_budget(s: dict) -> None:
    """Each budget compared (simulation.budgets): its chance of overrun by pay year."""
    block = s.get("by_budget")
    if not block:
        return
    rows = block["budgets"]
    years = list(rows[0]["pay_years"])
    t = Table(title=tr("simulate.by_budget_title"))
    t.add_column(tr("col.budget"), justify="right")
    for y in years:
        t.add_column(y, justify="right")
    t.add_column(tr("col.worst_overrun"), justify="right")
    for r in rows:
        probs = [r["pay_years"][y]["prob_over_budget"] for y in years]
        t.add_row(
            f"{r['budget_wan']:,.0f}",
            *("" if p is None else f"{p:.1%}" for p in probs),
            f"{r['worst_prob_over_budget']:.1%}",
        )
    console.print(t)
    if block["simulated_again"]:
        again = ", ".join(f"{b:,.0f}" for b in block["simulated_again"])
        console.print(f"[yellow]{escape(tr('simulate.by_budget_again', budgets=again))}[/yellow]")


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
    cache: ClaimCache | None = None,
) -> tuple[Path, dict]:
    """`cache` (the web app's): a run of the same study under another budget or exhaustion
    reading is paid again from its kept entitlements instead of simulated (rebudget.py), with
    the same numbers; each run simulated is kept in it."""
    scenario = load_scenario(
        path,
        option_overrides(sets, runs, seed, workers, budget_wan),
        reads=("awards", "simulation"),
    )
    world = load_world(scenario)
    if world.params.budgets and world.interp.budget_by_payer:
        raise ScenarioError(scenario.path, "simulation.budgets", tr("check.budgets_by_payer"))
    key = study_key(world) if cache is not None and reusable(world) else None
    keep = key is not None or (bool(world.params.budgets) and reusable(world))
    hit = None if key is None or resume else cache.get(key)  # type: ignore[union-attr]
    per_pass = world.params.runs
    passes = (0 if hit is not None else 1 + bool(world.params.assumptions)) + len(
        simulated_again(world, hit is not None or keep)
    )
    bar = Passes(on_progress, passes * per_pass)  # the web app's progress bar, over every pass
    with checkpointed("simulate", scenario, [world], [scenario], out, resume) as partial:
        res: Results
        centre: Results | None
        if hit is not None:
            res = rebudget(hit[0], world)
            centre = None if hit[1] is None else rebudget(hit[1], world)
        else:
            if executor == "local":  # forked workers inherit the compiled year loop
                yearloop.warm()
            with open_executor(executor, address, world.params.workers) as ex:
                res = run_montecarlo(
                    world,
                    progress=progress,
                    executor=ex,
                    store=partial.store(),
                    on_progress=bar.next(per_pass),
                    keep=keep,
                )
            centre = None
            if world.params.assumptions:  # shock risk alone: same streams, assumptions at centre
                with open_executor(executor, address, world.params.workers) as ex:
                    centre = run_montecarlo(
                        shock_risk(world),
                        progress=progress,
                        executor=ex,
                        label="centre",
                        keep=key is not None,
                        on_progress=bar.next(per_pass),
                    )
            if key is not None and res.kept is not None:
                cache.put(key, (res, centre))  # type: ignore[union-attr]
        summary = summarise(res, world)
        if centre is not None:
            summary["assumption_risk"] = assumption_risk(summary, summarise(centre, world), world)
        if world.params.budgets:  # what each budget would carry, from the same claims

            def again(w: World) -> Results:
                with open_executor(executor, address, w.params.workers) as ex:
                    label = tr("col.budget") + f" {w.interp.budget_wan:,.0f}"
                    return run_montecarlo(
                        w,
                        progress=progress,
                        executor=ex,
                        label=label,
                        on_progress=bar.next(per_pass),
                    )

            summary["by_budget"] = by_budget(res, world, again)
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
                "claims_reused": hit is not None,
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
    c4 = None
    if summary.get("by_budget"):
        budget_frame(summary).to_csv(staging / "budgets.csv", index=False)
        c4 = budget_chart_of(staging / "by_budget.png", summary, world.params.level)
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
        **({"By budget": budget_frame(summary)} if c4 is not None else {}),
        "Readings": interp,
        "Outlay": outlay_frame(res),  # every replication: last, it is the longest
    }
    answer = simulate_answer(summary, title, [c1, c2, c3, *([c4] if c4 else [])], tables)
    write_workbook_of(staging / "outlay.xlsx", answer, tables)
    write_reports(staging, answer)
