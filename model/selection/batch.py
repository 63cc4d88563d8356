"""One batch through the lexicographic stages (stages.py), whichever build holds the model:
score, spend, tied batches, then the split — exact apportionment of each tied batch
(apportion.py) where it applies, else the deviation MIP of the build (tiers, or tied batches
not all listed on a small pool).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from fundalloc.selection.apportion import apportion_each
from fundalloc.selection.instance import Instance
from fundalloc.selection.sizing import awards_of_batch
from fundalloc.selection.stages import (
    COVERED,
    Backend,
    Lexicographic,
    Quantity,
    StageResult,
    Ties,
    overall_status,
    run_stages,
    spend_shortcut,
    weighted,
)
from fundalloc.solvers import SolveResult

# Above this many eligible applicants, tied batches that could not all be listed are not handed
# to the deviation MIP (it proves rounding optima slowly at scale): the batches found are split
# exactly instead, and the status says the search for other tied batches did not finish.
MIP_DEVIATION_MAX_N = 200


@dataclass
class Solution:
    status: str  # optimal | infeasible | time_limit | error
    stages: list[StageResult]
    designated: np.ndarray  # bool over the instance's (eligible) applicants
    award_wan: np.ndarray
    lam: float | None
    total_score: float | None
    total_award_wan: float | None
    total_deviation_wan: float | None
    # Batches as good as the chosen one on score and spending (chosen first), as index lists;
    # `ties_complete` says whether that list is all of them.
    alternatives: list[list[int]] = field(default_factory=list)
    ties_complete: bool = False

    @property
    def mip_gap(self) -> float | None:
        gaps = [s.result.mip_gap for s in self.stages if s.result.mip_gap is not None]
        return max(gaps) if gaps else None

    @property
    def solve_seconds(self) -> float:
        return sum(s.result.seconds for s in self.stages)


def no_solution(status: str, stages: list[StageResult], n: int) -> Solution:
    return Solution(
        status=status,
        stages=stages,
        designated=np.zeros(n, bool),
        award_wan=np.zeros(n),
        lam=None,
        total_score=None,
        total_award_wan=None,
        total_deviation_wan=None,
    )


def preferences(inst: Instance) -> list[tuple[str, Quantity]]:
    """The stages between score and spending: with a score tolerance band, the most regional
    groups covered; and, wherever someone scores 0, the fewest such designations — a
    designation that adds no score is never made only to spend money (issue 17: scores
    90 / 80 / 0, budget 2,000, cap 500 designates two, not three)."""
    out: list[tuple[str, Quantity]] = []
    if inst.params.score_tolerance > 0:
        out.append(("max_groups_covered", COVERED))
    zero = np.asarray(inst.score, float) <= 1e-12
    if zero.any():
        out.append(("min_zero_score_designations", weighted(-zero.astype(float))))
    return out


def fixed_split(run: Lexicographic, inst: Instance) -> list[StageResult]:
    """Modes whose awards follow from the batch (sizing.py): the first batch's awards, and the
    one rate λ that fits them best (so proportional_wan still reads as a comparison)."""
    from fundalloc.selection.check import best_fit_lambda

    x = run.batches[0]
    award = awards_of_batch(inst, x)
    if award is None:  # the MIP paid it, so the pure rule must too
        raise AssertionError(f"award_mode {inst.params.award_mode}: batch cannot be paid")
    lam = best_fit_lambda(inst.f[x], award[x])
    dev = float(np.abs(award[x] - lam * inst.f[x]).sum())
    run.split = x, award, lam, dev
    return [StageResult("awards_by_mode", SolveResult("optimal", dev, dev, 0.0, 0.0))]


def solve_batch(
    b: Backend | None,
    inst: Instance,
    warm_spend: bool = False,
    ties: Ties | None = None,
    done: Lexicographic | None = None,
) -> Solution:
    """The stages on backend `b`. Where the split needs the deviation MIP, `b.min_deviation
    (inst)` solves it, returning (result, (x, award, λ, deviation) or None); only the Pyomo
    build has it, and the highspy build is only used where it is never needed (direct.py).
    `done`: stages 1–3 already run without a backend (greedy.py); only the split is left."""
    p, n = inst.params, len(inst.ids)

    def split(run: Lexicographic) -> list[StageResult]:
        if p.award_mode not in ("proportional", "tiers"):
            return fixed_split(run, inst)
        if p.award_mode == "proportional" and (run.complete or n > MIP_DEVIATION_MAX_N):
            x, award, lam, dev, seconds = apportion_each(run.batches, inst, run.spend)
            run.split = x, award, lam, dev
            run.batches.sort(key=lambda batch: not np.array_equal(batch, x))
            return [
                StageResult(
                    "min_deviation_from_proportional",
                    SolveResult(
                        "optimal" if run.complete else "time_limit",
                        dev,
                        dev if run.complete else None,
                        0.0 if run.complete else None,
                        seconds,
                    ),
                )
            ]
        r, run.split = cast(Any, b).min_deviation(inst)  # the Pyomo build's (see above)
        if run.split is not None:
            x = run.split[0]
            run.batches = [x] + [batch for batch in run.batches if not np.array_equal(batch, x)]
        return [StageResult("min_deviation_from_proportional", r)]

    if done is not None:
        run = done
        run.stages += split(run)
    else:
        assert b is not None, "solve_batch needs a backend or the stages done"
        run = run_stages(
            b,
            float(np.abs(inst.score).max(initial=0.0)),
            p.spend_budget,
            ties or Ties(p.max_ties, p.tie_time_limit_s),
            split,
            shortcut=spend_shortcut(p),
            warm_spend=warm_spend,
            prefer=preferences(inst),
            band=p.score_tolerance,
        )
    if run.stopped is not None:
        return no_solution(run.stopped.status, run.stages, n)
    if run.split is None:
        return no_solution(run.stages[-1].result.status, run.stages, n)
    x, award, lam, dev = run.split
    return Solution(
        status=overall_status(run.stages),
        stages=run.stages,
        designated=x,
        award_wan=award,
        lam=lam,
        total_score=float(inst.score[x].sum()),
        total_award_wan=float(award.sum()),
        total_deviation_wan=dev,
        alternatives=[np.flatnonzero(batch).tolist() for batch in run.batches],
        ties_complete=run.complete,
    )
