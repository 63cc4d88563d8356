"""Henan provincial 两业融合发展区: who may apply and where they sit (RULES.md A).
The numbers live in scenarios/policies/henan-zones-2025.toml; the readings in [eligibility].

Source: docs/sources/henan-zones-notice-2025.txt 二.(一) 申报主体 — "县(市、区)和省级及以上开发区 ... 申报时制造业增加值(营业收入)
占比达30%以上, 且县(市、区)上一年度地区生产总值超过200亿元, 开发区上一年度营业收入超过100亿元";
regional groups from docs/sources/henan-manufacturing-plan-2023-27.txt 七.1 (中心引领、两带支撑、四区协同).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from fundalloc.core.i18n import tr
from fundalloc.core.schema import Section, setting
from fundalloc.rules.legal import POLICIES, Legal, PolicyHeader, in_force, load_policy_file

# The 19 recommending units (17 prefecture-level cities, 济源示范区, 郑州航空港区) and their group.
CITY_REGION: dict[str, str] = {
    "郑州": "zhengzhou",
    "开封": "zhengzhou",
    "新乡": "zhengzhou",
    "焦作": "zhengzhou",
    "许昌": "zhengzhou",
    "平顶山": "zhengzhou",
    "漯河": "zhengzhou",
    "郑州航空港区": "zhengzhou",
    "洛阳": "west",
    "三门峡": "west",
    "济源示范区": "west",
    "南阳": "south",
    "信阳": "south",
    "驻马店": "south",
    "商丘": "east",
    "周口": "east",
    "安阳": "north",
    "鹤壁": "north",
    "濮阳": "north",
}
REGIONS = ("zhengzhou", "west", "south", "east", "north")
REGION_NAMES = {
    "zhengzhou": "郑州中心 Zhengzhou centre",
    "west": "豫西 West",
    "south": "豫南 South",
    "east": "东部承接产业转移示范区 East",
    "north": "豫北 North",
}
CITY_ALIASES: dict[str, str] = {
    "zhengzhou": "郑州",
    "kaifeng": "开封",
    "luoyang": "洛阳",
    "pingdingshan": "平顶山",
    "anyang": "安阳",
    "hebi": "鹤壁",
    "xinxiang": "新乡",
    "jiaozuo": "焦作",
    "puyang": "濮阳",
    "xuchang": "许昌",
    "luohe": "漯河",
    "sanmenxia": "三门峡",
    "nanyang": "南阳",
    "shangqiu": "商丘",
    "xinyang": "信阳",
    "zhoukou": "周口",
    "zhumadian": "驻马店",
    "jiyuan": "济源示范区",
    "济源": "济源示范区",
    "jiyuan demonstration zone": "济源示范区",
    "hangkonggang": "郑州航空港区",
    "航空港区": "郑州航空港区",
    "zhengzhou airport": "郑州航空港区",
    "zhengzhou airport economy zone": "郑州航空港区",
    **{
        f"{c}市": c
        for c in (
            "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 "
            "南阳 商丘 信阳 周口 驻马店"
        ).split()
    },
}
KINDS = ("county", "zone")
ZONE_LEVELS = ("national", "provincial", "municipal")


LEVEL = Literal["national", "provincial", "municipal"]
POLICY = POLICIES / "henan-zones-2025.toml"


class HenanPolicy(PolicyHeader):
    """A Henan policy file (scenarios/policies/henan-zones-2025.toml): the notice's numbers."""

    mfg_share_min: Legal[float] = setting(
        zh="制造业占比下限",
        en="Manufacturing share, minimum",
        help="share of manufacturing value added (or revenue)",
    )
    county_gdp_min_yi: Legal[float] = setting(
        zh="县(市、区)GDP门槛",
        en="County GDP threshold",
        help="previous year's GDP of a county, 亿元",
    )
    zone_revenue_min_yi: Legal[float] = setting(
        zh="开发区营业收入门槛",
        en="Zone revenue threshold",
        help="previous year's revenue of a zone, 亿元",
    )
    zone_levels: Legal[list[LEVEL]] = setting(
        zh="可申报的开发区级别",
        en="Zone levels that may apply",
        help="development-zone levels admitted",
    )
    max_applicants_per_city: Legal[int] = setting(
        zh="每市推荐数",
        en="Applicants per city",
        help="applicants a recommending unit may put forward",
    )


class HenanEligibility(Section):
    """[eligibility] for rules = "henan": the readings of 二.(一), and what-if overrides of the
    policy file's numbers (absent: the policy's value)."""

    policy: str | None = setting(
        None,
        zh="政策文件",
        en="Policy file",
        help="policy file with the notice's numbers (default "
        "scenarios/policies/henan-zones-2025.toml)",
    )
    mfg_share_inclusive: bool = setting(
        True,
        zh="占比恰为门槛即符合",
        en="Share at the threshold qualifies",
        clause="达30%以上",
        help='"达30%以上": 30 % exactly qualifies (false: must exceed)',
    )
    thresholds_strict: bool = setting(
        True,
        zh="规模门槛须严格超过",
        en="Size thresholds are strict",
        clause="超过200亿元 / 超过100亿元",
        help='"超过": strictly above (false: at least)',
    )
    mfg_share_min: float | None = setting(
        None,
        zh="制造业占比下限(假设)",
        en="Manufacturing share minimum (what-if)",
        ge=0,
        le=1,
        unit="share (0–1)",
        help="overrides the policy file's 30 % (a what-if)",
    )
    county_gdp_min_yi: float | None = setting(
        None,
        zh="县(市、区)GDP门槛(假设)",
        en="County GDP threshold (what-if)",
        ge=0,
        unit="亿元",
        help="overrides the policy file's 200 亿 (a what-if)",
    )
    zone_revenue_min_yi: float | None = setting(
        None,
        zh="开发区营收门槛(假设)",
        en="Zone revenue threshold (what-if)",
        ge=0,
        unit="亿元",
        help="overrides the policy file's 100 亿 (a what-if)",
    )
    zone_levels: list[LEVEL] | None = setting(
        None,
        zh="可申报开发区级别(假设)",
        en="Zone levels admitted (what-if)",
        help='overrides the policy file\'s ["provincial", "national"] (a what-if)',
    )
    max_applicants_per_city: int | None = setting(
        None,
        zh="每市推荐数(假设)",
        en="Applicants per city (what-if)",
        ge=0,
        help="overrides the policy file's 2 (0 = do not check)",
    )


@dataclass(frozen=True)
class EligibilityRules:
    """The four conditions of 二.(一) as the rule function applies them (numbers from the policy
    file, readings and what-ifs from the scenario): build with `rules_of` or `default_rules`."""

    mfg_share_min: float
    mfg_share_inclusive: bool
    county_gdp_min_yi: float
    zone_revenue_min_yi: float
    thresholds_strict: bool
    zone_levels: tuple[str, ...]


def rules_of(section: HenanEligibility) -> tuple[EligibilityRules, int]:
    """(rules, max applicants per city) from a checked [eligibility] and its policy file."""
    policy = load_policy_file(section.policy or POLICY, HenanPolicy)

    def pick(key: str):
        return in_force(section, policy, key)

    rules = EligibilityRules(
        mfg_share_min=pick("mfg_share_min"),
        mfg_share_inclusive=section.mfg_share_inclusive,
        county_gdp_min_yi=pick("county_gdp_min_yi"),
        zone_revenue_min_yi=pick("zone_revenue_min_yi"),
        thresholds_strict=section.thresholds_strict,
        zone_levels=tuple(pick("zone_levels")),
    )
    return rules, pick("max_applicants_per_city")


def default_rules() -> EligibilityRules:
    """The bundled policy file's numbers under the default readings."""
    return rules_of(HenanEligibility())[0]


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def _level(code) -> str:
    """A zone level as the text writes it (国家级 …), or its code in English."""
    words = {
        "national": tr("why.level.national"),
        "provincial": tr("why.level.provincial"),
        "municipal": tr("why.level.municipal"),
    }
    return words.get(code, code) if code else tr("why.level.unrated")


def eligibility(
    kind: np.ndarray,
    zone_level: np.ndarray,
    gdp_prev_yi: np.ndarray,
    revenue_prev_yi: np.ndarray,
    mfg_share: np.ndarray,
    rules: EligibilityRules | None = None,
) -> tuple[np.ndarray, list[list[str]]]:
    """Apply the four conditions; return (eligible, reasons in words for each applicant)."""
    rules = rules or default_rules()
    kind = np.asarray(kind, dtype=object)
    is_county, is_zone = kind == "county", kind == "zone"
    share_ok = (
        (mfg_share >= rules.mfg_share_min)
        if rules.mfg_share_inclusive
        else (mfg_share > rules.mfg_share_min)
    )
    above = np.greater if rules.thresholds_strict else np.greater_equal
    gdp_ok = above(np.nan_to_num(gdp_prev_yi, nan=-np.inf), rules.county_gdp_min_yi)
    rev_ok = above(np.nan_to_num(revenue_prev_yi, nan=-np.inf), rules.zone_revenue_min_yi)
    level_ok = np.isin(np.asarray(zone_level, dtype=object), list(rules.zone_levels))

    ok = share_ok & ((is_county & gdp_ok) | (is_zone & rev_ok & level_ok))
    share_word = tr("why.at_least") if rules.mfg_share_inclusive else tr("why.above")
    thr_word = tr("why.above") if rules.thresholds_strict else tr("why.at_least")
    reasons: list[list[str]] = []
    for i in range(len(kind)):
        why = []
        if not share_ok[i]:
            why.append(
                tr(
                    "why.henan.share",
                    share=f"{mfg_share[i]:.1%}",
                    word=share_word,
                    min=f"{rules.mfg_share_min:.0%}",
                )
            )
        if is_county[i] and not gdp_ok[i]:
            why.append(
                tr(
                    "why.henan.gdp",
                    gdp=_fmt(gdp_prev_yi[i]),
                    word=thr_word,
                    min=_fmt(rules.county_gdp_min_yi),
                )
            )
        if is_zone[i] and not level_ok[i]:
            why.append(
                tr(
                    "why.henan.level",
                    level=_level(zone_level[i]),
                    allowed=tr("why.or").join(_level(v) for v in rules.zone_levels),
                )
            )
        if is_zone[i] and not rev_ok[i]:
            why.append(
                tr(
                    "why.henan.revenue",
                    revenue=_fmt(revenue_prev_yi[i]),
                    word=thr_word,
                    min=_fmt(rules.zone_revenue_min_yi),
                )
            )
        reasons.append(why)
    return ok, reasons
