"""The lexicographic stage runner of the selection model, for every build of it: one batch in
Pyomo (model.py) or in highspy (direct.py), and the multi-batch programme (programme.py).

    1. max Σ score·x                      → keep it:  Σ score·x ≥ z1 − SCORE_TOL·max(1, max|s|)
    2. max Σ award (spend_budget)         → keep it:  Σ award ≥ z2 − SPEND_TOL, or, when the
       spend is proven without a solve (`shortcut`), the cardinality row it implies
    3. tied batches: max the Hamming distance to the batch found (0 proves it unique), then,
       if another exists, no-good cuts enumerate the others (`list_ties`)
    4. split: the caller's (the exact apportionment, or the deviation MIP, or one per year)

A backend only adds rows, sets objectives and solves (`Backend`); what a stage asks for is
named by a `Quantity` each backend writes in its own terms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from fundalloc.solvers import SolveResult

# Batches whose total score is within this absolute tolerance (× the largest score) of the best
# are treated as tied: HiGHS's own feasibility tolerances are absolute, near 1e-7.
SCORE_TOL = 1e-6
# Keeping the spend: the money found, less this (万), against round-off in HiGHS's objective.
SPEND_TOL = 1e-6


@dataclass(frozen=True)
class Quantity:
    """A linear quantity of the model: "score" Σ s_i x_i, "award" Σ award_i, "count" Σ x_i, or
    "distance" Σ_{i∈b}(1 − x_i) + Σ_{i∉b} x_i from a batch b."""

    name: str
    batch: np.ndarray | None = field(default=None, compare=False)


SCORE, AWARD, COUNT = Quantity("score"), Quantity("award"), Quantity("count")
# Σ_g covered_g, the regional groups with someone designated (needs the "covered" columns).
COVERED = Quantity("covered")


def weighted(w: np.ndarray) -> Quantity:
    """Σ_i w_i x_i (carried in `batch`): e.g. −(number of zero-score applicants designated)."""
    return Quantity("weighted", np.asarray(w, float))


def distance(batch: np.ndarray) -> Quantity:
    return Quantity("distance", batch)


class Backend(Protocol):
    def set_objective(self, what: Quantity | None) -> None:
        """Maximise `what` from now on (None: any feasible point will do)."""

    def add_row(self, what: Quantity, lower: float, name: str) -> object:
        """Add the row what ≥ lower; returns a handle for remove_row."""

    def remove_row(self, handle: Any) -> None: ...

    def solve(self, warm_start: bool = False, time_limit: float | None = None) -> SolveResult:
        """Solve from scratch, or from the last solution (`warm_start`)."""

    def batch(self) -> np.ndarray:
        """x of the last solution, as booleans."""


@dataclass
class StageResult:
    name: str
    result: SolveResult


@dataclass(frozen=True)
class Ties:
    """How stage 3 runs: list up to `limit` batches within `time_limit` s, or (`enumerate`
    False) only ask whether another batch exists, reporting that one solve as the stage."""

    limit: int
    time_limit: float
    enumerate: bool = True
    stage: str = "list_tied_batches"


@dataclass
class Lexicographic:
    stages: list[StageResult]
    stopped: SolveResult | None = None  # the stage that found nothing, if one did
    batches: list[np.ndarray] = field(default_factory=list)  # tied batches, first found first
    complete: bool = False  # the listing holds every tied batch
    spend: float | None = None  # the money of stage 2 (None: no spending stage)
    split: Any = None  # what the caller's split returned


def list_ties(
    b: Backend, first: np.ndarray, ties: Ties
) -> tuple[list[np.ndarray], bool, SolveResult, SolveResult]:
    """All batches meeting the active constraints (score and spending kept at their optimum).

    First, maximise the Hamming distance from the batch found: an integral objective whose LP
    bound is usually below 1 when the batch is unique, so uniqueness is proven at the root even
    for 10,000 applicants. If another batch exists, enumerate: each solve has a no-good cut on
    every batch found so far (up to `limit` batches, within `time_limit` s); the cuts are taken
    out again afterwards. Returns (batches, complete, listing result, distance solve)."""
    found = [first]
    b.set_objective(distance(first))
    far = r = b.solve(warm_start=True)  # the batch found is feasible, at distance 0
    seconds, complete = r.seconds, False
    if r.objective is not None and r.status == "optimal" and r.objective < 0.5:
        complete = True
    elif r.objective is not None and r.objective >= 0.5:
        found.append(b.batch())
        cuts: list[object] = []
        check = seconds
        while ties.enumerate and len(found) <= ties.limit and seconds - check < ties.time_limit:
            if not cuts:
                b.set_objective(None)
            cuts += [
                b.add_row(distance(batch), 1.0, f"cut_{k}")
                for k, batch in enumerate(found[len(cuts) :], start=len(cuts))
            ]
            r = b.solve(time_limit=max(0.1, ties.time_limit - (seconds - check)))
            seconds += r.seconds
            if r.status == "infeasible":
                complete = True
                break
            if r.objective is None:
                break
            found.append(b.batch())
        for c in cuts:
            b.remove_row(c)
    status = "optimal" if complete else "time_limit"
    listing = SolveResult(status, float(len(found)), None, None, seconds)
    return found[: ties.limit], complete, listing, far


def run_stages(
    b: Backend,
    score_scale: float,
    spend_budget: bool,
    ties: Ties,
    split: Callable[[Lexicographic], list[StageResult]],
    shortcut: Callable[[np.ndarray], tuple[SolveResult, int] | None] | None = None,
    warm_spend: bool = False,
    prefer: Sequence[tuple[str, Quantity]] = (),
    band: float = 0.0,
) -> Lexicographic:
    """Stages 1–4 on backend `b`. `score_scale` is the largest |score| (for the tolerance);
    `shortcut(batch)` may prove the spend of stage 2 without a solve, returning its result and
    the least number designated that spending it takes; `warm_spend` starts stage 2 from the
    score-optimal solution (kept per caller: which of several equally good batches HiGHS
    returns depends on it, and those choices are part of the answers users have seen).
    `split(run)` returns the stages of step 4 and sets run.split.

    `band` (selection.score_tolerance) keeps every batch within that many points of the best
    score; `prefer` are integral quantities maximised, in order, right after the score (regional
    groups covered; fewest zero-score designations) and kept at their optimum. With a band, the
    score is maximised once more after spending, so it still decides among the rest.
    `ties.limit == 0` skips the tie stage (robustness draws: continuous noise makes exact ties
    of probability 0), taking the batch found as the only one."""
    run = Lexicographic([])
    b.set_objective(SCORE)
    r = b.solve()
    run.stages.append(StageResult("max_total_score", r))
    if r.objective is None:
        run.stopped = r
        return run
    b.add_row(SCORE, r.objective - max(band, SCORE_TOL * max(1.0, score_scale)), "keep_score")
    for k, (name, what) in enumerate(prefer):
        b.set_objective(what)
        r = b.solve(warm_start=True)
        run.stages.append(StageResult(name, r))
        if r.objective is None:
            run.stopped = r
            return run
        b.add_row(what, r.objective - 0.5, f"keep_prefer_{k}")  # integral quantities

    if spend_budget:
        proven = shortcut(b.batch()) if shortcut else None
        if proven is not None:
            r, k = proven
            b.add_row(COUNT, k, "keep_spend")
        else:
            b.set_objective(AWARD)
            r = b.solve(warm_start=warm_spend)
            if r.objective is not None:
                b.add_row(AWARD, r.objective - SPEND_TOL, "keep_spend")
        run.stages.append(StageResult("max_total_award", r))
        if r.objective is None:
            run.stopped = r
            return run
        run.spend = r.objective

    if band > 0:
        b.set_objective(SCORE)
        r = b.solve(warm_start=True)
        run.stages.append(StageResult("max_total_score_in_band", r))
        if r.objective is None:
            run.stopped = r
            return run
        b.add_row(SCORE, r.objective - SCORE_TOL * max(1.0, score_scale), "keep_score_in_band")

    if ties.limit == 0:
        run.batches, run.complete = [b.batch()], True
    else:
        run.batches, run.complete, listing, far = list_ties(b, b.batch(), ties)
        run.stages.append(StageResult(ties.stage, listing if ties.enumerate else far))
    run.stages += split(run)
    return run


def overall_status(stages: list[StageResult]) -> str:
    """A single batch's status from its stages (listing ties may stop early without harm)."""
    statuses = {s.result.status for s in stages if s.name != "list_tied_batches"}
    return (
        "optimal"
        if statuses == {"optimal"}
        else ("time_limit" if "time_limit" in statuses else "error")
    )


def spend_shortcut(p) -> Callable[[np.ndarray], tuple[SolveResult, int] | None]:
    """Proportional awards, one batch: if the score-optimal batch can reach the budget (rounded
    down to the step) with awards at most the cap, no batch can spend more — proven without a
    solve. Keeping that spend is then the row Σ x_i ≥ ⌈spend / cap⌉, much easier for HiGHS
    than Σ award ≥ spend."""

    def proven(batch: np.ndarray):
        if p.award_mode != "proportional":
            return None  # other modes: the spending stage is solved
        hi = math.floor(p.cap_wan / p.step_wan + 1e-9)
        best = math.floor(p.budget_wan / p.step_wan + 1e-9) * p.step_wan
        if int(batch.sum()) * hi * p.step_wan < best - 1e-9:
            return None
        return (
            SolveResult("optimal", float(best), float(best), 0.0, 0.0),
            math.ceil(best / (hi * p.step_wan) - 1e-9),
        )

    return proven
