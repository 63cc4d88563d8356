"""A chunk's per-replication figures from its Settled awards (chunk_awards.py), keyed by
replication instead of a Python loop per replication.

Every figure must be the float the one-replication-at-a-time sums gave. A bincount adds each
bin's values in index order, one after another; the rows of a replication come in its own
first-come order, so a bin keyed by (replication, pay year, …) adds the same numbers in the same
order as a bin keyed by (pay year, …) on that replication alone. np.sum adds pairwise, and no
reduction over segments (reduceat, a padded axis) groups the terms the same way, so the few
scalar totals per replication stay sums over each replication's own contiguous rows.
"""

from __future__ import annotations

import numpy as np

from fundalloc.rules.jiaxing import AWARDS, PAYERS
from fundalloc.simulation.chunk_awards import PLATFORM, Settled, from_lanes
from fundalloc.simulation.kernel import World


def by_year_award(rep, pay_year, award, years: np.ndarray, values, c: int) -> np.ndarray:
    """(c, P, A) sums by replication, pay year and award type (pay years outside the horizon
    are dropped)."""
    return _by_cell(rep, pay_year, award, len(AWARDS), years, values, c)


def by_year_payer(rep, pay_year, payer, years: np.ndarray, values, c: int) -> np.ndarray:
    """(c, P, len(PAYERS)) sums by replication, pay year and payer."""
    return _by_cell(rep, pay_year, payer, len(PAYERS), years, values, c)


def _by_cell(rep, pay_year, code, width: int, years: np.ndarray, values, c: int) -> np.ndarray:
    P = len(years)
    slot = pay_year - years[0]
    ok = (slot >= 0) & (slot < P)
    cell = (rep[ok] * P + slot[ok]) * width + code[ok]
    flat = np.bincount(cell, weights=values[ok], minlength=c * P * width)
    return flat.reshape(c, P, width)


def per_lane_sums(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """(c,) np.sum of each replication's contiguous rows (the pairwise sum it had alone)."""
    return np.array([float(values[a:b].sum()) for a, b in zip(bounds[:-1], bounds[1:])])


def pick(sources: list[Settled], which: list[int]) -> Settled:
    """Replication i from sources[which[i]]."""
    if all(w == which[0] for w in which):
        return sources[which[0]]
    return from_lanes([sources[w].lane(i) for i, w in enumerate(which)])


def matched(on: Settled, off: Settled) -> np.ndarray:
    """(c,) Σ over (firm, award) of min(earned with, earned without behaviour): the part of each
    replication's awards its firms would have earned anyway."""
    width = len(AWARDS)
    span = int(max(np.max(on.earned.firm, initial=0), np.max(off.earned.firm, initial=0))) + 1
    k_on = (on.e_rep * span + on.earned.firm) * width + on.earned.award
    k_off = (off.e_rep * span + off.earned.firm) * width + off.earned.award
    keys, inv = np.unique(np.concatenate([k_on, k_off]), return_inverse=True)
    inv = inv.ravel()
    a = np.bincount(inv[: len(k_on)], weights=on.earned.amount_wan, minlength=len(keys))
    b = np.bincount(inv[len(k_on) :], weights=off.earned.amount_wan, minlength=len(keys))
    rep_of_key = keys // (span * width)  # keys ascending: replication by replication
    return per_lane_sums(np.minimum(a, b), np.searchsorted(rep_of_key, np.arange(on.c + 1)))


def missing(worlds: list[World], s: Settled, fresh, years: np.ndarray) -> np.ndarray:
    """(c, P) claims of the firms with no revenue before the first award year, by pay year."""
    c, e = s.c, s.earned
    flags = [w.pop.missing_history for w in worlds]
    if all(f is None or not f.any() for f in flags):
        return np.zeros((c, len(years)))
    n = max(w.pop.n for w in worlds)
    table = np.zeros((c, n), bool)  # (replication, firm) without history
    for i, f in enumerate(flags):
        if f is not None and f.any():
            table[i, : len(f)] = f
    firm_rows = e.award != PLATFORM  # platform rows index platforms, not firms
    mine = firm_rows & table[s.e_rep, np.where(firm_rows, e.firm, 0)]
    sums = by_year_award(
        s.e_rep[mine], fresh[0][mine], fresh[1][mine], years, e.amount_wan[mine], c
    )
    return sums.sum(axis=-1)


def by_year_true(worlds: list[World], true: np.ndarray) -> np.ndarray:
    """(c, T) true revenue summed over each replication's firms (NaN: not existing). One
    reduction over the firm axis gives each replication its own sum when no lane is padded;
    padded lanes are summed on their own rows (a longer axis would group the terms otherwise).
    Compiled when the year loop is (yearloop.sum_over_firms: the same floats, without the
    NaN-free copy np.nansum makes)."""
    from fundalloc.simulation.yearloop import sum_over_firms

    sizes = np.array([w.pop.n for w in worlds])
    compiled = sum_over_firms(true, sizes)
    if compiled is not None:
        return compiled
    if all(w.pop.n == true.shape[1] for w in worlds):
        return np.nansum(true, axis=1)
    return np.stack([np.nansum(true[i, : w.pop.n], axis=0) for i, w in enumerate(worlds)])
