"""Charts the commands draw beside core/report.py's bar chart: a quantity against the swept
value of a sweep or trade-off curve (gaps where no batch exists), the in/out grid of applicants
by value, and the chart label of a bilingual name in the language in force (core/report.py
registers a CJK font, so Chinese names show)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from fundalloc.core.i18n import tr


def latin(name: str) -> str:
    """The Latin part of a bilingual group name ("苏南 Southern Jiangsu" → "Southern Jiangsu")."""
    return name.split(" ", 1)[1] if " " in name else name


TOP_BARS = 40  # a bar chart shows at most this many bars: beyond, nobody reads the labels


def top_bars(labels: Sequence[str], values: Sequence[float], n: int = TOP_BARS):
    """The n largest values in their order, and the rest as one bar (their sum, labelled with
    how many): a chart of 50,000 applicants stays a readable picture of the same total."""
    labels, values = list(labels), [float(v) for v in values]
    if len(values) <= n:
        return labels, values
    from fundalloc.core.i18n import tr

    keep = sorted(np.argsort(-np.asarray(values), kind="stable")[: n - 1])
    rest = sorted(set(range(len(values))) - set(keep))
    return [labels[i] for i in keep] + [tr("chart_rest", n=len(rest))], [
        values[i] for i in keep
    ] + [float(sum(values[i] for i in rest))]


def chart_name(name: str) -> str:
    """A bilingual group name's part in the language in force (Chinese by default)."""
    from fundalloc.core.i18n import lang

    if " " not in name:
        return name
    zh, en = name.split(" ", 1)
    return zh if lang() == "zh" else en


def _positions(values: Sequence) -> tuple[list[float], list[str] | None]:
    """Numbers are plotted at their value; anything else (true/false, text) at 0, 1, 2, …"""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return [float(v) for v in values], None
    return list(range(len(values))), [str(v) for v in values]


def line_chart(
    path: Path,
    values: Sequence,
    series: dict[str, Sequence[float | None]],
    title: str,
    xlabel: str,
    ylabel: str,
    *,
    step: bool = False,
    reference: float | None = None,
    reference_label: str = "",
) -> Path:
    x, ticks = _positions(values)
    from fundalloc.core.report import plt  # matplotlib only when drawing

    fig, ax = plt.subplots(figsize=(7, 3.6))
    for label, ys in series.items():
        y = np.array([np.nan if v is None else float(v) for v in ys])
        color = None
        if step:
            color = ax.step(x, y, where="post", label=label)[0].get_color()
        ax.plot(
            x,
            y,
            marker="o",
            linestyle="" if step else "-",
            label=None if step else label,
            color=color,
        )
        for xi, yi in zip(x, y, strict=True):
            if not np.isnan(yi):
                ax.annotate(
                    f"{yi:,.1f}" if abs(yi) < 1000 else f"{yi:,.0f}",
                    (xi, yi),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=7,
                )
    missing = [
        xi for xi, *ys in zip(x, *series.values(), strict=True) if all(v is None for v in ys)
    ]
    if missing:
        ax.plot(
            missing,
            [ax.get_ylim()[0]] * len(missing),
            "x",
            color="#b42318",
            label=tr("chart_no_batch"),
        )
    if reference is not None:
        ax.axhline(reference, color="#c0392b", linestyle="--", label=reference_label)
    if ticks is not None:
        ax.set_xticks(x, ticks)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.margins(y=0.15)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def in_out_grid(
    path: Path, values: Sequence, ids: Sequence[str], award: np.ndarray, title: str, xlabel: str
) -> Path:
    """award[i, j]: applicant i's award at value j (0 = not designated, NaN = no batch)."""
    from fundalloc.core.report import plt  # matplotlib only when drawing

    fig, ax = plt.subplots(figsize=(min(1.0 + 0.6 * len(values), 14), 0.3 * len(ids) + 1.6))
    inside = np.where(np.isnan(award), -1.0, (award > 0).astype(float))
    cmap = plt.matplotlib.colors.ListedColormap(["#f2d7d5", "#f4f4f4", "#2f6f9f"])
    ax.imshow(inside, cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    for i in range(len(ids)):
        for j in range(len(values)):
            if award[i, j] > 0:
                ax.text(
                    j, i, f"{award[i, j]:,.0f}", ha="center", va="center", fontsize=6, color="white"
                )
    ax.set_xticks(range(len(values)), [str(v) for v in values], rotation=45, fontsize=7)
    ax.set_yticks(range(len(ids)), list(ids), fontsize=7)
    ax.set_title(f"{title}\n{tr('chart_grid_legend')}", fontsize=9)
    ax.set_xlabel(xlabel)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
