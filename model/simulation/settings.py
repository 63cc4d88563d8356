"""Scenario sections [simulation] and [stress], declared once (keys documented in
scenarios/jiaxing-sim-baseline.toml and docs/simulation.md).

Each key is declared with `fundalloc.core.schema.setting` (type, default, unit, range or
choices, Chinese and English label, help): `SimulationSettings` reads the whole [simulation]
table, one model per sub-table (the growth, behaviour, population and recognition sub-tables in `fundalloc.simulation.subtables`).
The scenario check (`fundalloc.core.settings`) validates every scenario against these
declarations when it is loaded, so a wrong key or value stops with its dotted name and a typo
never silently falls back to a default. The engine objects are built from them in
`fundalloc.simulation.params`.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import field_validator, model_validator

from fundalloc.core.i18n import tr
from fundalloc.core.schema import Section, read, setting
from fundalloc.core.settings import SECTION_LOADERS, SectionTables
from fundalloc.simulation.assumptions import split
from fundalloc.simulation.subtables import (
    BehaviourSettings,
    GrowthSettings,
    PopulationSettings,
    ProgrammeSettings,
)


class Invalid(ValueError):
    """A cross-key check that failed, naming the key to fix (relative to the table)."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


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
        expect=(
            "连续年份的列表,如 [2024, 2025, 2026]",
            "a list of consecutive years, e.g. [2024, 2025, 2026]",
        ),
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
        expect=(
            '按名称的认定项目表,如 { kind = "service_mfg_demo", level = "municipal", per_year = 10 }',
            'a table of programmes, e.g. { kind = "service_mfg_demo", '
            'level = "municipal", per_year = 10 }',
        ),
        help="recognition programmes drawn against the yearly cultivation targets, by name",
    )
    platforms: PlatformsSettings = setting(
        default_factory=PlatformsSettings,
        zh="跨境电商平台",
        en="Cross-border platforms",
        help="public cross-border e-commerce platforms that may upgrade",
    )
    missing_history: Literal["first_crossing", "exclude"] = setting(
        "first_crossing",
        zh="缺少历史营收的企业",
        en="Firms without earlier revenue",
        clause="三.(一) 对年主营业务收入首次超过1亿元、5000万元、2000万元的……企业 (首次: the "
        "years before the schedule are needed to know a tier is crossed for the first time)",
        help="a firm of the firm table with no revenue row before the first year that earns "
        "tier awards (2024): whether its first known year counts as a first crossing (today's "
        "reading; the count and their money are reported) or the firm is left out",
        options={
            "first_crossing": (
                "视为首次超过",
                "its first known revenue counts as a first crossing (reported and warned)",
            ),
            "exclude": ("不纳入模拟", "the firm is left out of the simulation (reported)"),
        },
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

    budgets: list[float] = setting(
        default_factory=list,
        zh="比较的年度预算",
        en="Budgets compared",
        unit="万元",
        sweep=False,
        expect=(
            "万元数的列表,如 [4000, 6000, 8000]",
            "a list of amounts in 万, e.g. [4000, 6000, 8000]",
        ),
        clause="五 落实政策所需资金,列入每年财政预算 (the yearly budget is not published: "
        "what each amount would carry)",
        help="flat yearly budgets (万元) the run also reports: chance of overrun, mean paid "
        "and unpaid by pay year under each, paid again from the same simulated claims "
        "(--budgets 4000,6000,8000); empty: none",
    )

    @field_validator("budgets")
    @classmethod
    def _budgets(cls, budgets: list[float]) -> list[float]:
        for b in budgets:
            if not math.isfinite(b) or b < 0:
                raise ValueError(tr("check.budget_grid", value=repr(b)))
        return sorted(set(budgets))

    @model_validator(mode="before")
    @classmethod
    def _centres(cls, data: Any) -> Any:
        """A key given as a distribution is checked at its centre (and both ends of its draws):
        simulation/assumptions.py."""
        return split(data, cls)[0]

    @field_validator("years")
    @classmethod
    def _consecutive(cls, years: list[int]) -> list[int]:
        if not years or years != list(range(years[0], years[0] + len(years))):
            raise ValueError(tr("check.not_consecutive_years", value=repr(years)))
        return years

    @model_validator(mode="after")
    def _history_before_years(self) -> "SimulationSettings":
        pop = self.population
        if not self.firms and pop is not None and pop.history_years is not None:
            hy, first = pop.history_years, self.years[0]
            if not hy or hy != list(range(hy[0], first)):
                raise Invalid(
                    "population.history_years",
                    tr("check.history_years", value=repr(hy), last=first - 1),
                )
        return self


class StressSettings(Section):
    """[stress]: the scenarios `fundalloc stress` runs beside this one."""

    scenarios: list[str] = setting(
        default_factory=list,
        zh="并列比较的情景",
        en="Scenarios side by side",
        expect=(
            '带引号的场景文件名列表,如 ["jiaxing-sim-boom.toml"]',
            'a list of scenario file names in quotes, e.g. ["jiaxing-sim-boom.toml"]',
        ),
        help="scenario files run beside this one by `fundalloc stress` (relative to this file)",
    )


def _sections() -> SectionTables:
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
