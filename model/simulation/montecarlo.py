"""Monte Carlo on all cores. Replications are cut into chunks of `simulation.chunk`; chunk k
draws from SeedSequence(seed).spawn(...)[k], so every replication sees the same random numbers
whatever the number of workers (and the first N runs are the same whatever the total).
Each replication runs twice on the same Shocks: behaviour as set, and behaviour off (the
counterfactual for deadweight and induced revenue).

Chunks run on any Executor (model/executors.py: local processes, Dask, …) and are merged in
chunk order, so results are identical bit for bit whatever the engine; with a ChunkStore
(checkpoint.py) finished chunks are saved as they come and skipped when a run resumes."""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, replace

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fundalloc.core.executors import Shared, open_executor, run_jobs
from fundalloc.rules.jiaxing import PAYERS
from fundalloc.simulation.batch import crossings_and_rows_lanes, simulate_pair
from fundalloc.simulation.chunk_awards import settle_chunk
from fundalloc.simulation.chunk_sums import (
    by_year_award,
    by_year_payer,
    by_year_true,
    matched,
    missing,
    per_lane_sums,
    pick,
)
from fundalloc.simulation.kernel import World
from fundalloc.simulation.memory import keep_freed_memory
from fundalloc.simulation.rebudget import Kept, pack
from fundalloc.simulation.shocks import Shocks, chunk_seed, draw_shocks, recognition_pools


@dataclass
class Results:
    pay_years: np.ndarray  # (P,)
    budget: np.ndarray  # (P,) 万, inf = unlimited
    claims: np.ndarray  # (R, P, A) awards falling due in each pay year, before budget
    owed: np.ndarray  # (R, P, A) due on each pay year's budget (claims + carried)
    paid: np.ndarray  # (R, P, A) actually paid
    earned: np.ndarray  # (R,) entitlements with behaviour, before the budget
    deadweight: np.ndarray  # (R,) of which the firm would have earned anyway (behaviour off)
    induced_wan: np.ndarray  # (R,) extra true revenue in the years that earn tier awards
    induced_all_wan: np.ndarray  # (R,) … over all simulated years (the level effect persists)
    crossings: np.ndarray  # (R, 2) tier crossings with / without behaviour
    missing_wan: np.ndarray | None = None  # (R, P) claims of firms without history before
    # the first award year (Population.missing_history), by pay year
    assumptions: np.ndarray | None = None  # (R, A) value of each uncertain assumption
    # By payer (五 各县(市)参照执行), all award types together: (R, P, len(PAYERS))
    claims_payer: np.ndarray | None = None
    owed_payer: np.ndarray | None = None
    paid_payer: np.ndarray | None = None
    budget_payer: np.ndarray | None = None  # (P, len(PAYERS)) each payer's own, inf if none
    kept: Kept | None = None  # each replication's entitlements (run_montecarlo keep=True)

    @property
    def runs(self) -> int:
        return len(self.earned)


def pay_years(world: World) -> np.ndarray:
    lag = world.interp.pay_lag_years
    return np.arange(world.params.years[0] + lag, world.params.years[-1] + lag + 1)


def _claims_depend_on_budget(world: World) -> bool:
    """Whether some tier award may be paid nothing, so that under growth_window_opened_by =
    paid the claims change with the budget (pro rata with every budget above 0 pays each claim
    something: then they do not, and the extra run is skipped)."""
    interp = world.interp
    if interp.growth_window_opened_by != "paid" or interp.budget_wan is None:
        return False
    if interp.budget_exhausted != "pro_rata":
        return True
    years = pay_years(world)
    names = PAYERS if interp.budget_by_payer else (None,)
    return any(bool((interp.budget_for(years, n) <= 0).any()) for n in names)


def run_chunk(
    world: World, k: int, start: int, count: int, keep: bool = False
) -> dict[str, np.ndarray]:
    """Replications start … start+count−1, all from chunk k's random stream; `keep`: with
    each replication's entitlements (rebudget.pack), to pay them again under another budget."""
    keep_freed_memory()  # once per process: the chunk's arrays reuse the last chunk's memory
    p = world.params
    if p.assumptions:  # uncertain assumptions: a world and a stream per replication
        from fundalloc.simulation.uncertain import run_drawn_chunk

        return run_drawn_chunk(world, k, start, count, keep)
    rng = np.random.default_rng(chunk_seed(p.seed, k))
    pools = recognition_pools(world.pop, p)
    return run_blocks(
        [world] * count,
        lambda i: draw_shocks(rng, world.pop, p, pools, run=start + i),
        start,
        keep,
    )


# Firm slots × replications that one pass through the kernel and the rules engine holds. A
# chunk's replications go through together, but its arrays are replications × firm slots ×
# years: at 100,000 firms a chunk of 20 outgrows the cache and gigabytes of memory. A chunk of
# more is cut into blocks of whole replications run one after another on the chunk's stream,
# drawn in the same order, so the numbers are the same (a replication's results do not depend
# on the replications beside it: tests/test_simulation_blocks.py) and memory is bounded by the
# block, not by the chunk.
BLOCK_SLOTS = 60_000


def lanes_per_block(worlds: list[World]) -> int:
    """Replications of a block: as many as fit in BLOCK_SLOTS, at least one."""
    return max(1, BLOCK_SLOTS // max(max(w.pop.n for w in worlds), 1))


def run_blocks(
    worlds: list[World], shocks_of: Callable[[int], Shocks], start: int, keep: bool = False
) -> dict[str, np.ndarray]:
    """run_lanes on blocks of lanes_per_block replications, in order: shocks_of(i) draws
    replication start + i's shocks when its block comes (a chunk's stream is read in order)."""
    size = lanes_per_block(worlds)
    parts = []
    for b in range(0, len(worlds), size):
        block = worlds[b : b + size]
        shocks = [shocks_of(i) for i in range(b, b + len(block))]
        parts.append(run_lanes(block, shocks, start + b, keep))
    return parts[0] if len(parts) == 1 else joined(parts, start)


def joined(parts: list[dict[str, np.ndarray]], start: int) -> dict[str, np.ndarray]:
    """Consecutive replications' results as one chunk's (every array has a row per
    replication, or per kept row, except `start`)."""
    out = {key: np.concatenate([d[key] for d in parts]) for key in parts[0] if key != "start"}
    out["start"] = np.array(start)
    return out


def run_lanes(
    worlds: list[World], shocks: list, start: int, keep: bool = False
) -> dict[str, np.ndarray]:
    """Replication i of a chunk in worlds[i] on shocks[i], all lanes through one kernel call
    per behaviour (kernel.simulate_lanes) and one rules-engine call per variant
    (chunk_awards.settle_chunk: with behaviour, the counterfactual, without a budget); the
    worlds share years, award years, size law and readings (kernel.same_law), and are one
    object when nothing is drawn per replication."""
    world, count = worlds[0], len(shocks)
    p = world.params
    # the counterfactual (behaviour off), in the lanes whose behaviour does something
    counter = [w.params.behaviour.active and w.params.counterfactual for w in worlds]
    on, off = simulate_pair(worlds, shocks, counter)
    years = pay_years(world)
    n_on, rows_on = crossings_and_rows_lanes(worlds, on.reported)  # once per chunk
    n_off, rows_off = (
        (n_on, rows_on) if off is on else crossings_and_rows_lanes(worlds, off.reported)
    )
    n_off = np.where(counter, n_off, n_on)
    got = settle_chunk(worlds, on.reported, on.recognitions, on.platforms, rows_on)
    # Under growth_window_opened_by = paid the claims depend on the budget (a tier award paid
    # nothing opens no growth window), so the claims behind the smallest safe budget are taken
    # with every tier award paid (no budget): what falls due once the budget is large enough.
    depends = [_claims_depend_on_budget(w) for w in worlds]
    claimed = got
    if any(depends):
        frees: dict[int, World] = {}  # one free reading per reading: stacked together
        readings = {id(w.interp): replace(w.interp, budget_wan=None) for w in worlds}
        for w in worlds:
            if id(w) not in frees:
                frees[id(w)] = replace(w, interp=readings[id(w.interp)])
        free = settle_chunk(
            [frees[id(w)] for w in worlds], on.reported, on.recognitions, on.platforms, rows_on
        )
        claimed = pick([got, free], [int(d) for d in depends])
    base = got
    if any(counter):
        cf = settle_chunk(worlds, off.reported, off.recognitions, off.platforms, rows_off)
        base = pick([got, cf], [int(c) for c in counter])
    e, ce, pd = got.earned, claimed.earned, got.paid
    fresh = (ce.revenue_year + world.interp.pay_lag_years, ce.award)
    res = {
        "claims": by_year_award(claimed.e_rep, *fresh, years, ce.amount_wan, count),
        "missing_wan": missing(worlds, claimed, fresh, years),
        "owed": by_year_award(got.p_rep, pd.pay_year, pd.award, years, pd.owed_wan, count),
        "paid": by_year_award(got.p_rep, pd.pay_year, pd.award, years, pd.amount_wan, count),
        "claims_payer": by_year_payer(
            claimed.e_rep, fresh[0], ce.payers(), years, ce.amount_wan, count
        ),
        "owed_payer": by_year_payer(got.p_rep, pd.pay_year, pd.payers(), years, pd.owed_wan, count),
        "paid_payer": by_year_payer(
            got.p_rep, pd.pay_year, pd.payers(), years, pd.amount_wan, count
        ),
        "earned": per_lane_sums(e.amount_wan, got.e_bounds),
        "deadweight": matched(got, base),
    }
    # extra true revenue by year: with minus without behaviour (0 where there is none)
    true_on = by_year_true(worlds, on.true)
    true_off = true_on if off is on else by_year_true(worlds, off.true)
    extra = np.where(np.array(counter)[:, None], true_on - true_off, true_on - true_on)
    cols = np.isin(np.array(p.years), p.award_years)
    # sums per replication over its few years (np.sum adds pairwise, as before)
    res["induced_wan"] = np.array([float(x[cols].sum()) for x in extra])
    res["induced_all_wan"] = np.array([float(x.sum()) for x in extra])
    res["crossings"] = np.stack([n_on, n_off], 1)
    res["start"] = np.array(start)
    if keep:  # each replication's entitlements, as the engine gave them (rebudget.pack)
        res.update(pack(got.earned, got.e_rep, start))
    return res


def _work(world: Shared, k: int, start: int, count: int):
    return run_chunk(world.get(), k, start, count)


def _work_keeping(world: Shared, k: int, start: int, count: int):
    return run_chunk(world.get(), k, start, count, keep=True)


class Passes:
    """One progress bar over a command's Monte Carlo passes (the web app's): each pass reports
    its chunks after the replications of the passes before it, out of all passes' together,
    so the bar runs once from 0 to 100 % (it stood at 100 % through the centre pass before)."""

    def __init__(self, report: Callable[[int, int], None] | None, total: int) -> None:
        self.report, self.total, self.before = report, total, 0

    def next(self, runs: int) -> Callable[[int, int], None] | None:
        """on_progress for the next pass, of `runs` replications (None: no bar)."""
        if self.report is None:
            return None
        start, self.before = self.before, self.before + runs
        report, total = self.report, self.total
        return lambda done, _runs: report(start + done, total)


def payer_budgets(world: World, years: np.ndarray) -> np.ndarray:
    """(P, len(PAYERS)) each payer's own budget by pay year, inf where it has none."""
    interp = world.interp
    return np.stack(
        [
            interp.budget_for(years, name)
            if interp.budget_by_payer
            else np.full(len(years), np.inf)
            for name in PAYERS
        ],
        axis=1,
    )


def chunk_jobs(runs: int, chunk: int) -> list[tuple[int, int, int]]:
    """(k, first replication, replications) for each chunk."""
    return [(k, k * chunk, min(chunk, runs - k * chunk)) for k in range(math.ceil(runs / chunk))]


def run_montecarlo(
    world: World,
    runs: int | None = None,
    workers: int | None = None,
    progress: bool = True,
    label: str = "replications",
    executor: Executor | None = None,
    store=None,
    task=_work,
    on_progress=None,
    keep: bool = False,
) -> Results:
    """Replications on `executor` (default: `workers` local processes). With `store`
    (a ChunkStore), chunks already in it are loaded instead of recomputed and each new one is
    saved as soon as it is back. `task` is the chunk function (tests swap in a failing one).
    `on_progress(done, total)` is called as each chunk is back (the web app's progress bar).
    `keep`: the results keep every replication's entitlements (Results.kept, rebudget.py)."""
    p = world.params
    if keep and task is _work:
        task = _work_keeping
    runs = runs or p.runs
    jobs = chunk_jobs(runs, p.chunk)
    parts: dict[int, dict] = {}
    if store is not None:
        for k in sorted(store.done() & set(range(len(jobs)))):
            parts[k] = store.load(k)
    todo = [job for job in jobs if job[0] not in parts]
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        disable=not progress,
        transient=False,
    )
    if todo:
        shared = Shared(world)

        def finished(i: int, part: dict) -> None:
            k, _, count = todo[i]
            if store is not None:
                store.save(k, part)
            parts[k] = part
            bar.advance(task_id, count)
            if on_progress is not None:
                on_progress(sum(j[2] for j in jobs if j[0] in parts), runs)

        with bar:
            task_id = bar.add_task(label, total=runs, completed=runs - sum(j[2] for j in todo))
            if executor is None:
                n = max(1, min(workers or p.workers, len(todo)))
                with open_executor("local", workers=n) as ex:
                    run_jobs(ex, task, [(shared, *job) for job in todo], on_result=finished)
            else:
                run_jobs(executor, task, [(shared, *job) for job in todo], on_result=finished)
    ordered = [parts[k] for k in range(len(jobs))]  # chunk order: independent of the engine
    common = set.intersection(*(set(d) for d in ordered)) - {"start"}
    cat = {key: np.concatenate([d[key] for d in ordered]) for key in ordered[0] if key in common}
    years = pay_years(world)
    return Results(
        pay_years=years,
        budget=world.interp.budget_for(years),
        claims=cat["claims"],
        owed=cat["owed"],
        paid=cat["paid"],
        earned=cat["earned"],
        deadweight=cat["deadweight"],
        induced_wan=cat["induced_wan"],
        induced_all_wan=cat["induced_all_wan"],
        crossings=cat["crossings"],
        missing_wan=cat.get("missing_wan"),
        assumptions=cat.get("assumptions"),
        claims_payer=cat.get("claims_payer"),
        owed_payer=cat.get("owed_payer"),
        paid_payer=cat.get("paid_payer"),
        budget_payer=payer_budgets(world, years),
        kept=Kept.of(cat) if all("kept_run" in d for d in ordered) else None,
    )
