"""docs/inputs.md from the column declarations: one table per input file.

Regenerate with `python -m fundalloc.core.columns > docs/inputs.md`; tests/test_inputs_docs.py
fails when the file and the declarations disagree.
"""

from __future__ import annotations

from fundalloc.core.columns import YEAR_RANGE, Column, Table, tables
from fundalloc.core.tables import FALSE_WORDS, TRUE_WORDS

COMMAND = "python -m fundalloc.core.columns > docs/inputs.md"

INTRO = f"""# Input files — 输入文件

<!-- Generated from the column declarations (model/inputs/*.py) by `{COMMAND}`;
     do not edit by hand: tests/test_inputs_docs.py fails when the two disagree. -->

Every input is a CSV (UTF-8) or XLSX file, one record per row, with the column names below in
row 1. The names are machine names: keep them as written (never translated); the order of the
columns does not matter. Rules for every file:

- A bad cell stops the run with the file, the spreadsheet row (the header is row 1) and the
  column; nothing is written.
- Columns not listed here are kept as they are (and echoed where outputs echo the file).
- The same name twice in the header is an error (which of the two is meant would be a guess).
- Numbers are plain numbers (no thousands separators or units); `inf`, `nan` and numbers beyond
  ±1e308 are refused. A whole number has no fraction; a year is a whole number in
  {YEAR_RANGE[0]}–{YEAR_RANGE[1]} unless its range says otherwise.
- Choices take the value or one of the aliases in brackets, in any letter case.
- Yes/no takes {", ".join(TRUE_WORDS)} or {", ".join(FALSE_WORDS)}.
- "required": yes = the column and every value; "column yes; cells may be empty" = the column
  must be there; optional = the column may be left out; "if …" = the value is needed in those
  rows only.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _range(col: Column) -> str:
    if col.kind == "choice":
        return col.choice_words()
    return col.range_words()


def _help(col: Column) -> str:
    return col.help + (f" [依据 {col.clause}]" if col.clause else "")


def table_markdown(table: Table) -> str:
    lines = [
        f"## {table.zh} {table.en} (`{table.name}`)",
        "",
        table.help[0].upper() + table.help[1:] + ".",
        "",
        "| column | 中文名 | name | type | unit | range / choices | required | help |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in table.columns:
        cells = [
            f"`{c.name}`",
            c.zh,
            c.en,
            c.kind,
            c.unit or "",
            _range(c),
            c.required_words(),
            _help(c),
        ]
        lines.append("| " + " | ".join(_cell(x) for x in cells) + " |")
    for u in table.unique:
        names = [f"`{c}`" for c in u.columns]
        same = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        lines += ["", f"No two rows with the same {same}."]
    return "\n".join(lines) + "\n"


def markdown() -> str:
    """The whole of docs/inputs.md."""
    return "\n".join([INTRO, *(table_markdown(t) for t in tables().values())])
