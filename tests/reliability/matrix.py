"""The bad-input matrix as data: every input file type × every fault, each with the outcome it
must have (exit 2, a message naming the file and — where the fault is in one — the column, and
nothing left behind), and every valid variant of each file, which must be accepted with the same
results as the original. test_bad_inputs.py runs it and counts tracebacks, silent acceptances
and partial outputs (target 0 each)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from tests.reliability.helpers import SCENARIOS

DATA = SCENARIOS / "data"


@dataclass(frozen=True)
class FileType:
    name: str
    command: tuple[str, ...]  # the command and scenario; the file goes after `option`
    option: str
    base: Path
    numeric: str  # a column read as a number
    required: str  # a column the reader needs
    result: str  # the output file whose rows must not change across valid variants


TYPES = [
    FileType("applicants", ("select", str(SCENARIOS / "henan-2025.toml")), "--applicants",
             DATA / "henan_applicants_2025.csv", "score", "score", "selection.csv"),
    FileType("batch", ("compare", str(SCENARIOS / "henan-2025.toml")), "--batch",
             DATA / "henan_proposed_batches.csv", "award_wan", "id", "summary.json"),
    FileType("firms", ("awards", str(SCENARIOS / "jiaxing-2024.toml")), "--firms",
             DATA / "jiaxing_firms_example.csv", "revenue_wan", "revenue_wan", "summary.json"),
    FileType("recognitions", ("awards", str(SCENARIOS / "jiaxing-2024.toml")), "--recognitions",
             DATA / "jiaxing_recognitions_example.csv", "year", "kind", "summary.json"),
    FileType("performance", ("evaluate", str(SCENARIOS / "jiangsu-benchmarks.toml")),
             "--performance", DATA / "jiangsu_performance_2025.csv", "performance_score",
             "performance_score", "evaluation.csv"),
]  # fmt: skip


def _rows(ft: FileType) -> list[list[str]]:
    return list(csv.reader(io.StringIO(ft.base.read_text(encoding="utf-8"))))


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _set(ft: FileType, value: str) -> bytes:
    rows = _rows(ft)
    col = rows[0].index(ft.numeric)
    rows[1][col] = value
    return _csv(rows)


def _xlsx(ft: FileType) -> bytes:
    rows = _rows(ft)
    buf = io.BytesIO()
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(buf, index=False)
    return buf.getvalue()


@cache  # ~10 s of deflating: made once, the same bytes for every file type
def _zip_bomb() -> bytes:
    """A workbook whose one sheet expands to ~300 MB of XML from a few hundred KB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"<row><c><v>1</v></c></row>" * 40_000
            for _ in range(300):
                fh.write(block)
    return buf.getvalue()


# fault → (how to make the bad file from a FileType, file suffix, what the message must name:
# "file" = just the file, "column" = the file and the column)
FAULTS = {
    "empty": (lambda ft: b"", ".csv", "file"),
    "binary_garbage": (lambda ft: bytes(range(256)) * 40, ".csv", "file"),
    "wrong_encoding_utf16": (lambda ft: ft.base.read_text(encoding="utf-8").encode("utf-16-le"), ".csv", "file"),
    "truncated_xlsx": (lambda ft: _xlsx(ft)[:1500], ".xlsx", "file"),
    "zip_bomb_xlsx": (lambda ft: _zip_bomb(), ".xlsx", "file"),
    "not_a_workbook_xlsx": (lambda ft: ft.base.read_bytes(), ".xlsx", "file"),
    "duplicate_header": (lambda ft: _csv([_rows(ft)[0] + [ft.required]] + [r + [r[_rows(ft)[0].index(ft.required)]] for r in _rows(ft)[1:]]), ".csv", "column"),
    "header_only": (lambda ft: _csv(_rows(ft)[:1]), ".csv", "file"),
    "missing_column": (lambda ft: _csv([[c for i, c in enumerate(r) if i != _rows(ft)[0].index(ft.required)] for r in _rows(ft)]), ".csv", "column"),
    "unknown_column": (lambda ft: _csv([_rows(ft)[0] + ["bogus_col"]] + [r + ["1"] for r in _rows(ft)[1:]]), ".csv", "column:bogus_col"),
    "inf": (lambda ft: _set(ft, "inf"), ".csv", "column"),
    "nan": (lambda ft: _set(ft, "nan"), ".csv", "column"),
    "huge_value": (lambda ft: _set(ft, "1e308"), ".csv", "column"),
    "negative": (lambda ft: _set(ft, "-5"), ".csv", "column"),
    "wrong_type": (lambda ft: _set(ft, "abc"), ".csv", "column"),
    "unsupported_suffix": (lambda ft: ft.base.read_bytes(), ".json", "file"),
}  # fmt: skip

# valid variants: the same table as the user may save it — each must give the same results
VALID = {
    "as_bundled": (lambda ft: ft.base.read_bytes(), ".csv"),
    "utf8_bom": (lambda ft: b"\xef\xbb\xbf" + ft.base.read_bytes(), ".csv"),
    "gbk": (lambda ft: ft.base.read_text(encoding="utf-8").encode("gbk"), ".csv"),
    "utf16_bom": (lambda ft: ft.base.read_text(encoding="utf-8").encode("utf-16"), ".csv"),
    "crlf": (lambda ft: ft.base.read_bytes().replace(b"\n", b"\r\n"), ".csv"),
    "tab_separated": (lambda ft: "\n".join("\t".join(r) for r in _rows(ft)).encode("utf-8"), ".csv"),
    "trailing_blank_lines": (lambda ft: ft.base.read_bytes() + b"\n\n,,\n", ".csv"),
    "title_row_above_header": (lambda ft: b"My table title\n" + ft.base.read_bytes(), ".csv"),
    "xlsx": (lambda ft: _xlsx(ft), ".xlsx"),
    "columns_reordered": (lambda ft: _csv([list(reversed(r)) for r in _rows(ft)]), ".csv"),
}  # fmt: skip

# scenario file faults: (content, what the message must name)
SCENARIO_FAULTS = {
    "empty": (b"", "henan"),
    "binary_garbage": (bytes(range(256)) * 4, "scenario"),
    "wrong_encoding_utf16": ("rules = \"henan\"\n".encode("utf-16-le"), "scenario"),
    "toml_syntax": (b"[selection\nbudget_wan = 1\n", "scenario"),
    "duplicate_key": (b'rules = "henan"\n[selection]\nbudget_wan = 1\nbudget_wan = 2\n', "scenario"),
    "unknown_key": (None, "selection.bogus_key"),
    "wrong_type": (None, "selection.budget_wan"),
    "inf": (None, "selection.budget_wan"),
    "nan": (None, "selection.budget_wan"),
    "negative": (None, "selection.budget_wan"),
    "huge_value": (None, "selection.batch_max"),
}  # fmt: skip
SCENARIO_EDITS = {
    "unknown_key": ("[selection]\n", "[selection]\nbogus_key = 1\n"),
    "wrong_type": ("budget_wan = 2000", 'budget_wan = "lots"'),
    "inf": ("budget_wan = 2000", "budget_wan = inf"),
    "nan": ("budget_wan = 2000", "budget_wan = nan"),
    "negative": ("budget_wan = 2000", "budget_wan = -5"),
    "huge_value": ("batch_max = 5", "batch_max = 99999999999999999"),
}
