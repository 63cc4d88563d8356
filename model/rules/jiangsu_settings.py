"""Jiangsu's benchmark programme, declared: its policy file (the plan's numbers, each with its
clause) and the scenario tables [eligibility] and [evaluation] of a rules = "jiangsu" scenario
(the readings of 四.(二) and 四.(四), and the assumptions the text leaves open)."""

from __future__ import annotations

from typing import Literal

from fundalloc.core.schema import Section, read, setting
from fundalloc.rules.jiangsu import EligibilityRules, EvaluationRules
from fundalloc.rules.legal import POLICIES, Legal, PolicyHeader, in_force, load_policy_file

POLICY = POLICIES / "jiangsu-benchmarks-2021.toml"
UNIT_TYPE = Literal["county", "dev_park", "industrial_zone", "feature_town"]


class JiangsuPolicy(PolicyHeader):
    """A Jiangsu policy file (scenarios/policies/jiangsu-benchmarks-2021.toml)."""

    mfg_share_min: Legal[float] = setting(
        zh="制造业占比下限",
        en="Manufacturing share, minimum",
        help="share of manufacturing value added of a region",
    )
    region_size_min_yi: Legal[float] = setting(
        zh="区域规模门槛", en="Region size threshold", help="GDP or annual operating revenue, 亿元"
    )
    enterprise_revenue_min_yi: Legal[float] = setting(
        zh="企业营业收入门槛", en="Enterprise revenue threshold", help="annual revenue, 亿元"
    )
    market_rank_max: Legal[int] = setting(
        zh="市场占有率排名",
        en="Market-share rank, at most",
        help="national rank in the firm's segment",
    )


class JiangsuEligibility(Section):
    """[eligibility] for rules = "jiangsu": readings of 四.(二), what-if overrides of the policy
    file's numbers (absent: the policy's value) and the applicants-per-city assumption."""

    policy: str | None = setting(
        None,
        zh="政策文件",
        en="Policy file",
        help="policy file with the plan's numbers (default "
        "scenarios/policies/jiangsu-benchmarks-2021.toml)",
    )
    region_unit_types: list[UNIT_TYPE] = setting(
        zh="区域申报单元类型",
        en="Region unit types admitted",
        default_factory=lambda: ["county", "dev_park", "industrial_zone"],
        clause="区域包括县(市、区)和开发园区(纳入《中国开发区审核公告目录》)、工业集中区等",
        help='the three named types; add "feature_town" to read the trailing 等 as admitting '
        "特色小镇",
    )
    park_catalogue_required: bool = setting(
        True,
        zh="开发园区须入《目录》",
        en="Parks must be in the catalogue",
        clause="开发园区(纳入《中国开发区审核公告目录》)",
        help="false: any park",
    )
    mfg_share_inclusive: bool = setting(
        True,
        zh="占比恰为门槛即符合",
        en="Share at the threshold qualifies",
        clause="达35%以上",
        help="35 % exactly qualifies (false: must exceed)",
    )
    region_size_strict: bool = setting(
        True,
        zh="区域规模须严格超过",
        en="Region size threshold is strict",
        clause="超过100亿元",
        help="strictly above 100 亿 (false: at least)",
    )
    region_size_measure: Literal["either", "by_unit_type"] = setting(
        "either",
        zh="区域规模口径",
        en="Region size measure",
        clause="区域GDP或年营业收入",
        options={
            "either": ("GDP或营业收入任一达标", "GDP or revenue, whichever suffices"),
            "by_unit_type": ("县按GDP、园区按营业收入", "counties by GDP, parks by revenue"),
        },
        help="either: GDP or revenue suffices; by_unit_type: counties by GDP, parks and zones "
        "by operating revenue",
    )
    enterprise_revenue_inclusive: bool = setting(
        True,
        zh="企业营收恰为门槛即符合",
        en="Enterprise revenue at the threshold qualifies",
        clause="年营业收入10亿元以上",
        help="10 亿 exactly qualifies (false: must exceed)",
    )
    max_applicants_per_city: int = setting(
        0,
        zh="每市推荐数(假设)",
        en="Applicants per city (assumption)",
        ge=0,
        help="each 设区市 择优推荐 with no number stated: 0 = no limit",
    )
    mfg_share_min: float | None = setting(
        None,
        zh="制造业占比下限(假设)",
        en="Manufacturing share minimum (what-if)",
        ge=0,
        le=1,
        unit="share (0–1)",
        help="overrides the policy file's 35 % (a what-if)",
    )
    region_size_min_yi: float | None = setting(
        None,
        zh="区域规模门槛(假设)",
        en="Region size threshold (what-if)",
        ge=0,
        unit="亿元",
        help="overrides the policy file's 100 亿 (a what-if)",
    )
    enterprise_revenue_min_yi: float | None = setting(
        None,
        zh="企业营收门槛(假设)",
        en="Enterprise revenue threshold (what-if)",
        ge=0,
        unit="亿元",
        help="overrides the policy file's 10 亿 (a what-if)",
    )
    market_rank_max: int | None = setting(
        None,
        zh="市场占有率排名(假设)",
        en="Market-share rank (what-if)",
        ge=0,
        help="overrides the policy file's 5 (a what-if)",
    )


class JiangsuEvaluation(Section):
    """[evaluation]: the performance evaluation of 四.(四). The text publishes no marks."""

    performance: str | None = setting(
        None, zh="绩效评价表", en="Performance table", help="default file for `fundalloc evaluate`"
    )
    delist_on: Literal["conditions_or_score", "conditions", "score"] = setting(
        "conditions_or_score",
        zh="摘牌依据",
        en="Delist on",
        clause="对经评价不符合标准的予以摘牌",
        options={
            "conditions_or_score": ("条件不再满足或评分不及格", "conditions fail or score low"),
            "conditions": ("仅条件不再满足", "conditions fail only"),
            "score": ("仅评分不及格", "score below the pass mark only"),
        },
        help="which failure delists a benchmark",
    )
    pass_score: float = setting(
        60.0,
        zh="及格分(假设)",
        en="Pass mark (assumption)",
        ge=0,
        le=100,
        help="a performance score below this fails",
    )
    commend_score: float = setting(
        85.0,
        zh="表彰分(假设)",
        en="Commendation mark (assumption)",
        ge=0,
        le=100,
        clause="成效显著",
        help="成效显著 read as a score at least this",
    )
    commend_all_three: bool = setting(
        True,
        zh="表彰须三项兼备",
        en="Commendation needs all three",
        clause="两业融合发展成效显著、具有新业态新模式、示范带动作用明显",
        help="all three needed (false: any one)",
    )
    recheck_pilot: bool = setting(
        False,
        zh="复核试点名单",
        en="Recheck the pilot list",
        clause="已列入省级两业深度融合试点名单",
        help="an entry condition by default; true delists a benchmark whose pilot period ended",
    )


def rules_of(section: JiangsuEligibility) -> tuple[EligibilityRules, int]:
    """(rules, max applicants per city a year; 0 = no limit) from [eligibility] and its policy."""
    policy = load_policy_file(section.policy or POLICY, JiangsuPolicy)

    def pick(key: str):
        return in_force(section, policy, key)

    rules = EligibilityRules(
        region_unit_types=tuple(section.region_unit_types),
        park_catalogue_required=section.park_catalogue_required,
        mfg_share_min=pick("mfg_share_min"),
        mfg_share_inclusive=section.mfg_share_inclusive,
        region_size_min_yi=pick("region_size_min_yi"),
        region_size_strict=section.region_size_strict,
        region_size_measure=section.region_size_measure,
        enterprise_revenue_min_yi=pick("enterprise_revenue_min_yi"),
        enterprise_revenue_inclusive=section.enterprise_revenue_inclusive,
        market_rank_max=pick("market_rank_max"),
    )
    return rules, section.max_applicants_per_city


def evaluation_of(section: JiangsuEvaluation, conditions: EligibilityRules) -> EvaluationRules:
    return EvaluationRules(
        delist_on=section.delist_on,
        pass_score=section.pass_score,
        commend_score=section.commend_score,
        commend_all_three=section.commend_all_three,
        recheck_pilot=section.recheck_pilot,
        conditions=conditions,
    )


def default_rules() -> EligibilityRules:
    return rules_of(JiangsuEligibility())[0]


def default_evaluation() -> EvaluationRules:
    return evaluation_of(JiangsuEvaluation(), default_rules())


def jiangsu_rules(scenario) -> tuple[EligibilityRules, int]:
    """[eligibility] of a scenario → (rules, max applicants per city a year)."""
    return rules_of(
        read(
            JiangsuEligibility,
            scenario.section("eligibility"),
            prefix="eligibility",
            source=scenario.path,
        )
    )


def evaluation_rules(scenario) -> EvaluationRules:
    """[evaluation] (plus [eligibility] for the conditions rechecked) → EvaluationRules."""
    section = read(
        JiangsuEvaluation, scenario.section("evaluation"), prefix="evaluation", source=scenario.path
    )
    return evaluation_of(section, jiangsu_rules(scenario)[0])
