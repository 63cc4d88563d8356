"""Bad input stops `fundalloc awards` with an InputError naming file, row and column, and a
failing run leaves no output folder (and no staging folder) behind."""

from pathlib import Path

import pytest

from fundalloc.commands.awards import run_awards
from fundalloc.core.errors import InputError, ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.inputs.firms import read_firms, read_platforms, read_recognitions
from fundalloc.rules.jiaxing import interpretation_from

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios/jiaxing-2024.toml"
GOOD = (
    "firm_id,sector,year,revenue_wan\n"
    "A,tech_info,2023,1500\nA,tech_info,2024,2500\nB,logistics,2024,900\n"
)


def write(tmp_path: Path, text: str, name: str = "firms.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def expect(exc: InputError, path: Path, row: int, column: str, words: str) -> None:
    assert exc.file == str(path)
    assert exc.row == row and exc.column == column
    assert words in str(exc) and path.name in str(exc) and f"row {row}" in str(exc)


@pytest.mark.parametrize(
    "text,row,column,words",
    [
        (GOOD + "C,mining,2024,100\n", 5, "sector", "unknown value 'mining'"),
        (
            GOOD.replace("A,tech_info,2024,2500", "A,tech_info,2024,lots"),
            3,
            "revenue_wan",
            "'lots' is not a number",
        ),
        (
            GOOD.replace("B,logistics,2024,900", "B,logistics,2024,-900"),
            4,
            "revenue_wan",
            "negative",
        ),
        (
            GOOD + "A,tech_info,2024,2600\n",
            5,
            "year",
            "duplicate firm-year A 2024 (first on row 3)",
        ),
        (GOOD.replace("revenue_wan", "revenue"), 1, "revenue_wan", "missing column"),
        (GOOD + "C,tech_info,20245,100\n", 5, "year", "above 2100"),
        (GOOD + "A,logistics,2025,3000\n", 5, "sector", "one sector per firm"),
        (GOOD + ",tech_info,2025,3000\n", 5, "firm_id", "id is missing"),
    ],
)
def test_bad_firm_file(tmp_path, text, row, column, words):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        read_firms(path)
    expect(info.value, path, row, column, words)


def test_empty_firm_file(tmp_path):
    path = write(tmp_path, "")
    with pytest.raises(InputError) as info:
        read_firms(path)
    expect(info.value, path, 1, "firm_id", "empty")


def test_header_only_firm_file(tmp_path):
    path = write(tmp_path, "firm_id,sector,year,revenue_wan\n")
    with pytest.raises(InputError) as info:
        read_firms(path)
    expect(info.value, path, 2, "firm_id", "no records")


def test_recognition_for_unknown_firm(tmp_path):
    firms = read_firms(write(tmp_path, GOOD))
    path = write(
        tmp_path,
        "firm_id,year,kind,level\nA,2024,service_mfg_demo,national\n"
        "Z,2025,industrial_design,municipal\n",
        "rec.csv",
    )
    with pytest.raises(InputError) as info:
        read_recognitions(path, firms)
    expect(info.value, path, 3, "firm_id", "firm 'Z' is not in the firm file")


@pytest.mark.parametrize(
    "text,row,column,words",
    [
        ("firm_id,year,kind,level\nA,2024,service_mfg_demo,county\n", 2, "level", "unknown value"),
        ("firm_id,year,kind,level\nA,2024,design,national\n", 2, "kind", "unknown value 'design'"),
        ("firm_id,year,level\nA,2024,national\n", 1, "kind", "missing column"),
    ],
)
def test_bad_recognition_file(tmp_path, text, row, column, words):
    firms = read_firms(write(tmp_path, GOOD))
    path = write(tmp_path, text, "rec.csv")
    with pytest.raises(InputError) as info:
        read_recognitions(path, firms)
    expect(info.value, path, row, column, words)


def test_chinese_names_are_accepted(tmp_path):
    firms = read_firms(
        write(
            tmp_path,
            "firm_id,sector,year,revenue_wan\nA,科技信息,2024,2500\nB,批零贸易,2024,60000\n",
        )
    )
    assert firms.sector.tolist() == [0, 3]
    rec = read_recognitions(
        write(tmp_path, "firm_id,year,kind,level\nA,2024,工业设计,国家级\n", "rec.csv"), firms
    )
    assert (rec.kind.tolist(), rec.level.tolist()) == ([1], [0])


@pytest.mark.parametrize(
    "text,row,column,words",
    [
        (
            "platform_id,year,firms_served,trade_growth,upgrade_cost_wan\nP,2024,301,18,50\n",
            2,
            "trade_growth",
            "above 10",
        ),
        (
            "platform_id,year,firms_served,trade_growth,upgrade_cost_wan\nP,2024,301,0.2,-5\n",
            2,
            "upgrade_cost_wan",
            "negative",
        ),
        (
            "platform_id,year,firms_served,trade_growth,upgrade_cost_wan\nP,2024,301,0.2,5\n"
            "P,2024,320,0.3,9\n",
            3,
            "year",
            "duplicate platform-year",
        ),
        (
            "platform_id,year,firms_served,trade_growth,upgrade_cost_wan\nP,2024,30.5,0.2,5\n",
            2,
            "firms_served",
            "whole number",
        ),
    ],
)
def test_bad_platform_file(tmp_path, text, row, column, words):
    path = write(tmp_path, text, "plat.csv")
    with pytest.raises(InputError) as info:
        read_platforms(path)
    expect(info.value, path, row, column, words)


def test_xlsx_firm_file_reads_like_csv(tmp_path):
    import pandas as pd

    frame = pd.read_csv(ROOT / "scenarios/data/jiaxing_firms_example.csv")
    frame.to_excel(tmp_path / "firms.xlsx", index=False)
    a, b = (
        read_firms(ROOT / "scenarios/data/jiaxing_firms_example.csv"),
        read_firms(tmp_path / "firms.xlsx"),
    )
    assert (a.ids == b.ids).all() and (a.sector == b.sector).all()
    assert ((a.revenue == b.revenue) | (a.revenue != a.revenue)).all()


@pytest.mark.parametrize(
    "key,value,words",
    [
        ("tiers_in_one_year", "'all'", "not one of highest, each"),
        ("later_higher_tier", "'partial'", "top_up, full, none"),
        ("pay_lag_years", "-1", "whole number of years"),
        ("budget_wan", "-5", "budget in 万元"),
        ("budget_wan", "{ next = 5 }", "pay years"),
        ("grwoth_award", "'each_year'", "unknown key"),
    ],
)
def test_bad_scenario_key_is_named(key, value, words):
    with pytest.raises(ScenarioError) as info:  # the scenario check stops it when loaded
        interpretation_from(load_scenario(SCENARIO, [f"awards.{key}={value}"]))
    assert f"awards.{key}" in str(info.value) and words in str(info.value)


def test_failing_run_leaves_no_output_folder(tmp_path):
    bad = write(tmp_path, GOOD + "C,mining,2024,100\n")
    out = tmp_path / "results" / "run1"
    with pytest.raises(InputError):
        run_awards(load_scenario(SCENARIO), firms=bad, out=out)
    assert not out.exists()
    assert not (tmp_path / "results").exists() or not any((tmp_path / "results").iterdir())


def test_failure_while_writing_leaves_nothing_half_written(tmp_path, monkeypatch):
    import fundalloc.commands.awards as ar

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ar, "write_workbook_of", broken)  # fails after payments.csv was written
    out = tmp_path / "results" / "run1"
    with pytest.raises(OSError):
        ar.run_awards(load_scenario(SCENARIO), out=out)
    assert not out.exists()
    assert list((tmp_path / "results").iterdir()) == []  # the staging folder is gone too
