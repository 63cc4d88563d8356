"""The payments table (payments.csv): one row per payment, each explained in words — which
threshold was crossed, which tier or level pays, top-ups, and what the budget did to it."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
        cap = f", capped at {_w(policy.platform_cap_wan)}" if full > policy.platform_cap_wan else ""
        return (
            f"platform served {int(p.firms_served[f])} firms (> {policy.platform_min_firms}) "
            f"and trade grew {p.trade_growth[f]:.1%} (>= {policy.platform_growth[d]:.0%}): "
            f"{share:.0%} of upgrade cost {_w(p.upgrade_cost_wan[f])}{cap}"
        )
    if a in (2, 3):
        full = policy.recognition_amounts[a - 2, d]
        text = f"recognised {LEVELS[d]} {KINDS[a - 2]} in {y}: {_w(full)}"
        if amt < full:
            text += f", less {_w(full - amt)} already awarded for a lower level (就高不重复)"
        return text
    t = y - int(firms.years[0])
    rev = firms.revenue[f]
    sec = SECTORS[firms.sector[f]]
    if a == GROWTH:
        with np.errstate(invalid="ignore", divide="ignore"):
            g = rev[t] / rev[t - 1] - 1 if t > 0 else np.nan
        if not (g > policy.growth_rate):  # three_after_first_qualifying: paid whatever growth
            return (
                f"revenue {_w(rev[t])} in {y}: one of three consecutive payments started by the "
                f"first window year with growth > {policy.growth_rate:.0%} (window opened by "
                f"the revenue-tier award for {d}; 连续奖励三年)"
            )
        return (
            f"revenue {_w(rev[t])} in {y}, up {g:.1%} on {y - 1} "
            f"(> {policy.growth_rate:.0%}); year {y - d} of the growth window opened by the "
            f"revenue-tier award for {d}"
        )
    thr = policy.tier_thresholds[firms.sector[f]]
    earlier = np.nanmax(rev[:t]) if t > 0 and np.isfinite(rev[:t]).any() else None
    tiers = [
        k for k in range(len(thr)) if rev[t] > thr[k] and (earlier is None or earlier <= thr[k])
    ]
    crossed = ", ".join(_w(thr[k]) for k in tiers)
    text = f"{sec} revenue {_w(rev[t])} in {y} first exceeds {crossed}" + (
        "" if earlier is None else f" (highest before: {_w(earlier)})"
    )
    gross = policy.tier_amounts[firms.sector[f], d]
    if interp.tiers_in_one_year == "each" and len(tiers) > 1:
        gross = float(sum(policy.tier_amounts[firms.sector[f], k] for k in tiers))
        text += f": every tier crossed pays, {_w(gross)}"
    else:
        text += f": tier {d + 1} pays {_w(gross)}"
    if amt < gross:
        text += f"; top-up, less {_w(gross - amt)} already awarded for a lower tier"
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
                text += (
                    f". Budget {int(paid.pay_year[j])} short: paid pro rata "
                    f"{amt / owed:.1%} of {_w(owed)}; the rest is not paid"
                )
            elif interp.budget_exhausted == "defer":
                text += (
                    f". Budget {int(paid.pay_year[j])} used up: {_w(owed - amt)} deferred "
                    f"to {int(paid.pay_year[j]) + 1}"
                )
            else:
                text += (
                    f". Budget {int(paid.pay_year[j])} used up by earlier claims (first come,"
                    f" first served): {_w(owed - amt)} not paid"
                )
        due_year = int(paid.revenue_year[j]) + interp.pay_lag_years
        if int(paid.pay_year[j]) > due_year:
            part = "the unpaid " if owed < float(earned.amount_wan[c]) - 1e-9 else ""
            text += f" ({part}{_w(owed)} deferred from pay year {due_year})"
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
