"""Benchmark of the simulation. Run by hand:

    .venv/bin/python benchmarks/bench_simulation.py [--workers 2] [--runs 1000]

1. Agent-steps per second (a firm living through one year) of the Mesa model and of the
   vectorised kernel on the same population and the same Shocks, awards included (the Mesa
   bureau calls the rules engine every year; the kernel once per replication). Target ≥ 30×.
2. 10,000 firms × 6 years × 1,000 replications on --workers cores, behaviour on (so each
   replication also runs its behaviour-off counterfactual). Target < 20 s on 2 cores.
3. The bundled baseline, 1,000 replications, with its report written. Target < 60 s on 2 cores.

With --against CHECKOUT (e.g. /work/main) it measures this checkout beside that one instead,
alternated in one run, medians of --repeat (the machine is shared, so only ratios taken in the
same run mean anything): `simulate` on the baseline as a whole process, its Monte Carlo part (both
passes: assumptions drawn and at their centre), and firm-years/s of the Monte Carlo at 10,000
firms against the minimal NumPy kernel (bench_limit).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from fundalloc.commands.simulate import run_simulate
from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.kernel import simulate
from fundalloc.simulation.model import FundModel
from fundalloc.simulation.montecarlo import run_chunk, run_montecarlo
from fundalloc.simulation.shocks import chunk_seeds, draw_shocks, recognition_pools
from fundalloc.simulation.world import load_world

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios/jiaxing-sim-baseline.toml"
TEN_THOUSAND = [
    f"simulation.population.{s}.n={n}"
    for s, n in (
        ("tech_info", 1100),
        ("logistics", 1000),
        ("business_services", 1200),
        ("wholesale_retail", 2700),
        ("manufacturing", 4000),
    )
]


def agent_steps(world) -> tuple[float, float, int]:
    """Agent-steps/s of the Mesa model (one replication, awards every year) and of the Monte
    Carlo's run_chunk on one chunk of the same population (awards included, and — behaviour
    being on — each replication's counterfactual too, counted as the firm-years it simulates)."""
    p = world.params
    rng = np.random.default_rng(chunk_seeds(p.seed, 1)[0])
    pools = recognition_pools(world.pop, p)
    first = draw_shocks(rng, world.pop, p, pools)  # replication 0 of chunk 0 (as run_chunk)
    run_chunk(world, 0, 0, p.chunk)  # compile / load the cached kernel
    # Best of three for both engines: the first call pays for imports and cold caches.
    t_mesa = t_kernel = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        mesa = FundModel(world, first).run()
        t_mesa = min(t_mesa, time.perf_counter() - t0)
        t0 = time.perf_counter()
        run_chunk(world, 0, 0, p.chunk)  # one chunk of replications at once
        t_kernel = min(t_kernel, (time.perf_counter() - t0) / p.chunk)
    steps = int(np.isfinite(mesa.reported).sum())  # firm-years lived
    paths = simulate(world, [first], p.behaviour)
    assert np.allclose(paths.reported[0], mesa.reported, equal_nan=True, rtol=1e-12)
    runs = 2 if p.behaviour.active else 1  # the replication and its counterfactual
    return steps / t_mesa, runs * steps / t_kernel, steps


MC_PART = """
import sys, time
from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.uncertain import at_centre
from fundalloc.simulation.world import load_world
path, runs, workers, sets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
world = load_world(load_scenario(path, sets))
run_montecarlo(world, runs=2 * world.params.chunk * workers, workers=workers, progress=False)
t0, c0 = time.perf_counter(), time.process_time()
run_montecarlo(world, runs=runs, workers=workers, progress=False)
run_montecarlo(at_centre(world), runs=runs, workers=workers, progress=False)
print(time.perf_counter() - t0, time.process_time() - c0, world.pop.n, len(world.params.years))
"""


def _python(checkout: Path) -> str:
    return str(checkout / ".venv/bin/python")


def mc_part(checkout: Path, runs: int, sets: list[str]) -> tuple[float, float, int, int]:
    """(wall, CPU) seconds of both Monte Carlo passes of the baseline in `checkout` (its own
    code), in one process (--workers 1: CPU seconds are then the whole cost)."""
    out = subprocess.run(
        [_python(checkout), "-c", MC_PART, str(BASELINE), str(runs), "1", *sets],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), int(out[3])


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def whole(checkout: Path, command: str, runs: int, workers: int) -> tuple[float, float]:
    """(wall, CPU of the process and its workers) of `fundalloc <command>` on the baseline."""
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), _children_cpu()
        subprocess.run(
            [
                str(checkout / ".venv/bin/fundalloc"),
                command,
                str(BASELINE),
                "--runs",
                str(runs),
                "--workers",
                str(workers),
                "--out",
                str(Path(tmp) / "run"),
            ],
            cwd=checkout,
            capture_output=True,
            check=True,
        )
        return time.perf_counter() - t0, _children_cpu() - c0


def against(other: Path, runs: int, workers: int, repeat: int, stress_runs: int) -> None:
    """This checkout beside `other`, alternated, medians of `repeat`: wall and CPU seconds
    (on a shared machine the CPU seconds are the steadier figure)."""
    from benchmarks.bench_limit import SECTORS, numpy_minimal

    ten = [f"simulation.population.{s}.n={round(10_000 * f)}" for s, f in SECTORS.items()]
    rows: dict[str, dict[str, list[tuple[float, float]]]] = {}
    checkouts = {"this": ROOT, "against": other.resolve()}
    size = (0, 0)

    def add(label: str, name: str, value: tuple[float, float]) -> None:
        rows.setdefault(label, {}).setdefault(name, []).append(value)

    for _ in range(repeat):
        for name, root in checkouts.items():
            add(
                f"simulate baseline, {runs:,} runs, whole process",
                name,
                whole(root, "simulate", runs, workers),
            )
            add(
                f"stress, five bundled scenarios, {stress_runs:,} runs, whole process",
                name,
                whole(root, "stress", stress_runs, workers),
            )
            wall, cpu, _, _ = mc_part(root, runs, [])
            add("  simulate's Monte Carlo alone (both passes, 1 worker)", name, (wall, cpu))
            wall, cpu, n, T = mc_part(root, runs, ten)
            size = (n, T)
            add(
                f"Monte Carlo, 10,000 firms x {runs:,} runs x 2 passes (1 worker)",
                name,
                (wall, cpu),
            )
    n, T = size
    c0 = time.process_time()
    numpy_minimal(n, T, runs)
    limit = time.process_time() - c0
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}; {workers} workers for whole processes; medians of "
        f"{repeat}; seconds wall / CPU; ratio = against / this (CPU)"
    )
    for label, by in rows.items():
        a = np.median(np.array(by["this"]), axis=0)
        b = np.median(np.array(by["against"]), axis=0)
        print(
            f"{label:62s} this {a[0]:7.1f} / {a[1]:7.1f}   against {b[0]:7.1f} / {b[1]:7.1f}"
            f"   {b[1] / a[1]:5.2f}x"
        )
    fy = 2 * n * T * runs  # firm-years of both passes (each with its counterfactual)
    for name in checkouts:
        cpu = float(np.median([v[1] for v in rows[list(rows)[-1]][name]]))
        print(f"  {name}: {fy / cpu / 1e6:.1f} M firm-years per CPU-s (with counterfactual)")
    print(
        f"  minimal NumPy kernel (bench_limit), {n:,} slots x {T} y x {runs:,}: "
        f"{n * T * runs / limit / 1e6:.1f} M firm-years per CPU-s"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--against", type=Path, help="another checkout (with its .venv), e.g. main")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stress-runs", type=int, default=1000)
    args = ap.parse_args()
    if args.against:
        against(args.against, args.runs, args.workers, args.repeat, args.stress_runs)
        return
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}; workers {args.workers}"
    )

    base = load_world(load_scenario(BASELINE))
    mesa_rate, kernel_rate, steps = agent_steps(base)
    print(
        f"[1] baseline population ({base.pop.incumbent.sum():,} firms, {steps:,} agent-steps "
        f"per replication): Mesa {mesa_rate:,.0f} agent-steps/s, kernel {kernel_rate:,.0f} "
        f"agent-steps/s (awards included) -> {kernel_rate / mesa_rate:,.0f}x  [target >= 30x]"
    )

    big = load_world(load_scenario(BASELINE, TEN_THOUSAND))
    run_montecarlo(big, runs=2 * big.params.chunk, workers=args.workers, progress=False)  # warm-up
    t0 = time.perf_counter()
    res = run_montecarlo(big, runs=args.runs, workers=args.workers, progress=False)
    wall = time.perf_counter() - t0
    print(
        f"[2] {big.pop.incumbent.sum():,} firms x {len(big.params.years)} years x {res.runs:,} "
        f"replications (+ counterfactual) on {args.workers} workers: {wall:.1f} s  "
        f"[target < 20 s]"
    )

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        run_simulate(
            BASELINE, runs=args.runs, workers=args.workers, out=Path(tmp) / "run", progress=False
        )
        wall = time.perf_counter() - t0
    print(
        f"[3] bundled baseline, {args.runs:,} replications with report: {wall:.1f} s  "
        f"[target < 60 s]"
    )


if __name__ == "__main__":
    main()
