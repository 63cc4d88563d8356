"""Sensitivity sweeps and the score/balance trade-off curve (model/sweep.py, model/sweep_run.py):
monotonicity the maths guarantees, the coverage rule against brute force, infeasible values in
words, results independent of the number of workers, and bad --param / --values in words."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from selection_helpers import award_levels, random_instance, structurally_feasible
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.commands.sweep import sweep
from fundalloc.commands.tradeoff import tradeoff
from fundalloc.core.errors import FundallocError
from fundalloc.core.report import read_workbook, sheet_title
from fundalloc.core.scenario import load_scenario
from fundalloc.rules.henan import REGIONS
from fundalloc.selection.check import count_violations
from fundalloc.selection.model import build_model, solve_lexicographic
from fundalloc.selection.params import selection_params
from fundalloc.selection.run import optimise
from fundalloc.selection.sweep import Param, check_param, parse_values, with_value

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios/henan-2025.toml"
runner = CliRunner()


def scores(points) -> list[float]:
    return [p["total_score"] if p["status"] == "optimal" else -np.inf for p in points]


def solve_with(inst, **changes):
    inst = replace(inst, params=inst.params.model_copy(update=changes))
    return inst, solve_lexicographic(build_model(inst), inst)


def covered(inst, x) -> int:
    return len({inst.region[i] for i in np.flatnonzero(x)})


def brute_best(inst) -> float | None:
    """Best total score by enumeration, with the coverage rule and the cheapest awards."""
    p = inst.params
    masks, ok = structurally_feasible(inst)
    levels = award_levels(p)
    if not levels:  # no award fits between floor and cap: only no one
        ok &= masks.sum(1) == 0
    else:
        ok &= masks.sum(1) * levels[0] <= p.budget_wan + 1e-9
    region = np.array(inst.region)
    cov = np.array([len(set(region[m])) for m in masks])
    ok &= cov >= p.groups_covered_min
    return float((masks.astype(float) @ inst.score)[ok].max()) if ok.any() else None


# --------------------------------------------------------------------------- budget sweeps


def test_budget_upward_never_lowers_the_score_on_the_bundled_scenario():
    o = sweep(
        load_scenario(SCENARIO), "selection.budget_wan", "600:2200:200", workers=1, progress=False
    )
    s = scores(o.points)
    assert all(b >= a - 1e-9 for a, b in zip(s, s[1:])), s
    assert s[0] == -np.inf and s[-1] > s[1]  # the sweep crosses real changes
    assert [p["value"] for p in o.points] == list(range(600, 2201, 200))
    # The infeasible value is a row in words, not a crash.
    row = o.table.iloc[0]
    assert row.status == "infeasible"
    assert "budget 600 万 is below batch_min 4 × floor 200 万 = 800 万" in row.why_no_batch
    assert o.points[1]["change"].startswith("batch ") and o.points[2]["change"] == "+HA052"


@pytest.mark.parametrize("seed", range(12))
def test_budget_upward_never_lowers_the_score_on_random_instances(seed):
    inst = random_instance(seed, 7)
    p = inst.params
    budgets = np.linspace(0.5 * p.floor_wan, (p.batch_max + 1) * p.cap_wan, 6)
    best = []
    for b in budgets:
        case, sol = solve_with(inst, budget_wan=float(b))
        best.append(sol.total_score if sol.total_score is not None else -np.inf)
        expected = brute_best(case)
        assert (sol.total_score is None) == (expected is None)
        if expected is not None:
            assert sol.total_score == pytest.approx(expected, abs=1e-6)
    assert all(b >= a - 1e-9 for a, b in zip(best, best[1:])), best


def test_two_workers_give_the_one_worker_result():
    sc = load_scenario(SCENARIO, ["selection.cap_wan=300"])
    one = sweep(sc, "selection.budget_wan", "800,1400,1000,1200", workers=1, progress=False)
    two = sweep(sc, "selection.budget_wan", "800,1400,1000,1200", workers=2, progress=False)
    drop = ["solve_seconds"]
    pd.testing.assert_frame_equal(one.table.drop(columns=drop), two.table.drop(columns=drop))
    pd.testing.assert_frame_equal(one.awards, two.awards)
    assert [p["value"] for p in two.points] == [800, 1400, 1000, 1200]  # the order given


def test_a_table_entry_keeps_the_other_entries():
    sc = load_scenario(SCENARIO)
    p = selection_params(with_value(sc, "selection.region_max.east", 0))
    assert p.region_max == {"zhengzhou": 2, "west": 2, "south": 2, "east": 0, "north": 2}
    w = selection_params(with_value(sc, "selection.weights.reach", 3)).weights
    assert w == {"industrial_scale": 1.0, "service_capability": 1.0, "reach": 3.0}
    # --set reaches a table's entry too when the table exists in the file.
    assert (
        selection_params(load_scenario(SCENARIO, ["selection.weights.reach=2"])).weights["reach"]
        == 2.0
    )


def test_region_minimum_sweep_costs_score():
    o = sweep(
        load_scenario(SCENARIO), "selection.region_min.east", "0:2:1", workers=1, progress=False
    )
    s = scores(o.points)
    assert s[0] > s[1] > s[2]
    region = optimise(load_scenario(SCENARIO)).table.set_index("id").region
    for p in o.points:  # the minimum is met: at least `value` designated in the east
        assert (region[p["designated"]] == "east").sum() >= p["value"]


# --------------------------------------------------------------------------- values and params


def test_values_ranges_and_lists():
    num = Param("selection.budget_wan", True, False)
    assert parse_values("1500:3000:250", num) == [1500, 1750, 2000, 2250, 2500, 2750, 3000]
    assert parse_values("1500:2000:300", num) == [1500, 1800]  # stop not reached
    assert parse_values("0.1:0.3:0.1", num) == [0.1, 0.2, 0.3]  # no float drift
    assert parse_values("1, 2,3", num) == [1, 2, 3]
    text = Param("selection.award_mode", False, False)
    assert parse_values("proportional,tiers", text) == ["proportional", "tiers"]


@pytest.mark.parametrize(
    "values, words",
    [
        ("abc", "'abc' is not a number"),
        ("1500:abc:250", "'abc' is not a number"),
        ("3000:1500:250", "empty range"),
        ("1500:3000:0", "step must be positive"),
        ("", "--values is empty"),
        ("1,,2", "empty item"),
        ("1:2", "start:stop:step"),
        ("1,1", "appears twice"),
        ("0:1000000:1", "at most 500"),
    ],
)
def test_bad_values_in_words(values, words):
    with pytest.raises(FundallocError, match=words.replace("(", r"\(")):
        parse_values(values, Param("selection.budget_wan", True, False))


def test_whole_number_keys_refuse_fractions():
    with pytest.raises(FundallocError, match="whole numbers; 4.5 is not one"):
        parse_values("4.5,5", check_param(load_scenario(SCENARIO), "selection.batch_max"))


@pytest.mark.parametrize(
    "key, words",
    [
        ("selection.budgt_wan", "unknown key"),
        ("simulation.runs", "unknown key"),
        ("selection.weights", "give one entry"),
        ("selection.region_min.mars", "'mars' is not one"),
        ("selection.budget_wan.x", "a single value, not a table"),
        ("eligibility.foo", "unknown eligibility key"),
    ],
)
def test_bad_param_in_words(key, words):
    with pytest.raises(FundallocError, match=words):
        check_param(load_scenario(SCENARIO), key)


@pytest.mark.parametrize(
    "args, words",
    [
        (["--param", "selection.budgt_wan", "--values", "1,2"], "unknown key"),
        (["--param", "selection.budget_wan", "--values", "lots"], "'lots' is not a number"),
        (["--param", "selection.budget_wan", "--values", "3000:1500:250"], "empty range"),
    ],
)
def test_cli_bad_input_stops_in_words_and_writes_nothing(tmp_path, args, words):
    out = tmp_path / "run"
    r = runner.invoke(app, ["sweep", str(SCENARIO), *args, "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert words in r.output and "Traceback" not in r.output
    assert not out.exists() and not list(tmp_path.iterdir())


def test_invalid_value_is_a_row_and_an_invalid_sweep_stops():
    o = sweep(load_scenario(SCENARIO), "selection.cap_wan", "150,500", workers=1, progress=False)
    assert o.points[0]["status"] == "invalid"
    assert o.points[0]["words"].startswith("scenario key 'selection.cap_wan': cap 150 万 is below")
    assert o.points[1]["status"] == "optimal"
    with pytest.raises(FundallocError, match="cap 100 万 is below floor 200 万"):
        sweep(load_scenario(SCENARIO), "selection.cap_wan", "100,150", workers=1, progress=False)


# --------------------------------------------------------------------------- groups covered


@pytest.mark.parametrize("seed", range(10))
def test_groups_covered_min_against_brute_force(seed):
    inst = random_instance(100 + seed, 7, pins=seed % 2 == 0)
    prev = np.inf
    for k in range(len(REGIONS) + 1):
        case, sol = solve_with(inst, groups_covered_min=k)
        expected = brute_best(case)
        assert (sol.total_score is None) == (expected is None), (k, sol.status)
        got = -np.inf if sol.total_score is None else sol.total_score
        assert got <= prev + 1e-9  # the curve never rises as k grows
        prev = got
        if expected is None:
            continue
        assert sol.total_score == pytest.approx(expected, abs=1e-6)
        assert covered(case, sol.designated) >= k
        assert not count_violations(case, sol.designated)
        for batch in sol.alternatives:  # every tied batch covers k groups too
            x = np.zeros(len(case.ids), bool)
            x[batch] = True
            assert covered(case, x) >= k


def test_count_violations_checks_coverage():
    inst = random_instance(7, 6, pins=False)
    inst = replace(inst, params=inst.params.model_copy(update=dict(groups_covered_min=3)))
    masks, _ = structurally_feasible(inst)
    for x in masks:
        broken = any(v.startswith("groups_covered_min") for v in count_violations(inst, x))
        assert broken == (covered(inst, x) < 3)


def test_tradeoff_curve_on_the_bundled_scenario():
    o = tradeoff(load_scenario(SCENARIO), workers=1, progress=False)
    assert [p["value"] for p in o.points] == list(range(len(REGIONS) + 1))
    region = optimise(load_scenario(SCENARIO)).table.set_index("id").region
    s = scores(o.points)
    assert all(b <= a + 1e-9 for a, b in zip(s, s[1:])) and s[-1] < s[0]
    for p in o.points:  # coverage recomputed from the batch itself
        assert region[p["designated"]].nunique() >= p["value"]
        assert region[p["designated"]].nunique() == p["groups_covered"]
        for b in p["tied_batches"]:
            assert region[b].nunique() >= p["value"]
    front = o.summary["frontier"]
    assert [f["groups_covered"] for f in front] == [4, 5]
    assert front[0]["total_score"] > front[1]["total_score"]
    assert o.table.score_lost.iloc[-1] == pytest.approx(s[0] - s[-1])


def test_tradeoff_names_the_coverage_rule_when_it_cannot_be_met():
    o = tradeoff(
        load_scenario(SCENARIO, ["selection.region_max={east=0}"]), workers=1, progress=False
    )
    last = o.points[-1]
    assert last["status"] == "infeasible"
    assert "at least 5 regional groups covered" in last["words"]
    assert "(groups_covered_min)" in last["words"]
    assert "at most 0 designated in regional group east" in last["words"]
    assert not o.table.pareto.iloc[-1]


def test_groups_covered_min_beyond_the_groups_is_explained():
    with pytest.raises(FundallocError, match="at least 6 regional groups covered"):
        optimise(load_scenario(SCENARIO, ["selection.groups_covered_min=6"]))
    with pytest.raises(FundallocError, match="whole number ≥ 0"):
        optimise(load_scenario(SCENARIO, ["selection.groups_covered_min=-1"]))


# --------------------------------------------------------------------------- CLI outputs


def test_sweep_cli_writes_the_outputs(tmp_path):
    out = tmp_path / "run"
    r = runner.invoke(
        app,
        [
            "sweep",
            str(SCENARIO),
            "--param",
            "selection.budget_wan",
            "--values",
            "600:1000:200",
            "--workers",
            "1",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    for name in (
        "sweep.csv",
        "sweep_awards.csv",
        "summary.json",
        "sweep.xlsx",
        "report.html",
        "manifest.json",
        "score_by_value.png",
        "awards_by_value.png",
        "batch_by_value.png",
    ):
        assert (out / name).stat().st_size > 0, name
    table = pd.read_csv(out / "sweep.csv")
    assert table.value.tolist() == [600, 800, 1000]
    assert "4,HA021" in (out / "sweep.csv").read_text(encoding="utf-8")  # whole, not 4.0
    sheets = read_workbook(out / "sweep.xlsx")  # by machine names, under the title rows
    assert sheets[sheet_title("Awards grid")].columns.tolist() == [
        "id",
        "name",
        "600",
        "800",
        "1000",
    ]
    assert table.status.tolist() == ["infeasible", "optimal", "optimal"]
    long = pd.read_csv(out / "sweep_awards.csv")
    assert list(long.columns) == ["value", "id", "name", "award_wan"]
    for v, rows in long.groupby("value"):
        assert rows.award_wan.sum() == table.set_index("value").total_award_wan[v]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert summary["param"] == "selection.budget_wan" and summary["values"] == [600, 800, 1000]
    assert manifest["command"] == "sweep" and manifest["param"] == "selection.budget_wan"
    assert "+HA052" in r.output and "infeasible" in r.output
    again = runner.invoke(
        app,
        [
            "sweep",
            str(SCENARIO),
            "--param",
            "selection.budget_wan",
            "--values",
            "800",
            "--out",
            str(out),
        ],
    )
    assert again.exit_code == 2 and "never overwrites" in again.output


def test_tradeoff_cli_writes_the_outputs(tmp_path):
    out = tmp_path / "run"
    r = runner.invoke(app, ["tradeoff", str(SCENARIO), "--workers", "2", "--out", str(out)])
    assert r.exit_code == 0, r.output
    for name in (
        "tradeoff.csv",
        "tradeoff_awards.csv",
        "summary.json",
        "tradeoff.xlsx",
        "report.html",
        "manifest.json",
        "tradeoff_curve.png",
        "batch_by_k.png",
    ):
        assert (out / name).stat().st_size > 0, name
    table = pd.read_csv(out / "tradeoff.csv")
    assert table.k.tolist() == list(range(6))
    sheets = read_workbook(out / "tradeoff.xlsx")
    assert {
        sheet_title(s) for s in ("Trade-off", "Pareto frontier", "Awards", "Awards grid")
    } <= set(sheets)
    assert "Pareto frontier" in r.output
    bad = runner.invoke(
        app, ["tradeoff", str(SCENARIO), "--measure", "gini", "--out", str(tmp_path / "x")]
    )
    assert bad.exit_code == 2 and "unknown balance measure" in bad.output
