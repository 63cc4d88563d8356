"""Stages 1–3 of one batch without a MIP, where the structure makes greedy exact (large pools).

Why it is exact: the head-count rules are a tree of bounds — the batch (batch_min … batch_max)
splits into regional groups (region_min … region_max), each group into cities (≤ city_max),
each city into applicants (0 or 1) — i.e. a flow from the root with lower and upper bounds on
the arcs of a tree. The vectors such flows deliver to the applicants form an integral
generalised polymatroid (Frank), so the feasible batches of the largest size are the bases of
a matroid, and on a matroid the greedy choice — best score first, taking whoever can still be
completed to a feasible batch — maximises the total score (Edmonds). "Can still be completed"
is: room in the city and the group, and the places every group must still be given to reach
its minimum plus those taken beyond minimums within batch_max. Applicants pinned out or below
the pass mark leave the ground set (a deletion keeps a matroid). The remaining rules of the
MIP (batch_min, the budget paying the floors) depend only on the size, so if the greedy batch
keeps every rule (check.py's `count_violations`, the MIP's own rows) it is the MIP's stage 1
optimum. With positive scores every optimum is a basis.

Ties (stage 3): the tied batches are the bases within SCORE_TOL of that score. For any other
basis B' there is a bijection σ: B∖B' → B'∖B with B − f + σ(f) a basis for every f (strong
basis exchange), so w(B') − w(B) = Σ (w(σ(f)) − w(f)), each term ≤ 0: if no single exchange
keeps the score within SCORE_TOL the batch is the only one. The tied bases are themselves the
bases of a matroid, connected by single exchanges, so a breadth-first search over tied
exchanges finds every one: it stops at `max_ties` + 1 (more exist than are listed — what the
MIP's listing reports when it stops: not complete) or lists them all (complete).

Where any condition fails — awards other than proportional, a score tolerance band, a score
of 0, an applicant pinned in, groups_covered_min, a city in two groups, a greedy batch some
rule refuses, a spend the shortcut cannot prove — `None` says: solve the MIP. Tests compare
this path with the MIP on a grid of small instances (tests/test_greedy.py).
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np

from fundalloc.selection.check import count_violations
from fundalloc.selection.instance import Instance
from fundalloc.selection.pass_mark import below_pass_mark
from fundalloc.selection.stages import SCORE_TOL, Lexicographic, StageResult, spend_shortcut
from fundalloc.solvers import SolveResult

# Single exchanges examined at most while looking for ties, before handing over to the MIP.
MAX_EXCHANGES = 2_000_000


class Matroid:
    """The laminar head-count limits as arrays: city c ⊂ group g ⊂ batch."""

    def __init__(self, inst: Instance, groups: np.ndarray, cities: np.ndarray) -> None:
        p = inst.params
        self.group, self.city = groups, cities  # codes per applicant
        n_groups = int(groups.max(initial=-1)) + 1
        names = list(dict.fromkeys(inst.region))
        self.group_max = np.array(
            [p.region_max.get(names[g], np.iinfo(np.int64).max) for g in range(n_groups)]
        )
        self.group_min = np.array([p.region_min.get(names[g], 0) for g in range(n_groups)])
        self.city_max, self.batch_max = p.city_max, p.batch_max


def _codes(values: list[str]) -> np.ndarray:
    _, codes = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return codes


def _applies(inst: Instance) -> bool:
    p = inst.params
    return (
        p.award_mode == "proportional"
        and p.score_tolerance == 0
        and not p.groups_covered_min
        and "in" not in inst.pinned
        and len(inst.ids) > 0
        and float(np.min(inst.score)) > SCORE_TOL * max(1.0, float(np.abs(inst.score).max()))
    )


def greedy_batch(inst: Instance, m: Matroid, ground: np.ndarray) -> np.ndarray:
    """The best-score basis: highest score first (the first listed among equals)."""
    x = np.zeros(len(inst.ids), bool)
    city_n = np.zeros(int(m.city.max(initial=-1)) + 1, int)
    group_n = np.zeros(len(m.group_max), int)
    # places the batch must keep: each group at least its minimum, and what it has beyond
    reserved = int(m.group_min.sum())
    for i in np.flatnonzero(ground)[np.argsort(-inst.score[ground], kind="stable")]:
        c, g = m.city[i], m.group[i]
        beyond = group_n[g] >= m.group_min[g]  # taking i adds a place beyond the minimum
        if city_n[c] >= m.city_max or group_n[g] >= m.group_max[g]:
            continue
        if beyond and reserved + 1 > m.batch_max:
            continue
        x[i] = True
        city_n[c] += 1
        group_n[g] += 1
        reserved += int(beyond)
    return x


def _exchanges(inst: Instance, m: Matroid, ground: np.ndarray, x: np.ndarray, tol: float):
    """Single exchanges (out f, in e) of batch x that keep it a feasible batch within `tol` of
    its score, in a fixed order (f by score, then e by score)."""
    s = inst.score
    city_n = np.bincount(m.city[x], minlength=int(m.city.max()) + 1)
    group_n = np.bincount(m.group[x], minlength=len(m.group_max))
    outside = np.flatnonzero(ground & ~x)
    outside = outside[np.argsort(-s[outside], kind="stable")]
    out_s = -s[outside]  # ascending, for searchsorted
    inside = np.flatnonzero(x)
    for f in inside[np.argsort(-s[inside], kind="stable")]:
        lo = np.searchsorted(out_s, -(s[f] + tol), "left")
        hi = np.searchsorted(out_s, -(s[f] - tol), "right")
        gf = m.group[f]
        for e in outside[lo:hi]:
            ge = m.group[e]
            if m.city[e] != m.city[f] and city_n[m.city[e]] >= m.city_max:
                continue
            if ge != gf and (group_n[ge] >= m.group_max[ge] or group_n[gf] <= m.group_min[gf]):
                continue
            yield int(f), int(e)


def greedy_stages(inst: Instance, limit: int) -> Lexicographic | None:
    """Stages 1–3 as run_stages returns them (batches, complete, spend), or None: solve the MIP."""
    if not _applies(inst):
        return None
    start = time.perf_counter()
    p = inst.params
    regions = np.asarray(inst.region, dtype=object).astype(str)
    cities = np.asarray(inst.city, dtype=object).astype(str)
    pairs = set(zip(cities.tolist(), regions.tolist()))
    if len(pairs) != len(set(cities.tolist())):
        return None  # a city in two groups: the limits are not nested
    m = Matroid(inst, _codes_in_order(inst.region), _codes(inst.city))
    ground = np.ones(len(inst.ids), bool)
    ground[below_pass_mark(inst)] = False
    ground[[i for i, v in enumerate(inst.pinned) if v == "out"]] = False
    x = greedy_batch(inst, m, ground)
    if count_violations(inst, x):
        return None
    score = float(inst.score[x].sum())
    run = Lexicographic([])
    run.stages.append(
        StageResult(
            "max_total_score",
            SolveResult("optimal", score, score, 0.0, time.perf_counter() - start),
        )
    )
    if p.spend_budget:
        proven = spend_shortcut(p)(x)
        if proven is None:
            return None
        run.stages.append(StageResult("max_total_award", proven[0]))
        run.spend = proven[0].objective
        if int(x.sum()) < proven[1]:
            return None
    tol = SCORE_TOL * max(1.0, float(np.abs(inst.score).max()))
    listed = _ties(inst, m, ground, x, score, tol, limit)
    if listed is None:
        return None
    run.batches, run.complete = listed
    run.stages.append(
        StageResult(
            "list_tied_batches",
            SolveResult(
                "optimal" if run.complete else "time_limit",
                float(len(run.batches) + (0 if run.complete else 1)),
                None,
                None,
                time.perf_counter() - start - run.stages[0].result.seconds,
            ),
        )
    )
    return run


def _codes_in_order(values: list[str]) -> np.ndarray:
    """Codes of the groups in order of first appearance (Matroid looks their limits up so)."""
    order = {v: k for k, v in enumerate(dict.fromkeys(values))}
    return np.array([order[v] for v in values], int)


def _ties(inst, m, ground, x, score, tol, limit) -> tuple[list[np.ndarray], bool] | None:
    """(batches, complete) as list_ties gives them, or None (too many exchanges: ask the MIP)."""
    found, seen, queue, examined = [x], {x.tobytes()}, deque([x]), 0
    while queue and len(found) <= limit:
        b = queue.popleft()
        for f, e in _exchanges(inst, m, ground, b, tol):
            examined += 1
            if examined > MAX_EXCHANGES:
                return None
            nb = b.copy()
            nb[f], nb[e] = False, True
            key = nb.tobytes()
            if key in seen or float(inst.score[nb].sum()) < score - tol:
                continue
            seen.add(key)
            found.append(nb)
            queue.append(nb)
            if len(found) > limit:
                break
    complete = len(found) <= limit
    if any(count_violations(inst, b) for b in found[:limit]):
        return None  # not expected (every exchange keeps every limit); the MIP decides then
    return found[:limit], complete
