"""The year loop of batch._block compiled with Numba: each year one pass over (lane, firm)
cells per stage, writing `true` and `reported` in place, with none of the NumPy path's per-year
temporaries. batch._years uses it when numba imports and FUNDALLOC_NUMBA is not "0"; the NumPy
`_block` stays the fallback, and `kernel()` says which one this process uses (decided once; the
manifest of `simulate` / `stress` records it).

Same numbers bit for bit as the NumPy path (tests/test_simulation_yearloop.py): every cell
does the same IEEE operations in the same order — (level + μ) + step, then + the shared shift;
σ·min(exp(−β·(level − log ref)), cap); next_tier as the first open tier at or above the value —
with no fastmath (so no FMA contraction, no reassociation) and no reductions. The two exps of a
year are NumPy's, called between the compiled stages (`_run`): on AVX-512 machines NumPy
evaluates float64 exp with its own SIMD code, which differs from libm (what compiled code calls)
in the last bit, so a loop calling libm gave other numbers there than the NumPy path.

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


STAGES = ("levels", "advance", "report")  # compiled, in the order of a year
COMPILED = (*STAGES, "firm_sums")  # … and the sums of true revenue over firms (chunk_sums)


@cache
def _compiled():
    """The compiled stages {name: function}, or None when numba does not import. Importing
    numba takes ~0.3 s and is paid by the processes that simulate only; the machine code comes
    from the on-disk cache (compiled once per install, ~3 s)."""
    try:
        import numba
    except ImportError:
        return None
    for helper in (_first_at_or_above, _minimum, _maximum):  # callable from compiled code
        numba.extending.register_jitable(helper)
    stages = {"levels": levels, "advance": advance, "report": report, "firm_sums": firm_sums}
    try:
        return {k: numba.njit(cache=True, nogil=True)(f) for k, f in stages.items()}
    except RuntimeError:  # no writable cache: neither next to this file, nor NUMBA_CACHE_DIR,
        # nor the user's cache folder (numba raises "no locator available")
        logging.getLogger("fundalloc.simulation").warning(tr("yearloop.no_cache"))
        return {k: numba.njit(cache=False, nogil=True)(f) for k, f in stages.items()}


def warm() -> None:
    """Load the compiled stages into this process now (numba import, its registries, the
    cached machine code: ~0.9 s), so that worker processes forked after it inherit them
    instead of each paying it again — a `simulate` opens a pool per pass. Nothing when the loop
    is NumPy's. One cell of the types years_of passes: the signatures it calls."""
    if kernel() != "numba" or _compiled() is None:
        return
    c, n, T, k = 1, 1, 1, 1
    f, b, i = np.float64, np.bool_, np.int64
    lane = np.zeros((c, n), f)
    _run(
        (lane, np.zeros((c, n), b), lane, np.zeros((c, n), i)),
        (np.zeros((c, n, k)), np.zeros((c, n, k))),
        (np.zeros((T, c, n)), np.zeros((T, c, n), b), np.zeros((T, c, n)), False),
        (np.zeros((c, n), b), np.zeros((c, n))),
        np.zeros(T, b),
        (*(np.zeros(c) for _ in range(4)), np.zeros(c, b), np.zeros(c, b)),
        (0.0, 0.0, 1.0),
        np.zeros((c, n, T)),
        np.zeros((c, n, T)),
    )
    sum_over_firms(np.zeros((c, n, T)), np.ones(c, i))


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


# A year in three compiled stages over (lane, firm) cells, with NumPy's exp between them:
#   levels  — who is alive this year, and the log revenue effort lifts a firm to (`level`);
#   NumPy   — the spread by size, min(exp(−β·(level − log ref)), cap);
#   advance — level + μ + step (+ the shared shift), entrants in;
#   NumPy   — revenue exp(x);
#   report  — true and reported revenue, early booking.
# Consecutive cells are independent, so each stage is a flat loop the CPU overlaps.


def levels(t, xs, alives, leaves, log_tiers, pushes, push, effort, keep_log, out):
    """alives &= not leaving in year t; out = the level each cell grows from (x, or x lifted
    by effort towards the next tier in lanes that push)."""
    c, N = xs.shape
    one = log_tiers.shape[0] != c  # the per-firm inputs are one world's, row 0 for every lane
    for i in range(c):
        w = 0 if one else i
        lifts = pushes and push[i]
        for j in range(N):
            x = xs[i, j]
            alive = alives[i, j] and not leaves[t, i, j]
            alives[i, j] = alive
            level = x
            if alive and lifts:
                lt = _first_at_or_above(x, log_tiers, w, j)
                if math.isfinite(lt) and x >= lt + keep_log[i]:
                    level = _minimum(x + effort[i], lt)
            out[i, j] = level


def advance(
    t,
    xs,
    alives,
    level,
    spread,
    has_spread,
    noise,
    mu,
    shared,
    has_shared,
    enter,
    entry_t,
    entrant_x,
    news,
):
    """xs = level + μ + noise·spread (+ shared) where alive (a cell not alive reports NaN
    whatever its x: x is not advanced); entrants of year t take their first size."""
    c, N = xs.shape
    one = mu.shape[0] != c
    for i in range(c):
        w = 0 if one else i
        for j in range(N):
            alive = alives[i, j]
            x = xs[i, j]
            if alive:
                step = noise[t, i, j]
                if has_spread:
                    step = step * spread[i, j]
                x = level[i, j] + mu[w, j] + step
                if has_shared:
                    x = x + shared[t, i, j]
            new = enter[i, j] and entry_t[w, j] == t
            if new:
                x = entrant_x[i, j]
                alive = True
            xs[i, j] = x
            alives[i, j] = alive
            news[i, j] = new


def report(
    t, rev, alives, news, shifts, has_shift, books, book, tiers, keep, timing, true, reported
):
    """true = revenue (NaN where not alive); reported = true, or with revenue booked early to
    cross a tier in award years (BOOK_OVER), taken off again the year after."""
    c, N = rev.shape
    one = tiers.shape[0] != c
    for i in range(c):
        w = 0 if one else i
        for j in range(N):
            alive = alives[i, j]
            r = rev[i, j] if alive else np.nan
            true[i, j, t] = r
            if books:
                base = _maximum(r - shifts[i, j], 0.0) if has_shift else r
                shift = 0.0  # entrants book from their second year, lanes not booking never
                if alive and not news[i, j] and book[i]:
                    nt = _first_at_or_above(base, tiers, w, j)
                    need = nt * BOOK_OVER - base
                    if math.isfinite(nt) and base >= nt * keep[i] and need <= timing[i] * base:
                        shift = need
                shifts[i, j] = shift
                reported[i, j, t] = base + shift
            elif has_shift:  # last year's early booking comes off
                reported[i, j, t] = _maximum(r - shifts[i, j], 0.0)
                shifts[i, j] = 0.0
            else:
                reported[i, j, t] = r


def firm_sums(true, sizes, out):
    """out[i, t] = the sum of true[i, :sizes[i], t] without NaN, each lane's firms added one
    after another in order: what np.nansum over the firm axis (not the array's last) does, so
    the same floats (tests/test_simulation_yearloop.py); one read, no NaN-free copy."""
    c, N, T = true.shape
    for i in range(c):
        for t in range(T):
            out[i, t] = 0.0
        for j in range(sizes[i]):
            for t in range(T):
                v = true[i, j, t]
                if v == v:
                    out[i, t] += v


def sum_over_firms(true: np.ndarray, sizes: np.ndarray) -> np.ndarray | None:
    """(c, T) firm_sums through the compiled function; None when the loop is NumPy's."""
    if kernel() != "numba" or (stage := _compiled()) is None:
        return None
    out = np.empty((true.shape[0], true.shape[2]))
    stage["firm_sums"](np.require(true, np.float64, ["C"]), sizes.astype(np.int64), out)
    return out


def _run(firms, tiers, draws, entrants, react, reacts, growth, true, reported):
    """The years, each through the three stages. exp is NumPy's, as in batch._block: NumPy
    evaluates float64 exp with its own SIMD code on AVX-512 machines and with libm elsewhere,
    and the compiled code would call libm, so the two paths would differ in the last bit on
    some machines; with NumPy's exp in both they agree everywhere (tested on each machine the
    suite runs on)."""
    stage = _compiled()
    x0, alive0, mu, entry_t = firms
    tiers, log_tiers = tiers
    noise, leaves, shared, has_shared = draws
    enter, entrant_x = entrants
    effort, keep_log, keep, timing, push, book = reacts
    beta, log_ref, sigma_cap = growth
    c, N = enter.shape
    xs = np.array(np.broadcast_to(x0, (c, N)), np.float64)  # one copy per lane, writable
    alives = np.broadcast_to(alive0, (c, N)).copy()
    shifts = np.zeros((c, N))
    level = np.empty((c, N))
    spread = np.empty((c, N)) if beta > 0 else np.empty((1, 1))
    news = np.empty((c, N), np.bool_)
    rev = np.empty((c, N))  # each year's revenue, written in place
    push_any, book_any = bool(np.any(push)), bool(np.any(book))
    has_shift = False  # batch._block's `shift is not None`: a function of the year alone
    for t in range(noise.shape[0]):
        yearly = bool(react[t])
        stage["levels"](
            t, xs, alives, leaves, log_tiers, yearly and push_any, push, effort, keep_log, level
        )
        if beta > 0:
            with np.errstate(over="ignore", invalid="ignore"):
                np.minimum(np.exp(-beta * (level - log_ref)), sigma_cap, out=spread)
        stage["advance"](
            t,
            xs,
            alives,
            level,
            spread,
            beta > 0,
            noise,
            mu,
            shared,
            has_shared,
            enter,
            entry_t,
            entrant_x,
            news,
        )
        with np.errstate(over="ignore", invalid="ignore"):
            np.exp(xs, out=rev)
        stage["report"](
            t,
            rev,
            alives,
            news,
            shifts,
            has_shift,
            yearly and book_any,
            book,
            tiers,
            keep,
            timing,
            true,
            reported,
        )
        has_shift = yearly and book_any


def _per_lane(v, dtype, c: int):
    """A reaction, a scalar or a (c, 1) column, as a (c,) array of the same values."""
    return np.broadcast_to(np.asarray(v, dtype=dtype).reshape(-1), (c,)).copy()


def _chunk(a, dtype):
    """A chunk's draws, (T, c, N) or (c, N), C-ordered and writable (one signature)."""
    return np.require(a, dtype, ["C", "W"])


def years_of(world, lanes, d, r):
    """batch._years through the compiled loop: (true, reported) revenue, (c, n, T); None when
    numba does not import after all (batch then runs the NumPy loop)."""
    if _compiled() is None:
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
    _run(
        (
            firm(lanes.x0, np.float64),
            firm(lanes.alive0, np.bool_),
            firm(lanes.mu, np.float64),
            firm(lanes.entry_t, np.int64),
        ),
        (firm(lanes.tiers, np.float64), firm(lanes.log_tiers, np.float64)),
        (
            _chunk(d.noise, np.float64),
            _chunk(d.leaves, np.bool_),
            np.zeros((1, 1, 1)) if d.shared is None else _chunk(d.shared, np.float64),
            d.shared is not None,
        ),
        (_chunk(d.enter, np.bool_), _chunk(d.entrant_x, np.float64)),
        np.array([y in p.award_years for y in p.years], dtype=np.bool_),
        (
            _per_lane(r.effort, np.float64, c),
            _per_lane(r.keep_log, np.float64, c),
            _per_lane(r.keep, np.float64, c),
            _per_lane(r.timing, np.float64, c),
            _per_lane(r.push, np.bool_, c),
            _per_lane(r.book, np.bool_, c),
        ),
        (float(g.size_exponent), float(np.log(g.size_ref_wan)), float(g.sigma_cap)),
        true,
        reported,
    )
    return true, reported
