"""Design page (issue 18): the award amounts a yearly budget can carry at a stated risk — the
inverse of the stress test. Runs `fundalloc design` (model/design/) on a bundled scenario and
shows the published and designed amounts, the risk by pay year in and out of sample, the fan
chart and the designed policy file to download."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import solara
import solara.lab

from fundalloc.app import common
from fundalloc.core.i18n import tr

scenario_path = solara.reactive(str(common.DEFAULT_SIMULATION))
budget = solara.reactive(8000.0)  # 万 a pay year
level = solara.reactive(0.05)
runs = solara.reactive(1000)
objective = solara.reactive("closest")


@solara.lab.task
def run_design_task(path: str, budget_wan: float, alpha: float, n: int, goal: str):
    from fundalloc.commands.design import run_design_command

    out = common.new_dir() / "design"
    final, summary = run_design_command(
        path, [f'design.objective="{goal}"'], runs=n, budget_wan=budget_wan, level=alpha, out=out
    )
    return summary, final


@solara.component
def Results(summary: dict, out: Path):
    from fundalloc.design.outputs import summary_lines

    for line in summary_lines(summary):
        solara.Markdown(line)
    common.images(out / "designed_fan.png", out / "designed_amounts.png")
    solara.Markdown(f"### {tr('design.sheet.lines')}")
    solara.DataFrame(pd.read_csv(out / "lines.csv"), items_per_page=25)
    solara.Markdown(f"### {tr('design.sheet.years')}")
    solara.DataFrame(pd.read_csv(out / "risk.csv"), items_per_page=12)
    with solara.Row():
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


@solara.component
def Page():
    solara.Title(tr("design.wb_title"))
    solara.Markdown(f"## {tr('app.design.question')}")
    sims = common.bundled("simulation")
    label = Path(scenario_path.value).name
    with solara.Columns([1, 2]):
        with solara.Column():
            solara.Select(
                tr("app.design.scenario"),
                values=list(sims),
                value=label if label in sims else None,
                on_value=lambda v: scenario_path.set(sims[v]),
            )
            solara.InputFloat(tr("app.design.budget"), value=budget.value, on_value=budget.set)
            solara.InputFloat(tr("app.design.level"), value=level.value, on_value=level.set)
            solara.InputInt(tr("app.design.runs"), value=runs.value, on_value=runs.set)
            solara.Select(
                tr("app.design.objective"),
                values=["closest", "induced", "deadweight"],
                value=objective.value,
                on_value=objective.set,
            )
            solara.Button(
                tr("app.design.run"),
                color="primary",
                disabled=run_design_task.pending,
                on_click=lambda: run_design_task(
                    scenario_path.value, budget.value, level.value, runs.value, objective.value
                ),
            )
        with solara.Column():
            if run_design_task.pending:
                solara.ProgressLinear(True)
                solara.Text(tr("app.design.running"))
            elif run_design_task.error:
                common.ErrorBox(common.words(run_design_task.exception))
            elif run_design_task.finished and run_design_task.value:
                Results(*run_design_task.value)
            else:
                solara.Info(tr("app.design.hint"))
