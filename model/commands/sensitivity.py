"""`fundalloc sensitivity`: which uncertain assumption of [simulation] moves the outlay most
(a Sobol' analysis with SALib, simulation/sensitivity.py), written as one results folder."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from fundalloc.commands.common import (
    ADDRESS,
    EXECUTOR,
    OUT,
    SEED,
    SETS,
    WORKERS,
    console,
    reports_errors,
)
from fundalloc.commands.replications import option_overrides
from fundalloc.core.answer import Answer, write_reports, write_workbook_of
from fundalloc.core.errors import FundallocError
from fundalloc.core.executors import open_executor
from fundalloc.core.i18n import tr
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.sensitivity import (
    DEFAULT_RUNS,
    DEFAULT_SAMPLES,
    Sensitivity,
    assumption_label,
    ranking,
    run_sensitivity,
    tornado_chart,
)
from fundalloc.simulation.world import load_world


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.sensitivity.scenario")),
    samples: int = typer.Option(DEFAULT_SAMPLES, "--samples", help=tr("help.sensitivity.samples")),
    runs: int = typer.Option(DEFAULT_RUNS, "--runs", help=tr("help.sensitivity.runs")),
    year: Optional[int] = typer.Option(None, "--year", help=tr("help.sensitivity.year")),
    seed: Optional[int] = SEED,
    workers: Optional[int] = WORKERS,
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
    executor: str = EXECUTOR,
    address: Optional[str] = ADDRESS,
) -> None:
    """Which uncertain assumption matters: a global sensitivity analysis of the outlay.

    Varies every assumption of [simulation] given as a distribution over a Sobol' design
    (SALib), runs the same replications at each point (common random numbers) and ranks the
    assumptions by their share of the variance of each pay year's mean and P95 outlay and of
    the smallest safe budget; writes sensitivity.csv, points.csv, summary.json, tornado.png,
    sensitivity.xlsx, report.html and manifest.json.
    """
    final, result, headline = run_sensitivity_command(
        scenario,
        set_,
        samples=samples,
        runs=runs,
        year=year,
        seed=seed,
        workers=workers,
        out=out,
        executor=executor,
        address=address,
    )
    t = Table(title=tr("sens.title", output=headline, points=len(result.points), runs=runs))
    t.add_column(tr("sens.col.rank"), justify="right")
    t.add_column(tr("sens.col.assumption"))
    for col in ("ST", "±", "S1"):
        t.add_column(col, justify="right")
    for r in ranking(result, headline).itertuples():
        name = f"{assumption_label(r.assumption)} ({r.assumption})"
        t.add_row(str(r.rank), name, f"{r.ST:.2f}", f"{r.ST_conf:.2f}", f"{r.S1:.2f}")
    console.print(t)
    console.print(tr("results_at", path=final))


def headline_output(result: Sensitivity, year: int | None) -> str:
    """The output the terminal ranks by: the P95 of `year` (default 2026, else the first)."""
    wanted = [f"{year or 2026} P95"]
    choice = next((o for o in wanted if o in result.outputs), None)
    if choice is None:
        if year is not None:
            raise FundallocError(tr("sens.no_year", year=year))
        choice = next(o for o in result.outputs if o.endswith("P95"))
    return choice


def run_sensitivity_command(
    path,
    sets=None,
    *,
    samples,
    runs,
    year=None,
    seed=None,
    workers=None,
    out=None,
    executor="local",
    address=None,
    progress=True,
):
    scenario = load_scenario(
        path, option_overrides(sets, None, seed, workers, None), reads=("awards", "simulation")
    )
    world = load_world(scenario)
    if not world.params.assumptions:
        raise FundallocError(tr("sens.none", path=scenario.path))
    if samples < 2 or samples & (samples - 1):
        raise FundallocError(tr("sens.samples", samples=samples))
    k = len(world.params.assumptions)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        disable=not progress,
    )
    with bar, open_executor(executor, address, world.params.workers) as ex:
        task = bar.add_task(tr("sens.progress"), total=samples * (k + 2))
        result = run_sensitivity(world, samples, runs, ex, on_point=lambda: bar.advance(task))
    headline = headline_output(result, year)
    with run_folder(
        out,
        "sensitivity",
        scenario=scenario,
        seed=world.params.seed,
        extra={
            "samples": samples,
            "runs": runs,
            "points": len(result.points),
            "executor": executor,
        },
    ) as run:
        write_outputs(run.staging, result, headline, scenario.path.name, samples, runs)
    return run.final, result, headline


def write_outputs(folder: Path, result: Sensitivity, headline: str, title: str, samples, runs):
    import pandas as pd

    result.indices.to_csv(folder / "sensitivity.csv", index=False)
    points = pd.DataFrame(result.points, columns=result.names)
    points[result.outputs] = result.values
    points.to_csv(folder / "points.csv", index=False)
    top = ranking(result, headline)
    write_json(
        folder / "summary.json",
        {
            "method": "sobol (SALib, Saltelli design, no second order)",
            "samples": samples,
            "points": len(result.points),
            "runs_per_point": runs,
            "headline": headline,
            "ranking": top[["assumption", "ST", "ST_conf", "S1", "S1_conf"]].to_dict("records"),
            "outputs": {
                o: ranking(result, o)[["assumption", "ST", "S1"]].to_dict("records")
                for o in result.outputs
            },
        },
    )
    chart = tornado_chart(
        folder / "tornado.png",
        top,
        tr("sens.title", output=headline, points=len(result.points), runs=runs),
    )
    lines = [
        tr(
            "sens.summary",
            output=headline,
            first=assumption_label(top.assumption[0]),
            share=f"{top.ST[0]:.0%}",
            points=len(result.points),
            runs=runs,
        )
    ]
    shown = top.assign(label=[assumption_label(a) for a in top.assumption])
    shown = shown[["rank", "label", "assumption", "ST", "ST_conf", "S1", "S1_conf"]].round(3)
    answer = Answer(
        title=tr("sens.wb_title"),
        scenario=title,
        headline=lines[0],
        figures=[
            (tr("sens.fig_output"), headline),
            (tr("sens.fig_points"), f"{len(result.points):,}"),
            (tr("sens.fig_runs"), f"{runs:,}"),
            (tr("sens.fig_assumptions"), f"{len(top)}"),
        ],
        notes=[tr("sens.note")],
        chart=chart,
        table=shown,
        table_title=tr("sens.table", output=headline),
        details=[(tr("sens.all"), result.indices)],
    )
    write_workbook_of(
        folder / "sensitivity.xlsx",
        answer,
        {"Ranking": shown, "All outputs": result.indices, "Points": points},
    )
    write_reports(folder, answer)
