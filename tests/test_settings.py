"""Every bad setting stops with exit code 2 and a message naming the dotted key, the value and
what is expected (issue: one declaration per parameter); no traceback, nothing written, and the
manifest never lists a setting that was not applied."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.core.schema import walk
from fundalloc.core.settings import declarations, policy_declarations

ROOT = Path(__file__).resolve().parents[1]
HENAN = ROOT / "scenarios/henan-2025.toml"
JIANGSU = ROOT / "scenarios/jiangsu-benchmarks.toml"

# (override, dotted key named, words the message must hold)
BAD = [
    ("selection.spend_budget=no", "selection.spend_budget", "true or false"),
    ('eligibility.thresholds_strict="false"', "eligibility.thresholds_strict", "true or false"),
    ("eligibility.zone_levels=provincial", "eligibility.zone_levels", "list"),
    ("selecton.budget_wan=3000", "selecton", "did you mean 'selection'"),
    ("budget_wan=3000", "budget_wan", "unknown key"),
    ('rule="jiangsu"', "rule", "did you mean 'rules'"),
    ('rules="hunan"', "rules", "not a known rule set"),
    ("selection.batch_max=5.5", "selection.batch_max", "whole number"),
    ("selection.region_min=1.5", "selection.region_min", "whole number"),
    ('selection.budget_wan="2000"', "selection.budget_wan", "not a number"),
    ('selection.budget_wan="2,500"', "selection.budget_wan", "not a number"),
    ("selection.budget_wan=nan", "selection.budget_wan", "finite"),
    ("selection.budget_wan=inf", "selection.budget_wan", "finite"),
    ('selection.mip_rel_gap="x"', "selection.mip_rel_gap", "not a number"),
    ("selection.applicants=5", "selection.applicants", "text"),
    ("selection.budgt_wan=1", "selection.budgt_wan", "did you mean 'selection.budget_wan'"),
    ("selection.weights.speed=1", "selection.weights", "unknown factor"),
    ("selection.region_min.nowhere=1", "selection.region_min", "unknown regional group"),
    ("selection.region_max.east=1", "selection.region_max.east", "a value, not a table"),
    ("eligibility.mfg_share_min=1.5", "eligibility.mfg_share_min", "1"),
    ("programme.typo=1", "programme.typo", "unknown key"),
    ("programme.years=2025", "programme.years", "list"),
]


@pytest.mark.parametrize("assignment,key,words", BAD, ids=[b[0] for b in BAD])
def test_bad_setting_names_the_key(assignment, key, words):
    with pytest.raises(ScenarioError) as info:
        load_scenario(HENAN, [assignment])
    assert info.value.key == key
    assert words in str(info.value)


@pytest.mark.parametrize(
    "assignment,key",
    [
        ("eligibility.region_unit_types=county", "eligibility.region_unit_types"),
        ('eligibility.zone_levels=["national"]', "eligibility.zone_levels"),  # a Henan key
        ("evaluation.pass_score=120", "evaluation.pass_score"),
        ('evaluation.delist_on="never"', "evaluation.delist_on"),
    ],
)
def test_jiangsu_tables_are_checked_by_their_own_declaration(assignment, key):
    with pytest.raises(ScenarioError) as info:
        load_scenario(JIANGSU, [assignment])
    assert info.value.key == key


def test_a_scenario_file_with_an_unknown_table_is_refused(tmp_path):
    text = HENAN.read_text(encoding="utf-8").replace("[programme]", "[programe]")
    path = tmp_path / "typo.toml"
    path.write_text(
        text.replace('"data/', f'"{ROOT}/scenarios/data/').replace(
            '"policies/', f'"{ROOT}/scenarios/policies/'
        ),
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.key == "programe" and "did you mean 'programme'" in str(info.value)


@pytest.mark.parametrize(
    "text,key",
    [("extends = 5\n", "extends"), ("[selection]\napplicants = 5\n", "selection.applicants")],
)
def test_wrong_types_in_a_file_are_errors_not_tracebacks(tmp_path, text, key):
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.key == key


def test_cli_exit_code_2_and_nothing_written(tmp_path):
    out = tmp_path / "run"
    r = CliRunner().invoke(
        app, ["select", str(HENAN), "--out", str(out), "--set", "selection.spend_budget=no"]
    )
    assert r.exit_code == 2
    assert "selection.spend_budget" in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_manifest_lists_only_applied_settings(tmp_path):
    out = tmp_path / "run"
    r = CliRunner().invoke(
        app, ["select", str(HENAN), "--out", str(out), "--set", "selection.budget_wan=2500"]
    )
    assert r.exit_code == 0, r.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["overrides"] == ["selection.budget_wan=2500"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["budget_wan"] == 2500


def test_what_if_override_of_a_legal_number_is_applied():
    """A policy number overridden in the scenario changes who is eligible (a what-if)."""
    from fundalloc.commands.select import optimise

    base = optimise(load_scenario(HENAN)).summary["n_eligible"]
    lower = optimise(load_scenario(HENAN, ["eligibility.county_gdp_min_yi=150"])).summary
    assert lower["n_eligible"] > base


def test_every_declared_key_has_labels_and_help():
    for rules in ("henan", "jiangsu"):
        for table, (model, _) in declarations(rules).items():
            for key, info, _ in walk(model, table):
                extra = info.json_schema_extra or {}
                assert extra.get("zh") and extra.get("en") and info.description, key
    for name, model in policy_declarations().items():
        for key, info, _ in walk(model):
            assert (info.json_schema_extra or {}).get("zh"), f"{name}: {key}"


@pytest.mark.parametrize(
    "command,scenario,assignment",
    [
        ("select", HENAN, "simulation.runs=5"),
        ("awards", ROOT / "scenarios/jiaxing-2024.toml", "selection.budget_wan=1"),
    ],
)
def test_a_setting_the_command_does_not_read_is_refused(tmp_path, command, scenario, assignment):
    out = tmp_path / "run"
    r = CliRunner().invoke(app, [command, str(scenario), "--out", str(out), "--set", assignment])
    assert r.exit_code == 2, r.output
    assert "does not read [" in r.output and not out.exists()


def test_a_table_of_another_rule_set_is_refused():
    """[evaluation] belongs to Jiangsu: in a Henan scenario it would be read by nothing."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(HENAN, ["evaluation.pass_score=70"])
    assert info.value.key == "evaluation" and "henan" in str(info.value)
