"""Design page (issue 18): the award amounts a yearly budget can carry at a stated risk — the
inverse of the stress test. Runs `fundalloc design` (commands/design.run_design_command) on a
bundled scenario and shows the published and designed amounts, the risk by pay year in and out
of sample, the fan chart, the designed policy file to download and the run folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import solara
import solara.lab

from fundalloc.app import common, fields, inputs
from fundalloc.app.fields import NumberField, spec_of
from fundalloc.core.i18n import pick, tr
from fundalloc.core.schema import meta
from fundalloc.design.settings import DesignSettings
from fundalloc.rules.jiaxing.awards_params import AwardsParams
from fundalloc.simulation.settings import SimulationSettings

BUDGET = spec_of(AwardsParams, "budget_wan")
LEVEL = spec_of(DesignSettings, "level")
RUNS = spec_of(SimulationSettings, "runs")

scenario_path = solara.reactive(str(common.DEFAULT_SIMULATION))
budget = solara.reactive(8000.0)  # 万 a pay year
level = solara.reactive(0.05)
runs = solara.reactive(1000)
objective = solara.reactive("closest")
extra = solara.reactive("")  # further key=value lines, as the command line's --set


def objectives() -> dict[str, str]:
    """The declared objectives, each as its meaning (the code to --set it in brackets)."""
    options = meta(DesignSettings.model_fields["objective"]).get("options") or {}
    return {f"{pick(*text)} ({code})": code for code, text in options.items()}


@solara.lab.task
def run_design_task(path: str, sets: list[str], budget_wan: float, alpha: float, n: int):
    from fundalloc.commands.design import run_design_command

    inp = inputs.page_inputs(path, sets)  # a page user may name no server file
    final, summary = run_design_command(
        inp.path,
        inp.sets,
        runs=n,
        budget_wan=budget_wan,
        level=alpha,
        out=common.run_dir("design"),
    )
    return summary, final


def sets() -> list[str]:
    lines = [f'design.objective="{objective.value}"']
    return lines + [ln.strip() for ln in extra.value.splitlines() if ln.strip()]


@solara.component
def Results(summary: dict, out: Path):
    from fundalloc.design.outputs import summary_lines

    with solara.Div(classes=["fundalloc-design-summary"]):
        for line in summary_lines(summary):
            solara.Markdown(line)
    common.images(out / "designed_fan.png", out / "designed_amounts.png")
    solara.Markdown(f"### {tr('design.sheet.lines')}")
    common.Table(pd.read_csv(out / "lines.csv"), classes=["fundalloc-design-lines"])
    solara.Markdown(f"### {tr('design.sheet.years')}")
    common.Table(pd.read_csv(out / "risk.csv"), classes=["fundalloc-design-risk"])
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            lambda: (out / "designed-policy.toml").read_bytes(),
            "designed-policy.toml",
            label=tr("app.design.download_policy"),
        )
        solara.FileDownload(
            lambda: (out / "design.xlsx").read_bytes(),
            "design.xlsx",
            label=tr("app.design.download_workbook"),
        )
    common.RunFolder(out)


@solara.component
def Status():
    with common.StatusBar():
        if run_design_task.pending:
            common.ScrollHere()
            solara.Text(tr("app.design.running"))
            solara.ProgressLinear(True)
        elif run_design_task.error:
            common.ScrollHere()
            common.ErrorBox(common.words(run_design_task.exception))
        elif run_design_task.finished and run_design_task.value:
            common.ScrollHere().key(f"done-{id(run_design_task.value)}")
            solara.Success(tr("app.design.done"), classes=["fundalloc-summary"])
        else:
            solara.Info(tr("app.design.hint"))


def start() -> None:
    if not fields.errors.value:
        run_design_task(scenario_path.value, sets(), budget.value, level.value, int(runs.value))


@solara.component
def Page():
    solara.Title(tr("design.wb_title"))
    solara.Markdown(f"## {tr('app.design.question')}")
    sims = common.bundled("simulation")
    name = Path(scenario_path.value).name
    goals = objectives()
    shown = {v: k for k, v in goals.items()}
    with solara.Columns([1, 2]):
        with solara.Column():
            solara.Select(
                tr("app.design.scenario"),
                values=list(sims),
                value=name if name in sims else None,
                on_value=lambda v: scenario_path.set(sims[v]),
            )
            with solara.Row(style={"flex-wrap": "wrap"}):
                NumberField(
                    "design-budget",
                    BUDGET,
                    budget.value,
                    budget.set,
                    label=tr("app.design.budget"),
                )
                NumberField(
                    "design-level", LEVEL, level.value, level.set, label=tr("app.design.level")
                )
                NumberField("design-runs", RUNS, runs.value, runs.set, label=tr("app.design.runs"))
            solara.Select(
                tr("app.design.objective"),
                values=list(goals),
                value=shown.get(objective.value),
                on_value=lambda v: objective.set(goals[v]),
            )
            with solara.Div(classes=["fundalloc-extra"]):
                solara.InputTextArea(
                    tr("app.stress.other"),
                    value=extra.value,
                    on_value=extra.set,
                    rows=3,
                    continuous_update=True,
                )
            common.RunButton(
                tr("app.design.run"), run_design_task.pending, fields.errors.value, start
            )
        with solara.Column():
            Status()
            if run_design_task.finished and run_design_task.value and not run_design_task.pending:
                Results(*run_design_task.value)
