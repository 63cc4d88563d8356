"""The money rules of the selection model: award floor and cap, the budget, and the form of an
award (whole steps or a tier, tiers monotone in f). For each: its definer (rows for the MIP,
maths in the docstring), its check on a given batch and its words in a conflict; the registry
(rules.py) puts them together.
"""

from __future__ import annotations

import math

import numpy as np

from fundalloc.core.i18n import tr
from fundalloc.selection.instance import Instance
from fundalloc.selection.levels import cheapest_awards_wan, level_range
from fundalloc.selection.rows import INF, Definition, Rows, all_in_one, bounds, each, single


def floor_words(inst: Instance) -> tuple[str, float]:
    """What the least award is called, and its amount (万)."""
    p = inst.params
    unit = "smallest tier" if p.award_mode == "tiers" else "floor"
    floor = min(p.tiers_wan) if p.award_mode == "tiers" else p.floor_wan
    return unit, max(floor, p.floor_wan)


def _each_award(inst: Instance, x, award, test) -> list[tuple[int, str]]:
    """(i, message) for each designated applicant whose award fails `test(award, who)`."""
    x, award = np.asarray(x, bool), np.asarray(award, float)
    return [(int(i), msg) for i in np.flatnonzero(x) if (msg := test(award[i], inst.who(int(i))))]


# --------------------------------------------------------------------------- award_floor


def award_floor(inst: Instance) -> Definition:
    """floor · x_i ≤ award_i for every applicant i. Proportional awards are whole steps, so the
    row is in steps: ⌈floor / step⌉ · x_i − n_i ≤ 0; tiers: floor · x_i − award_i ≤ 0."""
    p, n = inst.params, len(inst.ids)
    if p.award_mode == "proportional":
        terms = [each("x", n, level_range(p)[0]), each("n", n, -1.0)]
    else:
        terms = [each("x", n, p.floor_wan), each("award", n, -1.0)]
    return Definition([Rows("award_floor", list(range(n)), terms, *bounds(n, -INF, 0.0))])


def award_floor_broken(inst: Instance, x, award):
    p = inst.params
    return _each_award(
        inst,
        x,
        award,
        lambda a, who: (
            a < p.floor_wan - 1e-6
            and tr("broken.award_floor", who=who, award=f"{a:,.0f}", floor=f"{p.floor_wan:,.0f}")
        ),
    )


def award_floor_words(inst: Instance, _key) -> str:
    unit, floor = floor_words(inst)
    return f"each designated applicant gets at least the {unit} {floor:,.0f} 万"


# --------------------------------------------------------------------------- award_cap


def award_cap(inst: Instance) -> Definition:
    """award_i ≤ cap · x_i: n_i − ⌊cap / step⌋ · x_i ≤ 0; tiers: award_i − cap · x_i ≤ 0."""
    p, n = inst.params, len(inst.ids)
    if p.award_mode == "proportional":
        terms = [each("n", n), each("x", n, -level_range(p)[1])]
    else:
        terms = [each("award", n), each("x", n, -p.cap_wan)]
    return Definition([Rows("award_cap", list(range(n)), terms, *bounds(n, -INF, 0.0))])


def award_cap_broken(inst: Instance, x, award):
    p = inst.params
    return _each_award(
        inst,
        x,
        award,
        lambda a, who: (
            a > p.cap_wan + 1e-6
            and tr("broken.award_cap", who=who, award=f"{a:,.0f}", cap=f"{p.cap_wan:,.0f}")
        ),
    )


def award_cap_words(inst: Instance, _key) -> str:
    return f"each designated applicant gets at most the cap {inst.params.cap_wan:,.0f} 万"


# --------------------------------------------------------------------------- award form


def award_level_broken(inst: Instance, x, award):
    """award_i = step · n_i with n_i whole, or award_i one of the tiers. No rows of its own:
    the award columns (levels.py) are this rule."""
    p = inst.params

    def test(a, who):
        if p.award_mode == "tiers":
            return not any(abs(a - t) < 1e-6 for t in p.tiers_wan) and (
                tr(
                    "broken.tiers_wan",
                    who=who,
                    award=f"{a:,.0f}",
                    tiers=", ".join(f"{t:g}" for t in sorted(p.tiers_wan)),
                )
            )
        return abs(a / p.step_wan - round(a / p.step_wan)) > 1e-6 and (
            tr("broken.step_wan", who=who, award=f"{a:,.2f}", step=f"{p.step_wan:g}")
        )

    return _each_award(inst, x, award, test)


def tier_monotone_broken(inst: Instance, x, award):
    """Tier mode: f_i > f_j ⇒ award_i ≥ award_j among the designated. In the MIP, the chain of
    "level ≥ tier t" binaries along the f-order (levels.py)."""
    if inst.params.award_mode != "tiers":
        return []
    idx, award = np.flatnonzero(np.asarray(x, bool)), np.asarray(award, float)
    out: list[tuple[int, str]] = []
    for i in idx:
        for j in idx:
            if inst.f[i] > inst.f[j] + 1e-12 and award[i] < award[j] - 1e-6:
                out.append(
                    (
                        len(out),
                        tr(
                            "broken.tier_monotone",
                            i=inst.ids[i],
                            j=inst.ids[j],
                            fi=f"{inst.f[i]:.3f}",
                            fj=f"{inst.f[j]:.3f}",
                            ai=f"{award[i]:,.0f}",
                            aj=f"{award[j]:,.0f}",
                        ),
                    )
                )
    return out


# --------------------------------------------------------------------------- budget


def budget(inst: Instance) -> Definition:
    """Σ_i award_i ≤ budget."""
    return Definition(
        [single("budget", [all_in_one("award", len(inst.ids))], upper=inst.params.budget_wan)]
    )


def budget_total_broken(inst: Instance, x, award):
    """The awards given add up to more than the budget."""
    p = inst.params
    total = float(np.asarray(award, float)[np.asarray(x, bool)].sum())
    if total <= p.budget_wan + 1e-6:
        return []
    return [(0, tr("broken.budget_total", total=f"{total:,.0f}", budget=f"{p.budget_wan:,.0f}"))]


def budget_least_broken(inst: Instance, x):
    """Even the smallest awards of the batch cost more than the budget."""
    p, k = inst.params, int(np.asarray(x, bool).sum())
    least = cheapest_awards_wan(inst, k)
    if not (k and least > p.budget_wan + 1e-9):
        return []
    what = (
        tr("broken.no_step")
        if math.isinf(least)
        else tr("broken.least", n=k, each=f"{least / k:,.0f}", least=f"{least:,.0f}")
    )
    return [(0, tr("broken.budget_least", budget=f"{p.budget_wan:,.0f}", what=what))]


def budget_words(inst: Instance, _key) -> str:
    return f"total budget of {inst.params.budget_wan:,.0f} 万 (budget_wan)"
