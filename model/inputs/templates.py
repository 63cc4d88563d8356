"""Blank input workbooks to fill in (`fundalloc template KIND OUT.xlsx`; the web app can offer the
same bytes as a download): one per declared input table of fundalloc.core.columns.

Sheet 1 (填写) has the column labels in row 1 (with the unit, e.g. 上年营业收入(亿元)), the machine
names the reader uses in row 2, and one example row (a row of the bundled files) in row 3; every
choice and yes/no column has a drop-down, every number column with a declared range a number
check. Sheet 2 (说明) has one row per column: label, machine name, required?, unit, allowed values
or range, meaning and clause. The reader skips row 1 (fundalloc.core.tables.read_table), so the
file filled in and saved reads back as the same table.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fundalloc.core.columns import Column, Table, When, tables
from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import lang, pick, tr
from fundalloc.core.tables import FALSE_WORDS, TRUE_WORDS

# KIND of `fundalloc template KIND` → the declared table (fundalloc.core.columns.tables())
KINDS = {
    "applicants": "henan_applicants",
    "jiangsu-applicants": "jiangsu_applicants",
    "jiangsu-performance": "jiangsu_performance",
    "firms": "firms",
    "recognitions": "recognitions",
    "platforms": "platforms",
    "batch": "batches",
}

# The example row of each template: the first row of the bundled file (tests/test_templates.py
# checks it is one), as text the way the CSV has it.
EXAMPLES: dict[str, dict[str, str]] = {
    "henan_applicants": dict(  # scenarios/data/henan_applicants_2025.csv
        id="HA011",
        name="郑州经济技术开发区",
        city="郑州",
        kind="zone",
        zone_level="national",
        gdp_prev_yi="",
        revenue_prev_yi="2486.8",
        mfg_share="0.421",
        score="89.0",
        industrial_scale="508.9",
        service_capability="98.5",
        reach="166",
        stars="3",
        pinned="",
        city_match_wan="0",
    ),
    "jiangsu_applicants": dict(  # scenarios/data/jiangsu_applicants_2025.csv
        id="JS250100",
        name="六合区",
        city="南京",
        track="region",
        unit_type="county",
        in_catalogue="",
        provincial_pilot="yes",
        mfg_share="0.3499",
        gdp_prev_yi="1597.4",
        revenue_prev_yi="",
        national_share_rank="",
        score="94.8",
        industrial_scale="215.0",
        service_capability="61.7",
        reach="546",
        pinned="",
        city_match_wan="50",
    ),
    "jiangsu_performance": dict(  # scenarios/data/jiangsu_performance_2025.csv
        id="JS231153",
        name="淮安新材料企业B",
        city="淮安",
        track="enterprise",
        unit_type="enterprise",
        in_catalogue="",
        provincial_pilot="yes",
        mfg_share="",
        gdp_prev_yi="",
        revenue_prev_yi="9.5",
        national_share_rank="",
        designated_year="2023",
        performance_score="76.7",
        new_models="no",
        demonstration="yes",
    ),
    # payer / matter_id: optional (issue 15), empty in the bundled files (市本级; own matter)
    "firms": dict(  # scenarios/data/jiaxing_firms_example.csv
        firm_id="F001", sector="tech_info", year="2022", revenue_wan="1500", payer=""
    ),
    "recognitions": dict(  # scenarios/data/jiaxing_recognitions_example.csv
        firm_id="F008",
        year="2024",
        kind="service_mfg_demo",
        level="municipal",
        matter_id="",
        payer="",
    ),
    "platforms": dict(  # scenarios/data/jiaxing_platforms_example.csv
        platform_id="P01",
        year="2024",
        firms_served="420",
        trade_growth="0.16",
        upgrade_cost_wan="50",
        payer="",
    ),
    "batches": dict(id="HA071", batch="top-scores", award_wan=""),  # henan_proposed_batches.csv
}

FIRST_ROW = 3  # row 1 labels, row 2 machine names, records from row 3
LAST_ROW = 1048576  # validations cover the whole column below the header
LIST_LIMIT = 255  # Excel's limit for a drop-down written inline ("a,b,c")
BOLD = Font(bold=True)
LABEL_FILL = PatternFill("solid", fgColor="DDEBF7")
NAME_FONT = Font(color="808080", italic=True, size=9)
NAME_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")


def table_of(kind: str) -> Table:
    """The declared table of a template KIND; an unknown KIND is an error listing the kinds."""
    if kind not in KINDS:
        raise FundallocError(tr("template_unknown_kind", kind=kind, kinds=", ".join(KINDS)))
    return tables()[KINDS[kind]]


def template_bytes(kind: str) -> bytes:
    """The template workbook of `kind` as .xlsx bytes (for a file or a download)."""
    buffer = io.BytesIO()
    workbook(table_of(kind)).save(buffer)
    return buffer.getvalue()


def header_label(col: Column) -> str:
    """Row 1 of the template: the label in the language in force, with the unit."""
    label = pick(col.zh, col.en)
    return f"{label}({col.unit})" if col.unit else label


def _cjk(text: str) -> bool:
    return any(ord(ch) >= 0x2E80 for ch in text)


def shown(col: Column, value: str) -> str:
    """A canonical choice as the drop-down offers it: in Chinese its first Chinese alias (开发园区
    for dev_park), else the value itself; yes/no as 是/否 (yes/no in English). The reader maps
    each back to the canonical value."""
    if col.kind == "yes/no":
        yes = value.strip().lower() in TRUE_WORDS
        return pick("是", "yes") if yes else pick("否", "no")
    if lang() == "zh" and not _cjk(value):
        return next((a for a, c in col.aliases.items() if c == value and _cjk(a)), value)
    return value


def options(col: Column) -> list[str]:
    """The drop-down of a choice or yes/no column."""
    if col.kind == "yes/no":
        return [shown(col, "yes"), shown(col, "no")]
    return [shown(col, c) for c in col.choices]


def example_cell(col: Column, text: str) -> Any:
    """An example value as Excel would hold it: numbers as numbers, choices as offered."""
    if text == "":
        return None
    if col.numeric:
        number = float(text)
        return int(number) if number.is_integer() else number
    if col.kind in ("choice", "yes/no"):
        return shown(col, text)
    return text


def required_words(col: Column, table: Table) -> str:
    need = col.required
    if isinstance(need, When):
        if need.flag is not None:
            return tr("template_required_flag", flag=need.flag)
        assert need.column is not None  # a When names a column or a flag
        other = table[need.column]
        values = " / ".join(shown(other, v) for v in need.values)
        return tr("template_required_when", column=pick(other.zh, other.en), values=values)
    if col.optional:
        return tr("template_required_optional")
    return tr("template_required_yes") if need else tr("template_required_column")


def kind_words(col: Column) -> str:
    words = {
        "id": tr("template_kind_id"),
        "text": tr("template_kind_text"),
        "number": tr("template_kind_number"),
        "whole number": tr("template_kind_whole"),
        "year": tr("template_kind_year"),
        "choice": tr("template_kind_choice"),
        "yes/no": tr("template_kind_yes_no"),
    }
    return words[col.kind]


def allowed_words(col: Column) -> str:
    """Type, then the range or every accepted value (choices with their aliases)."""
    if col.kind == "yes/no":
        accepted = ", ".join(w for w in (*TRUE_WORDS, *FALSE_WORDS))
        return f"{kind_words(col)}: {' / '.join(options(col))} ({accepted})"
    if col.kind == "choice":
        out = []
        for c in col.choices:
            same = [a for a, v in col.aliases.items() if v == c]
            out.append(c + (f" ({', '.join(same)})" if same else ""))
        return f"{kind_words(col)}: {'; '.join(out)}"
    words = f"{kind_words(col)} {col.range_words()}".strip()
    return f"{words} {tr('template_share_note')}" if col.word == "share" else words


def workbook(table: Table) -> Workbook:
    """The template of one table: the sheet to fill in, then the instructions."""
    book = Workbook()
    data = book.active
    data.title = tr("template_sheet_data")
    notes = book.create_sheet(tr("template_sheet_notes"))
    _data_sheet(book, data, table)
    _notes_sheet(notes, table)
    return book


def _width(text: str) -> int:
    return sum(2 if _cjk(ch) else 1 for ch in str(text))


def _data_sheet(book: Workbook, ws, table: Table) -> None:
    example = EXAMPLES.get(table.name, {})
    for j, col in enumerate(table.columns, start=1):
        letter = get_column_letter(j)
        label = ws.cell(1, j, header_label(col))
        label.font, label.fill, label.alignment = BOLD, LABEL_FILL, Alignment(wrap_text=True)
        note = "\n".join(
            x for x in (col.help, required_words(col, table), allowed_words(col), col.clause) if x
        )
        label.comment = Comment(note[:1000], "fundalloc", width=320, height=160)
        name = ws.cell(2, j, col.name)
        name.font, name.fill = NAME_FONT, NAME_FILL
        value = example_cell(col, example.get(col.name, ""))
        cell = ws.cell(FIRST_ROW, j, value)
        if col.kind in ("id", "text"):  # typed 0012 stays 0012
            ws.column_dimensions[letter].number_format = cell.number_format = "@"
        elif col.word == "share":  # typed 42.1 in a percent cell is held as 0.421
            ws.column_dimensions[letter].number_format = cell.number_format = "0.0%"
        shown_width = max(_width(header_label(col)), _width(col.name), _width(value or "")) + 3
        ws.column_dimensions[letter].width = min(max(shown_width, 10), 40)
        rule = _validation(book, col, letter)
        if rule is not None:
            ws.add_data_validation(rule)
            rule.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
    ws.cell(FIRST_ROW, 1).comment = Comment(tr("template_example_note"), "fundalloc")
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"1:{FIRST_ROW - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _validation(book: Workbook, col: Column, letter: str) -> DataValidation | None:
    """A drop-down for a choice or yes/no column (a warning only: the aliases of the
    instructions are accepted too), a number check where the declared range is simple."""
    cell = f"{letter}{FIRST_ROW}"
    if col.kind in ("choice", "yes/no"):
        values = options(col)
        inline = '"' + ",".join(values) + '"'
        rule = DataValidation(
            type="list",
            formula1=inline if len(inline) <= LIST_LIMIT else _list_range(book, col, values),
            allow_blank=True,
            errorStyle="warning",
            showErrorMessage=True,
            error=tr("template_list_error")[:255],
            errorTitle=tr("template_list_error_title")[:32],
        )
        return rule
    if not col.numeric or (col.min is None and col.max is None):
        return None
    kind = "decimal" if col.kind == "number" else "whole"
    lo, hi = col.min, col.max
    if lo is not None and hi is not None and not (col.min_open or col.max_open):
        args = dict(operator="between", formula1=f"{lo:g}", formula2=f"{hi:g}")
    elif lo is not None and hi is not None:  # an open end: a formula of the cell
        low = f"{cell}{'>' if col.min_open else '>='}{lo:g}"
        high = f"{cell}{'<' if col.max_open else '<='}{hi:g}"
        kind, args = "custom", dict(formula1=f"AND(ISNUMBER({cell}),{low},{high})")
    elif lo is not None:
        op = "greaterThan" if col.min_open else "greaterThanOrEqual"
        args = dict(operator=op, formula1=f"{lo:g}")
    else:
        op = "lessThan" if col.max_open else "lessThanOrEqual"
        args = dict(operator=op, formula1=f"{hi:g}")
    return DataValidation(
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        error=tr("template_number_error", range=allowed_words(col))[:255],
        errorTitle=tr("template_number_error_title")[:32],
        **args,
    )


def _list_range(book: Workbook, col: Column, values: list[str]) -> str:
    """A drop-down too long to write inline: its values in a column of a hidden sheet."""
    title = tr("template_sheet_lists")
    if title not in book.sheetnames:
        book.create_sheet(title).sheet_state = "hidden"
    ws = book[title]
    j = ws.max_column + 1 if ws.max_row > 1 or ws.cell(1, 1).value else 1
    ws.cell(1, j, col.name)
    for i, v in enumerate(values, start=2):
        ws.cell(i, j, v)
    letter = get_column_letter(j)
    return f"'{title}'!${letter}$2:${letter}${len(values) + 1}"


def _notes_sheet(ws, table: Table) -> None:
    ws.cell(1, 1, tr("template_title", table=pick(table.zh, table.en))).font = Font(
        bold=True, size=14
    )
    row = 2
    for line in tr("template_howto").strip().splitlines():
        ws.cell(row, 1, line.strip())
        row += 1
    for u in table.unique:
        ws.cell(row, 1, tr("template_unique", columns=u.words()))
        row += 1
    row += 1
    heads = (
        tr("template_head_label"),
        tr("template_head_name"),
        tr("template_head_required"),
        tr("template_head_unit"),
        tr("template_head_allowed"),
        tr("template_head_help"),
        tr("template_head_clause"),
    )
    for j, head in enumerate(heads, start=1):
        cell = ws.cell(row, j, head)
        cell.font, cell.fill = BOLD, LABEL_FILL
    ws.freeze_panes = f"A{row + 1}"
    for col in table.columns:
        row += 1
        cells = (
            pick(col.zh, col.en),
            col.name,
            required_words(col, table),
            col.unit or "",
            allowed_words(col),
            col.help,
            col.clause or "",
        )
        for j, value in enumerate(cells, start=1):
            ws.cell(row, j, value).alignment = WRAP
    for letter, width in zip("ABCDEFG", (20, 22, 22, 8, 48, 56, 28)):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
