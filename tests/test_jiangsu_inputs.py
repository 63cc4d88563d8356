"""Bad Jiangsu applicant files and scenario values stop with a message naming file, row and
column (or the scenario key); aliases and XLSX give the same result as the plain file."""

from pathlib import Path

import pytest
from csv_helpers import read_rows, write_rows

from fundalloc.core.errors import InputError, ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.selection.run import optimise

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios/jiangsu-benchmarks.toml"
APPLICANTS = ROOT / "scenarios/data/jiangsu_applicants_2023.csv"


def rows():
    return read_rows(APPLICANTS)


write = write_rows


def first(records, **match):
    return next(i for i, r in enumerate(records) if all(r[k] == v for k, v in match.items()))


def error_for(tmp_path, records) -> InputError:
    path = write(tmp_path / "bad.csv", records)
    with pytest.raises(InputError) as info:
        optimise(load_scenario(SCENARIO), path)
    assert info.value.file == str(path)
    return info.value


@pytest.mark.parametrize(
    "match,column,value,words",
    [
        ({"track": "region"}, "city", "Springfield", "unknown value 'Springfield'"),
        ({"unit_type": "county"}, "gdp_prev_yi", "-12", "negative value -12"),
        ({"unit_type": "dev_park"}, "revenue_prev_yi", "-1", "negative value -1"),
        ({"track": "region"}, "mfg_share", "1.3", "share 1.3 is above 1"),
        ({"track": "region"}, "mfg_share", "", "value is missing"),
        ({"track": "enterprise"}, "provincial_pilot", "maybe", "'maybe' is not yes/no"),
        ({"track": "region"}, "provincial_pilot", "", "value is missing; give yes or no"),
        ({"unit_type": "dev_park"}, "in_catalogue", "", "value is missing; give yes or no"),
        ({"track": "region"}, "track", "village", "unknown value 'village'"),
        ({"track": "region"}, "unit_type", "village", "unknown value 'village'"),
        ({"track": "region"}, "unit_type", "", "a region needs its unit type"),
        ({"track": "enterprise"}, "unit_type", "county", "unit type 'county' is for regions"),
        ({"track": "enterprise"}, "national_share_rank", "0", "must be at least 1"),
        ({"track": "enterprise"}, "national_share_rank", "2.5", "must be a whole number"),
        ({"track": "region"}, "score", "101", "value 101 is above 100"),
        ({"track": "region"}, "reach", "0", "must be above 0"),
        ({"track": "enterprise"}, "pinned", "maybe", "unknown value 'maybe'"),
        ({"track": "enterprise"}, "city_match_wan", "-5", "negative value -5"),
    ],
)
def test_bad_cell_is_named(tmp_path, match, column, value, words):
    records = rows()
    i = first(records, **match)
    records[i][column] = value
    e = error_for(tmp_path, records)
    assert (e.row, e.column) == (i + 2, column)
    assert words in str(e)


def test_region_without_gdp_or_revenue(tmp_path):
    records = rows()
    i = first(records, unit_type="county")
    records[i]["gdp_prev_yi"] = records[i]["revenue_prev_yi"] = ""
    e = error_for(tmp_path, records)
    assert (e.row, e.column) == (i + 2, "gdp_prev_yi") and "both are empty" in str(e)


def test_enterprise_without_revenue_or_rank(tmp_path):
    records = rows()
    i = first(records, track="enterprise", national_share_rank="")
    records[i]["revenue_prev_yi"] = ""
    e = error_for(tmp_path, records)
    assert (e.row, e.column) == (i + 2, "revenue_prev_yi") and "both are empty" in str(e)


def test_duplicate_id(tmp_path):
    records = rows()
    records[9]["id"] = records[2]["id"]
    e = error_for(tmp_path, records)
    assert (e.row, e.column) == (11, "id")
    assert f"duplicate id '{records[2]['id']}' (first used on row 4)" in str(e)


@pytest.mark.parametrize("column", ["provincial_pilot", "track", "unit_type", "mfg_share"])
def test_missing_column(tmp_path, column):
    records = rows()
    path = write(tmp_path / "missing.csv", records, [f for f in records[0] if f != column])
    with pytest.raises(InputError) as info:
        optimise(load_scenario(SCENARIO), path)
    assert f"missing column(s) '{column}'" in str(info.value) and info.value.row == 1


def test_per_city_limit_when_the_scenario_sets_one(tmp_path):
    cities = [r["city"] for r in rows()]
    most = max(cities.count(c) for c in set(cities))
    # the first row at which some city goes over most - 1
    over = next(i for i in range(len(cities)) if cities[: i + 1].count(cities[i]) == most)
    optimise(load_scenario(SCENARIO, [f"eligibility.max_applicants_per_city={most}"]))
    with pytest.raises(InputError) as info:
        optimise(load_scenario(SCENARIO, [f"eligibility.max_applicants_per_city={most - 1}"]))
    e = info.value
    assert e.column == "city" and e.row == over + 2
    assert f"{cities[over]} recommends {most} applicants" in str(e)


def test_aliases_give_the_same_result(tmp_path):
    records = rows()
    spelled = {"苏州": "Suzhou", "淮安": "Huai'an", "南京": "南京市"}
    for r in records:
        r["city"] = spelled.get(r["city"], r["city"])
        r["provincial_pilot"] = {"yes": "是", "no": "否"}[r["provincial_pilot"]]
        if r["track"] == "enterprise":
            r["track"], r["unit_type"] = "企业", ""
    base = optimise(load_scenario(SCENARIO)).summary
    alias = optimise(load_scenario(SCENARIO), write(tmp_path / "alias.csv", records)).summary
    assert alias["designated"] == base["designated"]
    assert alias["awards_wan"] == base["awards_wan"]
    assert alias["ineligible"] == base["ineligible"]


@pytest.mark.parametrize(
    "assignment,key",
    [
        ("eligibility.region_size_measure=any", "eligibility.region_size_measure"),
        ("eligibility.mfg_share_min=35", "eligibility.mfg_share_min"),
        ("eligibility.region_unit_types=['village']", "eligibility.region_unit_types"),
        ("eligibility.county_gdp_min_yi=200", "eligibility.county_gdp_min_yi"),  # a Henan key
        ("eligibility.max_applicants_per_city=-1", "eligibility.max_applicants_per_city"),
        ("eligibility.mfg_share_inclusive=1", "eligibility.mfg_share_inclusive"),
        ("selection.region_min={zhengzhou=1}", "selection.region_min"),  # a Henan group
        ("rules=zhejiang", "rules"),
    ],
)
def test_bad_scenario_values_name_the_key(assignment, key):
    with pytest.raises(ScenarioError) as info:
        optimise(load_scenario(SCENARIO, [assignment]))
    assert info.value.key == key
