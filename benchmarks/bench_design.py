"""Benchmark of `fundalloc design` (issue 18). Run by hand:

    .venv/bin/python benchmarks/bench_design.py [--workers 2] [--runs 1000 5000] [--fresh 1000]

For each R: the design on the bundled baseline (budget 8,000 万 a year, α = 0.05, objective
closest) — the time spent simulating (scenarios once, then once more at the designed amounts
to confirm the costs per 万 did not change) and solving (HiGHS, both lexicographic stages) —
then the out-of-sample check on `--fresh` replications of a new seed, with its overrun chance
per pay year (and payer, under a budget by payer) and interval. Target: design under a minute
for R = 1,000 on 2 cores. Results and the machine's load: README "Sizing the schedule to the
budget".
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

from fundalloc.core.executors import open_executor
from fundalloc.core.scenario import load_scenario
from fundalloc.design.run import run_design
from fundalloc.design.settings import design_settings
from fundalloc.design.validate import validate
from fundalloc.simulation.world import load_world

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios/jiaxing-sim-baseline.toml"


def one(runs: int, workers: int, fresh: int, sets: list[str]) -> None:
    scenario = load_scenario(
        BASELINE,
        [f"simulation.runs={runs}", f"simulation.workers={workers}", "awards.budget_wan=8000"]
        + sets,
        reads=("awards", "simulation", "design"),
    )
    world, settings = load_world(scenario), design_settings(scenario)
    t0 = time.perf_counter()
    with open_executor("local", None, workers) as ex:
        run = run_design(world, settings, ex, scenario.path)
        total = time.perf_counter() - t0
        print(
            f"R = {runs:>5}: design {total:6.1f} s — simulating {run.sample_seconds:6.1f} s "
            f"({run.sample_seconds / total:.0%}), solving {run.solve_seconds:5.1f} s "
            f"({run.solve_seconds / total:.0%}); iterations {len(run.iterations)}, "
            f"converged {run.converged}; allowed {run.problem.allowed}"
        )
        for st in run.design.stages:
            print(
                f"    {st['stage']:<10} {st['status']:<10} obj {st['objective']} gap {st['gap']} "
                f"{st['seconds']} s"
            )
        moved = {
            ln.id: (p, a)
            for ln, p, a in zip(run.lines, run.published, run.design.amounts)
            if p != a
        }
        print(f"    scale {run.design.scale}; changed lines: {moved}")
        if fresh:
            checks = validate(world, run, ex, fresh, world.params.seed + 1)
            print(f"    out of sample ({fresh} runs, {checks['seconds']:.1f} s):")
            for y in checks["pay_years"]:
                who = "" if y["payer"] == "all" else f" {y['payer']}"
                print(
                    f"      {y['pay_year']}{who}: in {y['in_sample']:.1%}  out {y['out_of_sample']:.1%} "
                    f"[{y['ci_low']:.1%}, {y['ci_high']:.1%}]  mean {y['mean_claims_wan']:,.0f}"
                )
            binding = [c for c in checks["lines"] if c.get("binding")]
            print(
                f"    binding lines {len(binding)}; one step up out of sample: "
                + ", ".join(f"{c['line']} {c['out_of_sample_up']:.1%}" for c in binding)
            )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--fresh", type=int, default=1000)
    ap.add_argument("--set", action="append", default=[])
    a = ap.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}, workers {a.workers}"
    )
    for runs in a.runs:
        one(runs, a.workers, a.fresh if runs == a.runs[0] else 0, a.set)


if __name__ == "__main__":
    main()
