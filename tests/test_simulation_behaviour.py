"""Behaviour on common random numbers: more effort (or a wider window) never lowers the number
of tier crossings, replication by replication; switching behaviour off is exactly the
counterfactual; early booking is reversed the next year."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simulation_helpers import small_world

from fundalloc.simulation.kernel import crossings, simulate
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.params import Behaviour
from fundalloc.simulation.shocks import draw_shocks


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return small_world(
        tmp_path_factory.mktemp("behaviour"),
        n=80,
        n_mfg=0,
        extra="",
        beta=0.3,
        entry=0.08,
        exit=0.05,
    )


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    low=st.floats(0.0, 0.3),
    more=st.floats(0.0, 0.3),
    window=st.floats(0.01, 0.6),
    wider=st.floats(0.0, 0.3),
)
def test_more_effort_never_lowers_crossings(world, seed, low, more, window, wider):
    rng = np.random.default_rng(seed)
    shocks = [draw_shocks(rng, world.pop, world.params) for _ in range(4)]
    base = Behaviour(effort=low, window=window)
    lo = simulate(world, shocks, base)
    c0 = crossings(world, lo.reported)
    for stronger in (
        Behaviour(effort=low + more, window=window),
        Behaviour(effort=low, window=min(window + wider, 0.9)),
    ):
        hi = simulate(world, shocks, stronger)
        assert np.all(crossings(world, hi.reported) >= c0)
        # Path by path, no firm's revenue is ever lower with more effort.
        assert np.all(np.nan_to_num(hi.true - lo.true) >= 0)


def test_effort_raises_crossings_and_off_is_the_counterfactual(world):
    rng = np.random.default_rng(5)
    shocks = [draw_shocks(rng, world.pop, world.params) for _ in range(20)]
    off = simulate(world, shocks, Behaviour())
    zero_window = simulate(world, shocks, Behaviour(effort=0.3, timing=0.1, window=0.0))
    np.testing.assert_array_equal(off.reported, zero_window.reported)  # window 0 switches off
    strong = simulate(world, shocks, Behaviour(effort=0.2, window=0.3))
    assert crossings(world, strong.reported).sum() > crossings(world, off.reported).sum()
    # Effort is real growth: true revenue never falls below the counterfactual's in 2024.
    assert np.all(np.nan_to_num(strong.true[..., 0] - off.true[..., 0]) >= 0)


def test_early_booking_is_reversed_next_year(world):
    rng = np.random.default_rng(6)
    shocks = [draw_shocks(rng, world.pop, world.params) for _ in range(10)]
    b = Behaviour(timing=0.1, window=0.2)
    paths = simulate(world, shocks, b)
    shifted = paths.reported - paths.true  # + booked early, − taken off next year
    assert (shifted > 1e-9).any()
    # Timing moves revenue between years, it creates none: over the years a firm lives through
    # 2024–2027 (its reversal year included), reported and true revenue add up the same.
    cols = slice(0, 4)
    alive = np.isfinite(paths.true[..., cols]).all(axis=-1)
    np.testing.assert_allclose(
        np.nansum(paths.reported[..., cols], -1)[alive],
        np.nansum(paths.true[..., cols], -1)[alive],
        rtol=1e-9,
    )
    # True revenue equals the behaviour-off world (timing is not effort).
    off = simulate(world, shocks, Behaviour())
    np.testing.assert_array_equal(paths.true, off.true)


def test_deadweight_and_induced_revenue(tmp_path):
    on = small_world(tmp_path, runs=20, effort=0.15, window=0.3, timing=0.0, applying=0.5)
    res = run_montecarlo(on, progress=False)
    assert np.all(res.deadweight <= res.earned + 1e-9)
    assert 0 < res.deadweight.sum() < res.earned.sum()
    assert res.induced_wan.mean() > 0
    # Growth is monotone in size, so effort never lowers any firm's later revenue: the extra
    # revenue is never negative and the later years only add to it.
    assert np.all(res.induced_wan >= -1e-6)
    assert np.all(res.induced_all_wan >= res.induced_wan - 1e-6)
    assert np.all(res.crossings[:, 0] >= res.crossings[:, 1])
    off = small_world(
        tmp_path, name="off.toml", runs=20, effort=0.0, window=0.0, timing=0.0, applying=0.0
    )
    res_off = run_montecarlo(off, progress=False)
    # Behaviour off: everything earned would have been earned anyway, nothing is induced.
    np.testing.assert_allclose(res_off.deadweight, res_off.earned)
    assert np.all(res_off.induced_wan == 0)
