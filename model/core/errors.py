"""Errors a user can act on: each names what to fix, never a stack trace."""

from __future__ import annotations


class FundallocError(Exception):
    """Base class: the CLI prints the message and exits with code 2."""


class InputError(FundallocError):
    """A bad value in an input file, named by file, spreadsheet row and column."""

    def __init__(self, file, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.detail = str(file), row, column, message
        where = self.file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


class ScenarioError(FundallocError):
    """A bad or missing scenario key, named by its dotted path."""

    def __init__(self, file, key: str, message: str):
        self.file, self.key = str(file), key
        # "(file)", "(syntax)": about the file itself, not one of its keys
        where = "" if key.startswith("(") else f"scenario key '{key}': "
        super().__init__(f"{file}: {where}{message}")


class InfeasibleError(FundallocError):
    """No batch satisfies all constraints; `conflicts` lists the clashing rules in words."""

    def __init__(self, conflicts: list[str], summary: str | None = None):
        self.conflicts = conflicts
        lines = [summary or "No batch satisfies every constraint. These constraints conflict:"]
        lines += [f"  - {c}" for c in conflicts]
        super().__init__("\n".join(lines))
