"""The selection model built straight into highspy: the fast path for large pools.

Why: at 10,000 applicants Pyomo spends ~0.3 s creating one Python object per variable,
constraint and term and ~0.8 s translating them into HiGHS, against ~0.02 s for the same rows
from numpy arrays (benchmarks/). That cost is inherent to an object-per-term modelling layer,
so no Pyomo formulation gets within 3× of the direct build.

The rows are those of the Pyomo build — every rule of the registry (rules.py) and the award
columns (levels.py), in the shared row format — and the stages are the same runner's
(stages.py, batch.py), so the two paths give the same answers (tested against each other).
Used for proportional awards above MIP_DEVIATION_MAX_N eligible applicants, where the Pyomo
path too apportions exactly rather than solving the deviation MIP. An infeasible instance is
explained through the Pyomo model (its constraint names are the words of the explanation).
"""

from __future__ import annotations

import time
from typing import cast

import numpy as np

from fundalloc.selection.batch import MIP_DEVIATION_MAX_N, Solution, solve_batch
from fundalloc.selection.greedy import greedy_stages
from fundalloc.selection.instance import Instance
from fundalloc.selection.levels import award_columns
from fundalloc.selection.rows import Definition
from fundalloc.selection.rules import definitions
from fundalloc.selection.sparse import Rows, product, stack
from fundalloc.selection.stages import SCORE, Quantity
from fundalloc.solvers import SolveResult
from fundalloc.solvers import highs_direct as hd

DIRECT_MIN_N = 2000  # below this the Pyomo build costs under ~0.2 s: not worth a second path


def use_direct(inst: Instance) -> bool:
    return inst.params.award_mode != "tiers" and len(inst.ids) >= max(
        DIRECT_MIN_N, MIP_DEVIATION_MAX_N + 1
    )


class Layout:
    """Where each column family sits among HiGHS's columns (x first, then the award columns,
    then those the rules declare), and award_i as a row over them."""

    def __init__(self, inst: Instance):
        n = len(inst.ids)
        self.award = award_columns(inst)
        self.defs = [Definition(self.award.rows), *definitions(inst)]
        self.offset = {"x": 0}
        self.lower, self.upper, self.integer = [np.zeros(n)], [np.ones(n)], [np.ones(n, bool)]
        self.n = self.size = n
        for c in [*self.award.columns, *(c for d in self.defs for c in d.columns)]:
            if c.family not in self.offset:  # a column family two rules share is made once
                self.offset[c.family] = self.size
                self.size += c.size
                self.lower.append(np.full(c.size, c.lower))
                self.upper.append(np.full(c.size, c.upper))
                self.integer.append(np.full(c.size, c.integer))
        self.award_map = self._matrix(self.award.award, n)  # n × columns

    def _matrix(self, terms, rows: int) -> Rows:
        """Terms as a sparse matrix over the columns; "award" terms through the award map.
        Entries of one row on one column add up, as they do in Pyomo's linear form."""
        parts = []
        for t in terms:
            if t.family == "award":
                award = Rows.of(t.row, t.index, t.coef, (rows, self.n))
                parts.append(product(award, self.award_map))
            else:
                parts.append((t.row, self.offset[t.family] + t.index, t.coef))
        if not parts:
            return Rows.of([], [], [], (rows, self.size))
        r, c, v = (np.concatenate(p) for p in zip(*parts, strict=True))
        return Rows.of(r, c, v, (rows, self.size))

    def arrays(self) -> dict:
        blocks = [self._matrix(rows.terms, len(rows.keys)) for d in self.defs for rows in d.rows]
        lower = np.concatenate([rows.lower for d in self.defs for rows in d.rows])
        upper = np.concatenate([rows.upper for d in self.defs for rows in d.rows])
        return {
            "A": stack(blocks),
            "row_lower": lower,
            "row_upper": upper,
            "lower": np.concatenate(self.lower),
            "upper": np.concatenate(self.upper),
            "integer": np.concatenate(self.integer),
        }


def build(inst: Instance, threads: int | None = None):
    """(Highs object holding the model with a zero objective, its Layout)."""
    layout = Layout(inst)
    a = layout.arrays()
    return hd.build(
        a["lower"], a["upper"], a["integer"], a["A"], a["row_lower"], a["row_upper"], threads
    ), layout


def build_stage1(inst: Instance, threads: int | None = None):
    """A Highs object holding stage 1 (maximise Σ score·x), ready to run() (benchmarks/)."""
    h, layout = build(inst, threads)
    HighsBackend(h, inst, layout).set_objective(SCORE)
    return h


class HighsBackend:
    """The stage runner's backend on a Highs object: quantities as coefficient arrays."""

    def __init__(self, h, inst: Instance, layout: Layout):
        self.h, self.n, self.size = h, len(inst.ids), layout.size
        self.score = np.asarray(inst.score, float)
        self.award = layout.award_map.column_sums()  # Σ_i award_i
        self.covered = layout.offset.get("covered"), len(inst.regions)
        self.base = h.getNumRow()
        self.added: list[object] = []  # handles of the rows added since, in row order
        self.cols: np.ndarray | None = None

    def _linear(self, what: Quantity) -> tuple[np.ndarray, float]:
        """(coefficients over all columns, constant)."""
        c = np.zeros(self.size)
        if what.name == "award":
            return self.award.copy(), 0.0
        if what.name == "score":
            c[: self.n] = self.score
        elif what.name == "count":
            c[: self.n] = 1.0
        elif what.name == "weighted":
            c[: self.n] = cast(np.ndarray, what.batch)
        elif what.name == "covered":
            at, m = self.covered
            c[cast(int, at) : cast(int, at) + m] = 1.0
        else:  # Σ_{i∈b} (1 − x_i) + Σ_{i∉b} x_i  =  c·x + |b|
            inside = cast(np.ndarray, what.batch)  # the distance to a batch: it has one
            c[: self.n] = np.where(inside, -1.0, 1.0)
            return c, float(inside.sum())
        return c, 0.0

    def set_objective(self, what: Quantity | None) -> None:
        if what is None:
            hd.set_objective(self.h, np.zeros(self.size))
        else:
            hd.set_objective(self.h, *self._linear(what))

    def add_row(self, what: Quantity, lower: float, name: str) -> object:
        c, constant = self._linear(what)
        idx = np.flatnonzero(c) if what.name in ("award", "covered") else np.arange(self.n)
        hd.add_row(self.h, idx, c[idx], lower - constant, hd.INF)
        handle = object()
        self.added.append(handle)
        return handle

    def remove_row(self, handle: object) -> None:
        hd.delete_row(self.h, self.base + self.added.index(handle))
        self.added.remove(handle)

    def solve(self, warm_start: bool = False, time_limit: float | None = None) -> SolveResult:
        saved = hd.time_limit(self.h)
        if time_limit is not None:
            self.h.setOptionValue("time_limit", time_limit)
        try:
            r, cols = hd.run(self.h, self.cols if warm_start else None)
        finally:
            self.h.setOptionValue("time_limit", saved)
        if cols is not None:
            self.cols = cols
        return r

    def batch(self) -> np.ndarray:
        return cast(np.ndarray, self.cols)[: self.n] > 0.5  # after a solve


def solve_direct(inst: Instance) -> tuple[Solution, float]:
    """(solution, build seconds) — the counterpart of build_model + solve_lexicographic."""
    p = inst.params
    if p.award_mode == "tiers":
        raise NotImplementedError("the direct highspy build has no deviation MIP for tiers")
    start = time.perf_counter()
    done = greedy_stages(inst, p.max_ties)
    if done is not None:  # stages 1–3 proven without the MIP (greedy.py)
        return solve_batch(None, inst, done=done), 0.0
    h, layout = build(inst)
    build_seconds = time.perf_counter() - start
    if p.time_limit_s:
        h.setOptionValue("time_limit", float(p.time_limit_s))
    h.setOptionValue("mip_rel_gap", p.mip_rel_gap)
    h.setOptionValue("mip_abs_gap", 1e-9)
    # Stage 2 starts from stage 1's solution, as this path always has.
    return solve_batch(HighsBackend(h, inst, layout), inst, warm_spend=True), build_seconds
