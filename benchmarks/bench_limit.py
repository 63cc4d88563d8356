"""How close `simulate` is to the machine's limit: firm-years per second of the Monte Carlo
(behaviour on, so every replication also runs its counterfactual) against a minimal kernel that
does only the essential work — one Laplace draw, the growth update, the tier check, with
behaviour on and off — in NumPy and in Numba (2 threads), against the Mesa model on the same
population, and the Monte Carlo's own year loop (batch._years on one block of replications as
the Monte Carlo runs it, behaviour on) compiled (simulation/yearloop.py) and in NumPy. A
firm-year is one firm slot living through one simulated year of one replication.

    .venv/bin/python -m benchmarks.bench_limit [--firms 1000 10000 100000] [--runs 1000]
    .venv/bin/python -m benchmarks.bench_limit --kernels [--runs 1000] [--repeat 3]
    .venv/bin/python -m benchmarks.bench_limit --memory --firms 100000 --runs 10000
    .venv/bin/python -m benchmarks.bench_limit --bundled [--runs 1000] [--repeat 3]

--kernels: `simulate` on the bundled baseline with FUNDALLOC_NUMBA=1 and =0 alternated, medians
of --repeat: the whole process on --workers 2, and its Monte Carlo alone (both passes) on one.
--memory: the Monte Carlo of --runs replications of the first --firms on --workers processes,
its time and the peak memory of all its processes together.
--bundled: the bundled baseline's own firm-years through the minimal Numba kernel (what the
limit is for that study, its drawn pass with the counterfactual and its shock-risk pass
without), beside `simulate` of the same runs as a whole process and a Python process that only
imports what `simulate` imports, medians of --repeat.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from fundalloc.core.executors import open_executor
from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.batch import _lanes, _years, draws_of
from fundalloc.simulation.lanes import reactions
from fundalloc.simulation.model import FundModel
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.shocks import chunk_seed, draw_shocks, recognition_pools, shocks_for_run
from fundalloc.simulation.world import load_world

from . import bench_simulation

SECTORS = {  # shares of the TEN_THOUSAND population
    "tech_info": 0.11,
    "logistics": 0.10,
    "business_services": 0.12,
    "wholesale_retail": 0.27,
    "manufacturing": 0.40,
}


def world_of(firms: int):
    sets = [f"simulation.population.{s}.n={max(1, round(firms * f))}" for s, f in SECTORS.items()]
    return load_world(load_scenario(bench_simulation.BASELINE, sets))


def numpy_minimal(n: int, T: int, runs: int, chunk: int = 20) -> float:
    """Seconds for the essential work of `runs` replications of n firms × T years."""
    rng = np.random.default_rng(0)
    x0 = np.log(rng.lognormal(8, 1.3, n))
    tier = np.log(np.full(n, 5000.0))
    t0 = time.perf_counter()
    for _ in range(0, runs, chunk):
        eps = rng.laplace(0.0, 1 / np.sqrt(2), (T, chunk, n))
        for effort in (0.05, 0.0):  # on, then the counterfactual
            x = np.broadcast_to(x0, (chunk, n)).copy()
            crossed = np.zeros((chunk, n), bool)
            for t in range(T):
                near = (x < tier) & (x > tier - 0.15)
                x += 0.06 + 0.25 * eps[t] + np.where(near, effort, 0.0)
                crossed |= x > tier
    return time.perf_counter() - t0


def numba_minimal(n: int, T: int, runs: int) -> float | None:
    """The same work compiled with Numba on all threads (None when numba is not installed)."""
    try:
        import numba
    except ImportError:
        return None

    @numba.njit(parallel=True, cache=True)
    def kernel(x0, tier, T, runs):  # pragma: no cover - compiled
        crossings = np.zeros(runs, np.int64)
        for r in numba.prange(runs):
            np.random.seed(r)
            c = 0
            for i in range(x0.shape[0]):
                xon = x0[i]
                xoff = x0[i]
                for _ in range(T):
                    e = np.random.laplace(0.0, 0.7071067811865476)
                    if xon < tier[i] and xon > tier[i] - 0.15:
                        xon += 0.05
                    xon += 0.06 + 0.25 * e
                    xoff += 0.06 + 0.25 * e
                    c += (xon > tier[i]) + (xoff > tier[i])
            crossings[r] = c
        return crossings

    rng = np.random.default_rng(0)
    x0 = np.log(rng.lognormal(8, 1.3, n))
    tier = np.log(np.full(n, 5000.0))
    kernel(x0[:10], tier[:10], T, 2)  # compile (or load the cache)
    t0 = time.perf_counter()
    kernel(x0, tier, T, runs)
    return time.perf_counter() - t0


def year_loop_rates(world, repeat: int = 3) -> dict[str, float]:
    """Firm-years/s of the Monte Carlo's year loop (batch._years) on one block of `world` as
    the Monte Carlo runs it (montecarlo.lanes_per_block replications of a chunk), behaviour
    on, compiled and NumPy (best of `repeat`, one core, draws made beforehand)."""
    from fundalloc.simulation.montecarlo import lanes_per_block

    p = world.params
    shocks = []
    for r in range(min(p.chunk, lanes_per_block([world]))):
        rng = np.random.default_rng(chunk_seed(p.seed, r))
        shocks.append(draw_shocks(rng, world.pop, p, recognition_pools(world.pop, p), r))
    lanes = _lanes([world] * len(shocks))
    d = draws_of(lanes, shocks)
    r = reactions([p.behaviour] * len(shocks))
    cells = d.enter.size * len(p.years)
    out = {}
    for kernel in ("numba", "numpy"):
        _years(world, lanes, d, r, kernel)  # compiled / cache loaded, memory touched
        best = np.inf
        for _ in range(repeat):
            t0 = time.perf_counter()
            _years(world, lanes, d, r, kernel)
            best = min(best, time.perf_counter() - t0)
        out[kernel] = cells / best
    return out


def mesa_rate(world) -> float:
    """Firm-years per second of the Mesa model (one replication, awards included)."""
    shocks = shocks_for_run(0, world.pop, world.params)
    t0 = time.perf_counter()
    FundModel(world, shocks).run()
    return world.pop.n * len(world.params.years) / (time.perf_counter() - t0)


def rows(firm_sizes: list[int], runs: int, workers: int = 2) -> list[tuple]:
    out = []
    for firms in firm_sizes:
        world = world_of(firms)
        n, T = world.pop.n, len(world.params.years)
        r = runs if firms <= 10_000 else max(40, runs // 10)
        with open_executor("local", workers=workers) as ex:  # started once, as a session does
            warm = 2 * workers * world.params.chunk  # imports, compiled kernel, caches
            run_montecarlo(world, runs=warm, progress=False, executor=ex)
            t0 = time.perf_counter()
            run_montecarlo(world, runs=r, progress=False, executor=ex)
            ours = n * T * r / (time.perf_counter() - t0)
        lim_np = n * T * r / numpy_minimal(n, T, r)  # one core
        nb = numba_minimal(n, T, r)
        lim_nb = None if nb is None else n * T * r / nb
        mesa = mesa_rate(world) if firms <= 10_000 else mesa_rate(world_of(10_000))
        loop = year_loop_rates(world)
        size = f"{n:,} firm slots × {T} y × {r:,}"
        out += [
            (
                "simulate Monte Carlo (with counterfactual), firm-years/s",
                size,
                f"{ours / 1e6:.1f} M/s on {workers} workers",
                "",
                "",
                "10k×1,000 ≤ 2 s",
            ),
            (
                "  minimal NumPy kernel (1 core)",
                size,
                f"{lim_np / 1e6:.1f} M/s",
                "",
                f"simulate / minimal NumPy = {ours / lim_np:.2f}",
                "",
            ),
            (
                "  minimal Numba kernel (all threads)",
                size,
                "numba not installed" if lim_nb is None else f"{lim_nb / 1e6:.1f} M/s",
                "",
                "" if lim_nb is None else f"simulate / Numba = {ours / lim_nb:.2f}",
                "≥ 0.5",
            ),
            (
                "  simulate's year loop, Numba (1 core, one block, behaviour on)",
                size,
                f"{loop['numba'] / 1e6:.1f} M/s",
                "",
                ""
                if lim_nb is None
                else f"year loop / minimal Numba = {loop['numba'] / lim_nb:.2f}",
                "",
            ),
            (
                "  simulate's year loop, NumPy _block (1 core, same block)",
                size,
                f"{loop['numpy'] / 1e6:.1f} M/s",
                "",
                f"Numba / NumPy year loop = {loop['numba'] / loop['numpy']:.2f}",
                "",
            ),
            (
                "  Mesa model (1 replication, awards incl.)",
                size if firms <= 10_000 else "10,000 firms",
                f"{mesa / 1e6:.3f} M/s",
                "",
                f"simulate / Mesa = {ours / mesa:,.0f}×",
                "≥ 100×",
            ),
        ]
    return out


def kernels(runs: int, workers: int, repeat: int) -> None:
    """`simulate` on the bundled baseline with the compiled and the NumPy year loop,
    alternated (the machine is shared: only figures taken in the same run compare), medians."""
    from pathlib import Path

    here = Path(__file__).resolve().parents[1]
    seen: dict[str, dict[str, list]] = {"whole": {}, "mc": {}}
    load = []
    for _ in range(repeat):
        for flag in ("1", "0"):
            os.environ["FUNDALLOC_NUMBA"] = flag  # the subprocesses inherit it
            load.append(os.getloadavg()[0])
            seen["whole"].setdefault(flag, []).append(
                bench_simulation.whole(here, "simulate", runs, workers)
            )
            seen["mc"].setdefault(flag, []).append(bench_simulation.mc_part(here, runs, [])[:2])
    os.environ.pop("FUNDALLOC_NUMBA")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {min(load):.1f}–{max(load):.1f}; medians of {repeat}; seconds wall / CPU"
    )
    labels = {
        "whole": f"simulate baseline, {runs:,} runs, whole process, --workers {workers}",
        "mc": f"  its Monte Carlo alone (both passes, {runs:,} runs, 1 worker)",
    }
    for part, label in labels.items():
        a = np.median(np.array(seen[part]["1"]), axis=0)
        b = np.median(np.array(seen[part]["0"]), axis=0)
        print(
            f"{label:62s} numba {a[0]:6.1f} / {a[1]:6.1f}   numpy {b[0]:6.1f} / {b[1]:6.1f}"
            f"   numpy / numba {b[0] / a[0]:4.2f}x wall {b[1] / a[1]:4.2f}x CPU"
        )


def memory(firms: int, runs: int, workers: int) -> None:
    """The Monte Carlo of `runs` replications of `firms` firms on `workers` processes: wall time
    and the peak of the resident memory of this process and its workers together (sampled
    every 0.2 s with psutil), and each process's own peak."""
    import threading

    import psutil

    world = world_of(firms)
    me = psutil.Process()
    peak, own, done = [0], {}, threading.Event()

    def sample() -> None:
        while not done.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    rss = proc.memory_info().rss
                except psutil.Error:  # ended meanwhile
                    continue
                total += rss
                own[proc.pid] = max(own.get(proc.pid, 0), rss)
            peak[0] = max(peak[0], total)
            done.wait(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    t0 = time.perf_counter()
    run_montecarlo(world, runs=runs, workers=workers, progress=True)
    wall = time.perf_counter() - t0
    done.set()
    watcher.join()
    n, T = world.pop.n, len(world.params.years)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"{firms:,} firms ({n:,} slots) × {T} y × {runs:,} runs on {workers} workers: "
        f"{wall:.0f} s ({n * T * runs / wall / 1e6:.1f} M firm-years/s), peak memory of all "
        f"processes together {peak[0] / 2**30:.2f} GiB, of one process at most "
        f"{max(own.values()) / 2**30:.2f} GiB"
    )


def bundled(runs: int, workers: int, repeat: int) -> None:
    """The issue's "bundled `simulate` of 1,000 runs ≤ 2 s" against the limit of that study:
    its firm slots × years × replications through the minimal Numba kernel (on and off per
    replication: the drawn pass; the shock-risk pass runs behaviour on only, counted as half a
    replication of the kernel), a process that only imports `simulate`'s modules, and
    `simulate` itself, medians of `repeat`."""
    import subprocess
    import sys
    from pathlib import Path

    world = load_world(load_scenario(bench_simulation.BASELINE))
    p = world.params
    n, T = world.pop.n, len(p.years)
    kernel_runs = round(runs * (1.5 if p.assumptions else 1.0))
    here = Path(__file__).resolve().parents[1]
    imports = "import fundalloc.commands.simulate, fundalloc.simulation.montecarlo, numba"
    seen: dict[str, list[float]] = {"kernel": [], "imports": [], "simulate": []}
    load = []
    for _ in range(repeat):
        load.append(os.getloadavg()[0])
        seen["kernel"].append(numba_minimal(n, T, kernel_runs) or float("nan"))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", imports], check=True, cwd=here)
        seen["imports"].append(time.perf_counter() - t0)
        seen["simulate"].append(bench_simulation.whole(here, "simulate", runs, workers)[0])
    med = {k: float(np.median(v)) for k, v in seen.items()}
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {min(load):.1f}–{max(load):.1f}; medians of {repeat}; bundled baseline: "
        f"{n:,} firm slots × {T} y × {runs:,} runs, "
        f"{'drawn pass + shock-risk pass' if p.assumptions else 'one pass'}"
    )
    print(
        f"  minimal Numba kernel on the same firm-years ({kernel_runs:,} kernel runs, "
        f"{workers} threads): {med['kernel']:.2f} s"
    )
    print(f"  a process importing simulate's modules:         {med['imports']:.2f} s")
    print(
        f"  their sum, the floor for a whole process:       {med['kernel'] + med['imports']:.2f} s"
    )
    print(
        f"  simulate, whole process, --workers {workers}:           {med['simulate']:.2f} s"
        f" ({med['simulate'] / (med['kernel'] + med['imports']):.1f}× the floor; target 2 s)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--firms", type=int, nargs="+", default=[1000, 10_000])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--kernels", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory", action="store_true")
    ap.add_argument("--bundled", action="store_true")
    a = ap.parse_args()
    if a.bundled:
        bundled(a.runs, a.workers, a.repeat)
        return
    if a.memory:
        memory(a.firms[0], a.runs, a.workers)
        return
    if a.kernels:
        kernels(a.runs, a.workers, a.repeat)
        return
    for r in rows(a.firms, a.runs, a.workers):
        print(r)


if __name__ == "__main__":
    main()
