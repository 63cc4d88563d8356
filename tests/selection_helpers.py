"""Random small selection instances, an independent brute-force optimum, and a checker that
every constraint holds on a returned solution. Shared by the selection tests."""

from __future__ import annotations

import itertools
import math

import numpy as np

from fundalloc.rules.henan import CITY_REGION, REGIONS
from fundalloc.selection.batch import Solution
from fundalloc.selection.instance import Instance
from fundalloc.selection.params import SelectionParams

CITIES = list(CITY_REGION)


def random_instance(seed: int, n: int, mode: str = "proportional", pins: bool = True) -> Instance:
    rng = np.random.default_rng(seed)
    cities = list(rng.choice(CITIES, size=max(3, n // 2), replace=False))
    city = [str(rng.choice(cities)) for _ in range(n)]
    step = float(rng.choice([10, 50]))
    floor = float(rng.choice([100, 150, 200, 230]))
    cap = floor + float(rng.choice([0, 100, 170, 300]))
    kmax = int(rng.integers(2, 6))
    kmin = int(rng.integers(1, kmax + 1))
    budget = float(rng.integers(kmin, kmax + 2) * (floor + cap) / 2 + rng.choice([0, 35]))
    present = {CITY_REGION[c] for c in city}
    region_min = {g: int(g in present and rng.random() < 0.25) for g in REGIONS}
    region_max = {g: int(rng.integers(1, 3)) for g in REGIONS if rng.random() < 0.4}
    tiers = sorted({float(floor), float(floor + 50), float(min(cap, floor + 120)), float(cap)})
    params = SelectionParams(
        budget_wan=budget,
        floor_wan=floor,
        cap_wan=cap,
        step_wan=step,
        batch_min=kmin,
        batch_max=kmax,
        city_max=int(rng.integers(1, 3)),
        region_min=region_min,
        region_max=region_max,
        award_mode=mode,
        tiers_wan=tiers,
    )
    pinned = [""] * n
    if pins and rng.random() < 0.5:
        pinned[int(rng.integers(n))] = str(rng.choice(["in", "out"]))
    return Instance(
        ids=[f"A{i:02d}" for i in range(n)],
        city=city,
        region=[CITY_REGION[c] for c in city],
        score=np.round(rng.uniform(50, 100, n), 1),
        f=np.round(rng.uniform(0.5, 2.0, n), 3),
        pinned=pinned,
        params=params,
        names=[f"applicant {i}" for i in range(n)],
    )


def structurally_feasible(inst: Instance) -> tuple[np.ndarray, np.ndarray]:
    """All subsets as a boolean matrix, and which satisfy every rule that does not involve money."""
    p, n = inst.params, len(inst.ids)
    masks = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    count = masks.sum(1)
    ok = (count >= p.batch_min) & (count <= p.batch_max)
    for c in set(inst.city):
        ok &= masks[:, [x == c for x in inst.city]].sum(1) <= p.city_max
    for g in REGIONS:
        in_g = masks[:, [r == g for r in inst.region]].sum(1)
        ok &= in_g >= p.region_min.get(g, 0)
        if g in p.region_max:
            ok &= in_g <= p.region_max[g]
    for i, pin in enumerate(inst.pinned):
        if pin == "in":
            ok &= masks[:, i]
        elif pin == "out":
            ok &= ~masks[:, i]
    return masks, ok


def award_levels(p: SelectionParams) -> list[float]:
    if p.award_mode == "tiers":
        return [t for t in sorted(set(p.tiers_wan)) if p.floor_wan <= t <= p.cap_wan]
    lo, hi = math.ceil(p.floor_wan / p.step_wan - 1e-9), math.floor(p.cap_wan / p.step_wan + 1e-9)
    return [k * p.step_wan for k in range(lo, hi + 1)]


def min_l1_fit(a: np.ndarray, f: np.ndarray, lam_max: float) -> float:
    """min over 0 ≤ λ ≤ lam_max of Σ|a_i − λ f_i|: convex piecewise linear, so a breakpoint wins."""
    cands = np.clip(np.concatenate([a / f, [0.0, lam_max]]), 0, lam_max)
    return float(min(np.abs(a - lam * f).sum() for lam in cands))


def brute_force(inst: Instance, full: bool = True):
    """Lexicographic optimum by enumeration: (best score, best spend, best deviation or None).
    Returns None when no batch is feasible."""
    p = inst.params
    masks, ok = structurally_feasible(inst)
    levels = award_levels(p)
    if not levels:
        ok &= masks.sum(1) == 0
        levels = [0.0]
    ok &= masks.sum(1) * levels[0] <= p.budget_wan + 1e-9  # all at the lowest level is cheapest
    if not ok.any():
        return None
    scores = masks.astype(float) @ inst.score
    best = scores[ok].max()
    tied = np.flatnonzero(ok & (scores >= best - 1e-6 * max(1, abs(best))))
    lam_max = p.cap_wan / inst.f.min()
    results = []  # (spend, deviation) per tied mask and award vector
    for t in tied:
        members = np.flatnonzero(masks[t])
        fm = inst.f[members]
        if p.award_mode == "proportional" and not full:
            k = len(members)
            spend = min(math.floor(p.budget_wan / p.step_wan + 1e-9) * p.step_wan, k * levels[-1])
            results.append((spend, None))
            continue
        for combo in itertools.product(levels, repeat=len(members)):
            a = np.array(combo, dtype=float)
            if a.sum() > p.budget_wan + 1e-9:
                continue
            if p.award_mode == "tiers" and not _monotone(a, fm):
                continue
            results.append((a.sum(), min_l1_fit(a, fm, lam_max) if full else None))
    spend = max(r[0] for r in results) if p.spend_budget else None
    if not full:
        return best, spend, None
    pool = [r for r in results if spend is None or r[0] >= spend - 1e-6]
    return best, spend, min(r[1] for r in pool)


def _monotone(a: np.ndarray, f: np.ndarray) -> bool:
    for i in range(len(a)):
        for j in range(len(a)):
            if f[i] < f[j] and a[i] > a[j] + 1e-9:
                return False
            if math.isclose(f[i], f[j], rel_tol=1e-12) and abs(a[i] - a[j]) > 1e-9:
                return False
    return True


def check_solution(inst: Instance, sol: Solution) -> None:
    """Assert every rule of the model on a returned solution."""
    p, x, a = inst.params, sol.designated, sol.award_wan
    assert a.sum() <= p.budget_wan + 1e-6, "budget"
    assert p.batch_min <= x.sum() <= p.batch_max, "batch size"
    assert np.all(a[~x] == 0), "award without designation"
    levels = award_levels(p)
    for i in np.flatnonzero(x):
        assert p.floor_wan - 1e-6 <= a[i] <= p.cap_wan + 1e-6, "floor/cap"
        assert any(abs(a[i] - v) < 1e-6 for v in levels), "award not a step multiple / tier"
    for c in set(inst.city):
        assert sum(x[i] for i in range(len(x)) if inst.city[i] == c) <= p.city_max, "city_max"
    for g in REGIONS:
        k = sum(x[i] for i in range(len(x)) if inst.region[i] == g)
        assert k >= p.region_min.get(g, 0), "region_min"
        if g in p.region_max:
            assert k <= p.region_max[g], "region_max"
    for i, pin in enumerate(inst.pinned):
        if pin:
            assert x[i] == (pin == "in"), "pinned"
    if p.award_mode == "tiers":
        assert _monotone(a[x], inst.f[x]), "tiers not monotone in the factor index"
    assert math.isclose(sol.total_score, float(inst.score[x].sum()), abs_tol=1e-6)
