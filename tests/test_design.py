"""fundalloc design (issue 18): the costs per 万 reproduce the rules engine, the model's optimum
equals brute-force enumeration on a small instance, the designed policy file is a policy the
other commands take, and bad [design] keys stop with the key named."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from design_helpers import assert_equals_enumeration
from design_helpers import brute_force as _brute_force
from simulation_helpers import small_world, write_scenario
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.executors import open_executor
from fundalloc.design.lines import amounts_of, lines_of, policy_with
from fundalloc.design.mip import solve_design
from fundalloc.design.problem import Problem, claims_at, exceedances
from fundalloc.design.scenarios import sample
from fundalloc.rules.jiaxing import load_policy
from fundalloc.simulation.montecarlo import run_montecarlo

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


# City-wide and sector shocks and an uncertain assumption (issue 14): what `simulate` varies
SHARED_RISK = [
    "simulation.growth.common.sigma=0.08",
    "simulation.growth.sector_common.sigma=0.03",
    'simulation.exit_rate={dist="uniform", low=0.02, high=0.08}',
]


def _sample(world, amounts, grid):
    lines = lines_of(world.policy)
    with open_executor("local", None, 1) as ex:
        return lines, sample(world, lines, amounts, grid, ex)


def test_costs_per_wan_reproduce_the_rules_at_other_amounts(tmp_path):
    """Claims predicted from the per-万 costs (tabulated at the published amounts) equal the
    Monte Carlo's own claims (rules engine, same seed) under a different schedule — with the
    shocks shared between firms and an assumption drawn per replication, so the design's
    replications are the Monte Carlo's (not one common shock for all, not the centre)."""
    world = small_world(tmp_path, SHARED_RISK, runs=12)
    assert world.params.assumptions and world.params.growth.correlated
    lines = lines_of(world.policy)
    grid = np.arange(5.0, 125.0, 5.0)
    _, smp = _sample(world, amounts_of(world.policy, lines), grid)
    other = {"revenue_tier": [5, 25, 60], "growth": 15, "platform": 40}
    rec = [10, 35, 100]
    a = np.array(
        [
            other["revenue_tier"][ln.rank]
            if ln.award == "revenue_tier"
            else other.get(ln.award, rec[ln.rank])
            for ln in lines
        ],
        float,
    )
    lin = np.array([ln.award != "platform" for ln in lines])
    predicted = (smp.cost[..., lin] * a[lin]).sum(-1) + smp.plat[..., list(grid).index(40.0)]
    moved = dataclasses.replace(world, policy=policy_with(world.policy, lines, a))
    res = run_montecarlo(moved, runs=12, workers=1, progress=False)
    assert res.claims.sum() > 0
    np.testing.assert_allclose(predicted[:, :, 0], res.claims.sum(-1), atol=1e-6)


def _small_problem(tmp_path, objective="closest"):
    world = small_world(tmp_path, runs=12)
    lines = lines_of(world.policy)
    decided = np.array(
        [ln.id in ("tech_info_1", "tech_info_2", "growth", "platform") for ln in lines]
    )
    grid = np.arange(20.0, 81.0, 20.0)
    published = amounts_of(world.policy, lines)
    _, smp = _sample(world, published, grid)
    lo = np.where(decided, 5.0, published)
    lo[-1] = 20.0
    steps = np.where(decided, 5, 0)
    at_pub = (smp.cost * published).sum(-1) + smp.plat[..., 2]  # cap 60 is grid[2]
    at_lo = (smp.cost * lo).sum(-1) + smp.plat[..., 0]
    busiest = int(np.argmax(at_pub.mean(axis=(0, 2))))
    # between what the smallest and the published amounts need: the risk binds, yet can be met
    budget = float(np.quantile((at_lo + at_pub)[:, busiest, 0] / 2, 0.9))
    value = None if objective == "closest" else np.linspace(1.0, 2.0, len(lines))
    return Problem(
        lines=lines,
        decided=decided,
        lo=lo,
        steps=steps,
        step=5.0,
        cost=smp.cost,
        plat=smp.plat,
        plat_grid=grid,
        budget=np.full((1, len(smp.pay_years)), budget),
        alpha=0.1,
        published=published,
        objective=objective,
        value=value,
    )


@pytest.mark.parametrize("objective", ["closest", "induced"])
def test_small_instance_optimum_equals_brute_force(tmp_path, objective):
    p = _small_problem(tmp_path, objective)
    assert p.runs <= 12 and p.allowed == 1
    (key, _), design = _brute_force(p), solve_design(p)
    assert_equals_enumeration(p, design, key)
    # the risk binds: the published schedule itself breaks it on this budget
    assert (exceedances(p, p.published) > p.allowed).any()


def test_synthetic_instance_with_negative_costs_equals_brute_force():
    """Random costs, some negative (a top-up paid in a later year lowers it when the lower tier
    rises), three lines in order and a platform table: the model finds the enumerated optimum."""
    rng = np.random.default_rng(5)
    from fundalloc.design.lines import Line

    lines = [
        Line("a_1", "revenue_tier", "a", 0, 10.0, 1.0),
        Line("a_2", "revenue_tier", "a", 1, 20.0, 2.0),
        Line("growth", "growth", "", 0, 10.0),
        Line("platform", "platform", "", 0, 30.0),
    ]
    R, Y = 12, 3
    cost = rng.uniform(-1.0, 6.0, (R, Y, 1, 4))
    cost[..., 3] = 0.0
    grid = np.array([10.0, 20.0, 30.0, 40.0])
    plat = np.sort(rng.uniform(0, 50, (R, Y, 1, 4)), axis=-1)
    p = Problem(
        lines=lines,
        decided=np.ones(4, bool),
        lo=np.array([5.0, 5.0, 5.0, 10.0]),
        steps=np.array([7, 7, 5, 0]),
        step=5.0,
        cost=cost,
        plat=plat,
        plat_grid=grid,
        budget=np.full((1, Y), 150.0),
        alpha=0.17,
        published=np.array([10.0, 20.0, 10.0, 30.0]),
    )
    (key, _), design = _brute_force(p), solve_design(p)
    assert design.optimal
    a = design.amounts
    assert min(a / p.published) == pytest.approx(key[0], abs=1e-6)
    assert float(np.abs(a - p.published).sum()) == pytest.approx(-key[1], abs=1e-6)
    assert np.allclose(claims_at(p, a).shape, (R, Y, 1))


def test_design_command_writes_a_policy_the_other_commands_take(tmp_path, monkeypatch):
    monkeypatch.delenv("FUNDALLOC_LANG")  # the Chinese default
    scenario = write_scenario(tmp_path, runs=12, budget=300)
    out = tmp_path / "design"
    r = invoke(
        "design", scenario, "--runs", 12, "--level", 0.1, "--out", out, "--set", "design.min_wan=5"
    )
    assert r.exit_code == 0, r.output
    for name in (
        "designed-policy.toml",
        "lines.csv",
        "risk.csv",
        "design.xlsx",
        "report.html",
        "summary.json",
        "manifest.json",
        "designed_fan.png",
    ):
        assert (out / name).exists(), name
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert s["allowed_exceedances"] == 1 and s["designed_on"] == "claims"
    assert all(st["status"] == "optimal" for st in s["solver"])
    assert "样本外" in r.output and "超支概率" in r.output
    designed = load_policy(out / "designed-policy.toml")
    by_id = {ln["line"]: ln["designed_wan"] for ln in s["lines"]}
    lines = lines_of(designed)
    assert [ln.published_wan for ln in lines] == [by_id[ln.id] for ln in lines]
    assert s["validation"]["linear_check_max_wan"] < 1e-6
    sim = tmp_path / "sim"
    r2 = invoke(
        "simulate",
        scenario,
        "--runs",
        5,
        "--out",
        sim,
        "--set",
        f'awards.policy="{(out / "designed-policy.toml").as_posix()}"',
    )
    assert r2.exit_code == 0, r2.output
    manifest = json.loads((sim / "manifest.json").read_text(encoding="utf-8"))
    assert any("designed-policy.toml" in o for o in manifest["overrides"])


@pytest.mark.parametrize(
    "sets, key",
    [
        (['design.lines=["tech_info_9"]'], "design.lines"),
        (["design.min_wan={tech_info_1=0}"], "design.min_wan.tech_info_1"),
        (["design.max_wan={nope=3}"], "design.max_wan.nope"),
        (["design.objective=cheapest"], "design.objective"),
        (["design.level=0.7"], "design.level"),
    ],
)
def test_bad_design_keys_stop_with_the_key(tmp_path, sets, key):
    scenario = write_scenario(tmp_path, runs=4)
    args = ["design", scenario, "--runs", 4, "--out", tmp_path / "o"]
    for s in sets:
        args += ["--set", s]
    r = invoke(*args)
    assert r.exit_code == 2, r.output
    assert key in r.output
    assert not (tmp_path / "o").exists()


def test_no_budget_is_an_error(tmp_path):
    scenario = write_scenario(tmp_path, runs=4, budget=None)
    r = invoke("design", scenario, "--runs", 4, "--out", tmp_path / "o")
    assert r.exit_code == 2 and "awards.budget_wan" in r.output


def test_a_non_linear_reading_iterates_until_the_costs_stop_changing(tmp_path):
    """growth_with_revenue_same_year = highest keeps the larger of two awards: the slopes depend
    on the amounts, so the design re-simulates at what it found until the model's claims there
    equal the rules' (recorded per iteration); under the default readings a confirming
    re-simulation ("always") finds the model exact at once."""
    from fundalloc.core.scenario import load_scenario
    from fundalloc.design.run import run_design
    from fundalloc.design.settings import design_settings
    from fundalloc.simulation.world import load_world

    def designed(*sets):
        sc = load_scenario(
            write_scenario(tmp_path, runs=12, budget=300),
            ["design.level=0.1", *sets],
            reads=("awards", "simulation", "design"),
        )
        with open_executor("local", None, 1) as ex:
            return run_design(load_world(sc), design_settings(sc), ex, sc.path)

    plain = designed()
    assert plain.converged and len(plain.iterations) == 1
    assert plain.iterations[0]["resimulated"] is False
    confirmed = designed('design.resimulate="always"')
    assert confirmed.converged and confirmed.iterations[-1]["max_drift_wan"] == 0.0
    np.testing.assert_allclose(confirmed.design.amounts, plain.design.amounts)
    highest = designed('awards.growth_with_revenue_same_year="highest"')
    assert highest.converged, highest.iterations
    assert highest.iterations[-1]["max_drift_wan"] <= 1e-6
    assert all("max_drift_wan" in it for it in highest.iterations)


def test_the_app_lists_the_design_page():
    pytest.importorskip("solara")
    from fundalloc.app import design, main

    route = next(r for r in main.routes if r.path == "design")
    assert route.component is design.Page
