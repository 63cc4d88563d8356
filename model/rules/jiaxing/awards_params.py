"""Scenario table [awards], declared once: the readings of 嘉政发〔2024〕14号 (RULES.md C, default
first), the budget, the pay lag and the input files.

`AwardsParams` is the declaration (type, choices with their meaning, default, labels, help and
the clause each reading reads). `fundalloc.rules.jiaxing.readings` reads a scenario's [awards]
with it and builds the `Interpretation` the rules take.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import ValidationInfo, field_validator

from fundalloc.core.i18n import pick, tr
from fundalloc.core.schema import Section, choices, setting
from fundalloc.rules.jiaxing.budget_spec import BUDGET_EXPECT, Invalid, _show, budget_value

__all__ = ["AwardsParams", "Invalid"]

TIER_CLAUSE = "三.(一) 年主营业务收入首次超过……分别给予50万元、20万元、10万元奖励"
GROWTH_CLAUSE = "三.(一) 从获奖次年开始,对年主营业务收入增速超过15%的企业……连续奖励三年"
BUDGET_CLAUSE = "五 落实政策所需资金,列入每年财政预算"
BUDGET_WAN_CLAUSE = BUDGET_CLAUSE + "; 五 各县(市)参照执行"
RECOGNITION_CLAUSE = (
    "三.(一) 对经认定的国家级、省级、市级服务型制造示范企业(平台、项目)……工业设计企业(中心、研究院)"
)
PLATFORM_CLAUSE = "三.(一) 按照其研发升级费用的70%、100%给予补助,最高不超过60万元"
OPTIONAL_FILE = (
    "带引号的文件名,或 false(不用此表)",
    "a file name in quotes, or false to leave the table out",
)


class AwardsParams(Section):
    """[awards]: how the reward schedule is read and paid (RULES.md C, docs/awards.md)."""

    # Input files (paths relative to the scenario file; --firms etc. take precedence).
    policy: str | None = setting(
        None,
        zh="奖励政策文件",
        en="Policy file",
        help="the schedule's amounts, thresholds, dates and clauses, e.g. "
        "policies/jiaxing-2024-14.toml (a revised schedule is a new file)",
    )
    firms: str | None = setting(
        None,
        zh="企业营业收入表",
        en="Firm revenue table",
        help="CSV or XLSX: firm_id, sector, year, revenue_wan (docs/awards.md 'Input files')",
    )
    recognitions: str | Literal[False] | None = setting(
        None,
        zh="示范认定表",
        en="Recognition table",
        expect=OPTIONAL_FILE,
        help="CSV or XLSX: firm_id, year, kind, level; false = no recognitions",
    )
    platforms: str | Literal[False] | None = setting(
        None,
        zh="跨境电商平台表",
        en="Platform table",
        expect=OPTIONAL_FILE,
        help="CSV or XLSX: platform_id, year, firms_served, trade_growth, upgrade_cost_wan; "
        "false = no platforms",
    )

    # The readings (RULES.md C interpretations 1–8), each default first.
    tiers_in_one_year: Literal["highest", "each"] = setting(
        "highest",
        zh="同年跨越多档",
        en="Several tiers crossed in one year",
        clause=TIER_CLAUSE + "; 五 就高不重复",
        help="several revenue tiers first crossed in the same year",
        options={
            "highest": ("只奖最高一档", "pay the highest tier crossed only (就高不重复)"),
            "each": ("每档都奖", "pay every tier crossed (10+20+50 for all three)"),
        },
    )
    later_higher_tier: Literal["top_up", "full", "none"] = setting(
        "top_up",
        zh="后续跨越更高档",
        en="A higher tier crossed later",
        clause=TIER_CLAUSE + "; 五 就高不重复",
        help="a firm that got a lower tier and later crosses a higher one",
        options={
            "top_up": ("补差额", "pay the difference to the higher tier"),
            "full": ("全额奖励高档", "pay the higher tier in full again"),
            "none": ("不再奖励", "pay nothing more after the first tier award"),
        },
    )
    growth_award: Literal["each_year", "stop_at_first_miss", "three_after_first_qualifying"] = (
        setting(
            "each_year",
            zh="增速奖励方式",
            en="Growth award years",
            clause=GROWTH_CLAUSE,
            help="which years of the three-year window pay the growth award",
            options={
                "each_year": (
                    "逐年奖励",
                    "every window year with growth above 15 % pays (at most three)",
                ),
                "stop_at_first_miss": (
                    "未达即止",
                    "payments stop at the first window year without growth above 15 %",
                ),
                "three_after_first_qualifying": (
                    "首次达标后连续奖励三年",
                    "the first window year with growth above 15 % starts three consecutive "
                    "yearly payments, whatever the later growth (a year the firm reports no "
                    "revenue pays nothing)",
                ),
            },
        )
    )
    growth_with_revenue_same_year: Literal["both", "highest"] = setting(
        "both",
        zh="同年增速奖与档位奖",
        en="Growth and tier award in one year",
        clause="五 同一事项满足多个奖补政策的,按照“就高不重复”原则实施",
        help="a growth award and a revenue-tier award for the same firm and revenue year",
        options={
            "both": ("两项都奖", "both are paid (different matters)"),
            "highest": (
                "只奖较高一项",
                "only the higher (就高不重复 read broadly; a tie keeps the tier award)",
            ),
        },
    )
    sunset: Literal[  # the cut of 五 有效期至2026年12月31日
        "honour_growth_after_2026", "nothing_after_2026", "nothing_paid_after_2026"
    ] = setting(
        "honour_growth_after_2026",
        zh="到期后的奖励",
        en="Awards after 2026",
        clause="五 有效期至2026年12月31日; 三.(一) 连续奖励三年",
        help="what the end of the period (2026-12-31) cuts: growth awards for revenue years "
        "after 2026, or every payment made after 2026",
        options={
            "honour_growth_after_2026": ("继续兑现", "still paid for revenue years 2027–2029"),
            "nothing_after_2026": (
                "2026年后的营收年度不再奖励",
                "nothing for revenue years after 2026 (the cut is on the revenue year)",
            ),
            "nothing_paid_after_2026": (
                "2026年12月31日后不再兑付",
                "nothing is paid after 2026-12-31 (the cut is on the payment date): with a "
                "one-year lag, revenue year 2026 (paid in 2027) earns nothing",
            ),
        },
    )
    budget_exhausted: Literal["pro_rata", "defer", "first_come"] = setting(
        "pro_rata",
        zh="预算不足时",
        en="When the budget runs out",
        clause=BUDGET_CLAUSE,
        help="a pay year's claims exceed its budget (first-come order: revenue year, award "
        "type, firm_id)",
        options={
            "pro_rata": ("按比例兑付", "every claim gets the same share; the rest is lost"),
            "defer": (
                "结转下年兑付",
                "first come first served; the unpaid part moves to "
                "the next pay year, ahead of its claims",
            ),
            "first_come": ("先到先得", "first come first served; the rest is lost"),
        },
    )
    budget_wan: float | dict[int, float] | dict[str, float | dict[int, float]] | None = setting(
        None,
        zh="年度奖励预算",
        en="Budget per pay year",
        unit="万元",
        clause=BUDGET_WAN_CLAUSE,
        expect=BUDGET_EXPECT,
        help="the yearly budget (not published: an assumption); a number or a table by pay "
        "year is one budget for every payer together; a table by payer (市本级, 南湖区, …; "
        "各县(市)参照执行) gives each payer its own budget, a number or a table by pay year; "
        "pay years and payers not listed are unlimited; absent = unlimited",
    )
    pay_lag_years: int = setting(
        1,
        zh="兑付滞后年数",
        en="Pay lag",
        unit="年",
        ge=0,
        sweep=False,
        expect=("≥ 0 的整数年", "a whole number of years, 0 or more"),
        help="an award for revenue year Y is paid in pay year Y + lag (revenue is known after "
        "the year closes; 0 = the same year)",
    )
    growth_window_from: Literal["first_award", "each_award"] = setting(
        "first_award",
        zh="增速奖起算",
        en="Growth window opens at",
        clause=GROWTH_CLAUSE,
        help="which revenue-tier award opens the three-year growth window",
        options={
            "first_award": (
                "首次获奖起算",
                "the three revenue years after the first revenue-tier award",
            ),
            "each_award": ("每次获奖重新起算", "a later (top-up) award restarts the three years"),
        },
    )

    # Readings added after review (RULES.md C 9–14), each default first.
    growth_window_opened_by: Literal["paid", "entitled"] = setting(
        "paid",
        zh="增速奖窗口由何开启",
        en="Growth window opened by",
        clause=GROWTH_CLAUSE,
        help="what counts as 获奖 (an award received) for the growth window: a tier award some "
        "of which was paid, or any tier entitlement; with paid, payment and entitlement "
        "interleave year by year",
        options={
            "paid": (
                "实际获得兑付才算获奖",
                "a tier award opens the window only if some of it was paid by the year "
                "before the growth year's pay year (a claim lost under first_come, or paid 0, "
                "is no award received)",
            ),
            "entitled": ("符合条件即算获奖", "any tier entitlement opens the window"),
        },
    )
    growth_window_start: Literal["after_revenue_year", "after_grant_year"] = setting(
        "after_revenue_year",
        zh="获奖次年的起算年",
        en="获奖次年 counted from",
        clause=GROWTH_CLAUSE,
        help="the year 获奖次年 follows: the revenue year the award is for, or the year it is "
        "decided and paid (revenue year + pay lag)",
        options={
            "after_revenue_year": (
                "从获奖所属营收年度的次年起算",
                "the three growth years follow the revenue year of the award",
            ),
            "after_grant_year": (
                "从奖励兑付年度的次年起算",
                "the three growth years follow the pay year (revenue year + pay lag), so "
                "they move pay_lag_years later",
            ),
        },
    )
    platform_cap: Literal["per_claim", "per_platform"] = setting(
        "per_claim",
        zh="平台补助上限口径",
        en="Platform cap applies to",
        clause=PLATFORM_CLAUSE,
        help="what the 60 万 cap (最高不超过60万元) limits",
        options={
            "per_claim": ("每年每次申报不超过60万元", "each yearly claim"),
            "per_platform": (
                "每个平台整个政策期累计不超过60万元",
                "the platform over the whole period (later claims get what is left)",
            ),
        },
    )
    recognitions_per_firm: Literal["one_per_kind", "each_matter"] = setting(
        "one_per_kind",
        zh="认定奖励的事项口径",
        en="Recognition matters",
        clause=RECOGNITION_CLAUSE + "; 五 就高不重复",
        help="what one matter of a recognition award is",
        options={
            "one_per_kind": (
                "每家企业一项示范、一项设计",
                "one demonstration and one design recognition per firm; a later level is "
                "settled against the earlier (recognition_later_level)",
            ),
            "each_matter": (
                "每个认定的企业、平台或项目各为一项",
                "each recognised firm, platform or project is its own matter (the "
                "matter_id column; a row without one is a matter of its own)",
            ),
        },
    )
    demo_and_design: Literal["both", "highest"] = setting(
        "both",
        zh="示范与设计同时认定",
        en="Demonstration and design for one firm",
        clause=RECOGNITION_CLAUSE + "; 五 就高不重复",
        help="a firm recognised both as service-oriented manufacturing demonstration and as "
        "industrial design firm",
        options={
            "both": ("两项都奖", "both are paid (different matters)"),
            "highest": (
                "只奖较高一项",
                "only the higher: the firm's recognition awards together never exceed the "
                "higher kind's (就高不重复 read at firm level)",
            ),
        },
    )
    recognition_later_level: Literal["top_up", "full"] = setting(
        "top_up",
        zh="后续认定更高级别",
        en="A higher recognition level later",
        clause=RECOGNITION_CLAUSE + "; 五 就高不重复",
        help="a matter recognised later at a higher level",
        options={
            "top_up": ("补差额", "pays the difference to the higher level"),
            "full": ("全额奖励高级别", "pays the higher level's full amount"),
        },
    )

    @field_validator(
        "tiers_in_one_year",
        "later_higher_tier",
        "growth_award",
        "growth_with_revenue_same_year",
        "sunset",
        "budget_exhausted",
        "growth_window_from",
        "growth_window_opened_by",
        "growth_window_start",
        "platform_cap",
        "recognitions_per_firm",
        "demo_and_design",
        "recognition_later_level",
        mode="before",
    )
    @classmethod
    def _one_of(cls, value: Any, info: ValidationInfo) -> Any:
        # The Literal is the declaration; this only words the error as the readings always
        # have ("… is not one of highest, each (default highest)").
        allowed = choices(cls.model_fields[cast(str, info.field_name)].annotation)
        assert allowed is not None  # each of these fields is a Literal
        if not isinstance(value, str) or value not in allowed:
            raise ValueError(
                tr(
                    "check.not_one_of",
                    value=_show(value),
                    allowed=", ".join(allowed),
                    default=allowed[0],
                )
            )
        return value

    @field_validator("recognitions", "platforms", mode="before")
    @classmethod
    def _optional_file(cls, value: Any) -> Any:
        if value is None or value is False or isinstance(value, str):
            return value
        raise ValueError(
            tr("check.not_expected", value=_show(value), expected=pick(*OPTIONAL_FILE))
        )

    @field_validator("budget_wan", mode="before")
    @classmethod
    def _budget(cls, value: Any) -> Any:
        return budget_value(value)
