"""Honest validation of a design: the designed schedule re-simulated on a fresh seed (out of
sample), its overrun chance per pay year beside the in-sample one with an exact binomial
(Clopper–Pearson) interval, and the lines that bind — one step more on any of them breaks the
risk in sample (and, where it does, out of sample).

The fresh replications are tabulated by line too (scenarios.sample), so the claims at the
designed amounts come from the rules engine itself and those one step up from the same linear
arithmetic the model uses (checked equal to the rules in tests/test_design.py)."""

from __future__ import annotations

import dataclasses
from concurrent.futures import Executor

import numpy as np
from scipy.stats import binomtest

from fundalloc.core.i18n import tr
from fundalloc.design.problem import Problem, claims_at, exceedances, order_pairs
from fundalloc.design.run import DesignRun, in_sample
from fundalloc.design.scenarios import sample
from fundalloc.simulation.kernel import World

CONFIDENCE = 0.95
FEW_EXCEEDANCES = 10  # below this many allowed exceedances the SAA's own risk is noisy


def interval(k: int, n: int) -> tuple[float, float]:
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=CONFIDENCE, method="exact")
    return float(ci.low), float(ci.high)


def raised(p: Problem, amounts: np.ndarray, j: int) -> np.ndarray | None:
    """The design with line j one step up, or None if that leaves its bounds or the order."""
    a = amounts.copy()
    if j == p.platform:
        up = p.plat_grid[p.plat_grid > a[j] + 1e-9]
        if not len(up):
            return None
        a[j] = up.min()
    else:
        if a[j] + p.step > p.lo[j] + p.step * p.steps[j] + 1e-9:
            return None
        a[j] += p.step
    gap = p.step if p.strict else 0.0
    if any(a[lo] + gap > a[hi] + 1e-9 for lo, hi in order_pairs(p.lines)):
        return None
    return a


def warnings_for(p: Problem) -> list[dict]:
    out = []
    if p.allowed < FEW_EXCEEDANCES:
        args = {
            "runs": p.runs,
            "level": p.alpha,
            "allowed": p.allowed,
            "need": int(np.ceil(FEW_EXCEEDANCES / p.alpha)),
        }
        out.append(
            {
                "key": "design.warn_few_runs",
                "args": args,
                "text": tr("design.warn_few_runs", **args),
            }
        )
    return out


def validate(world: World, run: DesignRun, executor: Executor, runs: int, seed: int) -> dict:
    """The out-of-sample check: per pay year (and payer) in- and out-of-sample overrun, the
    interval, and for every decided line whether one step more breaks the risk."""
    p = run.problem
    fresh = dataclasses.replace(
        world, params=dataclasses.replace(world.params, seed=seed, runs=runs)
    )
    # the fresh replications at the designed amounts, and the rules' claims at the published
    # ones: the slopes there must predict them (the claims are linear between the two)
    smp = sample(fresh, run.lines, run.design.amounts, p.plat_grid, executor, check=run.published)
    oos = dataclasses.replace(p, cost=smp.cost, plat=smp.plat)
    over = (smp.base > p.budget.T[None] + 1e-6).sum(axis=0)  # (Y, Q) from the rules' claims
    ins = in_sample(run)
    years = []
    for y, year in enumerate(smp.pay_years):
        for q in range(p.budget.shape[0]):
            lo, hi = interval(over[y, q], runs)
            years.append(
                {
                    "pay_year": int(year),
                    "payer": p.payers[q],
                    "budget_wan": float(p.budget[q, y]),
                    "in_sample": float(ins[y, q]),
                    "out_of_sample": float(over[y, q] / runs),
                    "ci_low": lo,
                    "ci_high": hi,
                    "within": bool(lo <= p.alpha),
                    "mean_claims_wan": float(smp.base[:, y, q].mean()),
                    "p95_claims_wan": float(np.quantile(smp.base[:, y, q], 0.95)),
                }
            )
    lines = []
    for j, ln in enumerate(run.lines):
        if not p.decided[j]:
            continue
        up = raised(p, run.design.amounts, j)
        if up is None:
            lines.append({"line": ln.id, "binding": False, "reason": "bound_or_order"})
            continue
        worst_in = int((exceedances(p, up) - p.allowed).max())
        oos_share = (claims_at(oos, up) > p.budget.T[None] + 1e-6).mean(axis=0)
        lines.append(
            {
                "line": ln.id,
                "binding": worst_in > 0,
                "reason": "risk" if worst_in > 0 else "slack",
                "in_sample_up": float((exceedances(p, up) / p.runs).max()),
                "out_of_sample_up": float(oos_share.max()),
                "breaks_out_of_sample": bool(oos_share.max() > p.alpha),
            }
        )
    assert smp.check is not None
    drift = float(np.abs(claims_at(oos, run.published) - smp.check).max())
    return {
        "runs": runs,
        "seed": seed,
        "confidence": CONFIDENCE,
        "pay_years": years,
        "lines": lines,
        "linear_check_max_wan": drift,
        "seconds": smp.seconds,
        "claims": smp.base,
    }
