"""The Monte Carlo's chunk streams: chunk_seed(seed, k) is the k-th child that
chunk_seeds spawns (the shortcut must not change a single draw), and the population's cached
id strings are the ones built directly."""

import numpy as np

from fundalloc.simulation.population import _entrant_ids, _generated_ids
from fundalloc.simulation.shocks import chunk_seed, chunk_seeds


def test_chunk_seed_is_the_spawned_child():
    for seed in (0, 20240520, 2**40 + 7):
        children = chunk_seeds(seed, 45)
        for k in (0, 1, 19, 44):
            a = np.random.default_rng(children[k]).random(8)
            b = np.random.default_rng(chunk_seed(seed, k)).random(8)
            assert np.array_equal(a, b)
        assert not np.array_equal(
            np.random.default_rng(chunk_seed(seed, 1)).random(8),
            np.random.default_rng(chunk_seed(seed, 2)).random(8),
        )


def test_cached_ids_match_direct_formatting():
    assert _generated_ids("TE", 3).tolist() == ["TE00000", "TE00001", "TE00002"]
    big = _generated_ids("TE", 1500)
    assert big[1234] == "TE01234" and len(big) == 1500
    assert _generated_ids("TE", 2).tolist() == ["TE00000", "TE00001"]  # shorter after longer
    assert _entrant_ids("logistics", 2025, 12)[11] == "new-logistics-2025-11"
