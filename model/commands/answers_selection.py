"""The answers of the selection commands (select, compare, plan) in words, for their report
page 1 and their workbook's 摘要 sheet (core/answer.py). The command files keep computing and
writing the machine files; this module only says what the numbers mean."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fundalloc.commands.common import region_label, status_word
from fundalloc.core.answer import Answer
from fundalloc.core.i18n import tr


def scenario_name(scenario) -> str:
    path = getattr(scenario, "path", None)
    name = path.stem if path else ""
    overrides = getattr(scenario, "overrides", None) or []
    return f"{name} ({' '.join(overrides)})" if overrides else name


def _names(ids, names) -> str:
    return "、".join(f"{i} {n}" if n else str(i) for i, n in zip(ids, names, strict=True))


def select_answer(outcome, scenario, charts: list[Path], regions: pd.DataFrame) -> Answer:
    s, table = outcome.summary, outcome.table
    p = s["parameters"]
    chosen = table[table.designated]
    names = outcome.instance.region_names
    main = chosen[["id", "name", "city", "region", "score", "award_wan", "city_match_wan"]].copy()
    main["region"] = [region_label(names, g) for g in main.region]
    inel = table[~table.eligible][["id", "name", "city", "reasons"]]
    return Answer(
        title=tr("wb_select_title"),
        scenario=scenario_name(scenario),
        headline=tr(
            "ans.select.headline",
            n=len(chosen),
            award=f"{s['total_award_wan']:,.0f}",
            budget=f"{p['budget_wan']:,.0f}",
            status=status_word(s["status"]),
        ),
        figures=[
            (tr("fig.applicants"), f"{s['n_applicants']}"),
            (tr("fig.eligible"), f"{s['n_eligible']}"),
            (tr("fig.designated"), f"{len(chosen)}"),
            (tr("fig.award_total"), f"{s['total_award_wan']:,.0f} {tr('chart_wan')}"),
            (tr("fig.budget"), f"{p['budget_wan']:,.0f} {tr('chart_wan')}"),
            (tr("fig.city_match"), f"{s['city_match_total_wan']:,.0f} {tr('chart_wan')}"),
            (tr("fig.total_score"), f"{s['total_score']:.1f}"),
            (tr("fig.status"), f"{status_word(s['status'])} (gap {s['mip_gap']})"),
            (
                tr("fig.award_range"),
                f"{p['floor_wan']:,.0f}–{p['cap_wan']:,.0f} {tr('chart_wan')}",
            ),
        ],
        notes=[
            tr("wb_select_names", names=_names(chosen.id, chosen.name)),
            *(
                [tr("ans.select.ineligible", n=len(inel), ids="、".join(inel.id))]
                if len(inel)
                else []
            ),
        ],
        chart=charts[0],
        table=main,
        table_title=tr("ans.select.table"),
        details=[
            (tr("ans.charts"), charts[1:]),
            (tr("ans.regions"), regions),
            (tr("ans.not_eligible"), inel),
            (tr("ans.stages"), pd.DataFrame(s["stages"])),
            (tr("ans.all_applicants"), table.drop(columns=["reasons"])),
        ],
    )


def parameters_frame(values: dict) -> pd.DataFrame:
    from fundalloc.core.readings_view import parameters_frame as frame
    from fundalloc.selection.params import SelectionParams

    return frame(SelectionParams, values, "selection")


def run_facts(summary: dict, scenario) -> pd.DataFrame:
    """The run in figures, each with its label (the 运行信息 sheet)."""
    return pd.DataFrame(
        [
            (tr("fig.status"), status_word(summary["status"])),
            (tr("fig.designated"), len(summary["designated"])),
            (tr("fig.total_score"), summary["total_score"]),
            (tr("fig.award_total"), summary["total_award_wan"]),
            (tr("fig.budget"), summary["budget_wan"]),
            ("MIP gap", summary["mip_gap"]),
            (tr("fig.solve_seconds"), summary["solve_seconds"]),
            (tr("fig.city_match"), summary["city_match_total_wan"]),
            (tr("fig.scenario"), str(scenario.path)),
            (tr("fig.overrides"), " ".join(scenario.overrides)),
        ],
        columns=["item", "value"],
    ).astype({"value": str})
