"""Scenario section [simulation] as typed, checked parameters (keys documented in
scenarios/jiaxing-sim-baseline.toml and docs/simulation.md). A wrong key stops with its dotted
name, so a typo never silently falls back to a default."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import numpy as np

from fundalloc.core.errors import ScenarioError
from fundalloc.rules.jiaxing import LEVELS, SECTORS

KINDS = ("service_mfg_demo", "industrial_design")


@dataclass(frozen=True)
class Behaviour:
    """How firms react to the schedule; 0 switches a behaviour off."""

    effort: float = 0.0    # extra log-growth a firm just below a tier adds (capped at the tier)
    timing: float = 0.0    # largest share of a year's revenue a firm books early to cross a tier
    window: float = 0.0    # firms react only within this share below a tier (0: nobody reacts)
    applying: float = 0.0  # relative rise in recognitions because the award draws applicants

    @property
    def active(self) -> bool:
        return (self.window > 0 and (self.effort > 0 or self.timing > 0)) or self.applying > 0


@dataclass(frozen=True)
class Growth:
    family: str                 # lognormal | laplace (shocks of unit variance either way)
    mu: tuple[float, ...]       # mean log growth, by sector code
    sigma: tuple[float, ...]    # sd of log growth of a firm of size size_ref_wan, by sector code
    size_exponent: float        # β in σ(size) = σ·(size/size_ref)^(−β)
    size_ref_wan: float
    sigma_cap: float            # σ(size) ≤ sigma_cap·σ, so tiny firms do not explode


@dataclass(frozen=True)
class Programme:
    """A recognition programme drawn against a yearly cultivation target (RULES.md C)."""

    name: str
    kind: int                   # index into KINDS
    level: int                  # index into LEVELS
    per_year: float             # expected recognitions a year without the award's pull
    sectors: tuple[int, ...]    # sectors whose firms can be recognised


@dataclass(frozen=True)
class Platforms:
    n: int = 0                  # public cross-border e-commerce platforms that may upgrade
    upgrade_prob: float = 0.5   # chance a platform upgrades (and applies) in a given year
    served_median: float = 300.0
    served_sigma: float = 0.4
    growth_mean: float = 0.15
    growth_sd: float = 0.08
    cost_median_wan: float = 50.0
    cost_sigma: float = 0.5


@dataclass(frozen=True)
class SimParams:
    runs: int
    seed: int
    years: tuple[int, ...]          # revenue years simulated (after the population's history)
    award_years: tuple[int, ...]    # revenue years that earn tier awards (from the policy):
                                    # firms react to tiers only then
    growth: Growth
    entry_rate: float
    exit_rate: float
    behaviour: Behaviour
    programmes: tuple[Programme, ...]
    platforms: Platforms
    workers: int
    chunk: int                      # replications per random stream (fixed: results do not
                                    # depend on the number of workers)
    level: float                    # overrun probability the stress test budgets for

    def without_behaviour(self) -> "SimParams":
        return replace(self, behaviour=Behaviour())


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class _Reader:
    """Reads one table of the scenario, naming the dotted key in every error."""

    def __init__(self, scenario, prefix: str, table: dict):
        self.path, self.prefix, self.table = scenario.path, prefix, dict(table)

    def fail(self, key: str, msg: str):
        raise ScenarioError(self.path, f"{self.prefix}.{key}", msg)

    def num(self, key, default, lo=None, hi=None, *, integer=False, lo_open=False):
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"must be a number, got {value!r}")
        if integer and value != int(value):
            self.fail(key, f"must be a whole number, got {value!r}")
        if lo is not None and (value <= lo if lo_open else value < lo):
            self.fail(key, f"must be {'above' if lo_open else 'at least'} {lo}, got {value}")
        if hi is not None and value > hi:
            self.fail(key, f"must be at most {hi}, got {value}")
        return int(value) if integer else float(value)

    def sub(self, key: str) -> dict:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, "must be a table")
        return value

    def known(self, keys) -> None:
        unknown = sorted(set(self.table) - set(keys))
        if unknown:
            self.fail(unknown[0], f"unknown key; known keys: {', '.join(sorted(keys))}")


SIM_KEYS = {"runs", "seed", "years", "firms", "population", "growth", "entry_rate",
            "exit_rate", "behaviour", "recognition", "platforms", "workers", "chunk", "level"}


def sim_params(scenario, policy) -> SimParams:
    r = _Reader(scenario, "simulation", scenario.section("simulation"))
    r.known(SIM_KEYS)
    years = _years(r, "years", list(range(2024, 2030)))

    g = _Reader(scenario, "simulation.growth", r.sub("growth"))
    g.known({"family", "size_exponent", "size_ref_wan", "sigma_cap", *SECTORS})
    family = g.table.get("family", "lognormal")
    if family not in ("lognormal", "laplace"):
        g.fail("family", f"'{family}' is not one of: lognormal, laplace")
    mu, sigma = [], []
    for s in SECTORS:
        sr = _Reader(scenario, f"simulation.growth.{s}", g.sub(s))
        sr.known({"mu", "sigma"})
        mu.append(sr.num("mu", 0.05, -1.0, 1.0))
        sigma.append(sr.num("sigma", 0.25, 0.0, 2.0))
    growth = Growth(family, tuple(mu), tuple(sigma), g.num("size_exponent", 0.0, 0.0, 1.0),
                    g.num("size_ref_wan", 5000.0, 0.0, lo_open=True),
                    g.num("sigma_cap", 3.0, 1.0))

    b = _Reader(scenario, "simulation.behaviour", r.sub("behaviour"))
    b.known(set(Behaviour.__dataclass_fields__))
    behaviour = Behaviour(effort=b.num("effort", 0.0, 0.0, 1.0), timing=b.num("timing", 0.0, 0.0, 0.5),
                          window=b.num("window", 0.0, 0.0, 0.9), applying=b.num("applying", 0.0, 0.0, 10.0))

    runs = r.num("runs", 1000, 1, integer=True)
    return SimParams(
        runs=runs, seed=r.num("seed", 20240520, 0, integer=True), years=years,
        award_years=award_years(policy), growth=growth,
        entry_rate=r.num("entry_rate", 0.0, 0.0, 1.0), exit_rate=r.num("exit_rate", 0.0, 0.0, 0.99),
        behaviour=behaviour, programmes=_programmes(scenario, r.sub("recognition")),
        platforms=_platforms(scenario, r.sub("platforms")),
        workers=r.num("workers", 0, 0, integer=True) or cpu_count(),
        chunk=r.num("chunk", 20, 1, integer=True), level=r.num("level", 0.05, 0.0, 0.5, lo_open=True))


def _years(r: _Reader, key: str, default) -> tuple[int, ...]:
    years = r.table.get(key, default)
    if (not isinstance(years, list) or not years or any(not isinstance(y, int) for y in years)
            or list(years) != list(range(years[0], years[0] + len(years)))):
        r.fail(key, f"must be a list of consecutive years, e.g. [2024, 2025, 2026], got {years!r}")
    return tuple(years)


def _programmes(scenario, table: dict) -> tuple[Programme, ...]:
    out = []
    for name, spec in table.items():
        p = _Reader(scenario, f"simulation.recognition.{name}", spec if isinstance(spec, dict) else {})
        if not isinstance(spec, dict):
            p.fail("", "each programme is a table with kind, level, per_year")
        p.known({"kind", "level", "per_year", "sectors"})
        kind, level = p.table.get("kind"), p.table.get("level")
        if kind not in KINDS:
            p.fail("kind", f"'{kind}' is not one of: {', '.join(KINDS)}")
        if level not in LEVELS:
            p.fail("level", f"'{level}' is not one of: {', '.join(LEVELS)}")
        sectors = p.table.get("sectors", ["manufacturing"])
        bad = [s for s in sectors if s not in SECTORS]
        if bad or not sectors:
            p.fail("sectors", f"unknown sector(s) {bad}; sectors are {', '.join(SECTORS)}")
        out.append(Programme(name, KINDS.index(kind), LEVELS.index(level),
                             p.num("per_year", 0.0, 0.0), tuple(SECTORS.index(s) for s in sectors)))
    return tuple(out)


def _platforms(scenario, table: dict) -> Platforms:
    p = _Reader(scenario, "simulation.platforms", table)
    p.known(set(Platforms.__dataclass_fields__))
    d = Platforms()
    return Platforms(
        n=p.num("n", d.n, 0, integer=True), upgrade_prob=p.num("upgrade_prob", d.upgrade_prob, 0, 1),
        served_median=p.num("served_median", d.served_median, 0, lo_open=True),
        served_sigma=p.num("served_sigma", d.served_sigma, 0), growth_mean=p.num("growth_mean", d.growth_mean),
        growth_sd=p.num("growth_sd", d.growth_sd, 0),
        cost_median_wan=p.num("cost_median_wan", d.cost_median_wan, 0, lo_open=True),
        cost_sigma=p.num("cost_sigma", d.cost_sigma, 0))


def tier_thresholds(policy) -> np.ndarray:
    """(n_sectors, k) revenue tiers in 万 from the rules engine's policy (+inf: no such tier)."""
    return np.asarray(policy.tier_thresholds, dtype=float)


def award_years(policy) -> tuple[int, ...]:
    """Revenue years that earn tier awards: the only years in which firms react to tiers."""
    first, last = policy.window("revenue_tier")
    return tuple(range(first, last + 1))
