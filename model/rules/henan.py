"""Henan provincial 两业融合发展区: who may apply and where they sit (RULES.md A).

Source: seeds/000 二.(一) 申报主体 — "县(市、区)和省级及以上开发区 ... 申报时制造业增加值(营业收入)
占比达30%以上, 且县(市、区)上一年度地区生产总值超过200亿元, 开发区上一年度营业收入超过100亿元";
regional groups from seeds/003 七.1 (中心引领、两带支撑、四区协同).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# The 19 recommending units (17 prefecture-level cities, 济源示范区, 郑州航空港区) and their group.
CITY_REGION: dict[str, str] = {
    "郑州": "zhengzhou", "开封": "zhengzhou", "新乡": "zhengzhou", "焦作": "zhengzhou",
    "许昌": "zhengzhou", "平顶山": "zhengzhou", "漯河": "zhengzhou", "郑州航空港区": "zhengzhou",
    "洛阳": "west", "三门峡": "west", "济源示范区": "west",
    "南阳": "south", "信阳": "south", "驻马店": "south",
    "商丘": "east", "周口": "east",
    "安阳": "north", "鹤壁": "north", "濮阳": "north",
}
REGIONS = ("zhengzhou", "west", "south", "east", "north")
REGION_NAMES = {
    "zhengzhou": "郑州中心 Zhengzhou centre", "west": "豫西 West", "south": "豫南 South",
    "east": "东部承接产业转移示范区 East", "north": "豫北 North",
}
CITY_ALIASES: dict[str, str] = {
    "zhengzhou": "郑州", "kaifeng": "开封", "luoyang": "洛阳", "pingdingshan": "平顶山",
    "anyang": "安阳", "hebi": "鹤壁", "xinxiang": "新乡", "jiaozuo": "焦作", "puyang": "濮阳",
    "xuchang": "许昌", "luohe": "漯河", "sanmenxia": "三门峡", "nanyang": "南阳", "shangqiu": "商丘",
    "xinyang": "信阳", "zhoukou": "周口", "zhumadian": "驻马店",
    "jiyuan": "济源示范区", "济源": "济源示范区", "jiyuan demonstration zone": "济源示范区",
    "hangkonggang": "郑州航空港区", "航空港区": "郑州航空港区", "zhengzhou airport": "郑州航空港区",
    "zhengzhou airport economy zone": "郑州航空港区",
    **{f"{c}市": c for c in ("郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 "
                             "南阳 商丘 信阳 周口 驻马店").split()},
}
KINDS = ("county", "zone")
ZONE_LEVELS = ("national", "provincial", "municipal")


@dataclass(frozen=True)
class EligibilityRules:
    """Scenario section [eligibility]; defaults are RULES.md A's readings of the text."""

    mfg_share_min: float = 0.30          # 占比达30%以上
    mfg_share_inclusive: bool = True     # "达30%以上": 30 % itself qualifies
    county_gdp_min_yi: float = 200.0     # 县(市、区)上一年度地区生产总值超过200亿元
    zone_revenue_min_yi: float = 100.0   # 开发区上一年度营业收入超过100亿元
    thresholds_strict: bool = True       # "超过": strictly above
    zone_levels: tuple[str, ...] = field(default=("provincial", "national"))  # 省级及以上开发区


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def eligibility(kind: np.ndarray, zone_level: np.ndarray, gdp_prev_yi: np.ndarray,
                revenue_prev_yi: np.ndarray, mfg_share: np.ndarray,
                rules: EligibilityRules = EligibilityRules()) -> tuple[np.ndarray, list[list[str]]]:
    """Apply the four conditions; return (eligible, reasons in words for each applicant)."""
    kind = np.asarray(kind, dtype=object)
    is_county, is_zone = kind == "county", kind == "zone"
    share_ok = (mfg_share >= rules.mfg_share_min) if rules.mfg_share_inclusive \
        else (mfg_share > rules.mfg_share_min)
    above = np.greater if rules.thresholds_strict else np.greater_equal
    gdp_ok = above(np.nan_to_num(gdp_prev_yi, nan=-np.inf), rules.county_gdp_min_yi)
    rev_ok = above(np.nan_to_num(revenue_prev_yi, nan=-np.inf), rules.zone_revenue_min_yi)
    level_ok = np.isin(np.asarray(zone_level, dtype=object), list(rules.zone_levels))

    ok = share_ok & ((is_county & gdp_ok) | (is_zone & rev_ok & level_ok))
    share_word = "at least" if rules.mfg_share_inclusive else "above"
    thr_word = "above" if rules.thresholds_strict else "at least"
    reasons: list[list[str]] = []
    for i in range(len(kind)):
        why = []
        if not share_ok[i]:
            why.append(f"manufacturing share {mfg_share[i]:.1%} is not {share_word} "
                       f"{rules.mfg_share_min:.0%}")
        if is_county[i] and not gdp_ok[i]:
            why.append(f"county GDP {_fmt(gdp_prev_yi[i])} 亿 last year is not {thr_word} "
                       f"{_fmt(rules.county_gdp_min_yi)} 亿")
        if is_zone[i] and not level_ok[i]:
            why.append(f"{zone_level[i] or 'unrated'} development zone: only "
                       f"{' or '.join(rules.zone_levels)} zones may apply")
        if is_zone[i] and not rev_ok[i]:
            why.append(f"zone operating revenue {_fmt(revenue_prev_yi[i])} 亿 last year is not "
                       f"{thr_word} {_fmt(rules.zone_revenue_min_yi)} 亿")
        reasons.append(why)
    return ok, reasons
