"""`fundalloc sensitivity` (simulation/sensitivity.py): the Sobol' analysis finds the assumption
that moves the outlay, gives exactly no share to one that cannot (common random numbers), and
writes its folder (issue 14)."""

from __future__ import annotations

import json

import pandas as pd
from simulation_helpers import small_world, write_scenario
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.executors import open_executor
from fundalloc.simulation.sensitivity import ranking, run_sensitivity

# The drift of the tier sectors moves every award; platform costs cannot (no platforms).
ASSUMPTIONS = [
    'simulation.growth.tech_info={ mu = { dist = "uniform", low = -0.1, high = 0.3 }, sigma = 0.3 }',
    'simulation.platforms={ n = 0, cost_median_wan = { dist = "uniform", low = 20, high = 60 } }',
]


def test_the_assumption_that_moves_the_outlay_ranks_first_and_a_dead_one_gets_nothing(tmp_path):
    world = small_world(tmp_path, ASSUMPTIONS, extra="")
    with open_executor("local", workers=1) as ex:
        result = run_sensitivity(world, samples=4, runs=10, executor=ex)
    assert len(result.points) == 4 * (2 + 2)
    top = ranking(result, "2026 mean")
    assert top.assumption[0] == "simulation.growth.tech_info.mu"
    assert top.ST[0] > 0.5
    dead = result.indices[result.indices.assumption == "simulation.platforms.cost_median_wan"]
    assert (dead.ST == 0).all() and (dead.S1 == 0).all()  # same shocks: no noise to share


def test_sensitivity_command_writes_its_folder(tmp_path):
    scenario = write_scenario(tmp_path, extra="")
    out = tmp_path / "sens"
    r = CliRunner().invoke(
        app,
        [
            "sensitivity",
            str(scenario),
            "--samples",
            "2",
            "--runs",
            "5",
            "--workers",
            "1",
            "--out",
            str(out),
            *sum((["--set", a] for a in ASSUMPTIONS), []),
        ],
    )
    assert r.exit_code == 0, r.output
    for name in (
        "sensitivity.csv",
        "points.csv",
        "summary.json",
        "tornado.png",
        "sensitivity.xlsx",
        "report.html",
        "manifest.json",
    ):
        assert (out / name).stat().st_size > 0, name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["headline"] == "2026 P95" and summary["points"] == 8
    assert {r["assumption"] for r in summary["ranking"]} == {
        "simulation.growth.tech_info.mu",
        "simulation.platforms.cost_median_wan",
    }
    points = pd.read_csv(out / "points.csv")
    assert points["simulation.growth.tech_info.mu"].between(-0.1, 0.3).all()


def test_sensitivity_without_distributions_says_what_to_declare(tmp_path):
    r = CliRunner().invoke(app, ["sensitivity", str(write_scenario(tmp_path)), "--workers", "1"])
    assert r.exit_code != 0 and "dist" in r.output
