"""The cell checks of each column kind — numbers (with 万/亿, thousands separators and percent
signs as officers type them), choices, yes/no, text — each naming the first bad cell by its
spreadsheet row and column; fundalloc.core.columns declares which check each column gets.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Iterable

import numpy as np
import pandas as pd

from fundalloc.core.errors import InputError, sheet_row
from fundalloc.core.i18n import tr


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
    unit: str | None = None,
    share: str = "",
    percent_header: bool = False,
) -> np.ndarray:
    """Parse a column as finite numbers (NaN where empty and allowed); name the first bad cell.
    `word` names the value above the largest allowed ("share 1.3 is above 1"), `hint` says
    what to do then. Numbers as typed are read too (`typed_numbers`): thousands separators,
    `万`/`亿` in money columns (`unit` 万元 or 亿元), `42.1%` in share columns."""
    text = typed_numbers(
        frame[column].astype(str), path, column, unit=unit, share=share, percent=percent_header
    )
    values = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(dtype=float)
    empty = (text == "").to_numpy()
    must = np.ones(len(frame), bool) if required_mask is None else required_mask
    bad_text = ~empty & np.isnan(values)
    if bad_text.any():
        i = int(np.argmax(bad_text))
        raise InputError(path, tr("table.not_number", text=text.iloc[i]), sheet_row(i), column)
    infinite = np.isinf(values)
    if infinite.any():
        i = int(np.argmax(infinite))
        raise InputError(
            path,
            tr("table.not_finite", text=text.iloc[i]),
            sheet_row(i),
            column,
        )
    if required:
        missing = empty & must
        if missing.any():
            i = int(np.argmax(missing))
            raise InputError(path, tr("table.missing"), sheet_row(i), column)
    tail = f": {hint}" if hint else ""
    if min_value is not None:
        below = (values < min_value) if min_inclusive else (values <= min_value)
        below &= ~np.isnan(values)
        if below.any():
            i = int(np.argmax(below))
            rel = tr("why.at_least") if min_inclusive else tr("why.above")
            name = (
                tr("table.negative") if min_value == 0 and min_inclusive else tr("table.too_small")
            )
            raise InputError(
                path,
                tr(
                    "table.below_min",
                    name=name,
                    value=f"{values[i]:g}",
                    rel=rel,
                    min=f"{min_value:g}",
                ),
                sheet_row(i),
                column,
            )
    if max_value is not None:
        above = (values > max_value) if max_inclusive else (values >= max_value)
        above &= ~np.isnan(values)
        if above.any():
            i = int(np.argmax(above))
            rel = tr("why.above") if max_inclusive else tr("table.not_below")
            raise InputError(
                path,
                tr(
                    "table.above_max",
                    word=word,
                    value=f"{values[i]:g}",
                    rel=rel,
                    max=f"{max_value:g}",
                    tail=tail,
                ),
                sheet_row(i),
                column,
            )
    if integer:
        frac = ~np.isnan(values) & (values != np.round(values))
        if frac.any():
            i = int(np.argmax(frac))
            raise InputError(path, tr("table.whole", value=f"{values[i]:g}"), sheet_row(i), column)
    return values


MONEY = {
    "万元": {"万": "1", "万元": "1", "亿": "10000", "亿元": "10000"},
    "亿元": {"亿": "1", "亿元": "1", "万": "0.0001", "万元": "0.0001"},
}
_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def _typed(raw: str, unit: str | None, share: str) -> str | None:
    """A number as an officer types it, as a plain decimal: "3,000" → "3000", "0.3亿" in a 万元
    column → "3000", "42.1%" in a share column → "0.421"; None if it is none of these."""
    s = "".join(unicodedata.normalize("NFKC", raw).split())
    factor = Decimal(1)
    if share and s.endswith("%"):
        s, factor = s[:-1], Decimal("0.01")
    elif unit in MONEY:
        m = re.fullmatch(r"(.*?)(万元|万|亿元|亿)", s)
        if m:
            s, factor = m.group(1), Decimal(MONEY[unit][m.group(2)])
    if _GROUPED.fullmatch(s):
        s = s.replace(",", "")
    if not _PLAIN.fullmatch(s):  # inf, nan, Infinity stay errors
        return None
    return format(Decimal(s) * factor, "f")


def typed_numbers(
    text: pd.Series, path, column: str, *, unit=None, share: str = "", percent: bool = False
) -> pd.Series:
    """The cells of a number column with `_typed` applied where they are not plain numbers.
    `share` "percent": plain numbers above 1 are percent points (42.1 → 0.421), and then all
    plain numbers of the column are (a fraction such as 0.42 among them is an error: one way
    per column); `percent` (the header says %): every plain number is percent points."""
    plain = pd.to_numeric(text.where(text != "", None), errors="coerce")
    out = text.copy()
    for i in np.flatnonzero((plain.isna() & (text != "")).to_numpy()):
        typed = _typed(text.iloc[i], unit, share)
        if typed is not None:
            out.iloc[i] = typed
    if not share:
        return out
    number = plain.to_numpy(dtype=float)
    finite = np.isfinite(number)
    points = finite & (number > 1)
    fractions = finite & (number > 0) & ~points
    if not percent and not (share == "percent" and points.any() and not fractions.any()):
        return out  # a plain number above 1 among fractions stays an error ("share 1.3 …")
    for i in np.flatnonzero(finite):
        if _PLAIN.fullmatch(text.iloc[i]):
            out.iloc[i] = format(Decimal(text.iloc[i]) / 100, "f")
    return out


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
            what = tr("table.missing") if key == "" else tr("table.unknown_value", raw=raw)
            raise InputError(
                path,
                tr("table.expected_one_of", what=what, allowed=", ".join(allowed)),
                sheet_row(i),
                column,
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
            raise InputError(path, tr("table.missing_yes_no"), sheet_row(i), column)
        elif key not in FALSE_WORDS and key != "":
            raise InputError(
                path,
                tr("table.not_yes_no", raw=raw),
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
