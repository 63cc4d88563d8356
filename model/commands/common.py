"""What the commands share: the terminal, the Typer options several commands take (one
declaration each, with its help text), and the decorator that turns a FundallocError into the red
`error:` line and the exit code."""

from __future__ import annotations

import functools
import inspect
from typing import Optional

import typer
from rich.console import Console

from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import pick, set_lang, tr

console = Console()
err = Console(stderr=True)

SETS = typer.Option(
    None,
    "--set",
    help="Override a scenario key, e.g. --set "
    "selection.budget_wan=2500 (repeatable; values are TOML literals).",
)
OUT = typer.Option(
    None,
    "--out",
    help="Results folder to create (default results/<time>-<cmd>). "
    "Never overwrites an earlier run.",
)
APPLICANTS = typer.Option(
    None,
    "--applicants",
    help="Applicant table (CSV or XLSX); default: selection.applicants in the scenario.",
)
ADDRESS = typer.Option(None, "--address", help="Dask scheduler, e.g. tcp://10.0.0.5:8786.")

# simulate and stress
RUNS = typer.Option(None, "--runs", help="Replications (default simulation.runs).")
SEED = typer.Option(None, "--seed", help="Root seed (default simulation.seed).")
WORKERS = typer.Option(
    None,
    "--workers",
    help="Processes (default simulation.workers; 0 = all cores). Results do not depend on it.",
)
EXECUTOR = typer.Option(
    "local",
    "--executor",
    help="Where replications run: local (processes "
    "on this machine) or dask (--address, or a local Dask cluster of "
    "--workers). Results do not depend on it.",
)
RESUME = typer.Option(
    None,
    "--resume",
    help="Finish an interrupted run: its <run>.incomplete "
    "folder (same scenario and options); only missing chunks are run.",
)
BUDGET = typer.Option(
    None,
    "--budget-wan",
    help="Yearly budget in 万元 for every pay year (per "
    "year: --set 'awards.budget_wan={2025=3000,2026=4000}').",
)

# sweep and tradeoff
SWEEP_WORKERS = typer.Option(
    0,
    "--workers",
    help="Processes, one optimisation each (0 = all cores). Results do not depend on it.",
)
SWEEP_EXECUTOR = typer.Option(
    "local",
    "--executor",
    help="Where the optimisations run: local or dask (--address). Results do not depend on it.",
)


# every command also takes --lang after its name (the root's --lang works before it); the
# decorator below adds it to the command's signature and applies it before the command runs
LANG = typer.Option(
    None, "--lang", help="zh (中文, the default) or en (English); also FUNDALLOC_LANG."
)


def reports_errors(command):
    """Wrap a command: it takes `--lang` (applied first), and a FundallocError it raises is
    printed as one red `error:` line and ends the command with the error's exit code (2, or 130
    for an interrupted run)."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            set_lang(kwargs.pop("lang", None))
            return command(*args, **kwargs)
        except FundallocError as exc:
            err.print(f"[bold red]{tr('error')}[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=getattr(exc, "exit_code", 2)) from None

    sig = inspect.signature(command)
    if "lang" not in sig.parameters:
        extra = inspect.Parameter(
            "lang", inspect.Parameter.KEYWORD_ONLY, default=LANG, annotation=Optional[str]
        )
        wrapped.__signature__ = sig.replace(parameters=[*sig.parameters.values(), extra])
        wrapped.__annotations__ = {**command.__annotations__, "lang": Optional[str]}
    return wrapped


def status_word(status: str) -> str:
    """A solver status (a machine word in summary.json) as the terminal shows it."""
    words = {
        "optimal": tr("status.optimal"),
        "time_limit": tr("status.time_limit"),
        "infeasible": tr("status.infeasible"),
        "error": tr("status.error"),
    }
    return words.get(status, status)


def region_label(names: dict[str, str], group: str) -> str:
    """A regional group's name in the language: the rule sets' REGION_NAMES hold
    "郑州中心 Zhengzhou centre" (Chinese, a space, English)."""
    zh, _, en = names.get(group, group).partition(" ")
    return pick(zh, en or zh)
