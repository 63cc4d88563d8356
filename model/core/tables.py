"""Reading user tables (CSV, XLSX, old .xls): the encoding, the header row below any title
rows, duplicate and missing headers; the cell checks of each column kind are in
fundalloc.core.cells.

Row numbers in messages are spreadsheet rows: the header is row 1, the first record row 2, so a
budget officer can jump straight to the cell in Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

# The cell checks live in fundalloc.core.cells; their names stay importable from here.
from fundalloc.core.cells import (
    FALSE_WORDS,
    MONEY,
    TRUE_WORDS,
    choice,
    numeric,
    text,
    typed_numbers,
    yes_no,
)
from fundalloc.core.errors import InputError, register_rows, sheet_row
from fundalloc.core.i18n import tr
from fundalloc.core.limits import check_workbook

HEADER_SEARCH = 10  # the header is looked for in the first rows (title and note rows above it)
EXCEL = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
# what the detected encoding is called in the log (and on Rows.encoding)
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "gb18030": "GBK/GB18030",
    "utf-16": "UTF-16",
    "excel": "Excel workbook",
}


def decode(data: bytes) -> tuple[str, str] | None:
    """Text of a file and its encoding: UTF-8 (with or without BOM), then GBK/GB18030 (what
    Excel on Chinese Windows saves), UTF-16 with a BOM (Excel's "Unicode text"); None if none."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    try:
        text = data.decode("utf-8-sig")
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return None


def read_text(path: str | Path) -> tuple[str, str]:
    """A text file (CSV, pasted batches) in whichever encoding `decode` finds; InputError if
    it is none of them."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, tr("table.not_found"))
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(path, tr("table.is_excel"))
    found = decode(data)
    if found is None or "\x00" in found[0]:
        raise InputError(path, tr("table.not_text"))
    return found


def _csv_grid(text: str) -> list[list[str]]:
    lines = [ln for ln in text.splitlines()[:HEADER_SEARCH] if ln.strip()]
    tabbed = bool(lines) and all("\t" in ln for ln in lines[:1]) and "," not in lines[0]
    return [
        list(r)
        for r in csv.reader(io.StringIO(text, newline=""), delimiter="\t" if tabbed else ",")
    ]


def _excel_grids(path: Path, suffix: str) -> list[list[list[str]]]:
    """Every sheet's cells as text; openpyxl for .xlsx/.xlsm, python-calamine for old .xls and
    as the fallback (a .xls saved as .xlsx); a damaged workbook is an InputError."""
    engines = ["openpyxl", "calamine"] if suffix in (".xlsx", ".xlsm") else ["calamine"]
    check_workbook(path)  # a zip bomb or millions of rows are refused before reading
    for engine in engines:
        try:
            sheets = pd.read_excel(
                path, sheet_name=None, header=None, dtype=str, keep_default_na=False, engine=engine
            )
        except ImportError:
            continue
        except Exception:  # noqa: BLE001 - each engine raises its own error types for bad files
            continue
        return [f.astype(str).values.tolist() for f in sheets.values()]
    raise InputError(
        path,
        tr("table.damaged"),
    )


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


def header_keys(text: str) -> tuple[str, str | None]:
    """A header cell normalised (width, case, spaces), and its bracketed tail if any:
    "上年营业收入（亿元）" → ("上年营业收入", "亿元")."""
    key = _norm(text)
    m = re.match(r"^(.+?)[(\[]([^()\[\]]*)[)\]]$", key)
    if m:
        return m.group(1), m.group(2)
    return key, None


def _lookup(cell: str, known: Mapping[str, str]) -> str | None:
    key = _norm(cell)
    if key in known:
        return known[key]
    base, _ = header_keys(cell)
    return known.get(base)


def _header_index(grid: list[list[str]], known: Mapping[str, str], need: int) -> int | None:
    """The first of the top rows naming at least `need` declared columns."""
    for i, row in enumerate(grid[:HEADER_SEARCH]):
        names = {_lookup(c, known) for c in row if str(c).strip()}
        names.discard(None)
        if len(names) >= need:
            return i
    return None


class SharedRows(tuple):
    """The spreadsheet rows of a frame's records, kept in `frame.attrs`: pandas deep-copies
    attrs into the result of every operation (a 50,000-row tuple took seconds per column
    checked), and this tuple never changes, so every copy may be the same object."""

    def __deepcopy__(self, memo) -> SharedRows:
        return self


def read_table(
    path: str | Path, known: Mapping[str, str] | None = None, need: int = 1
) -> pd.DataFrame:
    """Read a CSV or Excel file as text columns (types are checked later, with row numbers).

    `known` maps header texts (normalised with `_norm`) to machine column names: the header is
    the first of the top rows naming `need` of them (rows above it, titles and notes, are
    skipped), its cells are renamed to the machine names, and a second header row of machine
    names (or labels) right below it is skipped too. Blank rows are dropped. `frame.attrs`
    holds `encoding`, `header_row` and `rows` (the spreadsheet row of each record) and
    `header_text` (machine name → the cell as written)."""
    path = Path(path)
    register_rows(path, 1, ())  # rows as counted, until the header is found
    if not path.exists():
        raise InputError(path, tr("table.not_found"))
    suffix = path.suffix.lower()
    if suffix in EXCEL:
        grids, encoding = _excel_grids(path, suffix), "excel"
    elif suffix in (".csv", ".txt", ""):
        text, encoding = read_text(path)
        try:
            grids = [_csv_grid(text)]
        except csv.Error as exc:
            raise InputError(path, tr("table.not_a_table", error=exc)) from None
    else:
        raise InputError(path, tr("table.file_type", suffix=suffix))
    known = {_norm(k): v for k, v in (known or {}).items()}
    grid, h = grids[0] if grids else [], None
    if known:
        for g in grids:  # an instruction sheet may come first: the sheet with the header
            h = _header_index(g, known, need)
            if h is not None:
                grid = g
                break
    rows = [[str(c).strip() for c in r] for r in grid]
    if h is None:
        h = next((i for i, r in enumerate(rows) if any(rows[i])), None)
    if h is None:
        raise InputError(path, tr("table.empty"))
    header = rows[h]
    while header and header[-1] == "":
        header = header[:-1]
    names = [(_lookup(c, known) if known else None) or c for c in header]
    register_rows(path, h + 1, ())
    _check_header(path, header, names)
    start = h + 1
    if start < len(rows) and _is_second_header(rows[start], names, known):
        start += 1
    width = len(header)
    records, where = [], []
    for i in range(start, len(rows)):
        r = rows[i]
        if not any(r):
            continue
        if any(r[width:]):
            j = width + next(k for k, c in enumerate(r[width:]) if c)
            raise InputError(
                path,
                tr("table.no_header", row=i + 1, column=column_letter(j)),
            )
        records.append(r[:width] + [""] * (width - len(r)))
        where.append(i + 1)
    if not records:
        raise InputError(path, tr("table.no_records"))
    columns = [n if n else f"Unnamed: {j}" for j, n in enumerate(names)]
    frame = pd.DataFrame(records, columns=columns, dtype=object)
    register_rows(path, h + 1, where)
    frame.attrs.update(
        encoding=encoding,
        header_row=h + 1,
        rows=SharedRows(where),
        header_text={n: c for n, c in zip(names, header) if n},
    )
    return frame


def _is_second_header(row: list[str], names: list[str], known: Mapping[str, str]) -> bool:
    """The template layout: labels in one header row, machine names in the next (or the
    reverse); the second row is skipped when every cell under a declared column names it."""
    if not known:
        return False
    hits = 0
    declared = set(known.values())
    for j, name in enumerate(names):
        cell = row[j] if j < len(row) else ""
        if name not in declared or cell == "":
            continue
        if _lookup(cell, known) != name:
            return False
        hits += 1
    return hits >= max(1, min(2, len([n for n in names if n in declared])))


def column_letter(index: int) -> str:
    """Spreadsheet letter of the 0-based column `index` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _check_header(path: Path, header: list[str], names: list[str]) -> None:
    """Two header cells naming the same column (the same name twice, or a name and its Chinese
    label): which one is meant is a guess, so it is an error."""
    seen: dict[str, int] = {}
    for j, name in enumerate(names):
        if name == "":
            continue
        if name in seen:
            k = seen[name]
            same = (
                f"'{name}'"
                if header[k] == header[j] == name
                else (f"'{name}' ('{header[k]}' and '{header[j]}')")
            )
            raise InputError(
                path,
                tr("table.twice", same=same, a=column_letter(k), b=column_letter(j)),
                row=1,
                column=name,
            )
        seen[name] = j


def require_columns(frame: pd.DataFrame, path, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            path,
            tr(
                "table.missing_columns",
                missing=", ".join(repr(c) for c in missing),
                has=", ".join(repr(c) for c in frame.columns),
            ),
            row=1,
        )


__all__ = [
    "EXCEL",
    "ENCODING_NAMES",
    "FALSE_WORDS",
    "HEADER_SEARCH",
    "MONEY",
    "TRUE_WORDS",
    "choice",
    "decode",
    "header_keys",
    "numeric",
    "read_table",
    "read_text",
    "require_columns",
    "sheet_row",
    "text",
    "typed_numbers",
    "yes_no",
]
