"""The command line's own words in the user's language. Typer, and the click it vendors, write
"Usage:", "Options", "[required]", "Error: Missing argument 'scenario'." in English whatever
the language; `fundalloc`'s group and commands format their help and their usage errors
through the classes here, so a Chinese user reads 用法 / 选项 / [必填] / 错误: 缺少参数 … .

Only the framework's words change. Option names, metavars (<path>, <int>) and what the user
typed are shown as typed; a framework message that `message`'s table does not know stays as
it came (still after 错误:), so nothing is dropped. The words themselves are in
core/messages/cli.toml."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import click
import typer

from fundalloc.core.i18n import tr

# click's HelpFormatter (typer vendors click: reached through the public typer.Context)
_Formatter = typer.Context.formatter_class


def _sections() -> dict[str, Callable[[], str]]:
    return {
        "Arguments": lambda: tr("cli.arguments"),
        "Options": lambda: tr("cli.options"),
        "Commands": lambda: tr("cli.commands"),
    }


class Formatter(_Formatter):  # type: ignore[misc, valid-type]
    """Help text with the usage line, section headings and the help rows' framework words
    (`[default: …; required]`, the help option's own help) in the language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        words = args.replace("COMMAND [ARGS]...", tr("cli.command_metavar"))
        words = words.replace("[OPTIONS]", tr("cli.options_metavar"))
        super().write_usage(prog, words, tr("cli.usage") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_sections().get(heading, lambda: heading)())

    def write_dl(self, rows, *args, **kwargs) -> None:
        super().write_dl([(term, help_words(text)) for term, text in rows], *args, **kwargs)


class Context(typer.Context):
    formatter_class = Formatter


_EXTRA = re.compile(r"(?P<head>^|.*?\s)\[(?P<parts>[^\[\]]*)\]$", re.S)


def help_words(text: str) -> str:
    """A help row's text with Typer's trailing `[default: x; required]` and the help option's
    own help in the language (the rest, our own help text, is already in it)."""
    if text == "Show this message and exit.":
        return tr("cli.help_option")
    m = _EXTRA.match(text)
    if not m:
        return text
    parts = []
    for part in m["parts"].split("; "):
        if part == "required":
            parts.append(tr("cli.required"))
        elif part.startswith("default: "):
            parts.append(tr("cli.default", value=part[len("default: ") :]))
        else:
            parts.append(part)
    return f"{m['head']}[{'; '.join(parts)}]"


def _reason(text: str) -> str:
    """Why a value was refused, in the language (the value itself as typed)."""
    if text.startswith("Input should be a valid integer"):
        return tr("cli.not_integer")
    if text.startswith("Input should be a valid number"):
        return tr("cli.not_number")
    if text.startswith("Input should be a valid boolean"):
        return tr("cli.not_boolean")
    if m := re.fullmatch(r"Value (.+) is not a valid (\w+)\.", text):
        return tr("cli.not_valid", value=m[1], kind=m[2])
    if m := re.fullmatch(r"(.+) is not one of (.+)\.", text, re.S):
        return tr("cli.not_one_of", value=m[1], choices=m[2])
    if m := re.fullmatch(r"(?:File|Directory|Path) (.+) does not exist\.", text):
        return tr("cli.path_missing", path=m[1])
    return text


def message(text: str) -> str:
    """A usage error's message (click's and Typer's wording) in the language; one this table
    does not know is returned as it came."""
    rules: list[tuple[str, Callable[[re.Match], str]]] = [
        (r"Missing argument (.+?)\.", lambda m: tr("cli.missing_argument", name=m[1])),
        (r"Missing option (.+?)\.", lambda m: tr("cli.missing_option", name=m[1])),
        (r"Missing command\.", lambda m: tr("cli.missing_command")),
        (
            r"No such option: (\S+) \(Possible options: (.+)\)",
            lambda m: tr("cli.no_such_option_like", name=m[1], like=m[2]),
        ),
        (r"No such option: (\S+)", lambda m: tr("cli.no_such_option", name=m[1])),
        (
            r"No such command (.+?)\.+ Did you mean (.+)\?",
            lambda m: tr("cli.no_such_command_like", name=m[1], like=m[2]),
        ),
        (r"No such command (.+?)\.", lambda m: tr("cli.no_such_command", name=m[1])),
        (
            r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)",
            lambda m: tr("cli.extra_arguments", args=m[1]),
        ),
        (r"Option (.+) requires an argument\.", lambda m: tr("cli.needs_value", name=m[1])),
        (
            r"Option (.+) requires (\d+) arguments\.",
            lambda m: tr("cli.needs_values", name=m[1], n=m[2]),
        ),
        (r"Option (.+) does not take a value\.", lambda m: tr("cli.takes_no_value", name=m[1])),
        (
            r"Argument (.+) takes (\d+) values\.",
            lambda m: tr("cli.takes_values", name=m[1], n=m[2]),
        ),
        (
            r"Invalid value for (.+?): (.*)",
            lambda m: tr("cli.invalid_value", name=m[1], reason=_reason(m[2])),
        ),
        (r"Invalid value: (.*)", lambda m: tr("cli.invalid", reason=_reason(m[1]))),
    ]
    for pattern, say in rules:
        if m := re.fullmatch(pattern, text, re.S):
            return say(m)
    return text


USAGE_ERRORS = (typer.TyperException, click.exceptions.ClickException)


def show_usage_error(exc: typer.TyperException | click.exceptions.ClickException) -> None:
    """What click's UsageError.show prints — the usage line, where to find help, the error —
    in the language."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())  # through Formatter: 用法
        if ctx.command.get_help_option(ctx) is not None:
            command = f"{ctx.command_path} {ctx.help_option_names[0]}"
            lines += [tr("cli.try_help", command=command), ""]
    lines.append(f"{tr('error')} {message(exc.format_message())}")
    typer.echo("\n".join(lines), err=True)


def speaking(method):
    """Wrap a command's make_context / invoke: a usage error raised there is shown by
    show_usage_error and ends the command with its exit code (2 for a usage error), instead of
    click's English. The help shown for no arguments at all is left to click (it is help)."""

    @functools.wraps(method)
    def wrapped(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except USAGE_ERRORS as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                raise
            show_usage_error(exc)
            raise typer.Exit(code=exc.exit_code) from None

    return wrapped


class Command(typer.core.TyperCommand):
    """A fundalloc command: its help and usage errors in the language."""

    context_class = Context
    make_context = speaking(typer.core.TyperCommand.make_context)
    invoke = speaking(typer.core.TyperCommand.invoke)
