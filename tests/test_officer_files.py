"""The officers' own files read as they are (issue 13, item 3): each bundled input saved as GBK
CSV, as UTF-8 with BOM, with title rows above the header, with Chinese headers and values, with a
second header row of machine names, and (applicants) with shares in percent, reads to the same
values as the bundled file; the Henan applicants select the same batch with the same awards."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fundalloc.core.columns import read, tables
from fundalloc.core.errors import FundallocError, InputError
from fundalloc.core.scenario import load_scenario
from fundalloc.inputs.batches import read_proposals
from fundalloc.selection.run import optimise

DATA = Path(__file__).resolve().parents[1] / "scenarios" / "data"
HENAN = Path(__file__).resolve().parents[1] / "scenarios" / "henan-2025.toml"
FILES = {
    "henan_applicants": "henan_applicants_2025.csv",
    "jiangsu_applicants": "jiangsu_applicants_2023.csv",
    "jiangsu_performance": "jiangsu_performance_2025.csv",
    "firms": "jiaxing_firms_example.csv",
    "recognitions": "jiaxing_recognitions_example.csv",
    "platforms": "jiaxing_platforms_example.csv",
    "batches": "henan_proposed_batches.csv",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def grid(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((DATA / FILES[name]).read_text("utf-8"), newline="")))


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def chinese(name: str, rows: list[list[str]]) -> list[list[str]]:
    """Headers as their Chinese names, choices as a Chinese alias, yes/no as 是/否."""
    table = tables()[name]
    header, out = rows[0], []
    cols = [table[h] if h in table.names else None for h in header]
    for r in rows[1:]:
        cells = []
        for col, v in zip(cols, r):
            if col is not None and col.kind == "choice" and v:
                zh = [a for a, c in col.aliases.items() if c == v and CJK.search(a)]
                v = zh[0] if zh else v
            elif col is not None and col.kind == "yes/no" and v:
                v = {"yes": "是", "no": "否"}[v]
            cells.append(v)
        out.append(cells)
    return [[c.zh if c else h for c, h in zip(cols, header)], *out]


def same(a, b) -> None:
    assert a.keys() == b.keys()
    for k in a:
        if a[k].dtype.kind == "f":
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)
        else:
            assert list(a[k]) == list(b[k]), k


def variants(name: str, tmp: Path) -> dict[str, Path]:
    rows = grid(name)
    width = len(rows[0])
    title = [["2025年两业融合申报汇总表"] + [""] * (width - 1), ["填报单位：省发展改革委"], []]
    zh = chinese(name, rows)
    return {
        "gbk": write(tmp / "gbk.csv", rows, "gbk"),
        "bom": write(tmp / "bom.csv", rows, "utf-8-sig"),
        "title": write(tmp / "title.csv", title + rows),
        "chinese": write(tmp / "chinese.csv", zh, "gb18030"),
        "two_rows": write(tmp / "two_rows.csv", [zh[0], rows[0], *rows[1:]], "utf-8-sig"),
        "title_chinese": write(tmp / "title_chinese.csv", title + zh, "gbk"),
    }


@pytest.mark.parametrize("name", list(FILES))
def test_each_bundled_input_reads_the_same_however_saved(tmp_path, name):
    table = tables()[name]
    want = read(table, DATA / FILES[name])
    for kind, path in variants(name, tmp_path).items():
        got = read(table, path)
        same(got.values, want.values)
        assert len(got) == len(want), kind
    ascii_only = (DATA / FILES[name]).read_bytes().isascii()
    assert read(table, tmp_path / "gbk.csv").encoding == ("UTF-8" if ascii_only else "GBK/GB18030")
    assert read(table, tmp_path / "bom.csv").encoding == "UTF-8 with BOM"
    assert want.encoding == "UTF-8"


def test_title_rows_keep_spreadsheet_row_numbers(tmp_path):
    rows = grid("henan_applicants")
    rows[3][rows[0].index("revenue_prev_yi")] = "-5"  # spreadsheet row 4 in the bundled layout
    title = [["河南省两业融合发展区申报表"], [], ["单位：亿元"]]
    path = write(tmp_path / "t.csv", title + chinese("henan_applicants", rows), "gbk")
    with pytest.raises(InputError) as info:
        read(tables()["henan_applicants"], path)
    assert (info.value.row, info.value.column) == (7, "revenue_prev_yi")
    two = [chinese("henan_applicants", rows)[0], rows[0], *rows[1:]]
    with pytest.raises(InputError) as info:
        read(tables()["henan_applicants"], write(tmp_path / "two.csv", two))
    assert info.value.row == 5  # row 1 labels, row 2 machine names, data from row 3


def _percent(rows, col, fmt):
    j = rows[0].index(col)
    out = [list(r) for r in rows]
    for r in out[1:]:
        if r[j]:
            r[j] = fmt(format(Decimal(r[j]) * 100, "f"))
    return out


@pytest.mark.parametrize("fmt", [lambda p: p + "%", lambda p: p])
def test_henan_applicants_with_percent_shares_select_the_same_batch(tmp_path, fmt):
    rows = _percent(grid("henan_applicants"), "mfg_share", fmt)
    path = write(tmp_path / "pct.csv", chinese("henan_applicants", rows), "gbk")
    table = tables()["henan_applicants"]
    same(read(table, path).values, read(table, DATA / FILES["henan_applicants"]).values)
    want = optimise(load_scenario(HENAN)).table
    got = optimise(load_scenario(HENAN), path).table
    assert list(got["id"]) == list(want["id"])
    assert list(got["designated"]) == list(want["designated"])
    assert list(got["award_wan"]) == list(want["award_wan"])
    assert want["designated"].any()


def test_jiangsu_percent_shares_and_header_percent(tmp_path):
    rows = grid("jiangsu_applicants")
    table = tables()["jiangsu_applicants"]
    want = read(table, DATA / FILES["jiangsu_applicants"]).values
    same(read(table, write(tmp_path / "a.csv", _percent(rows, "mfg_share", str))).values, want)
    under = _percent(rows, "mfg_share", str)
    under[0][under[0].index("mfg_share")] = "制造业增加值占比(%)"
    same(read(table, write(tmp_path / "b.csv", under)).values, want)


def test_a_share_above_1_among_fractions_stays_an_error(tmp_path):
    rows = grid("henan_applicants")
    rows[2][rows[0].index("mfg_share")] = "42.1"
    with pytest.raises(InputError, match="share 42.1 is above 1") as info:
        read(tables()["henan_applicants"], write(tmp_path / "x.csv", rows))
    assert (info.value.row, info.value.column) == (3, "mfg_share")


def test_money_as_typed(tmp_path):
    rows = grid("firms")
    j = rows[0].index("revenue_wan")
    typed = [list(r) for r in rows]
    for k, r in enumerate(typed[1:]):
        v = Decimal(r[j])
        r[j] = [f"{v:,.0f}" if v >= 1000 else str(v), f"{v}万", f"{v / 10000}亿", f"{v}万元"][k % 4]
    table = tables()["firms"]
    want = read(table, DATA / FILES["firms"]).values
    same(read(table, write(tmp_path / "m.csv", typed)).values, want)
    apps = grid("henan_applicants")
    j = apps[0].index("revenue_prev_yi")
    for r in apps[1:]:
        if r[j]:
            r[j] = r[j] + "亿"
    table = tables()["henan_applicants"]
    same(
        read(table, write(tmp_path / "y.csv", apps)).values,
        read(table, DATA / FILES["henan_applicants"]).values,
    )


def test_a_header_unit_other_than_the_columns_is_an_error(tmp_path):
    rows = grid("henan_applicants")
    rows[0][rows[0].index("revenue_prev_yi")] = "上年营业收入(万元)"
    with pytest.raises(InputError, match="says 万元") as info:
        read(tables()["henan_applicants"], write(tmp_path / "u.csv", rows))
    assert info.value.column == "revenue_prev_yi"


@pytest.mark.parametrize("bad", ["Infinity", "inf", "1e400", "nan", "-inf", "1e400亿"])
def test_non_finite_numbers_are_named(tmp_path, bad):
    rows = [["申报汇总表"], *grid("henan_applicants")]
    rows[2][rows[1].index("revenue_prev_yi")] = bad
    with pytest.raises(InputError) as info:
        read(tables()["henan_applicants"], write(tmp_path / "n.csv", rows))
    e = info.value
    assert (e.file, e.row, e.column) == (str(tmp_path / "n.csv"), 3, "revenue_prev_yi")


def test_a_label_and_its_name_both_in_the_header_is_an_error(tmp_path):
    rows = grid("batches")
    rows = [[*r, r[rows[0].index("id")]] for r in rows]
    rows[0][-1] = "申报主体编号"
    with pytest.raises(InputError, match="appears twice") as info:
        read(tables()["batches"], write(tmp_path / "d.csv", rows))
    assert (info.value.row, info.value.column) == (1, "id")


def test_a_file_neither_utf8_nor_gbk_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,name\r\n\xff\xfe\xfd\x80,x\r\n")
    with pytest.raises(InputError) as info:
        read(tables()["batches"], path)
    assert "neither UTF-8 nor GBK" in str(info.value) and "codec" not in str(info.value)


def test_workbooks_xlsx_with_an_instruction_sheet_and_old_xls(tmp_path):
    rows = chinese("henan_applicants", grid("henan_applicants"))
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    table = tables()["henan_applicants"]
    want = read(table, DATA / FILES["henan_applicants"]).values
    xlsx = tmp_path / "a.xlsx"
    with pd.ExcelWriter(xlsx) as w:
        pd.DataFrame({"说明": ["填写说明：每行一个申报主体"]}).to_excel(
            w, sheet_name="说明", index=False
        )
        frame.to_excel(w, sheet_name="申报主体", index=False, startrow=1)
    same(read(table, xlsx).values, want)
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("申报主体")
    sheet.write(0, 0, "2025年申报汇总表")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            sheet.write(i + 2, j, v)
    book.save(str(tmp_path / "a.xls"))
    same(read(table, tmp_path / "a.xls").values, want)


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_damaged_workbook_is_a_clear_error(tmp_path, suffix):
    good = tmp_path / "good.xlsx"
    pd.DataFrame({"id": ["HA011"]}).to_excel(good, index=False)
    bad = tmp_path / f"bad{suffix}"
    bad.write_bytes(good.read_bytes()[:300])
    with pytest.raises(InputError, match="cannot be opened as an Excel workbook") as info:
        read(tables()["batches"], bad)
    assert info.value.file == str(bad)


def test_pasted_batches_in_gbk(tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes("[甲方案]\nHA011，HA012\n".encode("gbk"))
    (p,) = read_proposals(path)
    assert (p.name, p.ids) == ("甲方案", ["HA011", "HA012"])


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_scenario_and_policy_toml_in_gbk_or_with_a_bom(tmp_path, encoding):
    for entry in HENAN.parent.iterdir():  # the scenario's relative paths resolve the same
        if entry.suffix != ".toml":
            (tmp_path / entry.name).symlink_to(entry)
    text = HENAN.read_text("utf-8")
    text = "# 河南省2025年两业融合发展区\n" + text
    path = tmp_path / "s.toml"
    path.write_bytes(text.encode(encoding))
    assert load_scenario(path).data == load_scenario(HENAN).data
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"x = 1\n# \xff\xfe\x80\n")
    with pytest.raises(FundallocError, match="neither UTF-8 nor GBK"):
        load_scenario(bad)


def test_policy_toml_in_gbk(tmp_path):
    from fundalloc.rules.henan import POLICY, HenanPolicy
    from fundalloc.rules.legal import load_policy_file

    path = tmp_path / "policy.toml"
    path.write_bytes(POLICY.read_text("utf-8").encode("gbk"))
    assert load_policy_file(path, HenanPolicy) == load_policy_file(POLICY, HenanPolicy)
