"""The selection MIP in Pyomo (DESIGN.md "The selection model"): which applicants to designate
and how much each one's one-time award is. The rows are the rules of the registry
(model/selection/rules.py) and the award columns (levels.py), in the shared row format
(rows.py); solving is the stage runner's (stages.py, batch.py) through `PyomoBackend`; the
solver itself is solvers/. Constraint components carry the rule names, which are the units of
the infeasibility explanation (infeasibility.py).
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pyomo.environ as pyo

from fundalloc.selection.batch import Solution, solve_batch
from fundalloc.selection.instance import Instance, lam_max
from fundalloc.selection.levels import award_columns
from fundalloc.selection.rows import INF, Columns, Definition, Rows
from fundalloc.selection.rules import definitions
from fundalloc.selection.stages import Quantity
from fundalloc.solvers import SolveResult, solve
from fundalloc.solvers.highs import make_solver

__all__ = [
    "Instance",
    "Solution",
    "PyomoBackend",
    "add_deviation",
    "build_model",
    "solve_lexicographic",
]


def build_model(inst: Instance, m=None) -> pyo.ConcreteModel:
    """The selection model of one batch, on a new model or on a given block `m` (the
    multi-batch programme builds one block per year, programme.py)."""
    n = len(inst.ids)
    if m is None:
        m = pyo.ConcreteModel(name="fundalloc_selection")
    m.I = pyo.RangeSet(0, n - 1) if n else pyo.Set(initialize=[])
    m.x = pyo.Var(m.I, domain=pyo.Binary, doc="designate applicant i")
    keys: dict[str, list | None] = {"x": list(range(n)), "award": list(range(n))}

    def var(family: str, j: int):
        ks = keys[family]
        return getattr(m, family) if ks is None else getattr(m, family)[ks[j]]

    award = award_columns(inst)
    for c in award.columns:
        _add_columns(m, c, keys)
    terms = _row_terms(award.award, n, var)
    m.award = pyo.Expression(m.I, rule=lambda m, i: sum(terms[i]))
    for d in [Definition(award.rows), *definitions(inst)]:
        for c in d.columns:
            if c.family not in keys:  # a column family two rules share is made once
                _add_columns(m, c, keys)
        for rows in d.rows:
            _add_rows(m, rows, var)

    m.total_score = pyo.Expression(expr=sum(float(inst.score[i]) * m.x[i] for i in range(n)))
    m.total_award = pyo.Expression(expr=sum(m.award[i] for i in range(n)))
    return m


def _add_columns(m, c: Columns, keys: dict) -> None:
    if c.integer:
        domain = pyo.Binary if (c.lower, c.upper) == (0.0, 1.0) else pyo.NonNegativeIntegers
    else:
        domain = pyo.Reals
    bounds = (c.lower, c.upper) if domain is not pyo.Binary else None
    var = (
        pyo.Var(domain=domain, bounds=bounds)
        if c.keys is None
        else pyo.Var(c.keys, domain=domain, bounds=bounds)
    )
    m.add_component(c.family, var)
    keys[c.family] = c.keys


def _row_terms(terms, count: int, var) -> list[list]:
    """The terms of each row as Pyomo expressions, in the order the definer gave them."""
    out: list[list] = [[] for _ in range(count)]
    for t in terms:
        for r, j, c in zip(t.row.tolist(), t.index.tolist(), t.coef.tolist(), strict=True):
            v = var(t.family, j)
            out[r].append(v if c == 1 else c * v)
    return out


def _add_rows(m, rows: Rows, var) -> None:
    terms = _row_terms(rows.terms, len(rows.keys), var)

    def row(r: int):
        body, lo, up = sum(terms[r]), float(rows.lower[r]), float(rows.upper[r])
        if lo == up:
            return body == lo
        if lo == -INF:
            return body <= up
        if up == INF:
            return body >= lo
        return pyo.inequality(lo, body, up)

    if rows.keys == [None]:
        m.add_component(rows.name, pyo.Constraint(expr=row(0)))
        return
    where = {key: r for r, key in enumerate(rows.keys)}
    m.add_component(
        rows.name,
        pyo.Constraint(
            list(rows.keys), rule=lambda m, *key: row(where[key[0] if len(key) == 1 else key])
        ),
    )


def add_deviation(m: pyo.ConcreteModel, inst: Instance) -> None:
    """Proportional sizing as MIP rows: award_i ≈ λ·f_i for the designated, y_i = λ·x_i exactly
    (McCormick, x binary). Added only when stage 4 runs as a MIP (tiers, or many tied batches):
    in proportional mode the exact apportionment of apportion.py is far faster."""
    f, lmax = inst.f, lam_max(inst)
    m.lam = pyo.Var(bounds=(0, lmax), doc="万 per unit of factor index")
    m.y = pyo.Var(m.I, bounds=(0, lmax))
    m.y_le_x = pyo.Constraint(m.I, rule=lambda m, i: m.y[i] <= lmax * m.x[i])
    m.y_le_lam = pyo.Constraint(m.I, rule=lambda m, i: m.y[i] <= m.lam)
    m.y_ge = pyo.Constraint(m.I, rule=lambda m, i: m.y[i] >= m.lam - lmax * (1 - m.x[i]))
    m.dev = pyo.Var(m.I, domain=pyo.NonNegativeReals)
    m.dev_above = pyo.Constraint(m.I, rule=lambda m, i: m.dev[i] >= m.award[i] - f[i] * m.y[i])
    m.dev_below = pyo.Constraint(m.I, rule=lambda m, i: m.dev[i] >= f[i] * m.y[i] - m.award[i])

    m.total_deviation = pyo.Expression(expr=sum(m.dev[i] for i in m.I))


class PyomoBackend:
    """The stage runner's backend on a Pyomo model: one batch, or the programme's blocks
    (`xs` are its x variables in order; `m.total_score` / `m.total_award` its quantities).
    Rows and objectives come and go as components of `m`, re-solved by the persistent solver."""

    def __init__(self, m, xs: list, solver):
        self.m, self.xs, self.solver = m, xs, solver

    def _expr(self, what: Quantity):
        if what.name == "score":
            return self.m.total_score
        if what.name == "award":
            return self.m.total_award
        if what.name == "count":
            return sum(self.xs)
        if what.name == "covered":
            return sum(self.m.covered.values())
        if what.name == "weighted":
            w = cast(np.ndarray, what.batch)
            return sum(float(c) * x for c, x in zip(w, self.xs, strict=True) if c)
        inside = cast(np.ndarray, what.batch)  # the distance to a batch: it has one
        return sum(1 - x for x, b in zip(self.xs, inside, strict=True) if b) + sum(
            x for x, b in zip(self.xs, inside, strict=True) if not b
        )

    def set_objective(self, what: Quantity | None) -> None:
        if what is None:
            self._objective(0, pyo.minimize)  # a constant: any feasible point will do
        else:
            self._objective(self._expr(what), pyo.maximize)

    def _objective(self, expr, sense) -> None:
        if hasattr(self.m, "stage_objective"):
            self.m.del_component(self.m.stage_objective)
        self.m.stage_objective = pyo.Objective(expr=expr, sense=sense)

    def add_row(self, what: Quantity, lower: float, name: str) -> str:
        self.m.add_component(name, pyo.Constraint(expr=self._expr(what) >= lower))
        return name

    def remove_row(self, handle: str) -> None:
        self.m.del_component(handle)

    def solve(self, warm_start: bool = False, time_limit: float | None = None) -> SolveResult:
        saved = self.solver.config.time_limit
        if time_limit is not None:
            self.solver.config.time_limit = time_limit
        try:
            return solve(self.m, self.solver, warm_start=warm_start)
        finally:
            self.solver.config.time_limit = saved

    def batch(self) -> np.ndarray:
        return np.array([pyo.value(x) > 0.5 for x in self.xs], dtype=bool)

    def min_deviation(self, inst: Instance):
        """Stage 4 as a MIP: min Σ|award_i − λ·f_i| over the tied batches."""
        add_deviation(self.m, inst)
        self._objective(self.m.total_deviation, pyo.minimize)
        r = self.solve()
        if r.objective is None:
            return r, None
        x = self.batch()
        award = np.where(x, np.round([pyo.value(self.m.award[i]) for i in range(len(x))], 6), 0.0)
        return r, (x, award, float(pyo.value(self.m.lam)), float(pyo.value(self.m.total_deviation)))


def solve_lexicographic(m: pyo.ConcreteModel, inst: Instance) -> Solution:
    """The stages on a model from build_model (README: score, spend, ties, split)."""
    p = inst.params
    solver = make_solver(time_limit=p.time_limit_s, mip_rel_gap=p.mip_rel_gap)
    return solve_batch(PyomoBackend(m, [m.x[i] for i in range(len(inst.ids))], solver), inst)
