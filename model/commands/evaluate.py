"""`fundalloc evaluate`: the Jiangsu programme's dynamic management (seeds/001 四.(四)) — each
named benchmark's performance evaluation: commended (表彰), kept, or delisted (摘牌), with the
reasons in words. Read, check, apply rules.jiangsu.evaluate_benchmarks, write; nothing is written
unless the whole run succeeds (core/runs.py)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import List, Optional

import numpy as np
import pandas as pd
import typer
from rich.table import Table

from fundalloc.commands.answers_jiangsu import evaluate_answer
from fundalloc.commands.charts import chart_name
from fundalloc.commands.common import OUT, SETS, console, print_readings, reports_errors
from fundalloc.core.answer import write_reports, write_workbook_of
from fundalloc.core.errors import ScenarioError
from fundalloc.core.i18n import tr
from fundalloc.core.report import bar_chart
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.inputs.jiangsu import Performance, read_performance
from fundalloc.rules.jiangsu import OUTCOMES, REGION_NAMES, REGIONS, TRACKS, evaluate_benchmarks
from fundalloc.rules.jiangsu_settings import evaluation_rules


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.evaluate.scenario")),
    performance: Optional[Path] = typer.Option(
        None,
        "--performance",
        help=tr("help.evaluate.performance"),
    ),
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Jiangsu benchmarks' performance evaluation: who is commended, kept or delisted (摘牌).

    Rechecks each benchmark's conditions (RULES.md B) on current data and its performance score
    under the readings in the scenario's evaluation table (e.g. --set evaluation.pass_score=65),
    and writes evaluation.csv, summary.json, evaluation.xlsx, report.html and manifest.json.
    """
    final, result = run_evaluate(
        load_scenario(scenario, set_, reads=("eligibility", "evaluation")), performance, out
    )
    print_outcomes(result)
    console.print(tr("results_at", path=final))


@dataclass
class EvaluateOutcome:
    performance: Performance
    table: pd.DataFrame  # evaluation.csv
    summary: dict  # summary.json


def print_outcomes(result: EvaluateOutcome) -> None:
    s = result.summary
    t = Table(
        title=tr(
            "evaluate.title",
            delisted=s["n_delisted"],
            commended=s["n_commended"],
            n=s["n_benchmarks"],
        )
    )
    for col, right in (
        (tr("col.id"), False),
        (tr("col.name"), False),
        (tr("col.city"), False),
        (tr("col.score"), True),
        (tr("col.outcome"), False),
    ):
        t.add_column(col, justify="right" if right else "left", no_wrap=True)
    t.add_column(tr("col.reasons"), ratio=1, overflow="fold")
    words = {
        "commended": tr("outcome.commended"),
        "kept": tr("outcome.kept"),
        "delisted": tr("outcome.delisted"),
    }
    for r in result.table[result.table.outcome != "kept"].itertuples():
        outcome = words.get(r.outcome, r.outcome)
        t.add_row(r.id, r.name, r.city, f"{r.performance_score:.1f}", outcome, r.reasons)
    console.print(t)
    print_evaluation_readings(s["rules"])
    console.print(
        tr(
            "evaluate.total",
            commended=s["n_commended"],
            kept=s["n_kept"],
            delisted=s["n_delisted"],
            remaining=s["remaining"],
        )
    )


def print_evaluation_readings(rules: dict) -> None:
    from fundalloc.rules.jiangsu_settings import JiangsuEvaluation

    values = {k: v for k, v in rules.items() if k != "conditions"}
    print_readings(values, JiangsuEvaluation, "evaluation")


def evaluate(scenario: Scenario, performance_path: str | Path | None = None) -> EvaluateOutcome:
    if scenario.get("rules", "henan") != "jiangsu":
        raise ScenarioError(
            scenario.path,
            "rules",
            tr("evaluate.needs_jiangsu"),
        )
    rules = evaluation_rules(scenario)
    path = performance_path or scenario.get("evaluation.performance")
    if not path:
        raise ScenarioError(
            scenario.path,
            "evaluation.performance",
            tr("evaluate.no_performance"),
        )
    perf = read_performance(Path(path), pilot_required=rules.recheck_pilot)
    f = perf.facts
    outcome, meets, reasons = evaluate_benchmarks(
        *f.rule_args(), perf.performance_score, perf.new_models, perf.demonstration, rules
    )
    year = perf.designated_year
    table = pd.DataFrame(
        {
            "id": f.ids,
            "name": f.names,
            "city": f.city,
            "region": f.region,
            "track": f.track,
            "unit_type": f.unit_type,
            "designated_year": pd.array(np.where(np.isnan(year), pd.NA, year), dtype="Int64"),
            "performance_score": perf.performance_score,
            "new_models": perf.new_models,
            "demonstration": perf.demonstration,
            "meets_conditions": meets,
            "outcome": outcome,
            "delisted": outcome == "delisted",
            "reasons": ["; ".join(r) for r in reasons],
        }
    )
    return EvaluateOutcome(perf, table, _summary(table, rules, perf))


def _counts(rows: pd.DataFrame) -> dict[str, int]:
    return {o: int((rows.outcome == o).sum()) for o in OUTCOMES}


def _summary(table: pd.DataFrame, rules, perf: Performance) -> dict:
    ids = {o: table.id[table.outcome == o].tolist() for o in OUTCOMES}
    return {
        "n_benchmarks": int(len(table)),
        **{f"n_{o}": len(ids[o]) for o in OUTCOMES},
        "remaining": int((table.outcome != "delisted").sum()),
        **{o: ids[o] for o in OUTCOMES},
        "delisted_reasons": dict(
            zip(table.id[table.delisted], table.reasons[table.delisted], strict=True)
        ),
        "by_region": {g: _counts(table[table.region == g]) for g in REGIONS},
        "by_track": {t: _counts(table[table.track == t]) for t in TRACKS},
        "rules": asdict(rules),
        "performance_file": str(perf.facts.path),
    }


def write_outputs(result: EvaluateOutcome, staging: Path, scenario: Scenario) -> None:
    table, s = result.table, result.summary
    table.to_csv(staging / "evaluation.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", s)
    regions = pd.DataFrame(
        [{"region": g, "name": chart_name(REGION_NAMES[g]), **s["by_region"][g]} for g in REGIONS]
    )
    readings = evaluation_readings(s["rules"])
    latin = [chart_name(REGION_NAMES[g]) for g in REGIONS]
    c1 = bar_chart(
        staging / "remaining_by_region.png",
        latin,
        [s["by_region"][g]["commended"] + s["by_region"][g]["kept"] for g in REGIONS],
        tr("chart_remaining_by_region"),
        tr("chart_benchmarks"),
    )
    c2 = bar_chart(
        staging / "delisted_by_region.png",
        latin,
        [s["by_region"][g]["delisted"] for g in REGIONS],
        tr("chart_delisted_by_region"),
        tr("chart_benchmarks"),
    )
    answer = evaluate_answer(result, scenario, [c1, c2], regions, readings)
    write_workbook_of(
        staging / "evaluation.xlsx",
        answer,
        {
            "Evaluation": table,
            "Delisted": table[table.delisted],
            "Commended": table[table.outcome == "commended"],
            "By region": regions,
            "Readings": readings,
            "Summary": pd.DataFrame(
                [
                    (tr("fig.benchmarks"), s["n_benchmarks"]),
                    *((tr(f"outcome.{o}"), s[f"n_{o}"]) for o in OUTCOMES),
                    (tr("fig.remaining"), s["remaining"]),
                    (tr("fig.scenario"), str(scenario.path)),
                    (tr("fig.overrides"), " ".join(scenario.overrides)),
                ],
                columns=["item", "value"],
            ).astype({"value": str}),
        },
    )
    write_reports(staging, answer)


def evaluation_readings(rules: dict) -> pd.DataFrame:
    """The evaluation's readings with their meaning and clause, then the conditions rechecked."""
    from fundalloc.core.readings_view import parameters_frame, reading_frame
    from fundalloc.rules.jiangsu_settings import JiangsuEligibility, JiangsuEvaluation

    values = {k: v for k, v in rules.items() if k != "conditions"}
    conditions = parameters_frame(JiangsuEligibility, rules["conditions"], "eligibility")
    return pd.concat(
        [
            reading_frame(JiangsuEvaluation, values, "evaluation"),
            conditions.rename(columns={"label": "reading", "value": "meaning", "key": "code"}),
        ],
        ignore_index=True,
    )


def run_evaluate(
    scenario: Scenario, performance: str | Path | None = None, out: Path | None = None
) -> tuple[Path, EvaluateOutcome]:
    result = evaluate(scenario, performance)
    perf = Path(result.summary["performance_file"])
    with run_folder(
        out,
        "evaluate",
        scenario=scenario,
        extra={
            "performance_file": str(perf),
            "performance_sha256": hashlib.sha256(perf.read_bytes()).hexdigest(),
        },
    ) as run:
        write_outputs(result, run.staging, scenario)
    return run.final, result
