"""Reading user tables (CSV or XLSX) and checking them column by column.

Row numbers in messages are spreadsheet rows: the header is row 1, the first record row 2, so a
budget officer can jump straight to the cell in Excel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from fundalloc.core.errors import InputError

HEADER_ROWS = 1


def sheet_row(index: int) -> int:
    """Spreadsheet row of the record at 0-based position `index`."""
    return index + HEADER_ROWS + 1


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX file as text columns (types are checked later, with row numbers)."""
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
    except pd.errors.EmptyDataError:
        raise InputError(path, "the file is empty: expected a header row and at least one record")
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise InputError(path, f"cannot be read as a table ({exc})")
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame) == 0:
        raise InputError(path, "the file has a header but no records")
    return frame.apply(lambda col: col.str.strip())


def require_columns(frame: pd.DataFrame, path, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            path,
            f"missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"the file has {', '.join(repr(c) for c in frame.columns)}",
            row=1,
        )


def numeric(frame: pd.DataFrame, path, column: str, *, required: bool = True,
            min_value: float | None = None, max_value: float | None = None,
            min_inclusive: bool = True, integer: bool = False,
            required_mask: np.ndarray | None = None) -> np.ndarray:
    """Parse a column as numbers (NaN where empty and allowed); name the first bad cell."""
    text = frame[column].astype(str)
    values = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(dtype=float)
    empty = (text == "").to_numpy()
    must = np.ones(len(frame), bool) if required_mask is None else required_mask
    bad_text = ~empty & np.isnan(values)
    if bad_text.any():
        i = int(np.argmax(bad_text))
        raise InputError(path, f"'{text.iloc[i]}' is not a number", sheet_row(i), column)
    if required:
        missing = empty & must
        if missing.any():
            i = int(np.argmax(missing))
            raise InputError(path, "value is missing", sheet_row(i), column)
    if min_value is not None:
        below = (values < min_value) if min_inclusive else (values <= min_value)
        below &= ~np.isnan(values)
        if below.any():
            i = int(np.argmax(below))
            rel = "at least" if min_inclusive else "above"
            word = "negative" if min_value == 0 and min_inclusive else "too small"
            raise InputError(path, f"{word} value {values[i]:g}: must be {rel} {min_value:g}",
                             sheet_row(i), column)
    if max_value is not None:
        above = (values > max_value) & ~np.isnan(values)
        if above.any():
            i = int(np.argmax(above))
            raise InputError(path, f"value {values[i]:g} is above {max_value:g}", sheet_row(i), column)
    if integer:
        frac = ~np.isnan(values) & (values != np.round(values))
        if frac.any():
            i = int(np.argmax(frac))
            raise InputError(path, f"value {values[i]:g} must be a whole number", sheet_row(i), column)
    return values


def choice(frame: pd.DataFrame, path, column: str, allowed: Iterable[str], *,
           allow_empty: bool = False, aliases: dict[str, str] | None = None) -> np.ndarray:
    """Map a text column to canonical values; name the first unknown one and list what is allowed."""
    allowed = list(allowed)
    lookup = {a.lower(): a for a in allowed}
    for alias, canon in (aliases or {}).items():
        lookup[alias.lower()] = canon
    out = []
    for i, raw in enumerate(frame[column].astype(str)):
        key = raw.strip().lower()
        if key == "" and allow_empty:
            out.append("")
            continue
        if key not in lookup:
            what = "value is missing" if key == "" else f"unknown value '{raw}'"
            raise InputError(path, f"{what}; expected one of: {', '.join(allowed)}", sheet_row(i), column)
        out.append(lookup[key])
    return np.array(out, dtype=object)


def unique_ids(frame: pd.DataFrame, path, column: str) -> None:
    ids = frame[column].astype(str)
    empty = ids == ""
    if empty.any():
        raise InputError(path, "id is missing", sheet_row(int(np.argmax(empty.to_numpy()))), column)
    dup = ids.duplicated(keep="first").to_numpy()
    if dup.any():
        i = int(np.argmax(dup))
        first = int(np.argmax((ids == ids.iloc[i]).to_numpy()))
        raise InputError(path, f"duplicate id '{ids.iloc[i]}' (first used on row {sheet_row(first)})",
                         sheet_row(i), column)
