"""The firm, recognition and platform tables of DESIGN.md (Jiaxing reward schedule), read and
checked cell by cell, then turned into the arrays model/rules/jiaxing.py works on.

Every bad cell stops the run with an InputError naming the file, the spreadsheet row and the
column (row 1 is the header). The firm axis is sorted by firm_id so results do not depend on the
order of rows in the file (and the first-come queue is "then by firm_id").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fundalloc.core.errors import InputError
from fundalloc.rules.jiaxing import (KIND_ALIASES, KINDS, LEVEL_ALIASES, LEVELS, SECTOR_ALIASES, SECTORS)
from fundalloc.core.tables import choice, numeric, read_table, require_columns, sheet_row

FIRM_COLUMNS = ("firm_id", "sector", "year", "revenue_wan")
RECOGNITION_COLUMNS = ("firm_id", "year", "kind", "level")
PLATFORM_COLUMNS = ("platform_id", "year", "firms_served", "trade_growth", "upgrade_cost_wan")
YEAR_RANGE = (1980, 2100)   # a typo like 224 or 20205 is caught here, with its row
GROWTH_MAX = 10.0           # trade_growth is a fraction: 18 (for 18 %) would read as +1800 %


@dataclass
class Firms:
    path: Path
    ids: np.ndarray          # (n,) firm_id text, sorted
    sector: np.ndarray       # (n,) int code into SECTORS
    years: np.ndarray        # (T,) consecutive revenue years covered by the file
    revenue: np.ndarray      # (n, T) 万元, NaN where the file has no row

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Recognitions:
    path: Path | None
    firm: np.ndarray         # index into Firms.ids
    year: np.ndarray
    kind: np.ndarray         # 0 service_mfg_demo, 1 industrial_design
    level: np.ndarray        # code into LEVELS

    def arrays(self):
        return self.firm, self.year, self.kind, self.level


@dataclass
class Platforms:
    path: Path | None
    ids: np.ndarray          # platform_id of each row (rows sorted by platform_id, year)
    year: np.ndarray
    firms_served: np.ndarray
    trade_growth: np.ndarray
    upgrade_cost_wan: np.ndarray

    def arrays(self):
        return self.year, self.firms_served, self.trade_growth, self.upgrade_cost_wan


def _read(path: str | Path, columns: tuple[str, ...]) -> tuple[Path, pd.DataFrame]:
    """read_table + require_columns, with the row and column named even for an empty file or a
    missing column (the budget officer is told which header cell to fix)."""
    path = Path(path)
    if path.is_dir():   # e.g. --set awards.recognitions="" resolves to the working folder
        raise InputError(path, "is a folder, not a table file (to leave an optional table out, "
                         "set its key to false, e.g. --set awards.recognitions=false)")
    try:
        frame = read_table(path)
    except InputError as exc:
        if "empty" in exc.detail:
            raise InputError(path, f"{exc.detail}; expected the header "
                             f"{', '.join(columns)}", row=1, column=columns[0]) from None
        if "no records" in exc.detail:
            raise InputError(path, exc.detail, row=2, column=columns[0]) from None
        raise
    try:
        require_columns(frame, path, columns)
    except InputError as exc:
        missing = next(c for c in columns if c not in frame.columns)
        raise InputError(path, exc.detail, row=1, column=missing) from None
    return path, frame


def _ids(frame: pd.DataFrame, path: Path, column: str) -> np.ndarray:
    ids = frame[column].astype(str).to_numpy(dtype=object)
    empty = ids == ""
    if empty.any():
        raise InputError(path, "id is missing", sheet_row(int(np.argmax(empty))), column)
    return ids


def _years(frame: pd.DataFrame, path: Path) -> np.ndarray:
    y = numeric(frame, path, "year", min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1],
                integer=True)
    return y.astype(np.int64)


def _duplicates(path: Path, keys: pd.DataFrame, column: str, what: str) -> None:
    dup = keys.duplicated(keep="first").to_numpy()
    if dup.any():
        i = int(np.argmax(dup))
        same = (keys == keys.iloc[i]).all(axis=1).to_numpy()
        first = int(np.argmax(same))
        raise InputError(path, f"duplicate {what} {' '.join(map(str, keys.iloc[i]))} (first on "
                         f"row {sheet_row(first)})", sheet_row(i), column)


def read_firms(path: str | Path) -> Firms:
    """Long firm file: one row per firm and revenue year."""
    path, frame = _read(path, FIRM_COLUMNS)
    ids = _ids(frame, path, "firm_id")
    sector = choice(frame, path, "sector", SECTORS, aliases=SECTOR_ALIASES)
    year = _years(frame, path)
    revenue = numeric(frame, path, "revenue_wan", min_value=0)
    _duplicates(path, pd.DataFrame({"firm_id": ids, "year": year}), "year", "firm-year")
    # One sector per firm: the tier table depends on it, so a change between years is an error.
    first_sector = pd.Series(sector).groupby(pd.Series(ids)).transform("first").to_numpy()
    clash = first_sector != sector
    if clash.any():
        i = int(np.argmax(clash))
        raise InputError(path, f"firm {ids[i]} has sector '{sector[i]}' here but "
                         f"'{first_sector[i]}' on an earlier row: one sector per firm",
                         sheet_row(i), "sector")
    uniq, firm = np.unique(ids.astype(str), return_inverse=True)
    years = np.arange(year.min(), year.max() + 1)
    rev = np.full((len(uniq), len(years)), np.nan)
    rev[firm, year - years[0]] = revenue
    codes = {s: i for i, s in enumerate(SECTORS)}
    sec = np.empty(len(uniq), np.int64)
    sec[firm] = [codes[s] for s in sector]
    return Firms(path, uniq.astype(object), sec, years, rev)


def read_recognitions(path: str | Path, firms: Firms) -> Recognitions:
    path, frame = _read(path, RECOGNITION_COLUMNS)
    ids = _ids(frame, path, "firm_id")
    pos = np.searchsorted(firms.ids.astype(str), ids.astype(str))
    pos_c = np.clip(pos, 0, max(len(firms) - 1, 0))
    unknown = (pos >= len(firms)) | (firms.ids[pos_c].astype(str) != ids.astype(str))
    if unknown.any():
        i = int(np.argmax(unknown))
        raise InputError(path, f"firm '{ids[i]}' is not in the firm file {firms.path.name}",
                         sheet_row(i), "firm_id")
    year = _years(frame, path)
    kind = choice(frame, path, "kind", KINDS, aliases=KIND_ALIASES)
    level = choice(frame, path, "level", LEVELS, aliases=LEVEL_ALIASES)
    _duplicates(path, pd.DataFrame({"firm_id": ids, "year": year, "kind": kind, "level": level}),
                "firm_id", "recognition")
    kcode = {k: i for i, k in enumerate(KINDS)}
    lcode = {v: i for i, v in enumerate(LEVELS)}
    return Recognitions(path, pos_c.astype(np.int64), year,
                        np.array([kcode[k] for k in kind], np.int64),
                        np.array([lcode[v] for v in level], np.int64))


def read_platforms(path: str | Path) -> Platforms:
    path, frame = _read(path, PLATFORM_COLUMNS)
    ids = _ids(frame, path, "platform_id")
    year = _years(frame, path)
    served = numeric(frame, path, "firms_served", min_value=0, integer=True)
    growth = numeric(frame, path, "trade_growth", min_value=-1, max_value=GROWTH_MAX)
    cost = numeric(frame, path, "upgrade_cost_wan", min_value=0)
    _duplicates(path, pd.DataFrame({"platform_id": ids, "year": year}), "year",
                "platform-year (one upgrade claim per platform and year)")
    order = np.lexsort((year, ids.astype(str)))
    return Platforms(path, ids[order], year[order], served[order], growth[order], cost[order])


def empty_recognitions() -> Recognitions:
    z = np.zeros(0, np.int64)
    return Recognitions(None, z, z.copy(), z.copy(), z.copy())


def empty_platforms() -> Platforms:
    z = np.zeros(0)
    return Platforms(None, np.zeros(0, object), z.astype(np.int64), z, z.copy(), z.copy())
