"""Selection page: a scenario and an applicant file, the batch's numbers in a form, run the
optimisation (model/selection/run.py), show who is designated, the charts, the ineligible and why,
the conflicting rules when no batch fits, and the XLSX to download."""

from __future__ import annotations

from pathlib import Path

import solara
import solara.lab

from fundalloc.app import common
from fundalloc.app.form import SelectionForm
from fundalloc.commands.select import write_outputs
from fundalloc.core.errors import InfeasibleError
from fundalloc.core.scenario import load_scenario
from fundalloc.selection.params import selection_params
from fundalloc.selection.rulesets import ruleset_of
from fundalloc.selection.run import optimise

# Checked applicant file: ("ok" | "error", words), shown under the upload button.
upload_check: solara.Reactive[tuple[str, str] | None] = solara.reactive(None)


def applicants_path(scenario) -> Path | None:
    return common.applicants_upload.value or scenario.get("selection.applicants")


def check_upload(name: str, data: bytes) -> None:
    """Read and check the file at once (same reader as a run) so a bad file is named now."""
    path = common.save_upload(name, data)
    try:
        sc = load_scenario(common.selection_scenario.value, common.selection_sets.value)
        ruleset = ruleset_of(sc)
        apps = ruleset.prepare(sc, path, selection_params(sc, ruleset.regions))
    except Exception as exc:  # noqa: BLE001 - every problem is shown in words
        common.applicants_upload.set(None)
        upload_check.set(("error", common.words(exc)))
        return
    common.applicants_upload.set(path)
    upload_check.set(
        (
            "ok",
            f"{name}: {len(apps.ids)} applicants read, {int(apps.eligible.sum())} "
            "eligible under this scenario's rules.",
        )
    )


@solara.lab.task
def run_selection(scenario_path: str, applicants: str | None, sets: list[str]):
    sc = load_scenario(scenario_path, sets)
    outcome = optimise(sc, applicants)
    out = common.new_dir()
    write_outputs(outcome, out, sc)
    return outcome, out


@solara.component
def Inputs():
    with solara.Card("Scenario and applicants"):
        choices = common.bundled("selection")
        label = Path(common.selection_scenario.value).name
        solara.Select(
            "Scenario",
            values=list(choices),
            value=label if label in choices else None,
            on_value=lambda v: (
                common.selection_scenario.set(choices[v]),
                common.selection_sets.set([]),
            ),
        )
        up = common.applicants_upload.value
        solara.Markdown(f"Applicant file: **{up.name if up else 'the scenario’s own (bundled)'}**")
        common.UploadButton("Upload applicants (CSV/XLSX)", ".csv,.xlsx", check_upload)
        if up:
            solara.Button(
                "Back to the scenario’s file",
                text=True,
                on_click=lambda: (common.applicants_upload.set(None), upload_check.set(None)),
            )
        if upload_check.value:
            kind, text = upload_check.value
            if kind == "error":
                common.ErrorBox(text)
            else:
                solara.Success(text, classes=["fundalloc-upload-ok"])


@solara.component
def Results(outcome, out: Path):
    s, t = outcome.summary, outcome.table
    chosen = t[t.designated]
    solara.Success(
        f"Status {s['status']}: {len(chosen)} designated of {s['n_eligible']} eligible "
        f"({s['n_applicants']} applicants); total score {s['total_score']:.1f}; awards "
        f"{s['total_award_wan']:,} 万 of a budget of {s['budget_wan']:,.0f} 万."
    )
    with solara.Row():
        solara.Text("Designated:", style={"font-weight": "bold"})
        solara.Text(", ".join(s["designated"]), classes=["fundalloc-designated"])
    solara.DataFrame(
        chosen[
            [
                "id",
                "name",
                "city",
                "region",
                "score",
                "factor_index",
                "award_wan",
                "proportional_wan",
                "city_match_wan",
            ]
        ].reset_index(drop=True)
    )
    if len(s["tied_batches"]) > 1:
        solara.Info(
            f"{len(s['tied_batches'])} batches tie on the total score; the one shown "
            "is closest to proportional awards (all are in the XLSX summary)."
        )
    common.images(out / "awards_by_applicant.png", out / "awards_by_region.png")
    solara.FileDownload(
        lambda: (out / "allocation.xlsx").read_bytes(),
        "allocation.xlsx",
        label="Download allocation.xlsx",
    )
    inel = t[~t.eligible][["id", "name", "city", "reasons"]].reset_index(drop=True)
    solara.Markdown(f"### Not eligible ({len(inel)})")
    if len(inel):
        solara.DataFrame(inel)


@solara.component
def Page():
    solara.Title("fundalloc — selection")
    solara.Markdown("## Which applicants to designate, and how much each gets")
    with solara.Columns([1, 2]):
        with solara.Column():
            Inputs()
            SelectionForm()
            solara.Button(
                "Run selection",
                color="primary",
                disabled=run_selection.pending,
                on_click=lambda: run_selection(
                    common.selection_scenario.value,
                    _applicants(),
                    list(common.selection_sets.value),
                ),
            )
        with solara.Column():
            if run_selection.pending:
                solara.Text("Solving…")
                solara.ProgressLinear(True)
            elif run_selection.error:
                exc = run_selection.exception
                if isinstance(exc, InfeasibleError):
                    solara.Markdown("### No batch satisfies every rule")
                common.ErrorBox(common.words(exc))
            elif run_selection.finished and run_selection.value:
                Results(*run_selection.value)
            else:
                solara.Info(
                    "Choose the inputs, adjust the rules if needed, and press “Run selection”."
                )


def _applicants() -> str | None:
    up = common.applicants_upload.value
    return str(up) if up else None
