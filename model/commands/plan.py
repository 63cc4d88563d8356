"""`fundalloc plan` outputs: plan.csv (every applicant of every year), summary.json,
plan.xlsx, report.html with charts, manifest.json — all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import numpy as np
import pandas as pd
import typer
from rich.table import Table

from fundalloc.commands.answers_selection import plan_answer
from fundalloc.commands.charts import chart_name
from fundalloc.commands.common import OUT, SETS, console, reports_errors, status_word
from fundalloc.core.answer import write_reports, write_workbook_of
from fundalloc.core.i18n import tr
from fundalloc.core.report import bar_chart
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.selection.programme import Plan, solve_programme


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.plan.scenario")),
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Plan the whole programme: designations over several annual batches, as one model.

    Each year's batch keeps the [selection] rules with its own batch size and budget
    ([programme]); nobody is designated twice; programme-wide totals and regional balance hold.
    Proves the plan optimal (score, then money), says whether another plan is as good, and
    writes plan.csv, summary.json, plan.xlsx, report.html and manifest.json.
    """
    final, _, _, s = run_plan(
        load_scenario(scenario, set_, reads=("selection", "eligibility", "programme")), out
    )
    print_plan(s)
    console.print(tr("results_at", path=final))


def print_plan(s: dict) -> None:
    t = Table(
        title=tr(
            "plan.title",
            status=status_word(s["status"]),
            gap=f"{s['mip_gap']:.1g}",
            n=s["n_designated"],
        )
    )
    for col, right in (
        (tr("col.year"), True),
        (tr("col.designated_award"), False),
        (tr("col.awards_wan"), True),
        (tr("col.budget_wan"), True),
        (tr("col.score"), True),
    ):
        t.add_column(col, overflow="fold", justify="right" if right else "left")
    for y, v in s["years"].items():
        t.add_row(
            y,
            " ".join(f"{i} ({a})" for i, a in v["awards_wan"].items()),
            f"{v['total_award_wan']:,}",
            f"{v['budget_wan']:,.0f}",
            f"{v['total_score']:.1f}",
        )
    console.print(t)
    console.print(
        tr("plan.by_region", groups=", ".join(f"{g} {n}" for g, n in s["by_region"].items()))
    )
    console.print(
        tr("plan.unique")
        if s["unique"]
        else tr(
            "plan.another",
            plans="; ".join(
                f"{y}: {' '.join(ids)}" for y, ids in s["another_plan_as_good"].items()
            ),
        )
    )
    console.print(
        tr("plan.total", score=f"{s['total_score']:.1f}", award=f"{s['total_award_wan']:,}")
    )


def plan_table(plan: Plan) -> pd.DataFrame:
    frames = []
    for y in plan.params.years:
        a = plan.prepared[y]
        designated = np.zeros(len(a.ids), bool)
        award = np.zeros(len(a.ids))
        idx = np.flatnonzero(a.eligible)
        designated[idx] = plan.designated[y]
        award[idx] = plan.awards[y]
        frames.append(
            pd.DataFrame(
                {
                    "year": y,
                    "id": a.ids,
                    "name": a.names,
                    "city": a.city,
                    "region": a.region,
                    "score": a.score,
                    "factor_index": np.round(a.f_all, 4),
                    "eligible": a.eligible,
                    "reasons": ["; ".join(r) for r in a.reasons],
                    "designated": designated,
                    "award_wan": np.round(award).astype(int),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def plan_summary(plan: Plan, table: pd.DataFrame, regions) -> dict:
    chosen = table[table.designated]
    gp = plan.params
    return {
        "status": plan.status,
        "mip_gap": plan.mip_gap,
        "total_score": round(plan.total_score, 6),
        "designated": chosen.id.tolist(),
        "n_designated": int(len(chosen)),
        "total_award_wan": int(chosen.award_wan.sum()),
        "years": {
            str(y): {
                "designated": chosen.id[chosen.year == y].tolist(),
                "awards_wan": dict(
                    zip(
                        chosen.id[chosen.year == y],
                        chosen.award_wan[chosen.year == y].astype(int).tolist(),
                        strict=True,
                    )
                ),
                "total_award_wan": int(chosen.award_wan[chosen.year == y].sum()),
                "budget_wan": gp.budget_wan[y],
                "total_score": round(float(chosen.score[chosen.year == y].sum()), 6),
                "n_applicants": int((table.year == y).sum()),
                "n_eligible": int(((table.year == y) & table.eligible).sum()),
            }
            for y in gp.years
        },
        "by_region": {g: int((chosen.region == g).sum()) for g in regions},
        "another_plan_as_good": plan.other_plan,
        "unique": plan.other_plan is None,
        "stages": [
            {
                "stage": n,
                "status": r.status,
                "objective": r.objective,
                "mip_gap": r.mip_gap,
                "seconds": round(r.seconds, 4),
            }
            for n, r in plan.stages
        ],
        "parameters": {
            "years": gp.years,
            "batch_min": gp.batch_min,
            "batch_max": gp.batch_max,
            "budget_wan": gp.budget_wan,
            "total_min": gp.total_min,
            "total_max": gp.total_max,
            "region_min": gp.region_min,
            "region_max": gp.region_max,
            "per_batch_balance": gp.per_batch_balance,
            "designated_before": gp.designated_before,
            "applicants": {y: str(p) for y, p in gp.applicants.items()},
        },
    }


def write_plan(
    plan: Plan, table: pd.DataFrame, summary: dict, staging: Path, scenario: Scenario | None = None
) -> None:
    table.to_csv(staging / "plan.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", summary)
    inst = next(iter(plan.instances.values()))
    chosen = table[table.designated]
    years = pd.DataFrame(
        [
            {"year": y, **{k: v for k, v in s.items() if k != "awards_wan"}}
            for y, s in summary["years"].items()
        ]
    )
    years["designated"] = years["designated"].map(" ".join)
    regions = pd.DataFrame(
        [
            {
                "region": g,
                "name": chart_name(inst.region_names.get(g, g)),
                "designated": n,
                "min": plan.params.region_min.get(g, 0),
                "max": plan.params.region_max.get(g, ""),
            }
            for g, n in summary["by_region"].items()
        ]
    )
    c1 = bar_chart(
        staging / "awards_by_year.png",
        [str(y) for y in summary["years"]],
        [s["total_award_wan"] for s in summary["years"].values()],
        tr("chart_awards_by_year"),
        tr("chart_wan"),
    )
    c2 = bar_chart(
        staging / "designated_by_region.png",
        [chart_name(inst.region_names.get(g, g)) for g in summary["by_region"]],
        list(summary["by_region"].values()),
        tr("chart_designated_by_region"),
        tr("chart_zones"),
    )
    answer = plan_answer(summary, chosen, scenario, [c1, c2], years, regions)
    write_workbook_of(
        staging / "plan.xlsx",
        answer,
        {
            "Plan": chosen.drop(columns=["eligible", "reasons"]),
            "By year": years,
            "By region": regions,
            "All applicants": table,
        },
        totals=("Plan", "By year", "All applicants"),
    )
    write_reports(staging, answer)


def run_plan(scenario: Scenario, out: Path | None = None) -> tuple[Path, Plan, pd.DataFrame, dict]:
    plan = solve_programme(scenario)
    table = plan_table(plan)
    regions = next(iter(plan.instances.values())).regions
    summary = plan_summary(plan, table, regions)
    with run_folder(out, "plan", scenario=scenario) as run:
        write_plan(plan, table, summary, run.staging, scenario)
    return run.final, plan, table, summary
