"""Sub-tables of [simulation], declared once: [simulation.growth], [simulation.behaviour],
[simulation.population] and each [simulation.recognition.<name>] programme (keys documented in
scenarios/jiaxing-sim-baseline.toml and docs/simulation.md), with the sector, recognition-kind
and level names they take. `fundalloc.simulation.settings` assembles the whole table.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal, Mapping

from pydantic import field_validator

from fundalloc.core.schema import Section, setting
from fundalloc.rules.jiaxing import KINDS, LEVELS, PAYER_ALIASES, PAYERS, SECTORS

if TYPE_CHECKING:  # the values are read from the policy's codes: plain text to the checker
    Sector = str
    Kind = str
    Level = str
else:
    Sector = Literal[SECTORS]  # tech_info | logistics | business_services | …
    Kind = Literal[KINDS]  # service_mfg_demo | industrial_design
    Level = Literal[LEVELS]  # national | provincial | municipal

SECTOR_ZH = {
    "tech_info": "科技信息",
    "logistics": "物流运输",
    "business_services": "商务服务",
    "wholesale_retail": "批零贸易",
    "manufacturing": "制造业",
}
SECTOR_EN = {
    "tech_info": "tech-information",
    "logistics": "logistics",
    "business_services": "business-service",
    "wholesale_retail": "wholesale/retail",
    "manufacturing": "manufacturing",
}


class SectorGrowth(Section):
    """[simulation.growth.<sector>]: the sector's log revenue growth."""

    mu: float = setting(
        0.05,
        zh="对数增长均值",
        en="Mean log growth",
        unit="对数/年",
        ge=-1.0,
        le=1.0,
        help="drift of a firm's log revenue a year (assumption)",
    )
    sigma: float = setting(
        0.25,
        zh="对数增长离散度",
        en="Spread of log growth",
        unit="对数/年",
        ge=0.0,
        le=2.0,
        help="sd of a firm's yearly log growth at size size_ref_wan (assumption)",
    )


def _sector_growth(sector: str) -> Any:
    return setting(
        default_factory=SectorGrowth,
        zh=f"{SECTOR_ZH[sector]}增长",
        en=f"Growth of {SECTOR_EN[sector]} firms",
        help=f"mean and spread of the log growth of {SECTOR_EN[sector]} firms "
        "({ mu, sigma }; assumption)",
    )


class GrowthSettings(Section):
    """[simulation.growth]: x' = x + mu + sigma·min((size/size_ref)^(−β), sigma_cap)·ε."""

    family: Literal["lognormal", "laplace"] = setting(
        "lognormal",
        zh="增长冲击分布",
        en="Growth shock family",
        options={
            "lognormal": ("对数正态（正态对数增长）", "Gaussian log growth"),
            "laplace": (
                "拉普拉斯（帐篷形，Zou 2019）",
                "Laplace, the tent shape of Chinese firms (Zou 2019)",
            ),
        },
        help="distribution of the unit-variance growth shock ε",
    )
    size_exponent: float = setting(
        0.0,
        zh="规模指数β",
        en="Size exponent β",
        ge=0.0,
        le=1.0,
        help="the spread falls as (size/size_ref_wan)^(−β) (assumption; 0.15 is the classic "
        "value for firm sales)",
    )
    size_ref_wan: float = setting(
        5000.0,
        zh="参照规模",
        en="Reference size",
        unit="万元",
        gt=0.0,
        help="revenue at which sigma applies",
    )
    sigma_cap: float = setting(
        3.0,
        zh="小企业离散度上限倍数",
        en="Cap on small firms' spread",
        unit="倍",
        ge=1.0,
        help="the spread of the smallest firms is at most this many times sigma",
    )
    tech_info: SectorGrowth = _sector_growth("tech_info")
    logistics: SectorGrowth = _sector_growth("logistics")
    business_services: SectorGrowth = _sector_growth("business_services")
    wholesale_retail: SectorGrowth = _sector_growth("wholesale_retail")
    manufacturing: SectorGrowth = _sector_growth("manufacturing")


class BehaviourSettings(Section):
    """[simulation.behaviour]: how firms react to the schedule; 0 switches a behaviour off."""

    effort: float = setting(
        0.0,
        zh="冲档努力",
        en="Extra effort",
        unit="对数增长",
        ge=0.0,
        le=1.0,
        help="extra log-growth a firm just below a tier adds, never past the tier itself "
        "(assumption; 0 = off)",
    )
    timing: float = setting(
        0.0,
        zh="提前入账",
        en="Early booking",
        unit="占营收比例",
        ge=0.0,
        le=0.5,
        help="largest share of a year's revenue a firm books early to cross a tier, taken off "
        "next year (assumption; 0 = off)",
    )
    window: float = setting(
        0.0,
        zh="反应区间",
        en="Reaction window",
        unit="低于档位的比例",
        ge=0.0,
        le=0.9,
        help="firms react only when their revenue is within this share below a tier they never "
        "exceeded (assumption; 0: nobody reacts)",
    )
    applying: float = setting(
        0.0,
        zh="申报增加",
        en="More applicants",
        unit="相对增幅",
        ge=0.0,
        le=10.0,
        help="relative rise in recognitions because the award draws applicants (assumption; "
        "0 = off)",
    )


class SectorPopulation(Section):
    """[simulation.population.<sector>]: the sector's generated firms."""

    n: int = setting(
        0,
        zh="企业数",
        en="Firms",
        unit="家",
        ge=0,
        help="firms of the sector in the generated population (assumption)",
    )
    median_wan: float = setting(
        1000.0,
        zh="营收中位数",
        en="Median revenue",
        unit="万元",
        gt=0.0,
        help="median revenue of the last history year, log-normal (assumption)",
    )
    sigma: float = setting(
        1.0,
        zh="规模离散度",
        en="Spread of size",
        unit="对数",
        ge=0.0,
        help="log-sd of the revenue of the last history year (assumption)",
    )
    entrant_median_wan: float | None = setting(
        None,
        zh="新进入企业营收中位数",
        en="Entrants' median revenue",
        unit="万元",
        gt=0.0,
        help="median first-year revenue of an entrant (default: half the sector's median)",
    )
    entrant_sigma: float | None = setting(
        None,
        zh="新进入企业规模离散度",
        en="Entrants' spread of size",
        unit="对数",
        ge=0.0,
        help="log-sd of an entrant's first-year revenue (default: the sector's sigma)",
    )


def _sector_population(sector: str) -> Any:
    return setting(
        default_factory=SectorPopulation,
        zh=f"{SECTOR_ZH[sector]}企业",
        en=f"{SECTOR_EN[sector].capitalize()} firms",
        help=f"count and log-normal size of the generated {SECTOR_EN[sector]} firms "
        "({ n, median_wan, sigma }; assumption)",
    )


class PopulationSettings(Section):
    """[simulation.population]: the generated firms (drawn once, with their own seed)."""

    seed: int = setting(
        1,
        zh="企业总体随机种子",
        en="Population seed",
        ge=0,
        sweep=False,
        help="seed of the generated population (drawn once: today's firms are known)",
    )
    history_years: list[int] | None = setting(
        None,
        zh="历史年份",
        en="History years",
        unit="年",
        expect="a list of consecutive years ending the year before the first simulated year",
        help="revenue years before the simulation (default: the three years before the first "
        "simulated year)",
    )
    payer_shares: dict[str, float] | None = setting(
        None,
        zh="支付主体构成",
        en="Payer shares",
        clause="五 各县(市)参照执行",
        expect='a table of shares by payer summing to 1, e.g. { "市本级" = 0.4, "嘉善县" = 0.6 }',
        help="the share of generated firms (and entrants) each payer pays: 市本级 or 南湖区, "
        "秀洲区, 嘉善县, 平湖市, 海盐县, 海宁市, 桐乡市 (absent: all 市本级; a firm table's payer "
        "column wins for its firms)",
    )
    tech_info: SectorPopulation = _sector_population("tech_info")
    logistics: SectorPopulation = _sector_population("logistics")
    business_services: SectorPopulation = _sector_population("business_services")
    wholesale_retail: SectorPopulation = _sector_population("wholesale_retail")
    manufacturing: SectorPopulation = _sector_population("manufacturing")

    @field_validator("payer_shares", mode="before")
    @classmethod
    def _payer_shares(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, Mapping) or not value:
            raise ValueError('expected a table of shares by payer, e.g. { "市本级" = 1 }')
        out: dict[str, float] = {}
        for name, share in value.items():
            payer = PAYER_ALIASES.get(str(name).strip(), str(name).strip())
            if payer not in PAYERS:
                raise ValueError(f'"{name}" is not a payer: one of {"、".join(PAYERS)}')
            if (
                isinstance(share, bool)
                or not isinstance(share, (int, float))
                or not math.isfinite(share)
                or share < 0
            ):
                raise ValueError(f"{payer}: {share!r} is not a share between 0 and 1")
            out[payer] = out.get(payer, 0.0) + float(share)
        if abs(sum(out.values()) - 1.0) > 1e-6:
            raise ValueError(f"the shares add up to {sum(out.values()):g}, not 1")
        return out


class ProgrammeSettings(Section):
    """[simulation.recognition.<name>]: a recognition programme and its yearly target."""

    kind: Kind = setting(
        zh="认定类型",
        en="Recognition kind",
        options={
            "service_mfg_demo": ("服务型制造示范", "service-oriented manufacturing demo"),
            "industrial_design": ("工业设计", "industrial design"),
        },
        help="which award the recognition earns",
    )
    level: Level = setting(
        zh="认定级别",
        en="Level",
        options={
            "national": ("国家级", "national"),
            "provincial": ("省级", "provincial"),
            "municipal": ("市级", "municipal"),
        },
        help="level of the recognition",
    )
    per_year: float = setting(
        0.0,
        zh="每年认定数",
        en="Recognitions a year",
        unit="个/年",
        ge=0.0,
        help="expected recognitions a year without the award's pull (assumption, from the "
        "yearly cultivation targets)",
    )
    sectors: list[Sector] = setting(
        default_factory=lambda: ["manufacturing"],
        zh="适用行业",
        en="Sectors",
        expect=f"a non-empty list of sectors ({', '.join(SECTORS)})",
        help="sectors whose established firms can be recognised",
    )

    @field_validator("sectors", mode="before")
    @classmethod
    def _known_sectors(cls, value: Any) -> Any:
        if isinstance(value, list):
            bad = [s for s in value if s not in SECTORS]
            if bad or not value:
                raise ValueError(f"unknown sector(s) {bad}; sectors are {', '.join(SECTORS)}")
        return value
