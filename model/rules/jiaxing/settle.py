"""Entitlement and payment together (`settle`): what `awards`, the kernel and the Mesa bureau
all call. Under growth_window_opened_by = paid ("从获奖次年开始" — 获奖 is an award received)
a tier award opens the growth window only if some of it had been paid by the year before the
growth year's pay year, so the growth claims depend on the budget and payment and entitlement
interleave year by year.

The interleaving is causal: the growth claims of revenue year Y depend on payments of pay years
before Y + lag, which depend only on claims of revenue years before Y. So iterating "earn with
the windows last paid, pay, read which tier awards were paid" fixes one more year each round
and stops at the first round that changes nothing (at most one round per year). Where every
tier claim is paid something in its own pay year (no budget, or pro rata with a budget above 0)
paid and entitled coincide and one round suffices.
"""

from __future__ import annotations

import numpy as np

from fundalloc.rules.jiaxing.codes import GROWTH, REVENUE_TIER
from fundalloc.rules.jiaxing.earned import Earned, earned_awards, last_pay_year
from fundalloc.rules.jiaxing.payment import Paid, pay
from fundalloc.rules.jiaxing.policy import Policy
from fundalloc.rules.jiaxing.readings import Interpretation


def settle(
    revenue: np.ndarray,
    years: np.ndarray,
    sector: np.ndarray,
    policy: Policy,
    interp: Interpretation,
    recognitions: tuple[np.ndarray, ...] | None = None,
    platforms: tuple[np.ndarray, ...] | None = None,
    payer: np.ndarray | None = None,
) -> tuple[Earned, Paid]:
    """Every award earned and every payment, under one reading of the text (arguments as
    `earned_awards`)."""
    years = np.asarray(years, dtype=np.int64)
    last = last_pay_year(policy, interp)

    def run(opened):
        e = earned_awards(
            revenue, years, sector, policy, interp, recognitions, platforms, payer, opened
        )
        return e, pay(e, interp, last)

    earned, paid = run(None)
    if interp.growth_window_opened_by == "entitled" or interp.budget_wan is None:
        return earned, paid
    if _every_tier_claim_paid_on_time(earned, paid, interp):
        return earned, paid
    n, T = np.asarray(revenue).shape
    for _ in range(T + 1):
        opened = paid_by_growth_year(paid, n, years, interp)
        again, paid_again = run(opened)
        if _same_growth(again, earned):
            return again, paid_again
        earned, paid = again, paid_again
    raise AssertionError("settle did not converge: the payment interleaving is not causal")


def _every_tier_claim_paid_on_time(earned: Earned, paid: Paid, interp: Interpretation) -> bool:
    return bool(every_tier_claim_paid_on_time(earned, paid, interp)[0])


def every_tier_claim_paid_on_time(
    earned: Earned,
    paid: Paid,
    interp: Interpretation,
    group: np.ndarray | None = None,
    groups: int = 1,
) -> np.ndarray:
    """(groups,) whether every tier claim was paid something in its own pay year: settle's
    test for one round being enough; `group` (Earned rows): replications stacked, as pay."""
    tier = earned.award == REVENUE_TIER
    on_time = (
        (paid.award == REVENUE_TIER)
        & (paid.amount_wan > 0)
        & (paid.pay_year == paid.revenue_year + int(interp.pay_lag_years))
    )
    got = np.zeros(len(earned), bool)
    claim = np.arange(len(paid)) if paid.claim is None else paid.claim
    got[claim[on_time]] = True
    g = np.zeros(len(earned), np.int64) if group is None else np.asarray(group, np.int64)
    return np.bincount(g[tier & ~got], minlength=groups) == 0


def paid_by_growth_year(paid: Paid, n: int, years: np.ndarray, interp: Interpretation):
    """(firm, award year, growth year): the tier award of that year had been paid something
    in a pay year before the growth year's pay year."""
    T = len(years)
    opened = np.zeros((n, T, T), bool)
    sel = (paid.award == REVENUE_TIER) & (paid.amount_wan > 0)
    f, ty, py = paid.firm[sel], paid.revenue_year[sel] - years[0], paid.pay_year[sel]
    lag = int(interp.pay_lag_years)
    for t in range(T):  # a loop over growth years, never over firms
        ok = py <= years[t] + lag - 1
        opened[f[ok], ty[ok], t] = True
    return opened


def _same_growth(a: Earned, b: Earned) -> bool:
    ga, gb = a.award == GROWTH, b.award == GROWTH
    if ga.sum() != gb.sum():
        return False
    return bool(
        np.array_equal(a.firm[ga], b.firm[gb])
        and np.array_equal(a.revenue_year[ga], b.revenue_year[gb])
        and np.allclose(a.amount_wan[ga], b.amount_wan[gb])
    )
