"""One firm reader for `awards` and `simulate`: the same file (Chinese sector names, the same
year range) is accepted, or refused with the same message, by both."""

from pathlib import Path

import numpy as np
import pytest
from simulation_helpers import write_scenario

from fundalloc.commands.awards import optimise
from fundalloc.core.errors import InputError
from fundalloc.core.scenario import load_scenario
from fundalloc.inputs.firms import read_firms
from fundalloc.simulation.world import load_world

ROOT = Path(__file__).resolve().parents[1]
AWARDS = ROOT / "scenarios/jiaxing-2024.toml"
FIRMS = (
    "firm_id,sector,year,revenue_wan\n"
    "A,科技信息,2023,1800\nA,科技信息,2024,5500\n"
    "B,批零贸易,2023,90000\nB,wholesale_retail,2024,120000\n"
    "C,制造业,2023,9000\n"
)


def awards_of(path: Path):
    scenario = load_scenario(AWARDS, ["awards.recognitions=false", "awards.platforms=false"])
    return optimise(scenario, path)


def world_of(tmp_path: Path, path: Path):
    scenario = write_scenario(tmp_path, runs=5)
    return load_world(load_scenario(scenario, [f"simulation.firms={path}"]))


def test_same_firm_file_is_read_by_awards_and_simulate(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text(FIRMS, encoding="utf-8")
    out = awards_of(path)
    assert out.firms.ids.tolist() == ["A", "B", "C"]
    assert out.firms.sector.tolist() == [0, 3, 4]
    assert out.summary["total_wan"] > 0  # A crosses 5,000 万 in 2024
    pop = world_of(tmp_path, path).pop
    inc = pop.incumbent
    assert pop.ids[inc].tolist() == ["A", "B", "C"]
    assert pop.sector[inc].tolist() == [0, 3, 4]
    assert pop.history_years == (2023,)
    assert pop.history[inc, 0].tolist() == [1800, 90000, 9000]


def test_year_range_is_the_same_for_both(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text(FIRMS + "D,tech_info,1950,100\n", encoding="utf-8")
    errors = []
    for load in (awards_of, lambda p: world_of(tmp_path, p)):
        with pytest.raises(InputError) as info:
            load(path)
        errors.append(info.value)
    assert {(e.row, e.column) for e in errors} == {(7, "year")}
    assert str(errors[0]) == str(errors[1]) and "at least 1980" in str(errors[0])


def test_history_before_the_first_simulated_year(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text(
        "firm_id,sector,year,revenue_wan\nA,tech_info,2020,100\nA,tech_info,2022,120\n"
        "B,logistics,2021,50\nC,logistics,2025,70\nA,tech_info,2024,130\n",
        encoding="utf-8",
    )
    ids, sector, years, hist = read_firms(path).history_before(2024)
    assert ids.tolist() == ["A", "B"] and sector.tolist() == [0, 1]  # C enters later
    assert years == (2020, 2021, 2022, 2023)
    np.testing.assert_array_equal(hist, [[100, np.nan, 120, np.nan], [np.nan, 50, np.nan, np.nan]])
    with pytest.raises(InputError, match="no revenue before 2020"):
        read_firms(path).history_before(2020)
