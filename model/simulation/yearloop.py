"""The year loop of batch._block compiled with Numba: one pass over (lane, firm) with the years
inside, writing `true` and `reported` in place, with none of the NumPy path's per-year
temporaries. batch._years uses it when numba imports and FUNDALLOC_NUMBA is not "0"; the NumPy
`_block` stays the fallback, and `kernel()` says which one this process uses (decided once; the
manifest of `simulate` / `stress` records it).

Same numbers bit for bit as the NumPy path (tests/test_simulation_yearloop.py): every cell
does the same IEEE operations in the same order — (level + μ) + step, then + the shared shift;
σ·min(exp(−β·(level − log ref)), cap); next_tier as the first open tier at or above the value —
with no fastmath (so no FMA contraction, no reassociation) and no reductions. exp and log are
libm's in both paths on this machine (x86-64 with AVX2: NumPy's float64 exp/log loops call libm;
Numba's exp lowers to the same libm call, and Numba uses SVML only when the icc_rt package is
installed, which it is not here). On an AVX-512 machine NumPy evaluates float64 exp/log with its
own SIMD code, which may differ from libm in the last bit: the equality is tested, not assumed,
and FUNDALLOC_NUMBA=0 gives the NumPy path's numbers anywhere.

The compiled function is cached on disk (`cache=True`, next to this file in __pycache__, or
under NUMBA_CACHE_DIR / the user's cache when the install folder is read-only), so a worker
process loads the machine code instead of compiling it.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
from functools import cache

import numpy as np

from fundalloc.core.i18n import tr
from fundalloc.simulation.kernel import BOOK_OVER


@cache
def kernel() -> str:
    """ "numba" or "numpy": the year loop this process uses, decided once. NumPy when
    FUNDALLOC_NUMBA=0 or numba is not installed (found without importing it: the manifest asks
    in a process that may never simulate; an install that is found but fails to import falls
    back to NumPy too, see years_of)."""
    if os.environ.get("FUNDALLOC_NUMBA", "1").strip() == "0":
        return "numpy"
    return "numba" if importlib.util.find_spec("numba") is not None else "numpy"


@cache
def _compiled():
    """The compiled loop, or None when numba does not import. Importing numba takes ~0.3 s and
    is paid by the processes that simulate only; the machine code comes from the on-disk cache
    (compiled once per install, ~3 s)."""
    try:
        import numba
    except ImportError:
        return None
    for helper in (_first_at_or_above, _minimum, _maximum):  # callable from compiled code
        numba.extending.register_jitable(helper)
    try:
        return numba.njit(cache=True, nogil=True)(year_loop)
    except RuntimeError:  # no writable cache: neither next to this file, nor NUMBA_CACHE_DIR,
        # nor the user's cache folder (numba raises "no locator available")
        logging.getLogger("fundalloc.simulation").warning(tr("yearloop.no_cache"))
        return numba.njit(cache=False, nogil=True)(year_loop)


def warm() -> None:
    """Load the compiled loop into this process now (numba import, its registries, the cached
    machine code: ~0.9 s), so that worker processes forked after it inherit it instead of each
    paying it again — a `simulate` opens a pool per pass. Nothing when the loop is NumPy's."""
    if kernel() != "numba" or (loop := _compiled()) is None:
        return
    c, n, T, k = 1, 1, 1, 1  # one cell: the signature years_of calls, nothing to compute
    f, b, i = np.float64, np.bool_, np.int64
    loop(
        *(np.zeros((c, n), t) for t in (f, b, f, i)),
        np.zeros((c, n, k)),
        np.zeros((c, n, k)),
        np.zeros((T, c, n)),
        np.zeros((T, c, n), b),
        np.zeros((T, c, n)),
        False,
        np.zeros((c, n), b),
        np.zeros((c, n)),
        np.zeros(T, b),
        *(np.zeros(c) for _ in range(4)),
        np.zeros(c, b),
        np.zeros(c, b),
        False,
        False,
        0.0,
        0.0,
        1.0,
        np.zeros((c, n, T)),
        np.zeros((c, n, T)),
    )


def _first_at_or_above(v, tiers, lane, j):
    """kernel.next_tier for one cell: the first of tiers[lane, j, :] at or above v (the nested
    selections of next_tier end on the lowest such index), else +inf; NaN: +inf."""
    for k in range(tiers.shape[2]):
        if v <= tiers[lane, j, k]:
            return tiers[lane, j, k]
    return np.inf


def _minimum(a, b):
    """np.minimum's rule for one pair: a NaN first argument is the result."""
    return a if (a <= b or a != a) else b


def _maximum(a, b):
    return a if (a >= b or a != a) else b


def year_loop(
    x0,  # (L, N) log revenue of the last history year; L = 1 (one world) or c (lanes)
    alive0,  # (L, N)
    mu,  # (L, N)
    entry_t,  # (L, N)
    tiers,  # (L, N, k) World.open_tiers
    log_tiers,  # (L, N, k)
    noise,  # (T, c, N)
    leaves,  # (T, c, N)
    shared,  # (T, c, N); read only when has_shared
    has_shared,
    enter,  # (c, N)
    entrant_x,  # (c, N)
    react,  # (T,) award years
    effort,  # (c,) per lane
    keep_log,
    keep,
    timing,
    push,  # (c,) lanes that push effort
    book,  # (c,) lanes that book early
    push_any,
    book_any,
    beta,  # size_exponent
    log_ref,
    sigma_cap,
    true,  # (c, N, T) written
    reported,  # (c, N, T) written
):
    c, N = enter.shape
    T = noise.shape[0]
    one = x0.shape[0] != c  # the per-firm inputs are one world's, row 0 for every lane
    # Each cell's state between years. Years outside, cells inside: consecutive iterations are
    # independent cells, so the CPU overlaps their exp calls (1.4× faster than years inside).
    xs = np.empty((c, N))
    alives = np.empty((c, N), np.bool_)
    shifts = np.zeros((c, N))
    for i in range(c):
        for j in range(N):
            xs[i, j] = x0[0 if one else i, j]
            alives[i, j] = alive0[0 if one else i, j]
    has_shift = False  # batch._block's `shift is not None`: a function of the year alone
    for t in range(T):
        yearly = react[t]
        for i in range(c):
            w = 0 if one else i
            pushes = yearly and push_any and push[i]
            books = yearly and book_any
            for j in range(N):
                x = xs[i, j]
                alive = alives[i, j] and not leaves[t, i, j]
                if alive:  # a cell not alive reports NaN whatever its x: x is not advanced
                    level = x
                    if pushes:
                        lt = _first_at_or_above(x, log_tiers, w, j)
                        if math.isfinite(lt) and x >= lt + keep_log[i]:
                            level = _minimum(x + effort[i], lt)
                    step = noise[t, i, j]
                    if beta > 0:
                        step = step * _minimum(np.exp(-beta * (level - log_ref)), sigma_cap)
                    x = level + mu[w, j] + step
                    if has_shared:
                        x = x + shared[t, i, j]
                new = enter[i, j] and entry_t[w, j] == t
                if new:
                    x = entrant_x[i, j]
                    alive = True
                xs[i, j] = x
                alives[i, j] = alive
                rev = np.exp(x) if alive else np.nan
                true[i, j, t] = rev
                if books:
                    base = _maximum(rev - shifts[i, j], 0.0) if has_shift else rev
                    shift = 0.0  # entrants book from their second year, lanes not booking never
                    if alive and not new and book[i]:
                        nt = _first_at_or_above(base, tiers, w, j)
                        need = nt * BOOK_OVER - base
                        if math.isfinite(nt) and base >= nt * keep[i] and need <= timing[i] * base:
                            shift = need
                    shifts[i, j] = shift
                    reported[i, j, t] = base + shift
                elif has_shift:  # last year's early booking comes off
                    reported[i, j, t] = _maximum(rev - shifts[i, j], 0.0)
                    shifts[i, j] = 0.0
                else:
                    reported[i, j, t] = rev
        if yearly and book_any:
            has_shift = True
        elif has_shift:
            has_shift = False


def _per_lane(v, dtype, c: int):
    """A reaction, a scalar or a (c, 1) column, as a (c,) array of the same values."""
    return np.broadcast_to(np.asarray(v, dtype=dtype).reshape(-1), (c,)).copy()


def _chunk(a, dtype):
    """A chunk's draws, (T, c, N) or (c, N), C-ordered and writable (one signature)."""
    return np.require(a, dtype, ["C", "W"])


def years_of(world, lanes, d, r):
    """batch._years through the compiled loop: (true, reported) revenue, (c, n, T); None when
    numba does not import after all (batch then runs the NumPy loop)."""
    loop = _compiled()
    if loop is None:
        return None
    p, g = world.params, world.params.growth
    c, n = d.enter.shape
    T = len(p.years)
    one = lanes.n_firms is None  # one world: per-firm arrays (n,), tiers (n, k)
    L = 1 if one else c

    def firm(a, dtype):  # writable too: a read-only array (a worker's shared World) would
        # be a second signature of the loop, compiled and cached a second time
        a = np.asarray(a, dtype=dtype)
        return np.require(a.reshape((L, n) + a.shape[(1 if one else 2) :]), None, ["C", "W"])

    true = np.empty((c, n, T))
    reported = np.empty((c, n, T))
    loop(
        firm(lanes.x0, np.float64),
        firm(lanes.alive0, np.bool_),
        firm(lanes.mu, np.float64),
        firm(lanes.entry_t, np.int64),
        firm(lanes.tiers, np.float64),
        firm(lanes.log_tiers, np.float64),
        _chunk(d.noise, np.float64),
        _chunk(d.leaves, np.bool_),
        np.zeros((1, 1, 1)) if d.shared is None else _chunk(d.shared, np.float64),
        d.shared is not None,
        _chunk(d.enter, np.bool_),
        _chunk(d.entrant_x, np.float64),
        np.array([y in p.award_years for y in p.years], dtype=np.bool_),
        _per_lane(r.effort, np.float64, c),
        _per_lane(r.keep_log, np.float64, c),
        _per_lane(r.keep, np.float64, c),
        _per_lane(r.timing, np.float64, c),
        _per_lane(r.push, np.bool_, c),
        _per_lane(r.book, np.bool_, c),
        bool(np.any(r.push)),
        bool(np.any(r.book)),
        float(g.size_exponent),
        float(np.log(g.size_ref_wan)),
        float(g.sigma_cap),
        true,
        reported,
    )
    return true, reported
