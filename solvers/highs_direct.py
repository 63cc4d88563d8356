"""The selection model's first stage (max total score) built straight into highspy from numpy
arrays, with no modelling layer: what a user could write by hand. It is the yardstick for the
Pyomo build in benchmarks/, and the same rows as model/selection.py `build_model`:

    columns  x_i ∈ {0,1} (designate), n_i ∈ {0..hi} integer (award = step·n_i)
    award_floor  n_i − lo·x_i ≥ 0          award_cap   n_i − hi·x_i ≤ 0
    budget       step·Σ n_i ≤ budget       batch       k_min ≤ Σ x_i ≤ k_max
    city_max     Σ_{i∈c} x_i ≤ m (crowded cities)
    region_min / region_max  per group;    pinned applicants: bounds on x_i.

Proportional award mode only (tiers need the monotone chain; not a yardstick question).
Duck-typed on model.selection.Instance so solvers/ does not import model/.
"""

from __future__ import annotations

import math

import highspy
import numpy as np
from scipy import sparse


def stage1_arrays(inst) -> dict:
    p, n = inst.params, len(inst.ids)
    if p.award_mode != "proportional":
        raise NotImplementedError("the direct highspy build covers proportional awards only")
    lo = math.ceil(p.floor_wan / p.step_wan - 1e-9)
    hi = max(math.floor(p.cap_wan / p.step_wan + 1e-9), 0)
    X, N = np.arange(n), n + np.arange(n)           # column index of x_i and n_i
    rows, cols, vals, rlo, rhi = [], [], [], [], []

    def add(r_cols, r_vals, low, up, count=1):
        """`count` rows at once: r_cols/r_vals are (count, k) arrays."""
        base = len(rlo)
        r_cols, r_vals = np.atleast_2d(r_cols), np.atleast_2d(r_vals)
        rows.append(np.repeat(base + np.arange(count), r_cols.shape[1]))
        cols.append(r_cols.ravel())
        vals.append(r_vals.ravel())
        rlo.extend(np.broadcast_to(low, count))
        rhi.extend(np.broadcast_to(up, count))

    inf = highspy.kHighsInf
    add(np.c_[N, X], np.c_[np.ones(n), np.full(n, -lo)], 0.0, inf, n)         # award_floor
    add(np.c_[N, X], np.c_[np.ones(n), np.full(n, -hi)], -inf, 0.0, n)        # award_cap
    add(N, np.full(n, p.step_wan), -inf, p.budget_wan)                        # budget
    add(X, np.ones(n), p.batch_min, p.batch_max)                              # batch
    city = np.asarray(inst.city)
    for c in sorted(set(inst.city)):
        members = X[city == c]
        if len(members) > p.city_max:                                         # city_max
            add(members, np.ones(len(members)), -inf, p.city_max)
    region = np.asarray(inst.region)
    for g in inst.regions:
        members = X[region == g]
        low = p.region_min.get(g, 0)
        up = p.region_max[g] if g in p.region_max and p.region_max[g] < len(members) else inf
        if low > 0 or up < inf:                                               # region_min/max
            add(members, np.ones(len(members)), low if low > 0 else -inf, up)
    pinned = np.asarray(inst.pinned)
    x_lo, x_up = (pinned == "in").astype(float), (pinned != "out").astype(float)
    A = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(len(rlo), 2 * n))
    return {"cost": np.r_[np.asarray(inst.score, float), np.zeros(n)],
            "lower": np.r_[x_lo, np.zeros(n)], "upper": np.r_[x_up, np.full(n, float(hi))],
            "A": A, "row_lower": np.array(rlo, float), "row_upper": np.array(rhi, float)}


def build_stage1(inst, threads: int | None = None) -> highspy.Highs:
    """A Highs object holding stage 1 (maximise Σ score·x), ready to run()."""
    a = stage1_arrays(inst)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(a["cost"]), len(a["row_lower"])
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = a["cost"], a["lower"], a["upper"]
    lp.row_lower_, lp.row_upper_ = a["row_lower"], a["row_upper"]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = a["A"].indptr, a["A"].indices
    lp.a_matrix_.value_ = a["A"].data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if threads:
        h.setOptionValue("threads", threads)
    h.passModel(lp)
    return h
