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

from fundalloc.selection.award_rules import floor_words
from fundalloc.selection.instance import Instance
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


# Budget, batch_min and award_floor conflicting together is the commonest clash: one sentence
# with the arithmetic says it better than three rules side by side.
TOGETHER = ("budget", "batch_min", "award_floor")


def describe(groups: list[tuple[str, object]], inst: Instance) -> list[str]:
    p = inst.params
    words: list[str] = []
    if set(TOGETHER) <= {k for k, _ in groups}:
        unit, floor = floor_words(inst)
        words.append(
            f"budget {p.budget_wan:,.0f} 万 is below batch_min {p.batch_min} × "
            f"{unit} {floor:,.0f} 万 = {p.batch_min * floor:,.0f} 万"
        )
        groups = [(k, g) for k, g in groups if k not in TOGETHER]
    return words + [cast(Words, RULES[kind].words)(inst, key) for kind, key in groups]
