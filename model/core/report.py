"""One-page HTML reports with charts, and the XLSX workbooks budget officers open.

Charts are PNG files beside the report and embedded in it, so the HTML is a single file that
can be mailed. Charts can show Chinese on any machine: the pip dependency `mplfonts` ships
Noto Sans CJK SC as a file, which `register_cjk_font()` adds to matplotlib's font manager once
(no download, no copying into matplotlib's folders) and puts first in `font.sans-serif`.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import importlib.util  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

CJK_FONT = "Noto Sans CJK SC"


def cjk_font_path() -> Path | None:
    """The Noto Sans CJK SC file shipped by mplfonts (found without importing mplfonts)."""
    spec = importlib.util.find_spec("mplfonts")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "fonts" / "NotoSansCJKsc-Regular.otf"
        if path.is_file():
            return path
    return None


def register_cjk_font() -> str | None:
    """Add the CJK font to matplotlib once and make it the first sans-serif font."""
    path = cjk_font_path()
    if path is None:
        return None
    if CJK_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    families = list(matplotlib.rcParams["font.sans-serif"])
    if families[:1] != [CJK_FONT]:
        matplotlib.rcParams["font.sans-serif"] = [CJK_FONT, *[f for f in families if f != CJK_FONT]]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    return CJK_FONT


register_cjk_font()


def bar_chart(
    path: Path,
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    xlabel: str,
    *,
    reference: float | None = None,
    reference_label: str = "",
) -> Path:
    fig, ax = plt.subplots(figsize=(7, 0.35 * max(len(labels), 3) + 1.2))
    ax.barh(list(labels)[::-1], list(values)[::-1], color="#2f6f9f")
    for y, v in enumerate(list(values)[::-1]):
        ax.text(v, y, f" {v:,.0f}", va="center", fontsize=8)
    if reference is not None:
        ax.axvline(reference, color="#c0392b", linestyle="--", label=reference_label)
        ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def html_report(path: Path, title: str, blocks: Sequence[tuple[str, object]]) -> Path:
    """blocks: (heading, content) with content a str (paragraph HTML), DataFrame, or PNG Path."""
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
        "</title><style>body{font-family:sans-serif;max-width:980px;margin:1em auto;"
        "font-size:14px}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid"
        " #ccc;padding:2px 6px}th{background:#eef}img{max-width:48%;vertical-align:top}"
        ".ok{color:#1a7f37}.bad{color:#b42318}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, content in blocks:
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        if isinstance(content, pd.DataFrame):
            parts.append(content.to_html(index=False, border=0, na_rep=""))
        elif isinstance(content, Path):
            parts.append(_img(content))
        elif isinstance(content, (list, tuple)):
            parts.append("".join(_img(c) if isinstance(c, Path) else str(c) for c in content))
        else:
            parts.append(str(content))
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            ws = writer.sheets[name[:31]]
            for col in ws.columns:  # readable widths; CJK characters count double
                width = max(
                    len(str(c.value or "")) + sum(ord(ch) > 0x2E80 for ch in str(c.value or ""))
                    for c in col
                )
                ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)
            ws.freeze_panes = "A2"
    return path
