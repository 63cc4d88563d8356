"""The award columns of the selection model: what award_i (万) is made of, in rows both builds
read (rows.py).

Proportional mode (README): n_i ∈ {0 … ⌊cap / step⌋} integer, award_i = step · n_i.

Fixed amounts (by_stars, by_score_band, equal with equal_wan; sizing.py): award_i = a_i · x_i,
no columns of their own.

Equal mode choosing its amount: one level L ∈ [lo, hi] integer and n_i = L · x_i exactly
(n_i ≤ hi · x_i, n_i ≤ L, n_i ≥ L − hi · (1 − x_i)), award_i = step · n_i.

Tier mode: awards from a tier list t_0 < t_1 < …, monotone in the factor index f (a designated
applicant with a larger f never gets a smaller tier). v_{i,t} ∈ {0,1} is applicant i's
"level ≥ tier t" whether designated or not, u_{i,t} = v_{i,t} · x_i (exact, both binary), and
award_i = t_0 · x_i + Σ_{t≥1} (t_t − t_{t−1}) · u_{i,t}. Chaining v along the f-order makes
monotonicity O(n·T) rows instead of pairwise O(n²).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fundalloc.selection.instance import Instance
from fundalloc.selection.rows import INF, Columns, Rows, Terms, bounds, each, one_each
from fundalloc.selection.sizing import fixed_amounts


def level_range(p) -> tuple[int, int]:
    """(lo, hi): the fewest and most whole steps an award between floor and cap can be."""
    lo = math.ceil(p.floor_wan / p.step_wan - 1e-9)
    hi = math.floor(p.cap_wan / p.step_wan + 1e-9)
    return lo, hi


def in_steps(p) -> bool:
    """Whether awards are whole steps n_i of the MIP (proportional, or equal choosing L)."""
    return p.award_mode == "proportional" or (p.award_mode == "equal" and p.equal_wan is None)


def cheapest_awards_wan(inst: Instance, k: int, x=None) -> float:
    """Least money k designated applicants (batch x, if given) can receive under floor, step,
    tiers or the fixed amounts."""
    p = inst.params
    fixed = fixed_amounts(inst)
    if fixed is not None:
        if x is not None:
            return float(fixed[np.asarray(x, bool)].sum())
        return float(np.sort(fixed)[:k].sum()) if k <= len(fixed) else math.inf
    if p.award_mode == "tiers":
        usable = [t for t in p.tiers_wan if p.floor_wan - 1e-9 <= t <= p.cap_wan + 1e-9]
        low = min(usable) if usable else math.inf
    else:
        low = math.ceil(p.floor_wan / p.step_wan - 1e-9) * p.step_wan
        if low > p.cap_wan + 1e-9:
            low = math.inf
    return k * low


def tiers_of(p) -> list[float]:
    return sorted(set(float(t) for t in p.tiers_wan))


@dataclass
class AwardColumns:
    columns: list[Columns]
    rows: list[Rows]  # rows tying the award columns together (tiers only)
    award: list[Terms]  # award_i as terms over the columns: row i is applicant i


def award_columns(inst: Instance) -> AwardColumns:
    p, n = inst.params, len(inst.ids)
    fixed = fixed_amounts(inst)
    if fixed is not None:
        return AwardColumns([], [], [each("x", n, np.nan_to_num(fixed))])
    if in_steps(p):
        lo, hi = level_range(p)
        columns = [Columns("n", list(range(n)), 0.0, float(max(hi, 0)), True)]
        rows: list[Rows] = []
        if p.award_mode == "equal":
            columns.append(Columns("level", None, float(lo), float(max(hi, lo)), True))
            r = np.arange(n)
            rows = [
                Rows(
                    "equal_le_level",
                    list(range(n)),
                    [each("n", n), one_each("level", n, coef=-1.0)],
                    *bounds(n, -INF, 0.0),
                ),
                Rows(  # L − n_i + hi · x_i ≤ hi
                    "equal_ge_level",
                    list(range(n)),
                    [one_each("level", n), Terms("n", r, r, -np.ones(n)), each("x", n, hi)],
                    *bounds(n, -INF, float(hi)),
                ),
            ]
        return AwardColumns(columns, rows, [each("n", n, p.step_wan)])
    return _tier_columns(inst)


def _tier_columns(inst: Instance) -> AwardColumns:
    tiers = tiers_of(inst.params)
    n, T = len(inst.ids), list(range(1, len(tiers)))
    keys = [(i, t) for i in range(n) for t in T]
    pos = {k: j for j, k in enumerate(keys)}  # column of (i, t) within v and u
    columns = [Columns("v", keys, 0.0, 1.0, True), Columns("u", keys, 0.0, 1.0, True)]
    award = [each("x", n, tiers[0])]
    if T:
        award.append(
            Terms(
                "u",
                np.repeat(np.arange(n), len(T)),
                np.arange(len(keys)),
                np.tile([tiers[t] - tiers[t - 1] for t in T], n),
            )
        )

    def pairs(name, key_list, first, second, equal=()):
        """first − second ≤ 0 (or = 0 for keys in `equal`), one row per key."""
        m = len(key_list)
        r = np.arange(m)
        lo, up = bounds(m, -INF, 0.0)
        for k in equal:
            lo[k] = 0.0
        return Rows(
            name,
            key_list,
            [
                Terms(first[0], r, np.asarray(first[1], int), np.ones(m)),
                Terms(second[0], r, np.asarray(second[1], int), -np.ones(m)),
            ],
            lo,
            up,
        )

    nested = [(i, t) for i in range(n) for t in T[1:]]
    order = sorted(range(n), key=lambda i: inst.f[i])
    chain = list(zip(order[:-1], order[1:], strict=True))
    mono = [(k, t) for k in range(len(chain)) for t in T]
    ties = [
        j
        for j, (k, _) in enumerate(mono)
        if math.isclose(inst.f[chain[k][0]], inst.f[chain[k][1]], rel_tol=1e-12)
    ]
    v_all = [pos[k] for k in keys]
    rows = [
        pairs(
            "tier_nested",
            nested,
            ("v", [pos[i, t] for i, t in nested]),
            ("v", [pos[i, t - 1] for i, t in nested]),
        ),
        pairs(
            "tier_monotone",
            mono,
            ("v", [pos[chain[k][0], t] for k, t in mono]),
            ("v", [pos[chain[k][1], t] for k, t in mono]),
            equal=ties,
        ),
        pairs("u_le_v", keys, ("u", v_all), ("v", v_all)),
        pairs("u_le_x", keys, ("u", v_all), ("x", [i for i, _ in keys])),
    ]
    m = len(keys)
    r = np.arange(m)
    lo, up = bounds(m, -INF, 1.0)  # u ≥ v + x − 1, i.e. v + x − u ≤ 1
    rows.append(
        Rows(
            "u_ge",
            keys,
            [
                Terms("v", r, np.asarray(v_all, int), np.ones(m)),
                Terms("x", r, np.array([i for i, _ in keys], int), np.ones(m)),
                Terms("u", r, np.asarray(v_all, int), -np.ones(m)),
            ],
            lo,
            up,
        )
    )
    return AwardColumns(columns, rows, award)
