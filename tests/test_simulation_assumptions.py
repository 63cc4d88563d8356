"""Uncertain assumptions (simulation/assumptions.py): a numeric [simulation] key given as a
distribution is checked at its centre and ends, drawn once per replication from its own stream,
and the report separates shock risk from assumption risk (issue 14)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from simulation_helpers import small_world, write_scenario
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.rules.jiaxing import AWARDS
from fundalloc.simulation.assumptions import Assumption, quantiles
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.summary import summarise
from fundalloc.simulation.uncertain import at_centre, shock_risk

COST = 'simulation.platforms.cost_median_wan={ dist = "uniform", low = 20, high = 60 }'
MU = 'simulation.growth.tech_info={ mu = { dist = "normal", mean = 0.1, sd = 0.03 }, sigma = 0.3 }'


@pytest.mark.parametrize(
    "value, key, words",
    [
        (
            'simulation.exit_rate={ dist = "beta", low = 0, high = 1 }',
            "simulation.exit_rate",
            "uniform",
        ),
        ('simulation.exit_rate={ dist = "uniform", low = 0.1 }', "simulation.exit_rate", "high"),
        (
            'simulation.exit_rate={ dist = "uniform", low = 0.2, high = 0.1 }',
            "simulation.exit_rate",
            "low < high",
        ),
        # the lowest draw would be a negative spread
        (
            'simulation.growth.logistics={ mu = 0.05, sigma = { dist = "normal", mean = 0.1, sd = 0.1 } }',
            "simulation.growth.logistics.sigma",
            "lowest draw",
        ),
        ('simulation.seed={ dist = "uniform", low = 1, high = 9 }', "simulation.seed", "cannot"),
        (
            'simulation.entry_rate={ dist = "uniform", low = 0, high = "x" }',
            "simulation.entry_rate",
            "finite",
        ),
    ],
)
def test_a_bad_distribution_stops_naming_the_dotted_key(tmp_path, value, key, words):
    with pytest.raises(ScenarioError) as err:
        load_scenario(write_scenario(tmp_path), [value])
    assert f"'{key}'" in str(err.value) and words in str(err.value)


def test_draws_follow_their_distribution_and_their_own_stream():
    tri = Assumption("population.tech_info.n", "triangular", (700, 900, 1500), integer=True)
    logn = Assumption("growth.tech_info.sigma", "lognormal", (0.3, 0.2))
    u = np.stack([quantiles([tri, logn], 5, r) for r in range(4000)])
    t = np.array([tri.value_at(x) for x in u[:, 0]])
    assert t.dtype.kind == "i" and t.min() >= 700 and t.max() <= 1500
    assert abs(t.mean() - (700 + 900 + 1500) / 3) < 8
    s = np.array([logn.value_at(x) for x in u[:, 1]])
    assert abs(np.median(s) - 0.3) < 0.01 and abs(np.log(s).std() - 0.2) < 0.01
    # Its own stream: a key's draws do not depend on the other keys.
    alone = np.array([quantiles([logn], 5, r)[0] for r in range(50)])
    np.testing.assert_array_equal(alone, u[:50, 1])


def test_centre_and_drawn_runs_face_the_same_shocks(tmp_path):
    world = small_world(tmp_path, [COST, MU])
    assert [a.key for a in world.params.assumptions] == [
        "growth.tech_info.mu",
        "platforms.cost_median_wan",
    ]
    drawn = run_montecarlo(world, runs=12, progress=False)
    centre = run_montecarlo(at_centre(world), runs=12, progress=False)
    np.testing.assert_allclose(centre.assumptions, [[0.1, 40.0]] * 12)
    assert drawn.assumptions[:, 1].std() > 5 and drawn.assumptions[:, 0].std() > 0.01
    # Only tech_info growth and platform costs differ: manufacturing recognitions are untouched.
    demo = AWARDS.index("service_mfg_demo")
    np.testing.assert_array_equal(drawn.claims[..., demo], centre.claims[..., demo])
    plat = AWARDS.index("platform")
    assert not np.array_equal(drawn.claims[..., plat], centre.claims[..., plat])
    # Results do not depend on the number of workers.
    again = run_montecarlo(world, runs=12, workers=2, progress=False)
    np.testing.assert_array_equal(again.owed, drawn.owed)


def test_simulate_reports_shock_and_assumption_risk(tmp_path):
    scenario = write_scenario(tmp_path, runs=12)
    out = tmp_path / "run"
    r = CliRunner().invoke(
        app, ["simulate", str(scenario), "--out", str(out), "--set", MU, "--workers", "1"]
    )
    assert r.exit_code == 0, r.output
    risk = json.loads((out / "summary.json").read_text(encoding="utf-8"))["assumption_risk"]
    assert risk["assumptions"][0]["key"] == "simulation.growth.tech_info.mu"
    years = risk["pay_years"]
    assert any(v["p95_drawn_wan"] != v["p95_centre_wan"] for v in years.values())
    assert "assumptions at centre" in (out / "report.html").read_text(encoding="utf-8")
    assert "assumption risk" in " ".join(r.output.split())


def test_a_form_shows_the_centre_of_a_distribution():
    from fundalloc.simulation.assumptions import centre_of

    assert centre_of({"dist": "uniform", "low": 0.0, "high": 0.1}) == pytest.approx(0.05)
    assert centre_of({"dist": "triangular", "low": 1, "mode": 2, "high": 5}) == 2
    assert centre_of(0.3) == 0.3


def test_the_shock_risk_pass_skips_the_counterfactual_and_keeps_the_outlay(tmp_path):
    """simulate's second pass (uncertain.shock_risk) runs behaviour on only: what
    assumption_risk reads from it is the full centre pass's, bit for bit."""
    world = small_world(tmp_path, [COST, MU])
    assert world.params.behaviour.active and world.params.counterfactual
    full = run_montecarlo(at_centre(world), runs=12, progress=False)
    risk = run_montecarlo(shock_risk(world), runs=12, progress=False)
    for key in ("claims", "owed", "paid", "earned", "missing_wan", "claims_payer", "paid_payer"):
        assert np.array_equal(getattr(full, key), getattr(risk, key)), key
    # the counterfactual did run in one and not in the other (deadweight = all earned)
    assert not np.array_equal(full.deadweight, risk.deadweight)
    np.testing.assert_allclose(risk.deadweight, risk.earned, rtol=1e-12)
    s_full, s_risk = summarise(full, world), summarise(risk, world)
    assert s_full["pay_years"] == s_risk["pay_years"]
    assert s_full["smallest_budget_wan"] == s_risk["smallest_budget_wan"]
