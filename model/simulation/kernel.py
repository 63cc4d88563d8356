"""The vectorised replication kernel: the dynamics of agents.py for all firms of several
replications at once (arrays shaped (runs, firms[, years])). It must agree with the Mesa model
firm by firm on the same Shocks (tests/test_simulation_agreement.py); agents.py says in words
what each line does.

Growth of a firm's true log revenue x over year t, with y = effort_level(x):
    x' = y + μ_s + σ_s·min((e^y/size_ref)^(−β), cap)·ε
ε is clipped at |ε| ≤ 0.999/(β·σ_s·cap) — beyond 7 sd for the bundled values — which keeps x'
non-decreasing in y, and y is non-decreasing in x and in the effort: a larger firm never ends a
year smaller than a smaller one on the same shock, hence more effort never lowers any firm's
revenue nor the number of tier crossings (tests/test_simulation_behaviour.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from fundalloc.rules.jiaxing import AWARDS, Earned, Interpretation, Policy, settle
from fundalloc.rules.jiaxing.revenue_tier import revenue_tier_pay
from fundalloc.simulation.params import Behaviour, SimParams
from fundalloc.simulation.population import Population
from fundalloc.simulation.shocks import Shocks

PLATFORM = AWARDS.index("platform")
BOOK_OVER = 1.001  # a firm booking revenue early books just enough to exceed the tier by 0.1 %


def row_max(a: np.ndarray) -> np.ndarray:
    """(n,) the largest of each row of a (n, k) array without its NaN, −inf if all are NaN:
    np.max(np.where(isnan(a), −inf, a), axis=1), the same values (a maximum is exact), column
    by column: NumPy reduces a short row at a time ~30× slower (every replication of a drawn
    population builds its world's tiers from its history)."""
    best = np.full(a.shape[0], -np.inf)
    for j in range(a.shape[1]):
        np.fmax(best, a[:, j], out=best)
    return best


def sorted_rows(a: np.ndarray) -> np.ndarray:
    """np.sort(a, axis=1) of a NaN-free (n, k) array with k small (the tiers), by
    odd–even transposition over its columns: k rounds of compare-exchange with np.minimum /
    np.maximum, which move the values unchanged, so the same array as np.sort's; ~4× faster
    at k = 3 than sorting 12,000 rows of three one by one. NaN would order differently: sorted
    by np.sort then."""
    if np.isnan(a).any():
        return np.sort(a, axis=1)
    cols = [a[:, j].copy() for j in range(a.shape[1])]
    for r in range(len(cols)):
        for j in range(r % 2, len(cols) - 1, 2):
            lo, hi = np.minimum(cols[j], cols[j + 1]), np.maximum(cols[j], cols[j + 1])
            cols[j], cols[j + 1] = lo, hi
    return np.stack(cols, axis=1) if cols else a.copy()


@dataclass(frozen=True)
class World:
    """Everything fixed for a study; shared by both engines and by all workers."""

    pop: Population
    params: SimParams
    thresholds: np.ndarray  # (n_sectors, k) tiers in 万, +inf padded
    policy: Policy
    interp: Interpretation

    @cached_property
    def row_tiers(self) -> np.ndarray:
        """(n, k) tiers each firm can still earn: those its history never exceeded ("first
        exceeds"). Fixed before the simulation starts, so behaviour cannot change it."""
        tiers = self.thresholds[self.pop.sector]
        best = row_max(self.pop.history)
        strict = getattr(self.policy, "tier_strict", True)
        still_open = tiers >= best[:, None] if strict else tiers > best[:, None]
        return np.where(still_open, tiers, np.inf)

    @cached_property
    def open_tiers(self) -> np.ndarray:
        """row_tiers sorted ascending with the closed ones (+inf) last."""
        return sorted_rows(self.row_tiers)

    @cached_property
    def log_tiers(self) -> np.ndarray:
        return np.log(self.open_tiers)

    @cached_property
    def history_awarded(self) -> np.ndarray:
        """Rows already given a revenue-tier award in a history year (a late start: history
        runs into the years that earn tier awards). Their growth windows run on into the
        simulated years, so awards() must pass them whatever they cross later."""
        pop = self.pop
        if not pop.history_years or not pop.n:
            return np.zeros(0, np.int64)
        years = np.array(pop.history_years)
        r0, r1 = self.policy.window("revenue_tier")
        earning = (years >= r0) & (years <= r1)
        if not earning.any():  # no history year earns tier awards: nothing to find
            return np.zeros(0, np.int64)
        # a new tier exceeded in a year that earns tier awards, whatever the amounts (design
        # varies them and reuses this cache): a superset of the rows paid a tier award there
        _, level = revenue_tier_pay(pop.history, years, pop.sector, self.policy, self.interp)
        prev = np.zeros_like(level)
        prev[:, 1:] = np.maximum.accumulate(level, axis=1)[:, :-1]
        return np.flatnonzero(((level > prev) & earning).any(axis=1))

    @property
    def all_years(self) -> np.ndarray:
        return np.array(self.pop.history_years + self.params.years)


@dataclass
class Paths:
    true: np.ndarray  # (c, n, T) revenue the firm really makes (NaN: not existing)
    reported: np.ndarray  # (c, n, T) revenue it reports (after booking early)
    recognitions: list  # per run: (firm, year, kind, level) arrays
    platforms: list  # per run: (year, firms_served, trade_growth, upgrade_cost_wan)


def next_tier(value: np.ndarray, tiers: np.ndarray) -> np.ndarray:
    """Smallest tier at or above `value` (a firm at exactly the tier has not exceeded it), else
    +inf. `tiers` (…, k) ascending per firm, +inf padded at the end (World.open_tiers): a few
    nested selections from the top tier down, much faster than a reduction over a short axis."""
    top = tiers[..., -1]
    out = np.where(value <= top, top, np.inf)
    for j in range(tiers.shape[-1] - 2, -1, -1):
        col = tiers[..., j]
        out = np.where(value <= col, col, out)
    return out


def effort_level(x, log_tiers, behaviour: Behaviour):
    """Log revenue after effort: a firm within `window` below its next tier adds up to `effort`
    log-growth, but never pushes beyond the tier itself (the shock then decides)."""
    return _effort_level(x, log_tiers, behaviour.effort, np.log1p(-behaviour.window))


def _effort_level(x, log_tiers, effort, keep_log):
    lt = next_tier(x, log_tiers)
    near = np.isfinite(lt) & (x >= lt + keep_log)
    return np.where(near, np.minimum(x + effort, lt), x)


def timing_shift(base, tiers, behaviour: Behaviour):
    """Revenue booked early: a firm whose year ends within `window` below its next tier, and
    short by at most `timing` of its revenue, books the gap (it is taken off next year)."""
    return _timing_shift(base, tiers, 1 - behaviour.window, behaviour.timing)


def _timing_shift(base, tiers, keep, timing):
    t = next_tier(base, tiers)
    need = t * BOOK_OVER - base
    ok = np.isfinite(t) & (base >= t * keep) & (need <= timing * base)
    return np.where(ok, need, 0.0)


def simulate(world: World, shocks: list[Shocks], behaviour: Behaviour) -> Paths:
    """Paths of the replications of `shocks`, all in `world` with `behaviour`."""
    from fundalloc.simulation.batch import simulate_lanes

    return simulate_lanes([world] * len(shocks), shocks, [behaviour] * len(shocks))


def recognitions(world: World, s: Shocks, behaviour: Behaviour, true: np.ndarray):
    """Each candidate slot is recognised when its uniform falls below the programme's rate and
    its firm still exists that year; `applying` raises the rate (more firms apply)."""
    progs = world.params.programmes
    if not progs or s.rec_u.shape[-1] == 0:
        return _empty_recognitions()
    K = s.rec_u.shape[-1]
    rate = np.array([pr.per_year for pr in progs]) * (1 + behaviour.applying) / K
    T = len(world.params.years)
    t_idx = np.broadcast_to(np.arange(T)[None, :, None], s.rec_firm.shape)
    exists = (s.rec_firm >= 0) & np.isfinite(true[np.maximum(s.rec_firm, 0), t_idx])
    hit = (s.rec_u < rate[:, None, None]) & exists
    # Year by year, programme by programme: the order the office recognises them (it can
    # matter to a first-come budget).
    t, prog, k = np.nonzero(hit.transpose(1, 0, 2))
    firm = s.rec_firm[prog, t, k]
    kind = np.array([pr.kind for pr in progs], int)[prog]
    level = np.array([pr.level for pr in progs], int)[prog]
    return firm.astype(int), np.array(world.params.years)[t], kind, level


def recognitions_chunk(world: World, shocks: list[Shocks], behaviours: list, true: np.ndarray):
    """[recognitions(world, shocks[i], behaviours[i], true[i]) …] for a chunk's replications
    all in `world`, from one pass over the stacked slots: the same rows in the same order
    (year by year, programme by programme, within each replication)."""
    progs = world.params.programmes
    c = len(shocks)
    if not progs or not c or shocks[0].rec_u.shape[-1] == 0:
        return [_empty_recognitions() for _ in range(c)]
    u = np.stack([s.rec_u for s in shocks])  # (c, P, T, K)
    cand = np.stack([s.rec_firm for s in shocks])
    K = u.shape[-1]
    per_year = np.array([pr.per_year for pr in progs])
    rate = np.stack([per_year * (1 + b.applying) / K for b in behaviours])  # as recognitions
    T = len(world.params.years)
    rep_idx = np.arange(c)[:, None, None, None]
    t_idx = np.arange(T)[None, None, :, None]
    exists = (cand >= 0) & np.isfinite(true[rep_idx, np.maximum(cand, 0), t_idx])
    hit = (u < rate[:, :, None, None]) & exists
    rep, t, prog, k = np.nonzero(hit.transpose(0, 2, 1, 3))  # replication, then as one run
    firm = cand[rep, prog, t, k].astype(int)
    year = np.array(world.params.years)[t]
    kind = np.array([pr.kind for pr in progs], int)[prog]
    level = np.array([pr.level for pr in progs], int)[prog]
    cut = np.cumsum(np.bincount(rep, minlength=c))[:-1]
    return list(zip(*(np.split(a, cut) for a in (firm, year, kind, level)), strict=True))


def platforms_chunk(world: World, shocks: list[Shocks]):
    """[platforms(world, s) for s in shocks] from one pass over the stacked draws."""
    pl = world.params.platforms
    c = len(shocks)
    draws = np.stack([s.plat for s in shocks])  # (c, NP, T, 4)
    up = draws[..., 0] < pl.upgrade_prob
    rep, t, k = np.nonzero(up.transpose(0, 2, 1))  # replication, then year by year
    z = draws[rep, k, t]
    served = np.round(pl.served_median * np.exp(pl.served_sigma * z[:, 1]))
    growth = pl.growth_mean + pl.growth_sd * z[:, 2]
    cost = pl.cost_median_wan * np.exp(pl.cost_sigma * z[:, 3])
    year = np.array(world.params.years)[t]
    cut = np.cumsum(np.bincount(rep, minlength=c))[:-1]
    parts = (year, served, growth, cost, k.astype(np.int64))
    return list(zip(*(np.split(a, cut) for a in parts), strict=True))


def _empty_recognitions():
    e = np.zeros(0, int)
    return e, e.copy(), e.copy(), e.copy()


def platforms(world: World, s: Shocks):
    """Platforms that upgrade in a year, with firms served, trade growth and upgrade cost."""
    pl = world.params.platforms
    up = s.plat[..., 0] < pl.upgrade_prob
    t, k = np.nonzero(up.T)  # year by year, as the platforms apply
    z = s.plat[k, t]
    served = np.round(pl.served_median * np.exp(pl.served_sigma * z[:, 1]))
    growth = pl.growth_mean + pl.growth_sd * z[:, 2]
    cost = pl.cost_median_wan * np.exp(pl.cost_sigma * z[:, 3])
    return np.array(world.params.years)[t], served, growth, cost, k.astype(np.int64)


def awards(world: World, reported: np.ndarray, recs, plats, crossed: np.ndarray | None = None):
    """One replication's awards, from the rules engine (never computed here).

    Only firms that can earn something are passed (a tenth of the work): those that exceed a
    still-open tier in a year that earns tier awards, those whose history already earned a tier
    award (World.history_awarded), and recognised firms. Growth awards need a tier award first,
    so the others earn nothing; rows stay in ascending order, so the engine's
    first-come order (by firm index) is unchanged. The Mesa bureau passes every firm, so the
    agreement test checks that this shortcut changes nothing. `crossed`: crossing_rows of
    `reported` when the caller has them (run_chunk takes them from the chunk's crossings).
    """
    rows = candidate_rows(world, reported, recs, crossed)
    revenue = np.hstack([world.pop.history[rows], reported[rows]])
    recs = (np.searchsorted(rows, recs[0]),) + tuple(recs[1:])
    e, p = settle(
        revenue,
        world.all_years,
        world.pop.sector[rows],
        world.policy,
        world.interp,
        recognitions=recs,
        platforms=plats,
        payer=world.pop.payers()[rows],
    )
    earned = Earned(
        _to_rows(e.firm, e.award, rows), e.award, e.revenue_year, e.amount_wan, e.detail, e.payer
    )
    p.firm = _to_rows(p.firm, p.award, rows)
    return earned, p


def candidate_rows(
    world: World, reported: np.ndarray, recs, crossed: np.ndarray | None = None
) -> np.ndarray:
    """Rows that can earn something in one replication (awards' shortcut, also used by
    fundalloc.design): firms crossing a still-open tier, firms whose history already opened a
    growth window (a late start), recognised firms; ascending."""
    if crossed is None:
        crossed = crossing_rows(world, reported)
    mask = np.array(crossed, dtype=bool)  # a mask, not two sorted unions: same rows, ascending
    mask[recs[0]] = True
    mask[world.history_awarded] = True
    return np.flatnonzero(mask)


def _to_rows(firm: np.ndarray, award: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Firm indices of the subset passed to the engine, back on the population's rows."""
    return np.where(award == PLATFORM, firm, rows[np.minimum(firm, max(len(rows) - 1, 0))])


def _crossed(world: World, reported: np.ndarray) -> np.ndarray:
    """(…, n) how many still-open tiers each firm exceeds in a year that earns tier awards."""
    cols = np.isin(np.array(world.params.years), world.params.award_years)
    strict = getattr(world.policy, "tier_strict", True)
    return tier_counts(best_reported(reported, cols), world.row_tiers, strict)


def tier_counts(best: np.ndarray, tiers: np.ndarray, strict: bool) -> np.ndarray:
    """(…, n) how many of each firm's tiers (…, n, k) its best revenue (…, n) exceeds: a sum of
    comparisons tier by tier (a loop over a few tiers, not a reduction over a short axis)."""
    above = np.greater if strict else np.greater_equal
    count = np.zeros(np.broadcast_shapes(best.shape, tiers.shape[:-1]), np.int64)
    for j in range(tiers.shape[-1]):
        count += above(best, tiers[..., j])
    return count


def best_reported(reported: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(…, n) highest reported revenue over the years `cols` (NaN: not existing, skipped; NaN
    where a firm exists in none, which crosses nothing). A running fmax year by year: the
    same values as a max with NaN as −inf, without a reduction over a short last axis."""
    idx = np.flatnonzero(cols)
    if not len(idx):
        return np.full(reported.shape[:-1], np.nan)
    best = reported[..., idx[0]]
    for j in idx[1:]:  # a loop over award years, never over firms
        best = np.fmax(best, reported[..., j])
    return best


def crossing_rows(world: World, reported: np.ndarray) -> np.ndarray:
    return np.asarray(_crossed(world, reported) > 0)


def crossings(world: World, reported: np.ndarray) -> np.ndarray:
    """(c,) number of (firm, tier) pairs first exceeded in an award year, on reported revenue."""
    return _crossed(world, reported).sum(axis=-1)


def crossings_and_rows(world: World, reported: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """crossings and crossing_rows from one pass: (c,) counts, (c, n) rows."""
    crossed = _crossed(world, reported)
    return np.asarray(crossed.sum(axis=-1)), np.asarray(crossed > 0)
