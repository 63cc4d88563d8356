"""The firm, recognition and platform tables of DESIGN.md (Jiaxing reward schedule), declared
column by column, read by the one reader of fundalloc.core.columns, then turned into the arrays
model/rules/jiaxing.py works on. This is the only firm reader: `awards` uses `read_firms`, the
simulation `read_firms(path).history_before(first_year)`.

Every bad cell stops the run with an InputError naming the file, the spreadsheet row and the
column (row 1 is the header). The firm axis is sorted by firm_id so results do not depend on the
order of rows in the file (and the first-come queue is "then by firm_id").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fundalloc.core.columns import read
from fundalloc.core.errors import InputError
from fundalloc.core.i18n import tr
from fundalloc.core.tables import sheet_row
from fundalloc.inputs.jiaxing_tables import FIRMS, PLATFORMS, RECOGNITIONS
from fundalloc.rules.jiaxing import KINDS, LEVELS, PAYERS, SECTORS
from fundalloc.rules.jiaxing.codes import CITY


@dataclass
class Firms:
    path: Path
    ids: np.ndarray  # (n,) firm_id text, sorted
    sector: np.ndarray  # (n,) int code into SECTORS
    years: np.ndarray  # (T,) consecutive revenue years covered by the file
    revenue: np.ndarray  # (n, T) 万元, NaN where the file has no row
    payer: np.ndarray | None = None  # (n,) int code into PAYERS; None: all 市本级

    def __len__(self) -> int:
        return len(self.ids)

    def history_before(self, first_year: int):
        """(ids, sector codes, history years, revenue (n, H)) of the firms with a row before
        `first_year`: the simulation's incumbents. Later rows are left out (the simulation
        makes those); the history runs from the file's first year to first_year − 1."""
        if self.years[0] >= first_year:
            raise InputError(
                self.path,
                tr("input.no_history", year=first_year),
                column="year",
            )
        hyears = tuple(range(int(self.years[0]), first_year))
        cols = self.years < first_year
        keep = np.isfinite(self.revenue[:, cols]).any(axis=1)
        hist = np.full((int(keep.sum()), len(hyears)), np.nan)
        hist[:, : int(cols.sum())] = self.revenue[keep][:, cols]
        return self.ids[keep], self.sector[keep], hyears, hist


@dataclass
class Recognitions:
    path: Path | None
    firm: np.ndarray  # index into Firms.ids
    year: np.ndarray
    kind: np.ndarray  # 0 service_mfg_demo, 1 industrial_design
    level: np.ndarray  # code into LEVELS
    matter: np.ndarray | None = None  # code of matter_id, −1 where empty
    payer: np.ndarray | None = None  # code into PAYERS, −1 where empty (the firm's)

    def arrays(self):
        m = len(self.firm)
        none = np.full(m, -1, np.int64)
        matter = none if self.matter is None else self.matter
        payer = none if self.payer is None else self.payer
        return self.firm, self.year, self.kind, self.level, matter, payer


@dataclass
class Platforms:
    path: Path | None
    ids: np.ndarray  # platform_id of each row (rows sorted by platform_id, year)
    year: np.ndarray
    firms_served: np.ndarray
    trade_growth: np.ndarray
    upgrade_cost_wan: np.ndarray
    payer: np.ndarray | None = None  # code into PAYERS, −1 where empty (市本级)

    def arrays(self):
        _, ident = np.unique(self.ids.astype(str), return_inverse=True)
        payer = np.full(len(self.year), -1, np.int64) if self.payer is None else self.payer
        return (
            self.year,
            self.firms_served,
            self.trade_growth,
            self.upgrade_cost_wan,
            ident.astype(np.int64),
            payer,
        )


def read_firms(path: str | Path) -> Firms:
    """Long firm file: one row per firm and revenue year."""
    rows = read(FIRMS, path)
    ids, sector, year = rows["firm_id"], rows["sector"], rows["year"]
    # One sector per firm: the tier table depends on it, so a change between years is an error.
    first_sector = pd.Series(sector).groupby(pd.Series(ids)).transform("first").to_numpy()
    clash = first_sector != sector
    if clash.any():
        i = int(np.argmax(clash))
        raise InputError(
            rows.path,
            tr("input.sector_clash", firm=ids[i], sector=sector[i], first=first_sector[i]),
            sheet_row(i),
            "sector",
        )
    uniq, firm = np.unique(ids.astype(str), return_inverse=True)
    years = np.arange(year.min(), year.max() + 1)
    rev = np.full((len(uniq), len(years)), np.nan)
    rev[firm, year - years[0]] = rows["revenue_wan"]
    codes = {s: i for i, s in enumerate(SECTORS)}
    sec = np.empty(len(uniq), np.int64)
    sec[firm] = [codes[s] for s in sector]
    return Firms(rows.path, uniq.astype(object), sec, years, rev, _firm_payers(rows, firm, ids))


def _payer_codes(values: np.ndarray) -> np.ndarray:
    """Payer codes of a payer column, −1 where the cell is empty."""
    code = {p: i for i, p in enumerate(PAYERS)}
    return np.array([code.get(str(v), -1) for v in values], np.int64)


def _firm_payers(rows, firm: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """One payer per firm (its non-empty cells must agree; none given: 市本级)."""
    codes = _payer_codes(rows["payer"])
    out = np.full(int(firm.max(initial=-1)) + 1, -1, np.int64)
    for i in np.flatnonzero(codes >= 0):  # rows that name a payer
        if out[firm[i]] >= 0 and out[firm[i]] != codes[i]:
            raise InputError(
                rows.path,
                tr(
                    "jiaxing.payer_clash",
                    firm=ids[i],
                    payer=PAYERS[codes[i]],
                    earlier=PAYERS[out[firm[i]]],
                ),
                sheet_row(int(i)),
                "payer",
            )
        out[firm[i]] = codes[i]
    return np.maximum(out, CITY)


def read_recognitions(path: str | Path, firms: Firms) -> Recognitions:
    rows = read(RECOGNITIONS, path)
    ids = rows["firm_id"]
    pos = np.searchsorted(firms.ids.astype(str), ids.astype(str))
    pos_c = np.clip(pos, 0, max(len(firms) - 1, 0))
    unknown = (pos >= len(firms)) | (firms.ids[pos_c].astype(str) != ids.astype(str))
    if unknown.any():
        i = int(np.argmax(unknown))
        raise InputError(
            rows.path,
            tr("input.firm_not_in_file", firm=ids[i], file=firms.path.name),
            sheet_row(i),
            "firm_id",
        )
    kcode = {k: i for i, k in enumerate(KINDS)}
    lcode = {v: i for i, v in enumerate(LEVELS)}
    matter_ids = np.asarray(rows["matter_id"]).astype(str)
    given = np.array([bool(m.strip()) and m != "nan" for m in matter_ids])
    _, mcode = np.unique(matter_ids, return_inverse=True)
    return Recognitions(
        rows.path,
        pos_c.astype(np.int64),
        rows["year"],
        np.array([kcode[k] for k in rows["kind"]], np.int64),
        np.array([lcode[v] for v in rows["level"]], np.int64),
        np.where(given, mcode, -1).astype(np.int64),
        _payer_codes(rows["payer"]),
    )


def read_platforms(path: str | Path) -> Platforms:
    rows = read(PLATFORMS, path)
    ids, year = rows["platform_id"], rows["year"]
    order = np.lexsort((year, ids.astype(str)))
    return Platforms(
        rows.path,
        ids[order],
        year[order],
        rows["firms_served"][order],
        rows["trade_growth"][order],
        rows["upgrade_cost_wan"][order],
        _payer_codes(rows["payer"])[order],
    )


def empty_recognitions() -> Recognitions:
    z = np.zeros(0, np.int64)
    return Recognitions(None, z, z.copy(), z.copy(), z.copy())


def empty_platforms() -> Platforms:
    z = np.zeros(0)
    return Platforms(None, np.zeros(0, object), z.astype(np.int64), z, z.copy(), z.copy())
