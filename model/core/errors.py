"""Errors a user can act on: each names what to fix, never a stack trace."""

from __future__ import annotations

import os

from fundalloc.core.i18n import tr

# Spreadsheet rows of the records of each table file read (by absolute path): readers count
# records from row 2 (`sheet_row`); a file with title rows above its header, a second header
# row of machine names or blank rows has its records elsewhere, and InputError translates.
_ROWS: dict[str, tuple[int, tuple[int, ...]]] = {}


def register_rows(file, header_row: int, rows) -> None:
    """Where the header and each record of `file` are in the sheet (1-based rows)."""
    _ROWS[os.path.abspath(str(file))] = (header_row, tuple(int(r) for r in rows))


def sheet_row(index: int) -> int:
    """Spreadsheet row of the record at 0-based position `index` (counted as if the header were
    row 1; InputError turns it into the file's real row when rows above the header or blank
    rows were skipped)."""
    return index + 2


def sheet_row_of(file, row: int | None) -> int | None:
    """The spreadsheet row of `row` as the readers count (header 1, first record 2)."""
    if row is None:
        return None
    entry = _ROWS.get(os.path.abspath(str(file)))
    if entry is None:
        return row
    header, rows = entry
    if row <= 1:
        return header
    k = row - 2
    if k < len(rows):
        return rows[k]
    return (rows[-1] if rows else header) + k - len(rows) + 1


class FundallocError(Exception):
    """Base class: the CLI prints the message and exits with code 2."""


class InputError(FundallocError):
    """A bad value in an input file, named by file, spreadsheet row and column. `row` is counted
    as the readers count (`sheet_row`: header 1, first record 2) and turned into the file's own
    row here, so re-raising with another InputError's `.row` would shift it twice: pass its
    `detail` and the reader's count instead."""

    def __init__(self, file, message: str, row: int | None = None, column: str | None = None):
        row = sheet_row_of(file, row)
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
