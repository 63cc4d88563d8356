from pathlib import Path

from fundalloc.core.scenario import load_scenario
from fundalloc.selection.run import optimise

ROOT = Path(__file__).resolve().parents[1]


def test_default_scenario_solves_to_proven_optimum():
    outcome = optimise(load_scenario(ROOT / "scenarios/henan-2025.toml"))
    s = outcome.summary
    assert s["status"] == "optimal"
    assert s["mip_gap"] == 0.0
    assert 4 <= len(s["designated"]) <= 5
    assert s["total_award_wan"] <= s["budget_wan"]
