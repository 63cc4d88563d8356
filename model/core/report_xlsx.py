"""The workbook writer behind core/report.py's `write_workbook`, on XlsxWriter.

Why XlsxWriter: a 50,000-applicant run writes a sheet of 850,000 cells; openpyxl spent ~30 s
of CPU on it (a cell object and an XML element per value, even in write-only mode), XlsxWriter
~7 s, streaming each row to the file (`constant_memory`). The sheets look as they did: the
same cells, number formats, fonts, fills, hidden machine-name row, frozen header, autofilter,
print titles and landscape fit-to-width A4 (tests/test_reports*.py read them back).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from fundalloc.core.report import (
    HEAD_ROWS,
    _cell,
    _money,
    _numeric,
    _percent,
    _width,
    _words,
    header_label,
    sheet_title,
)

A4 = 9  # Excel's paper size code


class Formats:
    """XlsxWriter formats by their properties, each made once per workbook."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.made: dict[tuple, Any] = {}

    def __call__(self, **props: Any) -> Any:
        props = {k: v for k, v in props.items() if v is not None}
        if not props:
            return None
        key = tuple(sorted(props.items()))
        if key not in self.made:
            self.made[key] = self.wb.add_format(props)
        return self.made[key]


def _write(ws: Any, r: int, j: int, value: Any, fmt: Any = None) -> None:
    """One cell by its type (never XlsxWriter's guess: a text starting with = stays text);
    an empty text is an empty cell, as openpyxl wrote it."""
    if value is None or (isinstance(value, str) and value == ""):
        if fmt is not None:
            ws.write_blank(r, j, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, j, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, j, value, fmt)
    else:
        ws.write_string(r, j, str(value), fmt)


def _page(ws: Any) -> None:
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)


def write_workbook(
    path: Path,
    sheets: dict[str, pd.DataFrame],
    *,
    title: str,
    meta: str,
    summary: Sequence[str],
    totals: Sequence[str] | None,
) -> Path:
    import xlsxwriter

    from fundalloc.core.i18n import tr

    options = {"constant_memory": True, "strings_to_urls": False, "strings_to_formulas": False}
    wb = xlsxwriter.Workbook(str(path), options)
    fmt = Formats(wb)
    first = wb.add_worksheet(tr("wb_summary_sheet"))
    first.set_column(0, 0, 100)
    _page(first)
    lines: list[str | None] = [title, meta, None]
    lines += list(summary or [tr("wb_summary_default", n=len(sheets))])
    lines += [None, tr("wb_sheets")]
    lines += [
        f"{sheet_title(name)}: {tr('wb_rows', n=len(frame))}" for name, frame in sheets.items()
    ]
    wrap = fmt(text_wrap=True, valign="top")
    for r, line in enumerate(lines):
        style = fmt(bold=True, font_size=14) if r == 0 else (wrap if r >= 3 else None)
        _write(first, r, 0, line, style)
    for name, frame in sheets.items():
        _sheet(wb.add_worksheet(sheet_title(name)), fmt, name, frame, title, meta, totals)
    wb.close()
    return path


def _sheet(ws, fmt: Formats, name: str, frame: pd.DataFrame, title, meta, totals) -> None:
    from fundalloc.core.i18n import tr

    cols = [str(c) for c in frame.columns]
    n, last = len(frame), HEAD_ROWS + len(frame)
    numbers: dict[int, str] = {}
    for j, c in enumerate(cols):
        series = frame.iloc[:, j]
        if _money(c) and _numeric(series):
            whole = bool(((series.dropna() % 1) == 0).all())
            numbers[j] = "#,##0" if whole else "#,##0.00"
        elif _percent(c) and _numeric(series):
            numbers[j] = "0.0%"
    for j, c in enumerate(cols):
        values = [header_label(c), *frame.iloc[:, j].tolist()[:500]]
        width = max(_width(_cell(v)) for v in values)
        ws.set_column(j, j, min(max(width + 2, 8), 60))
    if cols:
        ws.autofilter(2, 0, max(last, 4) - 1, len(cols) - 1)
    ws.freeze_panes(HEAD_ROWS, 0)
    ws.repeat_rows(2)
    _page(ws)
    _write(ws, 0, 0, f"{title} — {sheet_title(name)}", fmt(bold=True, font_size=13))
    _write(ws, 1, 0, meta)
    head = fmt(bold=True, bg_color="#DDE7F0", pattern=1, text_wrap=True, valign="vcenter")
    for j, c in enumerate(cols):
        _write(ws, 2, j, header_label(c), head)
    ws.set_row(3, None, None, {"hidden": True})
    for j, c in enumerate(cols):
        _write(ws, 3, j, c)
    styles = [fmt(num_format=numbers[j]) if j in numbers else None for j in range(len(cols))]
    shown = _words(frame)
    for r, row in enumerate(shown.itertuples(index=False), start=HEAD_ROWS):
        for j, v in enumerate(row):
            _write(ws, r, j, _cell(v), styles[j])
    # the row below the table: the totals where sums make sense, formats as the column's
    money = [j for j, c in enumerate(cols) if _money(c) and _numeric(frame.iloc[:, j])]
    summed = money and n > 1 and (totals is None or name in totals)
    for j in range(len(cols)):
        if summed and j in money:
            letter = _letter(j)
            total = float(np.nansum(pd.to_numeric(frame.iloc[:, j], errors="coerce")))
            ws.write_formula(
                last,
                j,
                f"=SUM({letter}{HEAD_ROWS + 1}:{letter}{last})",
                fmt(bold=True, num_format=numbers.get(j)),
                total if math.isfinite(total) else 0,
            )
        elif summed and j == 0:
            _write(ws, last, 0, tr("wb_total"), fmt(bold=True, num_format=numbers.get(0)))
        else:
            _write(ws, last, j, None, styles[j])


def _letter(j: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(j)
