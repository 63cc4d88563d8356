"""The kernel's year loop (docstring of kernel.py) over a chunk's replications at once, each in
its own lane (lanes.py), and with both behaviours on the same draws: the chunk's random numbers
are stacked, clipped and scaled once (`Draws`) for the run with behaviour as set and for the
behaviour-off counterfactual, instead of once per run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fundalloc.simulation.kernel import (
    Paths,
    World,
    _effort_level,
    _timing_shift,
    platforms,
    platforms_chunk,
    recognitions,
    recognitions_chunk,
)
from fundalloc.simulation.lanes import (
    Lanes,
    Reactions,
    many_worlds,
    one_world,
    reactions,
    stacked,
    year_major,
    year_shifts_of,
)
from fundalloc.simulation.params import Behaviour
from fundalloc.simulation.shocks import Shocks


@dataclass(frozen=True)
class Draws:
    """A chunk's shocks as the year loop reads them; padding never leaves, enters or moves."""

    noise: np.ndarray  # (T, c, N) σ_s · clipped unit shock
    leaves: np.ndarray  # (T, c, N) the firm closes in year t
    enter: np.ndarray  # (c, N) the entrant slot enters (in its entry year)
    entrant_x: np.ndarray  # (c, N) its first-year log revenue
    shared: np.ndarray | None  # (T, c, N) shocks.year_shifts, gathered by sector
    entry_t: np.ndarray  # (c, N)
    entry_years: frozenset


def draws_of(lanes: Lanes, shocks: list[Shocks]) -> Draws:
    c, n, nf = len(shocks), lanes.x0.shape[-1], lanes.n_firms
    # Year-major (T, c, n) so each year's slice is contiguous.
    eps = year_major([s.eps for s in shocks], nf)  # a new array: clipped and scaled in place
    noise = np.multiply(lanes.sigma, np.clip(eps, -lanes.emax, lanes.emax, out=eps), out=eps)
    leaves = year_major([s.exit_u for s in shocks], nf, 1.0) < lanes.exit_rate
    enter = (lanes.entry_t >= 0) & (stacked([s.entry_u for s in shocks], nf, 1.0) < lanes.entry_p)
    entrant_x = lanes.entrant_mu + lanes.entrant_sigma * stacked([s.entry_z for s in shocks], nf)
    entry_t = np.broadcast_to(lanes.entry_t, (c, n))
    return Draws(
        noise,
        leaves,
        enter,
        entrant_x,
        year_shifts_of(shocks, lanes),
        entry_t,
        frozenset(entry_t[enter].tolist()),
    )


def _lanes(worlds: list[World]) -> Lanes:
    world = worlds[0]
    return one_world(world) if all(w is world for w in worlds) else many_worlds(worlds)


def simulate_lanes(worlds: list[World], shocks: list[Shocks], behaviours: list[Behaviour]) -> Paths:
    """Paths of replication i in worlds[i] with behaviours[i]. The worlds may differ in their
    populations and in the drifts, spreads, exit rate and behaviour of their params; years,
    award years and the size law are the first world's (same_law). Arrays (c, N, T)."""
    lanes = _lanes(worlds)
    return _paths(worlds, lanes, draws_of(lanes, shocks), shocks, behaviours)


def simulate_pair(
    worlds: list[World], shocks: list[Shocks], counter: list[bool]
) -> tuple[Paths, Paths]:
    """(behaviour as set, behaviour off) on the same draws; off is on when no lane has a
    counterfactual (`counter`: the lanes that have one)."""
    lanes = _lanes(worlds)
    d = draws_of(lanes, shocks)
    on = _paths(worlds, lanes, d, shocks, [w.params.behaviour for w in worlds])
    if not any(counter):
        return on, on
    return on, _paths(worlds, lanes, d, shocks, [Behaviour()] * len(shocks))


def _paths(worlds, lanes: Lanes, d: Draws, shocks, behaviours: list[Behaviour]) -> Paths:
    true, reported = _years(worlds[0], lanes, d, reactions(behaviours))
    world, p = worlds[0], worlds[0].params
    if all(
        w.params.programmes == p.programmes
        and w.params.platforms == p.platforms
        and w.params.years == p.years
        and s.rec_u.shape == shocks[0].rec_u.shape  # slots follow a drawn `applying`
        and s.plat.shape == shocks[0].plat.shape
        for w, s in zip(worlds, shocks, strict=True)
    ):  # the same programmes and platforms in every lane: the chunk's slots in one pass
        recs = recognitions_chunk(world, shocks, behaviours, true)
        plats = platforms_chunk(world, shocks)
    else:  # programmes or platforms drawn per replication: run by run
        recs = [recognitions(worlds[i], s, behaviours[i], true[i]) for i, s in enumerate(shocks)]
        plats = [platforms(worlds[i], s) for i, s in enumerate(shocks)]
    return Paths(true, reported, recs, plats)


BLOCK = 65_536  # firm-replication cells a block of the year loop holds: its temporaries
# (~20 arrays of BLOCK floats) stay in the core's cache instead of streaming from memory


def _years(world: World, lanes: Lanes, d: Draws, r: Reactions, kernel: str | None = None):
    """(true, reported) revenue, (c, n, T), through the compiled loop of yearloop.py when this
    process uses it (yearloop.kernel(); `kernel` "numpy" / "numba" forces one), else NumPy.
    Firms never interact within the year loop, so NumPy runs it block of firms by block (the
    same elementwise operations on the same values)."""
    from fundalloc.simulation import yearloop

    if (kernel or yearloop.kernel()) == "numba":
        compiled = yearloop.years_of(world, lanes, d, r)
        if compiled is not None:
            return compiled
    c, n = d.enter.shape
    T = len(world.params.years)
    # (c, n, T) written in place: every cell is set, so no NaN fill and no axis moved after.
    true = np.empty((c, n, T))
    reported = np.empty((c, n, T))
    width = max(256, BLOCK // max(c, 1))
    for a in range(0, n, width):
        cols = slice(a, min(a + width, n))
        _block(world, lanes, d, r, cols, true[:, cols], reported[:, cols])
    return true, reported


def _firms(a, cols: slice, per_firm_ndim: int):
    """Columns `cols` of a per-firm input: shared (n, …) or per lane (c, N, …)."""
    a = np.asarray(a)
    return a[cols] if a.ndim == per_firm_ndim else a[:, cols]


def _block(world: World, lanes: Lanes, d: Draws, r: Reactions, cols: slice, true, reported):
    p, g = world.params, world.params.growth
    c = d.enter.shape[0]
    n = cols.stop - cols.start
    tiers, log_tiers = _firms(lanes.tiers, cols, 2), _firms(lanes.log_tiers, cols, 2)
    mu = _firms(lanes.mu, cols, 1)
    leaves, noise = d.leaves[:, :, cols], d.noise[:, :, cols]
    shared = None if d.shared is None else d.shared[:, :, cols]
    enter, entry_t, entrant_x = d.enter[:, cols], d.entry_t[:, cols], d.entrant_x[:, cols]
    alive = np.broadcast_to(_firms(lanes.alive0, cols, 1), (c, n)).copy()
    x = np.broadcast_to(_firms(lanes.x0, cols, 1), (c, n)).copy()
    shift = None  # revenue booked early last year (None: none, max(rev − 0, 0) is rev)
    log_ref = np.log(g.size_ref_wan)
    push, book = bool(np.any(r.push)), bool(np.any(r.book))
    for t, year in enumerate(p.years):
        react = year in p.award_years
        alive &= ~leaves[t]
        with np.errstate(invalid="ignore", over="ignore"):
            level = x
            if react and push:  # a lane that does not push keeps x, as the one-world kernel
                level = _effort_level(x, log_tiers, r.effort, r.keep_log)
                level = level if np.all(r.push) else np.where(r.push, level, x)
            step = noise[t]
            if g.size_exponent > 0:  # spread of the size after effort (keeps x' monotone)
                step = step * np.minimum(np.exp(-g.size_exponent * (level - log_ref)), g.sigma_cap)
            x = level + mu + step
            if shared is not None:
                x = x + shared[t]
        new = enter & (entry_t == t) if t in d.entry_years else None
        if new is not None:
            x = np.where(new, entrant_x, x)
            alive |= new
        with np.errstate(over="ignore", invalid="ignore"):
            rev = np.exp(x)
        rev[~alive] = np.nan
        true[..., t] = rev
        if react and book:
            # last year's early booking comes off
            base = rev if shift is None else np.maximum(rev - shift, 0.0)
            # entrants react from their second year; firms gone book nothing
            ok = alive if new is None else alive & ~new
            shift = np.where(ok, _timing_shift(base, tiers, r.keep, r.timing), 0.0)
            if not np.all(r.book):  # a lane that does not book: shift 0, base + 0.0 is base
                shift = np.where(r.book, shift, 0.0)
            reported[..., t] = base + shift
        elif shift is None:
            reported[..., t] = rev
        else:
            reported[..., t] = np.maximum(rev - shift, 0.0)
            shift = None


def same_law(worlds: list[World]) -> bool:
    """Whether simulate_lanes can run these worlds together (what it takes from the first)."""

    def law(w: World):
        p, g = w.params, w.params.growth
        return (p.years, p.award_years, g.size_exponent, g.size_ref_wan, g.sigma_cap)

    first = law(worlds[0])
    return all(law(w) == first for w in worlds)


def crossings_and_rows_lanes(worlds: list[World], reported: np.ndarray):
    """crossings_and_rows of replication i in worlds[i] ((c, N) rows, padding never crosses)."""
    from fundalloc.simulation.kernel import best_reported, crossings_and_rows, tier_counts

    world = worlds[0]
    if all(w is world for w in worlds):
        return crossings_and_rows(world, reported)
    c, N = reported.shape[:2]
    tiers = np.full((c, N, world.row_tiers.shape[1]), np.inf)
    for i, w in enumerate(worlds):
        tiers[i, : w.pop.n] = w.row_tiers
    cols = np.isin(np.array(world.params.years), world.params.award_years)
    best = best_reported(reported, cols)
    crossed = tier_counts(best, tiers, getattr(world.policy, "tier_strict", True))
    return np.asarray(crossed.sum(axis=-1)), np.asarray(crossed > 0)
