"""The compiled year loop (simulation/yearloop.py, issue 20) gives the NumPy loop's numbers bit
for bit — `true` and `reported`, NaN where a firm does not exist — on the bundled baseline, on
a chunk of drawn assumptions (lanes of different worlds and behaviours, padded), with behaviour
off, with a size exponent of 0 and with entrants; and a whole `simulate` writes the same
summary.json and outlay.csv with FUNDALLOC_NUMBA=0 and =1. Equality is tested, not assumed:
exp is NumPy's in both paths because NumPy's own SIMD exp (AVX-512 machines) and libm's differ
in the last bit, which these tests caught on an AVX-512 machine when the compiled loop called
libm."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from simulation_helpers import small_world
from test_simulation_lanes import DRAWN

from fundalloc.core.scenario import load_scenario
from fundalloc.simulation import yearloop
from fundalloc.simulation.batch import _lanes, _years, draws_of
from fundalloc.simulation.chunk_sums import by_year_true
from fundalloc.simulation.lanes import reactions
from fundalloc.simulation.params import Behaviour
from fundalloc.simulation.shocks import chunk_seed, draw_shocks, recognition_pools
from fundalloc.simulation.uncertain import draws, world_with
from fundalloc.simulation.world import load_world

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios/jiaxing-sim-baseline.toml"
MIXED = [  # a lane that pushes, one that only books, one that does nothing, one with all
    Behaviour(effort=0.1, timing=0.0, window=0.2, applying=0.0),
    Behaviour(effort=0.0, timing=0.05, window=0.2, applying=0.3),
    Behaviour(effort=0.1, timing=0.05, window=0.0, applying=0.0),
    Behaviour(effort=0.1, timing=0.05, window=0.2, applying=0.3),
]


def _chunk(worlds, behaviours):
    """A chunk's lanes, draws and reactions, as batch._paths hands them to _years."""
    shocks = []
    for r, w in enumerate(worlds):
        rng = np.random.default_rng(chunk_seed(w.params.seed, r))
        shocks.append(draw_shocks(rng, w.pop, w.params, recognition_pools(w.pop, w.params), r))
    lanes = _lanes(worlds)
    return lanes, draws_of(lanes, shocks), reactions(behaviours)


def _same(world, lanes, d, r):
    """Both loops on one chunk: bit-identical, and something existed to compare."""
    compiled = _years(world, lanes, d, r, "numba")
    plain = _years(world, lanes, d, r, "numpy")
    for a, b in zip(compiled, plain, strict=True):
        assert a.shape == b.shape
        assert np.array_equal(a, b, equal_nan=True)
        assert np.array_equal(np.isnan(a), np.isnan(b))
        ok = ~np.isnan(a)
        assert np.array_equal(a[ok].view(np.int64), b[ok].view(np.int64))  # signed zeros too
    assert np.isfinite(compiled[0]).sum() > 0
    return compiled


def test_the_compiled_loop_is_what_this_process_uses():
    import numba  # noqa: F401 - a dependency: without it this suite must say so

    expected = "numpy" if os.environ.get("FUNDALLOC_NUMBA", "1").strip() == "0" else "numba"
    assert yearloop.kernel() == expected
    assert yearloop._compiled() is not None


@pytest.mark.parametrize("on", [True, False], ids=["behaviour", "behaviour-off"])
def test_bundled_baseline_bit_for_bit(on):
    world = load_world(load_scenario(BASELINE))
    c = 6
    b = world.params.behaviour if on else Behaviour()
    lanes, d, r = _chunk([world] * c, [b] * c)
    assert d.shared is not None and d.enter.any()  # common shocks and entrants both run
    true, reported = _same(world, lanes, d, r)
    if on:  # behaviour acts: some firm reports what it did not make
        assert not np.array_equal(true, reported, equal_nan=True)
    else:
        assert np.array_equal(true, reported, equal_nan=True)


def test_drawn_assumptions_lanes_of_different_worlds_and_behaviours(tmp_path):
    world = small_world(tmp_path, DRAWN)
    worlds = [world_with(world, draws(world.params, r)) for r in range(4)]
    assert len({w.pop.n for w in worlds}) > 1  # padded to the largest
    lanes, d, r = _chunk(worlds, MIXED)
    assert lanes.n_firms is not None and np.ndim(r.push) == 2  # per-lane inputs and reactions
    true, _ = _same(worlds[0], lanes, d, r)
    for i, w in enumerate(worlds):
        assert np.isnan(true[i, w.pop.n :]).all()  # padding never exists


def test_true_revenue_summed_over_firms_as_nansum_sums_it(tmp_path):
    """chunk_sums.by_year_true compiled (yearloop.firm_sums) equals np.nansum over the firm
    axis bit for bit: one world's lanes, and padded lanes of drawn worlds (own rows only)."""
    world = small_world(tmp_path, DRAWN)
    drawn = [world_with(world, draws(world.params, r)) for r in range(4)]
    plain = small_world(tmp_path)
    for ws in ([plain] * 4, drawn):
        lanes, d, r = _chunk(ws, MIXED)
        true, _ = _years(ws[0], lanes, d, r, "numpy")
        expected = np.stack([np.nansum(true[i, : w.pop.n], axis=0) for i, w in enumerate(ws)])
        got = yearloop.sum_over_firms(true, np.array([w.pop.n for w in ws]))
        assert got is not None and got.shape == expected.shape
        assert np.array_equal(got.view(np.int64), expected.view(np.int64))
        if lanes.n_firms is None:
            assert np.array_equal(np.nansum(true, axis=1), expected)
        assert np.array_equal(by_year_true(ws, true), expected)


def test_one_world_with_lanes_that_react_differently(tmp_path):
    world = small_world(tmp_path)
    lanes, d, r = _chunk([world] * 4, MIXED)
    assert lanes.n_firms is None
    _same(world, lanes, d, r)


def test_size_exponent_zero(tmp_path):
    world = small_world(tmp_path, beta=0.0)
    assert world.params.growth.size_exponent == 0
    lanes, d, r = _chunk([world] * 5, [world.params.behaviour] * 5)
    _same(world, lanes, d, r)


def test_many_entrants_and_exits(tmp_path):
    world = small_world(tmp_path, entry=0.4, exit=0.2)
    lanes, d, r = _chunk([world] * 5, [world.params.behaviour] * 5)
    assert d.enter.sum() > 50 and d.leaves.sum() > 50
    true, _ = _same(world, lanes, d, r)
    entered = d.enter & (d.entry_t >= 0)
    assert np.isfinite(true[entered]).any()  # entrants appear in the paths


def _simulate(tmp_path: Path, numba: str) -> Path:
    out = tmp_path / f"numba-{numba}"
    env = {**os.environ, "FUNDALLOC_NUMBA": numba, "FUNDALLOC_LANG": "en"}
    cmd = [sys.executable, "-c", "from fundalloc.cli import main; main()", "simulate"]
    cmd += [str(BASELINE)]
    cmd += ["--runs", "40", "--workers", "1", "--out", str(out)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


def test_simulate_writes_the_same_results_with_and_without_numba(tmp_path):
    compiled, plain = _simulate(tmp_path, "1"), _simulate(tmp_path, "0")
    a = json.loads((compiled / "summary.json").read_text("utf-8"))
    b = json.loads((plain / "summary.json").read_text("utf-8"))
    assert a == b
    assert (compiled / "outlay.csv").read_bytes() == (plain / "outlay.csv").read_bytes()
    kernels = [json.loads((f / "manifest.json").read_text("utf-8")) for f in (compiled, plain)]
    assert [m["kernel"] for m in kernels] == ["numba", "numpy"]


def test_warm_loads_the_signature_the_simulation_calls(tmp_path):
    """warm() (run before a pool forks its workers) must load the very signature years_of
    calls: a second one would be compiled again in every worker."""
    yearloop.warm()
    stages = yearloop._compiled()
    assert set(stages) == set(yearloop.COMPILED)
    before = {k: set(f.signatures) for k, f in stages.items()}
    assert all(len(s) >= 1 for s in before.values())
    for worlds in (None, "drawn"):
        world = small_world(tmp_path, DRAWN if worlds else None)
        ws = (
            [world_with(world, draws(world.params, r)) for r in range(3)] if worlds else [world] * 3
        )
        lanes, d, r = _chunk(ws, MIXED[:3])
        true, _ = _years(ws[0], lanes, d, r, "numba")
        by_year_true(ws, true)
        assert {k: set(f.signatures) for k, f in stages.items()} == before
