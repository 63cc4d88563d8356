"""Selection benchmark: build and solve time for 38, 1,000 and 10,000 applicants, against the
obvious alternative a budget officer has today (rank by score, take whoever the rules allow).

    .venv/bin/python -m benchmarks.bench_selection [--sizes 38 1000 10000] [--repeat 3]

Synthetic applicants spread over the 19 recommending units; batch size grows with the pool
(5 for 38, n/20 beyond) with per-city and regional limits scaled alike, so every rule binds.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from fundalloc.rules.henan import CITY_REGION, REGIONS
from fundalloc.selection.instance import Instance
from fundalloc.selection.model import build_model, solve_lexicographic
from fundalloc.selection.params import SelectionParams

CITIES = list(CITY_REGION)


def instance(n: int, seed: int = 0, score_decimals: int | None = None) -> Instance:
    rng = np.random.default_rng(seed)
    city = [CITIES[i % len(CITIES)] for i in rng.permutation(n)]
    k = 5 if n <= 38 else n // 20
    params = SelectionParams(
        budget_wan=k * 330.0,
        floor_wan=200,
        cap_wan=500,
        step_wan=10,
        batch_min=k - 1,
        batch_max=k,
        city_max=max(1, math.ceil(2 * k / len(CITIES))),
        region_min={g: max(1, k // 10) for g in REGIONS},
        region_max={g: max(2, math.ceil(k * 0.45)) for g in REGIONS},
    )
    return Instance(
        ids=[f"A{i}" for i in range(n)],
        city=city,
        region=[CITY_REGION[c] for c in city],
        score=_round(rng.uniform(55, 98, n), score_decimals),
        f=rng.lognormal(0, 0.4, n),
        pinned=[""] * n,
        params=params,
        names=[""] * n,
    )


def _round(x: np.ndarray, decimals: int | None) -> np.ndarray:
    return x if decimals is None else np.round(x, decimals)


def greedy(inst: Instance) -> tuple[float, float]:
    """The spreadsheet way: fill each regional minimum with its best-scored applicants, then
    rank everyone by score and take whoever the batch, city, region and floor-budget limits
    still allow. Returns (total score, seconds)."""
    start = time.perf_counter()
    p = inst.params
    taken: set[int] = set()
    per_city: dict[str, int] = {}
    per_region: dict[str, int] = {}
    k_max = min(p.batch_max, int(p.budget_wan // p.floor_wan))
    order = np.argsort(-inst.score, kind="stable")

    def take(i) -> bool:
        c, g = inst.city[i], inst.region[i]
        if (
            i in taken
            or len(taken) >= k_max
            or per_city.get(c, 0) >= p.city_max
            or per_region.get(g, 0) >= p.region_max.get(g, 10**9)
        ):
            return False
        taken.add(i)
        per_city[c] = per_city.get(c, 0) + 1
        per_region[g] = per_region.get(g, 0) + 1
        return True

    for g in REGIONS:
        for i in order:
            if per_region.get(g, 0) >= p.region_min.get(g, 0):
                break
            if inst.region[i] == g:
                take(i)
    for i in order:
        take(i)
    return float(inst.score[sorted(taken)].sum()), time.perf_counter() - start


def run(sizes, repeat: int, decimals: int | None) -> list[dict]:
    rows = []
    for n in sizes:
        builds, solves, last = [], [], None
        for r in range(repeat):
            inst = instance(n, seed=r, score_decimals=decimals)
            t0 = time.perf_counter()
            m = build_model(inst)
            t1 = time.perf_counter()
            sol = solve_lexicographic(m, inst)
            t2 = time.perf_counter()
            builds.append(t1 - t0)
            solves.append(t2 - t1)
            last = (inst, sol)
        inst, sol = last
        g_score, g_time = greedy(inst)
        ties = next(s for s in sol.stages if s.name == "list_tied_batches").result
        rows.append(
            {
                "n": n,
                "batch": inst.params.batch_max,
                "build_s": statistics.median(builds),
                "solve_s": statistics.median(solves),
                "status": sol.status,
                "gap": sol.mip_gap,
                "score": sol.total_score,
                "greedy_score": g_score,
                "greedy_s": g_time,
                "ties": len(sol.alternatives),
                "ties_complete": sol.ties_complete,
                "ties_s": ties.seconds,
            }
        )
    return rows


def end_to_end_default() -> float:
    """The bundled scenario from file to proven optimum (no output writing)."""
    from fundalloc.core.scenario import load_scenario
    from fundalloc.selection.run import optimise

    root = Path(__file__).resolve().parents[1]
    start = time.perf_counter()
    optimise(load_scenario(root / "scenarios/henan-2025.toml"))
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[38, 1000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--decimals",
        type=int,
        nargs="+",
        default=[-1, 1],
        help="score resolutions to run; -1 = full precision (no ties in practice), "
        "1 = one decimal as assessments are usually given (ties at scale)",
    )
    a = ap.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores"
    )
    print(f"default scenario (38 applicants, file → proven optimum): {end_to_end_default():.3f} s")
    print("build = Pyomo model; solve = all stages incl. listing tied batches (median of repeats)")
    print(
        f"{'scores':>7} {'n':>6} {'batch':>5} {'build s':>8} {'solve s':>8} {'ties s':>7} "
        f"{'tied':>5} {'status':>10} {'gap':>7} {'MIP score':>10} {'greedy':>10} "
        f"{'greedy lost':>11} {'greedy s':>9}"
    )
    for d in a.decimals:
        for r in run(a.sizes, a.repeat, None if d < 0 else d):
            lost = 100 * (r["score"] - r["greedy_score"]) / r["score"]
            gap = "-" if r["gap"] is None else f"{r['gap']:.0e}"
            tied = f"{r['ties']}{'' if r['ties_complete'] else '+'}"
            print(
                f"{'full' if d < 0 else f'{d} dp':>7} {r['n']:>6} {r['batch']:>5} "
                f"{r['build_s']:>8.3f} {r['solve_s']:>8.3f} {r['ties_s']:>7.3f} {tied:>5} "
                f"{r['status']:>10} {gap:>7} {r['score']:>10.1f} {r['greedy_score']:>10.1f} "
                f"{lost:>10.2f}% {r['greedy_s']:>9.4f}"
            )


if __name__ == "__main__":
    main()
