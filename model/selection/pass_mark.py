"""The pass mark rule (selection.score_min): nobody scoring below it is designated, whatever
it would add to the spending — its definer, check on a batch and words, for the registry."""

from __future__ import annotations

import numpy as np

from fundalloc.selection.count_rules import broken_of
from fundalloc.selection.instance import Instance
from fundalloc.selection.rows import INF, Definition, Rows, bounds, sums


def below_pass_mark(inst: Instance) -> list[int]:
    p = inst.params
    return [i for i, s in enumerate(inst.score) if p.score_min > 0 and s < p.score_min - 1e-9]


def score_min(inst: Instance) -> Definition:
    """x_i = 0 for every applicant scoring below the pass mark selection.score_min (whatever it
    would add to the spending), one row each."""
    keys = below_pass_mark(inst)
    return Definition(
        [
            Rows(
                "score_min",
                keys,
                [sums("x", [np.array([i]) for i in keys])],
                *bounds(len(keys), -INF, 0.0),
            )
        ]
    )


def score_min_broken(inst: Instance, x):
    return [
        (
            i,
            f"score_min: {inst.who(i)} scores {inst.score[i]:g}, below the pass mark "
            f"{inst.params.score_min:g}",
        )
        for _, i, _ in broken_of(score_min, inst, x)
    ]


def score_min_words(inst: Instance, key) -> str:
    i = int(key)
    return (
        f"applicant {inst.ids[i]} scores {inst.score[i]:g}, below the pass mark "
        f"{inst.params.score_min:g} (score_min)"
    )
