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
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import cast

import numpy as np

from fundalloc.core.executors import Shared, run_jobs
from fundalloc.design.costs import check_claims, inputs, line_costs, stack, tier_of_firm
from fundalloc.design.lines import Line, policy_with
from fundalloc.rules.jiaxing import PAYERS
from fundalloc.simulation.kernel import World, simulate
from fundalloc.simulation.montecarlo import chunk_jobs, pay_years
from fundalloc.simulation.params import Behaviour
from fundalloc.simulation.shocks import chunk_seeds, draw_shocks, recognition_pools

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
    """Replications start … start+count−1 (as montecarlo.run_chunk) tabulated by line: each
    simulated in its world, then the rules engine run once on the chunk's stacked firms for
    every amount tried (costs.py)."""
    payer, names = payers(world)
    nq = len(names)
    years = pay_years(world)
    on_blocks, off_blocks, induced = [], [], []
    for w, shocks in replications(world, k, start, count):
        p = w.params
        on = simulate(w, shocks, p.behaviour)
        # behaviour off: the counterfactual of induced revenue and deadweight (objectives only)
        off = simulate(w, shocks, Behaviour()) if p.behaviour.active and need_off else on
        credit = tier_of_firm(w, lines)
        cols = np.isin(np.array(p.years), p.award_years)
        for i in range(len(shocks)):
            on_blocks.append(inputs(w, on, i))
            extra = np.nansum(on.true[i][:, cols], axis=1) - np.nansum(off.true[i][:, cols], axis=1)
            ok = credit >= 0
            induced.append(np.bincount(credit[ok], weights=extra[ok], minlength=len(lines)))
            if need_anyway:
                off_blocks.append(inputs(w, off, i))
    x = stack(on_blocks)
    cost, plat, base = line_costs(world, lines, grid, x, years, payer, nq)
    out = {"cost": cost, "plat": plat, "base": base, "induced": np.array(induced)}
    if check is not None:
        out["check"] = check_claims(world, check, x, years, payer, nq)
    if need_anyway:
        out["anyway"] = line_costs(world, lines, grid, stack(off_blocks), years, payer, nq)[0]
    return out


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
