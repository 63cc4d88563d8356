"""What the commands share: the terminal, the Typer options several commands take (one
declaration each, with its help text), and the decorator that turns a FundallocError into the red
`error:` line and the exit code."""

from __future__ import annotations

import functools
import inspect
import logging
import sys
import typing
from pathlib import Path
from typing import List, Optional

import click
import typer
import typer.exceptions
from rich.console import Console
from rich.markup import escape

from fundalloc.core.errors import FundallocError
from fundalloc.core.failures import describe_os_error, internal_line, log_internal
from fundalloc.core.i18n import pick, set_lang, tr

console = Console()
err = Console(stderr=True)

SETS = typer.Option(
    None,
    "--set",
    help=tr("help.sets"),
)
OUT = typer.Option(
    None,
    "--out",
    help=tr("help.out"),
)
APPLICANTS = typer.Option(
    None,
    "--applicants",
    help=tr("help.applicants"),
)
ADDRESS = typer.Option(None, "--address", help=tr("help.address"))

# simulate and stress
RUNS = typer.Option(None, "--runs", help=tr("help.runs"))
SEED = typer.Option(None, "--seed", help=tr("help.seed"))
WORKERS = typer.Option(
    None,
    "--workers",
    help=tr("help.workers"),
)
EXECUTOR = typer.Option(
    "local",
    "--executor",
    help=tr("help.executor"),
)
RESUME = typer.Option(
    None,
    "--resume",
    help=tr("help.resume"),
)
BUDGET = typer.Option(
    None,
    "--budget-wan",
    help=tr("help.budget"),
)

# The options of the commands that run replications (simulate, design), in this order: a
# command written `def command(scenario, <its own options>, **options)` and decorated with
# replication_options gets them as keyword arguments, declared once here.
REPLICATION_OPTIONS = (
    ("runs", Optional[int], RUNS),
    ("seed", Optional[int], SEED),
    ("workers", Optional[int], WORKERS),
    ("budget_wan", Optional[float], BUDGET),
    ("out", Optional[Path], OUT),
    ("set_", Optional[List[str]], SETS),
    ("executor", str, EXECUTOR),
    ("address", Optional[str], ADDRESS),
)


def replication_options(command):
    """Give `command` the REPLICATION_OPTIONS in the place of its **options (Typer reads the
    signature: after the command's arguments, before its own options); the command receives
    them as keyword arguments."""
    sig = inspect.signature(command)
    own = [p for p in sig.parameters.values() if p.kind != inspect.Parameter.VAR_KEYWORD]
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=opt, annotation=kind)
        for name, kind, opt in REPLICATION_OPTIONS
    ]

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        return command(*args, **kwargs)

    # after the command's arguments, before its own options (as the help lists them)
    args = [p for p in own if isinstance(p.default, typer.models.ArgumentInfo)]
    rest = [p for p in own if p not in args]
    rest = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in rest]
    wrapped.__signature__ = sig.replace(parameters=args + shared + rest)  # type: ignore[attr-defined]
    wrapped.__annotations__ = {
        **typing.get_type_hints(command),
        **{name: kind for name, kind, _ in REPLICATION_OPTIONS},
    }
    return wrapped


# sweep and tradeoff
SWEEP_WORKERS = typer.Option(
    0,
    "--workers",
    help=tr("help.sweep_workers"),
)
SWEEP_EXECUTOR = typer.Option(
    "local",
    "--executor",
    help=tr("help.sweep_executor"),
)


# every command also takes --lang after its name (the root's --lang works before it); the
# decorator below adds it to the command's signature and applies it before the command runs
LANG = typer.Option(None, "--lang", help=tr("help.lang"))


# the command line's own signals (an exit code, a usage error), not failures
PASS_THROUGH = (
    click.exceptions.Exit,
    click.exceptions.ClickException,
    click.exceptions.Abort,
    typer.exceptions.Exit,
    typer.exceptions.Abort,
    typer.exceptions.TyperException,
)


def _say(message: str, exc: BaseException) -> None:
    notes = "".join(f"\n{n}" for n in getattr(exc, "__notes__", ()))
    # escape: a message naming a table, "[simulation]", is text, not Rich markup
    err.print(
        f"[bold red]{tr('error')}[/] {escape(message + notes)}", highlight=False, soft_wrap=True
    )


class _InputNotes(logging.Handler):
    """An input reader's warning (a column not read, …) in yellow on stderr, once each."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if text not in self.seen:
            self.seen.add(text)
            err.print(f"[yellow]{escape(text)}[/yellow]", soft_wrap=True)


def reports_errors(command):
    """Wrap a command: it takes `--lang` (applied first); a FundallocError it raises is printed
    as one red `error:` line and ends the command with the error's exit code (2, or 130 for an
    interrupted run); an OSError (disk full, permission denied, a file where a folder should
    be …) likewise names the path and what to do, exit code 2; anything else is an internal
    error: one line, the log file with its traceback, exit code 1 — never a traceback."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        # an error inside a generator a library was running (openpyxl on a full disk) is
        # printed again when the generator is collected: to the log, not the terminal
        sys.unraisablehook = lambda u: u.exc_value and log_internal(u.exc_value)
        notes = _InputNotes()
        logging.getLogger("fundalloc.inputs").addHandler(notes)
        try:
            set_lang(kwargs.pop("lang", None))
            return command(*args, **kwargs)
        except FundallocError as exc:
            _say(str(exc), exc)
            raise typer.Exit(code=getattr(exc, "exit_code", 2)) from None
        except OSError as exc:
            _say(describe_os_error(exc), exc)
            raise typer.Exit(code=2) from None
        except PASS_THROUGH:
            raise
        except Exception as exc:  # noqa: BLE001 - an internal error: one line and the log
            _say(internal_line(exc), exc)
            raise typer.Exit(code=1) from None
        finally:
            logging.getLogger("fundalloc.inputs").removeHandler(notes)

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
    from fundalloc.core.display import status_word as word

    return word(status)


def region_label(names: dict[str, str], group: str) -> str:
    """A regional group's name in the language: the rule sets' REGION_NAMES hold
    "郑州中心 Zhengzhou centre" (Chinese, a space, English)."""
    zh, _, en = names.get(group, group).partition(" ")
    return pick(zh, en or zh)


def print_readings(values: dict, model: type | None = None, prefix: str = "awards") -> None:
    """The readings in force (awards, simulate, evaluate): each as its label, its meaning, the
    code word to --set it and the clause it interprets — never the code word alone."""
    from fundalloc.core.readings_view import reading_sentences

    if model is None:
        from fundalloc.rules.jiaxing.readings import AwardsParams

        model = AwardsParams
    console.print(tr("reading.head"))
    for line in reading_sentences(model, values, prefix):
        console.print(line, highlight=False)
