"""`fundalloc simulate` and `fundalloc stress`: build the world from a scenario, run the Monte
Carlo, summarise, write one results folder (nothing is written unless the run completes; the
finished chunks of an interrupted run are kept for --resume, see checkpoint.py)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from fundalloc.core.errors import FundallocError, ScenarioError
from fundalloc.core.executors import open_executor
from fundalloc.core.report import html_report
from fundalloc.rules.jiaxing import AWARDS, interpretation_from, load_policy
from fundalloc.core.runs import run_folder, write_json
from fundalloc.core.scenario import Scenario, load_scenario
from fundalloc.simulation.checkpoint import Partial, RunInterrupted, fingerprint
from fundalloc.simulation.kernel import World
from fundalloc.simulation.montecarlo import Results, chunk_jobs, run_montecarlo
from fundalloc.simulation.params import sim_params, tier_thresholds
from fundalloc.simulation.population import build_population
from fundalloc.simulation.report import award_chart, fan_chart, overrun_chart, stress_charts


def load_world(scenario: Scenario) -> World:
    policy_path = scenario.get("awards.policy")
    if not policy_path:
        raise ScenarioError(scenario.path, "awards.policy", "no policy file: the simulation pays "
                            "by the rules of a policy (e.g. policies/jiaxing-2024-14.toml)")
    policy = load_policy(policy_path)
    params = sim_params(scenario, policy)
    thresholds = tier_thresholds(policy)
    return World(build_population(scenario, params, thresholds), params, thresholds, policy,
                 interpretation_from(scenario))


def _stats(x: np.ndarray, budget: float) -> dict:
    q = np.quantile(x, [0.5, 0.95, 0.99])
    return {"mean_wan": round(float(x.mean()), 2), "p50_wan": round(float(q[0]), 2),
            "p95_wan": round(float(q[1]), 2), "p99_wan": round(float(q[2]), 2),
            "prob_over_budget": None if not np.isfinite(budget) else float((x > budget).mean())}


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

    lo, hi = 0.0, float(claims.sum(axis=1).max()) + 1.0   # hi: every claim of every year at once
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
        pay_years[str(y)] = {**_stats(owed[:, j], res.budget[j]),
                             "budget_wan": None if not np.isfinite(res.budget[j]) else float(res.budget[j]),
                             "mean_paid_wan": round(float(res.paid[:, j].sum(axis=1).mean()), 2),
                             "mean_claims_wan": round(float(claims[:, j].mean()), 2)}
    by_award = {a: {str(y): _stats(res.owed[:, j, i], res.budget[j]) for j, y in enumerate(years)}
                for i, a in enumerate(AWARDS)}
    earned, paid_total = res.earned.sum(), res.paid.sum()
    return {
        "runs": res.runs, "seed": p.seed, "workers": p.workers, "chunk": p.chunk,
        "revenue_years": list(p.years), "award_years": list(p.award_years),
        "amount_basis": "owed: what falls due on each pay year's budget (new claims, plus the "
                        "unpaid part carried over under budget_exhausted = defer)",
        "pay_years": pay_years, "by_award": by_award,
        "total_claims": _stats(claims.sum(axis=1), np.inf),
        "deadweight": {
            "mean_wan": round(float(res.deadweight.mean()), 2),
            "share": float(res.deadweight.sum() / earned) if earned > 0 else None,
            "meaning": "awards (entitlements) a firm would have earned with behaviour off, on the "
                       "same random numbers"},
        "induced_revenue": {
            "mean_wan": round(float(res.induced_wan.mean()), 2),
            "per_wan_spent": float(res.induced_wan.sum() / paid_total) if paid_total > 0 else None,
            "all_years_mean_wan": round(float(res.induced_all_wan.mean()), 2),
            "meaning": "extra true revenue (effort; early booking adds none) in the revenue years "
                       "that earn tier awards, per 万元 paid over all pay years; all_years_mean_wan "
                       "counts the later years too (the higher level persists)"},
        "crossings": {"with_behaviour": float(res.crossings[:, 0].mean()),
                      "without_behaviour": float(res.crossings[:, 1].mean())},
        "smallest_budget_wan": {"level": p.level, "flat": round(flat, 2),
                                "by_pay_year": {str(y): round(float(b), 2)
                                                for y, b in zip(years, per_year)}},
        "behaviour": asdict(p.behaviour), "interpretation": asdict(interp),
        "growth_family": p.growth.family, "firms": int(world.pop.incumbent.sum()),
    }


def outlay_frame(res: Results) -> pd.DataFrame:
    R, P, A = res.owed.shape
    return pd.DataFrame({
        "run": np.repeat(np.arange(R), P * A),
        "pay_year": np.tile(np.repeat(res.pay_years, A), R),
        "award": np.tile(np.array(AWARDS), R * P),
        "amount_wan": np.round(res.owed.reshape(-1), 4),
        "paid_wan": np.round(res.paid.reshape(-1), 4)})


def year_table(summary: dict) -> pd.DataFrame:
    rows = []
    for y, s in summary["pay_years"].items():
        prob = s["prob_over_budget"]
        rows.append({"pay year": y, "budget 万": s["budget_wan"], "mean 万": s["mean_wan"],
                     "P50 万": s["p50_wan"], "P95 万": s["p95_wan"], "P99 万": s["p99_wan"],
                     "overrun chance": "" if prob is None else f"{prob:.1%}",
                     "mean paid 万": s["mean_paid_wan"],
                     f"budget for ≤{summary['smallest_budget_wan']['level']:.0%} 万":
                         summary["smallest_budget_wan"]["by_pay_year"][y]})
    return pd.DataFrame(rows)


def write_simulation(res: Results, summary: dict, world: World, staging: Path, title: str) -> None:
    outlay_frame(res).to_csv(staging / "outlay.csv", index=False)
    write_json(staging / "summary.json", summary)
    years = res.pay_years
    c1 = fan_chart(staging / "outlay_fan.png", years, res.owed.sum(axis=2), res.budget,
                   f"Yearly outlay falling due, {res.runs} runs")
    c2 = overrun_chart(staging / "overrun.png", years,
                       np.array([s["prob_over_budget"] if s["prob_over_budget"] is not None else np.nan
                                 for s in summary["pay_years"].values()]), world.params.level)
    c3 = award_chart(staging / "by_award.png", years, res.owed.mean(axis=0))
    by_award = pd.DataFrame([{"award": a, **{y: s["mean_wan"] for y, s in v.items()}}
                             for a, v in summary["by_award"].items()])
    dw, ind, cr = summary["deadweight"], summary["induced_revenue"], summary["crossings"]
    sb = summary["smallest_budget_wan"]
    share = "n/a" if dw["share"] is None else f"{dw['share']:.1%}"
    per_wan = "n/a" if ind["per_wan_spent"] is None else f"{ind['per_wan_spent']:.2f}"
    head = (f"<p>{summary['runs']} replications (seed {summary['seed']}), {summary['firms']:,} "
            f"firms today, revenue years {summary['revenue_years'][0]}–{summary['revenue_years'][-1]}; "
            f"growth {summary['growth_family']}; budget exhaustion "
            f"<b>{summary['interpretation']['budget_exhausted']}</b>. Amounts are what falls due on "
            f"each pay year's budget, in 万元.</p><p>Smallest flat yearly budget keeping the chance "
            f"of overrun at or below {sb['level']:.0%} in every year: <b>{sb['flat']:,.0f} 万</b>."
            f"</p><p>Deadweight (awards firms would have earned without reacting): "
            f"<b>{share}</b> of entitlements ({dw['mean_wan']:,.0f} 万 a run). Extra revenue "
            f"induced per 万元 paid: <b>{per_wan} 万</b>. Tier crossings per run: "
            f"{cr['with_behaviour']:.1f} with behaviour, {cr['without_behaviour']:.1f} without.</p>")
    interp = pd.DataFrame(list(summary["interpretation"].items()), columns=["reading", "value"])
    html_report(staging / "report.html", "fundalloc — Jiaxing schedule budget stress test", [
        ("", head), ("Outlay by pay year", [c1, c2]), ("", year_table(summary)),
        ("By award type (mean 万)", [c3]), ("", by_award), ("Readings of the text", interp.astype(str)),
    ])


def _overrides(sets, runs, seed, workers, budget_wan) -> list[str]:
    out = list(sets or [])
    if runs is not None:
        out.append(f"simulation.runs={runs}")
    if seed is not None:
        out.append(f"simulation.seed={seed}")
    if workers is not None:
        out.append(f"simulation.workers={workers}")
    if budget_wan is not None:
        out.append(f"awards.budget_wan={budget_wan}")
    return out


def _checkpoint_meta(command: str, base: Scenario, worlds: list[World],
                     scenarios: list[Scenario]) -> dict:
    p = worlds[0].params
    return {"command": command, "scenario": str(base.path), "scenario_sha256": base.sha256,
            "overrides": base.overrides, "fingerprint": fingerprint(scenarios),
            "seed": p.seed, "runs": p.runs, "chunk": p.chunk,
            "chunks": sum(len(chunk_jobs(w.params.runs, w.params.chunk)) for w in worlds)}


@contextmanager
def _checkpointed(command, base, worlds, scenarios, out, resume):
    """The `.incomplete` folder of a run: kept (and named in the message) if the run is
    interrupted or fails after some chunks, removed once the run folder is in place."""
    meta = _checkpoint_meta(command, base, worlds, scenarios)
    partial = Partial.resume(resume, meta) if resume else Partial.start(out, meta)
    if resume and out and Path(out).resolve() != partial.final.resolve():
        raise FundallocError(f"--out {out} with --resume: a resumed run goes where it was "
                             f"started, {partial.final}; leave out --out")
    try:
        yield partial
    except KeyboardInterrupt:
        if not resume and partial.chunks_done() == 0:
            partial.finish()
            raise RunInterrupted("interrupted before any chunk finished; nothing kept") from None
        raise partial.interrupted(meta["chunks"]) from None
    except BaseException:
        if not resume and partial.chunks_done() == 0:
            partial.finish()
        raise
    partial.finish()


def run_simulate(path, sets=None, *, runs=None, seed=None, workers=None, budget_wan=None,
                 out=None, progress=True, executor="local", address=None,
                 resume=None) -> tuple[Path, dict]:
    scenario = load_scenario(path, _overrides(sets, runs, seed, workers, budget_wan))
    world = load_world(scenario)
    with _checkpointed("simulate", scenario, [world], [scenario], out, resume) as partial:
        with open_executor(executor, address, world.params.workers) as ex:
            res = run_montecarlo(world, progress=progress, executor=ex, store=partial.store())
        summary = summarise(res, world)
        with run_folder(partial.final, "simulate", scenario=scenario, seed=world.params.seed,
                        extra={"runs": res.runs, "workers": world.params.workers,
                               "executor": executor,
                               "resumed_from": str(partial.folder) if resume else None}) as run:
            write_simulation(res, summary, world, run.staging, scenario.path.name)
    return run.final, summary


def stress_paths(scenario: Scenario, extra: list[Path] | None) -> list[Path]:
    if extra:
        return [Path(p).resolve() for p in extra]
    listed = scenario.get("stress.scenarios", [])
    if not isinstance(listed, list):
        raise ScenarioError(scenario.path, "stress.scenarios", "a list of scenario files")
    return [(scenario.path.parent / p).resolve() for p in listed]


def run_stress(path, sets=None, *, others=None, runs=None, seed=None, workers=None,
               budget_wan=None, level=None, out=None, progress=True, executor="local",
               address=None, resume=None) -> tuple[Path, pd.DataFrame, dict]:
    overrides = _overrides(sets, runs, seed, workers, budget_wan)
    if level is not None:
        overrides.append(f"simulation.level={level}")
    base = load_scenario(path, overrides)
    scenarios = [base] + [load_scenario(p, overrides) for p in stress_paths(base, others)]
    worlds = [load_world(sc) for sc in scenarios]
    with _checkpointed("stress", base, worlds, scenarios, out, resume) as partial:
        with open_executor(executor, address, worlds[0].params.workers) as ex:
            results = [run_montecarlo(w, progress=progress, label=sc.path.stem, executor=ex,
                                      store=partial.store(f"{i:02d}-{sc.path.stem}"))
                       for i, (sc, w) in enumerate(zip(scenarios, worlds))]
        return _write_stress(base, scenarios, worlds, results, partial.final)


def _write_stress(base, scenarios, worlds, results, out) -> tuple[Path, pd.DataFrame, dict]:
    rows, summaries, totals = [], {}, {}
    for sc, world, res in zip(scenarios, worlds, results):
        name = sc.path.stem
        s = summarise(res, world)
        summaries[name] = s
        totals[name] = res
        for y, v in s["pay_years"].items():
            rows.append({"scenario": name, "pay_year": int(y), "budget_wan": v["budget_wan"],
                         "mean_wan": v["mean_wan"], "p95_wan": v["p95_wan"],
                         "prob_over_budget": v["prob_over_budget"],
                         "smallest_budget_wan": s["smallest_budget_wan"]["by_pay_year"][y],
                         "smallest_flat_budget_wan": s["smallest_budget_wan"]["flat"]})
    table = pd.DataFrame(rows)
    names = list(summaries)
    summary = {"level": summaries[names[0]]["smallest_budget_wan"]["level"],
               "scenarios": {n: {k: summaries[n][k] for k in ("runs", "seed", "pay_years",
                                                              "smallest_budget_wan", "deadweight",
                                                              "induced_revenue", "crossings")}
                             for n in names}}
    with run_folder(out, "stress", scenario=base, seed=summaries[names[0]]["seed"],
                    extra={"scenarios": [str(sc.path) for sc in scenarios]}) as run:
        table.to_csv(run.staging / "stress.csv", index=False)
        write_json(run.staging / "summary.json", summary)
        years = totals[names[0]].pay_years
        p95 = np.array([[summaries[n]["pay_years"][str(y)]["p95_wan"] for y in years] for n in names])
        prob = np.array([[np.nan if (v := summaries[n]["pay_years"][str(y)]["prob_over_budget"]) is None
                          else v for y in years] for n in names])
        charts = stress_charts(run.staging, years, names, p95, prob, totals[names[0]].budget)
        wide = table.pivot(index="scenario", columns="pay_year", values="p95_wan").reindex(names)
        flat = pd.DataFrame([{"scenario": n, f"smallest flat budget (≤{summary['level']:.0%}) 万":
                              summaries[n]["smallest_budget_wan"]["flat"],
                              "deadweight share": summaries[n]["deadweight"]["share"]}
                             for n in names])
        html_report(run.staging / "report.html", "fundalloc — stress scenarios side by side", [
            ("", f"<p>{len(names)} scenarios, same seed and runs; amounts in 万元 falling due "
                 f"on each pay year's budget.</p>"),
            ("P95 outlay and chance of overrun", charts), ("P95 by pay year (万)",
                                                           wide.reset_index()),
            ("Smallest yearly budget", flat), ("All figures", table)])
    return run.final, table, summary
