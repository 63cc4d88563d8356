"""Make the screenshots of docs/screenshots from a results folder (by hand, not in the tests):

    python docs/screenshots/render.py RESULTS_FOLDER NAME

writes NAME-report-page1.png (page 1 of report.pdf rasterised with poppler's `pdftoppm`) and,
for the folder's workbook, NAME-workbook.png: a *rendering* of the workbook's cells drawn with
matplotlib (title rows, bold headers, number formats applied as Excel would show them) — there
is no spreadsheet program on the build machine, so this is not a screenshot of Excel or WPS.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def report_page(folder: Path, name: str) -> Path | None:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm (poppler-utils) not found: report page not rendered")
        return None
    stem = HERE / f"{name}-report-page1"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(folder / "report.pdf"),
            str(stem),
        ],
        check=True,
    )
    return stem.with_suffix(".png")


def shown(cell) -> str:
    v = cell.value
    if v is None:
        return ""
    fmt = cell.number_format or ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if fmt.endswith("%"):
            return f"{v:.1%}"
        if fmt.startswith("#,##0.00"):
            return f"{v:,.2f}"
        if fmt.startswith("#,##0"):
            return f"{v:,.0f}"
        return f"{v:g}" if isinstance(v, float) else str(v)
    return str(v)


def total(ws, cell) -> str:
    """What Excel shows for the totals row's =SUM(...) (openpyxl keeps the formula only)."""
    column = [
        c.value
        for (c,) in ws.iter_rows(
            min_row=5, max_row=cell.row - 1, min_col=cell.column, max_col=cell.column
        )
    ]
    return f"{sum(v for v in column if isinstance(v, (int, float))):,.0f}"


def workbook(folder: Path, name: str, sheet: int = 1, rows: int = 14, cols: int = 12) -> Path:
    from openpyxl import load_workbook

    from fundalloc.core.report import plt

    book = next(folder.glob("*.xlsx"))
    wb = load_workbook(book)
    ws = wb.worksheets[sheet]
    summary = wb.worksheets[0]
    lines = [str(c.value) for (c,) in summary.iter_rows(max_col=1) if c.value][:6]
    grid = [
        [
            total(ws, c) if isinstance(c.value, str) and c.value.startswith("=SUM(") else shown(c)
            for c in row[:cols]
        ]
        for r, row in enumerate(ws.iter_rows(min_row=3), start=3)
        if not ws.row_dimensions[r].hidden and any(c.value is not None for c in row)
    ][: rows + 1]
    fig = plt.figure(figsize=(11.5, 7.2))
    fig.text(
        0.02,
        0.975,
        f"{book.name} — rendering of the cells (matplotlib), not a screenshot of Excel",
        fontsize=8,
        color="#888",
        va="top",
    )
    fig.text(0.02, 0.94, f"[{summary.title}]", fontsize=10, weight="bold", va="top")
    for k, line in enumerate(lines):
        fig.text(
            0.02,
            0.905 - 0.03 * k,
            line[:110],
            fontsize=9 if k else 12,
            weight="bold" if k == 0 else "normal",
            va="top",
        )
    top = 0.905 - 0.03 * len(lines) - 0.02
    fig.text(0.02, top, f"[{ws.title}]  {ws['A1'].value}", fontsize=10, weight="bold", va="top")
    fig.text(0.02, top - 0.03, str(ws["A2"].value), fontsize=8, color="#555", va="top")
    height = min(top - 0.08, 0.045 * len(grid))
    ax = fig.add_axes((0.02, top - 0.06 - height, 0.96, height))
    ax.axis("off")
    table = ax.table(
        cellText=grid[1:], colLabels=grid[0], loc="upper left", cellLoc="left", bbox=(0, 0, 1, 1)
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    table.auto_set_column_width(list(range(len(grid[0]))))
    for (r, _), cell in table.get_celld().items():
        cell.set_linewidth(0.3)
        if r == 0:
            cell.set_facecolor("#dde7f0")
            cell.get_text().set_weight("bold")
        if grid[r][0] in ("合计", "Total"):
            cell.get_text().set_weight("bold")
    out = HERE / f"{name}-workbook.png"
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


if __name__ == "__main__":
    folder, name = Path(sys.argv[1]), sys.argv[2]
    for made in (report_page(folder, name), workbook(folder, name)):
        if made:
            print(made)
