"""The `fundalloc` command. Each subcommand reads a scenario TOML, accepts `--set key=value`
overrides, and writes one results folder (see DESIGN.md "Outputs")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from fundalloc.commands import awards, simulate, stress, sweep, tradeoff
from fundalloc.core.errors import FundallocError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=(
    "fundalloc — designate applicants and split an award fund (Henan 两业融合发展区; Jiangsu "
    "benchmarks with rules = \"jiangsu\"), plan a programme of annual batches, compare proposed "
    "batches with the optimum, sweep parameters, and stress-test reward schedules (Jiaxing "
    "2024–2026). Money is in 万元. Start with: fundalloc select scenarios/henan-2025.toml"))
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
    raise typer.Exit(code=getattr(exc, "exit_code", 2))   # 130 for an interrupted run


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
    from fundalloc.core.scenario import load_scenario
    from fundalloc.commands.select import run_select

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
        t.add_column(col, overflow="fold",   # whole names even in an 80-column terminal
                     justify="right" if col[0] in "sac" and col != "city" else "left")
    for r in outcome.table[outcome.table.designated].itertuples():
        t.add_row(r.id, r.name, r.city, r.region, f"{r.score:.1f}", f"{r.award_wan:,}",
                  f"{r.city_match_wan:,.0f}")
    console.print(t)
    console.print(f"total score {s['total_score']:.1f}; awards {s['total_award_wan']:,} 万 of "
                  f"{s['budget_wan']:,.0f} 万; {s['n_eligible']} of {s['n_applicants']} eligible")
    console.print(f"results: {final}")


@app.command()
def compare(
    scenario: Path = typer.Argument(..., help="Scenario TOML, e.g. scenarios/henan-2025.toml."),
    batch: List[Path] = typer.Option(..., "--batch", help="Proposed batch(es): CSV/XLSX with "
                                     "column id, optional batch (name) and award_wan; or a .txt "
                                     "with ids (one batch per paragraph). Repeatable."),
    applicants: Optional[Path] = typer.Option(None, "--applicants", help="Applicant table; "
                                              "default: selection.applicants in the scenario."),
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Check proposed batches against every rule and put them beside the optimum.

    For each batch: rules broken (in words), total score and score lost, money, regional
    balance, awards that stray from proportional (awards not given are sized as the model
    would), and for each proposed applicant the optimum leaves out, the cheapest swap. Writes
    compare.csv, compare_detail.csv, summary.json, comparison.xlsx, report.html, manifest.json.
    """
    from fundalloc.selection.compare import swap_words
    from fundalloc.commands.compare import run_compare
    from fundalloc.core.scenario import load_scenario

    try:
        sc = load_scenario(scenario, set_)
        final, outcome = run_compare(sc, batch, applicants=applicants, out=out)
    except FundallocError as exc:
        _fail(exc)
        return
    t = Table(title="Proposed batches beside the optimum")
    for col in ("batch", "designated", "score", "lost", "awards 万", "groups", "rules"):
        t.add_column(col, overflow="fold", justify="right" if col in (
            "score", "lost", "awards 万", "groups") else "left")
    for r in outcome.table.itertuples():
        lost = "" if r.score_lost is None or r.score_lost != r.score_lost else f"{r.score_lost:.2f}"
        n_broken = r.rules_broken.count("; ") + 1 if r.rules_broken else 0
        t.add_row(r.batch, r.designated, f"{r.total_score:.2f}", lost, f"{r.total_award_wan:,}",
                  str(r.regions_covered), "ok" if r.follows_rules else f"{n_broken} broken")
    console.print(t)
    for b in outcome.summary["batches"]:
        for rule in b["rules_broken"]:
            console.print(f"{b['batch']}: breaks {rule}")
        for ident, s in b["cheapest_swaps"].items():
            console.print(f"{b['batch']}: {ident} is not in the optimum; {swap_words(s)}")
    console.print(f"results: {final}")


@app.command()
def plan(
    scenario: Path = typer.Argument(..., help="Scenario TOML with a [programme] table, e.g. "
                                    "scenarios/henan-2025.toml."),
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Plan the whole programme: designations over several annual batches, as one model.

    Each year's batch keeps the [selection] rules with its own batch size and budget
    ([programme]); nobody is designated twice; programme-wide totals and regional balance hold.
    Proves the plan optimal (score, then money), says whether another plan is as good, and
    writes plan.csv, summary.json, plan.xlsx, report.html and manifest.json.
    """
    from fundalloc.commands.plan import run_plan
    from fundalloc.core.scenario import load_scenario

    try:
        sc = load_scenario(scenario, set_)
        final, _, table, s = run_plan(sc, out)
    except FundallocError as exc:
        _fail(exc)
        return
    t = Table(title=f"Programme plan — status {s['status']}, MIP gap {s['mip_gap']:.1g}, "
                    f"{s['n_designated']} designated")
    for col in ("year", "designated (award 万)", "awards 万", "budget 万", "score"):
        t.add_column(col, overflow="fold", justify="left" if col.startswith("d") else "right")
    for y, v in s["years"].items():
        t.add_row(y, " ".join(f"{i} ({a})" for i, a in v["awards_wan"].items()),
                  f"{v['total_award_wan']:,}", f"{v['budget_wan']:,.0f}", f"{v['total_score']:.1f}")
    console.print(t)
    console.print("by regional group: " + ", ".join(f"{g} {n}" for g, n in s["by_region"].items()))
    console.print("the plan is unique" if s["unique"] else "another plan is as good: " + "; ".join(
        f"{y}: {' '.join(ids)}" for y, ids in s["another_plan_as_good"].items()))
    console.print(f"total score {s['total_score']:.1f}; awards {s['total_award_wan']:,} 万")
    console.print(f"results: {final}")


app.command(name="awards")(awards.command)
app.command(name="simulate")(simulate.command)
app.command(name="stress")(stress.command)


@app.command(name="app")
def app_(
    port: int = typer.Option(8765, "--port", help="Port to serve on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this "
                             "computer only)."),
) -> None:
    """Start the web app (selection, compare, stress test) and print its address."""
    from fundalloc.app.server import serve

    try:
        serve(host, port, announce=lambda text: console.print(text, highlight=False))
    except FundallocError as exc:
        _fail(exc)


@app.command()
def evaluate(
    scenario: Path = typer.Argument(..., help="Scenario TOML, e.g. scenarios/jiangsu-benchmarks.toml."),
    performance: Optional[Path] = typer.Option(None, "--performance", help="Performance table of "
                                               "the named benchmarks (CSV or XLSX); default: "
                                               "evaluation.performance in the scenario."),
    out: Optional[Path] = OUT,
    set_: Optional[List[str]] = SETS,
) -> None:
    """Jiangsu benchmarks' performance evaluation: who is commended, kept or delisted (摘牌).

    Rechecks each benchmark's conditions (RULES.md B) on current data and its performance score
    under the readings in the scenario's evaluation table (e.g. --set evaluation.pass_score=65),
    and writes evaluation.csv, summary.json, evaluation.xlsx, report.html and manifest.json.
    """
    from fundalloc.commands.evaluate import run_evaluate
    from fundalloc.core.scenario import load_scenario

    try:
        sc = load_scenario(scenario, set_)
        final, result = run_evaluate(sc, performance, out)
    except FundallocError as exc:
        _fail(exc)
        return
    s = result.summary
    t = Table(title=f"Delisted ({s['n_delisted']}) and commended ({s['n_commended']}) of "
                    f"{s['n_benchmarks']} benchmarks")
    for col in ("id", "name", "city", "score", "outcome"):
        t.add_column(col, justify="right" if col == "score" else "left", no_wrap=True)
    t.add_column("reasons", ratio=1, overflow="fold")
    for r in result.table[result.table.outcome != "kept"].itertuples():
        t.add_row(r.id, r.name, r.city, f"{r.performance_score:.1f}", r.outcome, r.reasons)
    console.print(t)
    console.print(f"{s['n_commended']} commended, {s['n_kept']} kept, {s['n_delisted']} "
                  f"delisted; {s['remaining']} keep the plaque")
    console.print(f"results: {final}")


app.command(name="sweep")(sweep.command)
app.command(name="tradeoff")(tradeoff.command)


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted; nothing was written for the unfinished run")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
