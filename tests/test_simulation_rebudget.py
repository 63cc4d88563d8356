"""Draw once, evaluate many (simulation/rebudget.py): a run paid again from its kept
entitlements under another budget or exhaustion reading gives, bit for bit, what a fresh run
gives; where the claims themselves depend on the budget it simulates again."""

import dataclasses
import json

import numpy as np
import pytest

from fundalloc.commands.simulate import run_simulate
from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.rebudget import ClaimCache, rebudget, reusable, study_key
from fundalloc.simulation.world import load_world

BASELINE = "scenarios/jiaxing-sim-baseline.toml"
SMALL = ["simulation.runs=10", "simulation.workers=1"]
ENTITLED = ['awards.growth_window_opened_by="entitled"']
PAYERS = ['simulation.population.payer_shares={"市本级"=0.5,"嘉善县"=0.3,"海宁市"=0.2}']


def _world(sets):
    return load_world(load_scenario(BASELINE, SMALL + sets))


def _mc(world):
    return run_montecarlo(world, progress=False, workers=1, keep=True)


@pytest.mark.parametrize(
    "readings, new",
    [
        ([], ["awards.budget_wan=5000"]),  # pro rata, a tighter budget
        (ENTITLED, ['awards.budget_exhausted="defer"', "awards.budget_wan=5000"]),
        (ENTITLED, ['awards.budget_exhausted="first_come"', "awards.budget_wan=4000"]),
        (PAYERS, ['awards.budget_wan={"市本级"=4000,"嘉善县"=2000,"海宁市"=1500}']),
    ],
)
def test_a_new_budget_repaid_from_kept_claims_equals_a_fresh_run(readings, new):
    old, changed = _world(readings), _world(readings + new)
    assert reusable(old) and reusable(changed) and study_key(old) == study_key(changed)
    first = _mc(old)
    again, fresh = rebudget(first, changed), _mc(changed)
    for f in dataclasses.fields(fresh):
        a, b = getattr(again, f.name), getattr(fresh, f.name)
        if f.name == "kept":
            assert all(
                np.array_equal(x, y)
                for x, y in zip(dataclasses.astuple(a), dataclasses.astuple(b), strict=True)
            )
        elif a is None:
            assert b is None, f.name
        else:
            assert np.array_equal(a, b), f.name  # bit for bit
    assert not np.array_equal(first.owed, again.owed) or not np.array_equal(
        first.paid, again.paid
    )  # the new budget did change what is paid or owed


def test_claims_that_depend_on_the_budget_are_not_reused():
    # growth_window_opened_by = paid (the baseline) with first come or deferral: a tier
    # claim paid nothing in its pay year opens no growth window, so another budget can mean
    # other claims; pro rata with a budget above 0 pays every claim something
    for exhausted in ("first_come", "defer"):
        assert not reusable(_world([f'awards.budget_exhausted="{exhausted}"']))
    assert reusable(_world([]))
    assert not reusable(_world(["awards.budget_wan=0"]))


def test_another_study_has_another_key():
    base = study_key(_world([]))
    assert study_key(_world(["awards.budget_wan=100"])) == base
    # the budgets to compare are paid from the same claims: the app re-pays, not re-runs
    assert study_key(_world(["simulation.budgets=[4000, 6000]"])) == base
    assert study_key(_world(["simulation.behaviour.timing=0"])) != base
    assert study_key(_world(['awards.platform_cap="per_platform"'])) != base
    assert study_key(_world(["simulation.seed=7"])) != base


def test_the_app_path_writes_what_a_fresh_command_writes(tmp_path):
    cache = ClaimCache()
    run_simulate(BASELINE, SMALL, out=tmp_path / "a", progress=False, cache=cache)
    sets = SMALL + ["awards.budget_wan=5000"]
    again, s_again = run_simulate(BASELINE, sets, out=tmp_path / "b", progress=False, cache=cache)
    fresh, s_fresh = run_simulate(BASELINE, sets, out=tmp_path / "c", progress=False)
    assert json.loads((again / "manifest.json").read_text(encoding="utf-8"))["claims_reused"]
    assert s_again == s_fresh
    for name in ("outlay.csv", "summary.json"):
        assert (again / name).read_bytes() == (fresh / name).read_bytes(), name
