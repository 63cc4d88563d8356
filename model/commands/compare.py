"""`fundalloc compare` outputs: compare.csv, compare_detail.csv, summary.json, comparison.xlsx,
report.html (charts: score and money by batch) and manifest.json, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fundalloc.selection.compare import CompareOutcome, Proposal, compare_batches, read_proposals
from fundalloc.core.report import bar_chart, html_report, write_workbook
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario


def write_compare(outcome: CompareOutcome, staging: Path) -> None:
    table, detail, s = outcome.table, outcome.detail, outcome.summary
    table.to_csv(staging / "compare.csv", index=False, encoding="utf-8")
    detail.to_csv(staging / "compare_detail.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", s)
    p = s["parameters"]
    write_workbook(staging / "comparison.xlsx", {
        "Batches": table, "Applicants": detail,
        "Parameters": pd.DataFrame(list(p.items()), columns=["key", "value"]).astype(str)})
    best = s["optimum"]
    charts = [
        bar_chart(staging / "score_by_batch.png", table.batch.tolist(), table.total_score.tolist(),
                  "Total assessment score by batch", "score",
                  reference=None if best is None else best["total_score"],
                  reference_label="optimum"),
        bar_chart(staging / "money_by_batch.png", table.batch.tolist(),
                  table.total_award_wan.tolist(), "Total awards by batch",
                  "wan yuan (10,000 CNY)", reference=p["budget_wan"], reference_label="budget"),
    ]
    head = ("<p>No batch satisfies every rule: " + "; ".join(s["conflicts"]) + "</p>"
            if best is None else
            f"<p>Optimum ({best['status']}, MIP gap {best['mip_gap']}): "
            f"{', '.join(best['designated'])} — total score {best['total_score']:.2f}, awards "
            f"{best['total_award_wan']:,} 万 of {p['budget_wan']:,.0f} 万.</p>")
    broken = "".join(f"<li><b>{b['batch']}</b>: " + ("follows every rule" if not b["rules_broken"]
                     else "; ".join(b["rules_broken"])) + "</li>" for b in s["batches"])
    html_report(staging / "report.html", "fundalloc — proposed batches against the optimum", [
        ("", head), ("Batches", table.drop(columns=["rules_broken"])),
        ("Rules broken", f"<ul>{broken}</ul>"), ("Charts", charts),
        ("Applicants", detail)])


def run_compare(scenario: Scenario, batches: list[Path] | None = None,
                proposals: list[Proposal] | None = None, applicants: str | Path | None = None,
                out: Path | None = None) -> tuple[Path, CompareOutcome]:
    proposals = list(proposals or [])
    for path in batches or []:
        proposals += read_proposals(path)
    names = [p.name for p in proposals]
    for i, name in enumerate(names):   # same stem in two files: keep both, distinguishable
        if names.count(name) > 1:
            proposals[i].name = f"{name} ({Path(proposals[i].source).name})"
    outcome = compare_batches(scenario, proposals, applicants)
    with run_folder(out, "compare", scenario=scenario) as run:
        write_compare(outcome, run.staging)
    return run.final, outcome
