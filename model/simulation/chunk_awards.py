"""A chunk's awards from one rules-engine call: kernel.awards for all replications at once.

The candidate rows of every replication are stacked (stacking.py), `earned_awards` runs once on
them, and `pay` once with the replication as its group key (each replication pays from its own
budget, in its own first-come queue). The result is what kernel.awards gives replication by
replication, bit for bit (tests/test_simulation_chunk_awards.py). Where `settle` must interleave
earning and paying (growth_window_opened_by = paid and some tier claim not paid in its own pay
year: the test settle itself makes), exactly those replications go through kernel.awards.

Stacking is exact when no rule sums floats across firms. Two do: a cap per platform over the
whole period (platform_cap = per_platform: a running sum along the platforms) and recognition
amounts that are not whole 万 (running maxima and sums along the recognitions). There the
chunk falls back to kernel.awards replication by replication (`stackable`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fundalloc.rules.jiaxing import AWARDS, Earned, Paid, earned_awards, pay
from fundalloc.rules.jiaxing.earned import last_pay_year
from fundalloc.rules.jiaxing.payment import PAID_FIELDS
from fundalloc.rules.jiaxing.settle import every_tier_claim_paid_on_time
from fundalloc.simulation.kernel import World, awards
from fundalloc.simulation.stacking import Inputs, block, stack, stack_one_world, starts

PLATFORM = AWARDS.index("platform")
EARNED_FIELDS = ("firm", "award", "revenue_year", "amount_wan", "detail", "payer")


@dataclass
class Settled:
    """Earned and Paid of c replications, replication by replication (rows of replication i
    at e_bounds[i]:e_bounds[i+1], resp. p_bounds), firms on their population's rows; Paid's
    `claim` indexes the stacked Earned."""

    earned: Earned
    paid: Paid
    e_rep: np.ndarray  # (earned rows,) replication of each row
    p_rep: np.ndarray  # (paid rows,)
    e_bounds: np.ndarray  # (c + 1,)
    p_bounds: np.ndarray  # (c + 1,)

    @property
    def c(self) -> int:
        return len(self.e_bounds) - 1

    def lane(self, i: int) -> tuple[Earned, Paid]:
        """Replication i alone, as kernel.awards returns it (claim local to its Earned)."""
        e0, e1 = self.e_bounds[i], self.e_bounds[i + 1]
        p0, p1 = self.p_bounds[i], self.p_bounds[i + 1]
        e = Earned(*(getattr(self.earned, k)[e0:e1] for k in EARNED_FIELDS))
        fields = {k: getattr(self.paid, k)[p0:p1] for k in PAID_FIELDS}
        fields["claim"] = fields["claim"] - e0
        return e, Paid(**fields)


def _bounds(rep: np.ndarray, c: int) -> np.ndarray:
    return np.searchsorted(rep, np.arange(c + 1))


def from_lanes(lanes: list[tuple[Earned, Paid]]) -> Settled:
    """Settled from each replication's (Earned, Paid)."""
    e_sizes = [len(e) for e, _ in lanes]
    p_sizes = [len(p) for _, p in lanes]
    shift = starts(e_sizes)
    earned = Earned(
        *(np.concatenate([np.asarray(getattr(e, k)) for e, _ in lanes]) for k in EARNED_FIELDS)
    )
    paid = {k: np.concatenate([np.asarray(getattr(p, k)) for _, p in lanes]) for k in PAID_FIELDS}
    paid["claim"] = paid["claim"] + np.repeat(shift, p_sizes)
    c = len(lanes)
    return Settled(
        earned,
        Paid(**paid),
        np.repeat(np.arange(c), e_sizes),
        np.repeat(np.arange(c), p_sizes),
        np.concatenate([[0], np.cumsum(e_sizes)]),
        np.concatenate([[0], np.cumsum(p_sizes)]),
    )


def stackable(worlds: list[World]) -> bool:
    """Whether one engine call on the stacked replications gives each exactly its own floats:
    one policy, reading and year axis, and no rule summing floats across firms (docstring)."""
    w = worlds[0]
    same = all(
        v.policy is w.policy and v.interp is w.interp and v.pop.history_years == w.pop.history_years
        for v in worlds
    )
    amounts = np.asarray(w.policy.recognition_amounts, float)
    whole = (
        bool(np.all(amounts == np.round(amounts))) and float(np.abs(amounts).max(initial=0)) < 2**20
    )
    return same and w.interp.platform_cap != "per_platform" and whole


def settle_chunk(worlds: list[World], reported: np.ndarray, recs: list, plats: list, crossed):
    """kernel.awards(worlds[i], reported[i, :n], recs[i], plats[i], crossed[i, :n]) for every
    replication i of a chunk, as one Settled."""
    c = len(worlds)
    if not stackable(worlds):
        return from_lanes([_one(worlds, reported, recs, plats, crossed, i) for i in range(c)])
    world = worlds[0]
    if all(w is world for w in worlds) and reported.shape[1] == world.pop.n:
        x = stack_one_world(world, reported, recs, plats, crossed)
    else:
        x = stack(
            [
                block(w, reported[i, : w.pop.n], recs[i], plats[i], crossed[i, : w.pop.n])
                for i, w in enumerate(worlds)
            ]
        )
    e = earned_awards(
        x.revenue,
        world.all_years,
        x.sector,
        world.policy,
        world.interp,
        recognitions=x.recs,
        platforms=x.plats,
        payer=x.payer,
    )
    e, rep = _by_replication(e, x)
    interp = world.interp
    paid = pay(e, interp, last_pay_year(world.policy, interp), group=rep)
    p_rep = rep[paid.claim]
    out = Settled(e, paid, rep, p_rep, _bounds(rep, c), _bounds(p_rep, c))
    if interp.growth_window_opened_by == "entitled" or interp.budget_wan is None:
        return out
    # settle's own test: the replications where some tier claim is not paid in its pay year
    # need its interleaving of earning and paying; they go through settle one by one.
    ok = every_tier_claim_paid_on_time(e, paid, interp, rep, c)
    redo = set(np.flatnonzero(~ok).tolist())
    if not redo:
        return out
    lanes = [
        _one(worlds, reported, recs, plats, crossed, i) if i in redo else out.lane(i)
        for i in range(c)
    ]
    return from_lanes(lanes)


def _one(worlds, reported, recs, plats, crossed, i: int) -> tuple[Earned, Paid]:
    n = worlds[i].pop.n
    return awards(worlds[i], reported[i, :n], recs[i], plats[i], crossed[i, :n])


def _by_replication(e: Earned, x: Inputs) -> tuple[Earned, np.ndarray]:
    """The stacked engine's rows replication by replication (a stable sort: each keeps its
    first-come order), firms back on their population's rows and platforms on their
    replication's own platform rows, as kernel.awards has them."""
    plat = e.award == PLATFORM
    assert x.firm is not None
    firm_rep = np.append(x.rep, 0)  # one spare entry: platform rows index platforms
    firm_row = np.append(x.firm, 0)
    plat_rep = np.append(x.plat_rep, 0)
    plat_first = starts(np.bincount(x.plat_rep, minlength=x.c))
    f = np.minimum(e.firm, len(x.rep))
    p = np.minimum(e.firm, len(x.plat_rep))
    rep = np.where(plat, plat_rep[p], firm_rep[f])
    firm = np.where(plat, e.firm - plat_first[rep], firm_row[f])
    o = np.argsort(rep, kind="stable")
    assert e.detail is not None and e.payer is not None
    out = Earned(firm[o], e.award[o], e.revenue_year[o], e.amount_wan[o], e.detail[o], e.payer[o])
    return out, rep[o]
