"""Several budgets from one Monte Carlo (simulation.budgets, `simulate --budgets`; issue 20,
draw once, evaluate many): each budget's row equals a run with that budget, also where the
claims depend on the budget (then simulated again, and said); bad values are refused."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.budgets import budget_frame, by_budget, with_flat_budget
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.summary import summarise
from fundalloc.simulation.world import load_world

BASELINE = "scenarios/jiaxing-sim-baseline.toml"
SMALL = ["simulation.runs=10", "simulation.workers=1"]
runner = CliRunner()


def _world(sets):
    return load_world(load_scenario(BASELINE, SMALL + sets))


def _mc(world, keep=False):
    return run_montecarlo(world, progress=False, workers=1, keep=keep)


@pytest.mark.parametrize(
    "reading, again",
    [([], False), (['awards.budget_exhausted="first_come"'], True)],
)
def test_each_budget_equals_a_run_with_that_budget(reading, again):
    world = _world(reading + ["simulation.budgets=[9000, 5000]"])
    assert world.params.budgets == (5000.0, 9000.0)  # sorted
    block = by_budget(_mc(world, keep=True), world, _mc)
    assert block["simulated_again"] == ([5000.0, 9000.0] if again else [])
    for row in block["budgets"]:
        w = with_flat_budget(world, row["budget_wan"])
        fresh = summarise(_mc(w), w)["pay_years"]
        for y, v in row["pay_years"].items():
            assert v["prob_over_budget"] == fresh[y]["prob_over_budget"], (row["budget_wan"], y)
            assert v["mean_paid_wan"] == fresh[y]["mean_paid_wan"]
    probs = [r["worst_prob_over_budget"] for r in block["budgets"]]
    assert probs[0] >= probs[1]  # more budget, no more overrun


def test_the_command_writes_the_budgets_table(tmp_path):
    out = tmp_path / "run"
    r = runner.invoke(
        app,
        [
            "simulate",
            BASELINE,
            "--runs",
            "10",
            "--workers",
            "1",
            "--budgets",
            "5000, 9000",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    table = pd.read_csv(out / "budgets.csv")
    assert list(table.columns) == [
        "budget_wan",
        "pay_year",
        "prob_over_budget",
        "mean_paid_wan",
        "mean_unpaid_wan",
    ]
    assert sorted(set(table.budget_wan)) == [5000.0, 9000.0] and len(table) == 2 * 6
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert budget_frame(summary).equals(table)
    assert (out / "by_budget.png").stat().st_size > 0
    assert (
        "By budget" in pd.ExcelFile(out / "outlay.xlsx", engine="openpyxl").sheet_names
    )  # English in tests


@pytest.mark.parametrize(
    "args, key",
    [
        (["--budgets", "5000,abc"], "--budgets"),
        (["--set", "simulation.budgets=[-1]"], "simulation.budgets"),
        (["--set", "simulation.budgets=[nan]"], "simulation.budgets"),
        (
            ["--budgets", "5000", "--set", 'awards.budget_wan={"市本级"=3000,"嘉善县"=1000}'],
            "simulation.budgets",
        ),
    ],
)
def test_a_bad_budget_list_is_refused_by_name(tmp_path, args, key):
    out = tmp_path / "run"
    r = runner.invoke(app, ["simulate", BASELINE, "--runs", "10", *args, "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert key in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_budgets_by_payer_are_refused_in_the_library_too():
    with pytest.raises(ScenarioError, match="simulation.budgets"):
        from fundalloc.commands.simulate import run_simulate

        run_simulate(
            BASELINE,
            SMALL + ["simulation.budgets=[5000]", 'awards.budget_wan={"市本级"=3000}'],
            progress=False,
        )
