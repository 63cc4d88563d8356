"""Stress-test page: choose the readings of the schedule (RULES.md C) and the firms' behaviour,
run the Monte Carlo (model/simulation/) with a progress bar, show the fan chart of yearly outlay
against the budget and the chance of overrun; below it the Mesa model's view of one run."""

from __future__ import annotations

from pathlib import Path

import solara
import solara.lab

from fundalloc.app import common, fields, security, share
from fundalloc.app.fields import NumberField, spec_of
from fundalloc.app.mesa_view import MesaView
from fundalloc.commands.simulate import run_simulate
from fundalloc.core.i18n import tr
from fundalloc.core.scenario import load_scenario
from fundalloc.rules.jiaxing import CHOICES
from fundalloc.rules.jiaxing.awards_params import AwardsParams
from fundalloc.simulation.assumptions import centre_of
from fundalloc.simulation.settings import SimulationSettings
from fundalloc.simulation.subtables import BehaviourSettings
from fundalloc.simulation.summary import year_table

BEHAVIOUR = [
    ("window", "Reaction window (share below a tier)"),
    ("effort", "Extra effort (log growth)"),
    ("timing", "Early booking (share of revenue)"),
    ("applying", "More recognition applicants (relative)"),
]

BUDGET = spec_of(AwardsParams, "budget_wan", optional=True)
RUNS = spec_of(SimulationSettings, "runs")
BEHAVIOUR_SPECS = {k: spec_of(BehaviourSettings, k) for k, _ in BEHAVIOUR}

scenario_path = solara.reactive(str(common.DEFAULT_SIMULATION))
choices: solara.Reactive[dict[str, str]] = solara.reactive(
    {}
)  # reading key → chosen value (absent = scenario's)
behaviour: solara.Reactive[dict[str, float]] = solara.reactive(
    {}
)  # behaviour key → value (0 = off; absent = scenario's)
runs: solara.Reactive[int | None] = solara.reactive(None)  # None = scenario's simulation.runs
budget: solara.Reactive[float | None] = solara.reactive(None)  # flat yearly 万; None = scenario's
extra = solara.reactive("")  # further key=value lines, as the command line's --set
progress = solara.reactive(0.0)


def overrides() -> list[str]:
    sets = [f'awards.{k}="{v}"' for k, v in choices.value.items()]
    sets += [f"simulation.behaviour.{k}={v:g}" for k, v in behaviour.value.items()]
    if budget.value is not None:
        sets.append(f"awards.budget_wan={budget.value:g}")
    if runs.value:
        sets.append(f"simulation.runs={int(runs.value)}")
    sets += [ln.strip() for ln in extra.value.splitlines() if ln.strip()]
    return sets


@solara.lab.task
def run_stress(path: str, sets: list[str]):
    """The command line's orchestration (commands/simulate.run_simulate): same run folder."""
    progress.set(0.0)
    folder, summary = run_simulate(
        path,
        security.page_sets(sets),  # a page user may name no server file
        out=common.run_dir("simulate"),
        progress=False,
        on_progress=lambda done, total: progress.set(100.0 * done / total),
    )
    return summary, folder


def state() -> dict:
    return {"scenario": [Path(scenario_path.value).name], "set": overrides()}


def apply(st: dict) -> None:
    """The page's fields back from `--set` lines (a shared link or a settings file)."""
    name = (st.get("scenario") or [common.DEFAULT_SIMULATION.name])[0]
    scenario_path.set(share.scenario_path(str(name), "simulation"))
    picked, beh, rest = {}, {}, []
    flat, n = None, None
    for line in [str(x) for x in st.get("set") or []]:
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key.startswith("awards.") and key[7:] in CHOICES:
            picked[key[7:]] = value.strip('"')
        elif key.startswith("simulation.behaviour.") and key[21:] in dict(BEHAVIOUR):
            beh[key[21:]] = float(value)
        elif key == "awards.budget_wan" and _number(value):
            flat = float(value)
        elif key == "simulation.runs" and value.isdigit():
            n = int(value)
        else:
            rest.append(line)
    choices.set(picked)
    behaviour.set(beh)
    budget.set(flat)
    runs.set(n)
    extra.set("\n".join(rest))
    fields.clear()


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@solara.component
def Settings(sc):
    with solara.Card("Readings of the schedule"):
        for key, allowed in CHOICES.items():
            current = choices.value.get(key, sc.get(f"awards.{key}", allowed[0]))
            solara.Select(
                key.replace("_", " "),
                values=list(allowed),
                value=current,
                on_value=lambda v, k=key: choices.set({**choices.value, k: v}),
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
            label=f"{fields.title(BUDGET)} (empty = the scenario's)",
            style={"min-width": "16em"},
        )
    with solara.Card("Firms' behaviour (0 = off)"):
        for key, label in BEHAVIOUR:
            value = behaviour.value.get(key, centre_of(sc.get(f"simulation.behaviour.{key}", 0.0)))
            with solara.Row():
                solara.Switch(
                    label="on" if value else "off",
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
                    label=label,
                    style={"min-width": "14em"},
                )
    with solara.Card("Replications"):
        NumberField(
            "stress-runs",
            RUNS,
            int(runs.value or sc.get("simulation.runs", 1000)),
            runs.set,
            label="Replications (runs)",
        )
        solara.Markdown(
            "Other settings, one `key=value` a line as the command line's "
            "`--set`, e.g. `simulation.seed=7`:"
        )
        with solara.Div(classes=["fundalloc-extra"]):
            solara.InputTextArea(
                "Other settings",
                value=extra.value,
                on_value=extra.set,
                rows=3,
                continuous_update=True,
            )


@solara.component
def Results(summary: dict, out: Path):
    common.images(out / "outlay_fan.png", out / "overrun.png")
    solara.Markdown("### Outlay falling due and chance of overrun, by pay year")
    table = year_table(summary)
    common.Table(table, classes=["fundalloc-overrun"], headers={c: str(c) for c in table.columns})
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            lambda: (out / "report.html").read_bytes(),
            "stress-report.html",
            label="Download report.html",
        )
        solara.FileDownload(
            lambda: (out / "outlay.csv").read_bytes(), "outlay.csv", label="Download outlay.csv"
        )
    common.RunFolder(out)


def headline(summary: dict) -> str:
    sb = summary["smallest_budget_wan"]
    return (
        f"{summary['runs']} replications, {summary['firms']:,} firms today. Smallest "
        f"flat yearly budget keeping the chance of overrun at or below "
        f"{sb['level']:.0%} in every year: {sb['flat']:,.0f} 万."
    )


@solara.component
def Status():
    with common.StatusBar():
        if run_stress.pending:
            common.ScrollHere()
            solara.Text(f"Running replications… {progress.value:.0f} %")
            solara.ProgressLinear(progress.value, classes=["fundalloc-progress"])
        elif run_stress.error:
            common.ScrollHere()
            common.ErrorBox(common.words(run_stress.exception))
        elif run_stress.finished and run_stress.value:
            common.ScrollHere().key(f"done-{id(run_stress.value)}")
            solara.Success(headline(run_stress.value[0]), classes=["fundalloc-summary"])
        else:
            solara.Info("Choose the readings and behaviour, then press “Run stress test”.")


def start() -> None:
    if not fields.errors.value:
        run_stress(scenario_path.value, overrides())


@solara.component
def Page():
    solara.Title("fundalloc — stress test")
    share.use_query(apply)
    solara.Markdown("## Will the reward schedule stay inside its budget?")
    sims = common.bundled("simulation")
    label = Path(scenario_path.value).name
    loaded = solara.use_memo(lambda: _load(scenario_path.value), [scenario_path.value])
    with solara.Columns([1, 2]):
        with solara.Column():
            solara.Select(
                "Scenario",
                values=list(sims),
                value=label if label in sims else None,
                on_value=lambda v: (
                    scenario_path.set(sims[v]),
                    choices.set({}),
                    behaviour.set({}),
                    budget.set(None),
                    runs.set(None),
                    fields.clear(),
                ),
            )
            if isinstance(loaded, str):
                common.ErrorBox(loaded)
                return
            Settings(loaded)
            if fields.errors.value:
                solara.Error(
                    tr("app.fix_fields") + " " + "; ".join(fields.errors.value.values()),
                    classes=["fundalloc-fix-fields"],
                )
            solara.Button(
                "Run stress test",
                color="primary",
                disabled=run_stress.pending or bool(fields.errors.value),
                on_click=start,
            )
            share.ShareBar("stress", "stress", state(), apply)
        with solara.Column():
            Status()
            if run_stress.finished and run_stress.value and not run_stress.pending:
                Results(*run_stress.value)
            MesaView(scenario_path.value, overrides())


def _load(path: str):
    try:
        return load_scenario(path)
    except Exception as exc:  # noqa: BLE001 - said in words on the page
        return common.words(exc)
