"""The engine's parameters (`SimParams`, `Growth`, `Behaviour`, `Programme`, `Platforms`),
built from the validated declaration of [simulation] (`fundalloc.simulation.settings`); the
defaults of `Behaviour()` and `Platforms()` are the declaration's. `sim_params` reads them from a
scenario.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from fundalloc.core.schema import Section
from fundalloc.rules.jiaxing import KINDS, LEVELS, SECTORS
from fundalloc.simulation.assumptions import Assumption, split
from fundalloc.simulation.settings import (
    PlatformsSettings as PlatformsSettings,
)
from fundalloc.simulation.settings import (
    SimulationSettings as SimulationSettings,
)
from fundalloc.simulation.settings import (
    StressSettings as StressSettings,
)
from fundalloc.simulation.settings import (
    simulation_settings as simulation_settings,
)
from fundalloc.simulation.subtables import (
    BehaviourSettings as BehaviourSettings,
)
from fundalloc.simulation.subtables import (
    GrowthSettings as GrowthSettings,
)
from fundalloc.simulation.subtables import (
    PopulationSettings as PopulationSettings,
)
from fundalloc.simulation.subtables import (
    ProgrammeSettings,
)

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
    common_sigma: float = 0.0  # sd of the city-wide year shock (stationary sd of the AR(1))
    common_rho: float = 0.0  # its AR(1) persistence
    sector_sigma: float = 0.0  # sd of the sector-year shock

    @property
    def correlated(self) -> bool:
        """Whether any shock is shared between firms (shocks.py then draws them)."""
        return self.common_sigma > 0 or self.sector_sigma > 0

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
            g.common.sigma,
            g.common.rho,
            g.sector_common.sigma,
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
            KINDS.index(p.award or p.kind),
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
    missing_history: str = "first_crossing"  # or "exclude" (SimulationSettings)
    unpaid: tuple[str, ...] = ()  # recognition programmes paid under no award of 三.(一)
    # Uncertain assumptions (assumptions.py): drawn per replication; `base` is the [simulation]
    # table at their centres, `source` the scenario file (for messages)
    assumptions: tuple[Assumption, ...] = ()
    base: dict | None = None
    source: str = ""
    assumption_mode: str = "drawn"  # "centre": every assumption at its centre (same streams)
    counterfactual: bool = True  # run behaviour off too (deadweight); sensitivity skips it
    budgets: tuple[float, ...] = ()  # flat yearly budgets also reported (simulation.budgets)

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
        programmes=tuple(  # unpaid targets are not drawn: they cannot reach the budget
            Programme.from_settings(name, p)
            for name, p in s.recognition.items()
            if p.award != "none"
        ),
        platforms=Platforms.from_settings(s.platforms),
        workers=s.workers or cpu_count(),
        chunk=s.chunk,
        level=s.level,
        missing_history=s.missing_history,
        unpaid=tuple(name for name, p in s.recognition.items() if p.award == "none"),
        budgets=tuple(s.budgets),
    )


def sim_params(scenario, policy) -> SimParams:
    centre, found = split(scenario.section("simulation"), SimulationSettings)
    params = params_from(simulation_settings(scenario), policy)
    if not found:
        return params
    return replace(params, assumptions=tuple(found), base=centre, source=str(scenario.path))


def tier_thresholds(policy) -> np.ndarray:
    """(n_sectors, k) revenue tiers in 万 from the rules engine's policy (+inf: no such tier)."""
    return np.asarray(policy.tier_thresholds, dtype=float)


def award_years(policy) -> tuple[int, ...]:
    """Revenue years that earn tier awards: the only years in which firms react to tiers."""
    first, last = policy.window("revenue_tier")
    return tuple(range(first, last + 1))
