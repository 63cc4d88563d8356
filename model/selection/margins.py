"""Margins: how far each eligible applicant is from the line (selection.csv `margin_points`).

For one not designated: how many points its score must rise before it enters the optimal batch;
for one designated: how many points it may fall before it leaves. Exact and parametric, not a
bisection: raising applicant i's score by t adds t to every batch that holds i and nothing to
the others, so the best total score is max(z_without_i, z_with_i + t). With z* the optimum and
z_in (z_out) the best total score with i pinned in (out), the line is crossed at

    not designated:  t = z* − z_in      (any rise beyond it puts i in every optimal batch)
    designated:      t = z* − z_out     (any fall beyond it leaves i out of every one)

At exactly the margin the two batches tie on score and the later stages (spending, balance)
decide. Two pinned solves of stage 1 per applicant, on one highspy build whose x bounds are
changed in place. `never_enters` / `never_leaves`: no batch with (without) i meets the rules
at any score. Below the pass mark, i must first rise to score_min: margin = (score_min − s_i) +
max(0, z* − z_in') with z_in' solved at the raised score. With selection.score_tolerance > 0 the
band's balance stage can move the line by up to that tolerance: margins are those of the score.
"""

from __future__ import annotations

import dataclasses

import highspy
import numpy as np

from fundalloc.selection.direct import HighsBackend, build
from fundalloc.selection.instance import Instance
from fundalloc.selection.pass_mark import below_pass_mark
from fundalloc.selection.stages import SCORE

MARGINS_MAX_N = 500  # two MIP solves per applicant: above this the column is left empty
DIGITS = 6  # margins are rounded to this many decimals (HiGHS solves to ~1e-9 here)


def many_small_solves(h) -> None:
    """Options for solving one small model many times: one thread (HiGHS's thread pool costs
    more than it gains on a few dozen binaries; 0.12 → 0.04 s a solve on the bundled
    scenario) and no feasibility jump (→ 0.025 s). One thread is refused if this process's
    HiGHS pool was started with another count: then the default stays."""
    h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    h.setOptionValue("threads", 1)
    h.run()  # the model as built has a zero objective: a cheap test of the option
    if h.getModelStatus() not in (
        highspy.HighsModelStatus.kOptimal,
        highspy.HighsModelStatus.kInfeasible,
    ):
        h.setOptionValue("threads", 0)
    h.clearSolver()


def _stage1(inst: Instance):
    h, layout = build(inst)
    many_small_solves(h)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-9)
    b = HighsBackend(h, inst, layout)
    b.set_objective(SCORE)
    return h, b


def _pinned_best(h, b, i: int, value: float) -> float | None:
    """Best total score with x_i fixed at value (None: no batch meets the rules)."""
    h.changeColBounds(i, value, value)
    try:
        r = b.solve()
    finally:
        h.changeColBounds(i, 0.0, 1.0)
    return None if r.objective is None else float(r.objective)


def margins(inst: Instance, designated: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """(margin in points, kind) per applicant of the instance; kind is "enter" (points to rise),
    "leave" (points it may fall), "never_enters" or "never_leaves" (margin NaN)."""
    n = len(inst.ids)
    out, kind = np.full(n, np.nan), [""] * n
    if n == 0:
        return out, kind
    h, b = _stage1(inst)
    best = b.solve().objective
    if best is None:
        return out, kind
    low = set(below_pass_mark(inst))
    for i in range(n):
        if designated[i]:
            z = _pinned_best(h, b, i, 0.0)
            out[i], kind[i] = (np.nan, "never_leaves") if z is None else (best - z, "leave")
        elif i in low:
            out[i], kind[i] = _raised_to_pass(inst, i, best)
        else:
            z = _pinned_best(h, b, i, 1.0)
            out[i], kind[i] = (np.nan, "never_enters") if z is None else (best - z, "enter")
    return np.round(np.maximum(out, 0.0), DIGITS), kind


def _raised_to_pass(inst: Instance, i: int, best: float) -> tuple[float, str]:
    d = inst.params.score_min - float(inst.score[i])
    score = np.asarray(inst.score, float).copy()
    score[i] = inst.params.score_min
    h, b = _stage1(dataclasses.replace(inst, score=score))
    z = _pinned_best(h, b, i, 1.0)
    if z is None:
        return np.nan, "never_enters"
    return d + max(0.0, best - z), "enter"
