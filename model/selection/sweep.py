"""Sensitivity sweeps of the selection model: one scenario key over a list of values, one full
optimisation (`selection.run.optimise`, every stage, ties listed) per value.

The key is checked by name before anything runs (a typo would otherwise give the same answer
at every value), the values are parsed from `a:b:step` or `v1,v2,…`, and each value's solve is a
picklable top-level job on any executor (model/executors.py); results are put back in value
order, so a sweep never depends on the engine or the number of workers. A value at which no
batch exists is a row that says why, in words, not a failed run.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fundalloc.core.errors import FundallocError, InfeasibleError, ScenarioError
from fundalloc.core.executors import cpu_count, open_executor, run_jobs
from fundalloc.core.scenario import Scenario, parse_value
from fundalloc.core.schema import meta, unwrap
from fundalloc.inputs.applicants import FACTORS
from fundalloc.selection.params import SelectionParams
from fundalloc.selection.rulesets import ruleset_of
from fundalloc.selection.run import optimise

TABLE_KEYS = ("weights", "region_min", "region_max")  # swept one entry at a time
MAX_POINTS = 500  # a typo in the step (1500:3000:0.25) should not start 6,000 solves


@dataclass(frozen=True)
class Param:
    key: str  # dotted scenario key, e.g. selection.weights.reach
    numeric: bool  # values must be numbers
    whole: bool  # values must be whole numbers


def _kind(info) -> tuple[bool, bool]:
    """(numeric, whole) of a declared key, from its type: a table of numbers counts as its
    entries' type (weights: numbers; regional tables: whole numbers)."""
    a = unwrap(info.annotation)
    args = [unwrap(x) for x in get_args(a)] if get_origin(a) in (dict, Union, UnionType) else []
    base = a if not args else args[-1]
    if base is bool or a is bool:
        return False, False
    return base in (int, float), base is int


def sweepable(ruleset) -> dict[str, object]:
    """Dotted key -> declaration of every key `sweep` may vary: the [selection] keys and the
    rule set's [eligibility] keys, from their declarations (file paths excluded)."""
    out = {}
    tables = {"selection": SelectionParams, **ruleset.sections}
    for prefix in ("selection", "eligibility"):
        for name, info in tables[prefix].model_fields.items():
            if name not in ("applicants", "policy") and meta(info).get("sweep") is not False:
                out[f"{prefix}.{name}"] = info
    return out


def check_param(scenario: Scenario, key: str) -> Param:
    """The swept key, checked by name against the declarations: a selection key (a table's
    entry as selection.weights.<factor> or selection.region_min.<group>) or an eligibility
    key."""
    parts = key.strip().split(".")
    ruleset = ruleset_of(scenario)
    keys = sweepable(ruleset)
    sel_keys = sorted(k.split(".", 1)[1] for k in keys if k.startswith("selection."))
    hint = (
        f"sweep a selection key ({', '.join(sel_keys)}; a table's entry as "
        f"selection.weights.reach or selection.region_min.east) or an eligibility key"
    )
    head = ".".join(parts[:2])
    if parts[0] == "selection" and len(parts) in (2, 3) and head in keys:
        name = parts[1]
        if name in TABLE_KEYS and len(parts) == 3:
            allowed = FACTORS if name == "weights" else ruleset.regions
            if parts[2] not in allowed:
                raise FundallocError(
                    f"--param {key}: '{parts[2]}' is not one of {', '.join(allowed)}"
                )
        elif name == "weights" or len(parts) == 3:
            raise FundallocError(
                f"--param {key}: give one entry, e.g. selection.weights.reach"
                if name == "weights"
                else f"--param {key}: selection.{name} is a single value, not a table"
            )
        return Param(".".join(parts), *_kind(keys[head]))
    if parts[0] == "eligibility" and len(parts) == 2:
        known = sorted(k.split(".", 1)[1] for k in keys if k.startswith("eligibility."))
        if key not in keys:
            raise FundallocError(
                f"--param {key}: unknown eligibility key; known keys: {', '.join(known)}"
            )
        return Param(key, *_kind(keys[key]))
    raise FundallocError(f"--param {key}: unknown key; {hint}")


def _number(text: str, where: str) -> Decimal:
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        raise FundallocError(f"--values {where}: '{text.strip()}' is not a number") from None
    if not d.is_finite():
        raise FundallocError(f"--values {where}: '{text.strip()}' is not a finite number")
    return d


def _plain(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def parse_values(text: str, param: Param) -> list[Any]:
    """`start:stop:step` (stop included when the steps reach it) or a comma list of TOML
    literals. Decimal arithmetic: 0.1 steps land on 0.3, not 0.30000000000000004."""
    text = (text or "").strip()
    if not text:
        raise FundallocError(
            "--values is empty: give start:stop:step (e.g. 1500:3000:250) or a "
            "comma list (e.g. 1500,2000,2500)"
        )
    if ":" in text:
        bits = text.split(":")
        if len(bits) != 3:
            raise FundallocError(f"--values {text}: a range is start:stop:step, e.g. 1500:3000:250")
        start, stop, step = (_number(b, text) for b in bits)
        if step <= 0:
            raise FundallocError(f"--values {text}: the step must be positive")
        if stop < start:
            raise FundallocError(
                f"--values {text}: empty range (stop {stop} is below start "
                f"{start}); write the smaller value first"
            )
        count = int((stop - start) / step) + 1
        if count > MAX_POINTS:
            raise FundallocError(f"--values {text}: {count} values; at most {MAX_POINTS} per sweep")
        values: list[Any] = [_plain(start + i * step) for i in range(count)]
    else:
        items = [t.strip() for t in text.split(",")]
        if any(not t for t in items):
            raise FundallocError(f"--values {text}: an empty item between commas")
        values = [parse_value(t) for t in items]
        if param.numeric:
            values = [_plain(_number(t, text)) for t in items]
        if len(values) > MAX_POINTS:
            raise FundallocError(f"--values: {len(values)} values; at most {MAX_POINTS} per sweep")
    if param.whole:
        bad = [v for v in values if isinstance(v, float)]
        if bad:
            raise FundallocError(
                f"--values {text}: {param.key} takes whole numbers; {bad[0]:g} is not one"
            )
    seen: set = set()
    for v in values:
        if repr(v) in seen:
            raise FundallocError(f"--values {text}: the value {v} appears twice")
        seen.add(repr(v))
    return values


def with_value(scenario: Scenario, key: str, value: Any) -> Scenario:
    """A copy of the scenario with one key set. A region table given as one number (region_max =
    2) is first spelled out per group and an absent weights table gets its defaults, so setting
    one entry keeps the meaning of the others."""
    data = copy.deepcopy(scenario.data)
    parts = key.split(".")
    node = data
    for i, part in enumerate(parts[:-1]):
        child = node.get(part)
        if i == 1 and part in ("region_min", "region_max") and isinstance(child, (int, float)):
            child = {g: child for g in ruleset_of(scenario).regions}
        elif i == 1 and part == "weights" and child is None:
            child = SelectionParams.model_fields["weights"].get_default(call_default_factory=True)
        elif child is None:
            child = {}
        node[part] = child
        node = child
    node[parts[-1]] = value
    return replace(scenario, data=data, overrides=[*scenario.overrides, f"{key}={value}"])


def solve_point(scenario: Scenario, key: str, value: Any, applicants: str | None) -> dict:
    """One value's optimum as plain data (a top-level function: it is shipped to workers)."""
    point: dict[str, Any] = {"value": value}
    try:
        out = optimise(with_value(scenario, key, value), applicants, details=False)
    except InfeasibleError as exc:
        return {**point, "status": "infeasible", "words": "; ".join(exc.conflicts)}
    except FundallocError as exc:  # e.g. cap below floor at this value: that row says so
        words = str(exc)
        if isinstance(exc, ScenarioError):  # the file is the sweep's scenario: name the key only
            words = words.removeprefix(f"{exc.file}: ")
        return {**point, "status": "invalid", "words": words}
    s, t = out.summary, out.table
    chosen = t[t.designated]
    return {
        **point,
        "status": s["status"],
        "words": "",
        "mip_gap": s["mip_gap"],
        "designated": s["designated"],
        "total_score": s["total_score"],
        "total_award_wan": s["total_award_wan"],
        "awards_wan": s["awards_wan"],
        "names": dict(zip(chosen.id, chosen.name, strict=True)),
        "groups_covered": int(chosen.region.nunique()),
        "tied_batches": s["tied_batches"],
        "ties_complete": s["ties_complete"],
        "solve_seconds": s["solve_seconds"],
    }


def run_points(
    scenario: Scenario,
    key: str,
    values: list,
    applicants: str | Path | None = None,
    executor: str = "local",
    address: str | None = None,
    workers: int = 0,
    progress: bool = True,
    label: str = "sweep",
) -> list[dict]:
    """solve_point for every value, in parallel; the list is in value order."""
    apps = None if applicants is None else str(Path(applicants).resolve())
    jobs = [(scenario, key, v, apps) for v in values]
    results: dict[int, dict] = {}
    n = max(1, min(workers or cpu_count(), len(jobs))) if executor == "local" else workers
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        disable=not progress,
        transient=False,
    )

    def done(i: int, point: dict) -> None:
        results[i] = point
        bar.advance(task)

    with bar, open_executor(executor, address, n, clean=True) as ex:
        task = bar.add_task(f"{label} ({key})", total=len(jobs))
        run_jobs(ex, solve_point, jobs, on_result=done)
    points = [results[i] for i in range(len(jobs))]
    if all(p["status"] == "invalid" for p in points):
        # The same problem at every value is the scenario's, not the sweep's: stop in words.
        raise FundallocError(points[0]["words"])
    mark_changes(points)
    return points


def mark_changes(points: list[dict]) -> None:
    """`change`: who came in (+) and went out (−) against the previous value's batch."""
    prev: set | None = None
    for i, p in enumerate(points):
        batch = (
            set(p.get("designated") or []) if p["status"] not in ("infeasible", "invalid") else None
        )
        if batch is None:
            p["change"] = "no batch"
        elif i == 0:
            p["change"] = ""
        elif prev is None:
            p["change"] = "batch " + " ".join(p["designated"])
        else:
            added = [x for x in p["designated"] if x not in prev]
            removed = sorted(prev - batch)
            p["change"] = " ".join([f"+{x}" for x in added] + [f"−{x}" for x in removed])
        prev = batch


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}" if math.isfinite(value) else str(value)
    return str(value)
