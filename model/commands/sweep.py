"""`fundalloc sweep`: vary one scenario key, re-optimise the batch at each value; sweep.csv,
sweep_awards.csv, summary.json, workbook, report with charts, manifest, all or nothing
(core/runs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pandas as pd
import typer

from fundalloc.commands.answers_points import sweep_answer
from fundalloc.commands.charts import in_out_grid, line_chart
from fundalloc.commands.common import (
    ADDRESS,
    APPLICANTS,
    OUT,
    SETS,
    SWEEP_EXECUTOR,
    SWEEP_WORKERS,
    console,
    reports_errors,
)
from fundalloc.commands.points import (
    SweepOutcome,
    awards_long,
    has_batch,
    point_summary,
    points_table,
    print_points,
    write_tables,
)
from fundalloc.core.answer import write_reports, write_workbook_of
from fundalloc.core.i18n import tr
from fundalloc.core.runs import run_folder
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.selection.sweep import check_param, fmt, parse_values, run_points


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.sweep.scenario")),
    param: str = typer.Option(
        ...,
        "--param",
        help=tr("help.sweep.param"),
    ),
    values: str = typer.Option(
        ...,
        "--values",
        help=tr("help.sweep.values"),
    ),
    applicants: Optional[Path] = APPLICANTS,
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
    executor: str = SWEEP_EXECUTOR,
    address: Optional[str] = ADDRESS,
    workers: int = SWEEP_WORKERS,
) -> None:
    """Vary one scenario key and re-optimise the batch at each value.

    One full optimisation per value (ties listed); a value with no feasible batch is a row
    saying why. Writes sweep.csv, sweep_awards.csv, summary.json, sweep.xlsx, report.html
    (score and awards against the value, who is in at each value) and manifest.json.
    """
    final, o = run_sweep(
        load_scenario(scenario, set_, reads=("selection", "eligibility")),
        param,
        values,
        applicants,
        out,
        executor,
        address,
        workers,
    )
    print_points(o.table, "value", tr("sweep.title", dotted=o.key), tr("col.value"))
    console.print(tr("results_at", path=final))


def sweep(
    scenario: Scenario,
    key: str,
    values_text: str,
    applicants=None,
    executor="local",
    address=None,
    workers=0,
    progress=True,
) -> SweepOutcome:
    param = check_param(scenario, key)
    values = parse_values(values_text, param)
    points = run_points(
        scenario, param.key, values, applicants, executor, address, workers, progress
    )
    table = points_table(points)
    summary = {
        "command": "sweep",
        "param": param.key,
        "values": values,
        "n_values": len(values),
        "n_with_batch": sum(has_batch(p) for p in points),
        "batch_changes": [
            {"value": p["value"], "change": p["change"]} for p in points if p["change"]
        ],
        "points": [point_summary(p) for p in points],
        "scenario": str(scenario.path),
        "overrides": scenario.overrides,
    }
    return SweepOutcome("sweep", param.key, points, table, awards_long(points), summary)


def write_sweep(o: SweepOutcome, staging: Path, scenario: Scenario) -> None:
    values = [p["value"] for p in o.points]
    ids, grid, wide = write_tables(o, staging, "sweep", [fmt(v) for v in values])
    score = [p.get("total_score") if has_batch(p) else None for p in o.points]
    money = [p.get("total_award_wan") if has_batch(p) else None for p in o.points]
    charts = [
        line_chart(
            staging / "score_by_value.png",
            values,
            {tr("chart_total_score"): score},
            tr("chart_score_by_value"),
            o.key,
            tr("chart_total_score"),
        ),
        line_chart(
            staging / "awards_by_value.png",
            values,
            {tr("chart_total_awards"): money},
            tr("chart_awards_by_value"),
            o.key,
            tr("chart_wan"),
        ),
    ]
    if ids:
        charts.append(
            in_out_grid(
                staging / "batch_by_value.png",
                values,
                ids,
                grid,
                tr("chart_who_by_value"),
                o.key,
            )
        )
    answer = sweep_answer(o, scenario, charts, wide)
    write_workbook_of(
        staging / "sweep.xlsx",
        answer,
        {
            "Sweep": o.table,
            "Awards": o.awards,
            "Awards grid": wide,
            "Run": pd.DataFrame(
                [
                    (tr("fig.param"), o.key),
                    (tr("fig.values"), ", ".join(map(fmt, values))),
                    (tr("fig.scenario"), str(scenario.path)),
                    (tr("fig.overrides"), " ".join(scenario.overrides)),
                ],
                columns=["item", "value"],
            ),
        },
    )
    write_reports(staging, answer)


def run_sweep(
    scenario: Scenario,
    key: str,
    values_text: str,
    applicants=None,
    out=None,
    executor="local",
    address=None,
    workers=0,
    progress=True,
) -> tuple[Path, SweepOutcome]:
    outcome = sweep(scenario, key, values_text, applicants, executor, address, workers, progress)
    with run_folder(
        out,
        "sweep",
        scenario=scenario,
        extra={
            "param": outcome.key,
            "values": outcome.summary["values"],
            "executor": executor,
            "workers": workers,
        },
    ) as run:
        write_sweep(outcome, run.staging, scenario)
    return run.final, outcome
