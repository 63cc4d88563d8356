"""Robustness on the selection page (issue 17 item 1): the same run as `fundalloc robust`
(commands/robust.run_robust) on the page's scenario, applicants and rules, with the score noise
and the number of draws typed here — each applicant's chance of designation and award range,
the batch's stability, the chart and the run folder."""

from __future__ import annotations

from pathlib import Path

import solara
import solara.lab

from fundalloc.app import common, fields, inputs
from fundalloc.app.fields import NumberField, spec_of
from fundalloc.commands.robust import run_robust, summary_lines
from fundalloc.core.i18n import tr
from fundalloc.selection.robust_params import RobustParams

READS = ("selection", "eligibility", "robust")  # as `fundalloc robust` loads it
SD = spec_of(RobustParams, "score_sd")
DRAWS = spec_of(RobustParams, "draws")
SHOWN = ["id", "name", "score", "p_designated", "award_mean_wan", "award_p05_wan", "award_p95_wan"]

score_sd: solara.Reactive[float] = solara.reactive(2.0)
draws: solara.Reactive[int] = solara.reactive(200)


@solara.lab.task
def run_robustness(path: str, applicants: str | None, sets: list[str]):
    sc = inputs.scenario(path, sets, reads=READS)
    # one worker, in this process: the app has solved with HiGHS already, and a forked
    # worker must not inherit HiGHS's thread pool (selection/robust.py)
    with common.SOLVER:
        folder, outcome = run_robust(sc, applicants, common.run_dir("robust"), workers=1)
    return outcome, folder


def start() -> None:
    if fields.errors.value:
        return
    up = common.applicants_upload.value
    sets = [
        *common.selection_sets.value,
        f"robust.score_sd={score_sd.value:g}",
        f"robust.draws={int(draws.value)}",
    ]
    run_robustness(common.selection_scenario.value, str(up) if up else None, sets)


@solara.component
def Results(outcome, folder: Path):
    with solara.Div(classes=["fundalloc-robust-summary"]):
        for line in summary_lines(outcome.summary):
            solara.Markdown(line)
    t = outcome.table
    shown = t[t.eligible].sort_values(["p_designated", "score"], ascending=False)[SHOWN]
    common.Table(
        shown,
        classes=["fundalloc-robust"],
        decimals={"score": 1},
        percent=("p_designated",),
    )
    common.images(folder / "p_designated.png")
    common.RunFolder(folder)


@solara.component
def RobustCard():
    with solara.Card(tr("app.robust.title"), classes=["fundalloc-robust-card"]):
        solara.Markdown(tr("app.robust.hint"))
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
            NumberField("robust-sd", SD, score_sd.value, score_sd.set)
            NumberField("robust-draws", DRAWS, draws.value, draws.set)
            solara.Button(
                tr("app.robust.run"),
                color="primary",
                disabled=run_robustness.pending or bool(fields.errors.value),
                on_click=start,
            )
        if run_robustness.pending:
            solara.Text(tr("app.robust.running"))
            solara.ProgressLinear(True)
        elif run_robustness.error:
            common.ErrorBox(common.words(run_robustness.exception))
        elif run_robustness.finished and run_robustness.value:
            Results(*run_robustness.value)
