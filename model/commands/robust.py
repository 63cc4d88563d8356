"""`fundalloc robust`: how sure the designation is under scoring noise — robust.csv,
summary.json, robustness.xlsx, report.html, report.pdf, a chart and manifest.json, all or
nothing (core/runs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from fundalloc.commands.answers_selection import scenario_name
from fundalloc.commands.common import (
    ADDRESS,
    APPLICANTS,
    EXECUTOR,
    OUT,
    SETS,
    WORKERS,
    console,
    reports_errors,
)
from fundalloc.core.answer import Answer, write_reports, write_workbook_of
from fundalloc.core.i18n import tr
from fundalloc.core.report import bar_chart
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.selection.robust import RobustOutcome, robustness


def summary_lines(s: dict) -> list[str]:
    top = s["commonest_batches"][0] if s["commonest_batches"] else None
    return [
        tr(
            "robust.summary",
            draws=f"{s['draws']:,}",
            sd=s["sd_from"] if s["score_sd"] is None else f"{s['score_sd']:g}",
            stability=f"{s['stability']:.0%}",
            batches=s["distinct_batches"],
            seconds=f"{s['seconds']:.1f}",
        ),
        tr("robust.given", names="、".join(s["designated"])),
        *(
            [
                tr(
                    "robust.commonest",
                    names="、".join(top["designated"]),
                    share=f"{top['share']:.0%}",
                )
            ]
            if top
            else []
        ),
    ]


def robust_answer(outcome: RobustOutcome, chart: Path, scenario: Scenario) -> Answer:
    """Page 1: how often the batch of the given scores comes back, the figures, the chart and
    the applicants most at stake (a chance strictly between 0 and 1 first)."""
    table, s = outcome.table, outcome.summary
    eligible = table[table.eligible]
    unsure = eligible[(eligible.p_designated > 0) & (eligible.p_designated < 1)]
    cols = [
        "id",
        "name",
        "city",
        "score",
        "designated",
        "p_designated",
        "award_mean_wan",
        "award_p05_wan",
        "award_p95_wan",
    ]
    main = eligible.sort_values("p_designated", ascending=False)[cols]
    lines = summary_lines(s)
    return Answer(
        title=tr("robust.title"),
        scenario=scenario_name(scenario),
        headline=lines[0],
        figures=[
            (tr("robust.fig_draws"), f"{s['draws']:,}"),
            (tr("robust.fig_stability"), f"{s['stability']:.0%}"),
            (tr("robust.fig_batches"), f"{s['distinct_batches']}"),
            (tr("robust.fig_unsure"), f"{len(unsure)}"),
        ],
        notes=lines[1:],
        chart=chart,
        table=main,
        table_title=tr("robust.chart_title"),
        details=[(tr("robust.all"), table.drop(columns=["eligible"]))],
    )


def write_robust(outcome: RobustOutcome, staging: Path, scenario: Scenario) -> None:
    table, s = outcome.table, outcome.summary
    table.to_csv(staging / "robust.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", s)
    shown = table[table.eligible].sort_values("p_designated", ascending=False).head(15)
    chart = bar_chart(
        staging / "p_designated.png",
        [f"{i} {n}" for i, n in zip(shown.id, shown.name)],
        shown.p_designated.tolist(),
        tr("robust.chart_title"),
        tr("robust.chart_axis"),
    )
    answer = robust_answer(outcome, chart, scenario)
    write_workbook_of(
        staging / "robustness.xlsx", answer, {"Applicants": table.drop(columns=["eligible"])}
    )
    write_reports(staging, answer)


def run_robust(
    scenario: Scenario,
    applicants=None,
    out: Path | None = None,
    executor: str = "local",
    address: str | None = None,
    workers: int | None = None,
) -> tuple[Path, RobustOutcome]:
    outcome = robustness(scenario, applicants, executor, address, workers)
    with run_folder(out, "robust", scenario=scenario) as run:
        write_robust(outcome, run.staging, scenario)
    return run.final, outcome


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.select.scenario")),
    applicants: Optional[Path] = APPLICANTS,
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
    draws: Optional[int] = typer.Option(None, "--draws", help=tr("help.robust.draws")),
    workers: Optional[int] = WORKERS,
    executor: str = EXECUTOR,
    address: Optional[str] = ADDRESS,
) -> None:
    """How sure the designation is when the scores carry noise of a few points.

    Draws the scores around the given ones ([robust]: one sd, an sd column, or the spread of
    the experts' columns), solves the exact selection for each draw, and writes each
    applicant's chance of designation and award distribution (robust.csv), the share of draws
    giving the same batch (stability in summary.json), robustness.xlsx, report.html,
    report.pdf and manifest.json.
    """
    sets = list(set_ or []) + ([f"robust.draws={draws}"] if draws else [])
    final, outcome = run_robust(
        load_scenario(scenario, sets, reads=("selection", "eligibility", "robust")),
        applicants,
        out,
        executor,
        address,
        workers,
    )
    t = Table(title=tr("robust.title"))
    for key, right in (
        (tr("col.id"), False),
        (tr("col.name"), False),
        (tr("col.score"), True),
        (tr("robust.col_p"), True),
        (tr("robust.col_award"), True),
    ):
        t.add_column(key, overflow="fold", justify="right" if right else "left")
    rows = outcome.table[outcome.table.p_designated > 0].sort_values(
        "p_designated", ascending=False
    )
    for r in rows.itertuples():
        t.add_row(
            r.id,
            r.name,
            f"{r.score:.1f}",
            f"{r.p_designated:.0%}",
            f"{r.award_mean_wan:,.0f} ({r.award_p05_wan:,.0f}–{r.award_p95_wan:,.0f})",
        )
    console.print(t)
    for line in summary_lines(outcome.summary):
        console.print(line)
    console.print(tr("results_at", path=final))
