"""The kernel's year loop over a chunk's replications at once, each with its own firms and
parameters ("lanes"). A study without uncertain assumptions shares one world: every per-firm
array is (n,) and broadcasts against the (c, n) state. Under uncertain assumptions each
replication has a world of its own (its drawn drifts, exit rate, effort, population size):
the per-firm arrays are (c, N), each replication's firms first and padded to the chunk's
largest population N with firms that never exist (no history, no entry: NaN revenue throughout,
so nothing downstream ever reads them — awards and sums take each replication's own slice).

Every number a lane computes is the number the one-world kernel computes for that replication:
the same elementwise operations on the same values (transcendentals are evaluated per world
exactly as before and only copied into the padded arrays), and a behaviour switched off in one
lane is masked back to the value the one-world kernel keeps (tests/test_simulation_lanes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from fundalloc.simulation.params import Behaviour


@dataclass(frozen=True)
class Lanes:
    """Per-firm inputs: (n,) shared by every replication or (c, N) per replication."""

    sector: np.ndarray
    mu: np.ndarray
    sigma: np.ndarray
    emax: Any  # (n,) / (c, N) clip of the unit shock, or np.inf (size_exponent 0)
    exit_rate: Any  # scalar or (c, 1)
    x0: np.ndarray  # log of the last history year (NaN / −inf: not existing)
    alive0: np.ndarray
    entry_t: np.ndarray
    entry_p: np.ndarray
    entrant_mu: np.ndarray
    entrant_sigma: np.ndarray
    tiers: np.ndarray  # (…, k) World.open_tiers
    log_tiers: np.ndarray
    n_firms: tuple[int, ...] | None = None  # each lane's own firms (None: one world)


@dataclass(frozen=True)
class Reactions:
    """Behaviour per lane: scalars (one behaviour) or (c, 1) columns, with the masks of the
    lanes where the one-world kernel would react at all (window > 0 and the strength > 0)."""

    effort: Any
    timing: Any
    keep_log: Any  # log1p(−window): how far below the tier (in log) a firm reacts
    keep: Any  # 1 − window
    push: Any  # bool or (c, 1): lanes that push effort
    book: Any  # bool or (c, 1): lanes that book early


def reactions(behaviours: list[Behaviour]) -> Reactions:
    """Reactions of the lanes (one Behaviour: its scalars, exactly the one-world kernel's)."""
    if len(set(behaviours)) == 1:
        b = behaviours[0]
        return Reactions(
            b.effort,
            b.timing,
            np.log1p(-b.window),
            1 - b.window,
            b.window > 0 and b.effort > 0,
            b.window > 0 and b.timing > 0,
        )

    def col(values):
        return np.array(values, dtype=float)[:, None]

    return Reactions(
        col([b.effort for b in behaviours]),
        col([b.timing for b in behaviours]),
        col([np.log1p(-b.window) for b in behaviours]),  # each from its own scalar
        col([1 - b.window for b in behaviours]),
        np.array([b.window > 0 and b.effort > 0 for b in behaviours])[:, None],
        np.array([b.window > 0 and b.timing > 0 for b in behaviours])[:, None],
    )


def _emax(g, sigma: np.ndarray):
    return 0.999 / (g.size_exponent * sigma * g.sigma_cap) if g.size_exponent > 0 else np.inf


def one_world(world) -> Lanes:
    """The lanes of a chunk sharing `world` (the arrays the kernel always used)."""
    pop, g = world.pop, world.params.growth
    sigma = np.array(g.sigma)[pop.sector]
    last = pop.history[:, -1]
    with np.errstate(divide="ignore", invalid="ignore"):
        x0 = np.log(last)
    return Lanes(
        pop.sector,
        np.array(g.mu)[pop.sector],
        sigma,
        _emax(g, sigma),
        world.params.exit_rate,
        x0,
        pop.incumbent & (last > 0),
        pop.entry_t,
        pop.entry_p,
        pop.entrant_mu,
        pop.entrant_sigma,
        world.open_tiers,
        world.log_tiers,
    )


def many_worlds(worlds: list) -> Lanes:
    """The lanes of replications with worlds of their own, padded to the largest population."""
    ones = [one_world(w) for w in worlds]
    sizes = tuple(w.pop.n for w in worlds)
    c, N = len(worlds), max(sizes)
    k = max(o.tiers.shape[1] for o in ones)

    def pad(name: str, fill, dtype=None, width: int | None = None):
        first = np.asarray(getattr(ones[0], name))
        shape = (c, N) if width is None else (c, N, width)
        out = np.full(shape, fill, dtype=dtype or first.dtype)
        for i, o in enumerate(ones):
            v = np.broadcast_to(np.asarray(getattr(o, name)), (sizes[i],) + shape[2:])
            if width is None:
                out[i, : sizes[i]] = v
            else:
                out[i, : sizes[i], : v.shape[1]] = v
        return out

    emax = np.inf if all(np.isscalar(o.emax) for o in ones) else pad("emax", np.inf, float)
    return Lanes(
        pad("sector", 0),
        pad("mu", 0.0),
        pad("sigma", 0.0),
        emax,
        np.array([w.params.exit_rate for w in worlds], dtype=float)[:, None],
        pad("x0", np.nan),
        pad("alive0", False),
        pad("entry_t", -1),
        pad("entry_p", 0.0),
        pad("entrant_mu", 0.0),
        pad("entrant_sigma", 0.0),
        pad("tiers", np.inf, float, k),
        pad("log_tiers", np.inf, float, k),
        sizes,
    )


def year_major(arrays: list[np.ndarray], n_firms: tuple[int, ...] | None, fill=0.0):
    """(T, c, N) from each replication's (n_i, T) draws, each year's slice contiguous (one
    world: the plain stack the kernel always made)."""
    if n_firms is None:
        return np.stack([a.T for a in arrays], axis=1)
    T, N = arrays[0].shape[1], max(n_firms)
    out = np.full((T, len(arrays), N), fill, dtype=arrays[0].dtype)
    for i, a in enumerate(arrays):
        out[:, i, : len(a)] = a.T
    return out


def stacked(arrays: list[np.ndarray], n_firms: tuple[int, ...] | None, fill=0.0):
    """(c, N) from each replication's (n_i,) draws (one world: a plain stack)."""
    if n_firms is None:
        return np.stack(arrays)
    out = np.full((len(arrays), max(n_firms)), fill, dtype=arrays[0].dtype)
    for i, a in enumerate(arrays):
        out[i, : len(a)] = a
    return out


def year_shifts_of(shocks, lanes: Lanes):
    """(T, c, N) shift every firm of a lane shares in each year (None: no lane draws one).
    A lane without shared shocks adds zeros (x + 0.0 is x)."""
    shifts = [s.year_shift for s in shocks]
    if all(s is None for s in shifts):
        return None
    if lanes.n_firms is None:  # one world: every lane draws them or none does
        return np.stack(shifts).transpose(2, 0, 1)[:, :, lanes.sector]
    T = next(s for s in shifts if s is not None).shape[1]
    out = np.zeros((T, len(shocks), lanes.sector.shape[-1]))
    for i, s in enumerate(shifts):
        if s is not None:
            out[:, i, :] = s[lanes.sector[i]].T
    return out
