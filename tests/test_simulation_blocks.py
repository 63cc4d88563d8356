"""A chunk cut into blocks of replications (montecarlo.run_blocks, for large populations)
gives every replication the numbers it gets in one pass over the whole chunk, bit for bit:
the blocks read the chunk's stream in the same order, and no replication's results depend on
the replications beside it."""

import dataclasses

import numpy as np
import pytest
from simulation_helpers import small_world

from fundalloc.core.scenario import load_scenario
from fundalloc.simulation import montecarlo
from fundalloc.simulation.montecarlo import lanes_per_block, run_montecarlo
from fundalloc.simulation.world import load_world

BASELINE = "scenarios/jiaxing-sim-baseline.toml"
TIGHT_PAID = [  # settle's year-by-year interleaving, one replication at a time
    'awards.budget_exhausted="first_come"',
    "awards.budget_wan=150",
]
PAYERS = ['simulation.population.payer_shares={"市本级"=0.5,"嘉善县"=0.3,"海宁市"=0.2}']


def _runs(world, slots: int):
    montecarlo.BLOCK_SLOTS = slots
    return run_montecarlo(world, runs=world.params.runs, progress=False, workers=1, keep=True)


def _same(a, b) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "kept":
            for u, v in zip(dataclasses.astuple(x), dataclasses.astuple(y), strict=True):
                assert np.array_equal(u, v), f.name
        elif x is None:
            assert y is None, f.name
        else:
            assert np.array_equal(x, y, equal_nan=True), f.name


def _blocks_equal_one_pass(world, monkeypatch) -> None:
    monkeypatch.setattr(montecarlo, "BLOCK_SLOTS", montecarlo.BLOCK_SLOTS)  # restored after
    whole = _runs(world, 10**12)
    assert lanes_per_block([world]) >= world.params.chunk  # one pass per chunk
    n = world.pop.n
    for lanes in (1, 3):  # 3 does not divide the chunk: a short last block
        blocked = _runs(world, lanes * n)
        assert lanes_per_block([world]) == lanes
        _same(blocked, whole)


@pytest.mark.parametrize("sets", [[], TIGHT_PAID, PAYERS])
def test_blocks_of_one_world_equal_one_pass(tmp_path, monkeypatch, sets):
    world = small_world(tmp_path, sets, runs=23)  # chunks of 10: 10, 10 and 3
    _blocks_equal_one_pass(world, monkeypatch)


def test_blocks_of_drawn_worlds_equal_one_pass(monkeypatch):
    """The bundled baseline draws its uncertain assumptions: a world per replication."""
    world = load_world(load_scenario(BASELINE, ["simulation.runs=7", "simulation.workers=1"]))
    assert world.params.assumptions
    _blocks_equal_one_pass(world, monkeypatch)


def test_a_block_holds_at_least_one_replication():
    class W:  # only the population's size matters
        class pop:
            n = 10 * montecarlo.BLOCK_SLOTS

    assert lanes_per_block([W()]) == 1


def test_freed_memory_is_kept_for_the_next_chunk_on_glibc():
    """memory.keep_freed_memory sets glibc's malloc thresholds (Linux, where CI runs); where
    the C library is another it changes nothing and says so."""
    import platform

    from fundalloc.simulation.memory import keep_freed_memory

    glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is glibc


def test_a_dask_worker_keeps_its_own_memory_trimming():
    """Dask's nanny sets the workers' trimming so the cluster sees memory handed back: a chunk
    run on a Dask worker leaves malloc as Dask set it."""
    from distributed import Client, LocalCluster

    from fundalloc.simulation.memory import keep_freed_memory

    with (
        LocalCluster(n_workers=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        assert client.submit(keep_freed_memory.__wrapped__).result() is False
