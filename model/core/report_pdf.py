"""report.pdf with matplotlib's PDF backend (no browser): A4 page 1 is the answer — title,
headline, key figures, a few sentences, one chart and the main table, short — and the details
(further charts, tables) follow on later pages. Text is set in the CJK font core/report.py
registers (Noto Sans CJK SC from mplfonts), so Chinese shows on any machine.

Layout is a simple flow: blocks go down the page and a block that does not fit starts a new
page. Wide tables show their first columns and long ones their first rows (everything is in
the workbook and the CSV files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from fundalloc.core.answer import Answer

A4 = (8.27, 11.69)  # inches
LEFT, RIGHT, TOP, BOTTOM = 0.07, 0.93, 0.955, 0.05
TEXT_PT = 72 * A4[0] * (RIGHT - LEFT)  # width of the text block in points
ROW = 0.0155  # a table row, as a fraction of the page height
MAX_COLS, MAX_ROWS = 9, 120  # of a detail table in the PDF


def _columns(fontsize: float) -> int:
    """Display columns (a CJK character is two) that fit on a line at this size."""
    return int(TEXT_PT / (fontsize * 0.56))


class Pages:
    def __init__(self, pdf: Any, title: str) -> None:
        self.pdf, self.title, self.y, self.n = pdf, title, TOP, 0
        self.fig: Any = None  # the page being drawn (a matplotlib Figure)

    def new(self) -> None:
        from fundalloc.core.report import plt

        self.close()
        self.fig = plt.figure(figsize=A4)
        self.n += 1
        self.y = TOP
        if self.n > 1:  # running head on later pages
            self.fig.text(LEFT, 0.975, self.title, fontsize=8, color="#666", va="top")
        self.fig.text(RIGHT, 0.02, str(self.n), fontsize=8, color="#666", ha="right")

    def close(self) -> None:
        from fundalloc.core.report import plt

        if self.fig is not None:
            self.pdf.savefig(self.fig)
            plt.close(self.fig)
            self.fig = None

    def room(self, height: float) -> None:
        if self.fig is None or self.y - height < BOTTOM:
            self.new()

    def text(self, line: str, size: float, *, weight="normal", color="#1b1b1b", gap=0.0) -> None:
        from fundalloc.core.display import wrap

        for part in wrap(line, _columns(size)) or [""]:
            h = size * 1.45 / 72 / A4[1]
            self.room(h)
            self.fig.text(LEFT, self.y, part, fontsize=size, weight=weight, color=color, va="top")
            self.y -= h
        self.y -= gap

    def figures(self, figures) -> None:
        per_row, h = 3, 0.042
        w = (RIGHT - LEFT) / per_row
        for i in range(0, len(figures), per_row):
            self.room(h + 0.006)
            for j, (k, v) in enumerate(figures[i : i + per_row]):
                x = LEFT + j * w
                self.fig.add_artist(
                    _box(self.fig, (x, self.y - h), w - 0.008, h, "#f3f6fa", "#c9d6e3")
                )
                self.fig.text(
                    x + 0.006, self.y - 0.006, _cut(k, 2 * 26), fontsize=7.5, color="#555", va="top"
                )
                self.fig.text(
                    x + 0.006, self.y - 0.021, _cut(v, 24), fontsize=11, weight="bold", va="top"
                )
            self.y -= h + 0.006

    def image(self, path: Path, max_h: float) -> None:
        from fundalloc.core.report import plt

        img = plt.imread(str(path))
        ratio = img.shape[0] / img.shape[1] * A4[0] / A4[1]
        h = min((RIGHT - LEFT) * ratio, max_h)
        self.room(h + 0.01)
        w = h / ratio
        ax = self.fig.add_axes((LEFT + (RIGHT - LEFT - w) / 2, self.y - h, w, h))
        ax.imshow(img)
        ax.axis("off")
        self.y -= h + 0.01

    def table(self, frame: pd.DataFrame, *, max_rows: int = MAX_ROWS) -> None:
        from fundalloc.core.display import shown, width
        from fundalloc.core.i18n import tr

        cut_cols = frame.shape[1] > MAX_COLS
        view = shown(frame.iloc[:max_rows, :MAX_COLS])
        if view.shape[1] == 0:
            return
        size = 7.0
        total = _columns(size)
        want = [
            min(max([width(str(c)), *(width(v) for v in view[c])]), 40) + 1 for c in view.columns
        ]
        scale = min(1.0, total / sum(want))
        cols = [max(int(w * scale), 4) for w in want]
        text = [[_cut(v, n) for v, n in zip(row, cols, strict=True)] for row in view.values]
        heads = [_cut(str(c), n) for c, n in zip(view.columns, cols, strict=True)]
        frac = [c / sum(cols) for c in cols]
        start = 0
        while start < len(text) or start == 0:
            self.room(ROW * 3)
            fit = max(int((self.y - BOTTOM) / ROW) - 1, 1)
            chunk = text[start : start + fit]
            h = ROW * (len(chunk) + 1)
            self._grid(heads, chunk or [[""] * len(heads)], frac, h, size)
            self.y -= h + 0.008
            start += max(len(chunk), 1)
            if start >= len(text):
                break
        if len(frame) > max_rows or cut_cols:
            self.text(
                tr("report.pdf_cut", rows=len(frame), cols=frame.shape[1]),
                7.5,
                color="#666",
                gap=0.004,
            )

    def _grid(self, heads, rows, frac, h, size) -> None:
        """One block of a table drawn straight on the page: the cells' text (headings
        centred, cells left-aligned a tenth of the cell in, as matplotlib's table places
        them), the heading's shading and the rules as one collection. matplotlib's Table
        drew the same but measured every cell's text twice more and drew each cell's frame as
        its own path: 3–4× the time of the whole report (benchmarks/bench_process.py)."""
        from matplotlib.collections import LineCollection

        fig, top, step = self.fig, self.y, h / (len(rows) + 1)
        edges = [LEFT]
        for f in frac:
            edges.append(edges[-1] + f * (RIGHT - LEFT))
        fig.add_artist(_box(fig, (LEFT, top - step), RIGHT - LEFT, step, "#dde7f0", "none"))
        lines = [[(LEFT, top - k * step), (RIGHT, top - k * step)] for k in range(len(rows) + 2)]
        lines += [[(x, top), (x, top - h)] for x in edges]
        rules = LineCollection(lines, colors="#b5b5b5", linewidths=0.3)
        rules.set_transform(fig.transFigure)
        fig.add_artist(rules)
        for j, head in enumerate(heads):
            if head:
                x = (edges[j] + edges[j + 1]) / 2
                fig.text(x, top - step / 2, head, fontsize=size, ha="center", va="center")
        for r, row in enumerate(rows, start=1):
            y = top - (r + 0.5) * step
            for j, value in enumerate(row):
                if value:
                    x = edges[j] + 0.1 * (edges[j + 1] - edges[j])
                    fig.text(x, y, value, fontsize=size, va="center")


def _box(fig, xy, w, h, face, edge):
    from matplotlib.patches import Rectangle

    return Rectangle(
        xy,
        w,
        h,
        transform=fig.transFigure,
        facecolor=face,
        edgecolor=edge,
        linewidth=0.6,
        figure=fig,
    )


def _cut(text: str, columns: int) -> str:
    from fundalloc.core.display import width

    text = str(text)
    if width(text) <= columns:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > columns - 1:
            break
        out += ch
    return out + "…"


def answer_pdf(path: Path, a: Answer) -> Path:
    from matplotlib.backends.backend_pdf import PdfPages

    from fundalloc.core.i18n import tr

    with PdfPages(path) as pdf:
        p = Pages(pdf, a.title)
        p.new()
        p.text(a.title, 16, weight="bold", gap=0.002)
        p.text(a.meta(), 8.5, color="#555", gap=0.008)
        p.text(a.headline, 11.5, weight="bold", gap=0.008)
        p.figures(list(a.figures))
        for note in a.notes:
            p.text(note, 9, gap=0.003)
        main = a.main_rows()
        table_h = 0.0 if main is None else ROW * (len(main) + 1) + 0.04
        if a.chart is not None:
            p.image(a.chart, max(min(0.34, p.y - BOTTOM - table_h), 0.12))
        if main is not None and a.table is not None:
            p.text(a.table_title, 10.5, weight="bold", gap=0.003)
            p.table(main, max_rows=len(main))
            if len(a.table) > len(main):
                p.text(tr("report.more_rows", n=len(a.table)), 7.5, color="#666")
        if a.details:
            p.new()
            p.text(tr("report.details"), 14, weight="bold", gap=0.006)
            for heading, content in a.details:
                _detail(p, heading, content)
        p.close()
    return path


def _detail(p: Pages, heading: str, content: object) -> None:
    if heading:
        p.room(0.06)
        p.text(heading, 10.5, weight="bold", gap=0.003)
    items = content if isinstance(content, (list, tuple)) else [content]
    for item in items:
        if isinstance(item, Path):
            p.image(item, 0.4)
        elif isinstance(item, pd.DataFrame):
            p.table(item)
        else:
            p.text(str(item), 9, gap=0.004)
