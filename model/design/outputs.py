"""What `fundalloc design` writes: designed-policy.toml (a policy file the other commands take
as awards.policy), the table published vs designed, the per-year risk table, the fan chart of
the designed schedule against the budget, the workbook and report through the shared writer
(model/core/report.py), and summary.json."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from fundalloc.core.answer import Answer, write_reports, write_workbook_of
from fundalloc.core.i18n import label, pick, tr
from fundalloc.core.report import bar_chart
from fundalloc.core.runs import write_json
from fundalloc.design.lines import Line, designed_policy_data, toml_text
from fundalloc.design.run import DesignRun
from fundalloc.rules.jiaxing.policy_file import LevelAmounts, PolicyFile, RevenueTierTable
from fundalloc.simulation.report import fan_chart

POLICY_FILE = "designed-policy.toml"


def line_label(line: Line) -> str:
    """A line as a budget officer names it, e.g. 科技信息类 第1档(首次超过2,000万元)."""
    if line.award == "revenue_tier":
        sector = label(RevenueTierTable.model_fields[line.group])
        return tr(
            "design.line.tier",
            sector=sector,
            k=line.rank + 1,
            threshold=f"{line.threshold_wan:,.0f}",
        )
    if line.award == "growth":
        return label(PolicyFile.model_fields["growth"])
    if line.award == "platform":
        return tr("design.line.platform", award=label(PolicyFile.model_fields["platform"]))
    from fundalloc.design.lines import LEVEL_RANKS

    level = label(LevelAmounts.model_fields[LEVEL_RANKS[line.rank]])
    return f"{label(PolicyFile.model_fields[line.award])} {level}"


def lines_frame(run: DesignRun, checks: dict) -> pd.DataFrame:
    by_line = {c["line"]: c for c in checks["lines"]}
    rows = []
    for j, ln in enumerate(run.lines):
        c = by_line.get(ln.id, {})
        pub, des = run.published[j], run.design.amounts[j]
        rows.append(
            {
                "line": ln.id,
                "line_label": line_label(ln),
                "decided": bool(run.problem.decided[j]),
                "published_wan": pub,
                "designed_wan": des,
                "change_wan": des - pub,
                "change_share": (des - pub) / pub if pub else None,
                "binding": c.get("binding"),
                "raised_in_sample_share": c.get("in_sample_up"),
                "raised_out_of_sample_share": c.get("out_of_sample_up"),
            }
        )
    return pd.DataFrame(rows)


def years_frame(checks: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "pay_year": y["pay_year"],
                "payer": y["payer"],  # "all": one budget for every payer together
                "budget_wan": y["budget_wan"],
                "mean_claims_wan": y["mean_claims_wan"],
                "p95_claims_wan": y["p95_claims_wan"],
                "in_sample_share": y["in_sample"],
                "out_of_sample_share": y["out_of_sample"],
                "ci_low_share": y["ci_low"],
                "ci_high_share": y["ci_high"],
                "within": y["within"],
            }
            for y in checks["pay_years"]
        ]
    )


def write_policy(run: DesignRun, source: Path, path: Path, level: float, budget: str) -> None:
    note = tr("design.policy_note", level=f"{level:.0%}", budget=budget)
    data = designed_policy_data(source, run.lines, run.design.amounts, note)
    header = tr("design.policy_header", source=source.name, level=f"{level:.0%}", budget=budget)
    path.write_text(toml_text(data, header), encoding="utf-8")


def write_design(
    run: DesignRun, summary: dict, checks: dict, staging: Path, scenario, world
) -> None:
    p = run.problem
    budget_text = ", ".join(f"{b:,.0f}" for b in np.unique(p.budget[np.isfinite(p.budget)]))
    write_policy(run, Path(world.policy.path), staging / POLICY_FILE, p.alpha, budget_text)
    write_json(staging / "summary.json", summary)
    lines, years = lines_frame(run, checks), years_frame(checks)
    lines.to_csv(staging / "lines.csv", index=False)
    years.to_csv(staging / "risk.csv", index=False)
    claims = checks["claims"].sum(axis=2)  # (R', Y) all payers
    fan = fan_chart(
        staging / "designed_fan.png",
        checks_years(checks),
        claims,
        p.budget.sum(axis=0),
        tr("design.fan_title", runs=checks["runs"]),
    )
    decided = lines[lines["decided"]]
    bars = bar_chart(
        staging / "designed_amounts.png",
        list(decided["line_label"]),
        list(decided["designed_wan"]),
        tr("design.bar_title"),
        tr("design.bar_x"),
    )
    words = summary_lines(summary)
    stages = pd.DataFrame(summary["solver"]).astype({"status": str})
    answer = design_answer(summary, words, lines, years, stages, [fan, bars], scenario)
    write_workbook_of(
        staging / "design.xlsx",
        answer,
        {
            tr("design.sheet.lines"): lines,
            tr("design.sheet.years"): years,
            tr("design.sheet.solver"): stages,
        },
    )
    write_reports(staging, answer)


def design_answer(s: dict, words, lines, years, stages, charts, scenario) -> Answer:
    """Page 1: the designed schedule against the published one, its risk in and out of
    sample, the fan chart; details: the amounts chart, the risk by year, the solver."""
    from fundalloc.core.display import status_word

    v = s["validation"]
    worst = max(v["pay_years"], key=lambda y: y["out_of_sample"])
    binding = [b for b in v["lines"] if b.get("binding")]
    main = lines[lines["decided"]][
        ["line_label", "published_wan", "designed_wan", "change_wan", "binding"]
    ]
    return Answer(
        title=tr("design.wb_title"),
        scenario=scenario.path.name,
        headline=words[0],
        figures=[
            (tr("design.fig.level"), f"{s['level']:.0%}"),
            (tr("design.fig.runs"), f"{s['runs']:,}"),
            (tr("design.fig.allowed"), f"{s['allowed_exceedances']}"),
            *(
                [(tr("design.fig.scale"), f"{s['scale']:.0%}")]
                if s.get("scale") is not None
                else []
            ),
            (
                tr("design.fig.worst", year=worst["pay_year"]),
                f"{worst['out_of_sample']:.1%} ({worst['ci_low']:.1%}–{worst['ci_high']:.1%})",
            ),
            (tr("design.fig.binding"), f"{len(binding)}"),
            (tr("fig.status"), "、".join(status_word(st["status"]) for st in s["solver"])),
        ],
        notes=words[1:],
        chart=charts[0],
        table=main,
        table_title=tr("design.sheet.lines"),
        details=[
            (tr("design.bar_title"), [charts[1]]),
            (tr("design.sheet.years"), years),
            (tr("design.sheet.solver"), stages),
            (tr("design.all_lines"), lines),
        ],
    )


def checks_years(checks: dict) -> np.ndarray:
    return np.array(sorted({y["pay_year"] for y in checks["pay_years"]}))


def summary_lines(s: dict) -> list[str]:
    """The answer in words (the workbook's 摘要 and the report's first paragraph)."""
    from fundalloc.core.display import status_word

    v = s["validation"]
    worst = max(v["pay_years"], key=lambda y: y["out_of_sample"])
    out = [
        tr(
            "design.answer",
            objective=pick(*s["objective_words"]),
            level=f"{s['level']:.0%}",
            runs=s["runs"],
            allowed=s["allowed_exceedances"],
            status="、".join(status_word(st["status"]) for st in s["solver"]),
        ),
        tr(
            "design.answer_oos",
            runs=v["runs"],
            seed=v["seed"],
            year=worst["pay_year"],
            share=f"{worst['out_of_sample']:.1%}",
            lo=f"{worst['ci_low']:.1%}",
            hi=f"{worst['ci_high']:.1%}",
        ),
    ]
    if s.get("scale") is not None:
        out.append(tr("design.answer_scale", scale=f"{s['scale']:.0%}"))
    binding = [b["line"] for b in v["lines"] if b.get("binding")]
    out.append(tr("design.answer_binding", lines=", ".join(binding) or "-"))
    out.append(tr("design.answer_claims"))
    out += [w["text"] for w in s["warnings"]]
    return out
