"""The head-count rules of the selection model: batch size, per city, per regional group,
groups covered, pins. For each: its definer (rows for the MIP, maths in the docstring), its
check on a given batch — the batch put into the rule's own rows, so the check and the MIP
cannot disagree on which cities or groups a limit applies to — and its words in a conflict.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fundalloc.core.i18n import tr
from fundalloc.selection.instance import Instance
from fundalloc.selection.rows import (
    INF,
    Columns,
    Definition,
    Rows,
    all_in_one,
    bounds,
    broken_rows,
    one_each,
    single,
    sums,
)

# The fixed zero added to a group's rows: it keeps "at least r in a group with no eligible
# applicant" a real (infeasible) Pyomo constraint the explanation can name, not a trivial one.
NONE = Columns("none_eligible", None, 0.0, 0.0, False)


def _members(values: list[str], keys) -> list[np.ndarray]:
    column = np.asarray(values, dtype=object)
    return [np.flatnonzero(column == k) for k in keys]


def _broken(define, inst: Instance, x) -> list[tuple[int, Any, int]]:
    """(position, key, count) for each row of the rule that the batch x breaks."""
    rows = next(r for r in define(inst).rows if r.name == define.__name__)
    values = {"x": np.asarray(x, float), NONE.family: np.zeros(1)}
    return [(r, key, int(round(v))) for r, key, v in broken_rows(rows, values)]


# --------------------------------------------------------------------------- batch size


def batch_min(inst: Instance) -> Definition:
    """Σ_i x_i ≥ batch_min."""
    return Definition(
        [single("batch_min", [all_in_one("x", len(inst.ids))], lower=inst.params.batch_min)]
    )


def batch_min_broken(inst: Instance, x):
    return [
        (0, tr("broken.batch_min", n=k, min=inst.params.batch_min))
        for _, _, k in _broken(batch_min, inst, x)
    ]


def batch_min_words(inst: Instance, _key) -> str:
    return (
        f"at least {inst.params.batch_min} designated in the batch (batch_min); "
        f"{len(inst.ids)} applicants are eligible"
    )


def batch_max(inst: Instance) -> Definition:
    """Σ_i x_i ≤ batch_max."""
    return Definition(
        [single("batch_max", [all_in_one("x", len(inst.ids))], upper=inst.params.batch_max)]
    )


def batch_max_broken(inst: Instance, x):
    return [
        (0, tr("broken.batch_max", n=k, max=inst.params.batch_max))
        for _, _, k in _broken(batch_max, inst, x)
    ]


def batch_max_words(inst: Instance, _key) -> str:
    return f"at most {inst.params.batch_max} designated in the batch (batch_max)"


# --------------------------------------------------------------------------- city_max


def city_max(inst: Instance) -> Definition:
    """Σ_{i in city c} x_i ≤ city_max, for each city with more eligible applicants than that
    (no other city can break it)."""
    p = inst.params
    cities = sorted(set(inst.city))
    members = dict(zip(cities, _members(inst.city, cities), strict=True))
    crowded = [c for c in cities if len(members[c]) > p.city_max]
    return Definition(
        [
            Rows(
                "city_max",
                crowded,
                [sums("x", [members[c] for c in crowded])],
                *bounds(len(crowded), -INF, p.city_max),
            )
        ]
    )


def city_max_broken(inst: Instance, x):
    return [
        (r, tr("broken.city_max", n=have, city=c, max=inst.params.city_max))
        for r, c, have in _broken(city_max, inst, x)
    ]


def city_max_words(inst: Instance, city) -> str:
    return f"at most {inst.params.city_max} designated per city, here {city} (city_max)"


# --------------------------------------------------------------------------- regional groups


def region_min(inst: Instance) -> Definition:
    """Σ_{i in group g} x_i ≥ region_min[g], for each group with a minimum."""
    p = inst.params
    keys = [g for g in inst.regions if p.region_min.get(g, 0) > 0]
    terms = [one_each(NONE.family, len(keys)), sums("x", _members(inst.region, keys))]
    return Definition(
        [Rows("region_min", keys, terms, *bounds(len(keys), [p.region_min[g] for g in keys], INF))],
        [NONE],
    )


def region_max(inst: Instance) -> Definition:
    """Σ_{i in group g} x_i ≤ region_max[g], for each group with more eligible applicants."""
    p = inst.params
    groups = dict(zip(inst.regions, _members(inst.region, inst.regions), strict=True))
    keys = [g for g in inst.regions if g in p.region_max and p.region_max[g] < len(groups[g])]
    return Definition(
        [
            Rows(
                "region_max",
                keys,
                [sums("x", [groups[g] for g in keys])],
                *bounds(len(keys), -INF, [p.region_max[g] for g in keys]),
            )
        ]
    )


def group_name(inst: Instance, g: str) -> str:
    """A regional group's name as the rule messages give it: "郑州中心 Zhengzhou centre" in
    English (as the files always carried it), its Chinese part in Chinese."""
    from fundalloc.core.i18n import lang

    name = inst.region_names.get(g, g)
    return name.split(" ", 1)[0] if lang() == "zh" else name


def region_min_broken(inst: Instance, x):
    return [
        (
            inst.regions.index(g),
            tr(
                "broken.region_min",
                g=g,
                n=have,
                name=group_name(inst, g),
                min=inst.params.region_min[g],
            ),
        )
        for _, g, have in _broken(region_min, inst, x)
    ]


def region_max_broken(inst: Instance, x):
    return [
        (
            inst.regions.index(g),
            tr(
                "broken.region_max",
                g=g,
                n=have,
                name=group_name(inst, g),
                max=inst.params.region_max[g],
            ),
        )
        for _, g, have in _broken(region_max, inst, x)
    ]


def region_words(kind: str):
    def words(inst: Instance, g) -> str:
        p = inst.params
        have = sum(1 for r in inst.region if r == g)
        limit = p.region_min[g] if kind == "region_min" else p.region_max[g]
        rel = "at least" if kind == "region_min" else "at most"
        return (
            f"{rel} {limit} designated in regional group {g} "
            f"({inst.region_names.get(g, g)}), which has {have} eligible applicant(s) "
            f"({kind}.{g})"
        )

    return words


# --------------------------------------------------------------------------- coverage


def groups_covered_min(inst: Instance) -> Definition:
    """Σ_g covered_g ≥ groups_covered_min with covered_g ∈ {0,1}, covered_g ≤ Σ_{i in g} x_i
    (covered_link): a group counts as covered only if someone in it is designated. 0 = no rule."""
    k = int(inst.params.groups_covered_min)
    groups = list(inst.regions) if k > 0 else []
    m = len(groups)
    link = Rows(
        "covered_link",
        groups,
        [
            one_each("covered", m, np.arange(m)),
            one_each(NONE.family, m, coef=-1.0),
            sums("x", _members(inst.region, groups), -1.0),
        ],
        *bounds(m, -INF, 0.0),
    )
    count = (
        single("groups_covered_min", [all_in_one("covered", m)], lower=k)
        if m
        else Rows("groups_covered_min", [], [], *bounds(0))
    )
    return Definition([link, count], [Columns("covered", groups, 0.0, 1.0, True), NONE])


def groups_covered_min_broken(inst: Instance, x):
    # The best covered_g for a given batch is 1 wherever someone is designated: count groups.
    covered = len(set(np.asarray(inst.region, dtype=object)[np.asarray(x, bool)]))
    k = inst.params.groups_covered_min
    if covered >= k:
        return []
    return [(0, tr("broken.groups_covered_min", n=covered, min=k))]


def groups_covered_min_words(inst: Instance, _key) -> str:
    return (
        f"at least {inst.params.groups_covered_min} regional groups covered, each by one "
        f"designated applicant or more (groups_covered_min); {len(set(inst.region))} of the "
        f"{len(inst.regions)} groups have eligible applicants"
    )


# --------------------------------------------------------------------------- pins


def pinned_in(inst: Instance) -> Definition:
    """x_i = 1 for applicants pinned in."""
    return _pins(inst, "in", 1.0)


def pinned_out(inst: Instance) -> Definition:
    """x_i = 0 for applicants pinned out."""
    return _pins(inst, "out", 0.0)


def _pins(inst: Instance, pin: str, value: float) -> Definition:
    keys = [i for i, v in enumerate(inst.pinned) if v == pin]
    return Definition(
        [
            Rows(
                f"pinned_{pin}",
                keys,
                [sums("x", [np.array([i]) for i in keys])],
                *bounds(len(keys), value, value),
            )
        ]
    )


def pinned_in_broken(inst: Instance, x):
    return [(i, tr("broken.pinned_in", who=inst.who(i))) for _, i, _ in _broken(pinned_in, inst, x)]


def pinned_out_broken(inst: Instance, x):
    return [
        (i, tr("broken.pinned_out", who=inst.who(i))) for _, i, _ in _broken(pinned_out, inst, x)
    ]


def pin_words(pin: str):
    def words(inst: Instance, key) -> str:
        i = int(key)
        return f"applicant {inst.ids[i]} ({inst.names[i]}, {inst.city[i]}) is pinned {pin}"

    return words
