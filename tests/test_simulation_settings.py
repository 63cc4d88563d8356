"""[simulation] and [stress] are declared once (model/simulation/settings.py) and checked when a
scenario is loaded: a bad key or value stops with its dotted name, through `load_scenario` and
through the command line (exit code 2, nothing written)."""

from __future__ import annotations

from dataclasses import fields

import pytest
from simulation_helpers import ROOT
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.core.schema import walk
from fundalloc.rules.jiaxing import SECTORS
from fundalloc.simulation.params import (
    Behaviour,
    BehaviourSettings,
    GrowthSettings,
    Platforms,
    PlatformsSettings,
    PopulationSettings,
    SimulationSettings,
    StressSettings,
)

BASELINE = ROOT / "scenarios/jiaxing-sim-baseline.toml"

BAD = [
    ("simulation.runz=5", "simulation.runz"),
    ("simulation.growth.tech_info.muu=0.1", "simulation.growth.tech_info.muu"),
    ("simulation.runs=1.5", "simulation.runs"),
    ("simulation.entry_rate=nan", "simulation.entry_rate"),
    ('simulation.years="2024"', "simulation.years"),
    ("stress.typo=1", "stress.typo"),
    ('stress.scenarios="jiaxing-sim-boom.toml"', "stress.scenarios"),
    ("simulation.years=[2024, 2026]", "simulation.years"),
    ("simulation.population.history_years=[2020, 2021]", "simulation.population.history_years"),
    ("simulation.platforms.n=true", "simulation.platforms.n"),
    ("simulation.level=0", "simulation.level"),
    (
        'simulation.recognition.x={ kind = "service_mfg_demo", level = "city" }',
        "simulation.recognition.x.level",
    ),
    (
        'simulation.recognition.x={ kind = "service_mfg_demo", level = "municipal", '
        'sectors = ["mining"] }',
        "simulation.recognition.x.sectors",
    ),
    (
        "simulation.population.tech_info.entrant_median_wan=0",
        "simulation.population.tech_info.entrant_median_wan",
    ),
]


@pytest.mark.parametrize("assignment, key", BAD)
def test_bad_setting_stops_on_load_naming_the_key(assignment, key):
    with pytest.raises(ScenarioError) as info:
        load_scenario(BASELINE, [assignment])
    assert info.value.key == key


@pytest.mark.parametrize("assignment, key", BAD[:6])
def test_bad_setting_stops_the_command(tmp_path, assignment, key):
    out = tmp_path / "run"
    r = CliRunner().invoke(app, ["simulate", str(BASELINE), "--set", assignment, "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert key in r.output.replace("\n", "")
    assert not out.exists()


def test_bundled_scenarios_pass_the_declaration():
    for path in sorted((ROOT / "scenarios").glob("jiaxing-sim-*.toml")):
        sc = load_scenario(path)
        SimulationSettings.model_validate(sc.section("simulation"))
        StressSettings.model_validate(sc.section("stress"))


def test_engine_defaults_are_the_declarations():
    """Behaviour() and Platforms() carry exactly the declared keys and defaults."""
    for engine, declared in ((Behaviour, BehaviourSettings), (Platforms, PlatformsSettings)):
        assert [f.name for f in fields(engine)] == list(declared.model_fields)
        assert engine() == engine.from_settings(declared())
    assert set(SECTORS) <= set(GrowthSettings.model_fields)
    assert set(SECTORS) <= set(PopulationSettings.model_fields)


def test_every_key_is_documented():
    for model in (SimulationSettings, StressSettings):
        for key, info, _ in walk(model):
            extra = info.json_schema_extra or {}
            assert extra.get("zh") and extra.get("en") and info.description, key
