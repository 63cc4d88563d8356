"""Scenarios once, amounts as decisions: R replications simulated once (the Monte Carlo's own
random streams, so replication r is the same firm world as `simulate`'s replication r), and per
replication and pay year what each award line costs per 万 of its amount.

How the cost per 万 is found without a second copy of the rules: the rules engine
(kernel.awards → rules.jiaxing.earned_awards) is run on the replication's revenue paths at the
current amounts and again with one amount raised by DELTA 万; the difference is the line's cost
per 万. Under the default readings every claim is linear in the amounts on the cone the order
constraints keep us in (tier 1 ≤ tier 2 ≤ tier 3, municipal ≤ provincial ≤ national), so the
difference is exact; raising "every tier from k up" (an increment) instead of tier k alone keeps
the raised schedule in that cone. The platform subsidy min(share × cost, cap) is not linear in
its cap: its claims are tabulated at every cap of the grid (rules.jiaxing.platform.platform_rows).

What depends on amounts, and what does not: the firms' reactions in the kernel (effort, early
booking, more applications) respond to the revenue thresholds, not to the amounts, so the paths
do not change with the amounts; only the reading growth_with_revenue_same_year = "highest"
(keep the larger of two awards) makes claims non-linear. design/iterate.py re-simulates at the
designed amounts until the costs stop changing, which covers both.

Claims, not payments: pro_rata / first_come cut payments once a year's budget is spent, which
makes what is paid non-linear in the amounts; the design constrains what is owed (entitlements
falling due), which is what the overrun chance of `simulate` is about.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import cast

import numpy as np

from fundalloc.core.executors import Shared, run_jobs
from fundalloc.design.lines import LEVEL_RANKS, Line, policy_with
from fundalloc.rules.jiaxing import (
    GROWTH,
    KINDS,
    LEVELS,
    PAYERS,
    SECTORS,
    SERVICE_MFG_DEMO,
    earned_awards,
)
from fundalloc.rules.jiaxing.codes import CITY
from fundalloc.rules.jiaxing.platform import platform_rows
from fundalloc.simulation.kernel import World, candidate_rows, simulate
from fundalloc.simulation.montecarlo import chunk_jobs, pay_years
from fundalloc.simulation.params import Behaviour
from fundalloc.simulation.shocks import chunk_seeds, draw_shocks, recognition_pools

DELTA = 1.0  # 万: the claims are linear, so any step gives the same slope
# World caches that amounts do not change
_CACHED = ("row_tiers", "open_tiers", "log_tiers", "history_awarded")


@dataclass
class Sample:
    """Per replication r, pay year y and payer q (issue 15's payers; one "all" until then)."""

    pay_years: np.ndarray  # (Y,)
    cost: np.ndarray  # (R, Y, Q, L) claims per 万 of each line (platform: 0, see plat)
    plat: np.ndarray  # (R, Y, Q, V) platform claims at each cap of the grid
    base: np.ndarray  # (R, Y, Q) claims at the amounts simulated (the linearity check)
    induced: np.ndarray  # (R, L) induced revenue (万) attributed to each tier line
    anyway: np.ndarray | None  # (R, Y, Q, L) cost per 万 without behaviour (deadweight)
    check: np.ndarray | None = None  # (R, Y, Q) the rules' claims at a second schedule
    seconds: float = 0.0

    @property
    def runs(self) -> int:
        return self.cost.shape[0]


def payers(world: World) -> tuple[np.ndarray, tuple[str, ...]]:
    """(payer code of PAYERS → the budget row it is counted in, −1 for none; the rows' names).
    One budget for all (awards.budget_wan a number or a table by year): one row "all". A budget
    by payer (五 各县(市)参照执行): one row per payer the table names, each from its own budget;
    the claims of a payer it does not name are unlimited and constrain nothing."""
    if not world.interp.budget_by_payer:
        return np.zeros(len(PAYERS), np.int64), ("all",)
    table = cast(Mapping, world.interp.budget_wan)  # budget_by_payer: a table by payer
    names = tuple(q for q in PAYERS if q in table)
    rows = np.full(len(PAYERS), -1, np.int64)
    for i, name in enumerate(names):
        rows[PAYERS.index(name)] = i
    return rows, names


def _with_policy(world: World, policy) -> World:
    new = dataclasses.replace(world, policy=policy)
    for name in _CACHED:  # the thresholds are the same, only the amounts differ
        if name in world.__dict__:
            new.__dict__[name] = world.__dict__[name]
    return new


@dataclass
class Inputs:
    """One replication's firms as the rules engine takes them: only the firms that can earn
    something (kernel.candidate_rows, as kernel.awards: firms crossing a still-open tier, firms
    whose history opened a growth window, recognised firms),
    found once for all the amounts tried, since the thresholds do not change."""

    rows: np.ndarray
    revenue: np.ndarray
    sector: np.ndarray
    recs: tuple
    plats: tuple
    payer: np.ndarray  # (rows,) code into PAYERS, as kernel.awards passes it


def inputs(world: World, paths, i: int) -> Inputs:
    recs = paths.recognitions[i]
    rows = candidate_rows(world, paths.reported[i], recs)
    revenue = np.hstack([world.pop.history[rows], paths.reported[i][rows]])
    local = (np.searchsorted(rows, recs[0]),) + tuple(recs[1:])
    return Inputs(
        rows, revenue, world.pop.sector[rows], local, paths.platforms[i], world.pop.payers()[rows]
    )


def _claims(world: World, policy, x: Inputs, years, payer, nq):
    """(Y, Q, S) tier+growth claims by firm sector, (Y, Q, K) recognitions by kind, from the
    rules engine at `policy` (platforms apart: platform_table); `payer` maps the engine's payer
    codes to budget rows (payers(): −1 for a payer without a budget of its own)."""
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
    firm = x.rows[earned.firm[ok]]
    Y, S, K = len(years), len(SECTORS), len(KINDS)
    tg = award <= GROWTH  # revenue_tier and growth
    by_sector = np.bincount(
        (slot[tg] * nq + q[tg]) * S + world.pop.sector[firm[tg]],
        weights=amt[tg],
        minlength=Y * nq * S,
    ).reshape(Y, nq, S)
    kind = award[~tg] - SERVICE_MFG_DEMO
    by_kind = np.bincount(
        (slot[~tg] * nq + q[~tg]) * K + kind, weights=amt[~tg], minlength=Y * nq * K
    ).reshape(Y, nq, K)
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


def line_costs(world, lines, grid, x: Inputs, years, payer, nq):
    """(Y, Q, L) cost per 万, (Y, Q, V) platform table, (Y, Q) claims now, one replication."""
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
    cost = np.zeros((len(years), nq, len(lines)))
    for j, line in enumerate(lines):
        if line.award == "revenue_tier":
            s, k = SECTORS.index(line.group), line.rank
            up = inc_s[k + 1] if k + 1 < M else zero
            cost[:, :, j] = inc_s[k][:, :, s] - up[:, :, s]
        elif line.award == "growth":
            cost[:, :, j] = growth
        elif line.award != "platform":
            c, r = KINDS.index(line.group), line.rank
            up = inc_k[r + 1][:, :, c] if r + 1 < len(LEVEL_RANKS) else 0.0
            cost[:, :, j] = inc_k[r][:, :, c] - up
    plat = platform_table(world, x.plats, grid, years, payer, nq)
    cap = np.flatnonzero(grid == pol.platform_cap_wan)
    at_cap = (
        plat[:, :, cap[0]]
        if len(cap)
        else platform_table(world, x.plats, np.array([pol.platform_cap_wan]), years, payer, nq)[
            :, :, 0
        ]
    )
    return cost, plat, base_s.sum(-1) + base_k.sum(-1) + at_cap


def platform_table(world, plats, grid, years, payer, nq) -> np.ndarray:
    """(Y, Q, V) platform claims by pay year and budget row at each cap of the grid, from the
    rule itself (a platform without a payer of its own is 市本级's, as earned_awards has it)."""
    Y = len(years)
    out = np.zeros((Y, nq, len(grid)))
    for v, cap in enumerate(grid):
        rows = platform_rows(plats, _capped(world.policy, float(cap)), world.interp)
        slot = rows[2] + world.interp.pay_lag_years - years[0]
        q = payer[np.maximum(rows[5], CITY)]
        ok = (slot >= 0) & (slot < Y) & (q >= 0)
        flat = np.bincount(slot[ok] * nq + q[ok], weights=rows[3][ok], minlength=Y * nq)
        out[:, :, v] = flat.reshape(Y, nq)
    return out


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
    """(Y, Q) the rules' claims under another policy (the linearity check of validate.py)."""
    s, k = _claims(world, policy, x, years, payer, nq)
    cap = np.array([policy.platform_cap_wan])
    return s.sum(-1) + k.sum(-1) + platform_table(world, x.plats, cap, years, payer, nq)[:, :, 0]


def _shocks(world: World, k: int, start: int, count: int) -> list:
    """Replications start … start+count−1 of chunk k's stream, as montecarlo.run_chunk draws
    them (`run` keys the shared city-wide and sector shocks of each replication)."""
    p = world.params
    rng = np.random.default_rng(chunk_seeds(p.seed, k + 1)[k])
    pools = recognition_pools(world.pop, p)
    return [draw_shocks(rng, world.pop, p, pools, run=start + i) for i in range(count)]


def replications(world: World, k: int, start: int, count: int):
    """(world, shocks) of replications start … start+count−1 exactly as `simulate` has them:
    with uncertain assumptions each replication in its own world (its draws, or the centre) on
    the stream of chunk r (simulation.uncertain.run_drawn_chunk), else chunk k's stream. The
    design sample and the out-of-sample check both come from here, so they face the same
    risk as the Monte Carlo (tests/test_design.py compares the claims with it)."""
    p = world.params
    if not p.assumptions:
        yield world, _shocks(world, k, start, count)
        return
    from fundalloc.simulation.uncertain import draws, world_with

    fixed = world_with(world, draws(p, start)) if p.assumption_mode == "centre" else None
    for r in range(start, start + count):
        w = fixed or world_with(world, draws(p, r))
        yield w, _shocks(w, r, r, 1)


def sample_chunk(world: World, lines, grid, need_off, need_anyway, check, k, start, count) -> dict:
    """Replications start … start+count−1 (as montecarlo.run_chunk) tabulated by line."""
    out: dict[str, list] = {k: [] for k in ("cost", "plat", "base", "induced", "anyway", "check")}
    payer, names = payers(world)
    nq = len(names)
    years = pay_years(world)
    for w, shocks in replications(world, k, start, count):
        p = w.params
        on = simulate(w, shocks, p.behaviour)
        # behaviour off: the counterfactual of induced revenue and deadweight (objectives only)
        off = simulate(w, shocks, Behaviour()) if p.behaviour.active and need_off else on
        credit = tier_of_firm(w, lines)
        cols = np.isin(np.array(p.years), p.award_years)
        for i in range(len(shocks)):
            x = inputs(w, on, i)
            cost, plat, now = line_costs(w, lines, grid, x, years, payer, nq)
            if check is not None:
                out["check"].append(check_claims(w, check, x, years, payer, nq))
            out["cost"].append(cost)
            out["plat"].append(plat)
            out["base"].append(now)
            extra = np.nansum(on.true[i][:, cols], axis=1) - np.nansum(off.true[i][:, cols], axis=1)
            ok = credit >= 0
            out["induced"].append(np.bincount(credit[ok], weights=extra[ok], minlength=len(lines)))
            if need_anyway:
                x = inputs(w, off, i)
                out["anyway"].append(line_costs(w, lines, grid, x, years, payer, nq)[0])
    return {key: np.array(v) for key, v in out.items() if v}


def _work(shared: Shared, lines, grid, need_off, need_anyway, check, k, start, count):
    return sample_chunk(shared.get(), lines, grid, need_off, need_anyway, check, k, start, count)


def sample(
    world: World,
    lines: list[Line],
    amounts: np.ndarray,
    grid: np.ndarray,
    executor: Executor,
    need_off: bool = False,
    need_anyway: bool = False,
    check: np.ndarray | None = None,
) -> Sample:
    """Simulate world.params.runs replications at `amounts` and tabulate the lines' costs;
    with `check` (other amounts), also the rules' own claims there."""
    import time

    t0 = time.perf_counter()
    other = None if check is None else policy_with(world.policy, lines, check)
    world = _with_policy(world, policy_with(world.policy, lines, amounts))
    jobs = chunk_jobs(world.params.runs, world.params.chunk)
    shared = Shared(world)
    parts: dict[int, dict] = {}
    run_jobs(
        executor,
        _work,
        [(shared, lines, grid, need_off or need_anyway, need_anyway, other, *job) for job in jobs],
        on_result=lambda i, part: parts.__setitem__(i, part),
    )
    cat = {key: np.concatenate([parts[i][key] for i in range(len(jobs))]) for key in parts[0]}
    return Sample(
        pay_years=pay_years(world),
        cost=cat["cost"],
        plat=cat["plat"],
        base=cat["base"],
        induced=cat["induced"],
        anyway=cat.get("anyway"),
        check=cat.get("check"),
        seconds=time.perf_counter() - t0,
    )
