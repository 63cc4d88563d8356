"""The [awards] declaration (model/rules/jiaxing/readings.py): every bad setting stops with the
dotted key, on the command line with exit code 2 and nothing written; the declaration is complete
(labels, help, clause, the meaning of every choice) and is the one source of the defaults."""

import math
from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.core.schema import choices, meta
from fundalloc.core.settings import check_scenario, extra_sections
from fundalloc.rules.jiaxing import CHOICES, Interpretation, interpretation_from
from fundalloc.rules.jiaxing.readings import AWARDS_PATH_KEYS, READINGS, AwardsParams

ROOT = Path(__file__).resolve().parents[1]
AWARDS = str(ROOT / "scenarios/jiaxing-2024.toml")
SIMULATION = str(ROOT / "scenarios/jiaxing-sim-baseline.toml")
SELECTION = str(ROOT / "scenarios/henan-2025.toml")
SEED = ROOT / "docs/sources/jiaxing-2024-14.txt"  # the text, kept in the repository
runner = CliRunner()


# ----------------------------------------------------------------------------- bad settings


@pytest.mark.parametrize(
    "assignment,key,words",
    [
        ("awards.typo=1", "awards.typo", "unknown key"),
        ("awards.sunset=nothing", "awards.sunset", "not one of honour_growth_after_2026"),
        ("awards.budget_wan=nan", "awards.budget_wan", "not a budget in 万元"),
        ("awards.budget_wan=inf", "awards.budget_wan", "not a budget in 万元"),
        ('awards.budget_wan="8000"', "awards.budget_wan", "without quotes"),
        ("awards.budget_wan={2025=nan}", "awards.budget_wan.2025", "not a budget in 万元"),
        ("awards.pay_lag_years=0.5", "awards.pay_lag_years", "whole number"),
        ("awards.recognitions=1", "awards.recognitions", "false to leave the table out"),
    ],
)
def test_awards_command_stops_with_exit_code_2_naming_the_key(tmp_path, assignment, key, words):
    out = tmp_path / "run"
    r = runner.invoke(app, ["awards", AWARDS, "--set", assignment, "--out", str(out)])
    assert r.exit_code == 2, r.output
    text = " ".join(r.output.split())
    assert f"'{key}'" in text and words in text
    assert not out.exists()


@pytest.mark.parametrize(
    "command,scenario",
    [
        (["simulate", "--runs", "2", "--workers", "1"], SIMULATION),
        (["select"], SELECTION),  # any scenario with an [awards] table is checked when loaded
    ],
)
def test_every_command_checks_awards_when_the_scenario_loads(tmp_path, command, scenario):
    out = tmp_path / "run"
    r = runner.invoke(
        app,
        [command[0], scenario, *command[1:], "--set", "awards.sunset=nothing", "--out", str(out)],
    )
    assert r.exit_code == 2, r.output
    assert "'awards.sunset'" in " ".join(r.output.split())
    assert not out.exists()


@pytest.mark.parametrize(
    "section,key,words",
    [
        ({"tiers_in_one_year": "all"}, "awards.tiers_in_one_year", "not one of highest, each"),
        (
            {"later_higher_tier": 1},
            "awards.later_higher_tier",
            "1 is not one of top_up, full, none",
        ),
        ({"growth_award": "each year"}, "awards.growth_award", "(default each_year)"),
        ({"budget_wan": -5}, "awards.budget_wan", "budget in 万元"),
        ({"budget_wan": True}, "awards.budget_wan", "true is not a budget"),
        ({"budget_wan": "8000"}, "awards.budget_wan", '"8000" is not a budget'),
        ({"budget_wan": math.nan}, "awards.budget_wan", "nan is not a budget"),
        ({"budget_wan": [400, 500]}, "awards.budget_wan", "table by pay year"),
        ({"budget_wan": {"next": 5}}, "awards.budget_wan.next", "pay years"),
        ({"budget_wan": {"2025": "400"}}, "awards.budget_wan.2025", "without quotes"),
        ({"budget_wan": {"2025": math.inf}}, "awards.budget_wan.2025", "not a budget"),
        ({"pay_lag_years": -1}, "awards.pay_lag_years", "whole number of years"),
        ({"pay_lag_years": True}, "awards.pay_lag_years", "whole number"),
        ({"pay_lag_years": 1.0}, "awards.pay_lag_years", "whole number"),
        ({"firms": 3}, "awards.firms", "text"),
        ({"platforms": True}, "awards.platforms", "false to leave the table out"),
        (
            {"grwoth_award": "each_year"},
            "awards.grwoth_award",
            "did you mean 'awards.growth_award'",
        ),
    ],
)
def test_reader_names_the_key_the_value_and_what_is_expected(section, key, words):
    with pytest.raises(ScenarioError) as info:
        interpretation_from({"awards": section})
    assert info.value.key == key and words in str(info.value)


def test_check_scenario_refuses_awards_that_is_not_a_table():
    with pytest.raises(ScenarioError) as info:
        check_scenario({"awards": 5}, "x.toml")
    assert info.value.key == "awards"


def test_good_settings_are_read_and_normalised():
    i = interpretation_from(
        {
            "awards": {
                "budget_wan": {"2025": 400, "2026": 450.5},
                "recognitions": False,
                "policy": "p.toml",
                "later_higher_tier": "full",
                "pay_lag_years": 0,
            }
        }
    )
    assert i.budget_wan == {2025: 400.0, 2026: 450.5} and i.pay_lag_years == 0
    assert i.later_higher_tier == "full"
    assert list(i.budget_for([2025, 2026, 2027])) == [400.0, 450.5, math.inf]
    flat = interpretation_from(load_scenario(AWARDS, ["awards.budget_wan=300"]))
    assert flat.budget_wan == 300.0 and isinstance(flat.budget_wan, float)
    assert interpretation_from({}) == Interpretation()


# ----------------------------------------------------------------------------- the declaration


def test_interpretation_is_built_from_the_declaration():
    assert [f.name for f in fields(Interpretation)] == list(READINGS)
    assert set(READINGS) | set(AWARDS_PATH_KEYS) == set(AwardsParams.model_fields)
    for f in fields(Interpretation):
        assert f.default == AwardsParams.model_fields[f.name].default, f.name
    for key, allowed in CHOICES.items():  # default first, the same values as declared
        assert allowed == choices(AwardsParams.model_fields[key].annotation)
        assert allowed[0] == AwardsParams.model_fields[key].default
    assert set(CHOICES) == {
        "tiers_in_one_year",
        "later_higher_tier",
        "growth_award",
        "growth_with_revenue_same_year",
        "sunset",
        "budget_exhausted",
        "growth_window_from",
        "growth_window_opened_by",
        "growth_window_start",
        "platform_cap",
        "recognitions_per_firm",
        "demo_and_design",
        "recognition_later_level",
    }


def test_direct_construction_is_checked_by_the_declaration():
    assert Interpretation(later_higher_tier="full").later_higher_tier == "full"
    with pytest.raises(ValueError, match="awards.sunset"):
        Interpretation(sunset="never")
    with pytest.raises(ValueError, match="awards.budget_wan"):
        Interpretation(budget_wan=-1.0)
    assert Interpretation(budget_wan={"2025": 3}).budget_wan == {2025: 3.0}


def test_every_key_is_labelled_and_every_reading_gives_its_clause_and_choices():
    for key, info in AwardsParams.model_fields.items():
        m = meta(info)
        assert m.get("zh") and m.get("en") and info.description, key
        if key in CHOICES:
            assert m.get("clause"), key
            assert list(m["options"]) == list(CHOICES[key]), key
            for zh, en in m["options"].values():
                assert zh and en and any("\u4e00" <= c <= "\u9fff" for c in zh), key


def test_clauses_quote_the_text():
    text = "".join(SEED.read_text(encoding="utf-8").split())
    for key, info in AwardsParams.model_fields.items():
        clause = meta(info).get("clause")
        if not clause:
            continue
        for part in clause.split(";"):
            ref, quote = part.strip().split(" ", 1)  # "三.(一) 从获奖次年开始……"
            for piece in quote.replace("“", '"').replace("”", '"').split("……"):
                piece = piece.replace('"', "")
                assert piece.replace(" ", "") in text.replace("“", "").replace("”", ""), (
                    key,
                    piece,
                )


def test_awards_is_registered_for_the_scenario_check():
    assert extra_sections()["awards"][0] is AwardsParams
