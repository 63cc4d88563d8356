"""Outputs officers read: charts show Chinese with the bundled CJK font (mplfonts' Noto Sans
CJK SC, registered by core/report.py), with no missing-glyph warnings."""

from __future__ import annotations

import json
import warnings

import pytest
from matplotlib import font_manager

from fundalloc.core.report import CJK_FONT, bar_chart, cjk_font_path, plt


@pytest.fixture(autouse=True)
def chinese_default(monkeypatch):
    """These tests look at what a fresh machine shows: Chinese (no FUNDALLOC_LANG)."""
    monkeypatch.delenv("FUNDALLOC_LANG", raising=False)


def test_cjk_font_ships_and_is_registered():
    path = cjk_font_path()
    assert path is not None and path.is_file()
    assert CJK_FONT in {f.name for f in font_manager.fontManager.ttflist}
    assert plt.rcParams["font.sans-serif"][0] == CJK_FONT


def test_chinese_chart_uses_cjk_font_without_missing_glyphs(tmp_path):
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert font_manager.get_font(found).family_name == CJK_FONT
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = bar_chart(
            tmp_path / "c.png",
            ["A01 嘉兴市智能制造有限公司", "苏南"],
            [300.0, -120.0],
            "各认定单位一次性奖励",
            "万元",
            reference=200,
            reference_label="上限",
        )
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing  # "Glyph 22823 (\\N{...}) missing from font(s) DejaVu Sans"
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_select_workbook_is_director_ready(tmp_path):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from fundalloc.cli import app
    from fundalloc.core.report import read_workbook, sheet_title

    out = tmp_path / "sel"
    r = CliRunner().invoke(app, ["select", "scenarios/henan-2025.toml", "--out", str(out)])
    assert r.exit_code == 0, r.output
    wb = load_workbook(out / "allocation.xlsx")
    assert wb.sheetnames[0] == "摘要"
    assert "认定" in " ".join(str(c.value) for c in wb["摘要"]["A"] if c.value)
    ws = wb[sheet_title("Designated")]
    assert ws["A1"].value.startswith("两业融合") and "日期" in ws["A2"].value
    headers = [c.value for c in ws[3]]
    assert "编号" in headers and "奖励(万元)" in headers and ws["A3"].font.bold
    machine = [c.value for c in ws[4]]
    assert "award_wan" in machine and ws.row_dimensions[4].hidden
    j = machine.index("award_wan") + 1
    assert ws.cell(row=5, column=j).number_format == "#,##0"
    assert ws.cell(row=ws.max_row, column=1).value == "合计"
    assert ws.freeze_panes == "A5" and ws.auto_filter.ref.startswith("A3:")
    # one page wide: fitToWidth absent is its default, 1 (ECMA-376; XlsxWriter omits it)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (1, None)
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    table = read_workbook(out / "allocation.xlsx")[sheet_title("Designated")]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert table.award_wan.sum() == summary["total_award_wan"]


def test_simulate_and_stress_write_workbooks(tmp_path):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from fundalloc.cli import app

    sc = "scenarios/jiaxing-sim-baseline.toml"
    for cmd, runs, name in (("simulate", "20", "outlay.xlsx"), ("stress", "10", "stress.xlsx")):
        out = tmp_path / cmd
        r = CliRunner().invoke(app, [cmd, sc, "--runs", runs, "--workers", "1", "--out", str(out)])
        assert r.exit_code == 0, r.output
        wb = load_workbook(out / name)
        assert wb.sheetnames[0] == "摘要" and len(wb.sheetnames) >= 3
        ws = wb[wb.sheetnames[1]]
        assert ws.freeze_panes == "A5" and ws.page_setup.orientation == "landscape"
        assert "日期" in ws["A2"].value and ws["A3"].font.bold


def test_select_writes_an_a4_report_pdf(tmp_path):
    import re

    from typer.testing import CliRunner

    from fundalloc.cli import app

    out = tmp_path / "sel"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = CliRunner().invoke(app, ["select", "scenarios/henan-2025.toml", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert not [w for w in caught if "missing from" in str(w.message)]
    data = (out / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box is not None
    w, h = float(box.group(1)), float(box.group(2))
    assert abs(w - 595) < 2 and abs(h - 842) < 2  # A4 in points
