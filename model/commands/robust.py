"""`fundalloc robust`: how sure the designation is under scoring noise — robust.csv,
summary.json, robustness.xlsx, report.html, report.pdf, a chart and manifest.json, all or
nothing (core/runs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

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
from fundalloc.core.i18n import tr
from fundalloc.core.report import bar_chart, html_report, pdf_report, write_workbook
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
    lines = summary_lines(s)
    write_workbook(
        staging / "robustness.xlsx",
        {"Applicants": table.drop(columns=["eligible"])},
        title=tr("robust.title"),
        scenario=scenario.path.stem if scenario.path else "",
        summary=lines,
    )
    pdf_report(staging / "report.pdf", tr("robust.title"), lines, [chart])
    html_report(
        staging / "report.html",
        tr("robust.title"),
        [
            ("", "".join(f"<p>{line}</p>" for line in lines)),
            (tr("robust.chart_title"), [chart]),
            ("robust.csv", table[table.eligible]),
        ],
    )


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
