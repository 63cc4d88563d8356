"""The `fundalloc` command: the Typer app and its ten subcommands, one module each under
model/commands/. Each subcommand reads a scenario TOML, accepts `--set key=value` overrides, and
writes one results folder (see DESIGN.md "Outputs").

A command's module (and the solver, pandas, matplotlib … behind it) is imported only when that
command runs or shows its help, so that `fundalloc --help` stays instant: it lists the commands
from the docstrings of their `command` functions, read from the source without running it."""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import sys
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # the click types Typer's own classes are declared with
    from typer._click import Command, Context, HelpFormatter

from fundalloc.commands import framework
from fundalloc.commands.common import LANG, err
from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import set_lang, tr

# in the order `fundalloc --help` lists them; each is fundalloc.commands.<name>.command
COMMANDS = (
    "select",
    "robust",
    "compare",
    "plan",
    "awards",
    "simulate",
    "stress",
    "sensitivity",
    "design",
    "app",
    "evaluate",
    "sweep",
    "tradeoff",
    "template",
)


@cache
def load_command(name: str) -> Command:
    """The command as Typer builds it from `fundalloc.commands.<name>.command`."""
    # help texts name scenario tables ("[simulation]"): plain text, not Rich markup
    one = typer.Typer(add_completion=False, rich_markup_mode=None)
    module = importlib.import_module(f"fundalloc.commands.{name}")
    one.command(name=name, help=command_help(name), cls=framework.Command)(module.command)
    return typer.main.get_command(one)


@cache
def command_help(name: str) -> str:
    """A command's help in the language (FUNDALLOC_LANG: --help is read before --lang runs);
    the English text is the docstring of its `command` (tests/test_chinese_first.py)."""
    return {
        "select": tr("help.select"),
        "robust": tr("help.robust"),
        "compare": tr("help.compare"),
        "plan": tr("help.plan"),
        "awards": tr("help.awards"),
        "simulate": tr("help.simulate"),
        "stress": tr("help.stress"),
        "sensitivity": tr("help.sensitivity"),
        "design": tr("help.design"),
        "app": tr("help.app"),
        "evaluate": tr("help.evaluate"),
        "sweep": tr("help.sweep"),
        "tradeoff": tr("help.tradeoff"),
        "template": tr("help.template"),
    }[name]


def command_docstring(name: str) -> str:
    """The docstring of `fundalloc.commands.<name>.command`, read without importing the module."""
    spec = importlib.util.find_spec(f"fundalloc.commands.{name}")
    assert spec is not None and spec.origin is not None  # one of COMMANDS: the module exists
    source = Path(spec.origin)
    tree = ast.parse(source.read_text(encoding="utf-8"))
    function = next(
        node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "command"
    )
    return ast.get_docstring(function) or ""


class LazyCommands(Mapping):
    """The group's commands by name: the names are known, a command is built on first use."""

    def __getitem__(self, name: str) -> Command:
        if name not in COMMANDS:
            raise KeyError(name)
        return load_command(name)

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class Commands(TyperGroup):
    listing = False  # True while the group's own help lists the commands
    context_class = framework.Context  # help and usage errors in the language
    make_context = framework.speaking(TyperGroup.make_context)

    @framework.speaking
    def invoke(self, ctx: Context):
        # the root's --lang before the command's name is looked up: click runs the root's
        # callback (_root, which reports a wrong value) only once it has found the command
        with contextlib.suppress(FundallocError):
            set_lang(ctx.params.get("lang"))
        return super().invoke(ctx)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # read-only by design: the group never adds commands (click types it as mutable)
        self.commands = LazyCommands()  # type: ignore[assignment]

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, name: str) -> Command | None:
        if self.listing and name in COMMANDS:  # name and help are all the listing shows
            return TyperCommand(name, help=command_help(name))
        return super().get_command(ctx, name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False


app = typer.Typer(
    cls=Commands,
    add_completion=False,
    rich_markup_mode=None,  # help texts name scenario tables ("[stress]"): plain text
    no_args_is_help=True,
    help=tr("help.root"),
)


@app.callback()
def _root(
    lang: Optional[str] = LANG,
) -> None:
    """Run `fundalloc COMMAND --help` for each command's options."""
    try:
        set_lang(lang)
    except FundallocError as exc:
        err.print(f"[bold red]{tr('error')}[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(code=2) from None


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        err.print(tr("interrupted"))
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
