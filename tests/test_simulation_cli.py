"""`fundalloc simulate` and `fundalloc stress`: files and keys of the data contract, options
reaching the scenario, bad input stopping with the key or cell named and nothing written."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from simulation_helpers import ROOT, write_scenario
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import InputError
from fundalloc.core.scenario import load_scenario
from fundalloc.rules.jiaxing import AWARDS
from fundalloc.simulation.world import load_world

runner = CliRunner()
STATS = {"mean_wan", "p50_wan", "p95_wan", "p99_wan", "prob_over_budget"}


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_simulate_writes_the_contract(tmp_path, monkeypatch):
    monkeypatch.delenv("FUNDALLOC_LANG")  # this test checks the Chinese default
    scenario = write_scenario(tmp_path, runs=25)
    out = tmp_path / "run"
    r = invoke("simulate", scenario, "--runs", 24, "--seed", 3, "--budget-wan", 350, "--out", out)
    assert r.exit_code == 0, r.output
    for name in ("outlay.csv", "summary.json", "manifest.json", "report.html", "outlay_fan.png"):
        assert (out / name).stat().st_size > 0, name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    outlay = pd.read_csv(out / "outlay.csv")
    assert manifest["seed"] == 3 and manifest["command"] == "simulate"
    assert summary["runs"] == 24
    assert list(outlay.columns[:4]) == ["run", "pay_year", "award", "amount_wan"]
    years = [str(y) for y in range(2025, 2031)]
    assert len(outlay) == 24 * len(years) * len(AWARDS)
    assert list(summary["pay_years"]) == years
    for y in years:
        s = summary["pay_years"][y]
        assert STATS <= set(s) and s["budget_wan"] == 350
        totals = outlay[outlay.pay_year == int(y)].groupby("run").amount_wan.sum()
        assert s["mean_wan"] == pytest.approx(totals.mean(), abs=0.01)
        assert s["prob_over_budget"] == pytest.approx((totals > 350).mean())
        assert s["p50_wan"] <= s["p95_wan"] <= s["p99_wan"]
        for a in AWARDS:
            assert STATS <= set(summary["by_award"][a][y])
    assert {"deadweight", "induced_revenue", "smallest_budget_wan"} <= set(summary)
    assert f"结果:{out}" in r.output.replace("\n", "")  # Chinese by default


def test_budget_by_pay_year_and_a_reading_via_set(tmp_path):
    scenario = write_scenario(tmp_path, runs=10)
    out = tmp_path / "run"
    r = invoke(
        "simulate",
        scenario,
        "--out",
        out,
        "--set",
        "awards.budget_wan={2025=100,2026=900}",
        "--set",
        "awards.budget_exhausted=defer",
    )
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert s["pay_years"]["2025"]["budget_wan"] == 100
    assert s["pay_years"]["2027"]["budget_wan"] is None  # unlisted year: unlimited
    assert s["pay_years"]["2027"]["prob_over_budget"] is None
    assert s["interpretation"]["budget_exhausted"] == "defer"
    # Under defer, 2025's shortfall is carried: 2026 owes more than its new claims.
    assert s["pay_years"]["2026"]["mean_wan"] > s["pay_years"]["2026"]["mean_claims_wan"]


@pytest.mark.parametrize(
    "setting, key",
    [
        ("simulation.growth.family=cauchy", "simulation.growth.family"),
        ("simulation.behaviour.efort=0.1", "simulation.behaviour.efort"),
        ("simulation.exit_rate=-0.1", "simulation.exit_rate"),
        ("simulation.population.tech_info.n=2.5", "simulation.population.tech_info.n"),
        ("awards.budget_exhausted=never", "awards.budget_exhausted"),
    ],
)
def test_bad_key_stops_and_writes_nothing(tmp_path, setting, key):
    scenario = write_scenario(tmp_path, runs=5)
    out = tmp_path / "run"
    r = invoke("simulate", scenario, "--out", out, "--set", setting)
    assert r.exit_code == 2
    assert key in r.output
    assert not out.exists() and not list(tmp_path.glob(".run*"))


def test_a_run_never_overwrites_another(tmp_path):
    scenario = write_scenario(tmp_path, runs=5)
    out = tmp_path / "run"
    assert invoke("simulate", scenario, "--out", out).exit_code == 0
    before = (out / "summary.json").read_bytes()
    r = invoke("simulate", scenario, "--out", out, "--seed", 99)
    assert r.exit_code == 2 and "already holds a run" in r.output
    assert (out / "summary.json").read_bytes() == before


def test_stress_side_by_side(tmp_path):
    base = write_scenario(tmp_path, name="base.toml", runs=12)
    hot = tmp_path / "hot.toml"
    hot.write_text(
        'extends = "base.toml"\n[simulation.growth]\ntech_info = { mu = 0.3, sigma = 0.3 }\n'
        "business_services = { mu = 0.3, sigma = 0.3 }\n",
        encoding="utf-8",
    )
    out = tmp_path / "stress"
    r = invoke("stress", base, hot, "--out", out, "--level", 0.1)
    assert r.exit_code == 0, r.output
    table = pd.read_csv(out / "stress.csv")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(table.scenario.unique()) == ["base", "hot"]
    assert len(table) == 2 * 6 and summary["level"] == 0.1
    for name in ("stress_p95.png", "stress_overrun.png", "report.html", "manifest.json"):
        assert (out / name).stat().st_size > 0
    p95 = table.pivot(index="scenario", columns="pay_year", values="p95_wan")
    assert p95.loc["hot", 2025] > p95.loc["base", 2025]  # faster growth, more crossings


def test_bundled_stress_scenarios_load(tmp_path):
    base = load_scenario(ROOT / "scenarios/jiaxing-sim-baseline.toml")
    listed = base.get("stress.scenarios")
    assert len(listed) == 4
    for name in listed:
        sc = load_scenario(ROOT / "scenarios" / name)
        assert sc.get("awards.policy") and sc.get("simulation.population")


def test_firm_table_instead_of_generated_population(tmp_path):
    rows = [
        ("a1", "tech_info", 2022, 1500),
        ("a1", "tech_info", 2023, 1800),
        ("b1", "wholesale_retail", 2023, 45000),
        ("c1", "manufacturing", 2023, 9000),
    ]
    firms = tmp_path / "firms.csv"
    pd.DataFrame(rows, columns=["firm_id", "sector", "year", "revenue_wan"]).to_csv(
        firms, index=False
    )
    scenario = write_scenario(tmp_path, runs=5)
    world = load_world(load_scenario(scenario, [f"simulation.firms={firms}"]))
    inc = world.pop.incumbent
    assert list(world.pop.ids[inc]) == ["a1", "b1", "c1"]
    assert world.pop.history_years == (2022, 2023)
    assert np.isnan(world.pop.history[1, 0]) and world.pop.history[0, 1] == 1800
    # The generated population is ignored when a firm table is given.
    assert inc.sum() == 3

    bad = tmp_path / "bad.csv"
    pd.DataFrame(
        [("a1", "tech_info", 2023, 10), ("z9", "mining", 2023, 5)],
        columns=["firm_id", "sector", "year", "revenue_wan"],
    ).to_csv(bad, index=False)
    with pytest.raises(InputError) as info:
        load_world(load_scenario(scenario, [f"simulation.firms={bad}"]))
    assert info.value.row == 3 and info.value.column == "sector"
    out = tmp_path / "never"
    r = invoke("simulate", scenario, "--out", out, "--set", f"simulation.firms={bad}")
    assert r.exit_code == 2 and "row 3" in r.output and not out.exists()
