"""Jiangsu benchmark tables, declared column by column (type, unit, range or choices, Chinese
headers, clause): the applicant file of one annual round and the performance file of named
benchmarks; fundalloc.inputs.jiangsu reads them."""

from __future__ import annotations

from fundalloc.core.columns import Column, Table, Unique, When
from fundalloc.inputs.applicants import (
    CITY_HEADERS,
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
