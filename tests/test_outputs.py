"""Outputs officers read: charts show Chinese with the bundled CJK font (mplfonts' Noto Sans
CJK SC, registered by core/report.py), with no missing-glyph warnings."""

from __future__ import annotations

import warnings

from matplotlib import font_manager

from fundalloc.core.report import CJK_FONT, bar_chart, cjk_font_path, plt


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
