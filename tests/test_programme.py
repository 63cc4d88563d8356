"""`fundalloc plan`: the multi-batch programme as one model."""

import dataclasses
import itertools
import json

import numpy as np
import pyomo.environ as pyo
import pytest
from selection_helpers import random_instance, structurally_feasible
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import InfeasibleError, ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.rules.henan import REGIONS
from fundalloc.selection.check import count_violations
from fundalloc.selection.levels import cheapest_awards_wan
from fundalloc.selection.programme import ProgrammeParams, build_programme, solve_programme
from fundalloc.solvers import solve
from fundalloc.solvers.highs import make_solver

HENAN = "scenarios/henan-2025.toml"


@pytest.fixture(scope="module")
def henan_plan():
    return solve_programme(load_scenario(HENAN))


def _chosen(plan):
    return {
        y: [plan.instances[y].ids[i] for i in np.flatnonzero(plan.designated[y])]
        for y in plan.params.years
    }


def test_nobody_designated_twice_and_every_yearly_rule_holds(henan_plan):
    plan, gp = henan_plan, henan_plan.params
    assert plan.status == "optimal"
    ids = [i for y in gp.years for i in _chosen(plan)[y]]
    assert len(ids) == len(set(ids))
    assert gp.total_min <= len(ids) <= gp.total_max
    for y in gp.years:
        inst, x, a = plan.instances[y], plan.designated[y], plan.awards[y]
        assert a[x].sum() <= gp.budget_wan[y] + 1e-6  # yearly budget
        assert count_violations(inst, x) == []  # every batch rule
        p = inst.params
        assert np.all((a[x] >= p.floor_wan) & (a[x] <= p.cap_wan)) and np.all(a[~x] == 0)
        assert np.allclose(a % p.step_wan, 0)
    regions = [
        plan.instances[y].region[i] for y in gp.years for i in np.flatnonzero(plan.designated[y])
    ]
    for g, k in gp.region_min.items():
        assert regions.count(g) >= k
    for g, k in gp.region_max.items():
        assert regions.count(g) <= k


def test_designated_before_are_left_out():
    first = solve_programme(load_scenario(HENAN))
    before = _chosen(first)[2025][:2]
    again = solve_programme(
        load_scenario(HENAN, [f"programme.designated_before={before!r}".replace("'", '"')])
    )
    ids = {i for v in _chosen(again).values() for i in v}
    assert not ids & set(before)
    assert again.total_score <= first.total_score + 1e-6


def _tiny(seed):
    """Two years over the same 7 applicants (scores changed in year two), no money limits
    beyond the budget paying the floors."""
    a = random_instance(seed, n=7, pins=False)
    # Year two: the same applicants re-scored a little, so the best are often the same in both
    # years and "never twice" binds.
    rng = np.random.default_rng(seed)
    b = dataclasses.replace(a, score=np.round(a.score + rng.normal(0, 3, len(a.score)), 1))
    gp = ProgrammeParams(
        years=[1, 2],
        applicants={},
        batch_min={1: a.params.batch_min, 2: a.params.batch_min},
        batch_max={1: a.params.batch_max, 2: a.params.batch_max},
        budget_wan={1: a.params.budget_wan, 2: a.params.budget_wan},
        total_min=0,
        total_max=2 * a.params.batch_min + seed % 3,
        region_min={},
        region_max={},
        per_batch_balance=True,
        designated_before=[],
    )
    return {1: a, 2: b}, gp


@pytest.mark.parametrize("seed", range(16))
def test_programme_optimum_equals_enumeration(seed):
    insts, gp = _tiny(seed)
    feasible = {}
    for y, inst in insts.items():
        masks, ok = structurally_feasible(inst)
        money = np.array(
            [
                cheapest_awards_wan(inst, int(m.sum())) <= inst.params.budget_wan + 1e-9
                for m in masks
            ]
        )
        feasible[y] = masks[ok & money]
    best = None
    for m1, m2 in itertools.product(feasible[1], feasible[2]):
        if (m1 & m2).any() or m1.sum() + m2.sum() > gp.total_max:
            continue
        s = insts[1].score[m1].sum() + insts[2].score[m2].sum()
        best = s if best is None else max(best, s)
    m = build_programme(insts, gp, REGIONS)
    m.obj = pyo.Objective(expr=m.total_score, sense=pyo.maximize)
    r = solve(m, make_solver(time_limit=20))
    if best is None:
        assert r.status == "infeasible"
    else:
        assert r.status == "optimal" and r.objective == pytest.approx(best, abs=1e-6)


def test_impossible_programme_names_the_conflict():
    sc = load_scenario(HENAN, ["programme.total_min=22", "programme.total_max=25"])
    with pytest.raises(InfeasibleError) as e:
        solve_programme(sc)
    text = str(e.value)
    assert "at least 22 designated over the programme (total_min)" in text
    assert "2025 batch rules" in text  # 4 years × at most 5 < 22


@pytest.mark.parametrize(
    "sets, key",
    [
        (["programme.budget_wan=[2000, 2000]"], "programme.budget_wan"),
        (["programme.years=[]"], "programme.years"),
        (["programme.region_min={ nowhere = 1 }"], "programme.region_min"),
        (["programme.batch_min=6"], "programme.batch_max"),
        (["programme.colour=1"], "programme.colour"),
    ],
)
def test_bad_programme_keys_are_named(sets, key):
    with pytest.raises(ScenarioError) as e:
        solve_programme(load_scenario(HENAN, sets))
    assert e.value.key == key


def test_jiangsu_programme_reaches_its_quota():
    plan = solve_programme(load_scenario("scenarios/jiangsu-benchmarks.toml"))
    n = sum(int(x.sum()) for x in plan.designated.values())
    assert plan.status == "optimal" and n == plan.params.total_max == 100


def test_cli_plan_writes_outputs(tmp_path):
    out = tmp_path / "plan"
    r = CliRunner().invoke(app, ["plan", HENAN, "--out", str(out)])
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert s["n_designated"] == len(set(s["designated"]))
    for v in s["years"].values():
        assert v["total_award_wan"] <= v["budget_wan"]
    for name in ("plan.csv", "plan.xlsx", "report.html", "manifest.json"):
        assert (out / name).exists()


def test_cli_plan_infeasible_leaves_nothing(tmp_path):
    out = tmp_path / "plan"
    r = CliRunner().invoke(
        app,
        [
            "plan",
            HENAN,
            "--out",
            str(out),
            "--set",
            "programme.total_min=30",
            "--set",
            "programme.total_max=30",
        ],
    )
    assert r.exit_code == 2 and "total_min" in r.output and not out.exists()
