"""`fundalloc compare`: a proposed batch judged rule by rule and set beside the optimum."""

import json

import numpy as np
import pyomo.environ as pyo
import pytest
from selection_helpers import award_levels, random_instance, structurally_feasible
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import InputError
from fundalloc.core.scenario import load_scenario
from fundalloc.selection.check import award_violations, count_violations
from fundalloc.selection.compare import Proposal, compare_batches, parse_proposals, read_proposals
from fundalloc.selection.model import build_model
from fundalloc.solvers import solve
from fundalloc.solvers.highs import make_solver

SCENARIO = "scenarios/henan-2025.toml"
PROPOSALS = "scenarios/data/henan_proposed_batches.csv"


@pytest.fixture(scope="module")
def optimum():
    out = compare_batches(load_scenario(SCENARIO), [])
    return out.summary["optimum"]


def _one(sets, ids, awards=None):
    out = compare_batches(load_scenario(SCENARIO, sets), [Proposal("p", ids, awards)])
    return out.summary["batches"][0]


def test_the_optimum_proposed_loses_nothing(optimum):
    b = _one([], optimum["designated"])
    assert b["rules_broken"] == []
    assert b["score_lost"] == 0
    assert b["total_award_wan"] == optimum["total_award_wan"]
    assert b["awards_wan"] == pytest.approx(optimum["awards_wan"])  # sized as the model would
    assert b["cheapest_swaps"] == {}


def test_the_optimum_with_its_own_awards_given_loses_nothing(optimum):
    b = _one([], optimum["designated"], optimum["awards_wan"])
    assert b["rules_broken"] == [] and b["score_lost"] == 0


@pytest.mark.parametrize(
    "sets, change, rule",
    [
        ([], lambda ids: ids[:3], "batch_min"),
        (["selection.batch_max=4", "selection.batch_min=3"], lambda ids: ids, "batch_max"),
        ([], lambda ids: ids[:4] + ["HA012", "HA011"], "city_max"),  # two from 郑州
        ([], lambda ids: [i for i in ids if i != "HA181"] + ["HA062"], "region_min.west"),
        ([], lambda ids: [i for i in ids if i != "HA131"] + ["HA011"], "region_max.zhengzhou"),
        ([], lambda ids: [i for i in ids if i != "HA131"] + ["HA171"], "eligibility"),
        (["selection.budget_wan=900"], lambda ids: ids, "budget"),
    ],
)
def test_each_broken_count_rule_is_named(optimum, sets, change, rule):
    b = _one(sets, change(list(optimum["designated"])))
    assert any(r.startswith(rule) for r in b["rules_broken"]), b["rules_broken"]


def test_pins_are_rules_too(optimum):
    ids = list(optimum["designated"])
    # HA021 pinned out through a copy of the applicant file would be heavier; --set cannot pin,
    # so check the pure function on the instance directly.
    out = compare_batches(load_scenario(SCENARIO), [])
    inst = out.optimum.instance
    x = np.array([i in ids for i in inst.ids])
    inst.pinned[inst.ids.index("HA021")] = "out"
    inst.pinned[inst.ids.index("HA041")] = "in"
    words = count_violations(inst, x)
    assert any(w.startswith("pinned_out: HA021") for w in words)
    assert any(w.startswith("pinned_in: HA041") for w in words)


@pytest.mark.parametrize(
    "awards, rule",
    [
        ({"HA021": 600}, "award_cap"),
        ({"HA021": 150}, "award_floor"),
        ({"HA021": 385}, "step_wan"),
        ({"HA021": 500, "HA052": 500}, "budget"),
    ],
)
def test_each_broken_money_rule_is_named(optimum, awards, rule):
    given = {**optimum["awards_wan"], **awards}
    b = _one([], optimum["designated"], given)
    assert any(r.startswith(rule) for r in b["rules_broken"]), b["rules_broken"]


def test_tier_rules_named(optimum):
    sets = ["selection.award_mode='tiers'"]
    ids = optimum["designated"]
    b = _one(sets, ids, {i: 400 for i in ids} | {ids[0]: 350})
    assert any(r.startswith("tiers_wan") for r in b["rules_broken"])
    out = compare_batches(load_scenario(SCENARIO, sets), [])
    inst = out.optimum.instance
    k = [inst.ids.index(i) for i in ids]
    f = inst.f[k]
    hi, lo = k[int(np.argmax(f))], k[int(np.argmin(f))]
    award = np.zeros(len(inst.ids))
    award[k] = 400
    award[hi], award[lo] = 300, 500  # the largest factor index gets the smallest tier
    x = award > 0
    assert any(w.startswith("tier_monotone") for w in award_violations(inst, x, award))


@pytest.mark.parametrize("seed", range(12))
def test_rule_check_agrees_with_enumeration_and_with_the_mip(seed):
    """No broken count rule ⇔ the subset meets every structural rule (independent enumeration)
    and the budget pays its smallest awards ⇔ the MIP with that batch fixed is feasible."""
    inst = random_instance(seed, n=10)
    masks, ok = structurally_feasible(inst)
    levels = award_levels(inst.params)
    money = masks.sum(1) * (levels[0] if levels else np.inf) <= inst.params.budget_wan + 1e-9
    money |= masks.sum(1) == 0
    expected = ok & money
    got = np.array([not count_violations(inst, m) for m in masks])
    assert np.array_equal(got, expected)
    rng = np.random.default_rng(seed)
    sample = np.concatenate(
        [np.flatnonzero(expected)[:4], rng.choice(len(masks), 6, replace=False)]
    )
    solver = make_solver(time_limit=10)
    for t in sample:
        m = build_model(inst)
        for i in range(len(inst.ids)):
            m.x[i].fix(int(masks[t, i]))
        m.obj = pyo.Objective(expr=0)
        feasible = solve(m, solver).status != "infeasible"
        assert feasible == bool(expected[t]), (t, count_violations(inst, masks[t]))


def test_cheapest_swap_is_the_best_batch_with_that_applicant(optimum):
    out = compare_batches(load_scenario(SCENARIO), [Proposal("p", ["HA041", "HA062"])])
    swaps = out.summary["batches"][0]["cheapest_swaps"]
    inst = out.optimum.instance
    for ident, s in swaps.items():
        assert s["possible"] and ident in s["batch"]
        assert s["score_lost"] > 0
        x = np.array([i in s["batch"] for i in inst.ids])
        assert count_violations(inst, x) == []
        assert set(s["batch"]) == (set(optimum["designated"]) - set(s["drop"])) | set(s["add"])


def test_reading_proposal_files(tmp_path):
    ps = read_proposals(PROPOSALS)
    assert [p.name for p in ps] == ["top-scores", "even-split", "with-suiping"]
    assert ps[1].awards == {"HA011": 400, "HA062": 400, "HA141": 400, "HA181": 400, "HA131": 400}
    assert ps[0].awards is None
    txt = parse_proposals("[mine] HA021, HA052 HA071\nHA131\n\nHA021:300 HA052:400")
    assert txt[0].name == "mine" and txt[0].ids == ["HA021", "HA052", "HA071", "HA131"]
    assert txt[1].awards == {"HA021": 300, "HA052": 400}


@pytest.mark.parametrize(
    "text, column, words",
    [
        ("id,award_wan\nHA021,300\nHA052,\n", "award_wan", "give all its awards or none"),
        ("id,award_wan\nHA021,-5\n", "award_wan", ""),
        ("id\nHA021\nHA021\n", "id", "appears twice"),
        ("name\nx\n", None, "missing column"),
        ("id,award_wan\nHA021,lots\n", "award_wan", ""),
    ],
)
def test_bad_proposal_files_name_file_row_column(tmp_path, text, column, words):
    path = tmp_path / "batch.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_proposals(path)
    assert e.value.file == str(path) and e.value.row is not None
    if column:
        assert e.value.column == column
    assert words in str(e.value)


def test_unknown_id_named_with_its_row(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("id\nHA021\nHA999\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        compare_batches(load_scenario(SCENARIO), read_proposals(path))
    assert e.value.row == 3 and e.value.column == "id" and "HA999" in str(e.value)


def test_cli_writes_the_comparison(tmp_path):
    out = tmp_path / "cmp"
    r = CliRunner().invoke(app, ["compare", SCENARIO, "--batch", PROPOSALS, "--out", str(out)])
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [b["batch"] for b in s["batches"]] == ["top-scores", "even-split", "with-suiping"]
    for name in (
        "compare.csv",
        "compare_detail.csv",
        "comparison.xlsx",
        "report.html",
        "manifest.json",
    ):
        assert (out / name).exists()
    assert "breaks region_max.zhengzhou" in r.output


def test_cli_bad_batch_leaves_nothing(tmp_path):
    bad = tmp_path / "b.csv"
    bad.write_text("id\nHA999\n", encoding="utf-8")
    out = tmp_path / "cmp"
    r = CliRunner().invoke(app, ["compare", SCENARIO, "--batch", str(bad), "--out", str(out)])
    assert r.exit_code == 2 and "HA999" in r.output and not out.exists()
