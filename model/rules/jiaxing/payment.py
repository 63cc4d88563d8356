"""Payment (五 "落实政策所需资金,列入每年财政预算"): what is earned for revenue year Y falls due in
pay year Y + pay_lag_years and is paid from that year's budget under the exhaustion reading
(`budget_exhausted`: pro_rata | defer | first_come), one pay year at a time. With a budget by
payer (各县(市)参照执行) each payer's claims are paid from its own budget, as separate queues;
with one budget, every payer's claims share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from fundalloc.rules.jiaxing.codes import PAYERS
from fundalloc.rules.jiaxing.earned import Earned, first_come_order
from fundalloc.rules.jiaxing.readings import Interpretation


@dataclass
class Paid:
    """One row per payment: same columns as Earned plus pay_year and the amount actually paid.

    `owed_wan` is what was due in that pay year (under `defer`, the claim's unpaid remainder
    carried into it, so one claim may have several rows); `claim` indexes the Earned row.
    """

    firm: np.ndarray
    award: np.ndarray
    revenue_year: np.ndarray
    pay_year: np.ndarray
    amount_wan: np.ndarray
    owed_wan: np.ndarray
    claim: np.ndarray | None = None
    payer: np.ndarray | None = None  # int code into PAYERS (None: all 市本级)

    def payers(self) -> np.ndarray:
        return np.zeros(len(self), np.int64) if self.payer is None else self.payer

    def __len__(self) -> int:
        return len(self.amount_wan)


def pay(
    earned: Earned,
    interp: Interpretation,
    last_pay_year: int | None = None,
    group: np.ndarray | None = None,
) -> Paid:
    """Pay year = revenue year + pay lag; then the budget exhaustion policy, one pay year at a
    time (a loop over years, never over firms). `last_pay_year` (sunset read on the payment
    date): nothing deferred is paid after it.

    `group` (one int per Earned row, Earned sorted by it): several replications stacked, each
    paid from its own budget. The rows of group g then come out together, in group order, and
    are exactly what pay() on group g's rows alone gives (same order, same floats; `claim`
    indexes the stacked Earned)."""
    payer = earned.payers()
    g = None if group is None else np.asarray(group, np.int64)
    if not interp.budget_by_payer:
        return _pay_pool(earned, np.arange(len(earned)), payer, interp, None, last_pay_year, g)
    parts = [
        _pay_pool(earned, np.flatnonzero(payer == code), payer, interp, name, last_pay_year, g)
        for code, name in enumerate(PAYERS)
        if (payer == code).any()
    ]
    if not parts:
        return _pay_pool(earned, np.arange(0), payer, interp, None, last_pay_year, g)
    cat = [np.concatenate([getattr(p, k) for p in parts]) for k in PAID_FIELDS]
    if g is not None:  # each replication's pools together, in pay()'s order of pools
        o = np.argsort(g[cat[PAID_FIELDS.index("claim")]], kind="stable")
        cat = [a[o] for a in cat]
    return Paid(*cat)


PAID_FIELDS = (
    "firm",
    "award",
    "revenue_year",
    "pay_year",
    "amount_wan",
    "owed_wan",
    "claim",
    "payer",
)


def _pay_pool(
    earned: Earned,
    rows: np.ndarray,
    all_payers: np.ndarray,
    interp: Interpretation,
    payer_name: str | None,
    last_pay_year: int | None,
    group: np.ndarray | None = None,
) -> Paid:
    """The claims `rows` of `earned`, paid from one budget (a payer's, or the shared one);
    with `group`, one budget per group (pay)."""
    owed = np.asarray(earned.amount_wan, dtype=float)[rows]
    ry = np.asarray(earned.revenue_year, dtype=np.int64)[rows]
    py = ry + int(interp.pay_lag_years)
    claims = rows
    ef, ea, pr = earned.firm[rows], earned.award[rows], all_payers[rows]
    spec: Any = interp.budget_wan
    if payer_name is not None and isinstance(spec, Mapping):
        spec = spec.get(payer_name)
    if spec is None or not len(owed):
        return Paid(ef, ea, ry, py, owed.copy(), owed.copy(), claims, pr)

    def budget_for(years: np.ndarray) -> np.ndarray:
        return interp.budget_for(years, payer_name)

    if group is not None and interp.budget_exhausted == "defer":
        # the carried queue runs year by year with its own end: one group at a time
        g = group[rows]
        parts = [
            _pay_pool(earned, rows[g == k], all_payers, interp, payer_name, last_pay_year)
            for k in np.unique(g)
        ]
        return Paid(*(np.concatenate([getattr(p, k) for p in parts]) for k in PAID_FIELDS))
    # groups as dense ranks (0 for all without), the most significant key of the queue
    rank = (
        np.zeros(len(rows), np.int64)
        if group is None
        else np.unique(group[rows], return_inverse=True)[1].ravel()
    )
    order = first_come_order(ef, ea, ry, py, rank if group is not None else None)
    firm, award, ry, py, owed, claims, pr, rank = (
        a[order] for a in (ef, ea, ry, py, owed, claims, pr, rank)
    )
    p0 = int(py.min())
    slot = py - p0
    span = int(slot.max()) + 1
    budget = budget_for(np.arange(p0, p0 + span))
    G = int(rank[-1]) + 1  # rows sorted by rank: the last has the highest
    cell = rank * span + slot  # (group, pay year), ascending
    budget = np.tile(budget, G)

    if interp.budget_exhausted == "pro_rata":
        total = np.bincount(cell, weights=owed, minlength=G * span)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(total > budget, budget / total, 1.0)
        return Paid(firm, award, ry, py, owed * ratio[cell], owed.copy(), claims, pr)

    if interp.budget_exhausted == "first_come":
        paid = _queue(owed, cell, budget, rank, span)
        return Paid(firm, award, ry, py, paid, owed.copy(), claims, pr)

    # defer: the unpaid part moves to the next pay year, at the head of that year's queue
    # (claims stay in first-come order, so older claims are served first).
    out: dict[str, list] = {
        k: [] for k in ("firm", "award", "ry", "py", "amount", "owed", "claim", "payer")
    }
    carry = np.zeros(0, np.int64)
    carry_left = np.zeros(0)
    year, last_new = p0, p0 + span - 1
    starts = np.searchsorted(slot, np.arange(span + 1))
    while True:
        if year <= last_new:
            s = year - p0
            fresh = np.arange(starts[s], starts[s + 1])
        else:
            fresh = np.zeros(0, np.int64)
        rows = np.concatenate([carry, fresh])
        due = np.concatenate([carry_left, owed[fresh]])
        if not len(rows):
            if year >= last_new:
                break
            year += 1
            continue
        b = float(budget_for(np.array([year]))[0])
        paid = np.clip(b - (np.cumsum(due) - due), 0.0, due)
        for key, val in (
            ("firm", firm[rows]),
            ("award", award[rows]),
            ("ry", ry[rows]),
            ("py", np.full(len(rows), year)),
            ("amount", paid),
            ("owed", due),
            ("claim", claims[rows]),
            ("payer", pr[rows]),
        ):
            out[key].append(val)
        left = due - paid
        keep = left > 1e-9
        carry, carry_left = rows[keep], left[keep]
        if not len(carry) and year >= last_new:
            break
        if last_pay_year is not None and year >= last_pay_year:
            break  # nothing is paid after the last pay year: what is left stays unpaid
        # A budget of 0 for ever (a single number) would defer for ever: what is left then
        # stays unpaid (its last row shows it owed); likewise after 1,000 years of a tiny budget.
        if (
            year >= last_new
            and not isinstance(spec, Mapping)
            and (b <= 0 or year > last_new + 1000)
        ):
            break
        year += 1
    cat = {k: np.concatenate(v) for k, v in out.items()}
    return Paid(
        cat["firm"],
        cat["award"],
        cat["ry"],
        cat["py"],
        cat["amount"],
        cat["owed"],
        cat["claim"],
        cat["payer"],
    )


def _queue(
    owed: np.ndarray,
    slot: np.ndarray,
    budget: np.ndarray,
    group: np.ndarray | None = None,
    span: int = 0,
) -> np.ndarray:
    """First come, first served within each pay year (rows sorted by slot, then queue order);
    the claim at the edge of the budget is paid in part, later ones nothing. With `group`
    (dense ranks, rows sorted by them; slot = group · span + pay year): each group's running
    sums start at its own first row, so every group gets the floats it gets alone."""
    if group is None or not len(owed) or group[-1] == 0:
        cum = np.cumsum(owed)
        first = 0
    else:
        cum = _cumsum_by(owed, group)
        first = np.searchsorted(group, np.arange(group[-1] + 1))[group]
    starts = np.searchsorted(slot, np.arange(len(budget)))[slot]  # the row's pay year's first
    before_year = np.where(starts > first, cum[np.maximum(starts - 1, 0)], 0.0)
    ahead = cum - owed - before_year  # owed by earlier claims of the same pay year
    return np.clip(budget[slot] - ahead, 0.0, owed)


def _cumsum_by(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running sums restarted at each group (rows sorted by group): one row of a padded
    matrix per group, so each is the same sequential sum as np.cumsum of the group alone."""
    G = int(group[-1]) + 1
    pos = np.arange(len(values)) - np.searchsorted(group, np.arange(G))[group]
    table = np.zeros((G, int(pos.max()) + 1))
    table[group, pos] = values
    return np.cumsum(table, axis=1)[group, pos]


def totals_by(paid: Paid, what: str = "pay_year") -> dict[int, float]:
    """Sum of amounts paid by pay year (or by award code): a helper for summaries."""
    key = paid.pay_year if what == "pay_year" else paid.award
    uniq, inv = np.unique(key, return_inverse=True)
    return {
        int(u): float(v)
        for u, v in zip(uniq, np.bincount(inv, weights=paid.amount_wan), strict=True)
    }
