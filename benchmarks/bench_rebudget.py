"""Draw once, evaluate many (model/simulation/rebudget.py): the budget-dependent figures of a
Monte Carlo for another budget, from the run's kept entitlements, against simulating again.
Run by hand:

    .venv/bin/python -m benchmarks.bench_rebudget [--runs 1000] [--workers 2]

Times, on the bundled baseline: the Monte Carlo with its entitlements kept (both passes: drawn
and at the centre, as `simulate` runs them), paying them again under a new budget (`rebudget`)
plus the summary, and the same Monte Carlo run again for the new budget (what the web app did
before). Checks that both give the same summary.
"""

from __future__ import annotations

import argparse
import time

from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.rebudget import rebudget
from fundalloc.simulation.summary import summarise
from fundalloc.simulation.uncertain import at_centre
from fundalloc.simulation.world import load_world

from . import bench_simulation


def both_passes(world, workers: int, keep: bool):
    res = run_montecarlo(world, progress=False, workers=workers, keep=keep)
    centre = run_montecarlo(at_centre(world), progress=False, workers=workers, keep=keep)
    return res, centre


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--budget", type=float, default=5000.0)
    a = ap.parse_args()
    sets = [f"simulation.runs={a.runs}"]
    old = load_world(load_scenario(bench_simulation.BASELINE, sets))
    new = load_world(
        load_scenario(bench_simulation.BASELINE, sets + [f"awards.budget_wan={a.budget:g}"])
    )
    t0 = time.perf_counter()
    res, centre = both_passes(old, a.workers, keep=True)
    t1 = time.perf_counter()
    again = summarise(rebudget(res, new), new), summarise(rebudget(centre, new), new)
    t2 = time.perf_counter()
    fresh_res, fresh_centre = both_passes(new, a.workers, keep=False)
    fresh = summarise(fresh_res, new), summarise(fresh_centre, new)
    t3 = time.perf_counter()
    assert again == fresh, "rebudget differs from a fresh run"
    kept = res.kept
    assert kept is not None
    size = sum(getattr(kept, f).nbytes for f in kept.__dataclass_fields__)
    print(f"runs {a.runs}, workers {a.workers}, kept rows {len(kept.run):,} ({size / 1e6:.1f} MB)")
    print(f"Monte Carlo, both passes, claims kept : {t1 - t0:7.2f} s")
    print(f"new budget from the kept claims       : {t2 - t1:7.2f} s (pay + summary, both passes)")
    print(f"new budget by simulating again        : {t3 - t2:7.2f} s")
    print(f"ratio                                 : {(t3 - t2) / (t2 - t1):7.1f}x, same summary")


if __name__ == "__main__":
    main()
