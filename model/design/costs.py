"""What each award line costs per 万, for all replications of a chunk at once.

The firms of a chunk's replications are stacked into one table for the rules engine
(simulation/stacking.py, shared with the Monte Carlo) and the engine run once per amount tried,
instead of once per replication: the per-call cost is paid once a chunk. Each replication's
rows keep their relative order in the engine's first-come order, so every sum by replication
adds the same numbers in the same order as one call per replication would (tests/test_design.py
checks the claims against the Monte Carlo's, exactly).

Cost per 万 by finite difference: the engine at the current amounts and with one increment
raised by DELTA 万 ("every tier from k up", "every recognition level from rank k up", the
growth award); the platform subsidy, not linear in its cap, tabulated at every cap of the grid.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from fundalloc.design.lines import LEVEL_RANKS, Line
from fundalloc.rules.jiaxing import GROWTH, KINDS, LEVELS, SECTORS, SERVICE_MFG_DEMO, earned_awards
from fundalloc.rules.jiaxing.codes import CITY
from fundalloc.rules.jiaxing.platform import platform_rows
from fundalloc.simulation.kernel import World
from fundalloc.simulation.stacking import Block, Inputs, block
from fundalloc.simulation.stacking import stack as stack  # design/scenarios.py joins with it

DELTA = 1.0  # 万: the claims are linear, so any step gives the same slope


def inputs(world: World, paths, i: int) -> Block:
    """Replication i of `paths` as one Block (stacking.block; stack() joins them)."""
    return block(world, paths.reported[i], paths.recognitions[i], paths.platforms[i])


def _claims(world: World, policy, x: Inputs, years, payer, nq):
    """(c, Y, Q, S) tier+growth claims by firm sector, (c, Y, Q, K) recognitions by kind, from
    the rules engine at `policy` (platforms apart: platform_table); `payer` maps the engine's
    payer codes to budget rows (payers(): −1 for a payer without a budget of its own)."""
    earned = earned_awards(
        x.revenue,
        world.all_years,
        x.sector,
        policy,
        world.interp,
        recognitions=x.recs,
        payer=x.payer,
    )
    slot = earned.revenue_year + world.interp.pay_lag_years - years[0]
    q = payer[earned.payers()]
    ok = (slot >= 0) & (slot < len(years)) & (q >= 0)
    slot, award, amt, q = slot[ok], earned.award[ok], earned.amount_wan[ok], q[ok]
    firm = earned.firm[ok]
    cell = (x.rep[firm] * len(years) + slot) * nq + q  # (replication, pay year, budget row)
    c, Y, S, K = x.c, len(years), len(SECTORS), len(KINDS)
    tg = award <= GROWTH  # revenue_tier and growth
    by_sector = np.bincount(
        cell[tg] * S + x.sector[firm[tg]], weights=amt[tg], minlength=c * Y * nq * S
    ).reshape(c, Y, nq, S)
    kind = award[~tg] - SERVICE_MFG_DEMO
    by_kind = np.bincount(cell[~tg] * K + kind, weights=amt[~tg], minlength=c * Y * nq * K).reshape(
        c, Y, nq, K
    )
    return by_sector, by_kind


def _raised(policy, m: int, growth: bool):
    """Increment m: every tier from m up and every recognition level from rank m up, +DELTA
    (or, with `growth`, the growth award +DELTA)."""
    if growth:
        return dataclasses.replace(policy, growth_amount_wan=policy.growth_amount_wan + DELTA)
    tiers = policy.tier_amounts.copy()
    tiers[:, m:] += DELTA
    rec = policy.recognition_amounts.copy()
    for r in range(m, len(LEVEL_RANKS)):
        rec[:, LEVELS.index(LEVEL_RANKS[r])] += DELTA
    return dataclasses.replace(policy, tier_amounts=tiers, recognition_amounts=rec)


@functools.lru_cache(maxsize=64)
def _variant(policy, m: int, growth: bool):
    """_raised, made once per policy (a Policy hashes by identity) rather than per run."""
    return _raised(policy, m, growth)


@functools.lru_cache(maxsize=256)
def _capped(policy, cap: float):
    return dataclasses.replace(policy, platform_cap_wan=cap)


def line_costs(world, lines: list[Line], grid, x: Inputs, years, payer, nq):
    """(c, Y, Q, L) cost per 万, (c, Y, Q, V) platform table, (c, Y, Q) claims now."""
    pol = world.policy
    M = max(pol.tier_amounts.shape[1], len(LEVEL_RANKS))
    base_s, base_k = _claims(world, pol, x, years, payer, nq)
    inc_s, inc_k = [], []
    for m in range(M):
        s, k = _claims(world, _variant(pol, m, False), x, years, payer, nq)
        inc_s.append((s - base_s) / DELTA)
        inc_k.append((k - base_k) / DELTA)
    gs, gk = _claims(world, _variant(pol, 0, True), x, years, payer, nq)
    growth = ((gs - base_s).sum(-1) + (gk - base_k).sum(-1)) / DELTA
    zero = np.zeros_like(inc_s[0])
    cost = np.zeros((x.c, len(years), nq, len(lines)))
    for j, line in enumerate(lines):
        if line.award == "revenue_tier":
            s, k = SECTORS.index(line.group), line.rank
            up = inc_s[k + 1] if k + 1 < M else zero
            cost[..., j] = inc_s[k][..., s] - up[..., s]
        elif line.award == "growth":
            cost[..., j] = growth
        elif line.award != "platform":
            c, r = KINDS.index(line.group), line.rank
            up = inc_k[r + 1][..., c] if r + 1 < len(LEVEL_RANKS) else 0.0
            cost[..., j] = inc_k[r][..., c] - up
    plat = platform_table(world, x, grid, years, payer, nq)
    cap = np.flatnonzero(grid == pol.platform_cap_wan)
    if len(cap):
        at_cap = plat[..., cap[0]]
    else:
        at_cap = platform_table(world, x, np.array([pol.platform_cap_wan]), years, payer, nq)[
            ..., 0
        ]
    return cost, plat, base_s.sum(-1) + base_k.sum(-1) + at_cap


def platform_table(world, x: Inputs, grid, years, payer, nq) -> np.ndarray:
    """(c, Y, Q, V) platform claims by replication, pay year and budget row at each cap of the
    grid, from the rule itself (a platform without a payer of its own is 市本级's, as
    earned_awards has it)."""
    Y = len(years)
    out = np.zeros((x.c, Y, nq, len(grid)))
    for v, cap in enumerate(grid):
        rows = _platform_rows(x, _capped(world.policy, float(cap)), world.interp)
        slot = rows[2] + world.interp.pay_lag_years - years[0]
        q = payer[np.maximum(rows[5], CITY)]
        ok = (slot >= 0) & (slot < Y) & (q >= 0)
        cell = (x.plat_rep[rows[0][ok]] * Y + slot[ok]) * nq + q[ok]
        flat = np.bincount(cell, weights=rows[3][ok], minlength=x.c * Y * nq)
        out[..., v] = flat.reshape(x.c, Y, nq)
    return out


def _platform_rows(x: Inputs, policy, interp):
    """platform_rows on the stacked platforms. A cap per platform over the whole period runs a
    cumulative sum along the rows: one call per replication then, so that no replication's
    sums carry another's rounding."""
    if interp.platform_cap != "per_platform" or x.c == 1:
        return platform_rows(x.plats, policy, interp)
    parts, first = [], 0
    for i in range(x.c):
        n = int((x.plat_rep == i).sum())
        rows = platform_rows(tuple(a[first : first + n] for a in x.plats), policy, interp)
        parts.append((rows[0] + first,) + rows[1:])
        first += n
    return tuple(np.concatenate([r[f] for r in parts]) for f in range(6))


def tier_of_firm(world: World, lines: list[Line]) -> np.ndarray:
    """The tier line each firm reacts to first (its lowest still-open tier), −1 if none: the
    line its induced revenue is credited to (a firm that crosses on and reacts to the next tier
    is still credited to the first — stated in docs/design.md)."""
    closed = np.isinf(world.row_tiers) & np.isfinite(world.thresholds[world.pop.sector])
    k = closed.sum(axis=1)
    index = np.full((len(SECTORS), closed.shape[1] + 1), -1, np.int64)  # (sector, tier) → line
    for j, ln in enumerate(lines):
        if ln.award == "revenue_tier":
            index[SECTORS.index(ln.group), ln.rank] = j
    return index[world.pop.sector, k]


def check_claims(world: World, policy, x: Inputs, years, payer, nq) -> np.ndarray:
    """(c, Y, Q) the rules' claims under another policy (the linearity check of validate.py)."""
    s, k = _claims(world, policy, x, years, payer, nq)
    cap = np.array([policy.platform_cap_wan])
    return s.sum(-1) + k.sum(-1) + platform_table(world, x, cap, years, payer, nq)[..., 0]
