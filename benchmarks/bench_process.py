"""Whole processes, as a person runs them: `fundalloc select` against the analyst's notebook
(notebook_select.py) at 38 (the bundled scenario) … 50,000 applicants, and `fundalloc stress`
on the five bundled scenarios. Larger pools repeat the bundled applicants (new ids, scores
jittered) with the batch, budget and limits scaled as bench_selection.py does.

    .venv/bin/python -m benchmarks.bench_process [--sizes 38 1000 10000 50000] [--repeat 3]
        [--against OTHER/.venv/bin/fundalloc]
    .venv/bin/python -m benchmarks.bench_process --commands [--against OTHER/.venv/bin/fundalloc]

`--commands` times the fixed cost every run pays — `select`, `evaluate`, `compare`, `awards` on
their bundled scenarios and an early error (an --out that already holds a run) — for this
checkout and, with `--against`, another one's `fundalloc`, interleaved so load hits both alike.
"""

from __future__ import annotations

import argparse
import math
import resource
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


CPU: list[float] = []  # CPU seconds (user + system) of each process `wall` ran, in order


def wall(cmd: list[str], cwd: Path | None = None, fails: bool = False) -> float:
    """Whole-process wall seconds; its CPU seconds go to CPU (on a loaded machine the CPU time
    is the steadier of the two)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    sec = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if bool(r.returncode) != fails:
        raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr[-2000:]}")
    return sec


def select_rows(sizes: list[int], repeat: int, against: Path | None = None) -> list[tuple]:
    """`select` whole process against the notebook at each size (medians of `repeat`, one run
    at 50,000), and with `against` (another checkout's fundalloc, e.g. main's) that one too,
    interleaved so load hits all alike; the ratio to the notebook beside each."""
    programs = {"this checkout": FUNDALLOC, **({"against": against} if against else {})}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            path, k, sets = applicants(n, folder)
            times: dict[str, list[float]] = {}
            cpu: dict[str, list[float]] = {}
            for r in range(repeat if n <= 10000 else 1):  # interleaved: load hits both alike
                for label, prog in programs.items():
                    cmd = [str(prog), "select", str(HENAN), "--applicants", str(path)]
                    cmd += [a for s in sets for a in ("--set", s)]
                    times.setdefault(label, []).append(
                        wall(cmd + ["--out", str(folder / f"run-{label[:4]}-{n}-{r}")])
                    )
                    cpu.setdefault(label, []).append(CPU[-1])
                nb = [sys.executable, str(NOTEBOOK), str(path), str(folder / "nb.csv"), str(k)]
                times.setdefault("notebook", []).append(wall(nb))
                cpu.setdefault("notebook", []).append(CPU[-1])
            b, bc = statistics.median(times["notebook"]), statistics.median(cpu["notebook"])
            for label in programs:
                a, ac = statistics.median(times[label]), statistics.median(cpu[label])
                rows.append(
                    (
                        f"select, whole process (read … report), {label}",
                        f"{n:,} applicants",
                        f"{a:.2f} s (CPU {ac:.2f} s)",
                        f"notebook {b:.2f} s (CPU {bc:.2f} s)",
                        f"{a / b:.2f}× (CPU {ac / bc:.2f}×)",
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


# the bundled run of each command whose fixed cost is measured (as tools/baseline.sh runs them)
COMMAND_RUNS = {
    "select": ["select", "scenarios/henan-2025.toml"],
    "evaluate": ["evaluate", "scenarios/jiangsu-benchmarks.toml"],
    "compare": [
        "compare",
        "scenarios/henan-2025.toml",
        "--batch",
        "scenarios/data/henan_proposed_batches.csv",
    ],
    "awards": ["awards", "scenarios/jiaxing-2024.toml"],
}


def command_rows(programs: dict[str, Path], repeat: int) -> list[tuple]:
    """Whole-process seconds (median of `repeat`) of each command for each program."""
    times: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        taken = Path(tmp) / "taken"
        taken.mkdir()
        (taken / "x").write_text("a run")
        for r in range(repeat):
            for cmd, args in [*COMMAND_RUNS.items(), ("select, --out taken", None)]:
                for label, prog in programs.items():
                    if args is None:
                        line = [str(prog), *COMMAND_RUNS["select"], "--out", str(taken)]
                        sec = wall(line, cwd=ROOT, fails=True)
                    else:
                        out = Path(tmp) / f"{label}-{cmd}-{r}"
                        sec = wall([str(prog), *args, "--out", str(out)], cwd=ROOT)
                    times.setdefault((cmd, label), []).append(sec)
                    cpu.setdefault((cmd, label), []).append(CPU[-1])
    return [
        (
            f"{cmd}, whole process",
            label,
            f"{statistics.median(v):.2f} s",
            f"CPU {statistics.median(cpu[key]):.2f} s",
        )
        for key, v in times.items()
        for cmd, label in [key]
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[38, 1000, 10000, 50000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--commands", action="store_true", help="fixed costs of four commands")
    ap.add_argument("--against", type=Path, help="another checkout's fundalloc, timed alongside")
    a = ap.parse_args()
    if a.commands:
        programs = {"this checkout": FUNDALLOC}
        if a.against:
            programs["against"] = a.against
        rows = command_rows(programs, a.repeat)
    else:
        rows = select_rows(a.sizes, a.repeat, a.against)
    for r in rows:
        print(r)


if __name__ == "__main__":
    main()
