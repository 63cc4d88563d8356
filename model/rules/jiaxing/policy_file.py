"""The policy file, declared once: every table and key a reward schedule's policy file
(scenarios/policies/jiaxing-2024-14.toml) may hold, with its type, range, labels and help.

An unknown key, a wrong type, a negative amount, nan or inf stops with the file and the dotted
key (`load_policy` reads the file with this declaration). Each award table quotes its clause.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from fundalloc.core.i18n import pick, tr
from fundalloc.core.schema import Section, setting

Amount = Annotated[float, Field(ge=0)]  # a finite number, 0 or more (nan and inf refused)
DATE = ("不带引号的 TOML 日期,如 2024-05-20", "a TOML date without quotes, e.g. 2024-05-20")


def _date(value: Any) -> Any:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    shown = f'"{value}"' if isinstance(value, str) else repr(value)
    raise ValueError(tr("check.not_expected", value=shown, expected=pick(*DATE)))


class AwardTable(Section):
    """What every award table carries besides its numbers."""

    clause: str = setting(
        zh="条款原文",
        en="Clause",
        help="the sentence of the text this table encodes, quoted "
        "in Chinese with its place (e.g. 三.(一) …); shown beside every payment",
    )
    unit: str = setting(
        "万元", zh="单位", en="Units", help="the units of the table's numbers, in words"
    )
    in_force_from: date | None = setting(
        None,
        zh="本项施行日期",
        en="In force from",
        expect=DATE,
        help="this award's own start (absent: the document's in_force_from)",
    )
    in_force_to: date | None = setting(
        None,
        zh="本项有效期至",
        en="In force to",
        expect=DATE,
        help="this award's own end (absent: the document's in_force_to)",
    )

    @field_validator("in_force_from", "in_force_to", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        return _date(value)


class TierTable(Section):
    """One sector's revenue tiers, lowest first."""

    thresholds_wan: list[Amount] = setting(
        zh="营业收入门槛",
        en="Revenue thresholds",
        unit="万元",
        help="annual main-business revenue a firm must first exceed, lowest tier first",
    )
    amounts_wan: list[Amount] = setting(
        zh="奖励金额",
        en="Award amounts",
        unit="万元",
        help="the award of each tier, one per threshold, not falling from tier to tier",
    )

    @field_validator("amounts_wan")
    @classmethod
    def _one_per_threshold(cls, value: list[float], info: ValidationInfo) -> list[float]:
        thresholds = info.data.get("thresholds_wan")
        if thresholds is not None and len(thresholds) != len(value):
            raise ValueError(tr("check.amount_per_threshold"))
        return value

    @model_validator(mode="after")
    def _rising(self) -> "TierTable":
        thr, amt = self.thresholds_wan, self.amounts_wan
        if any(b <= a for a, b in zip(thr, thr[1:], strict=False)) or any(
            b < a for a, b in zip(amt, amt[1:], strict=False)
        ):
            raise ValueError(tr("check.tiers_rising"))
        return self


class RevenueTierTable(AwardTable):
    """[revenue_tier]: 年主营业务收入首次超过 … 分别给予 … 奖励, by sector (absent: no tiers)."""

    strict: bool = setting(
        True,
        zh="严格超过",
        en="Strictly above",
        help="true: revenue must be strictly above a threshold (超过); false: at least",
    )

    tech_info: TierTable | None = setting(
        None, zh="科技信息类", en="Technology and information", help="tiers of 科技信息 firms"
    )
    logistics: TierTable | None = setting(
        None, zh="物流运输类", en="Logistics", help="tiers of 物流运输 firms"
    )
    business_services: TierTable | None = setting(
        None, zh="商务服务类", en="Business services", help="tiers of 商务服务 firms"
    )
    wholesale_retail: TierTable | None = setting(
        None, zh="批零贸易类", en="Wholesale and retail", help="tiers of 批零贸易 firms"
    )
    manufacturing: TierTable | None = setting(
        None, zh="制造业", en="Manufacturing", help="tiers of manufacturing firms (usually none)"
    )


class GrowthTable(AwardTable):
    """[growth]: 从获奖次年开始 … 增速超过 … 给予 … 奖励, 连续奖励 … 年."""

    rate_min: Amount = setting(
        zh="增速门槛",
        en="Growth above",
        help="revenue growth on the previous year must be "
        "strictly above this fraction (0.15 = 15 %)",
    )
    amount_wan: Amount = setting(
        zh="每年奖励", en="Award a year", unit="万元", help="paid for each qualifying year"
    )
    years: int = setting(
        zh="奖励年数",
        en="Years of the window",
        unit="年",
        ge=0,
        help="the revenue years after the award year that may earn it (连续奖励三年: 3)",
    )


class LevelAmounts(Section):
    """The award at each recognition level."""

    national: Amount = setting(zh="国家级", en="National", unit="万元", help="national level")
    provincial: Amount = setting(zh="省级", en="Provincial", unit="万元", help="provincial level")
    municipal: Amount = setting(zh="市级", en="Municipal", unit="万元", help="municipal level")


class RecognitionTable(AwardTable):
    """[service_mfg_demo], [industrial_design]: 经认定的国家级、省级、市级 … 分别给予 … 奖励."""

    amounts_wan: LevelAmounts = setting(
        zh="各级奖励金额",
        en="Amount by level",
        unit="万元",
        help="a table by level: national, provincial, municipal",
    )


class PlatformTable(AwardTable):
    """[platform]: 服务企业超过 … 家且进出口额增速达到 … 以上的, 按照研发升级费用的 … 给予补助."""

    firms_served_min: int = setting(
        zh="服务企业数",
        en="Firms served, more than",
        ge=0,
        help="a platform must serve strictly more firms than this (超过300家)",
    )
    trade_growth_min: list[Amount] = setting(
        zh="进出口额增速档",
        en="Trade growth steps",
        help="rising fractions; growth at least a step (达到 … 以上) earns its cost share",
    )
    cost_share: list[Amount] = setting(
        zh="补助比例",
        en="Share of the upgrade cost",
        help="one fraction per growth step (0.7 = 70 %)",
    )
    cap_wan: Amount = setting(
        zh="补助上限", en="Cap per claim", unit="万元", help="最高不超过: the most one claim gets"
    )

    @field_validator("cost_share")
    @classmethod
    def _one_per_step(cls, value: list[float], info: ValidationInfo) -> list[float]:
        steps = info.data.get("trade_growth_min")
        if steps is not None and (
            len(steps) != len(value) or any(b <= a for a, b in zip(steps, steps[1:], strict=False))
        ):
            raise ValueError(tr("check.share_per_step"))
        return value


class PolicyFile(Section):
    """A reward schedule's policy file: the document, its dates and one table per award."""

    id: str | None = setting(
        None, zh="政策编号", en="Policy id", help="a short name (absent: the file name)"
    )
    title: str = setting(
        "", zh="文件标题", en="Title", help="the document's title and number (文号)"
    )
    in_force_from: date = setting(
        zh="施行日期", en="In force from", expect=DATE, help="自 … 起正式施行"
    )
    in_force_to: date = setting(zh="有效期至", en="In force to", expect=DATE, help="有效期至 …")
    partial_years_count: bool = setting(
        True,
        zh="不满一年也计",
        en="Partial years count",
        help="true: a revenue year the period touches earns awards (the whole of 2024 although "
        "the text took effect on 20 May); false: whole calendar years only",
    )
    revenue_tier: RevenueTierTable = setting(
        zh="营业收入首次超过奖励", en="Revenue-tier award", help="the producer-service tiers"
    )
    growth: GrowthTable = setting(
        zh="营业收入增速奖励", en="Growth award", help="the three-year growth award"
    )
    service_mfg_demo: RecognitionTable = setting(
        zh="服务型制造示范奖励",
        en="Service-oriented manufacturing demonstration",
        help="recognised demonstration firms (platforms, projects)",
    )
    industrial_design: RecognitionTable = setting(
        zh="工业设计奖励",
        en="Industrial design",
        help="recognised industrial design firms (centres, institutes)",
    )
    platform: PlatformTable = setting(
        zh="跨境电商平台补助",
        en="Cross-border e-commerce platform subsidy",
        help="the upgrade subsidy of public service platforms",
    )

    @field_validator("in_force_from", "in_force_to", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        return _date(value)

    @field_validator("in_force_to")
    @classmethod
    def _after_start(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("in_force_from")
        if start is not None and value < start:
            raise ValueError(tr("check.ends_before_start"))
        return value
