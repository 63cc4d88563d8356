"""Stress-test page: choose the readings of the schedule (RULES.md C) and the firms' behaviour,
run the Monte Carlo (model/simulation/) with a progress bar, show the fan chart of yearly outlay
against the budget and the chance of overrun — in total and per payer (五 各县(市)参照执行:
each county pays its own firms from its own budget) — and below it the Mesa model's view of
one run."""

from __future__ import annotations

from pathlib import Path

import solara
import solara.lab

from fundalloc.app import budget_list, common, fields, inputs, payers, share
from fundalloc.app.fields import NumberField, spec_of
from fundalloc.app.mesa_view import MesaView
from fundalloc.app.payers import PayerCard, payer_sets, restore_payers
from fundalloc.app.stress_tables import payer_view, year_view
from fundalloc.commands.simulate import run_simulate
from fundalloc.core.i18n import label, pick, tr
from fundalloc.core.schema import meta
from fundalloc.rules.jiaxing import CHOICES
from fundalloc.rules.jiaxing.awards_params import AwardsParams
from fundalloc.simulation.assumptions import centre_of
from fundalloc.simulation.budgets import budget_frame
from fundalloc.simulation.rebudget import ClaimCache
from fundalloc.simulation.settings import SimulationSettings
from fundalloc.simulation.subtables import BehaviourSettings

BEHAVIOUR = ("window", "effort", "timing", "applying")
BUDGET = spec_of(AwardsParams, "budget_wan", optional=True)
RUNS = spec_of(SimulationSettings, "runs")
BEHAVIOUR_SPECS = {k: spec_of(BehaviourSettings, k) for k in BEHAVIOUR}

scenario_path = solara.reactive(str(common.DEFAULT_SIMULATION))
choices: solara.Reactive[dict[str, str]] = solara.reactive(
    {}
)  # reading key → chosen value (absent = scenario's)
behaviour: solara.Reactive[dict[str, float]] = solara.reactive(
    {}
)  # behaviour key → value (0 = off; absent = scenario's)
runs: solara.Reactive[int | None] = solara.reactive(None)  # None = scenario's simulation.runs
budget: solara.Reactive[float | None] = solara.reactive(None)  # flat yearly 万; None = scenario's
# Flat yearly budgets compared from the same run (simulation.budgets); None = the scenario's.
budgets: solara.Reactive[list[float] | None] = solara.reactive(None)
extra = solara.reactive("")  # further key=value lines, as the command line's --set
progress = solara.reactive(0.0)
# The last runs' entitlements, by study (shared by the sessions of this server: a study's
# numbers are the same for whoever runs it): a budget changed on the page is paid again from
# them in about a second instead of simulating again (simulation/rebudget.py).
CLAIMS = ClaimCache(size=2)


def overrides() -> list[str]:
    sets = [f'awards.{k}="{v}"' for k, v in choices.value.items()]
    sets += [f"simulation.behaviour.{k}={v:g}" for k, v in behaviour.value.items()]
    by_payer = payer_sets()
    if budget.value is not None and not any(s.startswith("awards.budget_wan=") for s in by_payer):
        sets.append(f"awards.budget_wan={budget.value:g}")
    sets += by_payer
    if budgets.value:
        sets.append(budget_list.to_set(budgets.value))
    if runs.value:
        sets.append(f"simulation.runs={int(runs.value)}")
    sets += [ln.strip() for ln in extra.value.splitlines() if ln.strip()]
    return sets


@solara.lab.task
def run_stress(path: str, sets: list[str]):
    """The command line's orchestration (commands/simulate.run_simulate): same run folder."""
    progress.set(0.0)
    inp = inputs.page_inputs(path, sets)  # a page user may name no server file
    folder, summary = run_simulate(
        inp.path,
        inp.sets,
        out=common.run_dir("simulate"),
        progress=False,
        on_progress=lambda done, total: progress.set(100.0 * done / total),
        cache=CLAIMS,  # a new budget or exhaustion reading re-pays the last run's claims
    )
    return summary, folder


def state() -> dict:
    return {"scenario": [Path(scenario_path.value).name], "set": overrides()}


def apply(st: dict) -> None:
    """The page's fields back from `--set` lines (a shared link or a settings file)."""
    name = (st.get("scenario") or [common.DEFAULT_SIMULATION.name])[0]
    scenario_path.set(share.scenario_path(str(name), "simulation"))
    picked, beh, rest = {}, {}, []
    flat, n, several = None, None, None
    for line in restore_payers([str(x) for x in st.get("set") or []]):
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key.startswith("awards.") and key[7:] in CHOICES:
            picked[key[7:]] = value.strip('"')
        elif key.startswith("simulation.behaviour.") and key[21:] in BEHAVIOUR:
            beh[key[21:]] = float(value)
        elif key == "awards.budget_wan" and _number(value):
            flat = float(value)
        elif key == "simulation.runs" and value.isdigit():
            n = int(value)
        elif key == budget_list.KEY and (listed := budget_list.from_set(value)) is not None:
            several = listed
        else:
            rest.append(line)
    choices.set(picked)
    behaviour.set(beh)
    budget.set(flat)
    budgets.set(several)
    runs.set(n)
    extra.set("\n".join(rest))
    fields.clear()


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def reading_options(key: str) -> dict[str, str]:
    """Each allowed value of a reading as its meaning (with the code to --set it)."""
    options = meta(AwardsParams.model_fields[key]).get("options") or {}
    return {(f"{pick(*options[v])} ({v})" if v in options else v): v for v in CHOICES[key]}


@solara.component
def Readings(sc):
    with solara.Card(tr("app.stress.readings")):
        for key, allowed in CHOICES.items():
            info = AwardsParams.model_fields[key]
            options = reading_options(key)
            shown = {v: k for k, v in options.items()}
            current = choices.value.get(key, sc.get(f"awards.{key}", allowed[0]))
            solara.Select(
                f"{label(info)} — {meta(info).get('clause', '')}".rstrip(" —"),
                values=list(options),
                value=shown.get(current, current),
                on_value=lambda v, k=key, o=options: choices.set({**choices.value, k: o[v]}),
            )
        b = sc.get("awards.budget_wan")
        flat = (
            budget.value
            if budget.value is not None
            else (b if isinstance(b, (int, float)) else None)
        )
        NumberField(
            "stress-budget",
            BUDGET,
            flat,
            budget.set,
            label=tr("app.stress.budget", title=fields.title(BUDGET)),
            style={"min-width": "16em"},
        )
        solara.Markdown(tr("app.stress.budgets_hint"))
        several = sc.get(budget_list.KEY)
        budget_list.BudgetsField(
            budgets.value if budgets.value is not None else (list(several or []) or None),
            budgets.set,
            by_payer=bool(payers.budgets.value) or isinstance(b, dict),
        )


@solara.component
def Behaviour(sc):
    with solara.Card(tr("app.stress.behaviour")):
        for key in BEHAVIOUR:
            value = behaviour.value.get(key, centre_of(sc.get(f"simulation.behaviour.{key}", 0.0)))
            with solara.Row():
                solara.Switch(
                    label=tr("app.on") if value else tr("app.off"),
                    value=bool(value),
                    on_value=lambda on, k=key: behaviour.set(
                        {
                            **behaviour.value,
                            k: centre_of(sc.get(f"simulation.behaviour.{k}", 0.0)) if on else 0.0,
                        }
                    ),
                )
                NumberField(
                    f"behaviour-{key}",
                    BEHAVIOUR_SPECS[key],
                    float(value),
                    lambda v, k=key: behaviour.set({**behaviour.value, k: v}),
                    style={"min-width": "14em"},
                )


@solara.component
def Replications(sc):
    with solara.Card(tr("app.stress.replications")):
        NumberField(
            "stress-runs",
            RUNS,
            int(runs.value or sc.get("simulation.runs", 1000)),
            runs.set,
            label=tr("app.runs"),
        )
        solara.Markdown(tr("app.stress.other_hint"))
        with solara.Div(classes=["fundalloc-extra"]):
            solara.InputTextArea(
                tr("app.stress.other"),
                value=extra.value,
                on_value=extra.set,
                rows=3,
                continuous_update=True,
            )


@solara.component
def Results(summary: dict, out: Path):
    common.images(out / "outlay_fan.png", out / "overrun.png")
    solara.Markdown("### " + tr("app.stress.by_year"))
    common.Table(year_view(summary), classes=["fundalloc-overrun"], percent=("prob_over_budget",))
    by_payer = payer_view(summary)
    if by_payer is not None:
        solara.Markdown("### " + tr("app.stress.by_payer"))
        common.Table(by_payer, classes=["fundalloc-by-payer"], percent=("prob_over_budget",))
    if summary.get("by_budget"):
        Budgets(summary, out)
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            lambda: (out / "report.html").read_bytes(),
            "stress-report.html",
            label=tr("app.download", name="report.html"),
        )
        solara.FileDownload(
            lambda: (out / "outlay.csv").read_bytes(),
            "outlay.csv",
            label=tr("app.download", name="outlay.csv"),
        )
    common.RunFolder(out)


@solara.component
def Budgets(summary: dict, out: Path):
    """Each budget compared (simulation.budgets): the command line's budgets.csv as a table,
    its chart, and the file."""
    with solara.Column(classes=["fundalloc-budgets"]):
        solara.Markdown("### " + tr("app.stress.by_budget"))
        again = summary["by_budget"]["simulated_again"]
        if again:  # the claims move with the budget: each was simulated again, as the CLI says
            solara.Warning(
                tr("simulate.by_budget_again", budgets=", ".join(f"{b:,.0f}" for b in again))
            )
        common.Table(
            budget_frame(summary), classes=["fundalloc-by-budget"], percent=("prob_over_budget",)
        )
        common.images(out / "by_budget.png")
        solara.FileDownload(
            lambda: (out / "budgets.csv").read_bytes(),
            "budgets.csv",
            label=tr("app.download", name="budgets.csv"),
        )


def headline(summary: dict) -> str:
    sb = summary["smallest_budget_wan"]
    return tr(
        "app.stress.headline",
        runs=summary["runs"],
        firms=f"{summary['firms']:,}",
        level=f"{sb['level']:.0%}",
        flat=f"{sb['flat']:,.0f}",
    )


@solara.component
def Status():
    with common.StatusBar():
        if run_stress.pending:
            common.ScrollHere()
            solara.Text(tr("app.stress.running", pct=f"{progress.value:.0f}"))
            solara.ProgressLinear(progress.value, classes=["fundalloc-progress"])
        elif run_stress.error:
            common.ScrollHere()
            common.ErrorBox(common.words(run_stress.exception))
        elif run_stress.finished and run_stress.value:
            common.ScrollHere().key(f"done-{id(run_stress.value)}")
            solara.Success(headline(run_stress.value[0]), classes=["fundalloc-summary"])
        else:
            solara.Info(tr("app.stress.hint"))


def start() -> None:
    if not fields.errors.value:
        run_stress(scenario_path.value, overrides())


def reset(path: str) -> None:
    scenario_path.set(path)
    choices.set({})
    behaviour.set({})
    budget.set(None)
    budgets.set(None)
    runs.set(None)
    restore_payers([])
    fields.clear()


@solara.component
def Page():
    solara.Title("fundalloc — " + tr("app.tab.stress"))
    share.use_query(apply)
    solara.Markdown("## " + tr("app.stress.question"))
    sims = common.bundled("simulation")
    name = Path(scenario_path.value).name
    loaded = solara.use_memo(lambda: _load(scenario_path.value), [scenario_path.value])
    with solara.Columns([1, 2]):
        with solara.Column():
            solara.Select(
                tr("app.scenario"),
                values=list(sims),
                value=name if name in sims else None,
                on_value=lambda v: reset(sims[v]),
            )
            if isinstance(loaded, str):
                common.ErrorBox(loaded)
                return
            Readings(loaded)
            PayerCard(loaded)
            Behaviour(loaded)
            Replications(loaded)
            common.RunButton(tr("app.stress.run"), run_stress.pending, fields.errors.value, start)
            share.ShareBar("stress", "stress", state(), apply)
        with solara.Column():
            Status()
            if run_stress.finished and run_stress.value and not run_stress.pending:
                Results(*run_stress.value)
            MesaView(scenario_path.value, overrides())


def _load(path: str):
    try:
        return inputs.scenario(path)
    except Exception as exc:  # noqa: BLE001 - said in words on the page
        return common.words(exc)
