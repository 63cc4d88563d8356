"""The `fundalloc` command: the Typer app and its ten subcommands, one module each under
model/commands/. Each subcommand reads a scenario TOML, accepts `--set key=value` overrides, and
writes one results folder (see DESIGN.md "Outputs")."""

from __future__ import annotations

import sys

import typer

from fundalloc.commands import (app as app_command, awards, compare, evaluate, plan, select,
                                simulate, stress, sweep, tradeoff)
from fundalloc.commands.common import err

app = typer.Typer(add_completion=False, no_args_is_help=True, help=(
    "fundalloc — designate applicants and split an award fund (Henan 两业融合发展区; Jiangsu "
    "benchmarks with rules = \"jiangsu\"), plan a programme of annual batches, compare proposed "
    "batches with the optimum, sweep parameters, and stress-test reward schedules (Jiaxing "
    "2024–2026). Money is in 万元. Start with: fundalloc select scenarios/henan-2025.toml"))

# in the order `fundalloc --help` lists them
for name, module in (("select", select), ("compare", compare), ("plan", plan),
                     ("awards", awards), ("simulate", simulate), ("stress", stress),
                     ("app", app_command), ("evaluate", evaluate), ("sweep", sweep),
                     ("tradeoff", tradeoff)):
    app.command(name=name)(module.command)


@app.callback()
def _root() -> None:
    """Run `fundalloc COMMAND --help` for each command's options."""


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted; nothing was written for the unfinished run")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
