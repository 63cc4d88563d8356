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

from fundalloc.core.columns import Column, Table, Unique, read
from fundalloc.core.errors import InputError
from fundalloc.core.i18n import tr
from fundalloc.core.tables import sheet_row
from fundalloc.rules.jiaxing import (
    KIND_ALIASES,
    KINDS,
    LEVEL_ALIASES,
    LEVELS,
    PAYER_ALIASES,
    PAYERS,
    SECTOR_ALIASES,
    SECTORS,
)
from fundalloc.rules.jiaxing.codes import CITY

TEXT = "嘉政发〔2024〕14号 三.(一)"
PAYER_TEXT = "嘉政发〔2024〕14号 五 各县(市)参照执行"
PAYER_HEADERS = ("支付主体", "出资方", "兑付主体", "资金承担主体", "所属地区", "属地")


def payer_column(help_text: str) -> Column:
    """The optional `payer` column: whose budget pays (市本级 or a county / district)."""
    return Column(
        "payer",
        "choice",
        "支付主体",
        "Payer",
        choices=PAYERS,
        aliases=PAYER_ALIASES,
        aliases_header=PAYER_HEADERS,
        required=False,
        optional=True,
        clause=PAYER_TEXT,
        help=help_text,
    )


FIRM_HEADERS = ("企业代码", "统一社会信用代码")
GROWTH_MAX = 10.0  # trade_growth is a fraction: 18 (for 18 %) would read as +1800 %

FIRMS = Table(
    "firms",
    "企业营业收入",
    "Firms",
    "long format: one row per firm and revenue year; `awards.firms` / `--firms`, "
    "`simulation.firms`",
    columns=(
        Column(
            "firm_id",
            "id",
            "企业编号",
            "Firm id",
            aliases_header=FIRM_HEADERS,
            help="the same id on every year's row",
        ),
        Column(
            "sector",
            "choice",
            "行业",
            "Sector",
            choices=SECTORS,
            aliases=SECTOR_ALIASES,
            aliases_header=("行业类别", "所属行业", "行业类型"),
            clause=TEXT,
            help="one sector per firm; manufacturing earns no revenue-tier award",
        ),
        Column(
            "year",
            "year",
            "营业收入年度",
            "Revenue year",
            aliases_header=("年度", "年份"),
            help='give earlier years too: they decide "first exceeds" and the base of growth',
        ),
        Column(
            "revenue_wan",
            "number",
            "年主营业务收入",
            "Main-business revenue",
            unit="万元",
            min=0,
            # 1 万亿元: no firm of a city's schedule comes near it; a larger figure is a typo
            # (or 元 typed as 万元), not a firm to pay
            max=1e8,
            aliases_header=("主营业务收入", "营业收入", "年主营业务收入(万元)"),
            clause=TEXT,
            help="annual main-business revenue (年主营业务收入), at most 1 万亿元 (1e8 万)",
        ),
        payer_column(
            "市本级 or 南湖区, 秀洲区, 嘉善县, 平湖市, 海盐县, 海宁市, 桐乡市: whose budget pays the "
            "firm (one per firm; empty: 市本级)"
        ),
    ),
    unique=(
        Unique(("firm_id", "year"), "duplicate firm-year {firm_id} {year} (first on row {first})"),
    ),
)
RECOGNITIONS = Table(
    "recognitions",
    "示范认定",
    "Recognitions",
    "one row per recognition; every firm_id must be in the firm file; `awards.recognitions` / "
    "`--recognitions`",
    columns=(
        Column(
            "firm_id",
            "id",
            "企业编号",
            "Firm id",
            aliases_header=FIRM_HEADERS,
            help="a firm_id of the firm file",
        ),
        Column(
            "year",
            "year",
            "认定年度",
            "Year recognised",
            aliases_header=("年度", "年份", "认定年份"),
            help="the year of the recognition",
        ),
        Column(
            "kind",
            "choice",
            "认定类别",
            "Kind",
            choices=KINDS,
            aliases=KIND_ALIASES,
            aliases_header=("类别", "认定类型"),
            clause=TEXT,
            help="服务型制造示范 or 工业设计",
        ),
        Column(
            "level",
            "choice",
            "认定级别",
            "Level",
            choices=LEVELS,
            aliases=LEVEL_ALIASES,
            aliases_header=("级别",),
            clause=TEXT,
            help="国家级 / 省级 / 市级",
        ),
        Column(
            "matter_id",
            "id",
            "认定事项编号",
            "Matter id",
            aliases_header=("事项编号", "项目编号", "平台或项目编号"),
            required=False,
            optional=True,
            clause=TEXT + " 示范企业(平台、项目)",
            help="the recognised firm, platform or project the row is for; read under "
            "awards.recognitions_per_firm = each_matter (rows of one matter settle against "
            "each other; an empty cell is a matter of its own)",
        ),
        payer_column("whose budget pays this recognition (empty: the firm's payer)"),
    ),
    unique=(
        Unique(
            ("firm_id", "year", "kind", "level", "matter_id"),
            "duplicate recognition {firm_id} {year} {kind} {level} {matter_id} "
            "(first on row {first}; give each matter its matter_id)",
            column="firm_id",
        ),
    ),
)
PLATFORMS = Table(
    "platforms",
    "跨境电商平台研发升级",
    "Platforms",
    "cross-border e-commerce platform upgrades, one row per platform and year; "
    "`awards.platforms` / `--platforms`",
    columns=(
        Column(
            "platform_id",
            "id",
            "平台编号",
            "Platform id",
            aliases_header=("平台代码",),
            help="the same id every year",
        ),
        Column(
            "year",
            "year",
            "年度",
            "Year",
            aliases_header=("年份",),
            help="the year of the upgrade claim",
        ),
        Column(
            "firms_served",
            "whole number",
            "服务企业数",
            "Firms served",
            unit="家",
            min=0,
            aliases_header=("服务企业数量", "服务企业"),
            clause=TEXT,
            help="firms the platform serves (超过300家)",
        ),
        Column(
            "trade_growth",
            "number",
            "进出口额增速",
            "Trade growth",
            min=-1,
            max=GROWTH_MAX,
            share="fraction",
            aliases_header=("进出口增速", "进出口额增长率"),
            clause=TEXT,
            hint="give growth as a fraction (0.18 for 18 %)",
            help="growth of imports and exports, a fraction (0.18 for 18 %)",
        ),
        Column(
            "upgrade_cost_wan",
            "number",
            "研发升级费用",
            "Upgrade cost",
            unit="万元",
            min=0,
            aliases_header=("研发升级费用(万元)", "升级费用"),
            clause=TEXT,
            help="the platform's research and upgrade cost (研发升级费用)",
        ),
        payer_column("whose budget pays the platform (one per platform; empty: 市本级)"),
    ),
    unique=(
        Unique(
            ("platform_id", "year"),
            "duplicate platform-year (one upgrade claim per "
            "platform and year) {platform_id} {year} (first on row {first})",
        ),
    ),
)


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
                f"no revenue before {first_year}: the history is needed "
                "to know which tiers a firm already exceeded",
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
            f"firm {ids[i]} has sector '{sector[i]}' here but "
            f"'{first_sector[i]}' on an earlier row: one sector per firm",
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
            f"firm '{ids[i]}' is not in the firm file {firms.path.name}",
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
