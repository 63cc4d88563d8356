"""The selection rules checked on one given batch, in words: the same rules the MIP
(model/selection.py) imposes, as a pure function over plain arrays, so that a budget officer's
own batch can be judged rule by rule (`fundalloc compare`). tests/test_compare.py checks on many
random batches that this function finds no broken rule exactly when the MIP, with the batch
fixed, is feasible.
"""

from __future__ import annotations

import math

import numpy as np

from fundalloc.selection.model import Instance


def cheapest_awards_wan(inst: Instance, k: int) -> float:
    """Least money k designated applicants can receive under floor, step and tiers."""
    p = inst.params
    if p.award_mode == "tiers":
        usable = [t for t in p.tiers_wan if p.floor_wan - 1e-9 <= t <= p.cap_wan + 1e-9]
        low = min(usable) if usable else math.inf
    else:
        low = math.ceil(p.floor_wan / p.step_wan - 1e-9) * p.step_wan
        if low > p.cap_wan + 1e-9:
            low = math.inf
    return k * low


def count_violations(inst: Instance, x: np.ndarray) -> list[str]:
    """Rules on who is designated: batch size, per city, per regional group, pins, and whether
    the budget can pay the smallest awards."""
    p, x = inst.params, np.asarray(x, bool)
    k = int(x.sum())
    out: list[str] = []
    if k < p.batch_min:
        out.append(f"batch_min: {k} designated, at least {p.batch_min} required")
    if k > p.batch_max:
        out.append(f"batch_max: {k} designated, at most {p.batch_max} allowed")
    city = np.asarray(inst.city, dtype=object)
    for c in sorted(set(city[x])):
        have = int((city[x] == c).sum())
        if have > p.city_max:
            out.append(f"city_max: {have} designated in {c}, at most {p.city_max} per city")
    region = np.asarray(inst.region, dtype=object)
    for g in inst.regions:
        have = int((region[x] == g).sum())
        name = inst.region_names.get(g, g)
        if have < p.region_min.get(g, 0):
            out.append(f"region_min.{g}: {have} designated in {name}, at least "
                       f"{p.region_min[g]} required")
        if g in p.region_max and have > p.region_max[g]:
            out.append(f"region_max.{g}: {have} designated in {name}, at most "
                       f"{p.region_max[g]} allowed")
    covered = len(set(region[x]))
    if covered < p.groups_covered_min:
        out.append(f"groups_covered_min: {covered} regional groups covered, at least "
                   f"{p.groups_covered_min} required")
    for i, pin in enumerate(inst.pinned):
        if pin == "in" and not x[i]:
            out.append(f"pinned_in: {inst.ids[i]} ({_name(inst, i)}) is pinned in but left out")
        if pin == "out" and x[i]:
            out.append(f"pinned_out: {inst.ids[i]} ({_name(inst, i)}) is pinned out but included")
    least = cheapest_awards_wan(inst, k)
    if k and least > p.budget_wan + 1e-9:
        what = "no award between floor and cap fits the step" if math.isinf(least) else \
            f"{k} designated × smallest award {least / k:,.0f} 万 = {least:,.0f} 万"
        out.append(f"budget: {p.budget_wan:,.0f} 万 cannot pay {what}")
    return out


def award_violations(inst: Instance, x: np.ndarray, award: np.ndarray) -> list[str]:
    """Rules on the money, for awards the user proposes (万, over the instance's applicants)."""
    p, x, award = inst.params, np.asarray(x, bool), np.asarray(award, float)
    out: list[str] = []
    total = float(award[x].sum())
    if total > p.budget_wan + 1e-6:
        out.append(f"budget: awards total {total:,.0f} 万, above the budget {p.budget_wan:,.0f} 万")
    for i in np.flatnonzero(x):
        a, who = award[i], f"{inst.ids[i]} ({_name(inst, i)})"
        if a < p.floor_wan - 1e-6:
            out.append(f"award_floor: {who} gets {a:,.0f} 万, below the floor {p.floor_wan:,.0f} 万")
        if a > p.cap_wan + 1e-6:
            out.append(f"award_cap: {who} gets {a:,.0f} 万, above the cap {p.cap_wan:,.0f} 万")
        if p.award_mode == "tiers":
            if not any(abs(a - t) < 1e-6 for t in p.tiers_wan):
                out.append(f"tiers_wan: {who} gets {a:,.0f} 万, not one of the tiers "
                           f"{', '.join(f'{t:g}' for t in sorted(p.tiers_wan))}")
        elif abs(a / p.step_wan - round(a / p.step_wan)) > 1e-6:
            out.append(f"step_wan: {who} gets {a:,.2f} 万, not a whole multiple of "
                       f"{p.step_wan:g} 万")
    if p.award_mode == "tiers":
        idx = np.flatnonzero(x)
        for i in idx:
            for j in idx:
                if inst.f[i] > inst.f[j] + 1e-12 and award[i] < award[j] - 1e-6:
                    out.append(f"tier_monotone: {inst.ids[i]} has the larger factor index "
                               f"({inst.f[i]:.3f} > {inst.f[j]:.3f}) but a smaller tier than "
                               f"{inst.ids[j]} ({award[i]:,.0f} < {award[j]:,.0f} 万)")
    return out


def best_fit_lambda(f: np.ndarray, award: np.ndarray) -> float:
    """The common λ (万 per unit of factor index) that minimises Σ|award_i − λ·f_i|: a weighted
    median of award_i / f_i with weights f_i."""
    if len(f) == 0:
        return 0.0
    ratio = award / f
    order = np.argsort(ratio)
    cum = np.cumsum(f[order])
    return float(ratio[order][np.searchsorted(cum, cum[-1] / 2)])


def _name(inst: Instance, i: int) -> str:
    return inst.names[i] if inst.names else inst.ids[i]
