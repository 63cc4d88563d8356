"""The rules engine once per chunk (issue 20, item 1): a chunk's replications stacked into one
earned_awards call per variant and one pay call keyed by replication give every number the
one-replication-at-a-time kernel.awards gives, bit for bit, with payers, under every budget
exhaustion policy, and with growth_window_opened_by = paid on a tight budget (where settle
must interleave earning and paying: those replications go through settle one by one)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from simulation_helpers import small_world

import fundalloc.simulation.chunk_awards as chunk_awards
from fundalloc.rules.jiaxing import AWARDS, PAYERS, Earned, Paid, pay
from fundalloc.rules.jiaxing.payment import PAID_FIELDS
from fundalloc.simulation.batch import crossings_and_rows_lanes, simulate_pair
from fundalloc.simulation.chunk_awards import EARNED_FIELDS, settle_chunk, stackable
from fundalloc.simulation.kernel import PLATFORM, awards
from fundalloc.simulation.montecarlo import _claims_depend_on_budget, pay_years, run_lanes
from fundalloc.simulation.shocks import chunk_seed, draw_shocks, recognition_pools

TWO = 'simulation.population.payer_shares={"市本级" = 0.6, "嘉善县" = 0.4}'
BY_PAYER = 'awards.budget_wan={"市本级" = 250, "嘉善县" = 120}'
TIGHT = "awards.budget_wan=150"

ENTITLED = "awards.growth_window_opened_by=entitled"  # paying never feeds back into earning
CASES = {  # the default growth_window_opened_by = paid unless ENTITLED
    "first_come_by_payer": [TWO, BY_PAYER, ENTITLED, "awards.budget_exhausted=first_come"],
    "defer_by_payer": [TWO, BY_PAYER, ENTITLED, "awards.budget_exhausted=defer"],
    "pro_rata_by_payer": [TWO, BY_PAYER, "awards.budget_exhausted=pro_rata"],
    "first_come_one_budget": [TWO, TIGHT, ENTITLED, "awards.budget_exhausted=first_come"],
    "paid_opens_windows": [TWO, "awards.budget_wan=700", "awards.budget_exhausted=first_come"],
    "paid_opens_windows_defer": [TWO, TIGHT, "awards.budget_exhausted=defer"],
}
FALL_BACK = ("paid_opens_windows", "paid_opens_windows_defer")


def _bits(a) -> np.ndarray:
    a = np.asarray(a)
    return a.view(np.int64) if a.dtype == np.float64 else a


def _chunk(world, k: int = 1, count: int = 10):
    p = world.params
    rng = np.random.default_rng(chunk_seed(p.seed, k))
    pools = recognition_pools(world.pop, p)
    return [draw_shocks(rng, world.pop, p, pools, run=k * count + i) for i in range(count)]


def _reference(worlds, shocks, start):
    """The chunk's figures one replication at a time through kernel.awards: the per-run loop
    montecarlo.run_lanes had before the engine ran once per chunk (main 14bc7db)."""
    world, years = worlds[0], pay_years(worlds[0])
    counter = [w.params.behaviour.active and w.params.counterfactual for w in worlds]
    on, off = simulate_pair(worlds, shocks, counter)
    _, rows_on = crossings_and_rows_lanes(worlds, on.reported)
    rows_off = rows_on if off is on else crossings_and_rows_lanes(worlds, off.reported)[1]
    A, Q = len(AWARDS), len(PAYERS)

    def cells(py, code, width, values):
        slot = py - years[0]
        ok = (slot >= 0) & (slot < len(years))
        flat = np.bincount(
            slot[ok] * width + code[ok], weights=values[ok], minlength=len(years) * width
        )
        return flat.reshape(len(years), width)

    def matched(a_, b_):
        k_on, k_off = a_.firm * A + a_.award, b_.firm * A + b_.award
        keys, inv = np.unique(np.concatenate([k_on, k_off]), return_inverse=True)
        a = np.bincount(inv[: len(k_on)], weights=a_.amount_wan, minlength=len(keys))
        b = np.bincount(inv[len(k_on) :], weights=b_.amount_wan, minlength=len(keys))
        return float(np.minimum(a, b).sum())

    out: dict[str, list] = {}
    cols = np.isin(np.array(world.params.years), world.params.award_years)
    for i, w in enumerate(worlds):
        n = w.pop.n
        run_on = (on.reported[i, :n], on.recognitions[i], on.platforms[i], rows_on[i, :n])
        earned, paid = awards(w, *run_on)
        claimed = earned
        if _claims_depend_on_budget(w):
            claimed, _ = awards(replace(w, interp=replace(w.interp, budget_wan=None)), *run_on)
        base, true_off = earned, on.true[i, :n]
        if counter[i]:
            run_off = (off.reported[i, :n], off.recognitions[i], off.platforms[i])
            base, _ = awards(w, *run_off, rows_off[i, :n])
            true_off = off.true[i, :n]
        py = claimed.revenue_year + w.interp.pay_lag_years
        flags = w.pop.missing_history
        firm_rows = claimed.award != PLATFORM
        mine = (
            firm_rows & flags[np.where(firm_rows, claimed.firm, 0)]
            if flags is not None
            else np.zeros(len(claimed), bool)
        )
        extra = np.nansum(on.true[i, :n], axis=0) - np.nansum(true_off, axis=0)
        for key, v in (
            ("claims", cells(py, claimed.award, A, claimed.amount_wan)),
            ("missing_wan", cells(py[mine], claimed.award[mine], A, claimed.amount_wan[mine])),
            ("owed", cells(paid.pay_year, paid.award, A, paid.owed_wan)),
            ("paid", cells(paid.pay_year, paid.award, A, paid.amount_wan)),
            ("claims_payer", cells(py, claimed.payers(), Q, claimed.amount_wan)),
            ("owed_payer", cells(paid.pay_year, paid.payers(), Q, paid.owed_wan)),
            ("paid_payer", cells(paid.pay_year, paid.payers(), Q, paid.amount_wan)),
            ("earned", float(earned.amount_wan.sum())),
            ("deadweight", matched(earned, base)),
            ("induced_wan", float(extra[cols].sum())),
            ("induced_all_wan", float(extra.sum())),
        ):
            out.setdefault(key, []).append(v)
    res = {k: np.array(v) for k, v in out.items()}
    res["missing_wan"] = res["missing_wan"].sum(axis=-1)
    return res


def _count_one_by_one(monkeypatch) -> list:
    calls: list = []
    one = chunk_awards._one

    def counted(*args):
        calls.append(args[-1])
        return one(*args)

    monkeypatch.setattr(chunk_awards, "_one", counted)
    return calls


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_chunk_path_is_the_replications_one_by_one(tmp_path, monkeypatch, case):
    world = small_world(tmp_path, CASES[case])
    shocks = _chunk(world)
    calls = _count_one_by_one(monkeypatch)
    got = run_lanes([world] * len(shocks), shocks, 10)
    alone = _reference([world] * len(shocks), shocks, 10)
    for key, v in alone.items():
        assert got[key].shape == v.shape, key
        assert np.array_equal(_bits(got[key]), _bits(v)), key
    assert np.all(got["paid"].sum(axis=(1, 2)) < got["owed"].sum(axis=(1, 2)) + 1e-9)
    assert got["paid"].sum() < got["claims"].sum()  # the budget binds: the test has teeth
    assert got["claims_payer"][..., PAYERS.index("嘉善县")].sum() > 0  # two payers have claims
    if case in FALL_BACK:
        assert _claims_depend_on_budget(world)
        assert calls  # some replications needed settle's interleaving: the fall-back ran
        if case == "paid_opens_windows":
            assert len(set(calls)) < len(shocks)  # … and only those
    else:
        assert not calls  # the stacked path did it all


@pytest.mark.parametrize("case", ["defer_by_payer", "paid_opens_windows"])
def test_each_replication_gets_kernel_awards_rows_exactly(tmp_path, case):
    """Earned and Paid row by row (not only their sums), against kernel.awards."""
    world = small_world(tmp_path, CASES[case])
    shocks = _chunk(world, k=2)
    worlds = [world] * len(shocks)
    on, _ = simulate_pair(worlds, shocks, [False] * len(shocks))
    _, rows = crossings_and_rows_lanes(worlds, on.reported)
    got = settle_chunk(worlds, on.reported, on.recognitions, on.platforms, rows)
    assert got.c == len(shocks)
    for i in range(len(shocks)):
        e, p = got.lane(i)
        ref_e, ref_p = awards(world, on.reported[i], on.recognitions[i], on.platforms[i], rows[i])
        for k in EARNED_FIELDS:
            assert np.array_equal(_bits(getattr(e, k)), _bits(getattr(ref_e, k))), (i, k)
        for k in PAID_FIELDS:
            assert np.array_equal(_bits(getattr(p, k)), _bits(getattr(ref_p, k))), (i, k)
    assert len(got.earned) > 0 and (got.earned.award == PLATFORM).any()


def test_a_cap_per_platform_is_not_stacked_and_still_exact(tmp_path, monkeypatch):
    """platform_cap = per_platform sums floats along the platforms: one by one, same numbers."""
    world = small_world(tmp_path, [TWO, BY_PAYER, "awards.platform_cap=per_platform"])
    assert not stackable([world])
    shocks = _chunk(world, count=4)
    calls = _count_one_by_one(monkeypatch)
    got = run_lanes([world] * 4, shocks, 4)
    alone = _reference([world] * 4, shocks, 4)
    for key, v in alone.items():
        assert np.array_equal(_bits(got[key]), _bits(v)), key
    assert len(calls) >= 4


@pytest.mark.parametrize("policy", ["pro_rata", "first_come", "defer"])
def test_pay_by_group_is_pay_on_each_group(policy):
    """pay(group=…) on stacked claims: each group's rows what pay gives on its rows alone."""
    from fundalloc.rules.jiaxing import Interpretation

    rng = np.random.default_rng(5)
    interp = Interpretation(budget_exhausted=policy, budget_wan={2025: 70.0, 2026: 40.5})
    parts = []
    for _ in range(7):
        m = int(rng.integers(0, 30))
        ry = rng.integers(2023, 2027, m)
        o = np.lexsort((np.arange(m), ry))
        parts.append(
            Earned(
                np.arange(m),
                rng.integers(0, 4, m)[o],
                ry[o],
                rng.lognormal(2.0, 1.0, m)[o],
                np.zeros(m, np.int64),
                np.zeros(m, np.int64),
            )
        )
    group = np.repeat(np.arange(7), [len(e) for e in parts])
    stacked = Earned(*(np.concatenate([getattr(e, k) for e in parts]) for k in EARNED_FIELDS))
    got = pay(stacked, interp, group=group)
    at = 0
    for g, e in enumerate(parts):
        alone: Paid = pay(e, interp)
        mine = group[got.claim] == g
        for k in ("amount_wan", "owed_wan", "pay_year", "award"):
            assert np.array_equal(_bits(getattr(got, k)[mine]), _bits(getattr(alone, k))), k
        assert np.array_equal(got.claim[mine] - at, alone.claim)
        at += len(e)
    assert got.amount_wan.sum() < got.owed_wan.sum()  # the budget binds


def test_recognitions_and_platforms_of_a_chunk_are_those_run_by_run(tmp_path):
    from fundalloc.simulation.kernel import (
        platforms,
        platforms_chunk,
        recognitions,
        recognitions_chunk,
    )
    from fundalloc.simulation.params import Behaviour

    world = small_world(tmp_path, [TWO])
    shocks = _chunk(world, k=3)
    on, _ = simulate_pair([world] * len(shocks), shocks, [False] * len(shocks))
    behaviours = [world.params.behaviour, Behaviour()] * (len(shocks) // 2)
    recs = recognitions_chunk(world, shocks, behaviours, on.true)
    plats = platforms_chunk(world, shocks)
    assert len(recs) == len(plats) == len(shocks)
    for i, s in enumerate(shocks):
        for a, b in zip(recs[i], recognitions(world, s, behaviours[i], on.true[i]), strict=True):
            assert a.dtype == b.dtype and np.array_equal(_bits(a), _bits(b))
        for a, b in zip(plats[i], platforms(world, s), strict=True):
            assert a.dtype == b.dtype and np.array_equal(_bits(a), _bits(b))
    assert sum(len(r[0]) for r in recs) > 0 and sum(len(p[0]) for p in plats) > 0
    # more firms apply with behaviour on: the lanes' own rates were used
    assert len(recs[0][0]) != len(recognitions(world, shocks[0], Behaviour(), on.true[0])[0])


def test_drawn_worlds_with_their_own_slots_match_one_by_one(tmp_path):
    """Uncertain assumptions, `applying` drawn (so each lane has its own number of candidate
    slots) and population sizes drawn (padded lanes, stacked by block): still exact."""
    from test_simulation_lanes import DRAWN, _one_by_one

    from fundalloc.simulation.uncertain import run_drawn_chunk

    applying = 'simulation.behaviour.applying={ dist = "uniform", low = 0.0, high = 1.0 }'
    world = small_world(tmp_path, [*DRAWN, applying, TWO, BY_PAYER])
    batch = run_drawn_chunk(world, 0, 0, 5)
    alone = _one_by_one(world, 0, 5)
    for key, v in alone.items():
        assert np.array_equal(_bits(batch[key]), _bits(v)), key
    assert batch["earned"].std() > 0
