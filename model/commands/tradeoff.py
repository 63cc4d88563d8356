"""`fundalloc tradeoff`: total score against regional balance; tradeoff.csv,
tradeoff_awards.csv, summary.json (with the Pareto frontier), workbook, report with charts,
manifest, all or nothing (core/runs.py).

The trade-off curve is a sweep of `selection.groups_covered_min` over k = 0 … number of
regional groups: the best total score with at least k groups covered. Its Pareto frontier is
read off the points (the batch at k may cover more than k groups; a point is dominated when
another covers as many groups or more with a score as high or higher, one of them strictly).
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pandas as pd
import typer

from fundalloc.commands.answers_points import tradeoff_answer
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
from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr
from fundalloc.core.runs import run_folder
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.selection.rulesets import ruleset_of
from fundalloc.selection.sweep import run_points

MEASURES = {"groups_covered": "selection.groups_covered_min"}


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.tradeoff.scenario")),
    measure: str = typer.Option(
        "groups_covered",
        "--measure",
        help=tr("help.tradeoff.measure"),
    ),
    applicants: Optional[Path] = APPLICANTS,
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
    executor: str = SWEEP_EXECUTOR,
    address: Optional[str] = ADDRESS,
    workers: int = SWEEP_WORKERS,
) -> None:
    """Trade-off between total score and regional balance: for k = 0 … number of regional
    groups, the best total score with at least k groups covered (selection.groups_covered_min).

    Writes tradeoff.csv, tradeoff_awards.csv, summary.json (with the Pareto frontier),
    tradeoff.xlsx, report.html (the curve, who is in at each k) and manifest.json.
    """
    final, o = run_tradeoff(
        load_scenario(scenario, set_, reads=("selection", "eligibility")),
        measure,
        applicants,
        out,
        executor,
        address,
        workers,
    )
    print_points(o.table, "k", tr("tradeoff.title"))
    front = o.summary["frontier"]
    console.print(
        tr(
            "tradeoff.frontier",
            points=", ".join(f"{f['groups_covered']} → {f['total_score']:.2f}" for f in front),
        )
    )
    console.print(tr("results_at", path=final))


def pareto(points: list[dict]) -> list[bool]:
    pts = [(p["groups_covered"], p["total_score"]) if has_batch(p) else None for p in points]
    tol = 1e-6

    def dominated(a, b):  # b dominates a
        return b[0] >= a[0] and b[1] >= a[1] - tol and (b[0] > a[0] or b[1] > a[1] + tol)

    return [a is not None and not any(b is not None and dominated(a, b) for b in pts) for a in pts]


def tradeoff(
    scenario: Scenario,
    measure: str = "groups_covered",
    applicants=None,
    executor="local",
    address=None,
    workers=0,
    progress=True,
) -> SweepOutcome:
    if measure not in MEASURES:
        raise FundallocError(
            tr("tradeoff.unknown_measure", measure=measure, known=", ".join(MEASURES))
        )
    key = MEASURES[measure]
    groups = ruleset_of(scenario).regions
    points = run_points(
        scenario,
        key,
        list(range(len(groups) + 1)),
        applicants,
        executor,
        address,
        workers,
        progress,
        label="trade-off",
    )
    table = points_table(points, value_col="k")
    best = next((p["total_score"] for p in points if has_batch(p)), None)
    table["score_lost"] = [
        None if best is None or not has_batch(p) else round(best - p["total_score"], 6)
        for p in points
    ]
    on = pareto(points)
    table["pareto"] = on
    first = ["k", "status", "total_score", "score_lost", "groups_covered", "pareto"]
    table = table[first + [c for c in table.columns if c not in first]]
    frontier, seen = [], set()
    for p, flag in zip(points, on, strict=True):
        if flag and p["groups_covered"] not in seen:
            seen.add(p["groups_covered"])
            frontier.append(
                {
                    "groups_covered": p["groups_covered"],
                    "total_score": p["total_score"],
                    "designated": p["designated"],
                    "tied_batches": p["tied_batches"],
                }
            )
    summary = {
        "command": "tradeoff",
        "measure": measure,
        "param": key,
        "n_groups": len(groups),
        "groups": list(groups),
        "frontier": frontier,
        "points": [
            {"k": p["value"], **point_summary(p), "pareto": flag}
            for p, flag in zip(points, on, strict=True)
        ],
        "scenario": str(scenario.path),
        "overrides": scenario.overrides,
    }
    return SweepOutcome("tradeoff", key, points, table, awards_long(points, "k"), summary)


def write_tradeoff(o: SweepOutcome, staging: Path, scenario: Scenario) -> None:
    ks = [p["value"] for p in o.points]
    ids, grid, wide = write_tables(o, staging, "tradeoff", [f"k={k}" for k in ks])
    frontier = pd.DataFrame(
        [
            {
                **f,
                "designated": " ".join(f["designated"]),
                "tied_batches": " | ".join(" ".join(b) for b in f["tied_batches"]),
            }
            for f in o.summary["frontier"]
        ],
        columns=["groups_covered", "total_score", "designated", "tied_batches"],
    )
    score = [p.get("total_score") if has_batch(p) else None for p in o.points]
    charts = [
        line_chart(
            staging / "tradeoff_curve.png",
            ks,
            {tr("chart_total_score"): score},
            tr("chart_tradeoff_curve"),
            "k (groups_covered_min)",
            tr("chart_total_score"),
            step=True,
        )
    ]
    if ids:
        charts.append(
            in_out_grid(
                staging / "batch_by_k.png",
                ks,
                ids,
                grid,
                tr("chart_who_by_k"),
                "k",
            )
        )
    answer = tradeoff_answer(o, scenario, charts, frontier, wide)
    write_workbook_of(
        staging / "tradeoff.xlsx",
        answer,
        {
            "Trade-off": o.table,
            "Pareto frontier": frontier,
            "Awards": o.awards,
            "Awards grid": wide,
            "Run": pd.DataFrame(
                [
                    (tr("fig.measure"), o.summary["measure"]),
                    (tr("fig.scenario"), str(scenario.path)),
                    (tr("fig.overrides"), " ".join(scenario.overrides)),
                ],
                columns=["item", "value"],
            ),
        },
    )
    write_reports(staging, answer)


def run_tradeoff(
    scenario: Scenario,
    measure: str = "groups_covered",
    applicants=None,
    out=None,
    executor="local",
    address=None,
    workers=0,
    progress=True,
) -> tuple[Path, SweepOutcome]:
    outcome = tradeoff(scenario, measure, applicants, executor, address, workers, progress)
    with run_folder(
        out,
        "tradeoff",
        scenario=scenario,
        extra={"measure": measure, "executor": executor, "workers": workers},
    ) as run:
        write_tradeoff(outcome, run.staging, scenario)
    return run.final, outcome
