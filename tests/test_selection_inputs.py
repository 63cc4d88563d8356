"""Bad applicant files and scenario values stop with a message naming file, row and column,
and leave earlier results untouched."""

import csv
import json
from pathlib import Path

import pytest
from csv_helpers import read_rows, write_rows
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import InputError, ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.selection.run import optimise

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios/henan-2025.toml"
APPLICANTS = ROOT / "scenarios/data/henan_applicants_2025.csv"


def rows():
    return read_rows(APPLICANTS)


write = write_rows


def bad_file(tmp_path, row_index, column, value):
    records = rows()
    records[row_index][column] = value
    return write(tmp_path / "bad.csv", records)


@pytest.mark.parametrize(
    "row_index,column,value,words",
    [
        (3, "city", "Springfield", "unknown value 'Springfield'"),
        (5, "gdp_prev_yi", "-12", "negative value -12"),
        (0, "mfg_share", "1.3", "share 1.3 is above 1"),
        (7, "score", "abc", "'abc' is not a number"),
        (2, "kind", "village", "unknown value 'village'"),
        (4, "industrial_scale", "0", "must be above 0"),
        (6, "pinned", "maybe", "unknown value 'maybe'"),
    ],
)
def test_bad_cell_is_named(tmp_path, row_index, column, value, words):
    path = bad_file(tmp_path, row_index, column, value)
    with pytest.raises(InputError) as info:
        optimise(load_scenario(SCENARIO), path)
    e = info.value
    assert (e.file, e.row, e.column) == (str(path), row_index + 2, column)
    assert words in str(e)


def test_duplicate_id(tmp_path):
    records = rows()
    records[9]["id"] = records[2]["id"]
    path = write(tmp_path / "dup.csv", records)
    with pytest.raises(InputError) as info:
        optimise(load_scenario(SCENARIO), path)
    assert info.value.row == 11 and info.value.column == "id"
    assert "duplicate id 'HA021' (first used on row 4)" in str(info.value)


def test_missing_column(tmp_path):
    records = rows()
    fields = [f for f in records[0] if f != "reach"]
    path = write(tmp_path / "missing.csv", records, fields)
    with pytest.raises(InputError) as info:
        optimise(load_scenario(SCENARIO), path)
    assert "missing column(s) 'reach'" in str(info.value) and info.value.row == 1


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        optimise(load_scenario(SCENARIO), path)


def test_header_only_file(tmp_path):
    path = write(tmp_path / "header.csv", [], fields=list(rows()[0]))
    with pytest.raises(InputError, match="no records"):
        optimise(load_scenario(SCENARIO), path)


def test_pinyin_city_names_are_accepted(tmp_path):
    records = rows()
    for r in records:
        if r["city"] == "郑州":
            r["city"] = "Zhengzhou"
    base = optimise(load_scenario(SCENARIO)).summary
    alias = optimise(load_scenario(SCENARIO), write(tmp_path / "py.csv", records)).summary
    assert alias["designated"] == base["designated"]


def test_three_applicants_from_one_city_is_rejected(tmp_path):
    records = rows()
    records[5]["city"] = "郑州"
    path = write(tmp_path / "three.csv", records)
    with pytest.raises(InputError, match="郑州 recommends 3 applicants"):
        optimise(load_scenario(SCENARIO), path)


@pytest.mark.parametrize(
    "scenario, applicants",
    [
        (SCENARIO, APPLICANTS),
        (
            ROOT / "scenarios/jiangsu-benchmarks.toml",
            ROOT / "scenarios/data/jiangsu_applicants_2023.csv",
        ),
    ],
)
def test_xlsx_input_gives_same_result(tmp_path, scenario, applicants):
    import pandas as pd

    xlsx = tmp_path / "applicants.xlsx"
    pd.read_csv(applicants, dtype=str, keep_default_na=False).to_excel(xlsx, index=False)
    a = optimise(load_scenario(scenario)).summary
    b = optimise(load_scenario(scenario), xlsx).summary
    assert a["designated"] == b["designated"] and a["awards_wan"] == b["awards_wan"]


@pytest.mark.parametrize(
    "assignment,key",
    [
        ("selection.floor_wan=-5", "selection.floor_wan"),
        ("selection.cap_wan=100", "selection.cap_wan"),
        ("selection.region_min={middle=1}", "selection.region_min"),
        ("selection.budget=5", "selection.budget"),
    ],
)
def test_bad_scenario_values_name_the_key(assignment, key):
    with pytest.raises(ScenarioError) as info:
        optimise(load_scenario(SCENARIO, [assignment]))
    assert info.value.key == key


def test_failed_run_writes_nothing_and_keeps_earlier_results(tmp_path):
    runner = CliRunner()
    good = tmp_path / "run1"
    r = runner.invoke(app, ["select", str(SCENARIO), "--out", str(good)])
    assert r.exit_code == 0, r.output
    before = {p.name: p.read_bytes() for p in good.iterdir()}
    bad = bad_file(tmp_path, 3, "mfg_share", "2")
    r = runner.invoke(
        app, ["select", str(SCENARIO), "--applicants", str(bad), "--out", str(tmp_path / "run2")]
    )
    assert r.exit_code == 2
    assert "bad.csv, row 5, column 'mfg_share'" in r.output
    assert not (tmp_path / "run2").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".run2")]  # no staging left
    assert {p.name: p.read_bytes() for p in good.iterdir()} == before
    # An existing run is never overwritten.
    r = runner.invoke(app, ["select", str(SCENARIO), "--out", str(good)])
    assert r.exit_code == 2 and "never overwrites" in r.output
    assert {p.name: p.read_bytes() for p in good.iterdir()} == before


def test_cli_writes_the_contract_files(tmp_path):
    out = tmp_path / "run"
    r = CliRunner().invoke(
        app, ["select", str(SCENARIO), "--out", str(out), "--set", "selection.budget_wan=1800"]
    )
    assert r.exit_code == 0, r.output
    for name in (
        "selection.csv",
        "summary.json",
        "manifest.json",
        "allocation.xlsx",
        "report.html",
    ):
        assert (out / name).exists(), name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for key in (
        "status",
        "designated",
        "total_score",
        "total_award_wan",
        "mip_gap",
        "solve_seconds",
    ):
        assert key in summary
    assert summary["total_award_wan"] <= 1800
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["overrides"] == ["selection.budget_wan=1800"]
    assert len(manifest["scenario_sha256"]) == 64
    with (out / "selection.csv").open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == 38
    assert sum(int(r["award_wan"]) for r in table) == summary["total_award_wan"]
    assert sorted(r["id"] for r in table if r["designated"] == "True") == sorted(
        summary["designated"]
    )
    for r in table:
        assert (r["eligible"] == "True") == (r["reasons"] == "")
