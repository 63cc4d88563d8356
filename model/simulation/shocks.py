"""The random numbers of one replication, drawn up front from one numpy Generator.

Both engines (Mesa agents and the vectorised kernel) read the same `Shocks`, so on the same seed
they face the same world; and the behaviour-off counterfactual reuses the very same `Shocks`
(common random numbers), so a difference between the two runs is the behaviour, not luck.
Array sizes depend only on the population and on parameters fixed for the study, never on the
behaviour switches, so switching behaviour off does not shift any later draw.

The shocks shared between firms (the city-wide year shock and the sector-year shocks of
[simulation.growth.common] / [simulation.growth.sector_common]) come from a stream of their own
per replication, keyed by (seed, replication): switching them on leaves every other draw as it
was, and with both sigmas 0 nothing is drawn and the results are bit for bit today's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fundalloc.rules.jiaxing import SECTORS
from fundalloc.simulation.params import SimParams
from fundalloc.simulation.population import Population


@dataclass(frozen=True)
class Shocks:
    eps: np.ndarray  # (n, T) growth shocks, unit variance (normal or Laplace)
    exit_u: np.ndarray  # (n, T) uniform: a firm leaves in year t when below exit_rate
    entry_u: np.ndarray  # (n,) uniform: an entrant slot enters when below entry_p
    entry_z: np.ndarray  # (n,) normal: entrant's first-year size
    rec_firm: np.ndarray  # (P, T, K) candidate row for each recognition slot
    rec_u: np.ndarray  # (P, T, K) uniform: the candidate is recognised when below its rate
    plat: np.ndarray  # (NP, T, 4) platform draws: upgrade uniform, served, growth, cost
    year_shift: np.ndarray | None = None  # (sectors, T) added to the log growth of every firm
    # of the sector in year t: city-wide + sector-year shock (None: none shared)


COMMON_STREAM = 1_000_014  # spawn-key prefix of the shared shocks' streams (chunk streams
# are spawn keys (k,), so these never coincide)


def year_shifts(params: SimParams, run: int, n_sectors: int = len(SECTORS)) -> np.ndarray | None:
    """(sectors, T) shift of log growth shared by firms in replication `run`: an AR(1) city-wide
    shock c_t = ρ·c_(t−1) + σ·√(1−ρ²)·z_t (c_0 = σ·z_0, so σ is every year's sd) plus an
    independent N(0, σ_s²) per sector and year. Drawn from the replication's own stream."""
    g, T = params.growth, len(params.years)
    if not g.correlated:
        return None
    rng = np.random.default_rng(np.random.SeedSequence(params.seed, spawn_key=(COMMON_STREAM, run)))
    z = rng.standard_normal((1 + n_sectors, T))  # fixed size: either sigma may be 0
    common = np.empty(T)
    innovation = g.common_sigma * math.sqrt(1 - g.common_rho**2)
    for t in range(T):
        common[t] = (
            g.common_sigma * z[0, 0]
            if t == 0
            else g.common_rho * common[t - 1] + (innovation * z[0, t])
        )
    return common[None, :] + g.sector_sigma * z[1:]


def recognition_slots(params: SimParams) -> int:
    """Candidate slots per programme and year: enough that the Binomial(K, p) count has the
    target mean at the strongest `applying` of the study (p ≤ 1/2)."""
    top = max((p.per_year for p in params.programmes), default=0.0)
    return math.ceil(2 * top * (1 + params.behaviour.applying)) + 5 if top > 0 else 0


def recognition_pools(pop: Population, params: SimParams) -> list[np.ndarray]:
    """Rows that can be recognised under each programme: incumbents of its sectors."""
    top = int(pop.sector.max(initial=0)) + 1
    pools = []
    for p in params.programmes:  # a lookup by sector code: np.isin costs more at this size
        mine = np.zeros(max(top, max(p.sectors, default=0) + 1), bool)
        mine[list(p.sectors)] = True
        pools.append(np.flatnonzero(pop.incumbent & mine[pop.sector]))
    return pools


def draw_shocks(
    rng: np.random.Generator,
    pop: Population,
    params: SimParams,
    pools: list[np.ndarray] | None = None,
    run: int = 0,
) -> Shocks:
    """One replication's draws from `rng` (its chunk's stream); `run`, the replication's
    number, keys the stream of the shocks shared between firms (year_shifts)."""
    n, T = pop.n, len(params.years)
    if params.growth.family == "laplace":
        eps = rng.laplace(0.0, 1 / math.sqrt(2), (n, T))  # scale b = σ/√2 gives variance 1
    else:
        eps = rng.standard_normal((n, T))
    exit_u = rng.random((n, T))
    entry_u = rng.random(n)
    entry_z = rng.standard_normal(n)
    pools = recognition_pools(pop, params) if pools is None else pools
    K, P = recognition_slots(params), len(params.programmes)
    rec_firm = np.zeros((P, T, K), int)
    for i, pool in enumerate(pools):
        draw = rng.integers(0, max(len(pool), 1), (T, K))
        rec_firm[i] = pool[draw] if len(pool) else -1
    rec_u = rng.random((P, T, K))
    plat = np.empty((params.platforms.n, T, 4))
    plat[..., 0] = rng.random((params.platforms.n, T))
    plat[..., 1:] = rng.standard_normal((params.platforms.n, T, 3))
    return Shocks(eps, exit_u, entry_u, entry_z, rec_firm, rec_u, plat, year_shifts(params, run))


def chunk_seeds(seed: int, n_chunks: int) -> list[np.random.SeedSequence]:
    """Chunk k always gets the same child stream, whatever the number of chunks or workers."""
    return np.random.SeedSequence(seed).spawn(n_chunks)


def chunk_seed(seed: int, k: int) -> np.random.SeedSequence:
    """chunk_seeds(seed, k + 1)[k] without spawning the k children before it: a spawned child
    is the root's entropy with spawn key (k,) (tests/test_simulation_streams.py checks it), so
    replication r of an uncertain study (its own chunk) costs O(1), not O(r)."""
    return np.random.SeedSequence(seed, spawn_key=(k,))


def shocks_for_run(run: int, pop: Population, params: SimParams) -> Shocks:
    """The shocks the Monte Carlo used for replication `run` (replays its chunk's stream)."""
    chunk, within = divmod(run, params.chunk)
    rng = np.random.default_rng(chunk_seed(params.seed, chunk))
    pools = recognition_pools(pop, params)
    for _ in range(within):
        draw_shocks(rng, pop, params, pools)
    return draw_shocks(rng, pop, params, pools, run=run)
