"""`fundalloc sweep` and `fundalloc tradeoff`: tables, summary.json, workbook, report with charts,
manifest, all or nothing (model/runs.py).

The trade-off curve is a sweep of `selection.groups_covered_min` over k = 0 … number of
regional groups: the best total score with at least k groups covered. Its Pareto frontier is
read off the points (the batch at k may cover more than k groups; a point is dominated when
another covers as many groups or more with a score as high or higher, one of them strictly).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fundalloc.core.errors import FundallocError
from fundalloc.core.report import html_report, write_workbook
from fundalloc.selection.rulesets import ruleset_of
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario
from fundalloc.selection.sweep import check_param, fmt, parse_values, run_points
from fundalloc.commands.sweep_charts import in_out_grid, line_chart

MEASURES = {"groups_covered": "selection.groups_covered_min"}
FEASIBLE = ("optimal", "time_limit", "error")   # statuses that come with a batch


@dataclass
class SweepOutcome:
    command: str                 # sweep | tradeoff
    key: str
    points: list[dict]
    table: pd.DataFrame          # sweep.csv / tradeoff.csv
    awards: pd.DataFrame         # long: value, id, name, award_wan
    summary: dict


def _has_batch(p: dict) -> bool:
    return p["status"] in FEASIBLE


def points_table(points: list[dict], value_col: str = "value") -> pd.DataFrame:
    rows = []
    for p in points:
        ok = _has_batch(p)
        ties = p.get("tied_batches") or []
        rows.append({
            value_col: fmt(p["value"]), "status": p["status"],
            "n_designated": len(p["designated"]) if ok else None,
            "designated": " ".join(p["designated"]) if ok else "",
            "total_score": p["total_score"] if ok else None,
            "total_award_wan": p["total_award_wan"] if ok else None,
            "groups_covered": p["groups_covered"] if ok else None,
            "n_tied_batches": len(ties) if ok else None,
            "ties_complete": p["ties_complete"] if ok else None,
            "tied_batches": " | ".join(" ".join(b) for b in ties),
            "change": p["change"], "mip_gap": p.get("mip_gap"),
            "why_no_batch": p["words"], "solve_seconds": p.get("solve_seconds")})
    table = pd.DataFrame(rows)
    # Whole numbers stay whole next to the empty cells of a value with no batch (not "4.0").
    for col in ("n_designated", "total_award_wan", "groups_covered", "n_tied_batches"):
        table[col] = table[col].astype("Int64")
    return table


def awards_long(points: list[dict], value_col: str = "value") -> pd.DataFrame:
    rows = [{value_col: fmt(p["value"]), "id": i, "name": p["names"].get(i, ""), "award_wan": a}
            for p in points if _has_batch(p) for i, a in p["awards_wan"].items()]
    return pd.DataFrame(rows, columns=[value_col, "id", "name", "award_wan"])


def award_grid(points: list[dict]) -> tuple[list[str], np.ndarray]:
    """Applicants designated at some value (first appearance order) × values; NaN = no batch."""
    ids: list[str] = []
    for p in points:
        if _has_batch(p):
            ids += [i for i in p["designated"] if i not in ids]
    grid = np.full((len(ids), len(points)), np.nan)
    for j, p in enumerate(points):
        if _has_batch(p):
            grid[:, j] = [p["awards_wan"].get(i, 0) for i in ids]
    return ids, grid


def _point_summary(p: dict) -> dict:
    return {k: v for k, v in p.items() if k != "names"}


# --------------------------------------------------------------------------- sweep

def sweep(scenario: Scenario, key: str, values_text: str, applicants=None, executor="local",
          address=None, workers=0, progress=True) -> SweepOutcome:
    param = check_param(scenario, key)
    values = parse_values(values_text, param)
    points = run_points(scenario, param.key, values, applicants, executor, address, workers,
                        progress)
    table = points_table(points)
    summary = {
        "command": "sweep", "param": param.key, "values": values,
        "n_values": len(values), "n_with_batch": sum(_has_batch(p) for p in points),
        "batch_changes": [{"value": p["value"], "change": p["change"]} for p in points
                          if p["change"]],
        "points": [_point_summary(p) for p in points],
        "scenario": str(scenario.path), "overrides": scenario.overrides,
    }
    return SweepOutcome("sweep", param.key, points, table, awards_long(points), summary)


def write_sweep(o: SweepOutcome, staging: Path, scenario: Scenario) -> None:
    values = [p["value"] for p in o.points]
    ids, grid, wide = _write_tables(o, staging, "sweep", [fmt(v) for v in values])
    write_workbook(staging / "sweep.xlsx", {
        "Sweep": o.table, "Awards": o.awards, "Awards grid": wide,
        "Run": pd.DataFrame([("param", o.key), ("values", ", ".join(map(fmt, values))),
                             ("scenario", str(scenario.path)),
                             ("overrides", " ".join(scenario.overrides))],
                            columns=["item", "value"])})
    score = [p.get("total_score") if _has_batch(p) else None for p in o.points]
    money = [p.get("total_award_wan") if _has_batch(p) else None for p in o.points]
    charts = [line_chart(staging / "score_by_value.png", values, {"total score": score},
                         "Best total score at each value", o.key, "total assessment score"),
              line_chart(staging / "awards_by_value.png", values, {"total awards": money},
                         "Total awards at each value", o.key, "wan yuan (10,000 CNY)")]
    if ids:
        charts.append(in_out_grid(staging / "batch_by_value.png", values, ids, grid,
                                  "Who is designated at each value (award in wan)", o.key))
    html_report(staging / "report.html", f"fundalloc — sweep of {o.key}", [
        ("", _head(o)), ("Charts", charts),
        ("Sweep", o.table.drop(columns=["solve_seconds"])),
        ("Awards by value (万)", wide)])


def _write_tables(o: SweepOutcome, staging: Path, stem: str, labels: list[str]):
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


def _head(o: SweepOutcome) -> str:
    n = len(o.points)
    changes = [p for p in o.points[1:] if p["change"]]
    none = [fmt(p["value"]) for p in o.points if not _has_batch(p)]
    text = (f"<p>{n} values of <b>{o.key}</b>; the batch changes at {len(changes)} of them"
            + (f": {', '.join(fmt(p['value']) for p in changes)}" if changes else "") + ". ")
    if none:
        text += f"No batch at {', '.join(none)} (reasons in the table). "
    ties = [fmt(p["value"]) for p in o.points if _has_batch(p) and len(p["tied_batches"]) > 1]
    if ties:
        text += f"Equally good batches exist at {', '.join(ties)} (listed under tied_batches). "
    return text + "</p>"


def run_sweep(scenario: Scenario, key: str, values_text: str, applicants=None, out=None,
              executor="local", address=None, workers=0,
              progress=True) -> tuple[Path, SweepOutcome]:
    outcome = sweep(scenario, key, values_text, applicants, executor, address, workers, progress)
    with run_folder(out, "sweep", scenario=scenario,
                    extra={"param": outcome.key, "values": outcome.summary["values"],
                           "executor": executor, "workers": workers}) as run:
        write_sweep(outcome, run.staging, scenario)
    return run.final, outcome


# --------------------------------------------------------------------------- trade-off curve

def pareto(points: list[dict]) -> list[bool]:
    pts = [(p["groups_covered"], p["total_score"]) if _has_batch(p) else None for p in points]
    tol = 1e-6

    def dominated(a, b):   # b dominates a
        return b[0] >= a[0] and b[1] >= a[1] - tol and (b[0] > a[0] or b[1] > a[1] + tol)

    return [a is not None and not any(b is not None and dominated(a, b) for b in pts)
            for a in pts]


def tradeoff(scenario: Scenario, measure: str = "groups_covered", applicants=None,
             executor="local", address=None, workers=0, progress=True) -> SweepOutcome:
    if measure not in MEASURES:
        raise FundallocError(f"--measure {measure}: unknown balance measure; available: "
                             f"{', '.join(MEASURES)}")
    key = MEASURES[measure]
    groups = ruleset_of(scenario).regions
    points = run_points(scenario, key, list(range(len(groups) + 1)), applicants, executor,
                        address, workers, progress, label="trade-off")
    table = points_table(points, value_col="k")
    best = next((p["total_score"] for p in points if _has_batch(p)), None)
    table["score_lost"] = [None if best is None or not _has_batch(p) else
                           round(best - p["total_score"], 6) for p in points]
    on = pareto(points)
    table["pareto"] = on
    first = ["k", "status", "total_score", "score_lost", "groups_covered", "pareto"]
    table = table[first + [c for c in table.columns if c not in first]]
    frontier, seen = [], set()
    for p, flag in zip(points, on):
        if flag and p["groups_covered"] not in seen:
            seen.add(p["groups_covered"])
            frontier.append({"groups_covered": p["groups_covered"],
                             "total_score": p["total_score"], "designated": p["designated"],
                             "tied_batches": p["tied_batches"]})
    summary = {
        "command": "tradeoff", "measure": measure, "param": key, "n_groups": len(groups),
        "groups": list(groups), "frontier": frontier,
        "points": [{"k": p["value"], **_point_summary(p), "pareto": flag}
                   for p, flag in zip(points, on)],
        "scenario": str(scenario.path), "overrides": scenario.overrides,
    }
    return SweepOutcome("tradeoff", key, points, table, awards_long(points, "k"), summary)


def write_tradeoff(o: SweepOutcome, staging: Path, scenario: Scenario) -> None:
    ks = [p["value"] for p in o.points]
    ids, grid, wide = _write_tables(o, staging, "tradeoff", [f"k={k}" for k in ks])
    frontier = pd.DataFrame([{**f, "designated": " ".join(f["designated"]),
                              "tied_batches": " | ".join(" ".join(b) for b in f["tied_batches"])}
                             for f in o.summary["frontier"]],
                            columns=["groups_covered", "total_score", "designated",
                                     "tied_batches"])
    write_workbook(staging / "tradeoff.xlsx", {
        "Trade-off": o.table, "Pareto frontier": frontier, "Awards": o.awards,
        "Awards grid": wide,
        "Run": pd.DataFrame([("measure", o.summary["measure"]), ("scenario", str(scenario.path)),
                             ("overrides", " ".join(scenario.overrides))],
                            columns=["item", "value"])})
    score = [p.get("total_score") if _has_batch(p) else None for p in o.points]
    charts = [line_chart(staging / "tradeoff_curve.png", ks, {"best total score": score},
                         "Best total score with at least k regional groups covered",
                         "k (groups_covered_min)", "total assessment score", step=True)]
    if ids:
        charts.append(in_out_grid(staging / "batch_by_k.png", ks, ids, grid,
                                  "Who is designated at each k (award in wan)", "k"))
    lost = [f"k = {p['value']}: {p['total_score']:.2f}" for p in o.points if _has_batch(p)]
    none = [str(p["value"]) for p in o.points if not _has_batch(p)]
    head = (f"<p>Best total score with at least k of {o.summary['n_groups']} regional groups "
            f"covered — {'; '.join(lost)}." + (f" No batch for k = {', '.join(none)} (reasons in "
                                                "the table)." if none else "") +
            f" Pareto frontier: {len(frontier)} point(s).</p>")
    html_report(staging / "report.html", "fundalloc — score against regional balance", [
        ("", head), ("Charts", charts), ("Pareto frontier", frontier),
        ("Every k", o.table.drop(columns=["solve_seconds"])),
        ("Awards by k (万)", wide)])


def run_tradeoff(scenario: Scenario, measure: str = "groups_covered", applicants=None, out=None,
                 executor="local", address=None, workers=0,
                 progress=True) -> tuple[Path, SweepOutcome]:
    outcome = tradeoff(scenario, measure, applicants, executor, address, workers, progress)
    with run_folder(out, "tradeoff", scenario=scenario,
                    extra={"measure": measure, "executor": executor, "workers": workers}) as run:
        write_tradeoff(outcome, run.staging, scenario)
    return run.final, outcome
