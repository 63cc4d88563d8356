"""`fundalloc template KIND OUT.xlsx`: write a blank input workbook to fill in (the workbook is
made by fundalloc.inputs.templates, which the web app can use for a download too)."""

from __future__ import annotations

from pathlib import Path

import typer

from fundalloc.commands.common import console, reports_errors
from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import pick, tr
from fundalloc.inputs.templates import KINDS, table_of, template_bytes


@reports_errors
def command(
    kind: str = typer.Argument(..., metavar="KIND", help=f"Which input: {', '.join(KINDS)}."),
    out: Path = typer.Argument(..., metavar="OUT.xlsx", help="The workbook to write (.xlsx)."),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it exists."),
) -> None:
    """Write a blank input workbook to fill in: Chinese headers over the column names,
    drop-downs, an example row and an instruction sheet."""
    table = table_of(kind)  # an unknown KIND: the error lists the kinds
    if out.suffix.lower() != ".xlsx":
        raise FundallocError(tr("template_not_xlsx", path=out))
    if out.exists() and not force:
        raise FundallocError(tr("template_exists", path=out))
    data = template_bytes(kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    console.print(tr("template_written", path=out, table=pick(table.zh, table.en)), highlight=False)
