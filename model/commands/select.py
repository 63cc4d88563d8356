"""`fundalloc select`: read, check, optimise, explain, write. Nothing is written unless the whole
run succeeds (core/runs.py).

The optimiser (pandas, Pyomo, HiGHS) and the writers (matplotlib, openpyxl) are imported when
they are used, not with this module: a mistake found first (an --out that already holds a
run, a wrong key) is reported in a fraction of a second, not after seconds of imports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer
from rich.table import Table

from fundalloc.commands.common import (
    APPLICANTS,
    OUT,
    SETS,
    console,
    region_label,
    reports_errors,
    status_word,
)
from fundalloc.core.i18n import tr
from fundalloc.core.runs import check_out, run_folder, write_json
from fundalloc.core.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    import pandas as pd

    from fundalloc.selection.run import SelectOutcome


# The terminal lists at most this many designated (drawing 2,500 table rows took 5 s; every
# one is in selection.csv, the workbook and the reports).
TERMINAL_ROWS = 200


def margin_text(points, kind) -> str:
    """A margin for people: points to rise (+) or that may be lost (−), or never."""
    if kind == "never_enters":
        return tr("margin.never_enters")
    if kind == "never_leaves":
        return tr("margin.never_leaves")
    if points != points:  # NaN: ineligible, or not computed
        return ""
    return f"{'+' if kind == 'enter' else '−'}{points:.2f}"


def closest_outside(table: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """The eligible applicants left out that need the fewest points to enter."""
    out = table[(table.margin_kind == "enter") & ~table.designated]
    return out.sort_values("margin_points").head(k)


def print_margins(table: pd.DataFrame) -> None:
    """The designated and the closest left out, with their margins (points)."""
    import pandas as pd

    rows = pd.concat([table[table.designated].head(TERMINAL_ROWS), closest_outside(table)])
    if not len(rows) or not (rows.margin_kind != "").any():
        return
    t = Table(title=tr("select.margins_title"))
    for key, right in (
        (tr("col.id"), False),
        (tr("col.name"), False),
        (tr("col.score"), True),
        (tr("col.margin"), True),
    ):
        t.add_column(key, overflow="fold", justify="right" if right else "left")
    for r in rows.itertuples():
        t.add_row(r.id, r.name, f"{r.score:.1f}", margin_text(r.margin_points, r.margin_kind))
    console.print(t)


def spending_lines(summary: dict) -> list[str]:
    """The spend_budget choice in words: the cap binding for every award, and the money the
    other choice would leave (summary["spending"], model/selection/spending.py)."""
    s = summary.get("spending")
    if not s:
        return []
    out = [tr("select.margin_note")]
    if s["spend_budget"] and s["cap_binds_all"]:
        out.append(tr("select.cap_binds", cap=f"{s['cap_wan']:,.0f}"))
    f = s["flipped"]
    if f and s["spend_budget"]:
        out.append(
            tr(
                "select.unspent_off",
                n=len(f["designated"]),
                award=f"{f['total_award_wan']:,}",
                left=f"{f['unspent_wan']:,}",
            )
        )
    elif f:
        out.append(
            tr(
                "select.unspent_on",
                left=f"{s['unspent_wan']:,}",
                award=f"{f['total_award_wan']:,}",
                left_on=f"{f['unspent_wan']:,}",
            )
        )
    return out


def write_outputs(outcome: SelectOutcome, staging: Path, scenario: Scenario) -> None:
    import pandas as pd

    from fundalloc.commands.answers_selection import parameters_frame, run_facts, select_answer
    from fundalloc.commands.charts import chart_name, top_bars
    from fundalloc.core.answer import write_reports, write_workbook_of
    from fundalloc.core.report import bar_chart  # matplotlib only when drawing

    table, summary = outcome.table, outcome.summary
    table.to_csv(staging / "selection.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", summary)
    chosen = table[table.designated]
    inst = outcome.instance
    regions = pd.DataFrame(
        [
            {
                "region": g,
                "name": chart_name(inst.region_names.get(g, g)),
                **summary["by_region"][g],
                "eligible": int(((table.region == g) & table.eligible).sum()),
            }
            for g in inst.regions
        ]
    )
    stages = pd.DataFrame(summary["stages"])
    facts = run_facts(summary, scenario)
    bar_labels, bar_values = top_bars(  # at most TOP_BARS bars, the rest as one
        [f"{i} {n}" if n else i for i, n in zip(chosen.id, chosen.name.fillna(""))],
        chosen.award_wan.tolist(),
    )
    c1 = bar_chart(
        staging / "awards_by_applicant.png",
        bar_labels,
        bar_values,
        tr("chart_award_by_applicant"),
        tr("chart_wan"),
        reference=summary["parameters"]["cap_wan"],
        reference_label=tr("chart_cap"),
    )
    c2 = bar_chart(
        staging / "awards_by_region.png",
        [chart_name(inst.region_names.get(g, g)) for g in inst.regions],
        [summary["by_region"][g]["award_wan"] for g in inst.regions],
        tr("chart_award_by_region"),
        tr("chart_wan"),
    )
    answer = select_answer(outcome, scenario, [c1, c2], regions)
    write_workbook_of(
        staging / "allocation.xlsx",
        answer,
        {
            "Designated": chosen.drop(columns=["eligible", "reasons"]),
            "All applicants": table,
            "By region": regions,
            "Solver": stages,
            "Summary": facts,
            "Parameters": parameters_frame(summary["parameters"]),
        },
        totals=("Designated", "All applicants", "By region"),
    )
    write_reports(staging, answer)


def optimise(scenario: Scenario, applicants: str | Path | None = None) -> SelectOutcome:
    """fundalloc.selection.run.optimise, imported when it is first called."""
    from fundalloc.selection.run import optimise as optimise_run

    return optimise_run(scenario, applicants)


def run_select(
    scenario: Scenario, applicants: str | Path | None = None, out: Path | None = None
) -> tuple[Path, SelectOutcome]:
    if out is not None:
        check_out(Path(out))  # before the work (and its imports), not after it
    outcome = optimise(scenario, applicants)
    with run_folder(out, "select", scenario=scenario) as run:
        write_outputs(outcome, run.staging, scenario)
    return run.final, outcome


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.select.scenario")),
    applicants: Optional[Path] = APPLICANTS,
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Choose which applicants to designate and how much each gets, proven optimal.

    Checks eligibility (RULES.md A), solves the selection MIP with HiGHS (score first, then
    spending, then closeness to proportional awards), and writes selection.csv, summary.json,
    allocation.xlsx, report.html and manifest.json. If no batch can satisfy the rules, says
    which rules conflict.
    """
    final, outcome = run_select(
        load_scenario(scenario, set_, reads=("selection", "eligibility")), applicants, out
    )
    print_designated(outcome)
    console.print(tr("results_at", path=final))


def print_designated(outcome: SelectOutcome) -> None:
    s = outcome.summary
    names = outcome.instance.region_names
    t = Table(
        title=tr(
            "select.title",
            n=len(s["designated"]),
            status=status_word(s["status"]),
            gap=s["mip_gap"],
            seconds=f"{s['solve_seconds']:.2f}",
        )
    )
    for key, right in (
        (tr("col.id"), False),
        (tr("col.name"), False),
        (tr("col.city"), False),
        (tr("col.region"), False),
        (tr("col.score"), True),
        (tr("col.award_wan"), True),
        (tr("col.city_match_wan"), True),
    ):
        # whole names even in an 80-column terminal
        t.add_column(key, overflow="fold", justify="right" if right else "left")
    chosen = outcome.table[outcome.table.designated]
    for r in chosen.head(TERMINAL_ROWS).itertuples():
        t.add_row(
            r.id,
            r.name,
            r.city,
            region_label(names, r.region),
            f"{r.score:.1f}",
            f"{r.award_wan:,}",
            f"{r.city_match_wan:,.0f}",
        )
    console.print(t)
    if len(chosen) > TERMINAL_ROWS:
        console.print(tr("select.terminal_cut", shown=TERMINAL_ROWS, n=len(chosen)))
    print_margins(outcome.table)
    console.print(
        tr(
            "select.total",
            score=f"{s['total_score']:.1f}",
            award=f"{s['total_award_wan']:,}",
            budget=f"{s['budget_wan']:,.0f}",
            eligible=s["n_eligible"],
            applicants=s["n_applicants"],
        )
    )
    for line in spending_lines(s):
        console.print(line)
