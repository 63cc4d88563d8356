"""Reports hold what a person reads: the HTML report's detail tables stop at HTML_MAX_ROWS rows
with a note (every row stays in the workbook and the CSV files); the PDF's tables, drawn on
the page without matplotlib's Table, still embed the CJK font."""

import re

import pandas as pd

from fundalloc.core.answer import Answer
from fundalloc.core.report_html import HTML_MAX_ROWS, answer_html
from fundalloc.core.report_pdf import answer_pdf


def _answer(rows: int) -> Answer:
    frame = pd.DataFrame({"id": [f"A{i}" for i in range(rows)], "名称": ["郑州"] * rows})
    return Answer(title="测试", headline="一句话", table=frame, details=[("全部", frame)])


def test_html_detail_table_is_cut_with_a_note(tmp_path):
    text = answer_html(tmp_path / "r.html", _answer(HTML_MAX_ROWS + 500)).read_text("utf-8")
    details = text.split("class='details'")[1]
    assert len(re.findall("<tr>", details)) == HTML_MAX_ROWS + 1  # heading row + rows shown
    assert f"A{HTML_MAX_ROWS - 1}<" in details and f"A{HTML_MAX_ROWS}<" not in details
    assert str(HTML_MAX_ROWS + 500) in details.split("class='more'")[1]


def test_html_small_table_is_whole(tmp_path):
    text = answer_html(tmp_path / "r.html", _answer(30)).read_text("utf-8")
    assert "A29<" in text and "class='more'" not in text.split("class='details'")[1]


def test_pdf_table_embeds_the_cjk_font(tmp_path):
    data = answer_pdf(tmp_path / "r.pdf", _answer(40)).read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"NotoSansCJKsc" in data
