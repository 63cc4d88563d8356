"""Whole processes, as a person runs them: `fundalloc select` against the analyst's notebook
(notebook_select.py) at 38 (the bundled scenario) … 50,000 applicants, and `fundalloc stress`
on the five bundled scenarios. Larger pools repeat the bundled applicants (new ids, scores
jittered) with the batch, budget and limits scaled as bench_selection.py does.

    .venv/bin/python -m benchmarks.bench_process [--sizes 38 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
HENAN = ROOT / "scenarios/henan-2025.toml"
APPLICANTS = ROOT / "scenarios/data/henan_applicants_2025.csv"
FUNDALLOC = Path(sys.executable).with_name("fundalloc")
NOTEBOOK = Path(__file__).with_name("notebook_select.py")


def applicants(n: int, folder: Path) -> tuple[Path, int, list[str]]:
    """(CSV of n applicants, batch size K, --set overrides of the scenario)."""
    if n <= 38:
        return APPLICANTS, 5, []
    base = pd.read_csv(APPLICANTS, dtype={"pinned": str})
    rng = np.random.default_rng(n)
    reps = math.ceil(n / len(base))
    df = pd.concat([base] * reps, ignore_index=True).iloc[:n].copy()
    df["id"] = [f"{i}-{k}" for k, i in enumerate(df.id)]
    df["score"] = np.round(np.clip(df.score + rng.normal(0, 3, n), 50, 99.9), 1)
    df["pinned"] = ""
    path = folder / f"applicants-{n}.csv"
    df.to_csv(path, index=False)
    k = n // 20
    sets = [
        f"selection.budget_wan={330 * k}",
        f"selection.batch_min={k - 1}",
        f"selection.batch_max={k}",
        f"selection.city_max={max(1, math.ceil(2 * k / 18))}",
        f"selection.region_min={{zhengzhou={max(1, k // 10)},west={max(1, k // 10)},"
        f"south={max(1, k // 10)}}}",
        f"selection.region_max={max(2, math.ceil(0.45 * k))}",
        f"eligibility.max_applicants_per_city={n}",
    ]
    return path, k, sets


def wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
    return time.perf_counter() - t0


def select_rows(sizes: list[int], repeat: int) -> list[tuple]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            path, k, sets = applicants(n, folder)
            ours, nb = [], []
            for r in range(repeat if n <= 10000 else 1):  # interleaved: load hits both alike
                cmd = [str(FUNDALLOC), "select", str(HENAN), "--applicants", str(path)]
                cmd += [a for s in sets for a in ("--set", s)]
                ours.append(wall(cmd + ["--out", str(folder / f"run-{n}-{r}")]))
                nb.append(
                    wall([sys.executable, str(NOTEBOOK), str(path), str(folder / "nb.csv"), str(k)])
                )
            a, b = statistics.median(ours), statistics.median(nb)
            rows.append(
                (
                    "select, whole process (read … report)",
                    f"{n:,} applicants",
                    f"{a:.2f} s",
                    f"notebook {b:.2f} s",
                    f"{a / b:.2f}×",
                    "≤ 1.5× (38), ≤ 30 s (50,000)",
                )
            )
    return rows


def stress_row(runs: int, reference: Path | None = None, workers: int = 2) -> tuple:
    """`fundalloc stress` on the five bundled scenarios, whole process; with `reference` (the
    fundalloc executable of another checkout, e.g. main's) the same command there too,
    alternated in this run, so the ratio holds on a loaded machine (best of two each)."""

    def once(exe: Path, root: Path) -> float:
        with tempfile.TemporaryDirectory() as tmp:
            return wall(
                [
                    str(exe),
                    "stress",
                    str(root / "scenarios/jiaxing-sim-baseline.toml"),
                    "--runs",
                    str(runs),
                    "--workers",
                    str(workers),
                    "--out",
                    str(Path(tmp) / "s"),
                ]
            )

    if reference is None:
        sec = once(FUNDALLOC, ROOT)
        alt, ratio = "", ""
    else:
        ref_root = reference.resolve().parents[2]  # <checkout>/.venv/bin/fundalloc
        mine, theirs = [], []
        for _ in range(2):
            mine.append(once(FUNDALLOC, ROOT))
            theirs.append(once(reference, ref_root))
        sec, old = min(mine), min(theirs)
        alt, ratio = f"reference {old:.1f} s", f"{old / sec:.2f}× faster"
    return (
        "stress, five bundled scenarios, whole process",
        f"{runs:,} runs each, {workers} workers",
        f"{sec:.1f} s",
        alt,
        ratio,
        "≤ 10 s (1,000 runs)",
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[38, 1000])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    for r in select_rows(a.sizes, a.repeat):
        print(r)


if __name__ == "__main__":
    main()
