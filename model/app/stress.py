"""Stress-test page: choose the readings of the schedule (RULES.md C) and the firms' behaviour,
run the Monte Carlo (model/simulation/) with a progress bar, show the fan chart of yearly outlay
against the budget and the chance of overrun; below it the Mesa model's view of one run."""

from __future__ import annotations

from pathlib import Path

import solara
import solara.lab

from fundalloc.app import common, security
from fundalloc.app.mesa_view import MesaView
from fundalloc.commands.simulate import write_simulation
from fundalloc.core.scenario import load_scenario
from fundalloc.rules.jiaxing import CHOICES
from fundalloc.simulation.assumptions import centre_of
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.summary import summarise, year_table
from fundalloc.simulation.world import load_world

BEHAVIOUR = [
    ("window", "Reaction window (share below a tier)"),
    ("effort", "Extra effort (log growth)"),
    ("timing", "Early booking (share of revenue)"),
    ("applying", "More recognition applicants (relative)"),
]

scenario_path = solara.reactive(str(common.DEFAULT_SIMULATION))
choices: solara.Reactive[dict[str, str]] = solara.reactive(
    {}
)  # reading key → chosen value (absent = scenario's)
behaviour: solara.Reactive[dict[str, float]] = solara.reactive(
    {}
)  # behaviour key → value (0 = off; absent = scenario's)
runs = solara.reactive(None)  # None = scenario's simulation.runs
budget = solara.reactive(None)  # flat yearly budget 万; None = scenario's
extra = solara.reactive("")  # further key=value lines, as the command line's --set
progress = solara.reactive(0.0)


def overrides() -> list[str]:
    sets = [f'awards.{k}="{v}"' for k, v in choices.value.items()]
    sets += [f"simulation.behaviour.{k}={v}" for k, v in behaviour.value.items()]
    if budget.value is not None:
        sets.append(f"awards.budget_wan={budget.value}")
    if runs.value:
        sets.append(f"simulation.runs={int(runs.value)}")
    sets += [ln.strip() for ln in extra.value.splitlines() if ln.strip()]
    return sets


@solara.lab.task
def run_stress(path: str, sets: list[str]):
    progress.set(0.0)
    sc = load_scenario(path, security.page_sets(sets))  # a page user may name no server file
    world = load_world(sc)
    res = run_montecarlo(
        world, progress=False, on_progress=lambda done, total: progress.set(100.0 * done / total)
    )
    summary = summarise(res, world)
    out = common.new_dir()
    write_simulation(res, summary, world, out, sc.path.name)
    return summary, out


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
        solara.InputFloat(
            "Yearly budget (万; empty = the scenario's)",
            value=flat,
            optional=True,
            on_value=budget.set,
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
                solara.InputFloat(
                    label,
                    value=float(value),
                    on_value=lambda v, k=key: (
                        v is not None and behaviour.set({**behaviour.value, k: v})
                    ),
                )
    with solara.Card("Replications"):
        solara.InputInt(
            "Replications (runs)",
            value=int(runs.value or sc.get("simulation.runs", 1000)),
            on_value=runs.set,
        )
        solara.Markdown(
            "Other settings, one `key=value` a line as the command line's "
            "`--set`, e.g. `simulation.seed=7`:"
        )
        solara.InputTextArea(
            "Other settings", value=extra.value, on_value=extra.set, rows=3, continuous_update=True
        )


@solara.component
def Results(summary: dict, out: Path):
    sb = summary["smallest_budget_wan"]
    solara.Success(
        f"{summary['runs']} replications, {summary['firms']:,} firms today. Smallest "
        f"flat yearly budget keeping the chance of overrun at or below "
        f"{sb['level']:.0%} in every year: {sb['flat']:,.0f} 万."
    )
    common.images(out / "outlay_fan.png", out / "overrun.png")
    solara.Markdown("### Outlay falling due and chance of overrun, by pay year")
    with solara.Div(classes=["fundalloc-overrun"]):
        solara.DataFrame(year_table(summary), items_per_page=12)
    with solara.Row():
        solara.FileDownload(
            lambda: (out / "report.html").read_bytes(),
            "stress-report.html",
            label="Download report.html",
        )
        solara.FileDownload(
            lambda: (out / "outlay.csv").read_bytes(), "outlay.csv", label="Download outlay.csv"
        )


@solara.component
def Page():
    solara.Title("fundalloc — stress test")
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
                ),
            )
            if isinstance(loaded, str):
                common.ErrorBox(loaded)
                return
            Settings(loaded)
            solara.Button(
                "Run stress test",
                color="primary",
                disabled=run_stress.pending,
                on_click=lambda: run_stress(scenario_path.value, overrides()),
            )
        with solara.Column():
            if run_stress.pending:
                solara.Text(f"Running replications… {progress.value:.0f} %")
                solara.ProgressLinear(progress.value, classes=["fundalloc-progress"])
            elif run_stress.error:
                common.ErrorBox(common.words(run_stress.exception))
            elif run_stress.finished and run_stress.value:
                Results(*run_stress.value)
            else:
                solara.Info("Choose the readings and behaviour, then press “Run stress test”.")
            MesaView(scenario_path.value, overrides())


def _load(path: str):
    try:
        return load_scenario(path)
    except Exception as exc:  # noqa: BLE001 - said in words on the page
        return common.words(exc)
