"""Scenario sections [simulation] and [stress], declared once (keys documented in
scenarios/jiaxing-sim-baseline.toml and docs/simulation.md), and the engine's parameters built
from them.

Each key is declared with `fundalloc.core.schema.setting` (type, default, unit, range or
choices, Chinese and English label, help): `SimulationSettings` reads the whole [simulation]
table, one model per sub-table. The scenario check (`fundalloc.core.settings`) validates every
scenario against these declarations when it is loaded, so a wrong key or value stops with its
dotted name and a typo never silently falls back to a default. The engine objects (`SimParams`,
`Growth`, `Behaviour`, `Programme`, `Platforms`) are built from the validated declaration; the
defaults of `Behaviour()` and `Platforms()` are the declaration's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
from pydantic import field_validator, model_validator

from fundalloc.core.schema import Section, read, setting
from fundalloc.core.settings import SECTION_LOADERS
from fundalloc.rules.jiaxing import KINDS, LEVELS, SECTORS

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


class Invalid(ValueError):
    """A cross-key check that failed, naming the key to fix (relative to the table)."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


# ----------------------------------------------------------------------------- declarations


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
    tech_info: SectorPopulation = _sector_population("tech_info")
    logistics: SectorPopulation = _sector_population("logistics")
    business_services: SectorPopulation = _sector_population("business_services")
    wholesale_retail: SectorPopulation = _sector_population("wholesale_retail")
    manufacturing: SectorPopulation = _sector_population("manufacturing")


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


class PlatformsSettings(Section):
    """[simulation.platforms]: public cross-border e-commerce platforms that may upgrade."""

    n: int = setting(
        0,
        zh="跨境电商平台数",
        en="Platforms",
        unit="个",
        ge=0,
        help="public cross-border e-commerce service platforms that may upgrade (assumption)",
    )
    upgrade_prob: float = setting(
        0.5,
        zh="年升级概率",
        en="Upgrade chance a year",
        unit="概率",
        ge=0.0,
        le=1.0,
        help="chance a platform upgrades (and applies) in a given year (assumption)",
    )
    served_median: float = setting(
        300.0,
        zh="服务企业数中位数",
        en="Median firms served",
        unit="家",
        gt=0.0,
        help="log-normal number of firms a platform serves, median (the subsidy needs > 300; "
        "assumption)",
    )
    served_sigma: float = setting(
        0.4,
        zh="服务企业数离散度",
        en="Spread of firms served",
        unit="对数",
        ge=0.0,
        help="log-sd of the number of firms served (assumption)",
    )
    growth_mean: float = setting(
        0.15,
        zh="贸易增长均值",
        en="Mean trade growth",
        unit="比例",
        help="trade growth ~ Normal(growth_mean, growth_sd) (the subsidy needs ≥ 15 %; assumption)",
    )
    growth_sd: float = setting(
        0.08,
        zh="贸易增长标准差",
        en="Sd of trade growth",
        unit="比例",
        ge=0.0,
        help="sd of a platform's trade growth (assumption)",
    )
    cost_median_wan: float = setting(
        50.0,
        zh="升级费用中位数",
        en="Median upgrade cost",
        unit="万元",
        gt=0.0,
        help="log-normal upgrade cost, median (the subsidy is at most 60 万; assumption)",
    )
    cost_sigma: float = setting(
        0.5,
        zh="升级费用离散度",
        en="Spread of upgrade cost",
        unit="对数",
        ge=0.0,
        help="log-sd of the upgrade cost (assumption)",
    )


class SimulationSettings(Section):
    """[simulation]: the Monte Carlo of the Jiaxing reward schedule."""

    runs: int = setting(
        1000,
        zh="模拟次数",
        en="Replications",
        unit="次",
        ge=1,
        sweep=False,
        help="Monte Carlo replications (--runs)",
    )
    seed: int = setting(
        20240520,
        zh="随机种子",
        en="Root seed",
        ge=0,
        sweep=False,
        help="root seed; every run is reproducible from it (--seed)",
    )
    years: list[int] = setting(
        default_factory=lambda: list(range(2024, 2030)),
        zh="模拟年份",
        en="Years simulated",
        unit="年",
        expect="a list of consecutive years, e.g. [2024, 2025, 2026]",
        help="revenue years simulated, after the population's history",
    )
    firms: str | None = setting(
        None,
        zh="企业营收表",
        en="Firm table",
        help="firm table (firm_id, sector, year, revenue_wan; years before the first simulated "
        "year are the history) instead of a generated population",
    )
    population: PopulationSettings | None = setting(
        None,
        zh="生成的企业总体",
        en="Generated population",
        help="firms to generate when no firm table is given",
    )
    growth: GrowthSettings = setting(
        default_factory=GrowthSettings,
        zh="营收增长模型",
        en="Revenue growth",
        help="stochastic log revenue growth by sector",
    )
    entry_rate: float = setting(
        0.0,
        zh="年进入率",
        en="Entry rate",
        unit="占在营企业比例/年",
        ge=0.0,
        le=1.0,
        help="new firms a year, as a share of each sector's incumbents (assumption)",
    )
    exit_rate: float = setting(
        0.0,
        zh="年退出率",
        en="Exit rate",
        unit="概率/年",
        ge=0.0,
        le=0.99,
        help="chance an existing firm closes in a year (assumption)",
    )
    behaviour: BehaviourSettings = setting(
        default_factory=BehaviourSettings,
        zh="企业行为",
        en="Firms' behaviour",
        help="how firms react to the reward tiers (0 switches a behaviour off)",
    )
    recognition: dict[str, ProgrammeSettings] = setting(
        default_factory=dict,
        zh="认定计划",
        en="Recognition programmes",
        expect='a table of programmes, e.g. { kind = "service_mfg_demo", '
        'level = "municipal", per_year = 10 }',
        help="recognition programmes drawn against the yearly cultivation targets, by name",
    )
    platforms: PlatformsSettings = setting(
        default_factory=PlatformsSettings,
        zh="跨境电商平台",
        en="Cross-border platforms",
        help="public cross-border e-commerce platforms that may upgrade",
    )
    workers: int = setting(
        0,
        zh="进程数",
        en="Worker processes",
        ge=0,
        sweep=False,
        help="processes running the replications (0 = all cores; --workers)",
    )
    chunk: int = setting(
        20,
        zh="每个随机流的模拟次数",
        en="Replications per random stream",
        ge=1,
        sweep=False,
        help="replications per random stream (changing it changes the draws)",
    )
    level: float = setting(
        0.05,
        zh="超支概率水平",
        en="Overrun level",
        unit="概率",
        gt=0.0,
        le=0.5,
        help="stress: the smallest budget keeps the chance of overrun at most this (--level)",
    )

    @field_validator("years")
    @classmethod
    def _consecutive(cls, years: list[int]) -> list[int]:
        if not years or years != list(range(years[0], years[0] + len(years))):
            raise ValueError(
                f"{years!r} is not a list of consecutive years, e.g. [2024, 2025, 2026]"
            )
        return years

    @model_validator(mode="after")
    def _history_before_years(self) -> "SimulationSettings":
        pop = self.population
        if not self.firms and pop is not None and pop.history_years is not None:
            hy, first = pop.history_years, self.years[0]
            if not hy or hy != list(range(hy[0], first)):
                raise Invalid(
                    "population.history_years",
                    f"{hy!r} is not consecutive years ending {first - 1}",
                )
        return self


class StressSettings(Section):
    """[stress]: the scenarios `fundalloc stress` runs beside this one."""

    scenarios: list[str] = setting(
        default_factory=list,
        zh="并列比较的情景",
        en="Scenarios side by side",
        expect='a list of scenario file names in quotes, e.g. ["jiaxing-sim-boom.toml"]',
        help="scenario files run beside this one by `fundalloc stress` (relative to this file)",
    )


def _sections() -> dict[str, tuple[type, None]]:
    """The tables this module declares, for the scenario check (core/settings.py)."""
    return {"simulation": (SimulationSettings, None), "stress": (StressSettings, None)}


SECTION_LOADERS.append(_sections)


def simulation_settings(scenario) -> SimulationSettings:
    """[simulation] of a scenario, validated against its declaration."""
    return read(
        SimulationSettings,
        scenario.section("simulation"),
        prefix="simulation",
        source=scenario.path,
    )


def stress_settings(scenario) -> StressSettings:
    """[stress] of a scenario, validated against its declaration."""
    return read(StressSettings, scenario.section("stress"), prefix="stress", source=scenario.path)


# ----------------------------------------------------------------------------- engine objects


def _default(model: type[Section], name: str) -> Any:
    return model.model_fields[name].get_default(call_default_factory=True)


@dataclass(frozen=True)
class Behaviour:
    """How firms react to the schedule; 0 switches a behaviour off (BehaviourSettings)."""

    effort: float = _default(BehaviourSettings, "effort")
    timing: float = _default(BehaviourSettings, "timing")
    window: float = _default(BehaviourSettings, "window")
    applying: float = _default(BehaviourSettings, "applying")

    @classmethod
    def from_settings(cls, s: BehaviourSettings) -> "Behaviour":
        return cls(**s.model_dump())

    @property
    def active(self) -> bool:
        return (self.window > 0 and (self.effort > 0 or self.timing > 0)) or self.applying > 0


@dataclass(frozen=True)
class Growth:
    family: str  # lognormal | laplace (shocks of unit variance either way)
    mu: tuple[float, ...]  # mean log growth, by sector code
    sigma: tuple[float, ...]  # sd of log growth of a firm of size size_ref_wan, by sector code
    size_exponent: float  # β in σ(size) = σ·(size/size_ref)^(−β)
    size_ref_wan: float
    sigma_cap: float  # σ(size) ≤ sigma_cap·σ, so tiny firms do not explode

    @classmethod
    def from_settings(cls, g: GrowthSettings) -> "Growth":
        by_sector = [getattr(g, s) for s in SECTORS]
        return cls(
            g.family,
            tuple(s.mu for s in by_sector),
            tuple(s.sigma for s in by_sector),
            g.size_exponent,
            g.size_ref_wan,
            g.sigma_cap,
        )


@dataclass(frozen=True)
class Programme:
    """A recognition programme drawn against a yearly cultivation target (RULES.md C)."""

    name: str
    kind: int  # index into KINDS
    level: int  # index into LEVELS
    per_year: float  # expected recognitions a year without the award's pull
    sectors: tuple[int, ...]  # sectors whose firms can be recognised

    @classmethod
    def from_settings(cls, name: str, p: ProgrammeSettings) -> "Programme":
        return cls(
            name,
            KINDS.index(p.kind),
            LEVELS.index(p.level),
            p.per_year,
            tuple(SECTORS.index(s) for s in p.sectors),
        )


@dataclass(frozen=True)
class Platforms:
    """Cross-border e-commerce platforms (PlatformsSettings: meaning and defaults)."""

    n: int = _default(PlatformsSettings, "n")
    upgrade_prob: float = _default(PlatformsSettings, "upgrade_prob")
    served_median: float = _default(PlatformsSettings, "served_median")
    served_sigma: float = _default(PlatformsSettings, "served_sigma")
    growth_mean: float = _default(PlatformsSettings, "growth_mean")
    growth_sd: float = _default(PlatformsSettings, "growth_sd")
    cost_median_wan: float = _default(PlatformsSettings, "cost_median_wan")
    cost_sigma: float = _default(PlatformsSettings, "cost_sigma")

    @classmethod
    def from_settings(cls, s: PlatformsSettings) -> "Platforms":
        return cls(**s.model_dump())


@dataclass(frozen=True)
class SimParams:
    runs: int
    seed: int
    years: tuple[int, ...]  # revenue years simulated (after the population's history)
    award_years: tuple[int, ...]  # revenue years that earn tier awards (from the policy):
    # firms react to tiers only then
    growth: Growth
    entry_rate: float
    exit_rate: float
    behaviour: Behaviour
    programmes: tuple[Programme, ...]
    platforms: Platforms
    workers: int
    chunk: int  # replications per random stream (fixed: results do not
    # depend on the number of workers)
    level: float  # overrun probability the stress test budgets for

    def without_behaviour(self) -> "SimParams":
        return replace(self, behaviour=Behaviour())


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def params_from(s: SimulationSettings, policy) -> SimParams:
    """The engine's parameters from a validated [simulation] (and the policy's award years)."""
    return SimParams(
        runs=s.runs,
        seed=s.seed,
        years=tuple(s.years),
        award_years=award_years(policy),
        growth=Growth.from_settings(s.growth),
        entry_rate=s.entry_rate,
        exit_rate=s.exit_rate,
        behaviour=Behaviour.from_settings(s.behaviour),
        programmes=tuple(Programme.from_settings(name, p) for name, p in s.recognition.items()),
        platforms=Platforms.from_settings(s.platforms),
        workers=s.workers or cpu_count(),
        chunk=s.chunk,
        level=s.level,
    )


def sim_params(scenario, policy) -> SimParams:
    return params_from(simulation_settings(scenario), policy)


def tier_thresholds(policy) -> np.ndarray:
    """(n_sectors, k) revenue tiers in 万 from the rules engine's policy (+inf: no such tier)."""
    return np.asarray(policy.tier_thresholds, dtype=float)


def award_years(policy) -> tuple[int, ...]:
    """Revenue years that earn tier awards: the only years in which firms react to tiers."""
    first, last = policy.window("revenue_tier")
    return tuple(range(first, last + 1))
