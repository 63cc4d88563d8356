"""summary.json of `fundalloc awards`: totals paid and owed by pay year, award and revenue
year, the budgets, the readings of the text and the policy they were applied under."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd

from fundalloc.inputs.firms import Firms
from fundalloc.rules.jiaxing import AWARDS, PAYERS, Earned, Interpretation, Policy


def make_summary(
    payments: pd.DataFrame, earned: Earned, interp: Interpretation, policy: Policy, firms: Firms
) -> dict:
    by_year = payments.groupby("pay_year")["amount_wan"].sum()
    by_award = payments.groupby("award")["amount_wan"].sum()
    owed_by_award = (
        pd.Series(earned.amount_wan)
        .groupby(pd.Series(np.asarray(AWARDS, dtype=object)[earned.award]))
        .sum()
    )
    by_year_award = payments.pivot_table(
        index="pay_year", columns="award", values="amount_wan", aggfunc="sum", fill_value=0.0
    )
    pay_years = sorted(set(by_year.index.astype(int)))
    budget = interp.budget_for(np.array(pay_years, np.int64)) if pay_years else np.zeros(0)
    total_owed = float(np.sum(earned.amount_wan))
    total = float(payments["amount_wan"].sum())
    by_payer = payer_tables(payments, earned, interp)
    return {
        "total_wan": round(total, 4),
        "total_owed_wan": round(total_owed, 4),
        "unpaid_wan": round(total_owed - total, 4),
        "by_year_wan": {int(y): round(float(v), 4) for y, v in by_year.items()},
        "by_award_wan": {a: round(float(by_award.get(a, 0.0)), 4) for a in AWARDS},
        "owed_by_award_wan": {a: round(float(owed_by_award.get(a, 0.0)), 4) for a in AWARDS},
        "by_year_award_wan": {
            int(y): {a: round(float(r.get(a, 0.0)), 4) for a in AWARDS}
            for y, r in by_year_award.iterrows()
        },
        "by_revenue_year_wan": {
            int(y): round(float(v), 4)
            for y, v in payments.groupby("revenue_year")["amount_wan"].sum().items()
        },
        "budget_wan": {
            int(y): (None if not np.isfinite(b) else float(b))
            for y, b in zip(pay_years, budget, strict=True)
        },
        "by_payer": by_payer,
        "budget_by_payer": interp.budget_by_payer,
        "interpretations": asdict(interp),
        "policy": {
            "id": policy.id,
            "file": str(policy.path),
            "sha256": policy.sha256,
            "in_force_from": policy.in_force_from.isoformat(),
            "in_force_to": policy.in_force_to.isoformat(),
            "revenue_years": list(policy.window("revenue_tier")),
        },
        "n_firms": len(firms),
        "revenue_years_in_file": [int(firms.years[0]), int(firms.years[-1])],
        "n_payments": int(len(payments)),
        "n_recipients": int(payments["firm_id"].nunique()),
        "firms_file": str(firms.path),
        "first_come_order": "revenue year, then award type (revenue_tier, growth, "
        "service_mfg_demo, industrial_design, platform), then firm_id"
        + (" (a queue per payer)" if interp.budget_by_payer else ""),
    }


def payer_tables(payments: pd.DataFrame, earned: Earned, interp: Interpretation) -> dict:
    """Per payer (五 各县(市)参照执行): paid by pay year, owed, unpaid and its budget by pay
    year (with one budget for all, `budget_wan` is the shared pool's and says so)."""
    owed = (
        pd.Series(earned.amount_wan)
        .groupby(pd.Series(np.asarray(PAYERS, dtype=object)[earned.payers()]))
        .sum()
    )
    out = {}
    for name in sorted(set(payments["payer"]) | set(owed.index), key=PAYERS.index):
        mine = payments[payments["payer"] == name]
        years = sorted(int(y) for y in mine["pay_year"].unique())
        paid = mine.groupby("pay_year")["amount_wan"].sum()
        budget = interp.budget_for(
            np.array(years, np.int64), name if interp.budget_by_payer else None
        )
        total = float(mine["amount_wan"].sum())
        out[name] = {
            "total_wan": round(total, 4),
            "owed_wan": round(float(owed.get(name, 0.0)), 4),
            "unpaid_wan": round(float(owed.get(name, 0.0)) - total, 4),
            "by_year_wan": {y: round(float(paid.get(y, 0.0)), 4) for y in years},
            "budget_wan": {
                y: (None if not np.isfinite(b) else float(b))
                for y, b in zip(years, budget, strict=True)
            },
            "own_budget": interp.budget_by_payer,
        }
    return out
