"""No English sentence where a person reads, in the Chinese default: every command run on its
bundled scenario with FUNDALLOC_LANG unset; its terminal output, report.html (text, not markup)
and workbook (every cell but the hidden machine-name row) are searched for three English words
in a row. The same runs check the director-ready layout: report.html's first A4 page is the
answer, report.pdf is A4, the workbook opens on its 摘要 sheet under the command's own title. Machine names (ids, column and scenario keys, file names) are one word each, so they
do not match; what does is a sentence someone forgot to pass through tr()."""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core import i18n

ROOT = Path(__file__).resolve().parents[1]
SC = ROOT / "scenarios"
# three words in a row; a hyphen or underscore joins a machine name (jiaxing-sim-baseline), so
# it does not separate words
ENGLISH = re.compile(r"(?<![\w-])[A-Za-z][a-z]+(?:[ ,;:()']+[A-Za-z][a-z]+){2,}(?![\w-])")
# proper names and source titles that are English on purpose
ALLOWED = ("Noto Sans CJK", "Zou", "Laplace", "Monte Carlo")

COMMANDS = {
    "select": ["select", str(SC / "henan-2025.toml")],
    "compare": [
        "compare",
        str(SC / "henan-2025.toml"),
        "--batch",
        str(SC / "data" / "henan_proposed_batches.csv"),
    ],
    "plan": ["plan", str(SC / "henan-2025.toml")],
    "sweep": [
        "sweep",
        str(SC / "henan-2025.toml"),
        "--param",
        "selection.budget_wan",
        "--values",
        "1500,3000",
        "--workers",
        "1",
    ],
    "tradeoff": ["tradeoff", str(SC / "henan-2025.toml"), "--workers", "1"],
    "evaluate": ["evaluate", str(SC / "jiangsu-benchmarks.toml")],
    "awards": ["awards", str(SC / "jiaxing-2024.toml")],
    "simulate": [
        "simulate",
        str(SC / "jiaxing-sim-baseline.toml"),
        "--runs",
        "10",
        "--workers",
        "1",
    ],
    "stress": ["stress", str(SC / "jiaxing-sim-baseline.toml"), "--runs", "6", "--workers", "1"],
    "robust": ["robust", str(SC / "henan-2025.toml"), "--set", "robust.draws=8", "--workers", "1"],
    "design": ["design", str(SC / "jiaxing-sim-baseline.toml"), "--runs", "12", "--workers", "1"],
    "sensitivity": [
        "sensitivity",
        str(SC / "jiaxing-sim-baseline.toml"),
        "--samples",
        "2",
        "--runs",
        "2",
        "--workers",
        "1",
    ],
}


def english(texts: list[str]) -> list[str]:
    """English sentences in any of the texts (each a line, a cell or an HTML text node)."""
    return sorted(
        {
            m.group(0)
            for text in texts
            for m in ENGLISH.finditer(" ".join(text.split()))
            if not any(a in m.group(0) for a in ALLOWED)
        }
    )


def html_text(path: Path) -> list[str]:
    t = path.read_text(encoding="utf-8")
    t = re.sub(r"<style>.*?</style>", " ", t, flags=re.S)
    t = re.sub(r'src="data:[^"]*"', " ", t)
    return [html.unescape(part) for part in re.split(r"<[^>]+>", t)]


def workbook_text(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=False)
    out = []
    for ws in wb.worksheets:
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if ws.row_dimensions[r].hidden:
                continue  # the machine-name row
            out += [str(v) for v in row if isinstance(v, str)]
    return out


@pytest.fixture
def chinese_default(monkeypatch):
    monkeypatch.delenv("FUNDALLOC_LANG", raising=False)
    i18n._current.clear()


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_english_sentence_in_chinese_outputs(name, tmp_path, chinese_default):
    out = tmp_path / name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = CliRunner().invoke(app, [*COMMANDS[name], "--out", str(out)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    # no tofu: a character the font lacks makes matplotlib warn "Glyph … missing from font(s)"
    assert not [str(w.message) for w in caught if "missing from" in str(w.message)]
    found = {
        "terminal": english(r.output.splitlines()),
        "report.html": english(html_text(out / "report.html")),
    }
    books = list(out.glob("*.xlsx"))
    assert books, "every command writes a workbook"
    for book in books:
        found[book.name] = english(workbook_text(book))
    assert {k: v for k, v in found.items() if v} == {}
    check_director_ready(out, books)


def check_director_ready(out: Path, books: list[Path]) -> None:
    """report.html: one A4 page for the answer, details after a page break; report.pdf: A4
    pages; the workbook: 摘要 first, under the command's own title (not the generic one)."""
    from openpyxl import load_workbook

    from fundalloc.core.i18n import tr

    page = (out / "report.html").read_text(encoding="utf-8")
    assert "@page { size: A4" in page and "class='headline'" in page
    answer, _, details = page.partition("<section class='details'>")
    assert "<img" in answer and "<table>" in answer  # one chart and the main table on page 1
    assert "break-before: page" in page and details  # the details start on a new page
    pdf = (out / "report.pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)
    for book in books:
        wb = load_workbook(book)
        assert wb.sheetnames[0] == "摘要"
        untitled = [n for n in wb.sheetnames if not re.search(r"[\u4e00-\u9fff]", n)]
        assert not untitled, f"{book.name}: sheets without a Chinese title {untitled}"
        title = wb.worksheets[0]["A1"].value
        assert title and title != tr("wb_title"), book.name
        assert len([c for (c,) in wb.worksheets[0].iter_rows(max_col=1) if c.value]) >= 5
        for ws in wb.worksheets[1:]:
            # one page wide: fitToWidth absent is its default, 1 (ECMA-376; XlsxWriter omits it)
            assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (
                1,
                None,
            )
            assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
            assert ws.freeze_panes == "A5" and ws.auto_filter.ref


def test_the_search_finds_english_where_there_is_some(tmp_path, chinese_default):
    """The same search on the English outputs finds sentences: it is not blind."""
    out = tmp_path / "en"
    r = CliRunner().invoke(app, [*COMMANDS["select"], "--out", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    # (select's English terminal lines are short phrases; its report and workbook have sentences)
    assert english(html_text(out / "report.html"))
    assert english(workbook_text(out / "allocation.xlsx"))
