"""Robustness of a designation to scoring noise (`fundalloc robust`, issue 17).

Each draw moves every eligible applicant's score by a normal error (sd per applicant:
robust_params.py), clipped to the score range 0–100, and solves the exact selection for it —
the same rules and stages as `select` (score, balance band, spending, split), except that tied
batches are not listed (continuous noise makes exact ties of probability 0). Per applicant:
the share of draws designating it and the distribution of its award (0 when not designated);
for the batch: `stability`, the share of draws giving exactly the batch of the given scores.

Speed: a job solves a chunk of draws on one highspy build (direct.py) and only changes the
score coefficients between draws; the rows a draw's stages add are deleted after it. Chunks
run on the executors (core/executors.py: local processes or Dask); the draws depend only on
(seed, chunk index), never on the engine or the number of workers. Tier awards need the
deviation MIP of the Pyomo build: that mode solves each draw through a new Pyomo model.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fundalloc.core.errors import InputError
from fundalloc.core.executors import Shared, cpu_count, open_executor, run_jobs
from fundalloc.core.i18n import tr
from fundalloc.core.tables import sheet_row
from fundalloc.selection.batch import Solution, solve_batch
from fundalloc.selection.direct import HighsBackend, build
from fundalloc.selection.instance import Instance
from fundalloc.selection.margins import many_small_solves
from fundalloc.selection.robust_params import RobustParams
from fundalloc.selection.stages import Ties

SCORE_RANGE = (0.0, 100.0)  # the applicant file's score column (inputs/applicants.py)


class DrawSolver:
    """One built model, re-solved for scores drawn around the given ones."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.tiers = inst.params.award_mode == "tiers"
        if not self.tiers:
            self.h, self.layout = build(inst)
            many_small_solves(self.h)
            p = inst.params
            if p.time_limit_s:
                self.h.setOptionValue("time_limit", float(p.time_limit_s))
            self.h.setOptionValue("mip_rel_gap", p.mip_rel_gap)
            self.h.setOptionValue("mip_abs_gap", 1e-9)
            self.rows = self.h.getNumRow()

    def solve(self, score: np.ndarray) -> Solution:
        inst = dataclasses.replace(self.inst, score=score)
        if self.tiers:
            from fundalloc.selection.model import build_model, solve_lexicographic

            one = dataclasses.replace(inst, params=inst.params.model_copy(update={"max_ties": 1}))
            return solve_lexicographic(build_model(one), one)
        try:
            return solve_batch(
                HighsBackend(self.h, inst, self.layout), inst, warm_spend=True, ties=Ties(0, 0.0)
            )
        finally:  # the stages' kept rows (score, balance, spending) go again
            extra = self.h.getNumRow() - self.rows
            if extra:
                self.h.deleteRows(extra, np.arange(self.rows, self.rows + extra, dtype=np.int32))


def draw_scores(score: np.ndarray, sd: np.ndarray, seed: int, chunk: int, size: int):
    """`size` draws of the scores for chunk number `chunk` (a stream of its own)."""
    rng = np.random.default_rng([seed, chunk])
    z = rng.standard_normal((size, len(score)))
    return np.clip(score[None, :] + sd[None, :] * z, *SCORE_RANGE)


def solve_chunk(shared: Shared, seed: int, chunk: int, size: int):
    """(designated, awards) of each draw of a chunk: arrays of shape (size, n)."""
    inst, sd = shared.get()
    solver = DrawSolver(inst)
    n = len(inst.ids)
    chosen, awards = np.zeros((size, n), bool), np.zeros((size, n), np.float32)
    for k, score in enumerate(draw_scores(np.asarray(inst.score, float), sd, seed, chunk, size)):
        sol = solver.solve(score)
        if sol.total_score is not None:
            chosen[k], awards[k] = sol.designated, sol.award_wan
    return chosen, awards


def score_sds(prep, rp: RobustParams) -> tuple[np.ndarray, str]:
    """Each applicant's score sd (all rows of the file) and where it came from."""
    frame, path = prep.frame, prep.path
    n = len(prep.ids)
    if rp.expert_columns:
        values = np.column_stack([_numbers(frame, c, path) for c in rp.expert_columns])
        if values.shape[1] < 2:
            raise InputError(path, "robust.expert_columns: give two expert columns or more")
        sd = values.std(axis=1, ddof=1)
        if rp.expert_reading == "standard_error":
            sd = sd / np.sqrt(values.shape[1])
        return sd, "expert_columns"
    if rp.sd_column:
        return _numbers(prep.frame, rp.sd_column, path), "sd_column"
    return np.full(n, rp.score_sd), "score_sd"


def _numbers(frame: pd.DataFrame | None, column: str, path) -> np.ndarray:
    """A column of the applicant file as numbers ≥ 0, or an error naming file, row, column."""
    if frame is None or column not in frame.columns:
        raise InputError(path, f"no column '{column}' (named in [robust])", None, column)
    values = pd.to_numeric(frame[column].replace("", np.nan), errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        i = int(bad[0])
        raise InputError(
            path,
            f"'{frame[column].iloc[i]}' is not a number ≥ 0",
            sheet_row(i),
            column,
        )
    return values


@dataclass
class RobustResult:
    chosen: np.ndarray  # (draws, n eligible) bool
    awards: np.ndarray  # (draws, n eligible) 万
    seconds: float


def run_draws(
    inst: Instance, sd: np.ndarray, rp: RobustParams, executor="local", address=None, workers=None
) -> RobustResult:
    """Every draw, in chunk order whatever the engine."""
    sizes = [min(rp.chunk, rp.draws - s) for s in range(0, rp.draws, rp.chunk)]
    shared = Shared((inst, np.asarray(sd, float)))
    jobs = [(shared, rp.seed, k, size) for k, size in enumerate(sizes)]
    parts: dict[int, tuple] = {}
    start = time.perf_counter()
    w = rp.workers if workers is None else workers
    w = min(w or cpu_count(), len(jobs)) if executor == "local" else w
    with open_executor(executor, address, w, clean=True) as ex:
        run_jobs(ex, solve_chunk, jobs, on_result=parts.__setitem__)
    chosen = np.concatenate([parts[k][0] for k in range(len(jobs))])
    awards = np.concatenate([parts[k][1] for k in range(len(jobs))])
    return RobustResult(chosen, awards, time.perf_counter() - start)


def robust_table(prep, sd_all: np.ndarray, base: np.ndarray, res: RobustResult) -> pd.DataFrame:
    """robust.csv: one row per applicant (ineligible ones: probability 0)."""
    ok = np.asarray(prep.eligible, bool)
    n_all = len(prep.ids)
    p = np.zeros(n_all)
    mean, p05, p95 = np.zeros(n_all), np.zeros(n_all), np.zeros(n_all)
    idx = np.flatnonzero(ok)
    p[idx] = res.chosen.mean(axis=0)
    a = res.awards.astype(float)
    mean[idx] = a.mean(axis=0)
    p05[idx], p95[idx] = np.percentile(a, [5, 95], axis=0)
    base_all = np.zeros(n_all, bool)
    base_all[idx] = base
    return pd.DataFrame(
        {
            "id": prep.ids,
            "name": prep.names,
            "city": prep.city,
            "region": prep.region,
            "eligible": ok,
            "score": prep.score,
            "score_sd": np.round(sd_all, 4),
            "designated": base_all,
            "p_designated": np.round(p, 4),
            "award_mean_wan": np.round(mean, 1),
            "award_p05_wan": np.round(p05, 1),
            "award_p95_wan": np.round(p95, 1),
        }
    )


def stability(ids: list[str], base: np.ndarray, chosen: np.ndarray) -> dict:
    """Share of draws giving exactly the base batch, and the commonest batches."""
    same = float((chosen == base[None, :]).all(axis=1).mean()) if len(chosen) else 0.0
    counts = Counter(tuple(np.flatnonzero(row)) for row in chosen)
    top = [
        {"designated": [ids[i] for i in batch], "share": round(c / len(chosen), 4)}
        for batch, c in counts.most_common(5)
    ]
    return {
        "stability": round(same, 4),
        "distinct_batches": len(counts),
        "draws_without_batch": int((~chosen.any(axis=1)).sum()),
        "commonest_batches": top,
    }


@dataclass
class RobustOutcome:
    table: pd.DataFrame  # robust.csv
    summary: dict  # summary.json
    select: object  # the SelectOutcome of the given scores


def robustness(scenario, applicants=None, executor="local", address=None, workers=None):
    """The draws of [robust] for a scenario, beside the batch of the given scores. The draws
    run before anything is solved in this process: a forked worker must not inherit HiGHS's
    thread pool."""
    from fundalloc.core.errors import ScenarioError
    from fundalloc.selection.params import selection_params
    from fundalloc.selection.robust_params import robust_params
    from fundalloc.selection.rulesets import ruleset_of
    from fundalloc.selection.run import optimise

    rp = robust_params(scenario)
    ruleset = ruleset_of(scenario)
    path = applicants or scenario.get("selection.applicants")
    if not path:
        raise ScenarioError(scenario.path, "selection.applicants", tr("check.no_applicant_file"))
    from pathlib import Path

    prep = ruleset.prepare(scenario, Path(path), selection_params(scenario, ruleset.regions))
    sd_all, source = score_sds(prep, rp)
    res = run_draws(prep.inst, sd_all[prep.eligible], rp, executor, address, workers)
    chosen = optimise(scenario, path, details=False)
    base = np.asarray(chosen.solution.designated, bool)
    table = robust_table(prep, sd_all, base, res)
    summary = {
        "draws": rp.draws,
        "seed": rp.seed,
        "sd_from": source,
        "score_sd": rp.score_sd if source == "score_sd" else None,
        **stability(prep.inst.ids, base, res.chosen),
        "designated": chosen.summary["designated"],
        "seconds": round(res.seconds, 3),
        "draws_per_second": round(rp.draws / max(res.seconds, 1e-9), 1),
        "executor": executor,
        "award_mode": prep.inst.params.award_mode,
        "score_tolerance": prep.inst.params.score_tolerance,
        "applicants_file": str(prep.path),
        "parameters": rp.model_dump(),
    }
    return RobustOutcome(table, summary, chosen)
