"""`fundalloc evaluate`: the written outcome of every benchmark agrees with a plain reading of
seeds/001 四.(四) under the scenario's marks; bad files and keys are named; a failed run writes
nothing and never overwrites an earlier one."""

import csv
import hashlib
import json
import math
from pathlib import Path

import pytest
from csv_helpers import read_rows, write_rows
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.commands.evaluate import evaluate
from fundalloc.core.errors import InputError, ScenarioError
from fundalloc.core.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios/jiangsu-benchmarks.toml"
PERFORMANCE = ROOT / "scenarios/data/jiangsu_performance_2025.csv"


def rows():
    return read_rows(PERFORMANCE)


write = write_rows


def num(text):
    return float(text) if text != "" else math.nan


def meets_standard(r) -> bool:
    """四.(二) on current data, pilot listing not rechecked (the default)."""
    if r["track"] == "enterprise":
        return num(r["revenue_prev_yi"]) >= 10 or num(r["national_share_rank"] or "99") <= 5
    big = num(r["gdp_prev_yi"]) > 100 or num(r["revenue_prev_yi"]) > 100
    listed = r["unit_type"] != "dev_park" or r["in_catalogue"] == "yes"
    return listed and num(r["mfg_share"]) >= 0.35 and big


def expected(r, pass_score=60.0, commend_score=85.0) -> str:
    score = float(r["performance_score"])
    if not meets_standard(r) or score < pass_score:
        return "delisted"
    if score >= commend_score and r["new_models"] == "yes" and r["demonstration"] == "yes":
        return "commended"
    return "kept"


def invoke(*args):
    return CliRunner().invoke(app, ["evaluate", str(SCENARIO), *map(str, args)])


def test_cli_writes_outcomes_that_follow_the_text(tmp_path):
    out = tmp_path / "ev"
    r = invoke("--performance", PERFORMANCE, "--out", out)
    assert r.exit_code == 0, r.output
    for name in (
        "evaluation.csv",
        "summary.json",
        "manifest.json",
        "evaluation.xlsx",
        "report.html",
    ):
        assert (out / name).exists(), name
    with (out / "evaluation.csv").open(encoding="utf-8") as fh:
        table = {t["id"]: t for t in csv.DictReader(fh)}
    source = rows()
    assert len(table) == len(source)
    for r in source:
        t = table[r["id"]]
        assert t["outcome"] == expected(r), r["id"]
        assert (t["delisted"] == "True") == (t["outcome"] == "delisted")
        assert (t["reasons"] == "") == (t["outcome"] == "kept")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    outcomes = [expected(r) for r in source]
    for o in ("commended", "kept", "delisted"):
        assert summary[f"n_{o}"] == outcomes.count(o) and len(summary[o]) == outcomes.count(o)
    assert summary["remaining"] == len(source) - outcomes.count("delisted")
    assert {"commended", "kept", "delisted"} <= set(outcomes)  # the file shows each outcome
    assert sum(sum(v.values()) for v in summary["by_region"].values()) == len(source)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "evaluate" and len(manifest["scenario_sha256"]) == 64
    assert manifest["performance_sha256"] == hashlib.sha256(PERFORMANCE.read_bytes()).hexdigest()


def test_default_file_and_overrides(tmp_path):
    base = evaluate(load_scenario(SCENARIO)).table  # evaluation.performance
    strict = evaluate(
        load_scenario(SCENARIO, ["evaluation.pass_score=75", "evaluation.commend_score=90"])
    ).table
    for r, b, s in zip(rows(), base.itertuples(), strict.itertuples()):
        assert b.outcome == expected(r) and s.outcome == expected(r, 75, 90)
    assert (strict.delisted & ~base.delisted).any()


def test_recheck_pilot_delists_the_benchmark_whose_pilot_ended():
    source = rows()
    ended = [r["id"] for r in source if r["provincial_pilot"] == "no"]
    assert ended
    base = evaluate(load_scenario(SCENARIO)).table.set_index("id")
    rechecked = evaluate(load_scenario(SCENARIO, ["evaluation.recheck_pilot=true"])).table
    rechecked = rechecked.set_index("id")
    for i in ended:
        assert base.outcome[i] != "delisted" and rechecked.outcome[i] == "delisted"
        assert "not on the provincial pilot list" in rechecked.reasons[i]
    others = [r["id"] for r in source if r["provincial_pilot"] == "yes"]
    assert (base.outcome[others] == rechecked.outcome[others]).all()


@pytest.mark.parametrize(
    "column,value,words",
    [
        ("performance_score", "120", "value 120 is above 100"),
        ("performance_score", "", "value is missing"),
        ("new_models", "perhaps", "'perhaps' is not yes/no"),
        ("demonstration", "", "value is missing; give yes or no"),
        ("city", "Springfield", "unknown value 'Springfield'"),
        ("mfg_share", "35", "share 35 is above 1"),
        ("revenue_prev_yi", "-3", "negative value -3"),
        ("designated_year", "2019", "must be at least 2021"),
    ],
)
def test_bad_cell_is_named(tmp_path, column, value, words):
    records = rows()
    i = next(k for k, r in enumerate(records) if r["track"] == "region")
    records[i][column] = value
    path = write(tmp_path / "bad.csv", records)
    with pytest.raises(InputError) as info:
        evaluate(load_scenario(SCENARIO), path)
    e = info.value
    assert (e.file, e.row, e.column) == (str(path), i + 2, column) and words in str(e)


def test_pilot_column_is_required_only_when_rechecked(tmp_path):
    records = rows()
    records[3]["provincial_pilot"] = ""
    path = write(tmp_path / "pilot.csv", records)
    evaluate(load_scenario(SCENARIO), path)
    with pytest.raises(InputError) as info:
        evaluate(load_scenario(SCENARIO, ["evaluation.recheck_pilot=true"]), path)
    assert (info.value.row, info.value.column) == (5, "provincial_pilot")


def test_duplicate_id_and_missing_column(tmp_path):
    records = rows()
    records[4]["id"] = records[1]["id"]
    with pytest.raises(InputError, match="duplicate id") as info:
        evaluate(load_scenario(SCENARIO), write(tmp_path / "dup.csv", records))
    assert (info.value.row, info.value.column) == (6, "id")
    fields = [f for f in rows()[0] if f != "performance_score"]
    with pytest.raises(InputError, match="missing column\\(s\\) 'performance_score'"):
        evaluate(load_scenario(SCENARIO), write(tmp_path / "cols.csv", rows(), fields))


@pytest.mark.parametrize(
    "assignment,key",
    [
        ("evaluation.delist_on=never", "evaluation.delist_on"),
        ("evaluation.pass_score=120", "evaluation.pass_score"),
        ("evaluation.grace_years=1", "evaluation.grace_years"),
        ("evaluation.recheck_pilot=maybe", "evaluation.recheck_pilot"),
        ("eligibility.region_size_measure=any", "eligibility.region_size_measure"),
    ],
)
def test_bad_scenario_values_name_the_key(assignment, key):
    with pytest.raises(ScenarioError) as info:
        evaluate(load_scenario(SCENARIO, [assignment]))
    assert info.value.key == key


def test_henan_scenario_is_refused():
    with pytest.raises(ScenarioError) as info:
        evaluate(load_scenario(ROOT / "scenarios/henan-2025.toml"), PERFORMANCE)
    assert info.value.key == "rules" and "jiangsu" in str(info.value)


def test_failed_run_writes_nothing_and_keeps_earlier_results(tmp_path):
    good = tmp_path / "run1"
    assert invoke("--out", good).exit_code == 0
    before = {p.name: p.read_bytes() for p in good.iterdir()}
    records = rows()
    records[2]["performance_score"] = "high"
    bad = write(tmp_path / "bad.csv", records)
    r = invoke("--performance", bad, "--out", tmp_path / "run2")
    assert r.exit_code == 2 and "bad.csv, row 4, column 'performance_score'" in r.output
    assert not (tmp_path / "run2").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".run2")]
    r = invoke("--out", good)
    assert r.exit_code == 2 and "never overwrites" in r.output
    assert {p.name: p.read_bytes() for p in good.iterdir()} == before
