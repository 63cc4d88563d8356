"""What `sweep` and `tradeoff` share: a point is one full optimisation at one value of the
varied key; here are their outcome, their tables (one row per point; awards in long form and as
an applicant × value grid), the files both write and the terminal table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rich.table import Table

from fundalloc.commands.common import console, status_word
from fundalloc.core.i18n import tr
from fundalloc.core.runs import write_json
from fundalloc.selection.sweep import fmt

FEASIBLE = ("optimal", "time_limit", "error")  # statuses that come with a batch


@dataclass
class SweepOutcome:
    command: str  # sweep | tradeoff
    key: str
    points: list[dict]
    table: pd.DataFrame  # sweep.csv / tradeoff.csv
    awards: pd.DataFrame  # long: value, id, name, award_wan
    summary: dict


def has_batch(p: dict) -> bool:
    return p["status"] in FEASIBLE


def points_table(points: list[dict], value_col: str = "value") -> pd.DataFrame:
    rows = []
    for p in points:
        ok = has_batch(p)
        ties = p.get("tied_batches") or []
        rows.append(
            {
                value_col: fmt(p["value"]),
                "status": p["status"],
                "n_designated": len(p["designated"]) if ok else None,
                "designated": " ".join(p["designated"]) if ok else "",
                "total_score": p["total_score"] if ok else None,
                "total_award_wan": p["total_award_wan"] if ok else None,
                "groups_covered": p["groups_covered"] if ok else None,
                "n_tied_batches": len(ties) if ok else None,
                "ties_complete": p["ties_complete"] if ok else None,
                "tied_batches": " | ".join(" ".join(b) for b in ties),
                "change": p["change"],
                "mip_gap": p.get("mip_gap"),
                "why_no_batch": p["words"],
                "solve_seconds": p.get("solve_seconds"),
            }
        )
    table = pd.DataFrame(rows)
    # Whole numbers stay whole next to the empty cells of a value with no batch (not "4.0").
    for col in ("n_designated", "total_award_wan", "groups_covered", "n_tied_batches"):
        table[col] = table[col].astype("Int64")
    return table


def awards_long(points: list[dict], value_col: str = "value") -> pd.DataFrame:
    rows = [
        {value_col: fmt(p["value"]), "id": i, "name": p["names"].get(i, ""), "award_wan": a}
        for p in points
        if has_batch(p)
        for i, a in p["awards_wan"].items()
    ]
    return pd.DataFrame(rows, columns=[value_col, "id", "name", "award_wan"])


def award_grid(points: list[dict]) -> tuple[list[str], np.ndarray]:
    """Applicants designated at some value (first appearance order) × values; NaN = no batch."""
    ids: list[str] = []
    for p in points:
        if has_batch(p):
            ids += [i for i in p["designated"] if i not in ids]
    grid = np.full((len(ids), len(points)), np.nan)
    for j, p in enumerate(points):
        if has_batch(p):
            grid[:, j] = [p["awards_wan"].get(i, 0) for i in ids]
    return ids, grid


def point_summary(p: dict) -> dict:
    return {k: v for k, v in p.items() if k != "names"}


def write_tables(o: SweepOutcome, staging: Path, stem: str, labels: list[str]):
    """What sweep and tradeoff both write: the table, the awards in long form, summary.json;
    returns the applicant × value award grid (ids, grid, and as a frame for XLSX and report)."""
    o.table.to_csv(staging / f"{stem}.csv", index=False, encoding="utf-8")
    o.awards.to_csv(staging / f"{stem}_awards.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", o.summary)
    ids, grid = award_grid(o.points)
    wide = pd.DataFrame(grid, index=ids, columns=labels)
    wide.insert(0, "name", [_name(o.points, i) for i in ids])
    return ids, grid, wide.reset_index(names="id")


def _name(points: list[dict], ident: str) -> str:
    return next((p["names"][ident] for p in points if ident in p.get("names", {})), "")


def print_points(
    table: pd.DataFrame, value_col: str, title: str, header: str | None = None
) -> None:
    """The terminal table: one row per value, the batch at the first and what changes after."""
    t = Table(title=title)
    for col, right in (
        (header or value_col, True),
        (tr("col.status"), False),
        (tr("col.score"), True),
        (tr("col.awards_wan"), True),
        (tr("col.groups"), True),
        (tr("col.ties"), True),
        (tr("col.batch_change"), False),
    ):
        t.add_column(col, justify="right" if right else "left", overflow="fold")
    for i, r in enumerate(table.itertuples()):
        has = r.total_score is not None and r.total_score == r.total_score
        what = r.designated if i == 0 and has else (r.change or tr("points.same"))
        if not has:
            what = r.why_no_batch
        t.add_row(
            str(getattr(r, value_col)),
            status_word(r.status),
            f"{r.total_score:.2f}" if has else "",
            f"{r.total_award_wan:,.0f}" if has else "",
            f"{r.groups_covered:.0f}" if has else "",
            f"{r.n_tied_batches:.0f}" if has else "",
            what,
        )
    console.print(t)
