"""`fundalloc stress`: the base scenario and its stress scenarios, same seed and runs, side by
side (P95 outlay, chance of overrun, smallest safe budget) in one results folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import numpy as np
import pandas as pd
import typer
from rich.table import Table

from fundalloc.commands.answers_jiaxing import stress_answer
from fundalloc.commands.common import (
    ADDRESS,
    BUDGET,
    EXECUTOR,
    OUT,
    RESUME,
    RUNS,
    SEED,
    SETS,
    WORKERS,
    console,
    reports_errors,
)
from fundalloc.commands.replications import checkpointed, option_overrides
from fundalloc.core.answer import write_reports, write_workbook_of
from fundalloc.core.errors import ScenarioError
from fundalloc.core.executors import open_executor
from fundalloc.core.i18n import tr
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.simulation import yearloop
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.report import stress_charts
from fundalloc.simulation.summary import payer_table, summarise
from fundalloc.simulation.world import load_world

READS = ("awards", "simulation", "stress")  # the tables stress reads


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.stress.scenario")),
    others: Optional[List[Path]] = typer.Argument(None, help=tr("help.stress.others")),
    runs: Optional[int] = RUNS,
    seed: Optional[int] = SEED,
    workers: Optional[int] = WORKERS,
    budget_wan: Optional[float] = BUDGET,
    level: Optional[float] = typer.Option(None, "--level", help=tr("help.stress.level")),
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
    executor: str = EXECUTOR,
    address: Optional[str] = ADDRESS,
    resume: Optional[Path] = RESUME,
) -> None:
    """Run stress scenarios side by side: P95 outlay, chance of overrun, smallest safe budget."""
    final, table, s = run_stress(
        scenario,
        set_,
        others=others,
        runs=runs,
        seed=seed,
        workers=workers,
        budget_wan=budget_wan,
        level=level,
        out=out,
        executor=executor,
        address=address,
        resume=resume,
    )
    print_stress(table, s)
    print_stress_payers(s)
    console.print(tr("results_at", path=final))


def print_stress(table: pd.DataFrame, s: dict) -> None:
    years = sorted(table.pay_year.unique())
    t = Table(title=tr("stress.title"))
    t.add_column(tr("col.scenario"))
    for y in years:
        t.add_column(str(y), justify="right")
    t.add_column(tr("col.budget_for", level=f"{s['level']:.0%}"), justify="right")
    names = list(table.scenario.unique())
    prefix = os.path.commonprefix(names) if len(names) > 1 else ""
    prefix = prefix[: prefix.rfind("-") + 1]  # cut at a word boundary: "jiaxing-sim-"
    for name, rows in table.groupby("scenario", sort=False):
        name = name[len(prefix) :] or name
        cells = [
            f"{r.p95_wan:,.0f}"
            + ("" if _isna(r.prob_over_budget) else f" ({r.prob_over_budget:.0%})")
            for r in rows.itertuples()
        ]
        t.add_row(name, *cells, f"{rows.smallest_flat_budget_wan.iloc[0]:,.0f}")
    console.print(t)


def _isna(value) -> bool:
    return value is None or value != value


def stress_paths(scenario: Scenario, extra: list[Path] | None) -> list[Path]:
    if extra:
        return [Path(p).resolve() for p in extra]
    listed = scenario.get("stress.scenarios", [])
    if not isinstance(listed, list):
        raise ScenarioError(scenario.path, "stress.scenarios", tr("stress.not_a_list"))
    return [(scenario.path.parent / p).resolve() for p in listed]


def run_stress(
    path,
    sets=None,
    *,
    others=None,
    runs=None,
    seed=None,
    workers=None,
    budget_wan=None,
    level=None,
    out=None,
    progress=True,
    executor="local",
    address=None,
    resume=None,
    on_progress=None,
) -> tuple[Path, pd.DataFrame, dict]:
    overrides = option_overrides(sets, runs, seed, workers, budget_wan)
    if level is not None:
        overrides.append(f"simulation.level={level}")
    base = load_scenario(path, overrides, reads=READS)
    scenarios = [base] + [
        load_scenario(p, overrides, reads=READS) for p in stress_paths(base, others)
    ]
    worlds = [load_world(sc) for sc in scenarios]
    with checkpointed("stress", base, worlds, scenarios, out, resume) as partial:
        if executor == "local":  # forked workers inherit the compiled year loop
            yearloop.warm()
        with open_executor(executor, address, worlds[0].params.workers) as ex:
            results = [
                run_montecarlo(
                    w,
                    progress=progress,
                    label=sc.path.stem,
                    executor=ex,
                    store=partial.store(f"{i:02d}-{sc.path.stem}"),
                    # the web app's progress bar: (scenario index, done, total)
                    on_progress=on_progress and (lambda d, t, i=i: on_progress(i, d, t)),
                )
                for i, (sc, w) in enumerate(zip(scenarios, worlds, strict=True))
            ]
        return write_stress(base, scenarios, worlds, results, partial.final)


def write_stress(base, scenarios, worlds, results, out) -> tuple[Path, pd.DataFrame, dict]:
    rows, summaries, totals = [], {}, {}
    for sc, world, res in zip(scenarios, worlds, results, strict=True):
        name = sc.path.stem
        s = summarise(res, world)
        summaries[name] = s
        totals[name] = res
        for y, v in s["pay_years"].items():
            rows.append(
                {
                    "scenario": name,
                    "pay_year": int(y),
                    "budget_wan": v["budget_wan"],
                    "mean_wan": v["mean_wan"],
                    "p95_wan": v["p95_wan"],
                    "prob_over_budget": v["prob_over_budget"],
                    "smallest_budget_wan": s["smallest_budget_wan"]["by_pay_year"][y],
                    "smallest_flat_budget_wan": s["smallest_budget_wan"]["flat"],
                }
            )
    table = pd.DataFrame(rows)
    names = list(summaries)
    summary = {
        "level": summaries[names[0]]["smallest_budget_wan"]["level"],
        "scenarios": {
            n: {
                k: summaries[n][k]
                for k in (
                    "runs",
                    "seed",
                    "pay_years",
                    "smallest_budget_wan",
                    "deadweight",
                    "induced_revenue",
                    "crossings",
                    "by_payer",
                    "budget_by_payer",
                )
            }
            for n in names
        },
    }
    by_payer = pd.concat(
        [payer_table(summaries[n]).assign(scenario=n) for n in names], ignore_index=True
    )
    with run_folder(
        out,
        "stress",
        scenario=base,
        seed=summaries[names[0]]["seed"],
        extra={"scenarios": [str(sc.path) for sc in scenarios], "kernel": yearloop.kernel()},
    ) as run:
        table.to_csv(run.staging / "stress.csv", index=False)
        write_json(run.staging / "summary.json", summary)
        years = totals[names[0]].pay_years
        p95 = np.array(
            [[summaries[n]["pay_years"][str(y)]["p95_wan"] for y in years] for n in names]
        )
        prob = np.array(
            [
                [
                    np.nan
                    if (v := summaries[n]["pay_years"][str(y)]["prob_over_budget"]) is None
                    else v
                    for y in years
                ]
                for n in names
            ]
        )
        charts = stress_charts(run.staging, years, names, p95, prob, totals[names[0]].budget)
        wide = table.pivot(index="scenario", columns="pay_year", values="p95_wan").reindex(names)
        flat = pd.DataFrame(
            [
                {
                    "scenario": n,
                    "smallest_flat_budget_wan": summaries[n]["smallest_budget_wan"]["flat"],
                    "deadweight_share": summaries[n]["deadweight"]["share"],
                }
                for n in names
            ]
        )
        tables = {
            "Budgets": flat,
            "p95 by pay year": wide.reset_index().rename(columns=str),
            "Stress": table,
            "By payer": by_payer,
        }
        answer = stress_answer(summary, names, base.path.stem, charts, tables)
        write_workbook_of(run.staging / "stress.xlsx", answer, tables)
        write_reports(run.staging, answer)
    return run.final, table, summary


def print_stress_payers(s: dict) -> None:
    """Per scenario and payer, when a payer other than 市本级 has claims: P95 (overrun chance
    of its own budget) by pay year and its smallest safe flat budget."""
    for name, sc in s["scenarios"].items():
        payers = sc.get("by_payer", {})
        if list(payers) in ([], ["市本级"]) and not sc.get("budget_by_payer"):
            continue
        years = list(next(iter(payers.values()))["pay_years"])
        t = Table(title=tr("jiaxing.stress_payers_title", scenario=name))
        t.add_column(tr("jiaxing.col_payer"))
        for y in years:
            t.add_column(y, justify="right")
        t.add_column(tr("col.budget_for", level=f"{s['level']:.0%}"), justify="right")
        for payer, v in payers.items():
            cells = [
                f"{st['p95_wan']:,.0f}"
                + ("" if st["prob_over_budget"] is None else f" ({st['prob_over_budget']:.0%})")
                for st in v["pay_years"].values()
            ]
            t.add_row(payer, *cells, f"{v['smallest_budget_wan']['flat']:,.0f}")
        console.print(t)
