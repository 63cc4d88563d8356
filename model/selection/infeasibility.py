"""Why no batch exists: a minimal set of conflicting rules, in plain words.

Each rule of the registry (model/selection/rules.py) is a constraint group of the model —
budget, batch_min, one city's limit, one group's minimum, one pinned applicant, … — switched
off in turn; a group whose removal keeps the model infeasible is not needed for the conflict
and stays off (a deletion filter, Chinneck 2008). What remains is an irreducible infeasible set
at the level of rules a budget officer recognises — the same answer an IIS gives, but over
rules rather than rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import pyomo.environ as pyo

from fundalloc.core.i18n import tr
from fundalloc.selection.award_rules import floor_words
from fundalloc.selection.instance import Instance
from fundalloc.selection.levels import in_steps, level_range
from fundalloc.selection.rules import RULES
from fundalloc.solvers import solve
from fundalloc.solvers.highs import make_solver

K = TypeVar("K")  # a group's key
Words = Callable[[Instance, Any], str]  # every rule with a place in the filter has its words


def rule_groups(m) -> list[tuple[str, object, list]]:
    """(rule, key, constraint data) for every switchable rule of a built model, in the order
    the deletion filter tries them: one group per key for per-key rules, else one per rule."""
    out = []
    for rule in sorted(
        (r for r in RULES.values() if r.explain_at is not None),
        key=lambda r: cast(int, r.explain_at),
    ):
        comp = getattr(m, rule.name, None)
        if comp is None or not len(comp):
            continue  # a rule with no rows here cannot take part in a conflict
        if rule.per_key:
            out += [(rule.name, key, [comp[key]]) for key in comp]
        else:
            out.append((rule.name, None, list(comp.values())))
    return out


def deletion_filter(m, groups: Sequence[tuple[K, list]]) -> list[K]:
    """Keys of an irreducible set of conflicting groups of an infeasible model. `groups` are
    (key, components to switch off); a group whose removal keeps the model infeasible is not
    needed for the conflict and stays off while the others are tried. All groups are switched
    back on at the end; the model's objectives stay off."""
    solver = make_solver(time_limit=30)
    for obj in m.component_objects(pyo.Objective, active=True):
        obj.deactivate()
    m.feasibility = pyo.Objective(expr=0)
    needed = []
    for key, comps in groups:
        for c in comps:
            c.deactivate()
        if solve(m, solver).status != "infeasible":
            for c in comps:
                c.activate()
            needed.append(key)
    for _, comps in groups:
        for c in comps:
            c.activate()
    m.del_component(m.feasibility)
    return needed


def conflicting_groups(m) -> list[tuple[str, object]]:
    return deletion_filter(m, [((kind, key), cons) for kind, key, cons in rule_groups(m)])


# Budget, a head count (batch_min, or regional minima that add up) and the floor conflicting
# together is the commonest clash: one sentence with the arithmetic says it better than the
# rules side by side. The floor and cap are those the model can pay: rounded to the step
# (a floor of 205 万 in 50 万 steps is 250 万), else the sentence can be arithmetically false.
MONEY = ("budget", "award_floor")
UNIT_WORDS = {  # floor_words' names of the least award
    "floor": lambda: tr("infeasible.unit.floor"),
    "smallest tier": lambda: tr("infeasible.unit.smallest_tier"),
    "smallest fixed amount": lambda: tr("infeasible.unit.smallest_fixed_amount"),
}


def _money_words(groups: list[tuple[str, object]], inst: Instance) -> tuple[list[str], set]:
    """The budget-against-head-count sentence, and the groups it covers."""
    p, kinds = inst.params, {k for k, _ in groups}
    if not set(MONEY) <= kinds:
        return [], set()
    unit, floor = floor_words(inst)
    regional = [cast(str, g) for k, g in groups if k == "region_min"]
    need_regions = sum(p.region_min[g] for g in regional)
    counts = []
    if "batch_min" in kinds:
        counts.append((p.batch_min, tr("infeasible.batch_min", k=p.batch_min), {"batch_min"}))
    if regional:
        terms = " + ".join(str(p.region_min[g]) for g in regional)
        sum_text = terms if len(regional) == 1 else f"{terms} = {need_regions}"
        counts.append((need_regions, tr("infeasible.region_sum", terms=sum_text), {"region_min"}))
    if not counts:
        return [], set()
    k, what, covered = max(counts, key=lambda c: c[0])
    rounded = (
        tr("infeasible.rounded", floor=f"{p.floor_wan:,.0f}", step=f"{p.step_wan:g}")
        if unit == "floor" and abs(floor - p.floor_wan) > 1e-9
        else ""
    )
    words = tr(
        "infeasible.budget_below",
        budget=f"{p.budget_wan:,.0f}",
        what=what,
        unit=UNIT_WORDS[unit](),
        floor=f"{floor:,.0f}",
        rounded=rounded,
        total=f"{k * floor:,.0f}",
    )
    return [words], {*MONEY, *covered}


def _no_level_words(groups, inst: Instance) -> tuple[list[str], set]:
    """Floor and cap with no whole step between them (after rounding): the cap is also the
    award columns' upper bound, so the conflict may name the floor alone."""
    p = inst.params
    if "award_floor" not in {k for k, _ in groups} or not in_steps(p):
        return [], set()
    lo, hi = level_range(p)
    if lo <= hi:
        return [], set()
    return [
        tr(
            "infeasible.no_level",
            floor=f"{p.floor_wan:,.0f}",
            floor_r=f"{lo * p.step_wan:,.0f}",
            cap=f"{p.cap_wan:,.0f}",
            cap_r=f"{hi * p.step_wan:,.0f}",
            step=f"{p.step_wan:g}",
        )
    ], {"award_floor", "award_cap"}


def describe(groups: list[tuple[str, object]], inst: Instance) -> list[str]:
    words, covered = _no_level_words(groups, inst)
    if not words:
        words, covered = _money_words(groups, inst)
    rest = [(k, g) for k, g in groups if k not in covered]
    return words + [cast(Words, RULES[kind].words)(inst, key) for kind, key in rest]
