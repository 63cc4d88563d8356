"""Cross-border e-commerce platform subsidy (三.(一)): "服务企业超过300家且进出口额增速达到15%、20%
以上的,按照其研发升级费用的70%、100%给予补助,最高不超过60万元".

Readings fixed here: one claim per platform-year row; "超过300家" is strictly more, "达到……以上"
at least. The reading that is a scenario key: platform_cap (the cap per yearly claim, or per
platform over the whole period: later claims get what the earlier left, in year order).
"""

from __future__ import annotations

import numpy as np

from fundalloc.rules.jiaxing.codes import EPS, PLATFORM
from fundalloc.rules.jiaxing.policy import Policy
from fundalloc.rules.jiaxing.readings import Interpretation


def platform_rows(
    platforms, policy: Policy, interp: Interpretation | None = None
) -> tuple[np.ndarray, ...]:
    """(row index, award code, year, amount, cost-share step, payer) rows. `platforms`: (year,
    firms_served, trade_growth as a fraction, upgrade_cost_wan[, platform code, payer code
    (−1: 市本级)]) arrays; without platform codes each row is its own platform."""
    interp = interp or Interpretation()
    year, served, growth, cost = (np.asarray(a) for a in platforms[:4])
    year = year.astype(np.int64)
    n = len(year)
    ident = np.asarray(platforms[4], np.int64) if len(platforms) > 4 else np.arange(n)
    payer = np.asarray(platforms[5], np.int64) if len(platforms) > 5 else np.full(n, -1)
    r0, r1 = policy.window("platform")
    step = np.full(n, -1)
    for s, g in enumerate(policy.platform_growth):  # 达到15%、20%以上: at least
        step = np.where(growth >= g - EPS, s, step)
    ok = (served > policy.platform_min_firms) & (step >= 0) & (year >= r0) & (year <= r1)
    share = np.asarray(policy.platform_share)[np.clip(step, 0, None)]
    amount = np.where(ok, np.minimum(share * cost, policy.platform_cap_wan), 0.0)
    if interp.platform_cap == "per_platform" and n:
        o = np.lexsort((year, ident))  # each platform's claims in year order
        a = amount[o]
        c = np.cumsum(a)
        start = np.ones(n, bool)
        start[1:] = ident[o][1:] != ident[o][:-1]
        group = np.cumsum(start) - 1
        before = (np.concatenate([[0.0], c])[np.flatnonzero(start)])[group]
        so_far = c - a - before  # granted to the platform by its earlier claims
        capped = np.clip(policy.platform_cap_wan - so_far, 0.0, a)
        amount = np.empty(n)
        amount[o] = capped
    idx = np.flatnonzero(amount > 0)
    return (idx, np.full(len(idx), PLATFORM), year[idx], amount[idx], step[idx], payer[idx])
