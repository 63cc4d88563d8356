"""Producer-service revenue tiers (三.(一)): "对年主营业务收入首次超过1亿元、5000万元、
2000万元的科技信息、物流运输、商务服务类企业,分别给予50万元、20万元、10万元奖励"
(批零贸易: 20亿、10亿、5亿).

Readings fixed here: "首次超过" (first exceeds) looks at the firm's whole known revenue history,
so a firm above a tier in any earlier year (also before 2024) never earns that tier; thresholds
are strict (超过) unless the policy file says otherwise; an unknown year (NaN) crosses nothing.
The readings that are scenario keys: tiers_in_one_year, later_higher_tier.
"""

from __future__ import annotations

import numpy as np

from fundalloc.rules.jiaxing.policy import Policy
from fundalloc.rules.jiaxing.readings import Interpretation


def revenue_tier_pay(
    rev: np.ndarray, years: np.ndarray, sector: np.ndarray, policy: Policy, interp: Interpretation
) -> tuple[np.ndarray, np.ndarray]:
    """(payment, level) per (firm, year): level = number of thresholds exceeded that year."""
    n, T = rev.shape
    thr = policy.tier_thresholds[sector]  # (n, K), inf = no tier
    level = np.zeros((n, T), np.int64)  # thresholds exceeded
    with np.errstate(invalid="ignore"):
        for k in range(thr.shape[1]):  # NaN compares False
            level += (rev > thr[:, k : k + 1]) if policy.tier_strict else (rev >= thr[:, k : k + 1])
    prev = np.zeros_like(level)  # highest level of earlier years
    prev[:, 1:] = np.maximum.accumulate(level, axis=1)[:, :-1]
    r0, r1 = policy.window("revenue_tier")
    earning = (years >= r0) & (years <= r1)
    return tier_pay(level, prev, earning, sector, policy, interp), level


def tier_pay(
    level: np.ndarray,
    prev: np.ndarray,
    earning: np.ndarray,
    sector: np.ndarray,
    policy: Policy,
    interp: Interpretation,
) -> np.ndarray:
    """Revenue-tier payment per (firm, year).

    Tiers are nested (above tier k means above every lower one), so a firm-year is described by
    its level (number of thresholds exceeded) and the tiers newly crossed in year t are exactly
    those in (highest level of earlier years, level now]. Working with levels keeps every array
    two-dimensional (firms × years), which is what makes 10,000 firms take milliseconds.
    """
    amt = np.zeros((len(policy.tier_amounts), policy.tier_amounts.shape[1] + 1))
    amt[:, 1:] = policy.tier_amounts  # amt[s, L]: amount of tier L (1-based)
    cum = np.cumsum(amt, axis=1)  # cum[s, L]: tiers 1..L together
    s = sector[:, None]
    new = (level > prev) & earning[None, :]  # some tier first crossed, in force
    highest = interp.tiers_in_one_year == "highest"
    if interp.later_higher_tier == "top_up" and highest:
        # Raise the firm to the highest tier crossed in the window so far, less what it had:
        # the total never depends on how the crossings spread over the years.
        top = np.maximum.accumulate(np.where(new, level, 0), axis=1)
        return np.diff(amt[s, top], axis=1, prepend=0.0)
    # "each": every tier is its own matter, paid once in full, so top_up and full coincide.
    gross = np.where(new, amt[s, level] if highest else cum[s, level] - cum[s, prev], 0.0)
    if interp.later_higher_tier in ("full", "top_up"):
        return gross
    had = np.cumsum(gross > 0, axis=1)  # "none": only the first award year pays
    return np.where((gross > 0) & (had == 1), gross, 0.0)
