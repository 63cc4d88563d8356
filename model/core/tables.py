"""Reading user tables (CSV or XLSX) and the cell checks of each column kind (numbers,
choices, yes/no, text); fundalloc.core.columns declares which check each column gets.

Row numbers in messages are spreadsheet rows: the header is row 1, the first record row 2, so a
budget officer can jump straight to the cell in Excel. A `fundalloc template` workbook has a
second header row (the machine names under the labels): there the first record is row 3.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Collection, Iterable

import numpy as np
import pandas as pd

from fundalloc.core.errors import InputError

HEADER_ROWS = 1
# Header rows of the table read last in this thread (or task): 1, or 2 for a template's
# label row + name row (set by read_table). The readers' row checks run right after their read.
_header_rows: ContextVar[int] = ContextVar("header_rows", default=HEADER_ROWS)


def sheet_row(index: int) -> int:
    """Spreadsheet row of the record at 0-based position `index`."""
    return index + _header_rows.get() + 1


def read_table(path: str | Path, names: Collection[str] = ()) -> pd.DataFrame:
    """Read a CSV or XLSX file as text columns (types are checked later, with row numbers).
    `names`: the table's machine names, to recognise a template's second header row."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        elif suffix in (".csv", ".txt", ""):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            raise InputError(path, f"unsupported file type '{suffix}': give a .csv or .xlsx file")
        header = _header(path, suffix)
    except pd.errors.EmptyDataError:
        raise InputError(
            path, "the file is empty: expected a header row and at least one record"
        ) from None
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise InputError(path, f"cannot be read as a table ({exc})") from None
    frame, header = _below_labels(frame, header, names)
    _check_header(path, header)
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame) == 0:
        raise InputError(path, "the file has a header but no records")
    return frame.apply(lambda col: col.str.strip())


def _header(path: Path, suffix: str) -> list[str]:
    """The header cells as written (pandas renames a repeated name 'x' to 'x.1')."""
    if suffix in (".xlsx", ".xlsm", ".xls"):
        top = pd.read_excel(path, header=None, nrows=1, dtype=str, keep_default_na=False)
    else:
        top = pd.read_csv(
            path, header=None, nrows=1, dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    return [str(c).strip() for c in top.iloc[0]] if len(top) else []


def _below_labels(
    frame: pd.DataFrame, header: list[str], names: Collection[str]
) -> tuple[pd.DataFrame, list[str]]:
    """A `fundalloc template` file: row 1 holds the labels people read (上年地区生产总值(亿元)),
    row 2 the machine names under them. When row 1 has none of the table's `names` and row 2's
    cells are all names, row 2 is the header (a column added without a name keeps its label)
    and the records start on row 3 (sheet_row counts the extra row). Otherwise: as read."""
    _header_rows.set(HEADER_ROWS)
    if not names or len(frame) == 0 or set(header) & set(names):
        return frame, header
    below = [str(c).strip() for c in frame.iloc[0]]
    given = [c for c in below if c]
    if not given or not set(given) <= set(names):
        return frame, header
    _header_rows.set(HEADER_ROWS + 1)
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = [b or str(c) for b, c in zip(below, frame.columns)]
    return frame, [b or h for b, h in zip(below, header)]


def column_letter(index: int) -> str:
    """Spreadsheet letter of the 0-based column `index` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _check_header(path: Path, header: list[str]) -> None:
    """Two header cells with the same name: which one is meant is a guess, so it is an error."""
    seen: dict[str, int] = {}
    for j, name in enumerate(header):
        if name == "":
            continue
        if name in seen:
            raise InputError(
                path,
                f"column '{name}' appears twice in the header (columns "
                f"{column_letter(seen[name])} and {column_letter(j)}): keep one",
                row=1,
                column=name,
            )
        seen[name] = j


def require_columns(frame: pd.DataFrame, path, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            path,
            f"missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"the file has {', '.join(repr(c) for c in frame.columns)}",
            row=1,
        )


def numeric(
    frame: pd.DataFrame,
    path,
    column: str,
    *,
    required: bool = True,
    min_value: float | None = None,
    max_value: float | None = None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
    integer: bool = False,
    required_mask: np.ndarray | None = None,
    word: str = "value",
    hint: str | None = None,
) -> np.ndarray:
    """Parse a column as finite numbers (NaN where empty and allowed); name the first bad cell.
    `word` names the value above the largest allowed ("share 1.3 is above 1"), `hint` says
    what to do then."""
    text = frame[column].astype(str)
    values = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(dtype=float)
    empty = (text == "").to_numpy()
    must = np.ones(len(frame), bool) if required_mask is None else required_mask
    bad_text = ~empty & np.isnan(values)
    if bad_text.any():
        i = int(np.argmax(bad_text))
        raise InputError(path, f"'{text.iloc[i]}' is not a number", sheet_row(i), column)
    infinite = np.isinf(values)
    if infinite.any():
        i = int(np.argmax(infinite))
        raise InputError(
            path,
            f"'{text.iloc[i]}' is not a finite number (inf, infinity and "
            "numbers beyond ±1e308 are not allowed)",
            sheet_row(i),
            column,
        )
    if required:
        missing = empty & must
        if missing.any():
            i = int(np.argmax(missing))
            raise InputError(path, "value is missing", sheet_row(i), column)
    tail = f": {hint}" if hint else ""
    if min_value is not None:
        below = (values < min_value) if min_inclusive else (values <= min_value)
        below &= ~np.isnan(values)
        if below.any():
            i = int(np.argmax(below))
            rel = "at least" if min_inclusive else "above"
            name = "negative" if min_value == 0 and min_inclusive else "too small"
            raise InputError(
                path,
                f"{name} value {values[i]:g}: must be {rel} {min_value:g}",
                sheet_row(i),
                column,
            )
    if max_value is not None:
        above = (values > max_value) if max_inclusive else (values >= max_value)
        above &= ~np.isnan(values)
        if above.any():
            i = int(np.argmax(above))
            rel = "above" if max_inclusive else "not below"
            raise InputError(
                path, f"{word} {values[i]:g} is {rel} {max_value:g}{tail}", sheet_row(i), column
            )
    if integer:
        frac = ~np.isnan(values) & (values != np.round(values))
        if frac.any():
            i = int(np.argmax(frac))
            raise InputError(
                path, f"value {values[i]:g} must be a whole number", sheet_row(i), column
            )
    return values


def choice(
    frame: pd.DataFrame,
    path,
    column: str,
    allowed: Iterable[str],
    *,
    allow_empty: bool = False,
    aliases: dict[str, str] | None = None,
    required_mask: np.ndarray | None = None,
) -> np.ndarray:
    """Map a text column to canonical values; name the first unknown one and list what is
    allowed. Empty is "" where allowed (`allow_empty`, or outside `required_mask`)."""
    allowed = list(allowed)
    lookup = {a.lower(): a for a in allowed}
    for alias, canon in (aliases or {}).items():
        lookup[alias.lower()] = canon
    if required_mask is None:
        required_mask = np.full(len(frame), not allow_empty)
    out = []
    for i, raw in enumerate(frame[column].astype(str)):
        key = raw.strip().lower()
        if key == "" and not required_mask[i]:
            out.append("")
            continue
        if key not in lookup:
            what = "value is missing" if key == "" else f"unknown value '{raw}'"
            raise InputError(
                path, f"{what}; expected one of: {', '.join(allowed)}", sheet_row(i), column
            )
        out.append(lookup[key])
    return np.array(out, dtype=object)


TRUE_WORDS = ("yes", "y", "true", "1", "是", "t")
FALSE_WORDS = ("no", "n", "false", "0", "否", "f")


def yes_no(frame: pd.DataFrame, path, column: str, required_mask: np.ndarray) -> np.ndarray:
    """A yes/no column as bools; empty is False where not required, an error where required."""
    out = np.zeros(len(frame), dtype=bool)
    for i, raw in enumerate(frame[column].astype(str)):
        key = raw.strip().lower()
        if key in TRUE_WORDS:
            out[i] = True
        elif key == "" and required_mask[i]:
            raise InputError(path, "value is missing; give yes or no", sheet_row(i), column)
        elif key not in FALSE_WORDS and key != "":
            raise InputError(
                path,
                f"'{raw}' is not yes/no (accepted: yes, no, true, false, 1, 0, 是, 否)",
                sheet_row(i),
                column,
            )
    return out


def text(
    frame: pd.DataFrame, path, column: str, required_mask: np.ndarray, *, what: str = "value"
) -> np.ndarray:
    """A text column as an object array; empty is an error where required."""
    values = frame[column].astype(str).to_numpy(dtype=object)
    missing = (values == "") & required_mask
    if missing.any():
        raise InputError(path, f"{what} is missing", sheet_row(int(np.argmax(missing))), column)
    return values
