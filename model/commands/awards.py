"""`fundalloc awards`: who is owed what under the Jiaxing schedule, year by year.

Read and check the firm, recognition and platform files, compute every award earned and every
payment (model/rules/jiaxing.py), explain each payment in words, write payments.csv,
summary.json, awards.xlsx, report.html and manifest.json. Nothing is written unless the whole
run succeeds (model/runs.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fundalloc.core.errors import ScenarioError
from fundalloc.inputs.firms import (Firms, Platforms, Recognitions, empty_platforms, empty_recognitions,
                    read_firms, read_platforms, read_recognitions)
from fundalloc.core.report import bar_chart, html_report, write_workbook
from fundalloc.rules.jiaxing import (AWARDS, GROWTH, KINDS, LEVELS, PLATFORM, SECTORS,
                            Earned, Interpretation, Paid, Policy, earned_awards,
                            interpretation_from, load_policy, pay)
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario

PAYMENT_COLUMNS = ("firm_id", "sector", "award", "revenue_year", "pay_year", "amount_wan",
                   "owed_wan", "clause", "explanation")


@dataclass
class AwardsOutcome:
    policy: Policy
    interp: Interpretation
    firms: Firms
    recognitions: Recognitions
    platforms: Platforms
    earned: Earned
    paid: Paid
    payments: pd.DataFrame     # payments.csv
    summary: dict              # summary.json


def policy_path(scenario: Scenario) -> Path:
    path = scenario.get("awards.policy")
    if not path:
        raise ScenarioError(scenario.path, "awards.policy", "no policy file: point it at e.g. "
                            "policies/jiaxing-2024-14.toml")
    return Path(path)


def compute(firms: Firms, policy: Policy, interp: Interpretation,
            recognitions: Recognitions | None = None,
            platforms: Platforms | None = None) -> AwardsOutcome:
    """The whole calculation without files: used by the command and by the worked cases."""
    recognitions = recognitions or empty_recognitions()
    platforms = platforms or empty_platforms()
    earned = earned_awards(firms.revenue, firms.years, firms.sector, policy, interp,
                           recognitions.arrays() if len(recognitions.firm) else None,
                           platforms.arrays() if len(platforms.year) else None)
    paid = pay(earned, interp)
    payments = payment_table(firms, platforms, policy, interp, earned, paid)
    summary = make_summary(payments, earned, interp, policy, firms)
    return AwardsOutcome(policy, interp, firms, recognitions, platforms, earned, paid, payments,
                         summary)


def run_inputs(scenario: Scenario, firms_path=None, recognitions_path=None, platforms_path=None):
    """Resolve input paths: command-line options first, then awards.firms etc. in the scenario."""
    firms_path = firms_path or scenario.get("awards.firms")
    if not firms_path:
        raise ScenarioError(scenario.path, "awards.firms",
                            "no firm file: set it in the scenario or pass --firms")
    firms = read_firms(firms_path)
    rec_path = recognitions_path or scenario.get("awards.recognitions")
    plat_path = platforms_path or scenario.get("awards.platforms")
    rec = read_recognitions(rec_path, firms) if rec_path else empty_recognitions()
    plat = read_platforms(plat_path) if plat_path else empty_platforms()
    return firms, rec, plat


def optimise(scenario: Scenario, firms_path=None, recognitions_path=None,
             platforms_path=None) -> AwardsOutcome:
    interp = interpretation_from(scenario)
    policy = load_policy(policy_path(scenario))
    firms, rec, plat = run_inputs(scenario, firms_path, recognitions_path, platforms_path)
    return compute(firms, policy, interp, rec, plat)


# ----------------------------------------------------------------------------- explanations

def _w(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def _explain_earned(i: int, earned: Earned, firms: Firms, platforms: Platforms, policy: Policy,
                    interp: Interpretation) -> str:
    """Why claim i is owed, in words (runs once per payment row: output only, not hot path)."""
    a, f, y, amt = (int(earned.award[i]), int(earned.firm[i]), int(earned.revenue_year[i]),
                    float(earned.amount_wan[i]))
    d = int(earned.detail[i]) if earned.detail is not None else -1
    if a == PLATFORM:
        p = platforms
        share = policy.platform_share[d]
        full = share * p.upgrade_cost_wan[f]
        cap = f", capped at {_w(policy.platform_cap_wan)}" if full > policy.platform_cap_wan else ""
        return (f"platform served {int(p.firms_served[f])} firms (> {policy.platform_min_firms}) "
                f"and trade grew {p.trade_growth[f]:.1%} (>= {policy.platform_growth[d]:.0%}): "
                f"{share:.0%} of upgrade cost {_w(p.upgrade_cost_wan[f])}{cap}")
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
        return (f"revenue {_w(rev[t])} in {y}, up {rev[t] / rev[t - 1] - 1:.1%} on {y - 1} "
                f"(> {policy.growth_rate:.0%}); year {y - d} of the growth window opened by the "
                f"revenue-tier award for {d}")
    thr = policy.tier_thresholds[firms.sector[f]]
    earlier = np.nanmax(rev[:t]) if t > 0 and np.isfinite(rev[:t]).any() else None
    tiers = [k for k in range(len(thr)) if rev[t] > thr[k] and (earlier is None or earlier <= thr[k])]
    crossed = ", ".join(_w(thr[k]) for k in tiers)
    text = (f"{sec} revenue {_w(rev[t])} in {y} first exceeds {crossed}"
            + ("" if earlier is None else f" (highest before: {_w(earlier)})"))
    gross = policy.tier_amounts[firms.sector[f], d]
    if interp.tiers_in_one_year == "each" and len(tiers) > 1:
        gross = float(sum(policy.tier_amounts[firms.sector[f], k] for k in tiers))
        text += f": every tier crossed pays, {_w(gross)}"
    else:
        text += f": tier {d + 1} pays {_w(gross)}"
    if amt < gross:
        text += f"; top-up, less {_w(gross - amt)} already awarded for a lower tier"
    return text


def payment_table(firms: Firms, platforms: Platforms, policy: Policy, interp: Interpretation,
                  earned: Earned, paid: Paid) -> pd.DataFrame:
    claim = paid.claim if paid.claim is not None else np.arange(len(paid))
    why = [_explain_earned(i, earned, firms, platforms, policy, interp) for i in range(len(earned))]
    rows = []
    for j in range(len(paid)):
        c = int(claim[j])
        a, f = int(paid.award[j]), int(paid.firm[j])
        owed, amt = float(paid.owed_wan[j]), float(paid.amount_wan[j])
        text = why[c]
        if amt < owed - 1e-9:
            if interp.budget_exhausted == "pro_rata":
                text += (f". Budget {int(paid.pay_year[j])} short: paid pro rata "
                         f"{amt / owed:.1%} of {_w(owed)}; the rest is not paid")
            elif interp.budget_exhausted == "defer":
                text += (f". Budget {int(paid.pay_year[j])} used up: {_w(owed - amt)} deferred "
                         f"to {int(paid.pay_year[j]) + 1}")
            else:
                text += (f". Budget {int(paid.pay_year[j])} used up by earlier claims (first come,"
                         f" first served): {_w(owed - amt)} not paid")
        due_year = int(paid.revenue_year[j]) + interp.pay_lag_years
        if int(paid.pay_year[j]) > due_year:
            part = "the unpaid " if owed < float(earned.amount_wan[c]) - 1e-9 else ""
            text += f" ({part}{_w(owed)} deferred from pay year {due_year})"
        is_platform = a == PLATFORM
        rows.append((platforms.ids[f] if is_platform else firms.ids[f],
                     "" if is_platform else SECTORS[firms.sector[f]], AWARDS[a],
                     int(paid.revenue_year[j]), int(paid.pay_year[j]), round(amt, 4),
                     round(owed, 4), policy.clauses[AWARDS[a]], text))
    table = pd.DataFrame(rows, columns=list(PAYMENT_COLUMNS))
    return table.sort_values(["pay_year", "firm_id", "award", "revenue_year"], kind="stable") \
        .reset_index(drop=True)


# ----------------------------------------------------------------------------- summary

def make_summary(payments: pd.DataFrame, earned: Earned, interp: Interpretation, policy: Policy,
                 firms: Firms) -> dict:
    by_year = payments.groupby("pay_year")["amount_wan"].sum()
    by_award = payments.groupby("award")["amount_wan"].sum()
    owed_by_award = pd.Series(earned.amount_wan).groupby(
        pd.Series(np.asarray(AWARDS, dtype=object)[earned.award])).sum()
    by_year_award = payments.pivot_table(index="pay_year", columns="award", values="amount_wan",
                                         aggfunc="sum", fill_value=0.0)
    pay_years = sorted(set(by_year.index.astype(int)))
    budget = interp.budget_for(np.array(pay_years, np.int64)) if pay_years else np.zeros(0)
    total_owed = float(np.sum(earned.amount_wan))
    total = float(payments["amount_wan"].sum())
    return {
        "total_wan": round(total, 4),
        "total_owed_wan": round(total_owed, 4),
        "unpaid_wan": round(total_owed - total, 4),
        "by_year_wan": {int(y): round(float(v), 4) for y, v in by_year.items()},
        "by_award_wan": {a: round(float(by_award.get(a, 0.0)), 4) for a in AWARDS},
        "owed_by_award_wan": {a: round(float(owed_by_award.get(a, 0.0)), 4) for a in AWARDS},
        "by_year_award_wan": {int(y): {a: round(float(r.get(a, 0.0)), 4) for a in AWARDS}
                              for y, r in by_year_award.iterrows()},
        "by_revenue_year_wan": {int(y): round(float(v), 4) for y, v in
                                payments.groupby("revenue_year")["amount_wan"].sum().items()},
        "budget_wan": {int(y): (None if not np.isfinite(b) else float(b))
                       for y, b in zip(pay_years, budget)},
        "interpretations": asdict(interp),
        "policy": {"id": policy.id, "file": str(policy.path), "sha256": policy.sha256,
                   "in_force_from": policy.in_force_from.isoformat(),
                   "in_force_to": policy.in_force_to.isoformat(),
                   "revenue_years": list(policy.window("revenue_tier"))},
        "n_firms": len(firms),
        "revenue_years_in_file": [int(firms.years[0]), int(firms.years[-1])],
        "n_payments": int(len(payments)),
        "n_recipients": int(payments["firm_id"].nunique()),
        "firms_file": str(firms.path),
        "first_come_order": "revenue year, then award type (revenue_tier, growth, "
                            "service_mfg_demo, industrial_design, platform), then firm_id",
    }


# ----------------------------------------------------------------------------- outputs

def write_outputs(outcome: AwardsOutcome, staging: Path, scenario: Scenario) -> None:
    p, s = outcome.payments, outcome.summary
    p.to_csv(staging / "payments.csv", index=False, encoding="utf-8")
    write_json(staging / "summary.json", s)
    years = sorted(s["by_year_wan"])
    by_year = pd.DataFrame([{"pay_year": y, **s["by_year_award_wan"][y],
                             "total_wan": s["by_year_wan"][y],
                             "budget_wan": s["budget_wan"].get(y)} for y in years])
    by_award = pd.DataFrame([{"award": a, "owed_wan": s["owed_by_award_wan"][a],
                              "paid_wan": s["by_award_wan"][a]} for a in AWARDS])
    interp = pd.DataFrame(list(s["interpretations"].items()), columns=["key", "value"]).astype(str)
    by_firm = (p.groupby(["firm_id", "sector"], as_index=False)["amount_wan"].sum()
               .sort_values("amount_wan", ascending=False))
    write_workbook(staging / "awards.xlsx", {
        # The clause text is on the Policy sheet, not repeated on every payment row (this
        # sheet is most of the writing time for 100,000 firms).
        "Payments": p.drop(columns=["clause"]), "By pay year": by_year, "By award": by_award, "By recipient": by_firm,
        "Interpretations": interp,
        "Policy": pd.DataFrame([{"award": a, "revenue_years": "–".join(
            map(str, outcome.policy.window(a))), "clause": outcome.policy.clauses[a]}
            for a in AWARDS]),
    })
    budgets = [b for b in s["budget_wan"].values() if b is not None]
    ref = budgets[0] if budgets and len(set(budgets)) == 1 else None
    c1 = bar_chart(staging / "payments_by_year.png", [str(y) for y in years],
                   [s["by_year_wan"][y] for y in years], "Payments by pay year",
                   "wan yuan (10,000 CNY)", reference=ref, reference_label="budget")
    c2 = bar_chart(staging / "payments_by_award.png", list(AWARDS),
                   [s["by_award_wan"][a] for a in AWARDS], "Payments by award type",
                   "wan yuan (10,000 CNY)")
    i = outcome.interp
    head = (f"<p>Policy <b>{outcome.policy.id}</b> ({outcome.policy.title}), revenue years "
            f"{'–'.join(map(str, outcome.policy.window('revenue_tier')))}. "
            f"{s['n_firms']} firms in {Path(s['firms_file']).name}; {s['n_payments']} payments "
            f"to {s['n_recipients']} recipients, total <b>{s['total_wan']:,.2f} 万</b> "
            f"(owed {s['total_owed_wan']:,.2f} 万; unpaid {s['unpaid_wan']:,.2f} 万). "
            f"Budget: {'unlimited' if i.budget_wan is None else i.budget_wan} "
            f"({i.budget_exhausted} when exhausted); paid {i.pay_lag_years} year(s) after the "
            f"revenue year. Scenario {scenario.path.name}"
            f"{' with ' + ' '.join(scenario.overrides) if scenario.overrides else ''}.</p>")
    html_report(staging / "report.html", "fundalloc — Jiaxing reward schedule: payments owed", [
        ("", head), ("Charts", [c1, c2]), ("By pay year (万元)", by_year),
        ("By award (万元)", by_award), ("Interpretations used", interp),
        ("Largest recipients", by_firm.head(20)),
        ("Payments (first 200 rows; all in payments.csv)", p.head(200)),
    ])


def run_awards(scenario: Scenario, firms=None, recognitions=None, platforms=None,
               out: Path | None = None) -> tuple[Path, AwardsOutcome]:
    outcome = optimise(scenario, firms, recognitions, platforms)
    with run_folder(out, "awards", scenario=scenario,
                    extra={"policy": str(outcome.policy.path),
                           "policy_sha256": outcome.policy.sha256}) as run:
        write_outputs(outcome, run.staging, scenario)
    return run.final, outcome
