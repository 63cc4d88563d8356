"""`fundalloc template KIND OUT.xlsx`: a workbook per input with both header rows, drop-downs and
number checks, an example row and an instruction sheet; filled in and saved, it reads back as
the bundled file does (the Henan applicants select the same batch)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.columns import read
from fundalloc.core.errors import InputError
from fundalloc.core.i18n import use_lang
from fundalloc.inputs.templates import EXAMPLES, KINDS, header_label, table_of

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "scenarios" / "data"
BUNDLED = {
    "applicants": "henan_applicants_2025.csv",
    "jiangsu-applicants": "jiangsu_applicants_2025.csv",
    "jiangsu-performance": "jiangsu_performance_2025.csv",
    "firms": "jiaxing_firms_example.csv",
    "recognitions": "jiaxing_recognitions_example.csv",
    "platforms": "jiaxing_platforms_example.csv",
    "batch": "henan_proposed_batches.csv",
}


def run(*args: str):
    with use_lang("zh"):
        return CliRunner().invoke(app, list(args))


def template(kind: str, path: Path) -> Path:
    result = run("template", kind, str(path))
    assert result.exit_code == 0, result.output
    return path


def fill(path: Path, csv: Path) -> None:
    """Write the CSV's records into the template from row 3 (over the example), by the machine
    names of row 2, numbers as numbers, as someone typing them into Excel would; save."""
    table = table_of(next(k for k, f in BUNDLED.items() if f == csv.name))
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    where = {ws.cell(2, j).value: j for j in range(1, ws.max_column + 1)}
    rows = pd.read_csv(csv, dtype=str, keep_default_na=False)
    for i, record in enumerate(rows.to_dict("records")):
        for name, text in record.items():
            numeric = table[name].numeric if name in table.names else False
            value = (float(text) if numeric else text) if text != "" else None
            ws.cell(3 + i, where[name], value)
    book.save(path)


def same(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        return np.allclose(a.astype(float), b.astype(float), equal_nan=True, rtol=0, atol=0)
    return list(a) == list(b)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_writes_both_header_rows_validations_and_instructions(kind, tmp_path):
    table = table_of(kind)
    book = openpyxl.load_workbook(template(kind, tmp_path / "t.xlsx"))
    data, notes = book.worksheets[0], book.worksheets[1]
    assert (data.title, notes.title) == ("填写", "说明")
    with use_lang("zh"):
        labels = [header_label(c) for c in table.columns]
    assert [c.value for c in data[1]] == labels
    assert all(c.font.bold for c in data[1])
    assert [c.value for c in data[2]] == list(table.names)
    assert data.freeze_panes == "A3"
    for col in table.columns:  # units in the header
        if col.unit:
            assert labels[table.names.index(col.name)] == f"{col.zh}({col.unit})"
    rules = {str(dv.sqref).split(":")[0][:-1]: dv for dv in data.data_validations.dataValidation}
    for j, col in enumerate(table.columns):
        letter = openpyxl.utils.get_column_letter(j + 1)
        if col.kind in ("choice", "yes/no"):
            assert rules[letter].type == "list", col.name
            assert str(rules[letter].sqref) == f"{letter}3:{letter}1048576"
        elif col.numeric and (col.min is not None or col.max is not None):
            assert rules[letter].type in ("decimal", "whole", "custom"), col.name
        else:
            assert letter not in rules, col.name
    names = [r[1] for r in notes.iter_rows(values_only=True)]
    assert [n for n in names if n in table.names] == list(table.names)
    assert any("第3行" in (r[0] or "") for r in notes.iter_rows(values_only=True))
    # the example row as written reads back through the reader as the bundled row does
    rows = read(table, tmp_path / "t.xlsx")
    assert len(rows) == 1
    bundled = read(table, DATA / BUNDLED[kind])
    for name in table.names:
        assert same(rows[name], bundled[name][:1]), name


def test_drop_downs_show_the_chinese_names_the_reader_maps_back(tmp_path):
    book = openpyxl.load_workbook(template("firms", tmp_path / "f.xlsx"))
    ws = book.worksheets[0]
    rules = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert rules["B"] == '"科技信息,物流运输,商务服务,批零贸易,制造业"'
    assert ws["B3"].value == "科技信息"  # the example's tech_info, as offered
    assert rules["C"] and rules["D"]  # year and revenue: number checks
    book = openpyxl.load_workbook(template("jiangsu-applicants", tmp_path / "j.xlsx"))
    lists = [dv.formula1 for dv in book.worksheets[0].data_validations.dataValidation]
    assert '"是,否"' in lists and '"区域,企业"' in lists


@pytest.mark.parametrize("kind", KINDS)
def test_filled_with_the_bundled_file_it_reads_back_unchanged(kind, tmp_path):
    table = table_of(kind)
    path = template(kind, tmp_path / "t.xlsx")
    fill(path, DATA / BUNDLED[kind])
    got, want = read(table, path), read(table, DATA / BUNDLED[kind])
    assert len(got) == len(want)
    for name in table.names:
        assert same(got[name], want[name]), name


def test_the_henan_template_filled_in_selects_the_same_batch(tmp_path):
    from fundalloc.core.scenario import load_scenario
    from fundalloc.selection.run import optimise

    path = template("applicants", tmp_path / "t.xlsx")
    fill(path, DATA / BUNDLED["applicants"])
    scenario = ROOT / "scenarios" / "henan-2025.toml"
    got = optimise(load_scenario(scenario), path)
    want = optimise(load_scenario(scenario), DATA / BUNDLED["applicants"])
    assert got.summary["designated"] == want.summary["designated"]
    assert len(got.summary["designated"]) > 0
    assert got.summary["awards_wan"] == want.summary["awards_wan"]
    assert got.solution.award_wan == pytest.approx(want.solution.award_wan)


def test_a_bad_cell_is_named_by_its_real_spreadsheet_row(tmp_path):
    table = table_of("applicants")
    path = template("applicants", tmp_path / "t.xlsx")
    fill(path, DATA / BUNDLED["applicants"])
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    ws.cell(5, table.names.index("score") + 1, 130)
    book.save(path)
    with pytest.raises(InputError) as exc:
        read(table, path)
    assert (exc.value.row, exc.value.column) == (5, "score")


def test_a_column_added_without_a_name_keeps_its_label(tmp_path):
    table = table_of("batch")
    path = template("batch", tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    ws.cell(1, 4, "备注")
    ws.cell(3, 4, "材料齐全")
    book.save(path)
    rows = read(table, path)
    assert list(rows.frame["备注"]) == ["材料齐全"]


def test_the_examples_are_rows_of_the_bundled_files():
    for kind, name in BUNDLED.items():
        table = table_of(kind)
        example = EXAMPLES[table.name]
        assert set(example) == set(table.names)
        rows = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
        for c in table.columns:  # an optional column the bundled file leaves out: empty
            if c.optional and c.name not in rows.columns:
                assert example[c.name] == "", (kind, c.name)
                rows[c.name] = ""
        assert example in rows[list(table.names)].to_dict("records"), kind


def test_an_unknown_kind_is_an_error_listing_the_kinds(tmp_path):
    result = run("template", "applicant", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 2
    assert all(k in result.output for k in KINDS)
    assert not (tmp_path / "t.xlsx").exists()


def test_an_existing_file_is_kept_unless_force(tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"mine")
    result = run("template", "firms", str(out))
    assert result.exit_code == 2
    assert "--force" in result.output
    assert out.read_bytes() == b"mine"
    result = run("template", "firms", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).worksheets[0]["A2"].value == "firm_id"


def test_the_file_must_be_xlsx(tmp_path):
    result = run("template", "firms", str(tmp_path / "t.csv"))
    assert result.exit_code == 2
    assert ".xlsx" in result.output


def test_english_switch(tmp_path):
    with use_lang("en"):
        result = CliRunner().invoke(app, ["template", "platforms", str(tmp_path / "p.xlsx")])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert book.sheetnames == ["data", "instructions"]
    assert book.worksheets[0]["E1"].value == "Upgrade cost(万元)"
    assert book.worksheets[0]["E2"].value == "upgrade_cost_wan"


def test_the_template_saved_as_csv_reads_back_too(tmp_path):
    """Excel's 另存为 CSV keeps both header rows: the label row is skipped there as well."""
    table = table_of("platforms")
    csv = tmp_path / "p.csv"
    bundled = pd.read_csv(DATA / BUNDLED["platforms"], dtype=str, keep_default_na=False)
    with use_lang("zh"):
        labels = [header_label(table[c]) for c in bundled.columns]
    lines = [",".join(labels), ",".join(bundled.columns)]
    lines += [",".join(r) for r in bundled.itertuples(index=False)]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    got, want = read(table, csv), read(table, DATA / BUNDLED["platforms"])
    for name in table.names:
        assert same(got[name], want[name]), name
