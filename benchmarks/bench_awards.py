"""Benchmark: payments under the Jiaxing schedule for 100,000 firms × 6 years and for
10,000 × 6 (the Monte Carlo kernel's size), for several readings. Run by hand:

    .venv/bin/python benchmarks/bench_awards.py [--repeat 20]

Times are the median of --repeat runs of `earned_awards` + `pay` (inputs already in arrays, as
in a Monte Carlo replication); the file-reading path is timed once for 100,000 firms as well.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from fundalloc.rules.jiaxing import Interpretation, earned_awards, load_policy, pay

ROOT = Path(__file__).resolve().parents[1]
POLICY = load_policy(ROOT / "scenarios/policies/jiaxing-2024-14.toml")


def population(n: int, years: np.ndarray, seed: int = 1):
    """Synthetic firms around the tier thresholds (log-normal sizes, Laplace log-growth)."""
    rng = np.random.default_rng(seed)
    sector = rng.integers(0, 5, n)
    base = np.where(sector == 3, 80_000.0, 3_000.0) * rng.lognormal(0, 0.8, n)
    growth = rng.laplace(0.08, 0.12, (n, len(years)))
    rev = base[:, None] * np.exp(np.cumsum(growth, axis=1))
    rev[rng.random(rev.shape) < 0.02] = np.nan  # gaps: unknown years
    m = n // 50  # 2 % of firms recognised
    rec = (
        rng.integers(0, n, m),
        rng.integers(2023, 2027, m),
        rng.integers(0, 2, m),
        rng.integers(0, 3, m),
    )
    k = max(n // 1000, 1)
    plat = (
        rng.integers(2024, 2027, k),
        rng.integers(100, 1000, k),
        rng.uniform(0, 0.4, k),
        rng.uniform(10, 120, k),
    )
    return rev, sector, rec, plat


def bench(n: int, interp: Interpretation, repeat: int) -> tuple[float, int, float]:
    years = np.arange(2023, 2029)
    rev, sector, rec, plat = population(n, years)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        p = pay(earned_awards(rev, years, sector, POLICY, interp, rec, plat), interp)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(p), float(p.amount_wan.sum())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    readings = {
        "defaults, unlimited budget": Interpretation(),
        "each/full/stop/each_award, unlimited": Interpretation(
            tiers_in_one_year="each",
            later_higher_tier="full",
            growth_award="stop_at_first_miss",
            growth_window_from="each_award",
            growth_with_revenue_same_year="highest",
        ),
        "budget 150,000/yr, pro_rata": Interpretation(budget_wan=150_000),
        "budget 150,000/yr, first_come": Interpretation(
            budget_wan=150_000, budget_exhausted="first_come"
        ),
        "budget 150,000/yr, defer": Interpretation(budget_wan=150_000, budget_exhausted="defer"),
    }
    for n in (10_000, 100_000):
        for name, interp in readings.items():
            scale = n / 100_000
            if interp.budget_wan is not None:  # same budget pressure at both sizes
                interp = Interpretation(**{**interp.__dict__, "budget_wan": 150_000 * scale})
            sec, rows, total = bench(n, interp, args.repeat)
            print(
                f"{n:>7,} firms x 6 years  {name:<40} {sec * 1000:8.1f} ms   "
                f"{rows:>7,} payments, {total:>12,.0f} 万"
            )

    # The command's whole path for 100,000 firms: reading the long CSV (600,000 rows) too.
    from fundalloc.inputs.firms import read_firms

    years = np.arange(2023, 2029)
    rev, sector, _, _ = population(100_000, years)
    import pandas as pd

    from fundalloc.rules.jiaxing import SECTORS

    f, t = np.nonzero(~np.isnan(rev))
    frame = pd.DataFrame(
        {
            "firm_id": [f"F{i:06d}" for i in f],
            "sector": np.asarray(SECTORS, object)[sector[f]],
            "year": years[t],
            "revenue_wan": np.round(rev[f, t], 1),
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "firms.csv"
        frame.to_csv(path, index=False)
        t0 = time.perf_counter()
        firms = read_firms(path)
        t1 = time.perf_counter()
        p = pay(
            earned_awards(firms.revenue, firms.years, firms.sector, POLICY, Interpretation()),
            Interpretation(),
        )
        t2 = time.perf_counter()
    print(
        f"read_firms on {len(frame):,} rows: {t1 - t0:.2f} s; then earned_awards + pay: "
        f"{(t2 - t1) * 1000:.0f} ms ({len(p):,} payments)"
    )


if __name__ == "__main__":
    main()
