"""Risk the independent firm shocks cannot show: the city-wide and sector-year shocks of
[simulation.growth.common] / [simulation.growth.sector_common] (issue 14)."""

from __future__ import annotations

import numpy as np
from simulation_helpers import ROOT, small_world
from test_simulation_agreement import KEY, kernel_payments

from fundalloc.core.scenario import load_scenario
from fundalloc.rules.jiaxing import AWARDS
from fundalloc.simulation.model import FundModel
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.shocks import shocks_for_run, year_shifts
from fundalloc.simulation.world import load_world

BASELINE = ROOT / "scenarios/jiaxing-sim-baseline.toml"
# Tier and growth awards only: behaviour, recognitions and platforms off, no budget.
PLAIN = [
    "simulation.behaviour.window=0",
    "simulation.behaviour.applying=0",
    "simulation.recognition={}",
    "simulation.platforms.n=0",
    "simulation.workers=1",
    "awards.budget_wan=1e9",
]


def _tier_growth_2026(sigma: float, runs: int) -> np.ndarray:
    sets = [
        *PLAIN,
        f"simulation.growth.common.sigma={sigma}",
        "simulation.growth.sector_common.sigma=0",
    ]
    world = load_world(load_scenario(BASELINE, sets))
    res = run_montecarlo(world, runs=runs, progress=False)
    j = list(res.pay_years).index(2026)
    cols = [AWARDS.index("revenue_tier"), AWARDS.index("growth")]
    return res.claims[:, j, cols].sum(axis=1)


def test_a_city_wide_shock_of_5_points_widens_the_2026_p95_to_1_3_to_1_6_times_the_mean():
    with_shock = _tier_growth_2026(0.05, 200)
    ratio = np.quantile(with_shock, 0.95) / with_shock.mean()
    assert 1.3 <= ratio <= 1.6, ratio
    # Without it the law of large numbers leaves almost no aggregate risk (the old figure).
    without = _tier_growth_2026(0.0, 200)
    assert np.quantile(without, 0.95) / without.mean() < 1.2
    # The mean hardly moves: the shock has mean zero (log points, so a few % either way).
    assert abs(with_shock.mean() / without.mean() - 1) < 0.06


def test_shared_shocks_leave_every_other_draw_unchanged(tmp_path):
    off = small_world(tmp_path, name="off.toml")
    on = small_world(
        tmp_path,
        ["simulation.growth.common.sigma=0.1", "simulation.growth.sector_common.sigma=0.05"],
        name="on.toml",
    )
    a, b = shocks_for_run(13, off.pop, off.params), shocks_for_run(13, on.pop, on.params)
    assert a.year_shift is None and b.year_shift is not None
    for field in ("eps", "exit_u", "entry_u", "entry_z", "rec_firm", "rec_u", "plat"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


def test_the_city_wide_shock_is_an_ar1_with_the_declared_sd_and_persistence(tmp_path):
    world = small_world(
        tmp_path, ["simulation.growth.common.sigma=0.05", "simulation.growth.common.rho=0.6"]
    )
    shifts = np.stack([year_shifts(world.params, run) for run in range(4000)])  # (R, S, T)
    assert np.allclose(shifts, shifts[:, :1, :])  # no sector shock: every sector the same
    c = shifts[:, 0, :]
    np.testing.assert_allclose(c.std(axis=0), 0.05, rtol=0.06)  # every year's sd is sigma
    lag1 = np.mean([np.corrcoef(c[:, t], c[:, t + 1])[0, 1] for t in range(c.shape[1] - 1)])
    assert abs(lag1 - 0.6) < 0.04
    # A replication's shock depends on its number only, not on the chunk it runs in.
    np.testing.assert_array_equal(year_shifts(world.params, 7), shifts[7])


def test_mesa_and_kernel_agree_with_shared_shocks(tmp_path):
    world = small_world(
        tmp_path,
        [
            "simulation.growth.common.sigma=0.1",
            "simulation.growth.common.rho=0.5",
            "simulation.growth.sector_common.sigma=0.08",
        ],
        n=50,
        spread=1.5,
    )
    shocks = shocks_for_run(11, world.pop, world.params)
    assert np.ptp(shocks.year_shift) > 0.05
    mesa = FundModel(world, shocks).run()
    k_pay, k_rev = kernel_payments(world, shocks)
    np.testing.assert_allclose(mesa.reported, k_rev, rtol=1e-12, equal_nan=True)
    m = mesa.payments_frame().sort_values(KEY).reset_index(drop=True)
    k = k_pay.sort_values(KEY).reset_index(drop=True)
    assert len(m) > 10
    np.testing.assert_array_equal(m[KEY].to_numpy(), k[KEY].to_numpy())
    np.testing.assert_allclose(m.amount_wan, k.amount_wan, rtol=1e-9)


def test_a_programme_names_its_award_and_none_is_not_paid(tmp_path):
    extra = """
[simulation.recognition]
demo = { kind = "service_mfg_demo", award = "service_mfg_demo", level = "municipal", per_year = 4 }
as_design = { kind = "service_mfg_demo", award = "industrial_design", level = "provincial", per_year = 2 }
iip = { kind = "service_mfg_demo", award = "none", level = "provincial", per_year = 10 }
"""
    world = small_world(tmp_path, extra=extra)
    assert [p.name for p in world.params.programmes] == ["demo", "as_design"]
    assert world.params.programmes[1].kind == AWARDS.index("industrial_design") - AWARDS.index(
        "service_mfg_demo"
    )
    assert world.params.unpaid == ("iip",)
    res = run_montecarlo(world, runs=10, progress=False)
    from fundalloc.simulation.summary import risk_notes, summarise

    s = summarise(res, world)
    assert s["recognition"] == {
        "paid": {"demo": "service_mfg_demo", "as_design": "industrial_design"},
        "unpaid": ["iip"],
    }
    assert any("iip" in n for n in risk_notes(s))
    # Unpaid means no money: the same world without the unpaid programme pays the same.
    plain = small_world(tmp_path, extra=extra.replace("iip = ", "# "), name="plain.toml")
    np.testing.assert_array_equal(res.owed, run_montecarlo(plain, runs=10, progress=False).owed)


def test_the_bundled_baseline_pays_only_demonstration_and_design_recognitions():
    world = load_world(load_scenario(BASELINE))
    assert set(world.params.unpaid) == {
        "industrial_internet",
        "supply_chain",
        "energy_saving",
        "testing",
    }
    assert world.params.programmes and all(
        AWARDS[AWARDS.index("service_mfg_demo") + p.kind]
        in ("service_mfg_demo", "industrial_design")
        for p in world.params.programmes
    )
