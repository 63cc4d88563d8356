"""report.html: one file (charts embedded) whose first printed A4 page is the answer — the
headline, the key figures, one chart and the main table, short — and whose details start on
the next page (print CSS: `@page { size: A4 }`, a page break before the details)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from fundalloc.core.answer import Answer

CSS = """
@page { size: A4; margin: 12mm 12mm 14mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
  "SimHei", sans-serif; max-width: 186mm; margin: 1em auto; font-size: 10.5pt; color: #1b1b1b; }
h1 { font-size: 17pt; margin: 0 0 2pt 0; }
h2 { font-size: 12.5pt; margin: 10pt 0 4pt 0; border-bottom: 1px solid #9bb3c9; }
.meta { color: #555; font-size: 9pt; margin-bottom: 6pt; }
.headline { font-size: 12pt; font-weight: bold; background: #eef3f8; padding: 6pt 8pt;
  border-left: 4px solid #2f6f9f; margin: 6pt 0; }
.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4pt; margin: 6pt 0; }
.figure { border: 1px solid #c9d6e3; padding: 3pt 6pt; }
.figure .k { color: #555; font-size: 8.5pt; }
.figure .v { font-size: 12pt; font-weight: bold; }
.notes p { margin: 2pt 0; }
table { border-collapse: collapse; font-size: 8.5pt; margin: 4pt 0; }
td, th { border: 1px solid #c8c8c8; padding: 1pt 4pt; text-align: left; }
td.num { text-align: right; }
th { background: #dde7f0; }
.answer img { max-width: 100%; max-height: 88mm; display: block; margin: 4pt auto; }
.details img { max-width: 100%; max-height: 120mm; display: block; margin: 4pt 0; }
.more { color: #555; font-size: 8.5pt; }
.details { break-before: page; page-break-before: always; }
@media print { body { margin: 0; max-width: none; } .answer { break-after: page; } }
"""


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def table_html(frame: pd.DataFrame) -> str:
    from fundalloc.core.display import shown

    view = shown(frame)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in view.columns)
    rows = []
    for r in view.itertuples(index=False):
        cells = "".join(
            f"<td class='num'>{html.escape(v)}</td>" if num else f"<td>{html.escape(v)}</td>"
            for v, num in zip(r, numeric, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


# rows of a detail table in the HTML report: a page of 50,000 rows is written (8.5 MB) but not
# read; every row is in the workbook and the CSV files
HTML_MAX_ROWS = 1000


def _content(content: object) -> str:
    if isinstance(content, pd.DataFrame):
        if len(content) <= HTML_MAX_ROWS:
            return table_html(content)
        from fundalloc.core.i18n import tr

        note = tr("report.html_cut", shown=HTML_MAX_ROWS, rows=len(content))
        return table_html(content.head(HTML_MAX_ROWS)) + f"<p class='more'>{html.escape(note)}</p>"
    if isinstance(content, Path):
        return _img(content)
    if isinstance(content, (list, tuple)):
        return "".join(_content(c) for c in content)
    return f"<p>{html.escape(str(content))}</p>"


def answer_html(path: Path, a: Answer) -> Path:
    from fundalloc.core.i18n import lang, tr

    figures = "".join(
        f"<div class='figure'><div class='k'>{html.escape(k)}</div>"
        f"<div class='v'>{html.escape(v)}</div></div>"
        for k, v in a.figures
    )
    notes = "".join(f"<p>{html.escape(n)}</p>" for n in a.notes)
    parts = [
        f"<!doctype html><html lang='{'zh-CN' if lang() == 'zh' else 'en'}'><head>"
        f"<meta charset='utf-8'><title>{html.escape(a.title)}</title><style>{CSS}</style>"
        "</head><body><section class='answer'>",
        f"<h1>{html.escape(a.title)}</h1><div class='meta'>{html.escape(a.meta())}</div>",
        f"<div class='headline'>{html.escape(a.headline)}</div>",
        f"<div class='figures'>{figures}</div>" if figures else "",
        f"<div class='notes'>{notes}</div>" if notes else "",
        _img(a.chart) if a.chart is not None else "",
    ]
    main = a.main_rows()
    if main is not None and a.table is not None:
        parts.append(f"<h2>{html.escape(a.table_title)}</h2>{table_html(main)}")
        if len(a.table) > len(main):
            parts.append(
                f"<p class='more'>{html.escape(tr('report.more_rows', n=len(a.table)))}</p>"
            )
    parts.append("</section>")
    if a.details:
        parts.append(f"<section class='details'><h1>{html.escape(tr('report.details'))}</h1>")
        for heading, content in a.details:
            if heading:
                parts.append(f"<h2>{html.escape(heading)}</h2>")
            parts.append(_content(content))
        parts.append("</section>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
