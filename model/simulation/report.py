"""Charts of the simulation: the fan chart of yearly outlay against the budget, overrun
probability, the split by award type, and the stress comparison. Labels in the language in
force (core/report.py registers a CJK font); money in 万元 (wan yuan)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fundalloc.core.display import award_name
from fundalloc.core.i18n import tr
from fundalloc.core.report import plt  # registers the CJK font
from fundalloc.rules.jiaxing import AWARDS

COLOURS = ("#2f6f9f", "#6aa84f", "#e69138", "#8e7cc3", "#c27ba0")


def _budget_line(ax, years, budget) -> None:
    if np.isfinite(budget).any():
        ax.step(
            years,
            np.where(np.isfinite(budget), budget, np.nan),
            where="mid",
            color="#c0392b",
            linestyle="--",
            label=tr("chart_budget"),
        )


def _save_by_year(fig, ax, path: Path, years, ylabel: str, title: str, **legend) -> Path:
    """The finish every chart here shares: pay years on x, labels, legend, saved and closed."""
    ax.set_xticks(years)
    ax.set_xlabel(tr("chart_pay_year"))
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(**legend)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def fan_chart(path: Path, years, totals: np.ndarray, budget: np.ndarray, title: str) -> Path:
    """totals (runs, years): median, 50 % and 90 % bands, and the budget."""
    q = np.quantile(totals, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.fill_between(years, q[0], q[4], color="#2f6f9f", alpha=0.18, label=tr("chart_band90"))
    ax.fill_between(years, q[1], q[3], color="#2f6f9f", alpha=0.35, label=tr("chart_band50"))
    ax.plot(years, q[2], color="#1d4e75", marker="o", label=tr("chart_median"))
    _budget_line(ax, years, budget)
    return _save_by_year(
        fig, ax, path, years, tr("chart_wan"), title, fontsize=8, loc="upper right"
    )


def overrun_chart(path: Path, years, prob: np.ndarray, level: float) -> Path:
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.bar(
        years,
        100 * np.nan_to_num(prob),
        color=["#b42318" if p > level else "#2f6f9f" for p in np.nan_to_num(prob)],
    )
    ax.axhline(
        100 * level, color="#555", linestyle=":", label=tr("chart_level", level=f"{level:.0%}")
    )
    for x, p in zip(years, np.nan_to_num(prob)):
        ax.text(x, 100 * p, f"{p:.0%}", ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, 105)
    return _save_by_year(
        fig,
        ax,
        path,
        years,
        tr("chart_overrun_pct"),
        tr("chart_overrun_title"),
        fontsize=8,
    )


def award_chart(path: Path, years, mean_by_award: np.ndarray) -> Path:
    """mean_by_award (years, awards): stacked mean outlay by award type."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    bottom = np.zeros(len(years))
    for a, name in enumerate(AWARDS):
        ax.bar(years, mean_by_award[:, a], bottom=bottom, color=COLOURS[a], label=award_name(name))
        bottom += mean_by_award[:, a]
    return _save_by_year(
        fig,
        ax,
        path,
        years,
        tr("chart_wan"),
        tr("chart_mean_by_award"),
        fontsize=7,
        ncol=3,
        loc="upper right",
    )


def stress_charts(
    folder: Path, years, names: list[str], p95: np.ndarray, prob: np.ndarray, budget: np.ndarray
) -> list[Path]:
    """p95, prob: (scenarios, years)."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for i, name in enumerate(names):
        ax.plot(years, p95[i], marker="o", label=name, color=COLOURS[i % len(COLOURS)])
    _budget_line(ax, years, budget)
    p1 = _save_by_year(
        fig,
        ax,
        folder / "stress_p95.png",
        years,
        tr("chart_wan"),
        tr("chart_stress_p95"),
        fontsize=7,
    )
    fig, ax = plt.subplots(figsize=(7, 3.4))
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        ax.bar(
            np.asarray(years) + (i - (len(names) - 1) / 2) * width,
            100 * np.nan_to_num(prob[i]),
            width,
            label=name,
            color=COLOURS[i % len(COLOURS)],
        )
    p2 = _save_by_year(
        fig,
        ax,
        folder / "stress_overrun.png",
        years,
        tr("chart_overrun_pct"),
        tr("chart_stress_overrun"),
        fontsize=7,
    )
    return [p1, p2]


def budget_chart(path: Path, budgets, years: list[str], prob: np.ndarray, level: float) -> Path:
    """prob (budgets, years): the chance of overrun under each flat budget, a line per pay
    year, against the level the smallest safe budget keeps."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    colours = COLOURS + ("#7f6000", "#45818e", "#999999")  # six pay years, each its own
    for j, y in enumerate(years):
        ax.plot(budgets, 100 * prob[:, j], marker="o", label=y, color=colours[j % len(colours)])
    ax.axhline(
        100 * level, color="#555", linestyle=":", label=tr("chart_level", level=f"{level:.0%}")
    )
    ax.set_ylim(0, 105)
    ax.set_xlabel(tr("chart_budget_wan"))
    ax.set_ylabel(tr("chart_overrun_pct"))
    ax.set_title(tr("chart_by_budget_title"), fontsize=10)
    ax.legend(fontsize=7, ncol=2, loc="upper right", title=tr("chart_pay_year"), title_fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
