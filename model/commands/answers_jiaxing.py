"""The answers of the Jiaxing reward-schedule commands (awards, simulate, stress) in words, for
their report page 1 and their workbook's 摘要 sheet; every reading is given as its meaning, the
`--set` code and the clause it interprets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fundalloc.core.answer import Answer
from fundalloc.core.display import award_name as award_name
from fundalloc.core.i18n import tr


def readings(values: dict) -> tuple[pd.DataFrame, list[str]]:
    """The [awards] readings as a table and as sentences (meaning, code, clause)."""
    from fundalloc.core.readings_view import reading_frame, reading_sentences
    from fundalloc.rules.jiaxing.readings import AwardsParams

    return (
        reading_frame(AwardsParams, values, "awards"),
        [s.strip() for s in reading_sentences(AwardsParams, values, "awards")],
    )


def _wan(x: float | None, digits: int = 0) -> str:
    return tr("unlimited") if x is None else f"{x:,.{digits}f} {tr('chart_wan')}"


def awards_answer(outcome, scenario_label: str, charts: list[Path], tables: dict) -> Answer:
    s = outcome.summary
    years = sorted(s["by_year_wan"])
    _, sentences = readings(s["interpretations"])
    policy = outcome.policy
    return Answer(
        title=tr("ans.awards.title"),
        scenario=scenario_label,
        headline=tr(
            "ans.awards.headline",
            n=s["n_payments"],
            recipients=s["n_recipients"],
            total=f"{s['total_wan']:,.2f}",
            first=years[0] if years else "-",
            last=years[-1] if years else "-",
        ),
        figures=[
            (tr("fig.firms"), f"{s['n_firms']}"),
            (tr("fig.recipients"), f"{s['n_recipients']}"),
            (tr("fig.payments"), f"{s['n_payments']}"),
            (tr("fig.paid"), _wan(s["total_wan"], 2)),
            (tr("fig.owed"), _wan(s["total_owed_wan"], 2)),
            (tr("fig.unpaid"), _wan(s["unpaid_wan"], 2)),
        ],
        notes=[
            tr("ans.awards.policy", id=policy.id, title=policy.title),
            *(tr("ans.awards.year", year=y, amount=f"{s['by_year_wan'][y]:,.2f}") for y in years),
            tr("reading.head"),
            *sentences,
        ],
        chart=charts[0],
        table=tables["By pay year"],
        table_title=tr("ans.awards.table"),
        details=[
            (tr("ans.charts"), charts[1:]),
            (tr("ans.awards.by_award"), tables["By award"]),
            *([(tr("ans.by_payer"), tables["By payer"])] if "By payer" in tables else []),
            (tr("ans.readings"), tables["Interpretations"]),
            (tr("ans.awards.recipients"), tables["By recipient"].head(20)),
            (tr("ans.awards.payments"), tables["Payments"].head(200)),
        ],
    )


def simulate_answer(summary: dict, scenario_label: str, charts: list[Path], tables: dict) -> Answer:
    s = summary
    sb, dw, ind = s["smallest_budget_wan"], s["deadweight"], s["induced_revenue"]
    share = "-" if dw["share"] is None else f"{dw['share']:.1%}"
    per = "-" if ind["per_wan_spent"] is None else f"{ind['per_wan_spent']:.2f}"
    worst = max(
        ((y, v["prob_over_budget"]) for y, v in s["pay_years"].items()),
        key=lambda yv: -1 if yv[1] is None else yv[1],
    )
    from fundalloc.simulation.summary import risk_notes

    _, sentences = readings(s["interpretation"])
    return Answer(
        title=tr("wb_simulate_title"),
        scenario=scenario_label,
        headline=tr(
            "ans.simulate.headline",
            level=f"{sb['level']:.0%}",
            flat=f"{sb['flat']:,.0f}",
            runs=s["runs"],
        ),
        figures=[
            (tr("fig.runs"), f"{s['runs']} (seed {s['seed']})"),
            (tr("fig.firms"), f"{s['firms']:,}"),
            (tr("fig.flat_budget", level=f"{sb['level']:.0%}"), _wan(sb["flat"])),
            (
                tr("fig.worst_year"),
                "-" if worst[1] is None else f"{worst[0]}: {worst[1]:.0%}",
            ),
            (tr("fig.deadweight"), share),
            (tr("fig.induced"), per),
        ],
        notes=[
            tr(
                "ans.simulate.years",
                first=s["revenue_years"][0],
                last=s["revenue_years"][-1],
                family=s["growth_family"],
            ),
            *risk_notes(s),  # missing history, unpaid recognitions, assumption risk (issue 14)
            tr("reading.head"),
            *sentences,
        ],
        chart=charts[0],
        table=tables["By pay year"],
        table_title=tr("ans.simulate.table"),
        details=[
            (tr("ans.charts"), charts[1:]),
            (tr("ans.simulate.by_award"), tables["By award"]),
            *([(tr("risk.section"), tables["Assumptions"])] if "Assumptions" in tables else []),
            *([(tr("ans.by_payer"), tables["By payer"])] if "By payer" in tables else []),
            *(
                [(tr("ans.simulate.by_budget"), tables["By budget"])]
                if "By budget" in tables
                else []
            ),
            (tr("ans.readings"), tables["Readings"]),
        ],
    )


def stress_answer(summary: dict, names: list[str], base: str, charts, tables: dict) -> Answer:
    level = summary["level"]
    flat = {n: summary["scenarios"][n]["smallest_budget_wan"]["flat"] for n in names}
    worst = max(flat, key=lambda n: flat[n])
    return Answer(
        title=tr("wb_stress_title"),
        scenario=base,
        headline=tr(
            "ans.stress.headline",
            n=len(names),
            worst=worst,
            flat=f"{flat[worst]:,.0f}",
            base=f"{flat[names[0]]:,.0f}",
            level=f"{level:.0%}",
        ),
        figures=[
            (tr("fig.scenarios"), f"{len(names)}"),
            (tr("fig.flat_budget", level=f"{level:.0%}"), _wan(flat[names[0]])),
            (tr("fig.worst_scenario"), worst),
            (tr("fig.worst_flat"), _wan(flat[worst])),
        ],
        notes=[
            tr("ans.stress.same_seed"),
            *(tr("ans.stress.line", name=n, flat=f"{flat[n]:,.0f}") for n in names),
        ],
        chart=charts[0],
        table=tables["Budgets"],
        table_title=tr("ans.stress.table"),
        details=[
            (tr("ans.charts"), charts[1:]),
            (tr("ans.stress.p95"), tables["p95 by pay year"]),
            (tr("ans.stress.all"), tables["Stress"]),
            *([(tr("ans.by_payer"), tables["By payer"])] if "By payer" in tables else []),
        ],
    )
