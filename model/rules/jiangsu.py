"""Jiangsu provincial 两业融合发展标杆引领典型 (benchmarks), RULES.md B: who may be named, and
who keeps the plaque after a performance evaluation.

Source: docs/sources/jiangsu-benchmarks-plan.txt 四.(二) 确立建设标准 —
  region:     "区域包括县(市、区)和开发园区(纳入《中国开发区审核公告目录》)、工业集中区等, 已列入省级
               两业深度融合试点名单, ... 制造业增加值占比达35%以上, 区域GDP或年营业收入超过100亿元"
  enterprise: "企业已列入省级两业深度融合试点名单, 年营业收入10亿元以上, 或在细分行业市场占有率位列
               全国前5名"
and 四.(四) 加强监督管理 — "实施动态管理, 组织开展绩效评价 ... 对两业融合发展成效显著、具有新业态新
模式、示范带动作用明显的标杆引领典型予以表彰, 对经评价不符合标准的予以摘牌".

The qualitative conditions (试点成效显著, 体制机制创新突破, 典型示范引领效应 ...) are judged in the
expert review and site visit; the model sees them only through the assessment `score`.
Both functions are pure and vectorised (the evaluation lives in rules/jiangsu_evaluation.py and is
importable from here); every reading of the text is a field of a dataclass
that the scenario's [eligibility] / [evaluation] tables fill.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fundalloc.core.i18n import tr

# The 13 prefecture-level cities (设区市, the recommending units) and their regional group.
CITY_REGION: dict[str, str] = {
    "南京": "sunan",
    "无锡": "sunan",
    "常州": "sunan",
    "苏州": "sunan",
    "镇江": "sunan",
    "南通": "suzhong",
    "扬州": "suzhong",
    "泰州": "suzhong",
    "徐州": "subei",
    "连云港": "subei",
    "淮安": "subei",
    "盐城": "subei",
    "宿迁": "subei",
}
REGIONS = ("sunan", "suzhong", "subei")
# The Latin part (after the space) labels charts: the machine may lack CJK fonts.
REGION_NAMES = {
    "sunan": "苏南 Southern Jiangsu",
    "suzhong": "苏中 Central Jiangsu",
    "subei": "苏北 Northern Jiangsu",
}
_PINYIN = {
    "nanjing": "南京",
    "wuxi": "无锡",
    "changzhou": "常州",
    "suzhou": "苏州",
    "zhenjiang": "镇江",
    "nantong": "南通",
    "yangzhou": "扬州",
    "taizhou": "泰州",
    "xuzhou": "徐州",
    "lianyungang": "连云港",
    "huai'an": "淮安",
    "huaian": "淮安",
    "yancheng": "盐城",
    "suqian": "宿迁",
}
CITY_ALIASES: dict[str, str] = {**_PINYIN, **{f"{c}市": c for c in CITY_REGION}}

TRACKS = ("region", "enterprise")
# Region unit types: 县(市、区) | 开发园区 | 工业集中区, and 特色小镇, which the text lists among the
# carriers of 示范园区 (四.(四)) and which the "等" after the list might admit (off by default).
REGION_UNIT_TYPES = ("county", "dev_park", "industrial_zone", "feature_town")


def unit_name(code: str) -> str:
    """A unit type as the text names it, in the language in force."""
    from fundalloc.core.i18n import pick

    zh = {
        "county": "县(市、区)",
        "dev_park": "开发园区",
        "industrial_zone": "工业集中区",
        "feature_town": "特色小镇",
        "enterprise": "企业",
    }
    return pick(zh.get(code, code), UNIT_TYPE_NAMES.get(code, code))


UNIT_TYPE_NAMES = {
    "county": "county/district (县市区)",
    "dev_park": "development park (开发园区)",
    "industrial_zone": "industrial concentration zone (工业集中区)",
    "feature_town": "feature town (特色小镇)",
    "enterprise": "enterprise",
}


@dataclass(frozen=True)
class EligibilityRules:
    """The conditions of 四.(二) as the rule function applies them: numbers from the policy file,
    readings from [eligibility] (declared in rules/jiangsu_settings.py, with their clauses)."""

    region_unit_types: tuple[str, ...]
    park_catalogue_required: bool
    mfg_share_min: float
    mfg_share_inclusive: bool
    region_size_min_yi: float
    region_size_strict: bool
    region_size_measure: str
    enterprise_revenue_min_yi: float
    enterprise_revenue_inclusive: bool
    market_rank_max: int


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def _at_least(values: np.ndarray, threshold: float, inclusive: bool) -> np.ndarray:
    """values ≥ threshold (inclusive) or > threshold; a missing value (NaN) never passes."""
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=-np.inf)
    return v >= threshold if inclusive else v > threshold


def eligibility(
    track,
    unit_type,
    in_catalogue,
    provincial_pilot,
    mfg_share,
    gdp_prev_yi,
    revenue_prev_yi,
    national_share_rank,
    rules: EligibilityRules | None = None,
) -> tuple[np.ndarray, list[list[str]]]:
    """Apply 四.(二) to each applicant; return (eligible, reasons in words).

    Arrays, one entry per applicant: track ("region" | "enterprise"), unit_type (a
    REGION_UNIT_TYPES value for regions), in_catalogue (bool, parks only), provincial_pilot
    (bool), mfg_share (0–1), gdp_prev_yi and revenue_prev_yi (亿元, NaN = not given),
    national_share_rank (1 = largest share nationally, NaN = not ranked).
    """
    if rules is None:  # the bundled policy file under the default readings
        from fundalloc.rules.jiangsu_settings import default_rules

        rules = default_rules()
    if rules.region_size_measure not in ("either", "by_unit_type"):
        raise ValueError(
            f"region_size_measure must be 'either' or 'by_unit_type', "
            f"not {rules.region_size_measure!r}"
        )
    track = np.asarray(track, dtype=object)
    unit_type = np.asarray(unit_type, dtype=object)
    in_catalogue = np.asarray(in_catalogue, dtype=bool)
    pilot = np.asarray(provincial_pilot, dtype=bool)
    share = np.asarray(mfg_share, dtype=float)
    gdp, revenue = np.asarray(gdp_prev_yi, float), np.asarray(revenue_prev_yi, float)
    rank = np.asarray(national_share_rank, dtype=float)
    is_region, is_firm = track == "region", track == "enterprise"

    type_ok = np.isin(unit_type, list(rules.region_unit_types))
    catalogue_ok = ~((unit_type == "dev_park") & rules.park_catalogue_required & ~in_catalogue)
    share_ok = _at_least(share, rules.mfg_share_min, rules.mfg_share_inclusive)
    gdp_big = _at_least(gdp, rules.region_size_min_yi, not rules.region_size_strict)
    rev_big = _at_least(revenue, rules.region_size_min_yi, not rules.region_size_strict)
    if rules.region_size_measure == "either":
        size_ok = gdp_big | rev_big
    else:
        size_ok = np.where(unit_type == "county", gdp_big, rev_big)
    region_ok = is_region & pilot & type_ok & catalogue_ok & share_ok & size_ok

    firm_rev_ok = _at_least(
        revenue, rules.enterprise_revenue_min_yi, rules.enterprise_revenue_inclusive
    )
    rank_ok = np.nan_to_num(rank, nan=np.inf) <= rules.market_rank_max
    firm_ok = is_firm & pilot & (firm_rev_ok | rank_ok)

    reasons = [
        _reasons(
            i,
            track,
            unit_type,
            pilot,
            share,
            gdp,
            revenue,
            rank,
            type_ok,
            catalogue_ok,
            share_ok,
            size_ok,
            firm_rev_ok,
            rank_ok,
            rules,
        )
        for i in range(len(track))
    ]
    return region_ok | firm_ok, reasons


def _reasons(
    i,
    track,
    unit_type,
    pilot,
    share,
    gdp,
    revenue,
    rank,
    type_ok,
    catalogue_ok,
    share_ok,
    size_ok,
    firm_rev_ok,
    rank_ok,
    r: EligibilityRules,
) -> list[str]:
    why: list[str] = []
    if track[i] not in TRACKS:
        return [tr("why.js.track", track=track[i])]
    if not pilot[i]:
        why.append(tr("why.js.pilot"))
    if track[i] == "region":
        if not type_ok[i]:
            allowed = tr("why.list").join(unit_name(t) for t in r.region_unit_types)
            why.append(tr("why.js.unit_type", unit=unit_name(unit_type[i]), allowed=allowed))
        if not catalogue_ok[i]:
            why.append(tr("why.js.catalogue"))
        if not share_ok[i]:
            word = tr("why.below") if r.mfg_share_inclusive else tr("why.not_above")
            if np.isnan(share[i]):
                why.append(tr("why.js.share_missing", min=f"{r.mfg_share_min:.4g}"))
            else:
                why.append(
                    tr(
                        "why.js.share",
                        share=f"{share[i]:.4g}",
                        word=word,
                        min=f"{r.mfg_share_min:.4g}",
                    )
                )
        if not size_ok[i]:
            why.append(_size_reason(i, unit_type, gdp, revenue, r))
    else:
        if not (firm_rev_ok[i] or rank_ok[i]):
            word = tr("why.below") if r.enterprise_revenue_inclusive else tr("why.not_above")
            limit = f"{_fmt(r.enterprise_revenue_min_yi)} 亿"
            rev = (
                tr("why.js.no_revenue")
                if np.isnan(revenue[i])
                else tr("why.js.revenue", revenue=_fmt(revenue[i]), word=word, limit=limit)
            )
            rk = (
                tr("why.js.not_ranked")
                if np.isnan(rank[i])
                else tr("why.js.ranked", rank=int(rank[i]))
            )
            why.append(tr("why.js.enterprise", rev=rev, rank=rk, top=r.market_rank_max))
    return why


def _size_reason(i, unit_type, gdp, revenue, r: EligibilityRules) -> str:
    limit = f"{_fmt(r.region_size_min_yi)} 亿"

    def shown(v):
        return tr("why.not_given") if np.isnan(v) else f"{_fmt(v)} 亿"

    if r.region_size_measure == "by_unit_type":
        word = tr("why.not_above") if r.region_size_strict else tr("why.below")
        what, v = (
            (tr("why.js.gdp"), gdp[i])
            if unit_type[i] == "county"
            else (tr("why.js.operating_revenue"), revenue[i])
        )
        return tr("why.js.size_by_type", what=what, value=shown(v), word=word, limit=limit)
    word = tr("why.above") if r.region_size_strict else tr("why.at_least")
    return tr(
        "why.js.size_either",
        gdp=shown(gdp[i]),
        revenue=shown(revenue[i]),
        word=word,
        limit=limit,
    )


# The evaluation and delisting part (四.(四)), importable from here as before.
from fundalloc.rules.jiangsu_evaluation import (  # noqa: E402
    DELIST_ON as DELIST_ON,
)
from fundalloc.rules.jiangsu_evaluation import (  # noqa: E402
    OUTCOMES as OUTCOMES,
)
from fundalloc.rules.jiangsu_evaluation import (  # noqa: E402
    EvaluationRules as EvaluationRules,
)
from fundalloc.rules.jiangsu_evaluation import (  # noqa: E402
    evaluate_benchmarks as evaluate_benchmarks,
)
