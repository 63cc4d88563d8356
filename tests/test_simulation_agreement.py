"""The Mesa model (agents.py, year by year, every firm passed to the rules engine) and the
vectorised kernel (all firms and replications at once, only firms that can earn passed) give
the same revenue and the same payments firm by firm on the same Shocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simulation_helpers import ROOT, small_world

from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.kernel import awards, next_tier, simulate
from fundalloc.simulation.model import FundModel
from fundalloc.simulation.shocks import shocks_for_run
from fundalloc.simulation.world import load_world

KEY = ["pay_year", "award", "firm", "revenue_year"]


def kernel_payments(world, shocks) -> tuple[pd.DataFrame, np.ndarray]:
    paths = simulate(world, [shocks], world.params.behaviour)
    _, paid = awards(world, paths.reported[0], paths.recognitions[0], paths.platforms[0])
    frame = pd.DataFrame(
        {
            "firm": paid.firm,
            "award": paid.award,
            "revenue_year": paid.revenue_year,
            "pay_year": paid.pay_year,
            "amount_wan": paid.amount_wan,
            "owed_wan": paid.owed_wan,
        }
    )
    # The Mesa bureau settles pay years up to the last simulated revenue year + lag.
    last = world.params.years[-1] + world.interp.pay_lag_years
    return frame[frame.pay_year <= last], paths.reported[0]


@pytest.mark.parametrize(
    "exhausted, budget", [("pro_rata", 300), ("first_come", 250), ("defer", 200)]
)
def test_mesa_and_kernel_pay_the_same_firms_the_same_amounts(tmp_path, exhausted, budget):
    # A wide size spread puts firms on every side of every tier (incl. above the top one).
    world = small_world(
        tmp_path,
        exhausted=exhausted,
        budget=budget,
        n=60,
        n_mfg=50,
        spread=1.5,
        window=0.3,
        effort=0.2,
        timing=0.1,
        applying=0.5,
    )
    seen_awards = set()
    for run in (0, 13):  # 13: second chunk, so shocks_for_run replays another stream
        shocks = shocks_for_run(run, world.pop, world.params)
        mesa = FundModel(world, shocks).run()
        k_pay, k_rev = kernel_payments(world, shocks)
        np.testing.assert_allclose(mesa.reported, k_rev, rtol=1e-12, equal_nan=True)
        m = mesa.payments_frame().sort_values(KEY).reset_index(drop=True)
        k = k_pay.sort_values(KEY).reset_index(drop=True)
        assert len(m) > 20, "too few payments for a meaningful comparison"
        np.testing.assert_array_equal(m[KEY].to_numpy(), k[KEY].to_numpy())
        np.testing.assert_allclose(m.amount_wan, k.amount_wan, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(m.owed_wan, k.owed_wan, rtol=1e-9, atol=1e-9)
        seen_awards |= set(m.award)
        # The budget binds somewhere, so the exhaustion policy is exercised.
        assert (m.amount_wan < m.owed_wan - 1e-9).any()
    assert seen_awards == {0, 1, 2, 3, 4}, f"award types exercised: {sorted(seen_awards)}"


def test_bundled_baseline_agrees_on_a_replication():
    world = load_world(load_scenario(ROOT / "scenarios/jiaxing-sim-baseline.toml"))
    shocks = shocks_for_run(3, world.pop, world.params)
    mesa = FundModel(world, shocks).run()
    k_pay, k_rev = kernel_payments(world, shocks)
    np.testing.assert_allclose(mesa.reported, k_rev, rtol=1e-12, equal_nan=True)
    m = mesa.payments_frame().sort_values(KEY).reset_index(drop=True)
    k = k_pay.sort_values(KEY).reset_index(drop=True)
    np.testing.assert_array_equal(m[KEY].to_numpy(), k[KEY].to_numpy())
    np.testing.assert_allclose(m.amount_wan, k.amount_wan, rtol=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.floats(1, 1e6), st.just(np.inf)), min_size=1, max_size=4),
    st.floats(0, 2e6),
)
def test_next_tier_is_the_smallest_tier_at_or_above(tiers, value):
    row = np.sort(np.array(tiers))[None, :]
    expected = min([t for t in tiers if t >= value], default=np.inf)
    assert next_tier(np.array([value]), row)[0] == expected


def test_mesa_model_collects_yearly_data(tmp_path):
    world = small_world(tmp_path, n=20, n_mfg=20)
    mesa = FundModel(world, shocks_for_run(0, world.pop, world.params)).run()
    frame = mesa.datacollector.get_model_vars_dataframe()
    assert list(frame.revenue_year) == list(world.params.years)
    assert (frame.firms > 0).all()
    assert np.isclose(frame.paid_wan.sum(), mesa.payments_frame().amount_wan.sum())


NEW_READINGS = [  # issue 15: each non-default choice of the added readings, with a tight budget
    ["awards.growth_window_opened_by=entitled"],
    ["awards.growth_window_start=after_grant_year"],
    ["awards.sunset=nothing_paid_after_2026"],
    ["awards.growth_award=three_after_first_qualifying"],
    ["awards.platform_cap=per_platform"],
    ["awards.recognitions_per_firm=each_matter", "awards.recognition_later_level=full"],
    ["awards.demo_and_design=highest"],
    [
        'awards.budget_wan={"市本级"=150, "嘉善县"=60}',
        'simulation.population.payer_shares={"市本级"=0.6, "嘉善县"=0.4}',
    ],
]


@pytest.mark.parametrize("sets", NEW_READINGS, ids=[" ".join(s) for s in NEW_READINGS])
def test_mesa_and_kernel_agree_under_the_new_readings(tmp_path, sets):
    # first_come makes growth_window_opened_by = paid bite: claims past the budget get nothing.
    world = small_world(
        tmp_path,
        sets=sets,
        exhausted="first_come",
        budget=250,
        n=60,
        n_mfg=50,
        spread=1.5,
        window=0.3,
        effort=0.2,
        timing=0.1,
        applying=0.5,
    )
    shocks = shocks_for_run(5, world.pop, world.params)
    mesa = FundModel(world, shocks).run()
    k_pay, _ = kernel_payments(world, shocks)
    m = mesa.payments_frame().sort_values(KEY).reset_index(drop=True)
    k = k_pay.sort_values(KEY).reset_index(drop=True)
    assert len(m) > 10
    np.testing.assert_array_equal(m[KEY].to_numpy(), k[KEY].to_numpy())
    np.testing.assert_allclose(m.amount_wan, k.amount_wan, rtol=1e-9, atol=1e-9)
    if "nothing_paid_after_2026" in sets[0]:
        assert (m.pay_year <= 2026).all()
