"""Selection page: scenario, applicant file (checked on upload), the batch's rules as a form,
then the same run as `fundalloc select` (commands/select.run_select): the designated
applicants, charts, the applicants not eligible, and the run folder the CLI would write."""

from __future__ import annotations

from pathlib import Path

import solara
import solara.lab

from fundalloc.app import common, fields, form, inputs, share, store
from fundalloc.app.form import SelectionForm
from fundalloc.app.robust_view import RobustCard
from fundalloc.commands.select import run_select
from fundalloc.core.display import status_word
from fundalloc.core.errors import InfeasibleError
from fundalloc.core.i18n import tr
from fundalloc.selection.params import selection_params
from fundalloc.selection.rulesets import ruleset_of

READS = ("selection", "eligibility")  # as the command line loads it
DESIGNATED = [
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

# Checked applicant file: ("ok" | "error", words), shown under the upload button.
upload_check: solara.Reactive[tuple[str, str] | None] = solara.reactive(None)


def check_upload(name: str, data: bytes) -> None:
    """Read and check the file at once (same reader as a run) so a bad file is named now."""
    try:
        _, path = store.keep(name, data)  # by its content: a link names it by hash
        sc = inputs.scenario(common.selection_scenario.value, common.selection_sets.value)
        ruleset = ruleset_of(sc)
        apps = ruleset.prepare(sc, path, selection_params(sc, ruleset.regions))
    except Exception as exc:  # noqa: BLE001 - every problem is shown in words
        common.applicants_upload.set(None)
        upload_check.set(("error", common.words(exc)))
        return
    common.applicants_upload.set(path)
    upload_check.set(
        ("ok", tr("app.select.upload_ok", name=name, n=len(apps.ids), e=int(apps.eligible.sum())))
    )


@solara.lab.task
def run_selection(scenario_path: str, applicants: str | None, sets: list[str]):
    sc = inputs.scenario(scenario_path, sets, reads=READS)
    with common.SOLVER:
        folder, outcome = run_select(sc, applicants, common.run_dir("select"))
    return outcome, folder


def state() -> dict:
    return {
        "scenario": [Path(common.selection_scenario.value).name],
        "set": list(common.selection_sets.value),
        **share.applicants_state(),
    }


def apply(st: dict) -> None:
    names = st.get("scenario") or [Path(str(common.DEFAULT_SELECTION)).name]
    name = names[0] if isinstance(names, list) else names
    sets = st.get("set") or []
    form.restore(share.scenario_path(str(name), "selection"), [str(s) for s in sets])
    share.apply_applicants(st)
    upload_check.set(None)
    fields.clear()


def start() -> None:
    """Run, once every field holds a valid value; a stale upload error is cleared."""
    if fields.errors.value:
        return
    if upload_check.value and upload_check.value[0] == "error":
        upload_check.set(None)
    run_selection(common.selection_scenario.value, _applicants(), list(common.selection_sets.value))


@solara.component
def Inputs():
    with solara.Card(tr("app.select.inputs")):
        choices = common.bundled("selection")
        label = Path(common.selection_scenario.value).name
        solara.Select(
            tr("app.scenario"),
            values=list(choices),
            value=label if label in choices else None,
            on_value=lambda v: (
                common.selection_scenario.set(choices[v]),
                common.selection_sets.set([]),
                fields.clear(),
            ),
        )
        up = common.applicants_upload.value
        own = up.name if up else tr("app.select.own_file")
        solara.Markdown(tr("app.select.file_is", name=own))
        common.UploadButton(tr("app.select.upload"), ".csv,.xlsx", check_upload)
        if up:
            solara.Button(
                tr("app.select.back_to_own"),
                text=True,
                on_click=lambda: (common.applicants_upload.set(None), upload_check.set(None)),
            )
        if upload_check.value:
            kind, text = upload_check.value
            if kind == "error":
                common.ErrorBox(text)
            else:
                solara.Success(text, classes=["fundalloc-upload-ok"])


def headline(outcome) -> str:
    s = outcome.summary
    return tr(
        "app.select.headline",
        status=status_word(s["status"]),
        k=len(s["designated"]),
        e=s["n_eligible"],
        n=s["n_applicants"],
        score=f"{s['total_score']:.1f}",
        awards=f"{s['total_award_wan']:,.0f}",
        budget=f"{s['budget_wan']:,.0f}",
    )


@solara.component
def Results(outcome, out: Path):
    s, t = outcome.summary, outcome.table
    chosen = t[t.designated]
    with solara.Row():
        solara.Text(tr("app.select.designated"), style={"font-weight": "bold"})
        solara.Text(", ".join(s["designated"]), classes=["fundalloc-designated"])
    common.Table(
        chosen[DESIGNATED],
        classes=["fundalloc-designated-table"],
        decimals={"score": 1, "factor_index": 3},
    )
    if len(s["tied_batches"]) > 1:
        solara.Info(tr("app.select.ties", n=len(s["tied_batches"])))
    common.images(out / "awards_by_applicant.png", out / "awards_by_region.png")
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            lambda: (out / "allocation.xlsx").read_bytes(),
            "allocation.xlsx",
            label=tr("app.download", name="allocation.xlsx"),
        )
    common.RunFolder(out)
    inel = t[~t.eligible][["id", "name", "city", "reasons"]]
    solara.Markdown("### " + tr("app.select.not_eligible", n=len(inel)))
    if len(inel):
        common.Table(inel)


@solara.component
def Status():
    """The outcome in one line (or the progress bar), kept in view (common.StatusBar)."""
    with common.StatusBar():
        if run_selection.pending:
            common.ScrollHere()
            solara.Text(tr("app.select.solving"))
            solara.ProgressLinear(True)
        elif run_selection.error:
            common.ScrollHere()
            exc = run_selection.exception
            if isinstance(exc, InfeasibleError):
                solara.Markdown("### " + tr("app.select.infeasible"))
                common.ErrorList(str(exc).splitlines()[0], list(exc.conflicts))
            else:
                common.ErrorBox(common.words(exc))
        elif run_selection.finished and run_selection.value:
            common.ScrollHere().key(f"done-{id(run_selection.value)}")
            solara.Success(headline(run_selection.value[0]), classes=["fundalloc-summary"])
        else:
            solara.Info(tr("app.select.hint"))


@solara.component
def Page():
    solara.Title("fundalloc — " + tr("app.tab.selection"))
    share.use_query(apply)
    solara.Markdown("## " + tr("app.select.question"))
    with solara.Columns([1, 2]):
        with solara.Column():
            Inputs()
            SelectionForm()
            bad = fields.errors.value
            common.RunButton(tr("app.select.run"), run_selection.pending, bad, start)
            share.ShareBar("selection", "", state(), apply)
        with solara.Column():
            Status()
            if run_selection.finished and run_selection.value and not run_selection.pending:
                Results(*run_selection.value)
            RobustCard()


def _applicants() -> str | None:
    up = common.applicants_upload.value
    return str(up) if up else None
