"""Cross-border e-commerce platform subsidy (三.(一)): "服务企业超过300家且进出口额增速达到15%、20%
以上的,按照其研发升级费用的70%、100%给予补助,最高不超过60万元".

Readings fixed here: one claim per platform-year row; the cap applies to each claim; "超过300家"
is strictly more, "达到……以上" at least.
"""

from __future__ import annotations

import numpy as np

from fundalloc.rules.jiaxing.codes import EPS, PLATFORM
from fundalloc.rules.jiaxing.policy import Policy


def platform_rows(platforms, policy: Policy) -> tuple[np.ndarray, ...]:
    """(platform index, award code, year, amount, cost-share step) rows.
    `platforms`: (year, firms_served, trade_growth as a fraction, upgrade_cost_wan) arrays."""
    year, served, growth, cost = (np.asarray(a) for a in platforms)
    year = year.astype(np.int64)
    r0, r1 = policy.window("platform")
    step = np.full(len(year), -1)
    for s, g in enumerate(policy.platform_growth):  # 达到15%、20%以上: at least
        step = np.where(growth >= g - EPS, s, step)
    ok = (served > policy.platform_min_firms) & (step >= 0) & (year >= r0) & (year <= r1)
    share = np.asarray(policy.platform_share)[np.clip(step, 0, None)]
    amount = np.where(ok, np.minimum(share * cost, policy.platform_cap_wan), 0.0)
    idx = np.flatnonzero(amount > 0)
    return (idx, np.full(len(idx), PLATFORM), year[idx], amount[idx], step[idx])
