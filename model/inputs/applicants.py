"""The applicant table of DESIGN.md (one row per applicant), declared column by column and read
by the one reader of fundalloc.core.columns; the limit per city is checked here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fundalloc.core.columns import Column, Table, Unique, When, read
from fundalloc.core.errors import InputError
from fundalloc.core.i18n import tr
from fundalloc.core.tables import sheet_row
from fundalloc.rules.henan import CITY_ALIASES, CITY_REGION, KINDS, ZONE_LEVELS

FACTORS = ("industrial_scale", "service_capability", "reach")
CLAUSE = "seeds/000 二.(一) 申报主体"
SHARE_HINT = "give shares as fractions (0.35 for 35 %), as 35%, or the whole column as percents"


# Header texts officers write besides each column's zh label (shared with Jiangsu's file).
ID_HEADERS = ("申报主体编号", "主体编号", "代码")
NAME_HEADERS = ("申报主体名称", "申报主体", "主体名称", "单位名称")
CITY_HEADERS = ("所在市", "所属市", "城市", "省辖市", "地市", "推荐市")
GDP_HEADERS = ("上年GDP", "上年地区生产总值(亿元)", "地区生产总值", "GDP")
REVENUE_HEADERS = ("上年营业收入(亿元)", "营业收入", "上年营收")
SHARE_HEADERS = ("制造业占比", "制造业增加值占比(%)", "制造业增加值比重", "制造业比重")
SCORE_HEADERS = ("评分", "综合评分", "得分", "评审分数")
HEADERS = {
    "industrial_scale": ("产业规模得分",),
    "service_capability": ("服务能级得分",),
    "reach": ("辐射范围得分",),
}
# Chinese values: 县(市、区) and 开发区, the levels of a development zone
KIND_ALIASES = {
    "县": "county",
    "县级市": "county",
    "市辖区": "county",
    "区": "county",
    "县(市、区)": "county",
    "县（市、区）": "county",
    "县市区": "county",
    "开发区": "zone",
}
LEVEL_ALIASES = {"国家级": "national", "省级": "provincial", "市级": "municipal"}


def factor_columns() -> tuple[Column, ...]:
    """The three award-sizing factors (根据产业规模、服务能级、辐射范围等因素); Henan and
    Jiangsu alike."""
    labels = {
        "industrial_scale": ("产业规模", "Industrial scale"),
        "service_capability": ("服务能级", "Service capability"),
        "reach": ("辐射范围", "Reach"),
    }
    return tuple(
        Column(
            f,
            "number",
            *labels[f],
            min=0,
            min_open=True,
            aliases_header=HEADERS[f],
            help="award-sizing factor, any positive scale (weighted by selection.weights)",
        )
        for f in FACTORS
    )


def pinned_column() -> Column:
    return Column(
        "pinned",
        "choice",
        "锁定",
        "Pinned",
        choices=("in", "out"),
        aliases={"入选": "in", "必选": "in", "锁定入选": "in", "排除": "out", "不选": "out"},
        aliases_header=("是否锁定",),
        required=False,
        optional=True,
        help="in: must be designated; out: must not be; empty: the model decides",
    )


def city_match_column() -> Column:
    return Column(
        "city_match_wan",
        "number",
        "市级配套资金",
        "City matching funds",
        unit="万元",
        min=0,
        required=False,
        optional=True,
        aliases_header=("市级配套", "配套资金", "市级配套资金(万元)"),
        help="the city's matching funds, reported beside the provincial award",
    )


APPLICANTS = Table(
    "henan_applicants",
    "河南两业融合发展区申报主体",
    "Henan applicants",
    "one row per applicant (county or development zone) of one batch; `selection.applicants`, "
    "`--applicants`",
    columns=(
        Column(
            "id",
            "id",
            "编号",
            "Id",
            aliases_header=ID_HEADERS,
            help="unique; keep it when the applicant reapplies",
        ),
        Column(
            "name",
            "text",
            "名称",
            "Name",
            required=False,
            aliases_header=NAME_HEADERS,
            help="the county or development zone",
        ),
        Column(
            "city",
            "choice",
            "推荐单位",
            "Recommending city",
            choices=tuple(CITY_REGION),
            aliases=CITY_ALIASES,
            aliases_header=CITY_HEADERS,
            help="one of the 19 recommending units (Chinese name or "
            "pinyin); its regional group follows from it",
        ),
        Column(
            "kind",
            "choice",
            "类型",
            "Kind",
            choices=KINDS,
            aliases=KIND_ALIASES,
            aliases_header=("申报类型", "主体类型"),
            clause=CLAUSE,
            help="county: 县(市、区); zone: 开发区",
        ),
        Column(
            "zone_level",
            "choice",
            "开发区级别",
            "Zone level",
            choices=ZONE_LEVELS,
            aliases=LEVEL_ALIASES,
            aliases_header=("级别",),
            required=False,
            clause=CLAUSE,
            help="国家级 / 省级 / 市级; empty for counties",
        ),
        Column(
            "gdp_prev_yi",
            "number",
            "上年地区生产总值",
            "GDP last year",
            unit="亿元",
            min=0,
            required=When("kind", ("county",)),
            aliases_header=GDP_HEADERS,
            clause=CLAUSE,
            help="the county's GDP last year (上一年度地区生产总值)",
        ),
        Column(
            "revenue_prev_yi",
            "number",
            "上年营业收入",
            "Revenue last year",
            unit="亿元",
            min=0,
            required=When("kind", ("zone",)),
            aliases_header=REVENUE_HEADERS,
            clause=CLAUSE,
            help="the zone's operating revenue last year (上一年度营业收入)",
        ),
        Column(
            "mfg_share",
            "number",
            "制造业增加值占比",
            "Manufacturing share",
            min=0,
            max=1,
            word="share",
            hint=SHARE_HINT,
            share="percent",
            aliases_header=SHARE_HEADERS,
            clause=CLAUSE,
            help="manufacturing value-added (revenue) share, a fraction",
        ),
        Column(
            "score",
            "number",
            "评审得分",
            "Assessment score",
            min=0,
            max=100,
            aliases_header=SCORE_HEADERS,
            help="assessment score of the review",
        ),
        *factor_columns(),
        Column(
            "stars",
            "whole number",
            "开发区星级",
            "Stars",
            min=0,
            max=3,
            required=False,
            optional=True,
            aliases_header=("星级",),
            help="development-zone class",
        ),
        pinned_column(),
        city_match_column(),
    ),
    unique=(Unique(("id",), "duplicate id '{id}' (first used on row {first})"),),
)


@dataclass
class Applicants:
    path: Path
    frame: pd.DataFrame  # the file as read (text), for echoing back in outputs
    ids: np.ndarray
    names: np.ndarray
    city: np.ndarray  # canonical Chinese names
    region: np.ndarray  # zhengzhou | west | south | east | north
    kind: np.ndarray
    zone_level: np.ndarray
    gdp_prev_yi: np.ndarray
    revenue_prev_yi: np.ndarray
    mfg_share: np.ndarray
    score: np.ndarray
    factors: np.ndarray  # shape (n, 3) in FACTORS order
    stars: np.ndarray
    pinned: np.ndarray  # "in" | "out" | ""
    city_match_wan: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def read_applicants(path: str | Path, max_per_city: int = 2) -> Applicants:
    rows = read(APPLICANTS, path)
    city = rows["city"]
    if max_per_city:
        _check_per_city(rows.path, city, max_per_city)
    return Applicants(
        path=rows.path,
        frame=rows.frame,
        ids=rows["id"],
        names=rows["name"],
        city=city,
        region=np.array([CITY_REGION[c] for c in city], dtype=object),
        kind=rows["kind"],
        zone_level=rows["zone_level"],
        gdp_prev_yi=rows["gdp_prev_yi"],
        revenue_prev_yi=rows["revenue_prev_yi"],
        mfg_share=rows["mfg_share"],
        score=rows["score"],
        factors=np.column_stack([rows[f] for f in FACTORS]),
        stars=rows["stars"],
        pinned=rows["pinned"],
        city_match_wan=np.nan_to_num(rows["city_match_wan"], nan=0.0),
    )


def _check_per_city(path: Path, city: np.ndarray, limit: int) -> None:
    """seeds/000: 各省辖市可推荐2个申报主体 (each recommending unit recommends at most 2)."""
    names, counts = np.unique(city, return_counts=True)
    for name, count in zip(names, counts, strict=True):
        if count > limit:
            rows = [sheet_row(int(i)) for i in np.flatnonzero(city == name)]
            raise InputError(
                path,
                tr(
                    "input.per_city_henan",
                    city=name,
                    count=count,
                    rows=", ".join(map(str, rows)),
                    limit=limit,
                ),
                rows[limit],
                "city",
            )
