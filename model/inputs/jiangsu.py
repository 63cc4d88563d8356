"""Jiangsu benchmark tables, declared column by column: the applicant file of one annual round
(for `select`) and the performance file of named benchmarks (for `evaluate`).

Column meanings are in docs/jiangsu.md and docs/inputs.md. Both files describe a benchmark the
same way (track, unit type, catalogue, pilot, share, GDP, revenue, rank): one list of columns,
and one function for the checks that span columns (unit type fits the track, a region has a
size, an enterprise a revenue or a rank).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fundalloc.core.columns import Column, Rows, Table, Unique, When, read
from fundalloc.core.errors import InputError
from fundalloc.core.tables import sheet_row
from fundalloc.inputs.applicants import (
    CITY_HEADERS,
    FACTORS,
    GDP_HEADERS,
    ID_HEADERS,
    NAME_HEADERS,
    REVENUE_HEADERS,
    SCORE_HEADERS,
    SHARE_HEADERS,
    SHARE_HINT,
    city_match_column,
    factor_columns,
    pinned_column,
)
from fundalloc.rules.jiangsu import CITY_ALIASES, CITY_REGION, REGION_UNIT_TYPES, TRACKS

CLAUSE = "seeds/001 四.(二) 确立建设标准"
TRACK_ALIASES = {"区域": "region", "企业": "enterprise"}
UNIT_ALIASES = {
    "县": "county",
    "县(市、区)": "county",
    "县市区": "county",
    "县级市": "county",
    "市辖区": "county",
    "district": "county",
    "开发园区": "dev_park",
    "开发区": "dev_park",
    "工业集中区": "industrial_zone",
    "特色小镇": "feature_town",
    "企业": "enterprise",
}


def _facts_columns(pilot: Column) -> tuple[Column, ...]:
    """What both files say of a benchmark (docs/jiangsu.md), in checking order."""
    return (
        Column(
            "id",
            "id",
            "编号",
            "Id",
            aliases_header=ID_HEADERS,
            help="unique; keep it when an applicant reapplies in a later year",
        ),
        Column(
            "name",
            "text",
            "名称",
            "Name",
            required=False,
            aliases_header=NAME_HEADERS,
            help="the county, park, zone or enterprise",
        ),
        Column(
            "city",
            "choice",
            "设区市",
            "City",
            choices=tuple(CITY_REGION),
            aliases=CITY_ALIASES,
            aliases_header=CITY_HEADERS,
            help="recommending 设区市 (pinyin and the 市 suffix "
            "accepted); its regional group follows from it",
        ),
        Column(
            "track",
            "choice",
            "类别",
            "Track",
            choices=TRACKS,
            aliases=TRACK_ALIASES,
            aliases_header=("申报类别", "类型"),
            clause=CLAUSE,
            help="region (区域) or enterprise (企业)",
        ),
        Column(
            "unit_type",
            "choice",
            "区域类型",
            "Unit type",
            choices=(*REGION_UNIT_TYPES, "enterprise"),
            aliases=UNIT_ALIASES,
            aliases_header=("单元类型", "区域单元类型"),
            required=False,
            clause=CLAUSE,
            help="regions: their unit type; enterprises: enterprise or empty",
        ),
        Column(
            "in_catalogue",
            "yes/no",
            "纳入开发区目录",
            "In the catalogue",
            required=When("unit_type", ("dev_park",)),
            optional=True,
            aliases_header=("是否纳入开发区目录", "纳入目录"),
            clause=CLAUSE,
            help="listed in 《中国开发区审核公告目录》 (development parks)",
        ),
        pilot,
        Column(
            "mfg_share",
            "number",
            "制造业增加值占比",
            "Manufacturing share",
            min=0,
            max=1,
            word="share",
            hint=SHARE_HINT,
            required=When("track", ("region",)),
            share="percent",
            aliases_header=SHARE_HEADERS,
            clause=CLAUSE,
            help="manufacturing value-added share, a fraction (enterprises: may be empty)",
        ),
        Column(
            "gdp_prev_yi",
            "number",
            "上年地区生产总值",
            "GDP last year",
            unit="亿元",
            min=0,
            required=False,
            aliases_header=GDP_HEADERS,
            clause=CLAUSE,
            help="the region's GDP last year (a region needs GDP or revenue)",
        ),
        Column(
            "revenue_prev_yi",
            "number",
            "上年营业收入",
            "Revenue last year",
            unit="亿元",
            min=0,
            required=False,
            aliases_header=REVENUE_HEADERS,
            clause=CLAUSE,
            help="annual operating revenue last year (an enterprise needs revenue or a rank)",
        ),
        Column(
            "national_share_rank",
            "whole number",
            "全国市场占有率排名",
            "National market-share rank",
            min=1,
            required=False,
            optional=True,
            aliases_header=("市场占有率排名", "全国排名"),
            clause=CLAUSE,
            help="rank of the enterprise's market share in its sub-industry "
            "(1 = largest; empty = not ranked)",
        ),
    )


def _pilot(required) -> Column:
    return Column(
        "provincial_pilot",
        "yes/no",
        "省级两业融合试点",
        "Provincial pilot",
        required=required,
        optional=required is not True,
        aliases_header=("省级试点", "是否省级试点"),
        clause=CLAUSE,
        help="on the provincial 两业深度融合 pilot list (已列入省级试点名单)",
    )


APPLICANTS = Table(
    "jiangsu_applicants",
    "江苏两业融合标杆申报主体",
    "Jiangsu applicants",
    "one row per applicant of one annual round; `selection.applicants`, `--applicants`",
    columns=(
        *_facts_columns(_pilot(True)),
        Column(
            "score",
            "number",
            "评审得分",
            "Assessment score",
            min=0,
            max=100,
            aliases_header=SCORE_HEADERS,
            help="assessment from 材料审查、专家评审、现场察看",
        ),
        *factor_columns(),
        pinned_column(),
        city_match_column(),
    ),
    unique=(Unique(("id",), "duplicate id '{id}' (first used on row {first})"),),
)
PERFORMANCE = Table(
    "jiangsu_performance",
    "江苏两业融合标杆绩效评价",
    "Jiangsu performance",
    "one row per named benchmark, current data and evaluation marks; "
    "`evaluation.performance`, `--performance`",
    columns=(
        *_facts_columns(_pilot(When(flag="evaluation.recheck_pilot"))),
        Column(
            "performance_score",
            "number",
            "绩效评价得分",
            "Performance score",
            min=0,
            max=100,
            clause="seeds/001 四.(四)",
            aliases_header=("绩效得分", "绩效评价分数"),
            help="the performance evaluation's mark",
        ),
        Column(
            "new_models",
            "yes/no",
            "新业态新模式",
            "New business models",
            clause="seeds/001 四.(四)",
            help="具有新业态新模式",
        ),
        Column(
            "demonstration",
            "yes/no",
            "示范带动作用明显",
            "Demonstration effect",
            clause="seeds/001 四.(四)",
            help="示范带动作用明显",
        ),
        Column(
            "designated_year",
            "year",
            "认定年份",
            "Year designated",
            min=2021,
            max=2030,
            required=False,
            optional=True,
            aliases_header=("认定年度",),
            help="the year the benchmark was named",
        ),
    ),
    unique=(Unique(("id",), "duplicate id '{id}' (first used on row {first})"),),
)


@dataclass
class BenchmarkFacts:
    """What the rules look at, one entry per row."""

    path: Path
    frame: pd.DataFrame
    ids: np.ndarray
    names: np.ndarray
    city: np.ndarray  # canonical Chinese names
    region: np.ndarray  # sunan | suzhong | subei
    track: np.ndarray  # region | enterprise
    unit_type: np.ndarray  # a REGION_UNIT_TYPES value, or "enterprise"
    in_catalogue: np.ndarray
    provincial_pilot: np.ndarray
    mfg_share: np.ndarray  # NaN where not given (enterprises)
    gdp_prev_yi: np.ndarray
    revenue_prev_yi: np.ndarray
    national_share_rank: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def rule_args(self) -> tuple[Any, Any, Any, Any, Any, Any, Any, Any]:
        """Positional arguments of rules.jiangsu.eligibility, in order."""
        return (
            self.track,
            self.unit_type,
            self.in_catalogue,
            self.provincial_pilot,
            self.mfg_share,
            self.gdp_prev_yi,
            self.revenue_prev_yi,
            self.national_share_rank,
        )


def _facts(rows: Rows) -> BenchmarkFacts:
    """The checks across columns of a benchmark's row, then the facts the rules look at."""
    path, track, unit = rows.path, rows["track"], rows["unit_type"]
    is_region, is_firm = track == "region", track == "enterprise"
    unit[is_firm & (unit == "")] = "enterprise"
    _check_unit_matches_track(path, track, unit)
    gdp, revenue = rows["gdp_prev_yi"], rows["revenue_prev_yi"]
    rank = rows["national_share_rank"]
    no_size = is_region & np.isnan(gdp) & np.isnan(revenue)
    if no_size.any():
        raise InputError(
            path,
            "a region needs its GDP or its operating revenue (亿元): both are empty",
            sheet_row(int(np.argmax(no_size))),
            "gdp_prev_yi",
        )
    no_test = is_firm & np.isnan(revenue) & np.isnan(rank)
    if no_test.any():
        raise InputError(
            path,
            "an enterprise needs its revenue (亿元) or its national "
            "market-share rank: both are empty",
            sheet_row(int(np.argmax(no_test))),
            "revenue_prev_yi",
        )
    city = rows["city"]
    return BenchmarkFacts(
        path=path,
        frame=rows.frame,
        ids=rows["id"],
        names=rows["name"],
        city=city,
        region=np.array([CITY_REGION[c] for c in city], dtype=object),
        track=track,
        unit_type=unit,
        in_catalogue=rows["in_catalogue"],
        provincial_pilot=rows["provincial_pilot"],
        mfg_share=rows["mfg_share"],
        gdp_prev_yi=gdp,
        revenue_prev_yi=revenue,
        national_share_rank=rank,
    )


def _check_unit_matches_track(path: Path, track: np.ndarray, unit: np.ndarray) -> None:
    bad_region = (track == "region") & np.isin(unit, ["", "enterprise"])
    if bad_region.any():
        i = int(np.argmax(bad_region))
        raise InputError(
            path,
            f"a region needs its unit type: one of {', '.join(REGION_UNIT_TYPES)}",
            sheet_row(i),
            "unit_type",
        )
    bad_firm = (track == "enterprise") & (unit != "enterprise")
    if bad_firm.any():
        i = int(np.argmax(bad_firm))
        raise InputError(
            path,
            f"unit type '{unit[i]}' is for regions; an enterprise row has "
            "unit_type 'enterprise' or empty (or is it track 'region'?)",
            sheet_row(i),
            "unit_type",
        )


@dataclass
class JiangsuApplicants:
    facts: BenchmarkFacts
    score: np.ndarray
    factors: np.ndarray  # shape (n, 3) in FACTORS order
    pinned: np.ndarray  # "in" | "out" | ""
    city_match_wan: np.ndarray


def read_jiangsu_applicants(path: str | Path, max_per_city: int = 0) -> JiangsuApplicants:
    """One annual round's applicants; max_per_city 0 = no limit (the text sets none)."""
    rows = read(APPLICANTS, path)
    facts = _facts(rows)
    if max_per_city:
        _check_per_city(rows.path, facts.city, max_per_city)
    return JiangsuApplicants(
        facts=facts,
        score=rows["score"],
        factors=np.column_stack([rows[f] for f in FACTORS]),
        pinned=rows["pinned"],
        city_match_wan=np.nan_to_num(rows["city_match_wan"], nan=0.0),
    )


def _check_per_city(path: Path, city: np.ndarray, limit: int) -> None:
    """seeds/001 四.(三): each 设区市 recommends (择优推荐); the text sets no number, so the limit
    is the scenario's eligibility.max_applicants_per_city. Names the first row over it."""
    seen: dict[str, int] = {}
    for i, name in enumerate(city):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > limit:
            total = int((city == name).sum())
            raise InputError(
                path,
                f"{name} recommends {total} applicants; the scenario allows at "
                f"most {limit} per city a year "
                f"(eligibility.max_applicants_per_city)",
                sheet_row(i),
                "city",
            )


@dataclass
class Performance:
    facts: BenchmarkFacts
    performance_score: np.ndarray
    new_models: np.ndarray
    demonstration: np.ndarray
    designated_year: np.ndarray  # NaN where not given


def read_performance(path: str | Path, pilot_required: bool = False) -> Performance:
    """The named benchmarks with current data and their evaluation marks; `pilot_required`:
    evaluation.recheck_pilot (the pilot listing is then needed on every row)."""
    rows = read(PERFORMANCE, path, flags={"evaluation.recheck_pilot": pilot_required})
    return Performance(
        facts=_facts(rows),
        performance_score=rows["performance_score"],
        new_models=rows["new_models"],
        demonstration=rows["demonstration"],
        designated_year=rows["designated_year"],
    )
