"""Sub-tables of [simulation], declared once: [simulation.growth], [simulation.behaviour],
[simulation.population] and each [simulation.recognition.<name>] programme (keys documented in
scenarios/jiaxing-sim-baseline.toml and docs/simulation.md), with the sector, recognition-kind
and level names they take. `fundalloc.simulation.settings` assembles the whole table.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal, Mapping

from pydantic import field_validator

from fundalloc.core.i18n import tr
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


# Where the bundled value of the city-wide year shock comes from (docs/simulation.md, "Common
# shocks"): said once, shown in the key's help and in the docs.
COMMON_SOURCE = (
    "published yearly growth of revenue of above-scale services firms (规模以上服务业企业营业收入, "
    "NBS) moved by about 6 points sd over 2018–2023 (11.4, 9.4, 1.9, 18.7, 2.7, 8.3 %, as "
    "recalled, not checked against the releases here; without the 2020–2022 swings nearer 2 "
    "points); 0.05 is taken as a middle value, an assumption"
)


class CommonShock(Section):
    """[simulation.growth.common]: one city-wide shock a year, the same for every firm."""

    sigma: float = setting(
        0.0,
        zh="全市年度冲击标准差",
        en="City-wide year shock sd",
        unit="对数/年",
        ge=0.0,
        le=1.0,
        help="sd of a shock added to every firm's log growth in a year (stationary sd of the "
        "AR(1)); 0 = off, every firm's luck independent. Bundled baseline 0.05: " + COMMON_SOURCE,
    )
    rho: float = setting(
        0.0,
        zh="年度冲击持续性ρ",
        en="Persistence ρ",
        ge=-0.99,
        le=0.99,
        help="AR(1) persistence of the city-wide shock: c_t = ρ·c_(t−1) + σ·√(1−ρ²)·z_t, so "
        "sigma stays the yearly sd whatever ρ (assumption; the short published series shows no "
        "persistence, so the baseline keeps 0)",
    )


class SectorCommonShock(Section):
    """[simulation.growth.sector_common]: one shock a year per sector."""

    sigma: float = setting(
        0.0,
        zh="行业年度冲击标准差",
        en="Sector-year shock sd",
        unit="对数/年",
        ge=0.0,
        le=1.0,
        help="sd of a shock added to the log growth of every firm of a sector in a year, "
        "independent across sectors and years (assumption; 0 = off)",
    )


class GrowthSettings(Section):
    """[simulation.growth]: x' = x + mu + sigma·min((size/size_ref)^(−β), sigma_cap)·ε
    + c_t + s_(sector,t) (the common and sector-year shocks)."""

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
    common: CommonShock = setting(
        default_factory=CommonShock,
        zh="全市年度冲击",
        en="City-wide year shock",
        help="a shock shared by every firm each year ({ sigma, rho }; 0 = off)",
    )
    sector_common: SectorCommonShock = setting(
        default_factory=SectorCommonShock,
        zh="行业年度冲击",
        en="Sector-year shock",
        help="a shock shared by the firms of a sector each year ({ sigma }; 0 = off)",
    )


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
        expect=(
            "截至首个模拟年份前一年的连续年份列表",
            "a list of consecutive years ending the year before the first simulated year",
        ),
        help="revenue years before the simulation (default: the three years before the first "
        "simulated year)",
    )
    payer_shares: dict[str, float] | None = setting(
        None,
        zh="支付主体构成",
        en="Payer shares",
        clause="五 各县(市)参照执行",
        expect=(
            '按支付主体、合计为 1 的份额表,如 { "市本级" = 0.4, "嘉善县" = 0.6 }',
            'a table of shares by payer summing to 1, e.g. { "市本级" = 0.4, "嘉善县" = 0.6 }',
        ),
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
            raise ValueError(tr("check.payer_shares_table"))
        out: dict[str, float] = {}
        for name, share in value.items():
            payer = PAYER_ALIASES.get(str(name).strip(), str(name).strip())
            if payer not in PAYERS:
                raise ValueError(tr("check.not_payer", name=name, payers="、".join(PAYERS)))
            if (
                isinstance(share, bool)
                or not isinstance(share, (int, float))
                or not math.isfinite(share)
                or share < 0
            ):
                raise ValueError(tr("check.not_share", payer=payer, value=repr(share)))
            out[payer] = out.get(payer, 0.0) + float(share)
        if abs(sum(out.values()) - 1.0) > 1e-6:
            raise ValueError(tr("check.shares_sum", total=f"{sum(out.values()):g}"))
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
    award: Literal["service_mfg_demo", "industrial_design", "none"] | None = setting(
        None,
        zh="对应奖励",
        en="Paid under",
        clause="三.(一) 对经认定的国家级、省级、市级服务型制造示范企业(平台、项目)……工业设计企业"
        "(中心、研究院),分别给予150万元、50万元、20万元奖励",
        options={
            "service_mfg_demo": ("服务型制造示范奖励", "the service-oriented manufacturing award"),
            "industrial_design": ("工业设计奖励", "the industrial design award"),
            "none": ("不属于三.(一)奖励", "no award of 三.(一): drawn as a target, paid nothing"),
        },
        help="the award of 三.(一) this programme's recognitions are paid under; none for a "
        "cultivation target of 二 that 三.(一) does not reward (e.g. industrial-internet "
        "platforms, supply-chain platforms); default: the award of its kind",
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
        expect=(
            f"非空的行业列表({', '.join(SECTORS)})",
            f"a non-empty list of sectors ({', '.join(SECTORS)})",
        ),
        help="sectors whose established firms can be recognised",
    )

    @field_validator("sectors", mode="before")
    @classmethod
    def _known_sectors(cls, value: Any) -> Any:
        if isinstance(value, list):
            bad = [s for s in value if s not in SECTORS]
            if bad or not value:
                raise ValueError(tr("check.unknown_sectors", bad=bad, sectors=", ".join(SECTORS)))
        return value
