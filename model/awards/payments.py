"""The payments table (payments.csv): one row per payment, each explained in words — which
threshold was crossed, which tier or level pays, top-ups, and what the budget did to it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from fundalloc.core.i18n import tr
from fundalloc.inputs.firms import Firms, Platforms
from fundalloc.rules.jiaxing import (
    AWARDS,
    GROWTH,
    KINDS,
    LEVELS,
    PAYERS,
    PLATFORM,
    SECTORS,
    Earned,
    Interpretation,
    Paid,
    Policy,
)

PAYMENT_COLUMNS = (
    "firm_id",
    "sector",
    "payer",
    "award",
    "revenue_year",
    "pay_year",
    "amount_wan",
    "owed_wan",
    "clause",
    "explanation",
)


def _w(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def _word(column: str, code: str) -> str:
    """A sector, level or kind code as the text writes it (Chinese), or the code in English."""
    from fundalloc.core.display import value_word

    return value_word(column, code)


def _explain_earned(
    i: int,
    earned: Earned,
    firms: Firms,
    platforms: Platforms,
    policy: Policy,
    interp: Interpretation,
) -> str:
    """Why claim i is owed, in words (runs once per payment row: output only, not hot path)."""
    a, f, y, amt = (
        int(earned.award[i]),
        int(earned.firm[i]),
        int(earned.revenue_year[i]),
        float(earned.amount_wan[i]),
    )
    d = int(earned.detail[i]) if earned.detail is not None else -1
    if a == PLATFORM:
        p = platforms
        share = policy.platform_share[d]
        full = share * p.upgrade_cost_wan[f]
        cap = (
            tr("pay.capped", cap=_w(policy.platform_cap_wan))
            if full > policy.platform_cap_wan
            else ""
        )
        return tr(
            "pay.platform",
            served=int(p.firms_served[f]),
            min=policy.platform_min_firms,
            growth=f"{p.trade_growth[f]:.1%}",
            need=f"{policy.platform_growth[d]:.0%}",
            share=f"{share:.0%}",
            cost=_w(p.upgrade_cost_wan[f]),
            cap=cap,
        )
    if a in (2, 3):
        full = policy.recognition_amounts[a - 2, d]
        text = tr(
            "pay.recognised",
            level=_word("level", LEVELS[d]),
            kind=_word("kind", KINDS[a - 2]),
            year=y,
            amount=_w(full),
        )
        if amt < full:
            text += tr("pay.recognised_less", less=_w(full - amt))
        return text
    t = y - int(firms.years[0])
    rev = firms.revenue[f]
    sec = SECTORS[firms.sector[f]]
    if a == GROWTH:
        with np.errstate(invalid="ignore", divide="ignore"):
            g = rev[t] / rev[t - 1] - 1 if t > 0 else np.nan
        if not (g > policy.growth_rate):  # three_after_first_qualifying: paid whatever growth
            return tr(
                "pay.growth_run",
                revenue=_w(rev[t]),
                year=y,
                rate=f"{policy.growth_rate:.0%}",
                first=d,
            )
        return tr(
            "pay.growth",
            revenue=_w(rev[t]),
            year=y,
            up=f"{g:.1%}",
            before=y - 1,
            rate=f"{policy.growth_rate:.0%}",
            n=y - d,
            first=d,
        )
    thr = policy.tier_thresholds[firms.sector[f]]
    earlier = np.nanmax(rev[:t]) if t > 0 and np.isfinite(rev[:t]).any() else None
    tiers = [
        k for k in range(len(thr)) if rev[t] > thr[k] and (earlier is None or earlier <= thr[k])
    ]
    crossed = ", ".join(_w(thr[k]) for k in tiers)
    text = tr(
        "pay.tier", sector=_word("sector", sec), revenue=_w(rev[t]), year=y, crossed=crossed
    ) + ("" if earlier is None else tr("pay.highest_before", earlier=_w(earlier)))
    gross = policy.tier_amounts[firms.sector[f], d]
    if interp.tiers_in_one_year == "each" and len(tiers) > 1:
        gross = float(sum(policy.tier_amounts[firms.sector[f], k] for k in tiers))
        text += tr("pay.every_tier", gross=_w(gross))
    else:
        text += tr("pay.one_tier", tier=d + 1, gross=_w(gross))
    if amt < gross:
        text += tr("pay.top_up", less=_w(gross - amt))
    return text


def payment_table(
    firms: Firms,
    platforms: Platforms,
    policy: Policy,
    interp: Interpretation,
    earned: Earned,
    paid: Paid,
) -> pd.DataFrame:
    claim = paid.claim if paid.claim is not None else np.arange(len(paid))
    payer = paid.payers()
    why = [_explain_earned(i, earned, firms, platforms, policy, interp) for i in range(len(earned))]
    rows = []
    for j in range(len(paid)):
        c = int(claim[j])
        a, f = int(paid.award[j]), int(paid.firm[j])
        owed, amt = float(paid.owed_wan[j]), float(paid.amount_wan[j])
        text = why[c]
        if amt < owed - 1e-9:
            if interp.budget_exhausted == "pro_rata":
                text += tr(
                    "pay.pro_rata",
                    year=int(paid.pay_year[j]),
                    share=f"{amt / owed:.1%}",
                    owed=_w(owed),
                )
            elif interp.budget_exhausted == "defer":
                text += tr(
                    "pay.defer",
                    year=int(paid.pay_year[j]),
                    rest=_w(owed - amt),
                    next=int(paid.pay_year[j]) + 1,
                )
            else:
                text += tr("pay.first_come", year=int(paid.pay_year[j]), rest=_w(owed - amt))
        due_year = int(paid.revenue_year[j]) + interp.pay_lag_years
        if int(paid.pay_year[j]) > due_year:
            part = tr("pay.the_unpaid") if owed < float(earned.amount_wan[c]) - 1e-9 else ""
            text += tr("pay.deferred_from", part=part, owed=_w(owed), due=due_year)
        is_platform = a == PLATFORM
        rows.append(
            (
                platforms.ids[f] if is_platform else firms.ids[f],
                "" if is_platform else SECTORS[firms.sector[f]],
                PAYERS[int(payer[j])],
                AWARDS[a],
                int(paid.revenue_year[j]),
                int(paid.pay_year[j]),
                round(amt, 4),
                round(owed, 4),
                policy.clauses[AWARDS[a]],
                text,
            )
        )
    table = pd.DataFrame(rows, columns=list(PAYMENT_COLUMNS))
    return table.sort_values(
        ["pay_year", "firm_id", "award", "revenue_year"], kind="stable"
    ).reset_index(drop=True)
