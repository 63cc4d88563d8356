"""The `fundalloc` command. Each subcommand reads a scenario TOML, accepts `--set key=value`
overrides, and writes one results folder (see DESIGN.md "Outputs")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import FundallocError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=(
    "fundalloc — designate applicants and split an award fund (Henan 两业融合发展区), compare "
    "batches, and stress-test reward schedules (Jiaxing 2024–2026). Money is in 万元."))
console = Console()
err = Console(stderr=True)

SETS = typer.Option(None, "--set", help="Override a scenario key, e.g. --set "
                    "selection.budget_wan=2500 (repeatable; values are TOML literals).")
OUT = typer.Option(None, "--out", help="Results folder to create (default results/<time>-<cmd>). "
                   "Never overwrites an earlier run.")


@app.callback()
def _root() -> None:
    """Run `fundalloc COMMAND --help` for each command's options."""


def _fail(exc: Exception) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


@app.command()
def select(
    scenario: Path = typer.Argument(..., help="Scenario TOML, e.g. scenarios/henan-2025.toml."),
    applicants: Optional[Path] = typer.Option(None, "--applicants", help="Applicant table (CSV or "
                                              "XLSX); default: selection.applicants in the scenario."),
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Choose which applicants to designate and how much each gets, proven optimal.

    Checks eligibility (RULES.md A), solves the selection MIP with HiGHS (score first, then
    spending, then closeness to proportional awards), and writes selection.csv, summary.json,
    allocation.xlsx, report.html and manifest.json. If no batch can satisfy the rules, says
    which rules conflict.
    """
    from .scenario import load_scenario
    from .select_run import run_select

    try:
        sc = load_scenario(scenario, set_)
        final, outcome = run_select(sc, applicants, out)
    except FundallocError as exc:
        _fail(exc)
        return
    s = outcome.summary
    t = Table(title=f"Designated ({len(s['designated'])}) — status {s['status']}, MIP gap "
                    f"{s['mip_gap']}, {s['solve_seconds']:.2f} s")
    for col in ("id", "name", "city", "region", "score", "award 万", "city match 万"):
        t.add_column(col, justify="right" if col[0] in "sac" and col != "city" else "left")
    for r in outcome.table[outcome.table.designated].itertuples():
        t.add_row(r.id, r.name, r.city, r.region, f"{r.score:.1f}", f"{r.award_wan:,}",
                  f"{r.city_match_wan:,.0f}")
    console.print(t)
    console.print(f"total score {s['total_score']:.1f}; awards {s['total_award_wan']:,} 万 of "
                  f"{s['budget_wan']:,.0f} 万; {s['n_eligible']} of {s['n_applicants']} eligible")
    console.print(f"results: {final}")


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted; nothing was written for the unfinished run")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
