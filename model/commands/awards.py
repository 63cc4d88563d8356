"""`fundalloc awards`: who is owed what under the Jiaxing schedule, year by year (computed by
model/awards/), written as payments.csv, summary.json, awards.xlsx, report.html and
manifest.json. Nothing is written unless the whole run succeeds (core/runs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pandas as pd
import typer
from rich.table import Table

from fundalloc.awards.compute import AwardsOutcome, optimise
from fundalloc.commands.common import OUT, SETS, console, print_readings, reports_errors
from fundalloc.core.i18n import tr
from fundalloc.core.report import bar_chart, html_report, write_workbook
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.rules.jiaxing import AWARDS


@reports_errors
def command(
    scenario: Path = typer.Argument(..., help=tr("help.awards.scenario")),
    firms: Optional[Path] = typer.Option(
        None,
        "--firms",
        help=tr("help.awards.firms"),
    ),
    recognitions: Optional[Path] = typer.Option(
        None, "--recognitions", help=tr("help.awards.recognitions")
    ),
    platforms: Optional[Path] = typer.Option(None, "--platforms", help=tr("help.awards.platforms")),
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Every payment owed under the Jiaxing 2024–2026 reward schedule (嘉政发〔2024〕14号).

    Applies the awards of RULES.md C under the readings set in the scenario's awards table
    (e.g. --set awards.later_higher_tier=full), pays them by pay year under the budget, writes
    payments.csv, summary.json, awards.xlsx, report.html and manifest.json.
    """
    final, outcome = run_awards(
        load_scenario(scenario, set_, reads=("awards",)), firms, recognitions, platforms, out
    )
    print_payments(outcome.summary)
    console.print(tr("results_at", path=final))


def print_payments(s: dict) -> None:
    t = Table(title=tr("awards.title", n=s["n_payments"], recipients=s["n_recipients"]))
    awards_ = list(s["by_award_wan"])
    short = {
        "revenue_tier": tr("award.revenue_tier"),
        "service_mfg_demo": tr("award.service_mfg_demo"),
        "industrial_design": tr("award.industrial_design"),
    }
    t.add_column(tr("col.pay_year"), justify="left")
    for col in [*(short.get(a, a) for a in awards_), tr("col.total"), tr("col.budget")]:
        t.add_column(col, justify="right")
    for y, row in s["by_year_award_wan"].items():
        b = s["budget_wan"].get(y)
        t.add_row(
            str(y),
            *(f"{row[a]:,.0f}" for a in awards_),
            f"{s['by_year_wan'][y]:,.0f}",
            tr("unlimited") if b is None else f"{b:,.0f}",
        )
    console.print(t)
    console.print(
        tr(
            "awards.total",
            paid=f"{s['total_wan']:,.2f}",
            owed=f"{s['total_owed_wan']:,.2f}",
            unpaid=f"{s['unpaid_wan']:,.2f}",
        )
    )
    print_payers(s)
    print_readings(s["interpretations"])


def payer_frame(s: dict) -> pd.DataFrame:
    """By payer and pay year (五 各县(市)参照执行), with a total row per payer's budget line."""
    rows = []
    for name, v in s["by_payer"].items():
        for y, amount in v["by_year_wan"].items():
            rows.append(
                {
                    "payer": name,
                    "pay_year": y,
                    "paid_wan": amount,
                    "budget_wan": v["budget_wan"].get(y) if v["own_budget"] else None,
                }
            )
    return pd.DataFrame(rows, columns=["payer", "pay_year", "paid_wan", "budget_wan"])


def print_payers(s: dict) -> None:
    """Per payer: what each budget line pays, when there is more than the city's own."""
    payers = s["by_payer"]
    if list(payers) in ([], ["市本级"]) and not s["budget_by_payer"]:
        return
    years = sorted(s["by_year_wan"])
    t = Table(title=tr("jiaxing.payers_title"))
    t.add_column(tr("jiaxing.col_payer"), justify="left")
    for y in years:
        t.add_column(str(y), justify="right")
    t.add_column(tr("col.total"), justify="right")
    t.add_column(tr("jiaxing.col_unpaid"), justify="right")
    for name, v in payers.items():
        cells = []
        for y in years:
            amount = v["by_year_wan"].get(y, 0.0)
            b = v["budget_wan"].get(y) if v["own_budget"] else None
            cells.append(f"{amount:,.0f}" + ("" if b is None else f" / {b:,.0f}"))
        t.add_row(name, *cells, f"{v['total_wan']:,.0f}", f"{v['unpaid_wan']:,.0f}")
    console.print(t)


def run_awards(
    scenario: Scenario, firms=None, recognitions=None, platforms=None, out: Path | None = None
) -> tuple[Path, AwardsOutcome]:
    outcome = optimise(scenario, firms, recognitions, platforms)
    with run_folder(
        out,
        "awards",
        scenario=scenario,
        extra={"policy": str(outcome.policy.path), "policy_sha256": outcome.policy.sha256},
    ) as run:
        write_outputs(outcome, run.staging, scenario)
    return run.final, outcome


def write_outputs(outcome: AwardsOutcome, staging: Path, scenario: Scenario) -> None:
    p, s = outcome.payments, outcome.summary
    p.to_csv(staging / "payments.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", s)
    years = sorted(s["by_year_wan"])
    by_year = pd.DataFrame(
        [
            {
                "pay_year": y,
                **s["by_year_award_wan"][y],
                "total_wan": s["by_year_wan"][y],
                "budget_wan": s["budget_wan"].get(y),
            }
            for y in years
        ]
    )
    by_award = pd.DataFrame(
        [
            {"award": a, "owed_wan": s["owed_by_award_wan"][a], "paid_wan": s["by_award_wan"][a]}
            for a in AWARDS
        ]
    )
    interp = pd.DataFrame(list(s["interpretations"].items()), columns=["key", "value"]).astype(str)
    by_firm = (
        p.groupby(["firm_id", "sector", "payer"], as_index=False)["amount_wan"]
        .sum()
        .sort_values("amount_wan", ascending=False)
    )
    write_workbook(
        staging / "awards.xlsx",
        {
            # The clause text is on the Policy sheet, not repeated on every payment row (this
            # sheet is most of the writing time for 100,000 firms).
            "Payments": p.drop(columns=["clause"]),
            "By pay year": by_year,
            "By award": by_award,
            "By recipient": by_firm,
            "By payer": payer_frame(s),
            "Interpretations": interp,
            "Policy": pd.DataFrame(
                [
                    {
                        "award": a,
                        "revenue_years": "–".join(map(str, outcome.policy.window(a))),
                        "clause": outcome.policy.clauses[a],
                    }
                    for a in AWARDS
                ]
            ),
        },
    )
    budgets = [b for b in s["budget_wan"].values() if b is not None]
    ref = budgets[0] if budgets and len(set(budgets)) == 1 else None
    c1 = bar_chart(
        staging / "payments_by_year.png",
        [str(y) for y in years],
        [s["by_year_wan"][y] for y in years],
        "Payments by pay year",
        "wan yuan (10,000 CNY)",
        reference=ref,
        reference_label="budget",
    )
    c2 = bar_chart(
        staging / "payments_by_award.png",
        list(AWARDS),
        [s["by_award_wan"][a] for a in AWARDS],
        "Payments by award type",
        "wan yuan (10,000 CNY)",
    )
    i = outcome.interp
    head = (
        f"<p>Policy <b>{outcome.policy.id}</b> ({outcome.policy.title}), revenue years "
        f"{'–'.join(map(str, outcome.policy.window('revenue_tier')))}. "
        f"{s['n_firms']} firms in {Path(s['firms_file']).name}; {s['n_payments']} payments "
        f"to {s['n_recipients']} recipients, total <b>{s['total_wan']:,.2f} 万</b> "
        f"(owed {s['total_owed_wan']:,.2f} 万; unpaid {s['unpaid_wan']:,.2f} 万). "
        f"Budget: {'unlimited' if i.budget_wan is None else i.budget_wan} "
        f"({i.budget_exhausted} when exhausted); paid {i.pay_lag_years} year(s) after the "
        f"revenue year. Scenario {scenario.path.name}"
        f"{' with ' + ' '.join(scenario.overrides) if scenario.overrides else ''}.</p>"
    )
    html_report(
        staging / "report.html",
        "fundalloc — Jiaxing reward schedule: payments owed",
        [
            ("", head),
            ("Charts", [c1, c2]),
            ("By pay year (万元)", by_year),
            ("By award (万元)", by_award),
            ("By payer (万元)", payer_frame(s)),
            ("Interpretations used", interp),
            ("Largest recipients", by_firm.head(20)),
            ("Payments (first 200 rows; all in payments.csv)", p.head(200)),
        ],
    )
