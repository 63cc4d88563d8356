"""spend_budget as a visible choice: what the spending stage did to the awards.

With spend_budget on (the default) the model spends as much of the budget as the rules allow
after the best score; whenever budget ≥ k × cap that pushes every award to the cap and the
sizing disappears. The summary says so (`cap_binds_all`) and states the other side of the
choice: the awards and the money left unspent with spend_budget off (or, when it is off, how
much more spending it would have paid out) — one more solve of the same batch rules.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from fundalloc.selection.award_rules import cap_words
from fundalloc.selection.instance import Instance


def other_side(inst: Instance, solve) -> dict | None:
    """The designation with spend_budget flipped: `solve(inst)` is the caller's solver (the
    same build as the run). None if that solve finds nothing."""
    params = inst.params.model_copy(update=dict(spend_budget=not inst.params.spend_budget))
    params = params.model_copy(update=dict(max_ties=1))
    sol = solve(dataclasses.replace(inst, params=params))
    if sol.total_award_wan is None:
        return None
    return {
        "spend_budget": params.spend_budget,
        "designated": [inst.ids[i] for i in np.flatnonzero(sol.designated)],
        "total_award_wan": int(round(sol.total_award_wan)),
        "unspent_wan": int(round(inst.params.budget_wan - sol.total_award_wan)),
    }


def spending_summary(inst: Instance, sol, solve) -> dict:
    """summary.json "spending": whether the cap binds for every award, the money left, and the
    same with spend_budget flipped (`solve` None: not solved)."""
    p = inst.params
    x = np.asarray(sol.designated, bool)
    cap = cap_words(p)
    awards = np.asarray(sol.award_wan, float)[x]
    total = float(awards.sum())
    return {
        "spend_budget": p.spend_budget,
        "cap_binds_all": bool(x.any() and np.all(awards >= cap - 1e-6)),
        "cap_wan": cap,
        "unspent_wan": int(round(p.budget_wan - total)),
        "flipped": None if solve is None else other_side(inst, solve),
    }
