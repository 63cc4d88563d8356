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


# A sentence lists at most this many by name; the rest are counted (a 2,500-name paragraph
# filled 40 PDF pages and took 40 s to set; every name stays in the tables, workbook and CSV).
NAMES_MAX = 60


def _names(ids, names) -> str:
    ids, names = list(ids), list(names)
    shown = "、".join(
        f"{i} {n}" if n else str(i) for i, n in zip(ids[:NAMES_MAX], names[:NAMES_MAX], strict=True)
    )
    return shown if len(ids) <= NAMES_MAX else tr("ans.names_more", names=shown, n=len(ids))


def _ids(ids) -> str:
    ids = [str(i) for i in ids]
    shown = "、".join(ids[:NAMES_MAX])
    return shown if len(ids) <= NAMES_MAX else tr("ans.names_more", names=shown, n=len(ids))


def select_answer(outcome, scenario, charts: list[Path], regions: pd.DataFrame) -> Answer:
    # the spend_budget words and the margins are the select command's (issue 17)
    from fundalloc.commands.select import closest_outside, spending_lines

    closest_cols = ["id", "name", "city", "score", "margin_points"]
    s, table = outcome.summary, outcome.table
    p = s["parameters"]
    chosen = table[table.designated]
    names = outcome.instance.region_names
    cols = ["id", "name", "city", "region", "score", "award_wan", "city_match_wan"]
    main = chosen[cols + (["margin_points"] if "margin_points" in chosen else [])].copy()
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
            *([tr("ans.select.ineligible", n=len(inel), ids=_ids(inel.id))] if len(inel) else []),
            *spending_lines(s),
        ],
        chart=charts[0],
        table=main,
        table_title=tr("ans.select.table"),
        details=[
            (tr("ans.charts"), charts[1:]),
            *(
                [(tr("ans.select.closest"), closest_outside(table)[closest_cols])]
                if "margin_points" in table
                else []
            ),
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


def compare_answer(outcome, scenario, charts: list[Path]) -> Answer:
    table, detail, s = outcome.table, outcome.detail, outcome.summary
    p, best = s["parameters"], s["optimum"]
    proposed = [b for b in s["batches"]]
    ok = [b for b in proposed if b["follows_rules"]]
    if best is None:
        headline = tr("ans.compare.no_optimum", conflicts="；".join(s["conflicts"]))
    else:
        headline = tr(
            "ans.compare.headline",
            n=len(proposed),
            ok=len(ok),
            score=f"{best['total_score']:.2f}",
            ids="、".join(best["designated"]),
        )
    notes = []
    for b in proposed:
        lost = b.get("score_lost")
        lost_text = "" if lost is None or lost != lost else f"{lost:.2f}"
        if b["follows_rules"]:
            notes.append(tr("ans.compare.batch_ok", batch=b["batch"], lost=lost_text))
        else:
            notes.append(
                tr(
                    "ans.compare.batch_broken",
                    batch=b["batch"],
                    n=len(b["rules_broken"]),
                    rules="；".join(b["rules_broken"]),
                )
            )
    main = table[
        [
            "batch",
            "designated",
            "follows_rules",
            "total_score",
            "score_lost",
            "total_award_wan",
            "regions_covered",
        ]
    ]
    swaps = [
        (b["batch"], ident, swap) for b in proposed for ident, swap in b["cheapest_swaps"].items()
    ]
    from fundalloc.selection.compare import swap_words

    swap_frame = pd.DataFrame(
        [{"batch": b, "id": i, "cheapest_swap": swap_words(w)} for b, i, w in swaps],
        columns=["batch", "id", "cheapest_swap"],
    )
    return Answer(
        title=tr("ans.compare.title"),
        scenario=scenario_name(scenario),
        headline=headline,
        figures=[
            (tr("fig.batches"), f"{len(proposed)}"),
            (tr("fig.batches_ok"), f"{len(ok)}"),
            (
                tr("fig.optimum_score"),
                "-" if best is None else f"{best['total_score']:.2f}",
            ),
            (
                tr("fig.optimum_award"),
                "-" if best is None else f"{best['total_award_wan']:,.0f} {tr('chart_wan')}",
            ),
            (tr("fig.budget"), f"{p['budget_wan']:,.0f} {tr('chart_wan')}"),
        ],
        notes=notes,
        chart=charts[0],
        table=main,
        table_title=tr("ans.compare.table"),
        details=[
            (tr("ans.charts"), charts[1:]),
            (tr("ans.compare.swaps"), swap_frame),
            (tr("ans.compare.applicants"), detail),
        ],
    )


def plan_answer(summary: dict, chosen: pd.DataFrame, scenario, charts, years, regions) -> Answer:
    s = summary
    ties = (
        tr("ans.plan.unique")
        if s["unique"]
        else tr(
            "ans.plan.another",
            plans="；".join(
                f"{y}: {' '.join(ids)}" for y, ids in s["another_plan_as_good"].items()
            ),
        )
    )
    per_year = [
        tr(
            "ans.plan.year",
            year=y,
            n=len(v["designated"]),
            ids="、".join(v["designated"]),
            award=f"{v['total_award_wan']:,.0f}",
            budget=f"{v['budget_wan']:,.0f}",
        )
        for y, v in s["years"].items()
    ]
    return Answer(
        title=tr("ans.plan.title"),
        scenario=scenario_name(scenario),
        headline=tr(
            "ans.plan.headline",
            n=s["n_designated"],
            years=len(s["years"]),
            award=f"{s['total_award_wan']:,.0f}",
            status=status_word(s["status"]),
        ),
        figures=[
            (tr("fig.designated"), f"{s['n_designated']}"),
            (tr("fig.years"), f"{len(s['years'])}"),
            (tr("fig.award_total"), f"{s['total_award_wan']:,.0f} {tr('chart_wan')}"),
            (tr("fig.total_score"), f"{s['total_score']:.1f}"),
            (tr("fig.status"), f"{status_word(s['status'])} (gap {s['mip_gap']:.1g})"),
        ],
        notes=[*per_year, ties],
        chart=charts[0],
        table=chosen[["year", "id", "name", "city", "score", "award_wan"]],
        table_title=tr("ans.plan.table"),
        details=[
            (tr("ans.charts"), charts[1:]),
            (tr("ans.plan.by_year"), years),
            (tr("ans.regions"), regions),
        ],
    )
