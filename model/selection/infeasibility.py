"""Why no batch exists: a minimal set of conflicting constraints, in plain words.

Each named constraint group of the model (budget, batch_min, one city's limit, one group's
minimum, one pinned applicant, …) is switched off in turn; a group whose removal keeps the model
infeasible is not needed for the conflict and stays off (a deletion filter, Chinneck 2008). What
remains is an irreducible infeasible set at the level of rules a budget officer recognises —
the same answer an IIS gives, but over rules rather than rows.
"""

from __future__ import annotations

import pyomo.environ as pyo

from fundalloc.solvers import solve
from fundalloc.solvers.highs import make_solver

from fundalloc.selection.model import Instance


def _groups(m) -> list[tuple[str, object, list]]:
    """(kind, key, constraint data objects) for every switchable rule in the model."""
    out = [("budget", None, [m.budget]), ("batch_min", None, [m.batch_min]),
           ("batch_max", None, [m.batch_max]),
           ("award_floor", None, list(m.award_floor.values())),
           ("award_cap", None, list(m.award_cap.values()))]
    for name in ("city_max", "region_min", "region_max", "pinned_in", "pinned_out"):
        comp = getattr(m, name)
        out += [(name, key, [comp[key]]) for key in comp]
    cov = getattr(m, "groups_covered_min", None)
    if cov is not None and len(cov):
        out.append(("groups_covered_min", None, list(cov.values())))
    return out


def deletion_filter(m, groups: list[tuple[object, list]]) -> list[object]:
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
    return deletion_filter(m, [((kind, key), cons) for kind, key, cons in _groups(m)])


def describe(groups: list[tuple[str, object]], inst: Instance) -> list[str]:
    p = inst.params
    unit = "smallest tier" if p.award_mode == "tiers" else "floor"
    floor = min(p.tiers_wan) if p.award_mode == "tiers" else p.floor_wan
    floor = max(floor, p.floor_wan)
    kinds = {k for k, _ in groups}
    words: list[str] = []
    if {"budget", "batch_min", "award_floor"} <= kinds:
        words.append(f"budget {p.budget_wan:,.0f} 万 is below batch_min {p.batch_min} × "
                     f"{unit} {floor:,.0f} 万 = {p.batch_min * floor:,.0f} 万")
        groups = [(k, g) for k, g in groups if k not in ("budget", "batch_min", "award_floor")]
    n_eligible = len(inst.ids)
    for kind, key in groups:
        if kind == "budget":
            words.append(f"total budget of {p.budget_wan:,.0f} 万 (budget_wan)")
        elif kind == "batch_min":
            words.append(f"at least {p.batch_min} designated in the batch (batch_min); "
                         f"{n_eligible} applicants are eligible")
        elif kind == "batch_max":
            words.append(f"at most {p.batch_max} designated in the batch (batch_max)")
        elif kind == "award_floor":
            words.append(f"each designated applicant gets at least the {unit} {floor:,.0f} 万")
        elif kind == "award_cap":
            words.append(f"each designated applicant gets at most the cap {p.cap_wan:,.0f} 万")
        elif kind == "city_max":
            words.append(f"at most {p.city_max} designated per city, here {key} (city_max)")
        elif kind in ("region_min", "region_max"):
            have = sum(1 for r in inst.region if r == key)
            limit = p.region_min[key] if kind == "region_min" else p.region_max[key]
            rel = "at least" if kind == "region_min" else "at most"
            words.append(f"{rel} {limit} designated in regional group {key} "
                         f"({inst.region_names.get(key, key)}), which has {have} eligible applicant(s) "
                         f"({kind}.{key})")
        elif kind == "groups_covered_min":
            have = len(set(inst.region))
            words.append(f"at least {p.groups_covered_min} regional groups covered, each by one "
                         f"designated applicant or more (groups_covered_min); {have} of the "
                         f"{len(inst.regions)} groups have eligible applicants")
        elif kind in ("pinned_in", "pinned_out"):
            i = int(key)
            words.append(f"applicant {inst.ids[i]} ({inst.names[i]}, {inst.city[i]}) is pinned "
                         f"{'in' if kind == 'pinned_in' else 'out'}")
    return words
