"""The one column reader (fundalloc.core.columns): a repeated header name and a non-finite
number are errors naming file, row and column; unknown columns are kept; required-when, open
ends and duplicate keys as declared; a bad declaration fails when it is made."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from csv_helpers import read_rows, write_rows

from fundalloc.commands.select import optimise
from fundalloc.core.columns import Column, Table, Unique, When, check, read
from fundalloc.core.errors import InputError
from fundalloc.core.scenario import load_scenario
from fundalloc.inputs.applicants import read_applicants
from fundalloc.inputs.batches import parse_proposals, read_proposals
from fundalloc.inputs.firms import read_firms, read_platforms
from fundalloc.inputs.jiangsu import read_performance

ROOT = Path(__file__).resolve().parents[1]
HENAN = ROOT / "scenarios/henan-2025.toml"
APPLICANTS = ROOT / "scenarios/data/henan_applicants_2025.csv"
FIRMS = ROOT / "scenarios/data/jiaxing_firms_example.csv"
PERFORMANCE = ROOT / "scenarios/data/jiangsu_performance_2025.csv"
NOT_FINITE = ["inf", "Infinity", "-inf", "nan", "1e400", "-1e400", "INF"]


def expect(exc: InputError, path: Path, row: int, column: str, words: str) -> None:
    assert (exc.file, exc.row, exc.column) == (str(path), row, column)
    assert words in str(exc) and f"row {row}" in str(exc) and f"column '{column}'" in str(exc)


def with_repeated_header(src: Path, dst: Path, column: str) -> Path:
    lines = src.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    j = header.index(column)
    out = [",".join([*cells, cells[j]]) for cells in (ln.split(",") for ln in lines)]
    dst.write_text("\n".join(out) + "\n", encoding="utf-8")
    return dst


@pytest.mark.parametrize(
    "reader,src,column",
    [
        (read_applicants, APPLICANTS, "score"),
        (read_firms, FIRMS, "revenue_wan"),
    ],
)
def test_repeated_header_name_is_an_error(tmp_path, reader, src, column):
    path = with_repeated_header(src, tmp_path / "dup.csv", column)
    with pytest.raises(InputError) as info:
        reader(path)
    expect(info.value, path, 1, column, f"column '{column}' appears twice in the header")


def test_repeated_header_name_in_xlsx(tmp_path):
    frame = pd.read_csv(FIRMS, dtype=str)
    frame.insert(1, " year", frame["year"])  # spaces are stripped: the same name
    path = tmp_path / "firms.xlsx"
    frame.to_excel(path, index=False)
    with pytest.raises(InputError) as info:
        read_firms(path)
    expect(info.value, path, 1, "year", "(columns B and D)")


@pytest.mark.parametrize("value", NOT_FINITE)
@pytest.mark.parametrize("column", ["revenue_prev_yi", "score", "reach", "city_match_wan"])
def test_non_finite_number_in_the_applicant_file(tmp_path, column, value):
    records = read_rows(APPLICANTS)
    i = next(k for k, r in enumerate(records) if r["kind"] == "zone")
    records[i][column] = value
    path = write_rows(tmp_path / "bad.csv", records)
    with pytest.raises(InputError) as info:
        read_applicants(path)
    expect(info.value, path, i + 2, column, f"'{value}' is not a")


def test_infinite_revenue_does_not_make_a_zone_eligible(tmp_path):
    records = read_rows(APPLICANTS)
    i = next(k for k, r in enumerate(records) if r["kind"] == "zone")
    records[i]["revenue_prev_yi"] = "1e400"
    path = write_rows(tmp_path / "bad.csv", records)
    with pytest.raises(InputError) as info:
        optimise(load_scenario(HENAN), path)
    expect(info.value, path, i + 2, "revenue_prev_yi", "'1e400' is not a finite number")


@pytest.mark.parametrize("value", NOT_FINITE)
def test_non_finite_number_in_the_firm_file(tmp_path, value):
    path = tmp_path / "firms.csv"
    path.write_text(
        f"firm_id,sector,year,revenue_wan\nA,tech_info,2023,10\nA,tech_info,2024,{value}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_firms(path)
    expect(info.value, path, 3, "revenue_wan", f"'{value}' is not a")


@pytest.mark.parametrize("column", ["year", "firms_served", "trade_growth", "upgrade_cost_wan"])
def test_non_finite_number_in_the_platform_file(tmp_path, column):
    row = {
        "platform_id": "P",
        "year": "2024",
        "firms_served": "301",
        "trade_growth": "0.2",
        "upgrade_cost_wan": "5",
    }
    row[column] = "inf"
    path = write_rows(tmp_path / "plat.csv", [row])
    with pytest.raises(InputError) as info:
        read_platforms(path)
    expect(info.value, path, 2, column, "'inf' is not a finite number")


def test_non_finite_award_in_a_proposed_batch(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("id,award_wan\nHA021,300\nHA052,inf\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_proposals(path)
    expect(info.value, path, 3, "award_wan", "'inf' is not a finite number")
    with pytest.raises(InputError, match="not a finite number"):
        parse_proposals("HA021:300 HA052:inf")


def test_unknown_columns_are_kept_and_change_nothing(tmp_path):
    records = read_rows(APPLICANTS)
    for r in records:
        r["备注"] = "note"
    path = write_rows(tmp_path / "extra.csv", records)
    apps = read_applicants(path)
    assert (apps.frame["备注"] == "note").all()
    base = optimise(load_scenario(HENAN)).summary
    extra = optimise(load_scenario(HENAN), path).summary
    assert extra["designated"] == base["designated"] and extra["awards_wan"] == base["awards_wan"]


def test_pilot_listing_required_only_when_the_scenario_rechecks_it(tmp_path):
    records = read_rows(PERFORMANCE)
    path = write_rows(
        tmp_path / "perf.csv", records, [f for f in records[0] if f != "provincial_pilot"]
    )
    assert read_performance(path).facts.provincial_pilot.sum() == 0
    with pytest.raises(InputError) as info:
        read_performance(path, pilot_required=True)
    expect(info.value, path, 2, "provincial_pilot", "value is missing; give yes or no")


# ----------------------------------------------------------------------------- the reader itself

TOY = Table(
    "toy",
    "测试",
    "Toy",
    "a test table",
    columns=(
        Column("key", "id", "编号", "Key", help="the key"),
        Column(
            "kind", "choice", "类型", "Kind", choices=("a", "b"), aliases={"甲": "a"}, help="a or b"
        ),
        Column(
            "x",
            "number",
            "数",
            "X",
            min=0,
            max=1,
            min_open=True,
            max_open=True,
            required=When("kind", ("a",)),
            help="in (0, 1) for kind a",
        ),
        Column("n", "whole number", "个数", "N", required=False, optional=True, help="a count"),
        Column("y", "year", "年", "Year", required=False, help="a year"),
    ),
    unique=(Unique(("key", "kind"), "duplicate {key}/{kind} (first on row {first})"),),
)


def toy(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "toy.csv"
    path.write_text("key,kind,x,y\n" + body, encoding="utf-8")
    return path


def test_the_reader_returns_typed_arrays(tmp_path):
    rows = read(TOY, toy(tmp_path, "k1,甲,0.5,2024\nk2,B,,\n"))
    assert rows["kind"].tolist() == ["a", "b"]
    assert rows["x"][0] == 0.5 and np.isnan(rows["x"][1])
    assert np.isnan(rows["n"]).all() and "n" in rows.frame  # optional, left out: empty
    assert rows["y"][0] == 2024 and np.isnan(rows["y"][1])
    assert len(rows) == 2


def test_a_frame_already_read_is_checked_the_same_way():
    frame = pd.DataFrame(
        {
            "key": ["k1", "k2"],
            "kind": ["b", "a"],
            "x": ["", "0.3"],
            "y": ["", ""],
            "extra": ["p", "q"],
        }
    )
    rows = check(TOY, frame, "upload.xlsx")
    assert rows["kind"].tolist() == ["b", "a"] and rows.frame["extra"].tolist() == ["p", "q"]
    with pytest.raises(InputError) as info:
        check(TOY, frame.drop(columns="x"), "upload.xlsx")
    expect(info.value, Path("upload.xlsx"), 1, "x", "missing column(s) 'x'")


@pytest.mark.parametrize(
    "body,row,column,words",
    [
        ("k1,a,,2024\n", 2, "x", "value is missing"),
        ("k1,a,0,2024\n", 2, "x", "must be above 0"),
        ("k1,a,1,2024\n", 2, "x", "value 1 is not below 1"),
        ("k1,b,1.5,2024\n", 2, "x", "value 1.5 is not below 1"),
        ("k1,c,0.5,2024\n", 2, "kind", "unknown value 'c'; expected one of: a, b"),
        ("k1,a,0.5,1850\n", 2, "y", "must be at least 1980"),
        ("k1,a,0.5,2024.5\n", 2, "y", "must be a whole number"),
        (",a,0.5,2024\n", 2, "key", "id is missing"),
        ("k1,a,0.5,2024\nk1,甲,0.2,2025\n", 3, "kind", "duplicate k1/a (first on row 2)"),
    ],
)
def test_the_reader_names_the_cell(tmp_path, body, row, column, words):
    path = toy(tmp_path, body)
    with pytest.raises(InputError) as info:
        read(TOY, path)
    expect(info.value, path, row, column, words)


@pytest.mark.parametrize(
    "make,words",
    [
        (lambda: Column("c", "money", "钱", "C", help="h"), "kind 'money'"),
        (lambda: Column("c", "number", "数", "C", help="h", choices=("a",)), "choices"),
        (
            lambda: Column("c", "choice", "类", "C", help="h", choices=("a",), aliases={"x": "b"}),
            "aliases",
        ),
        (
            lambda: Table(
                "t",
                "表",
                "T",
                "h",
                columns=(
                    Column("a", "number", "数", "A", help="h", required=When("b", ("x",))),
                    Column("b", "choice", "类", "B", help="h", choices=("x",)),
                ),
            ),
            "declared before",
        ),
        (
            lambda: Table(
                "t",
                "表",
                "T",
                "h",
                columns=(Column("a", "id", "号", "A", help="h"),),
                unique=(Unique(("a", "z"), "dup"),),
            ),
            "unique key",
        ),
    ],
)
def test_a_bad_declaration_fails_when_made(make, words):
    with pytest.raises(ValueError, match=words):
        make()
