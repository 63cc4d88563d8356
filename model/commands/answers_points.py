"""The answers of `sweep` and `tradeoff` in words (report page 1, workbook 摘要 sheet): what
changes as the varied key moves, where no batch exists, and the Pareto frontier."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fundalloc.commands.answers_selection import scenario_name
from fundalloc.commands.points import SweepOutcome, has_batch
from fundalloc.core.answer import Answer
from fundalloc.core.i18n import tr
from fundalloc.selection.sweep import fmt

MAIN = ["status", "n_designated", "total_score", "total_award_wan", "groups_covered", "change"]


def key_label(dotted: str) -> str:
    """A scenario key's declared label with the key: 预算总额 (selection.budget_wan)."""
    from fundalloc.core.i18n import label
    from fundalloc.core.schema import walk
    from fundalloc.selection.params import SelectionParams

    section, _, rest = dotted.partition(".")
    if section == "selection":
        for key, info, _ in walk(SelectionParams):
            if key == rest:
                return f"{label(info)} ({dotted})"
    return dotted


def sweep_answer(o: SweepOutcome, scenario, charts: list[Path], wide: pd.DataFrame) -> Answer:
    n = len(o.points)
    changes = [p for p in o.points[1:] if p["change"]]
    none = [fmt(p["value"]) for p in o.points if not has_batch(p)]
    ties = [fmt(p["value"]) for p in o.points if has_batch(p) and len(p["tied_batches"]) > 1]
    scores = [p["total_score"] for p in o.points if has_batch(p)]
    notes = []
    if changes:
        notes.append(tr("ans.sweep.changes", values="、".join(fmt(p["value"]) for p in changes)))
    if none:
        notes.append(tr("ans.sweep.none", values="、".join(none)))
    if ties:
        notes.append(tr("ans.sweep.ties", values="、".join(ties)))
    first = next((p for p in o.points if has_batch(p)), None)
    if first is not None:
        notes.append(
            tr("ans.sweep.first", value=fmt(first["value"]), ids="、".join(first["designated"]))
        )
    return Answer(
        title=tr("ans.sweep.title", param=key_label(o.key)),
        scenario=scenario_name(scenario),
        headline=tr(
            "ans.sweep.headline",
            n=n,
            param=key_label(o.key),
            changes=len(changes),
            feasible=n - len(none),
        ),
        figures=[
            (tr("fig.values"), ", ".join(fmt(p["value"]) for p in o.points)),
            (tr("fig.with_batch"), f"{n - len(none)} / {n}"),
            (tr("fig.batch_changes"), f"{len(changes)}"),
            (
                tr("fig.score_range"),
                "-" if not scores else f"{min(scores):.1f} – {max(scores):.1f}",
            ),
        ],
        notes=notes,
        chart=charts[0],
        table=o.table[["value", *MAIN]],
        table_title=tr("ans.sweep.table"),
        details=[
            (tr("ans.charts"), charts[1:]),
            (tr("ans.sweep.grid"), wide),
            (tr("ans.sweep.all"), o.table.drop(columns=["solve_seconds"])),
        ],
    )


def tradeoff_answer(
    o: SweepOutcome, scenario, charts: list[Path], frontier: pd.DataFrame, wide: pd.DataFrame
) -> Answer:
    s = o.summary
    feasible = [p for p in o.points if has_batch(p)]
    none = [str(p["value"]) for p in o.points if not has_batch(p)]
    best = feasible[0]["total_score"] if feasible else None
    notes = [
        tr(
            "ans.tradeoff.point",
            k=p["value"],
            score=f"{p['total_score']:.2f}",
            lost=f"{best - p['total_score']:.2f}",
            groups=p["groups_covered"],
        )
        for p in feasible
    ]
    if none:
        notes.append(tr("ans.tradeoff.none", ks="、".join(none)))
    front = "；".join(f"{f['groups_covered']} → {f['total_score']:.2f}" for f in s["frontier"])
    return Answer(
        title=tr("ans.tradeoff.title"),
        scenario=scenario_name(scenario),
        headline=tr("ans.tradeoff.headline", n=s["n_groups"], front=front or "-"),
        figures=[
            (tr("fig.groups"), f"{s['n_groups']}"),
            (tr("fig.frontier_points"), f"{len(s['frontier'])}"),
            (tr("fig.best_score"), "-" if best is None else f"{best:.2f}"),
        ],
        notes=notes,
        chart=charts[0],
        table=o.table[["k", "total_score", "score_lost", "groups_covered", "pareto", "designated"]],
        table_title=tr("ans.tradeoff.table"),
        details=[
            (tr("ans.charts"), charts[1:]),
            (tr("ans.tradeoff.frontier"), frontier),
            (tr("ans.sweep.grid"), wide),
            (tr("ans.sweep.all"), o.table.drop(columns=["solve_seconds"])),
        ],
    )
