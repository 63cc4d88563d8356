"""docs/inputs.md from the column declarations: one table per input file.

Regenerate with `python -m fundalloc.core.columns > docs/inputs.md`; tests/test_inputs_docs.py
fails when the file and the declarations disagree.
"""

from __future__ import annotations

from fundalloc.core.columns import YEAR_RANGE, Column, Table, tables
from fundalloc.core.tables import FALSE_WORDS, HEADER_SEARCH, TRUE_WORDS

COMMAND = "python -m fundalloc.core.columns > docs/inputs.md"

INTRO = f"""# Input files — 输入文件

<!-- Generated from the column declarations (model/inputs/*.py) by `{COMMAND}`;
     do not edit by hand: tests/test_inputs_docs.py fails when the two disagree. -->

Every input is a CSV or Excel file (.xlsx, .xlsm, old .xls), one record per row, under a header
row naming the columns. The machine names below are what outputs and scripts use; the header may
give instead a column's Chinese name or one of its header aliases (column "headers"), with or
without a unit in brackets ("上年营业收入(亿元)"). The order of the columns does not matter.
Rules for every file:

- CSV files may be UTF-8 (with or without BOM) or GBK/GB18030 (what Excel and WPS on Chinese
  Windows save); the encoding found is logged. A file that is neither is refused.
- Title or note rows above the header are skipped (the header is looked for in the first
  {HEADER_SEARCH} rows); a second header row right below it holding the machine names (the
  layout of the templates: Chinese names in row 1, machine names in row 2) is skipped too, and
  so are blank rows. In a workbook the first sheet with the header is read.
- A unit in a header's brackets must be the column's unit ("(万元)" over a 亿元 column is an
  error); "(%)" over a share column reads its plain numbers as percents.
- A bad cell stops the run with the file, the spreadsheet row (as Excel numbers it) and the
  column; nothing is written.
- Columns not listed here are kept as they are (and echoed where outputs echo the file).
- The same column twice in the header (or its name and its Chinese name) is an error (which of the two is meant would be a guess).
- Numbers may carry thousands separators (3,000); money in 万元 may be typed 3000万 or 0.3亿,
  money in 亿元 300亿 or 3000000万; a share column takes 0.421 or 42.1%, and one marked "42.1"
  under "typed as" takes a whole column of percents (every number above 1; a number above 1
  among fractions is an error). `inf`, `nan` and numbers beyond ±1e308 are refused. A whole
  number has no fraction; a year is a whole number in {YEAR_RANGE[0]}–{YEAR_RANGE[1]} unless its
  range says otherwise.
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
        "| column | 中文名 | name | headers | type | unit | typed as | range / choices "
        "| required | help |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in table.columns:
        cells = [
            f"`{c.name}`",
            c.zh,
            c.en,
            ", ".join(c.aliases_header),
            c.kind,
            c.unit or "",
            c.typed_words(),
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
