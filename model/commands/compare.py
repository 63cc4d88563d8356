"""`fundalloc compare` outputs: compare.csv, compare_detail.csv, summary.json, comparison.xlsx,
report.html (charts: score and money by batch) and manifest.json, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from fundalloc.commands.answers_selection import compare_answer, parameters_frame
from fundalloc.commands.common import OUT, SETS, console, reports_errors
from fundalloc.core.answer import write_reports, write_workbook_of
from fundalloc.core.i18n import tr
from fundalloc.core.report import bar_chart
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.selection.compare import (
    CompareOutcome,
    Proposal,
    compare_batches,
    read_proposals,
    swap_words,
)


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.compare.scenario")),
    batch: List[Path] = typer.Option(
        ...,
        "--batch",
        help=tr("help.compare.batch"),
    ),
    applicants: Optional[Path] = typer.Option(
        None, "--applicants", help=tr("help.compare.applicants")
    ),
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Check proposed batches against every rule and put them beside the optimum.

    For each batch: rules broken (in words), total score and score lost, money, regional
    balance, awards that stray from proportional (awards not given are sized as the model
    would), and for each proposed applicant the optimum leaves out, the cheapest swap. Writes
    compare.csv, compare_detail.csv, summary.json, comparison.xlsx, report.html, manifest.json.
    """
    final, outcome = run_compare(
        load_scenario(scenario, set_, reads=("selection", "eligibility")),
        batch,
        applicants=applicants,
        out=out,
    )
    print_batches(outcome)
    console.print(tr("results_at", path=final))


def print_batches(outcome: CompareOutcome) -> None:
    t = Table(title=tr("compare.title"))
    for col, right in (
        (tr("col.batch"), False),
        (tr("col.designated"), False),
        (tr("col.score"), True),
        (tr("col.lost"), True),
        (tr("col.awards_wan"), True),
        (tr("col.groups"), True),
        (tr("col.rules"), False),
    ):
        t.add_column(col, overflow="fold", justify="right" if right else "left")
    for r in outcome.table.itertuples():
        lost = "" if r.score_lost is None or r.score_lost != r.score_lost else f"{r.score_lost:.2f}"
        n_broken = r.rules_broken.count("; ") + 1 if r.rules_broken else 0
        t.add_row(
            r.batch,
            r.designated,
            f"{r.total_score:.2f}",
            lost,
            f"{r.total_award_wan:,}",
            str(r.regions_covered),
            tr("compare.ok") if r.follows_rules else tr("compare.n_broken", n=n_broken),
        )
    console.print(t)
    for b in outcome.summary["batches"]:
        for rule in b["rules_broken"]:
            console.print(tr("compare.breaks", batch=b["batch"], rule=rule))
        for ident, s in b["cheapest_swaps"].items():
            console.print(
                tr("compare.not_in_optimum", batch=b["batch"], id=ident, swap=swap_words(s))
            )


def write_compare(outcome: CompareOutcome, staging: Path, scenario: Scenario | None = None) -> None:
    table, detail, s = outcome.table, outcome.detail, outcome.summary
    table.to_csv(staging / "compare.csv", index=False, encoding="utf-8")
    detail.to_csv(staging / "compare_detail.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", s)
    p = s["parameters"]
    best = s["optimum"]
    charts = [
        bar_chart(
            staging / "score_by_batch.png",
            table.batch.tolist(),
            table.total_score.tolist(),
            tr("chart_score_by_batch"),
            tr("chart_score"),
            reference=None if best is None else best["total_score"],
            reference_label=tr("chart_optimum"),
        ),
        bar_chart(
            staging / "money_by_batch.png",
            table.batch.tolist(),
            table.total_award_wan.tolist(),
            tr("chart_money_by_batch"),
            tr("chart_wan"),
            reference=p["budget_wan"],
            reference_label=tr("chart_budget"),
        ),
    ]
    answer = compare_answer(outcome, scenario, charts)
    write_workbook_of(
        staging / "comparison.xlsx",
        answer,
        {
            "Batches": table,
            "Applicants": detail,
            "Parameters": parameters_frame(p),
        },
    )
    write_reports(staging, answer)


def run_compare(
    scenario: Scenario,
    batches: list[Path] | None = None,
    proposals: list[Proposal] | None = None,
    applicants: str | Path | None = None,
    out: Path | None = None,
) -> tuple[Path, CompareOutcome]:
    proposals = list(proposals or [])
    for path in batches or []:
        proposals += read_proposals(path)
    names = [p.name for p in proposals]
    for i, name in enumerate(names):  # same stem in two files: keep both, distinguishable
        if names.count(name) > 1:
            proposals[i].name = f"{name} ({Path(proposals[i].source).name})"
    outcome = compare_batches(scenario, proposals, applicants)
    with run_folder(out, "compare", scenario=scenario) as run:
        write_compare(outcome, run.staging, scenario)
    return run.final, outcome
