"""What a Monte Carlo of the reward schedule comes to: the summary (per pay year mean,
quantiles and chance of overrun, split by award, deadweight, induced revenue, the smallest safe
budgets) and its tables (outlay.csv in long form, the pay-year table of the report and the app)."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd

from fundalloc.core.i18n import tr
from fundalloc.rules.jiaxing import AWARDS, KINDS, PAYERS
from fundalloc.simulation.kernel import World
from fundalloc.simulation.montecarlo import Results


def prob_over(x: np.ndarray, budget: float) -> float | None:
    """Share of replications whose amount `x` exceeds `budget` (None: no budget)."""
    return None if not np.isfinite(budget) else float((x > budget).mean())


def mean_paid(res: Results, j: int) -> float:
    """Mean over replications of what was paid in pay year j, all awards."""
    return round(float(res.paid[:, j].sum(axis=1).mean()), 2)


def _stats(x: np.ndarray, budget: float) -> dict:
    q = np.quantile(x, [0.5, 0.95, 0.99])
    return {
        "mean_wan": round(float(x.mean()), 2),
        "p50_wan": round(float(q[0]), 2),
        "p95_wan": round(float(q[1]), 2),
        "p99_wan": round(float(q[2]), 2),
        "prob_over_budget": prob_over(x, budget),
    }


def _owed_under(claims: np.ndarray, budget: np.ndarray, defer: bool) -> np.ndarray:
    """(runs, years) due on each year's budget: under `defer` the unpaid part of a year (due
    beyond the budget) is carried into the next, as pay() does; otherwise nothing carries."""
    if not defer:
        return claims
    owed, carry = np.empty_like(claims), np.zeros(len(claims))
    for j in range(claims.shape[1]):
        owed[:, j] = claims[:, j] + carry
        carry = np.maximum(owed[:, j] - budget[j], 0.0)
    return owed


def smallest_budgets(claims: np.ndarray, level: float, defer: bool) -> tuple[np.ndarray, float]:
    """Smallest budget per pay year (set year by year) and smallest flat yearly budget with a
    chance of overrun (what falls due > budget) of at most `level` in every year."""
    per_year, carry = np.empty(claims.shape[1]), np.zeros(len(claims))
    for j in range(claims.shape[1]):
        due = claims[:, j] + carry
        per_year[j] = np.quantile(due, 1 - level, method="inverted_cdf")
        carry = np.maximum(due - per_year[j], 0.0) if defer else carry

    def worst(b: float) -> float:
        owed = _owed_under(claims, np.full(claims.shape[1], b), defer)
        return float((owed > b).mean(axis=0).max())

    lo, hi = 0.0, float(claims.sum(axis=1).max()) + 1.0  # hi: every claim of every year at once
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if worst(mid) <= level else (mid, hi)
    return per_year, hi


def summarise(res: Results, world: World) -> dict:
    p, interp = world.params, world.interp
    years = [int(y) for y in res.pay_years]
    owed = res.owed.sum(axis=2)
    claims = res.claims.sum(axis=2)
    per_year, flat = smallest_budgets(claims, p.level, interp.budget_exhausted == "defer")
    pay_years = {}
    for j, y in enumerate(years):
        pay_years[str(y)] = {
            **_stats(owed[:, j], res.budget[j]),
            "budget_wan": (None if not np.isfinite(res.budget[j]) else float(res.budget[j])),
            "mean_paid_wan": mean_paid(res, j),
            "mean_claims_wan": round(float(claims[:, j].mean()), 2),
        }
    by_award = {
        a: {str(y): _stats(res.owed[:, j, i], res.budget[j]) for j, y in enumerate(years)}
        for i, a in enumerate(AWARDS)
    }
    earned, paid_total = res.earned.sum(), res.paid.sum()
    return {
        "runs": res.runs,
        "seed": p.seed,
        "workers": p.workers,
        "chunk": p.chunk,
        "revenue_years": list(p.years),
        "award_years": list(p.award_years),
        "amount_basis": "owed: what falls due on each pay year's budget (new claims, plus the "
        "unpaid part carried over under budget_exhausted = defer)",
        "pay_years": pay_years,
        "by_award": by_award,
        "total_claims": _stats(claims.sum(axis=1), np.inf),
        "deadweight": {
            "mean_wan": round(float(res.deadweight.mean()), 2),
            "share": float(res.deadweight.sum() / earned) if earned > 0 else None,
            "meaning": "awards (entitlements) a firm would have earned with behaviour off, on the "
            "same random numbers",
        },
        "induced_revenue": {
            "mean_wan": round(float(res.induced_wan.mean()), 2),
            "per_wan_spent": float(res.induced_wan.sum() / paid_total) if paid_total > 0 else None,
            "all_years_mean_wan": round(float(res.induced_all_wan.mean()), 2),
            "meaning": "extra true revenue (effort; early booking adds none) in the revenue "
            "years that earn tier awards, per 万元 paid over all pay years; "
            "all_years_mean_wan counts the later years too (the higher level "
            "persists)",
        },
        "crossings": {
            "with_behaviour": float(res.crossings[:, 0].mean()),
            "without_behaviour": float(res.crossings[:, 1].mean()),
        },
        "smallest_budget_wan": {
            "level": p.level,
            "flat": round(flat, 2),
            "by_pay_year": {
                str(y): round(float(b), 2) for y, b in zip(years, per_year, strict=True)
            },
        },
        "by_payer": payer_summary(res, p.level, interp.budget_exhausted == "defer"),
        "budget_by_payer": interp.budget_by_payer,
        "behaviour": asdict(p.behaviour),
        "interpretation": asdict(interp),
        "growth_family": p.growth.family,
        "firms": int(world.pop.incumbent.sum()),
        "missing_history": missing_history(res, world),
        "recognition": {
            "paid": {pr.name: KINDS[pr.kind] for pr in p.programmes},
            "unpaid": list(p.unpaid),
        },
    }


def missing_history(res: Results, world: World) -> dict:
    """Firms of the firm table with no revenue before the first award year: how many, how the
    reading treats them (simulation.missing_history) and what they are paid (mean by pay
    year, first-crossing reading; 0 when they are left out)."""
    flags = world.pop.missing_history
    count = 0 if flags is None else int(flags.sum())
    years = [int(y) for y in res.pay_years]
    money = res.missing_wan if res.missing_wan is not None else np.zeros((res.runs, len(years)))
    return {
        "reading": world.params.missing_history,
        "first_award_year": int(world.params.award_years[0]),
        "firms": count,
        "excluded": int(world.pop.excluded_missing),
        "mean_claims_wan": {
            str(y): round(float(money[:, j].mean()), 2) for j, y in enumerate(years)
        },
        "total_mean_wan": round(float(money.sum(axis=1).mean()), 2),
    }


def missing_history_note(summary: dict) -> str | None:
    """The warning of the terminal, the report and the workbook, or None (no such firm)."""
    m = summary.get("missing_history")
    if not m or not (m["firms"] or m["excluded"]):
        return None
    if m["reading"] == "exclude":
        return tr("risk.missing_excluded", firms=f"{m['excluded']:,}", year=m["first_award_year"])
    return tr(
        "risk.missing_paid",
        firms=f"{m['firms']:,}",
        year=m["first_award_year"],
        total=f"{m['total_mean_wan']:,.0f}",
    )


def payer_summary(res: Results, level: float, defer: bool) -> dict:
    """Per payer with any claim (五 各县(市)参照执行): each pay year's outlay, the chance it
    overruns the payer's own budget (None with one budget for all) and the smallest safe
    budgets of that payer alone. The payers' means add up to the total's."""
    if res.owed_payer is None or res.claims_payer is None or res.paid_payer is None:
        return {}
    years = [int(y) for y in res.pay_years]
    budget = (
        res.budget_payer
        if res.budget_payer is not None
        else np.full((len(years), len(PAYERS)), np.inf)
    )
    out = {}
    for q, name in enumerate(PAYERS):
        claims = res.claims_payer[:, :, q]
        if not claims.any():
            continue
        owed = res.owed_payer[:, :, q]
        per_year, flat = smallest_budgets(claims, level, defer)
        out[name] = {
            "pay_years": {
                str(y): {
                    **_stats(owed[:, j], budget[j, q]),
                    "budget_wan": None if not np.isfinite(budget[j, q]) else float(budget[j, q]),
                    "mean_paid_wan": round(float(res.paid_payer[:, j, q].mean()), 2),
                }
                for j, y in enumerate(years)
            },
            "total_claims": _stats(claims.sum(axis=1), np.inf),
            "smallest_budget_wan": {
                "level": level,
                "flat": round(flat, 2),
                "by_pay_year": {
                    str(y): round(float(b), 2) for y, b in zip(years, per_year, strict=True)
                },
            },
        }
    return out


def payer_table(summary: dict) -> pd.DataFrame:
    """Long table by payer and pay year: mean, P95, overrun chance, smallest safe budget."""
    rows = []
    for name, v in summary.get("by_payer", {}).items():
        sb = v["smallest_budget_wan"]
        for y, st in v["pay_years"].items():
            prob = st["prob_over_budget"]
            rows.append(
                {
                    "payer": name,
                    "pay_year": int(y),
                    "budget_wan": st["budget_wan"],
                    "mean_wan": st["mean_wan"],
                    "p95_wan": st["p95_wan"],
                    "prob_over_budget": prob,
                    "mean_paid_wan": st["mean_paid_wan"],
                    "smallest_budget_wan": sb["by_pay_year"][y],
                    "smallest_flat_budget_wan": sb["flat"],
                }
            )
    return pd.DataFrame(rows)


def outlay_frame(res: Results) -> pd.DataFrame:
    R, P, A = res.owed.shape
    return pd.DataFrame(
        {
            "run": np.repeat(np.arange(R), P * A),
            "pay_year": np.tile(np.repeat(res.pay_years, A), R),
            "award": np.tile(np.array(AWARDS), R * P),
            "amount_wan": np.round(res.owed.reshape(-1), 4),
            "paid_wan": np.round(res.paid.reshape(-1), 4),
        }
    )


def year_table(summary: dict) -> pd.DataFrame:
    rows = []
    for y, s in summary["pay_years"].items():
        prob = s["prob_over_budget"]
        rows.append(
            {
                "pay year": y,
                "budget 万": s["budget_wan"],
                "mean 万": s["mean_wan"],
                "P50 万": s["p50_wan"],
                "P95 万": s["p95_wan"],
                "P99 万": s["p99_wan"],
                "overrun chance": "" if prob is None else f"{prob:.1%}",
                "mean paid 万": s["mean_paid_wan"],
                f"budget for ≤{summary['smallest_budget_wan']['level']:.0%} 万": summary[
                    "smallest_budget_wan"
                ]["by_pay_year"][y],
            }
        )
    return pd.DataFrame(rows)


def risk_notes(summary: dict) -> list[str]:
    """Warnings every output of a run shows (terminal, report, workbook)."""
    unpaid = summary.get("recognition", {}).get("unpaid")
    note = tr("risk.unpaid_programmes", names=", ".join(unpaid)) if unpaid else None
    risk = summary.get("assumption_risk")
    spread = (
        tr(
            "risk.assumption_note",
            n=len(risk["assumptions"]),
            centre=f"{risk['flat_budget_centre_wan']:,.0f}",
            drawn=f"{risk['flat_budget_drawn_wan']:,.0f}",
        )
        if risk
        else None
    )
    return [n for n in (missing_history_note(summary), note, spread) if n]
