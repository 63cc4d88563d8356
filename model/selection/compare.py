"""`fundalloc compare`: a budget officer's own batch beside the optimum.

For each proposed batch: the rules it breaks (in words, model/selection/check.py), its total
score and the score lost against the optimum, the money, the regional balance, the awards that
stray from proportional, and — for every proposed applicant the optimum leaves out — the
cheapest swap: the best batch that does include it, found by the same MIP with that applicant
pinned in.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from fundalloc.core.errors import InfeasibleError, InputError
from fundalloc.core.i18n import tr
from fundalloc.core.scenario import Scenario

# Proposals are read in fundalloc.inputs.batches; the app and tests import them from here too.
from fundalloc.inputs.batches import Proposal, parse_proposals, read_proposals  # noqa: F401
from fundalloc.selection.check import award_violations, best_fit_lambda, count_violations
from fundalloc.selection.infeasibility import conflicting_groups, describe
from fundalloc.selection.model import Instance, Solution, build_model, solve_lexicographic
from fundalloc.selection.params import selection_params
from fundalloc.selection.rulesets import Prepared, ruleset_of
from fundalloc.selection.run import SelectOutcome, optimise


@dataclass
class CompareOutcome:
    table: pd.DataFrame  # compare.csv: one row per batch, the optimum first
    detail: pd.DataFrame  # compare_detail.csv: one row per batch and applicant
    summary: dict
    optimum: SelectOutcome | None


# --------------------------------------------------------------------------- comparing


def _solve(inst: Instance) -> tuple[Solution | None, list[str]]:
    """Best batch of an instance, or the conflicting rules in words."""
    model = build_model(inst)
    sol = solve_lexicographic(model, inst)
    if sol.status == "infeasible":
        return None, describe(conflicting_groups(model), inst)
    if sol.total_score is None:
        return None, [tr("compare.solver_stopped", status=sol.status)]
    return sol, []


def _pinned(inst: Instance, pins: dict[int, str]) -> Instance:
    pinned = list(inst.pinned)
    for i, v in pins.items():
        pinned[i] = v
    # Ties are not needed to price a swap; listing them would only cost time.
    params = inst.params.model_copy(update=dict(max_ties=1))
    return dataclasses.replace(inst, pinned=pinned, params=params)


def _batch_awards(inst: Instance, x: np.ndarray) -> tuple[np.ndarray | None, list[str]]:
    """The awards the model would give this exact batch (same stages: spend, then closest to
    proportional), with only the money rules in force (floor, cap, step or tiers, budget), so a
    batch that breaks a count rule is still priced; or why it cannot be paid."""
    n = len(x)
    money_only = inst.params.model_copy(
        update=dict(batch_min=0, batch_max=n, city_max=n, region_min={}, region_max={})
    )
    inst = dataclasses.replace(inst, params=money_only)
    sol, why = _solve(_pinned(inst, {i: "in" if x[i] else "out" for i in range(n)}))
    return (None, why) if sol is None else (sol.award_wan, [])


def compare_batches(
    scenario: Scenario, proposals: list[Proposal], applicants_path: str | Path | None = None
) -> CompareOutcome:
    ruleset = ruleset_of(scenario)
    path = applicants_path or scenario.get("selection.applicants")
    try:
        optimum = optimise(scenario, path)
        apps, inst, conflicts = optimum.applicants, optimum.instance, []
    except InfeasibleError as exc:
        optimum, conflicts = None, exc.conflicts
        apps = ruleset.prepare(scenario, Path(path), selection_params(scenario, ruleset.regions))
        inst = apps.inst
    where = {str(i): k for k, i in enumerate(apps.ids)}  # all applicants
    in_inst = {i: k for k, i in enumerate(inst.ids)}  # eligible ones
    best = _optimum_view(optimum, inst) if optimum else None
    rows, details, batches = [], [], []
    swap_cache: dict[str, dict] = {}
    if best:
        rows.append(
            _row("optimum", best["ids"], best["award"], [], best, apps, inst, where, given=False)
        )
        details += _detail("optimum", best["ids"], best["award"], best, apps, where, {})
    for p in proposals:
        for ident in p.ids:
            if ident not in where:
                raise InputError(
                    p.source,
                    tr("compare.unknown_id", id=ident, batch=p.name, path=apps.path),
                    p.rows.get(ident),
                    "id",
                )
        broken = [
            tr(
                "compare.ineligible",
                id=i,
                name=apps.names[where[i]],
                reasons="; ".join(apps.reasons[where[i]]),
            )
            for i in p.ids
            if not apps.eligible[where[i]]
        ]
        x = np.zeros(len(inst.ids), bool)
        for i in p.ids:
            if i in in_inst:
                x[in_inst[i]] = True
        broken += count_violations(inst, x)
        award = {}
        a: np.ndarray | None
        if p.awards is not None:
            award = dict(p.awards)
            a = np.array([award.get(i, 0.0) for i in inst.ids])
            broken += award_violations(inst, x, a)
        elif x.any():
            a, why = _batch_awards(inst, x)
            if not any(b.startswith("budget:") for b in broken):
                broken += why
            if a is not None:
                award = {inst.ids[k]: float(a[k]) for k in np.flatnonzero(x)}
        swaps = {}
        for i in p.ids:
            if best and i in in_inst and i not in best["ids"]:
                if i not in swap_cache:
                    swap_cache[i] = _cheapest_swap(inst, in_inst[i], best)
                swaps[i] = swap_cache[i]
        rows.append(
            _row(p.name, p.ids, award, broken, best, apps, inst, where, given=p.awards is not None)
        )
        details += _detail(p.name, p.ids, award, best, apps, where, swaps)
        batches.append(
            {
                **{k: v for k, v in rows[-1].items()},
                "rules_broken": broken,
                "awards_wan": award,
                "cheapest_swaps": swaps,
            }
        )
    table = pd.DataFrame(rows)
    summary = {
        "optimum": None
        if not best or optimum is None
        else {
            "status": optimum.summary["status"],
            "mip_gap": optimum.summary["mip_gap"],
            "designated": best["ids"],
            "total_score": best["score"],
            "total_award_wan": round(sum(best["award"].values())),
            "awards_wan": best["award"],
            "tied_batches": optimum.summary["tied_batches"],
        },
        "conflicts": conflicts,
        "batches": batches,
        "applicants_file": str(apps.path),
        "parameters": inst.params.model_dump(exclude={"applicants"}),
    }
    return CompareOutcome(table, pd.DataFrame(details), summary, optimum)


def _optimum_view(optimum: SelectOutcome, inst: Instance) -> dict:
    t = optimum.table[optimum.table.designated]
    return {
        "ids": t.id.astype(str).tolist(),
        "award": dict(zip(t.id.astype(str), t.award_wan.astype(float), strict=True)),
        "score": float(optimum.summary["total_score"]),
    }


def _cheapest_swap(inst: Instance, k: int, best: dict) -> dict:
    """The best batch that includes applicant k: what it drops and adds against the optimum."""
    sol, why = _solve(_pinned(inst, {k: "in"}))
    if sol is None:
        return {"possible": False, "why": why}
    chosen = [inst.ids[i] for i in np.flatnonzero(sol.designated)]
    drop = [i for i in best["ids"] if i not in chosen]
    add = [i for i in chosen if i not in best["ids"]]
    return {
        "possible": True,
        "drop": drop,
        "add": add,
        "batch": chosen,
        "total_score": round(float(cast(float, sol.total_score)), 6),
        "score_lost": round(best["score"] - float(cast(float, sol.total_score)), 6),
    }


def swap_words(s: dict | None) -> str:
    if not s:
        return ""
    if not s["possible"]:
        return tr("compare.swap_impossible", why="; ".join(s["why"]))
    added = ", ".join(i for i in s["add"] if i) if s["add"] else ""
    drop, lost = ", ".join(s["drop"]) or tr("compare.nobody"), f"{s['score_lost']:.2f}"
    if added:
        return tr("compare.swap_add", drop=drop, add=added, lost=lost)
    return tr("compare.swap", drop=drop, lost=lost)


def _common_rate(award: dict, apps: Prepared, where):
    """Factor indexes and awards of a batch, and the one rate λ that fits them best."""
    f = np.array([apps.f_all[where[i]] for i in award])
    a = np.array(list(award.values()), dtype=float)
    return f, a, best_fit_lambda(f, a)


def _row(
    name, ids, award: dict, broken, best, apps: Prepared, inst: Instance, where, given: bool
) -> dict:
    score = float(sum(apps.score[where[i]] for i in ids))
    total = float(sum(award.values()))
    f, a, lam = _common_rate(award, apps, where)
    dev = np.abs(a - lam * f)
    off = [i for i, d in zip(award, dev, strict=True) if d >= inst.params.step_wan]
    # Balance counts only applicants that can be designated, as the rules do.
    regions = [apps.region[where[i]] for i in ids if apps.eligible[where[i]]]
    row = {
        "batch": name,
        "designated": " ".join(ids),
        "size": len(ids),
        "follows_rules": not broken,
        "rules_broken": "; ".join(broken),
        "total_score": round(score, 4),
        "score_lost": None if best is None else round(best["score"] - score, 4) + 0.0,
        "awards_given": given,
        "total_award_wan": round(total),
        "budget_left_wan": round(inst.params.budget_wan - total),
        "n_ineligible": len(ids) - len(regions),
        "regions_covered": len(set(regions)),
        "deviation_wan": round(float(dev.sum()), 2),
        "off_proportional": " ".join(off),
    }
    for g in inst.regions:
        row[f"n_{g}"] = regions.count(g)
    return row


def _detail(name, ids, award: dict, best, apps: Prepared, where, swaps) -> list[dict]:
    lam = _common_rate(award, apps, where)[2]
    out = []
    for i in ids:
        k = where[i]
        a = award.get(i)
        out.append(
            {
                "batch": name,
                "id": i,
                "name": apps.names[k],
                "city": apps.city[k],
                "region": apps.region[k],
                "eligible": bool(apps.eligible[k]),
                "in_optimum": None if best is None else i in best["ids"],
                "score": float(apps.score[k]),
                "factor_index": round(float(apps.f_all[k]), 4),
                "award_wan": a,
                "proportional_wan": None if a is None else round(lam * float(apps.f_all[k]), 1),
                "optimum_award_wan": None if best is None else best["award"].get(i),
                "cheapest_swap": swap_words(swaps.get(i)),
            }
        )
    return out
