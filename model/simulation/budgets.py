"""What each of several budgets would carry (simulation.budgets, `simulate --budgets`): for
every flat yearly budget, each pay year's chance of overrun, mean paid and mean left unpaid,
from one Monte Carlo — its kept entitlements paid again under each budget (rebudget.py), so
every row equals what a run with that budget gives. Where the claims themselves depend on
the budget (rebudget.reusable), each budget is simulated again instead, and the summary
says so."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

import numpy as np
import pandas as pd

from fundalloc.simulation.kernel import World
from fundalloc.simulation.rebudget import rebudget, reusable
from fundalloc.simulation.summary import mean_paid, prob_over

# Between two budgets as an officer types a list: a Chinese or ASCII comma, 、, a semicolon, or
# spaces — but not the comma of a thousands group (4,000: a comma before exactly three digits)
# nor a space before the unit (4000 万). The stress page's field and `--budgets` both split so.
SEPARATOR = re.compile(r"\s*(?:[，、;；]|,(?!\d{3}(?!\d)))\s*|\s+(?![\s万亿])")


def budget_items(text: str | None) -> list[str]:
    """The amounts of a typed list of budgets, as text (each read as a money cell after)."""
    return [p for p in SEPARATOR.split((text or "").strip()) if p]


def with_flat_budget(world: World, budget_wan: float) -> World:
    return replace(world, interp=replace(world.interp, budget_wan=float(budget_wan)))


def simulated_again(world: World, kept: bool) -> list[float]:
    """The budgets of world.params.budgets whose claims cannot be paid again from a run of
    `world` (`kept`: it kept its entitlements): those are simulated again."""
    return [
        b
        for b in world.params.budgets
        if not (kept and reusable(world) and reusable(with_flat_budget(world, b)))
    ]


def by_budget(res, world: World, simulate: Callable[[World], object]) -> dict:
    """summary["by_budget"]: a row block per budget of world.params.budgets. `simulate(world)`
    runs the Monte Carlo again (only where the kept claims cannot be paid again)."""
    rows, again = [], []
    anew = simulated_again(world, res.kept is not None)
    for b in world.params.budgets:
        w = with_flat_budget(world, b)
        if b in anew:
            r = simulate(w)
            again.append(b)
        else:
            r = rebudget(res, w)
        years = pay_year_rows(r)
        worst = max((v["prob_over_budget"] or 0.0) for v in years.values())
        rows.append({"budget_wan": float(b), "worst_prob_over_budget": worst, "pay_years": years})
    return {"budgets": rows, "simulated_again": again}


def pay_year_rows(res) -> dict[str, dict]:
    """Each pay year's chance of overrun, mean paid and mean unpaid under the run's budget:
    only what a row needs of summarise() (not its quantiles, awards, payers or the bisection
    for the smallest safe budget), by summarise's own functions, so the same floats."""
    owed = res.owed.sum(axis=2)  # as summarise sums it
    return {
        str(int(y)): {
            "prob_over_budget": prob_over(owed[:, j], res.budget[j]),
            "mean_paid_wan": mean_paid(res, j),
            "mean_unpaid_wan": round(float(_unpaid(res, j)), 2),
        }
        for j, y in enumerate(res.pay_years)
    }


def _unpaid(res, j: int) -> float:
    """Mean over replications of what fell due in pay year j and was not paid in it."""
    return float((res.owed[:, j].sum(axis=1) - res.paid[:, j].sum(axis=1)).mean())


def budget_frame(summary: dict) -> pd.DataFrame:
    """budgets.csv and the workbook's sheet: one row per budget and pay year."""
    rows = [
        {
            "budget_wan": row["budget_wan"],
            "pay_year": int(y),
            "prob_over_budget": v["prob_over_budget"],
            "mean_paid_wan": v["mean_paid_wan"],
            "mean_unpaid_wan": v["mean_unpaid_wan"],
        }
        for row in summary.get("by_budget", {}).get("budgets", [])
        for y, v in row["pay_years"].items()
    ]
    return pd.DataFrame(
        rows,
        columns=["budget_wan", "pay_year", "prob_over_budget", "mean_paid_wan", "mean_unpaid_wan"],
    )


def overrun_grid(summary: dict) -> tuple[np.ndarray, list[str], np.ndarray]:
    """(budgets, pay years, (budgets, years) chance of overrun) for the chart."""
    rows = summary["by_budget"]["budgets"]
    years = list(rows[0]["pay_years"])
    prob = np.array([[r["pay_years"][y]["prob_over_budget"] or 0.0 for y in years] for r in rows])
    return np.array([r["budget_wan"] for r in rows]), years, prob


def budget_chart_of(path, summary: dict, level: float):
    from fundalloc.simulation.report import budget_chart

    budgets, years, prob = overrun_grid(summary)
    return budget_chart(path, budgets, years, prob, level)
