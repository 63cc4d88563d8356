"""Which uncertain assumption matters: a global (Sobol') sensitivity analysis, with SALib, of
each pay year's mean and P95 outlay and of the smallest flat safe budget to the distributions
declared in [simulation] (assumptions.py).

SALib's Saltelli/Sobol' design gives N·(k+2) points in the unit cube (k assumptions; no
second-order terms); each coordinate is a quantile, turned into the key's value by the same
inverse CDF the Monte Carlo draws with (`Assumption.value_at`). At every point the same
`runs` replications run on the same random streams (common random numbers: chunk k of every
point replays chunk k's stream), so the outputs differ between points by the assumptions, not
by luck; a point whose population size differs still shares the first firms' shocks. Each point
is one job on the executors (local processes or Dask). The behaviour-off counterfactual is
skipped (it only feeds deadweight).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from fundalloc.core.executors import Shared, run_jobs
from fundalloc.core.i18n import tr
from fundalloc.simulation.kernel import World
from fundalloc.simulation.montecarlo import chunk_jobs, pay_years, run_chunk
from fundalloc.simulation.summary import smallest_budgets
from fundalloc.simulation.uncertain import world_with

DEFAULT_SAMPLES = 16  # N of the Sobol' design (a power of 2): N·(k+2) points
DEFAULT_RUNS = 40  # replications per point


@dataclass
class Sensitivity:
    names: list[str]  # dotted keys of the assumptions, e.g. simulation.growth.tech_info.mu
    outputs: list[str]  # e.g. "2026 P95", "2026 mean", "flat budget"
    points: np.ndarray  # (M, k) values of the assumptions at each point
    values: np.ndarray  # (M, outputs)
    indices: pd.DataFrame  # output, assumption, S1, S1_conf, ST, ST_conf, rank


def problem(world: World) -> dict:
    a = world.params.assumptions
    return {
        "num_vars": len(a),
        "names": [f"simulation.{x.key}" for x in a],
        "bounds": [[0.0, 1.0]] * len(a),
    }


def design(world: World, samples: int) -> np.ndarray:
    """(M, k) quantiles of the Sobol' design (deterministic for the scenario's seed)."""
    return sobol_sample.sample(
        problem(world), samples, calc_second_order=False, seed=world.params.seed
    )


def point_values(world: World, u: np.ndarray) -> dict[str, float]:
    return {a.key: a.value_at(float(x)) for a, x in zip(world.params.assumptions, u, strict=True)}


def output_names(world: World) -> list[str]:
    years = [int(y) for y in pay_years(world)]
    return [f"{y} mean" for y in years] + [f"{y} P95" for y in years] + ["flat budget"]


def run_point(world: World, u: np.ndarray, runs: int) -> np.ndarray:
    """The outputs at one point: mean and P95 of what falls due each pay year, flat budget."""
    w = _no_counterfactual(world_with(world, point_values(world, u)))
    parts = [run_chunk(w, k, start, n) for k, start, n in chunk_jobs(runs, w.params.chunk)]
    owed = np.concatenate([p["owed"] for p in parts]).sum(axis=2)  # (R, P)
    claims = np.concatenate([p["claims"] for p in parts]).sum(axis=2)
    _, flat = smallest_budgets(claims, w.params.level, w.interp.budget_exhausted == "defer")
    return np.concatenate([owed.mean(axis=0), np.quantile(owed, 0.95, axis=0), [flat]])


def _no_counterfactual(world: World) -> World:
    return replace(world, params=replace(world.params, counterfactual=False))


def _point_job(shared: Shared, u: np.ndarray, runs: int) -> np.ndarray:
    return run_point(shared.get(), u, runs)


def run_sensitivity(world: World, samples: int, runs: int, executor, on_point=None) -> Sensitivity:
    """The design, one job per point on `executor`, and SALib's Sobol' indices per output."""
    if not world.params.assumptions:
        raise ValueError("no uncertain assumption")
    u = design(world, samples)
    out = np.empty((len(u), len(output_names(world))))
    shared = Shared(world)

    def done(i: int, y: np.ndarray) -> None:
        out[i] = y
        if on_point is not None:
            on_point()

    run_jobs(executor, _point_job, [(shared, row, runs) for row in u], on_result=done)
    pr = problem(world)
    rows = []
    for j, name in enumerate(output_names(world)):
        y = out[:, j]
        if np.ptp(y) == 0:  # a constant output (e.g. a pay year nothing falls due in)
            res = {k: np.zeros(pr["num_vars"]) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            res = sobol_analyze.analyze(pr, y, calc_second_order=False, seed=world.params.seed)
        order = np.argsort(-np.asarray(res["ST"]))
        rank = np.empty(len(order), int)
        rank[order] = np.arange(1, len(order) + 1)
        for i, key in enumerate(pr["names"]):
            rows.append(
                {
                    "output": name,
                    "assumption": key,
                    "S1": float(res["S1"][i]),
                    "S1_conf": float(res["S1_conf"][i]),
                    "ST": float(res["ST"][i]),
                    "ST_conf": float(res["ST_conf"][i]),
                    "rank": int(rank[i]),
                }
            )
    points = np.array([[v for v in point_values(world, row).values()] for row in u])
    return Sensitivity(pr["names"], output_names(world), points, out, pd.DataFrame(rows))


def ranking(result: Sensitivity, output: str) -> pd.DataFrame:
    """The assumptions by their total share of the variance of one output, largest first."""
    t = result.indices[result.indices.output == output]
    return t.sort_values("ST", ascending=False).reset_index(drop=True)


def assumption_label(dotted: str) -> str:
    """An assumption as a person reads it: its declared labels (simulation.exit_rate -> 年退出率)."""
    from fundalloc.core.schema import dotted_label
    from fundalloc.simulation.settings import SimulationSettings

    return dotted_label(SimulationSettings, dotted.removeprefix("simulation."))


def tornado_chart(path, table: pd.DataFrame, title: str):
    """Horizontal bars of the total-order index (share of variance with interactions), largest
    on top, with SALib's 95 % confidence half-widths; the first-order share marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from fundalloc.core.report import register_cjk_font

    register_cjk_font()  # the labels are Chinese
    t = table.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(t) + 1.4))
    y = np.arange(len(t))
    ax.barh(y, t.ST.clip(lower=0), xerr=t.ST_conf, color="#2f6f9f", label=tr("sens.total"))
    ax.scatter(t.S1.clip(lower=0), y, color="#e69138", zorder=3, label=tr("sens.first"))
    ax.set_yticks(y, [assumption_label(a) for a in t.assumption], fontsize=8)
    ax.set_xlabel(tr("sens.axis"))
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
