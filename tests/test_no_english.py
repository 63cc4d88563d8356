"""No English sentence where a person reads, in the Chinese default: every command run on its
bundled scenario with FUNDALLOC_LANG unset; its terminal output, report.html (text, not markup)
and workbook (every cell but the hidden machine-name row) are searched for three English words
in a row. Machine names (ids, column and scenario keys, file names) are one word each, so they
do not match; what does is a sentence someone forgot to pass through tr()."""

from __future__ import annotations

import html
import re
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
    r = CliRunner().invoke(app, [*COMMANDS[name], "--out", str(out)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    found = {"terminal": english(r.output.splitlines()), "report.html": english(html_text(out / "report.html"))}
    books = list(out.glob("*.xlsx"))
    assert books, "every command writes a workbook"
    for book in books:
        found[book.name] = english(workbook_text(book))
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert {k: v for k, v in found.items() if v} == {}


def test_the_search_finds_english_where_there_is_some(tmp_path, chinese_default):
    """The same search on the English outputs finds sentences: it is not blind."""
    out = tmp_path / "en"
    r = CliRunner().invoke(app, [*COMMANDS["select"], "--out", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert english(r.output.splitlines())
    assert english(html_text(out / "report.html"))
    assert english(workbook_text(out / "allocation.xlsx"))
