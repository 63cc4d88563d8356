"""Replications as a batch (issue 20): a chunk's replications with worlds of their own (uncertain
assumptions: drawn drifts, exit rate, effort, population size) run through one kernel call,
padded to the largest population, and give every number the one-replication-at-a-time path
gives, bit for bit; the counterfactual shares the chunk's draws; world_with builds the same
world as a full validation of the drawn [simulation] table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from simulation_helpers import small_world

from fundalloc.core.schema import read
from fundalloc.simulation.assumptions import with_values
from fundalloc.simulation.batch import simulate_lanes, simulate_pair
from fundalloc.simulation.kernel import simulate
from fundalloc.simulation.montecarlo import run_chunk
from fundalloc.simulation.params import Behaviour, SimulationSettings, params_from
from fundalloc.simulation.population import population_from
from fundalloc.simulation.shocks import chunk_seed, draw_shocks, recognition_pools
from fundalloc.simulation.uncertain import at_centre, draws, run_drawn_chunk, world_with

DRAWN = [
    'simulation.population.business_services={ n = { dist = "uniform", low = 30, high = 90 },'
    " median_wan = 1200, sigma = 0.9 }",
    'simulation.growth.tech_info={ mu = { dist = "uniform", low = 0.0, high = 0.2 }, sigma = 0.3 }',
    'simulation.exit_rate={ dist = "uniform", low = 0.02, high = 0.1 }',
    'simulation.behaviour.effort={ dist = "uniform", low = 0.0, high = 0.2 }',
    'simulation.growth.common={ sigma = { dist = "uniform", low = 0.0, high = 0.08 }, rho = 0.3 }',
]


def _one_by_one(world, start: int, count: int) -> dict:
    """Each replication on its own: its world, its stream, one kernel call (the old path)."""
    p = world.params
    parts = []
    for r in range(start, start + count):
        values = draws(p, r)
        part = run_chunk(world_with(world, values), r, r, 1)
        part["assumptions"] = np.array([[values[a.key] for a in p.assumptions]])
        parts.append(part)
    return {k: np.concatenate([d[k] for d in parts]) for k in parts[0] if k != "start"}


def _bits(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    return a.view(np.int64) if a.dtype == np.float64 else a


def test_a_drawn_chunk_is_bit_for_bit_the_replications_one_by_one(tmp_path):
    world = small_world(tmp_path, DRAWN)
    sizes = {world_with(world, draws(world.params, r)).pop.n for r in range(6)}
    assert len(sizes) > 1  # populations of different sizes: the batch pads
    batch = run_drawn_chunk(world, 0, 0, 6)
    alone = _one_by_one(world, 0, 6)
    assert set(batch) - {"start"} == set(alone)
    for key, v in alone.items():
        assert batch[key].shape == v.shape, key
        assert np.array_equal(_bits(batch[key]), _bits(v)), key
    assert batch["earned"].std() > 0  # something was earned and it varies


def test_the_centre_pass_is_one_batch_and_unchanged(tmp_path):
    world = at_centre(small_world(tmp_path, DRAWN))
    batch = run_drawn_chunk(world, 0, 3, 5)
    alone = _one_by_one(world, 3, 5)
    for key, v in alone.items():
        assert np.array_equal(_bits(batch[key]), _bits(v)), key


def test_lanes_of_different_worlds_and_behaviours_match_each_alone(tmp_path):
    world = small_world(tmp_path, DRAWN)
    worlds = [world_with(world, draws(world.params, r)) for r in range(4)]
    # a lane that pushes, one that only books, one that does nothing, one with all
    behaviours = [
        Behaviour(effort=0.1, timing=0.0, window=0.2, applying=0.0),
        Behaviour(effort=0.0, timing=0.05, window=0.2, applying=0.3),
        Behaviour(effort=0.1, timing=0.05, window=0.0, applying=0.0),
        Behaviour(effort=0.1, timing=0.05, window=0.2, applying=0.3),
    ]
    shocks = []
    for r, w in enumerate(worlds):
        rng = np.random.default_rng(chunk_seed(w.params.seed, r))
        shocks.append(draw_shocks(rng, w.pop, w.params, recognition_pools(w.pop, w.params), r))
    lanes = simulate_lanes(worlds, shocks, behaviours)
    assert lanes.true.shape[1] == max(w.pop.n for w in worlds)
    for i, (w, s, b) in enumerate(zip(worlds, shocks, behaviours, strict=True)):
        alone = simulate(w, [s], b)
        n = w.pop.n
        assert np.array_equal(_bits(lanes.true[i, :n]), _bits(alone.true[0]))
        assert np.array_equal(_bits(lanes.reported[i, :n]), _bits(alone.reported[0]))
        assert np.isnan(lanes.true[i, n:]).all()  # padding never exists
        for a, b2 in zip(lanes.recognitions[i], alone.recognitions[0], strict=True):
            assert np.array_equal(a, b2)


def test_the_counterfactual_shares_the_draws_and_is_unchanged(tmp_path):
    world = small_world(tmp_path)
    rng = np.random.default_rng(3)
    pools = recognition_pools(world.pop, world.params)
    shocks = [draw_shocks(rng, world.pop, world.params, pools, run=i) for i in range(5)]
    on, off = simulate_pair([world] * 5, shocks, [True] * 5)
    on1 = simulate(world, shocks, world.params.behaviour)
    off1 = simulate(world, shocks, Behaviour())
    for a, b in ((on.true, on1.true), (on.reported, on1.reported), (off.true, off1.true)):
        assert np.array_equal(_bits(a), _bits(b))
    assert np.array_equal(_bits(off.reported), _bits(off1.reported))
    assert not np.array_equal(on.reported, off.reported, equal_nan=True)  # behaviour acts


def test_world_with_builds_the_world_a_full_validation_builds(tmp_path):
    world = small_world(tmp_path, DRAWN)
    p = world.params
    for r in range(3):
        values = draws(p, r)
        fast = world_with(world, values)
        s = read(
            SimulationSettings, with_values(p.base, values), prefix="simulation", source=p.source
        )
        slow = replace(
            params_from(s, world.policy),
            runs=p.runs,
            seed=p.seed,
            workers=p.workers,
            assumptions=(),
            base=None,
        )
        assert fast.params == slow
        pop = population_from(s, p.source, replace(slow, growth=p.growth), world.thresholds)
        assert np.array_equal(fast.pop.history, pop.history, equal_nan=True)
        assert np.array_equal(fast.pop.sector, pop.sector)
        assert np.array_equal(fast.pop.entry_p, pop.entry_p)
