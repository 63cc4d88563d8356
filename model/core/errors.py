"""Errors a user can act on: each names what to fix, never a stack trace."""

from __future__ import annotations

from fundalloc.core.i18n import tr


class FundallocError(Exception):
    """Base class: the CLI prints the message and exits with code 2."""


class InputError(FundallocError):
    """A bad value in an input file, named by file, spreadsheet row and column."""

    def __init__(self, file, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.detail = str(file), row, column, message
        where = self.file
        if row is not None:
            where += tr("input.row", row=row)
        if column is not None:
            where += tr("input.column", column=column)
        super().__init__(tr("input.where", where=where, message=message))


class ScenarioError(FundallocError):
    """A bad or missing scenario key, named by its dotted path."""

    def __init__(self, file, key: str, message: str):
        self.file, self.key = str(file), key
        # "(file)", "(syntax)": about the file itself, not one of its keys
        where = "" if key.startswith("(") else tr("scenario.key", dotted=key)
        super().__init__(tr("scenario.where", file=file, where=where, message=message))


class InfeasibleError(FundallocError):
    """No batch satisfies all constraints; `conflicts` lists the clashing rules in words."""

    def __init__(self, conflicts: list[str], summary: str | None = None):
        self.conflicts = conflicts
        lines = [summary or tr("infeasible.summary")]
        lines += [f"  - {c}" for c in conflicts]
        super().__init__("\n".join(lines))
