"""The firm population: incumbents with a revenue history, plus entrant slots.

Rows are fixed for a whole study, so both engines and every replication index firms the same way:
incumbents first (generated from [simulation.population] or read from `simulation.firms`), then
entrant slots, one per possible new firm. A slot becomes a firm in its entry year when its uniform
draw falls below `entry_p`; slots are sized so the expected number of entrants a year is
entry_rate × incumbents of that sector. The population is drawn once (its own seed): the bureau
knows today's firms, the uncertainty is their future.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from fundalloc.core.errors import ScenarioError
from fundalloc.inputs.firms import read_firms
from fundalloc.rules.jiaxing import PAYERS, SECTORS
from fundalloc.simulation.params import (
    PopulationSettings,
    SimParams,
    SimulationSettings,
    simulation_settings,
)


@dataclass(frozen=True)
class Population:
    ids: np.ndarray  # (n,) str
    sector: np.ndarray  # (n,) int code into SECTORS
    history_years: tuple[int, ...]
    history: np.ndarray  # (n, H) revenue 万 before the simulated years, NaN = not existing
    entry_t: np.ndarray  # (n,) −1 for incumbents, else index of the entry year
    entry_p: np.ndarray  # (n,) chance an entrant slot enters (0 for incumbents)
    entrant_mu: np.ndarray  # (n,) log of the entrant's median first-year revenue
    entrant_sigma: np.ndarray  # (n,) log-sd of the entrant's first-year revenue
    # (n,) an incumbent with no revenue row before the first year that earns tier awards: its
    # first known year is read as a first crossing (simulation.missing_history)
    missing_history: np.ndarray | None = None
    excluded_missing: int = 0  # such firms left out under missing_history = "exclude"
    payer: np.ndarray | None = None  # (n,) code into PAYERS (None: all 市本级)

    def payers(self) -> np.ndarray:
        return np.zeros(self.n, np.int64) if self.payer is None else self.payer

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def incumbent(self) -> np.ndarray:
        return self.entry_t < 0


@dataclass(frozen=True)
class SectorSpec:
    """One sector of [simulation.population] (SectorPopulation), defaults resolved."""

    n: int  # firms to generate
    median_wan: float  # median size of the last history year
    sigma: float  # its log-sd
    entrant_median_wan: float | None  # entrants' median first-year revenue; None: half the
    # median of the sector's firms as generated or read
    entrant_sigma: float  # entrants' log-sd


@dataclass(frozen=True)
class PopulationSpec:
    """[simulation.population] (PopulationSettings) with its defaults resolved."""

    generate: bool  # the table is given (and no firm table)
    seed: int
    history_years: tuple[int, ...]
    sectors: tuple[SectorSpec, ...]  # by sector code
    payer_shares: dict[str, float] | None = None  # generated firms' and entrants' payers


def population_spec(settings: SimulationSettings) -> PopulationSpec:
    """The population spec of a validated [simulation]. An absent or empty population table
    generates nothing; its sector entries still size the entrants of a firm table."""
    pop = settings.population if settings.population is not None else PopulationSettings()
    first = settings.years[0]
    hyears = (
        pop.history_years if pop.history_years is not None else [first - 3 + i for i in range(3)]
    )
    sectors = []
    for s in SECTORS:
        sp = getattr(pop, s)
        entrant = sp.entrant_median_wan
        if entrant is None and "median_wan" in sp.model_fields_set:
            entrant = sp.median_wan / 2
        sectors.append(
            SectorSpec(
                sp.n,
                sp.median_wan,
                sp.sigma,
                entrant,
                sp.sigma if sp.entrant_sigma is None else sp.entrant_sigma,
            )
        )
    return PopulationSpec(
        generate=not settings.firms and bool(pop.model_fields_set),
        seed=pop.seed,
        history_years=tuple(hyears),
        sectors=tuple(sectors),
        payer_shares=pop.payer_shares,
    )


def build_population(scenario, params: SimParams, thresholds: np.ndarray) -> Population:
    """`thresholds` (sectors, k): entrant slots only for sectors with a revenue tier — a new firm
    elsewhere can earn nothing (recognitions go to established firms), so it is left out."""
    return population_from(simulation_settings(scenario), scenario.path, params, thresholds)


def _firm_history(path: str, first_year: int):
    """The firm table's history and its payers (None when the table names none), read once per
    study (not per draw of the assumptions); an edited file (new size or time) is read again."""
    st = Path(path).stat()
    return _read_history(path, st.st_mtime_ns, st.st_size, first_year)


@lru_cache(maxsize=4)
def _read_history(path: str, _mtime: int, _size: int, first_year: int):
    table = read_firms(path)
    ids, sector, hyears, hist = table.history_before(first_year)
    given = None if table.payer is None else table.payer[np.isin(table.ids, ids)]
    return ids, sector, hyears, hist, given


def population_from(
    settings: SimulationSettings, source, params: SimParams, thresholds: np.ndarray
) -> Population:
    """build_population from a validated [simulation] (uncertain.py rebuilds it per draw)."""
    spec = population_spec(settings)
    given = None  # payers a firm table names
    if settings.firms:
        ids, sector, hyears, hist, given = _firm_history(settings.firms, params.years[0])
    elif spec.generate:
        ids, sector, hyears, hist = _generate(spec, params)
    else:
        raise ScenarioError(
            source,
            "simulation.firms",
            "give a firm table (path) or a [simulation.population] to generate",
        )
    missing = no_history_before(hyears, hist, params.award_years[0])
    excluded = 0
    if params.missing_history == "exclude" and missing.any():
        keep = ~missing
        ids, sector, hist = ids[keep], sector[keep], hist[keep]
        given = None if given is None else given[keep]
        excluded, missing = int((~keep).sum()), missing[keep]
    sizes = _entrant_sizes(spec, sector, hist)
    tiered = np.isfinite(thresholds).any(axis=1)
    pop = _with_entrants(ids, sector, hyears, hist, sizes, params, tiered)
    flags = np.concatenate([missing, np.zeros(pop.n - len(missing), bool)])
    return replace(
        pop, missing_history=flags, excluded_missing=excluded, payer=_payers(spec, pop.n, given)
    )


def no_history_before(hyears, hist: np.ndarray, first_award_year: int) -> np.ndarray:
    """(n,) firms with no known revenue before `first_award_year`: "首次超过" cannot be told
    from their history, so their first known year looks like a first crossing."""
    before = np.array(hyears) < first_award_year
    return ~np.isfinite(hist[:, before]).any(axis=1)


def _payers(spec: PopulationSpec, n: int, given: np.ndarray | None) -> np.ndarray | None:
    """Payer code per row: a firm table's own, else drawn by `payer_shares` (from a stream of
    its own, so the firms' sizes do not change when shares are added); None: all 市本级."""
    if spec.payer_shares is None:
        if given is None:
            return None
        return np.concatenate([given, np.zeros(n - len(given), np.int64)])
    names = list(spec.payer_shares)
    p = np.array([spec.payer_shares[k] for k in names])
    rng = np.random.default_rng([spec.seed, 15])
    codes = np.array([PAYERS.index(k) for k in names])[rng.choice(len(names), n, p=p / p.sum())]
    if given is not None:
        codes[: len(given)] = given
    return codes.astype(np.int64)


def _generate(spec: PopulationSpec, params: SimParams):
    hyears = spec.history_years
    rng = np.random.default_rng(spec.seed)
    g = params.growth
    last = []
    for sp in spec.sectors:
        last.append(sp.median_wan * np.exp(sp.sigma * rng.standard_normal(sp.n)))
    counts = [sp.n for sp in spec.sectors]
    ids = np.concatenate(
        [_generated_ids(s[:2].upper(), n) for s, n in zip(SECTORS, counts, strict=True)]
    )
    sector = np.repeat(np.arange(len(counts)), counts)
    hist = np.empty((len(ids), len(hyears)))
    hist[:, -1] = np.concatenate(last)
    # Earlier years by running the growth process backwards (same sector drift and spread,
    # log-normal): the history only decides which tiers a firm already exceeded before 2024.
    mu, sigma = np.array(g.mu)[sector], np.array(g.sigma)[sector]
    for j in range(len(hyears) - 2, -1, -1):
        hist[:, j] = hist[:, j + 1] / np.exp(mu + sigma * rng.standard_normal(len(ids)))
    return ids, sector, tuple(hyears), hist


def _entrant_sizes(
    spec: PopulationSpec, sector: np.ndarray, hist: np.ndarray
) -> dict[int, tuple[float, float]]:
    """Log-median and log-sd of an entrant's first-year revenue, by sector: the keys
    entrant_median_wan / entrant_sigma, else half the sector's median size and its spread."""
    out = {}
    for code, sp in enumerate(spec.sectors):
        entrant = sp.entrant_median_wan
        if entrant is None:
            mine = hist[sector == code, -1]
            mine = mine[np.isfinite(mine) & (mine > 0)]
            entrant = (float(np.median(mine)) if len(mine) else 1000.0) / 2
        out[code] = (math.log(float(entrant)), float(sp.entrant_sigma))
    return out


def _with_entrants(ids, sector, hyears, hist, sizes, params: SimParams, tiered) -> Population:
    n0 = len(ids)
    rows_ids = []
    rows_sec, rows_t, rows_p = [], [], []  # one (code, t, p) block of k rows per sector-year
    if params.entry_rate > 0:
        per_sector = np.bincount(np.asarray(sector, np.int64), minlength=len(SECTORS))
        T = len(params.years)
        for code, s in enumerate(SECTORS):
            n_s = int(per_sector[code])
            if n_s == 0 or not tiered[code]:
                continue
            expected = params.entry_rate * n_s
            k = math.ceil(2 * expected) + 3  # Binomial(k, p) entrants, mean = expected
            rows_ids += [_entrant_ids(s, year, k) for year in params.years]
            rows_sec.append(np.full(k * T, code, int))
            rows_t.append(np.repeat(np.arange(T), k))
            rows_p.append(np.full(k * T, expected / k, float))
    new_ids = np.concatenate(rows_ids) if rows_ids else np.zeros(0, dtype=object)
    m = len(new_ids)
    sec_new = np.concatenate(rows_sec) if rows_sec else np.zeros(0, int)
    all_sec = np.concatenate([sector, sec_new])
    codes = np.arange(max(sizes, default=0) + 1)
    mus = np.array([sizes.get(c, (np.nan, np.nan))[0] for c in codes])
    sds = np.array([sizes.get(c, (np.nan, np.nan))[1] for c in codes])
    return Population(
        ids=np.concatenate([np.asarray(ids, dtype=object), new_ids]),
        sector=all_sec,
        history_years=tuple(hyears),
        history=np.vstack([hist, np.full((m, len(hyears)), np.nan)]),
        entry_t=np.concatenate([np.full(n0, -1)] + rows_t),
        entry_p=np.concatenate([np.zeros(n0)] + rows_p),
        entrant_mu=mus[all_sec],
        entrant_sigma=sds[all_sec],
    )


# Id strings cost more to build than the rest of a population (uncertain.py rebuilds it per
# draw of a population size): built once per prefix as an object array, extended as larger
# sizes come, and handed out as slices (np.concatenate copies the references, not strings).
_IDS: dict[tuple[str, str], np.ndarray] = {}


def _ids(prefix: str, n: int, width: str) -> np.ndarray:
    have = _IDS.get((prefix, width), np.zeros(0, dtype=object))
    if len(have) < n:
        more = [f"{prefix}{i:{width}}" for i in range(len(have), max(n, 2 * len(have)))]
        have = _IDS[(prefix, width)] = np.concatenate([have, np.array(more, dtype=object)])
    return have[:n]


def _generated_ids(prefix: str, n: int) -> np.ndarray:
    return _ids(prefix, n, "05d")


def _entrant_ids(sector: str, year: int, k: int) -> np.ndarray:
    return _ids(f"new-{sector}-{year}-", k, "d")
