"""Robustness benchmark: 1,000 score draws on the bundled Henan scenario, each solved exactly,
against solving the same draws one by one through the plain `select` path (a new Pyomo model
and the full lexicographic stages, tied batches listed, per draw).

    .venv/bin/python -m benchmarks.bench_robust [--draws 1000] [--workers 2] [--plain 20]

The plain path is timed on --plain draws and scaled to --draws (its time per draw is flat).
Target (issue 17): 1,000 draws in under 20 s on 2 cores. Run it on a quiet machine: the load
average is printed beside the numbers.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time
from pathlib import Path

import numpy as np

from fundalloc.core.scenario import load_scenario
from fundalloc.selection.model import build_model, solve_lexicographic
from fundalloc.selection.params import selection_params
from fundalloc.selection.robust import draw_scores, run_draws
from fundalloc.selection.robust_params import robust_params
from fundalloc.selection.rulesets import ruleset_of

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "henan-2025.toml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=50)
    ap.add_argument("--plain", type=int, default=20)
    a = ap.parse_args()
    s = load_scenario(SCENARIO, [f"robust.draws={a.draws}", f"robust.chunk={a.chunk}"])
    rs = ruleset_of(s)
    path = SCENARIO.parent / s.get("selection.applicants")
    prep = rs.prepare(s, path, selection_params(s, rs.regions))
    inst, rp = prep.inst, robust_params(s)
    sd = np.full(len(inst.ids), rp.score_sd)
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} before the run"
    )
    # The draws first: forked workers must not inherit a HiGHS thread pool from this process.
    res = run_draws(inst, sd, rp, workers=a.workers)
    per = res.seconds / a.draws
    print(
        f"robust: {a.draws} draws on {a.workers} workers: {res.seconds:.1f} s "
        f"({per * 1000:.1f} ms a draw)"
    )
    scores = draw_scores(np.asarray(inst.score, float), sd, rp.seed, 0, a.plain)
    start = time.perf_counter()
    for score in scores:
        one = dataclasses.replace(inst, score=score)
        solve_lexicographic(build_model(one), one)
    plain = (time.perf_counter() - start) / a.plain
    print(
        f"plain select path, one by one (1 process): {plain * 1000:.0f} ms a draw → "
        f"{plain * a.draws:.0f} s for {a.draws}; ratio {plain * a.draws / res.seconds:.1f}×"
    )
    print(f"load average {os.getloadavg()[0]:.1f} after the run")


if __name__ == "__main__":
    main()
