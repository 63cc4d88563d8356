"""Compare page: a proposed batch (pasted, or a CSV/XLSX/TXT file) beside the optimum under the
same scenario, applicant file and settings as the Selection page (model/compare.py): the rules
it breaks in words, score lost, money, regional balance, and the awards side by side."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import solara  # noqa: E402
import solara.lab  # noqa: E402

from fundalloc.app import common, inputs, share  # noqa: E402
from fundalloc.commands.compare import run_compare as compare_command  # noqa: E402
from fundalloc.core.i18n import tr  # noqa: E402
from fundalloc.core.report import register_cjk_font  # noqa: E402
from fundalloc.selection.compare import parse_proposals  # noqa: E402

register_cjk_font()
READS = ("selection", "eligibility")  # as the command line loads it
DETAIL = [
    "batch",
    "id",
    "name",
    "city",
    "in_optimum",
    "score",
    "award_wan",
    "proportional_wan",
    "optimum_award_wan",
    "cheapest_swap",
]

EXAMPLE = "[my batch] HA011, HA021, HA052, HA131, HA181"

pasted = solara.reactive("")
proposal_file = solara.reactive(None)  # Path of an uploaded proposal file, or None


@solara.lab.task
def run_compare(
    scenario_path: str, sets: list[str], applicants: str | None, text: str, upload: str | None
):
    """The command line's orchestration (commands/compare.run_compare): same run folder."""
    sc = inputs.scenario(scenario_path, sets, reads=READS)
    with common.SOLVER:
        folder, outcome = compare_command(
            sc,
            batches=[Path(upload)] if upload else None,
            proposals=None if upload else parse_proposals(text),
            applicants=applicants,
            out=common.run_dir("compare"),
        )
    return outcome, folder


def side_by_side(table: pd.DataFrame) -> pd.DataFrame:
    """One column per batch (the optimum first), one row per measure, measures in words."""
    # the rules broken are said in words above the table
    t = table.drop(columns=["rules_broken"]).set_index("batch").T
    t.index = [common.header(str(m)) for m in t.index]
    t = t.reset_index().rename(columns={"index": "measure"})
    t.columns = [tr("app.compare.optimum") if c == "optimum" else str(c) for c in t.columns]
    return t


def awards_chart(detail: pd.DataFrame):
    """Awards by applicant, one bar per batch; applicants and batches by name."""
    ids = list(dict.fromkeys(detail.id))
    names = dict(zip(detail.id, detail.name.fillna("")))
    batches = list(dict.fromkeys(detail.batch))
    width = 0.8 / max(len(batches), 1)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    for b, name in enumerate(batches):
        rows = detail[detail.batch == name].set_index("id")
        values = [float(rows.award_wan.get(i) or 0) if i in rows.index else 0.0 for i in ids]
        ax.bar(
            np.arange(len(ids)) + (b - (len(batches) - 1) / 2) * width,
            values,
            width,
            label=str(name),  # Chinese names drawn in the CJK font (core/report.py)
        )
    labels = [f"{i} {names.get(i, '')}".strip() for i in ids]
    ax.set_xticks(np.arange(len(ids)), labels, rotation=40, ha="right", fontsize=7)
    ax.set_ylabel("万元")
    ax.set_title(tr("app.compare.chart_title"), fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@solara.component
def Inputs():
    sc_name = Path(common.selection_scenario.value).name
    up = common.applicants_upload.value
    sets = common.selection_sets.value
    solara.Markdown(
        tr(
            "app.compare.inputs",
            scenario=sc_name,
            applicants=up.name if up else tr("app.select.own_file"),
            sets=f"`{'`, `'.join(sets)}`" if sets else "—",
        )
    )
    with solara.Card(tr("app.compare.proposed")):
        solara.Markdown(tr("app.compare.paste_hint", example=f"`{EXAMPLE}`"))
        solara.InputTextArea(
            tr("app.compare.ids"),
            value=pasted.value,
            on_value=pasted.set,
            rows=4,
            continuous_update=True,
        )
        with solara.Row():
            common.UploadButton(
                tr("app.compare.upload"),
                ".csv,.xlsx,.txt",
                lambda name, data: proposal_file.set(common.save_upload(name, data)),
            )
            if proposal_file.value:
                solara.Text(tr("app.compare.using", name=proposal_file.value.name))
                solara.Button(
                    tr("app.compare.use_pasted"),
                    text=True,
                    on_click=lambda: proposal_file.set(None),
                )


def conflicts(outcome) -> list[str]:
    s = outcome.summary
    return list(s["conflicts"]) if s["optimum"] is None else []


@solara.component
def Results(outcome, folder: Path):
    s = outcome.summary
    for b in s["batches"]:
        if b["rules_broken"]:
            common.ErrorList(
                tr("app.compare.breaks", batch=b["batch"]),
                list(b["rules_broken"]),
                classes=["fundalloc-broken"],
            )
        else:
            lost = b["score_lost"]
            solara.Success(
                tr("app.compare.follows", batch=b["batch"])
                + ("" if lost is None else tr("app.compare.score_lost", lost=f"{lost:.2f}"))
            )
    common.Table(side_by_side(outcome.table), classes=["fundalloc-compare"], decimals={})
    fig = awards_chart(outcome.detail)
    solara.FigureMatplotlib(fig, format="png")
    plt.close(fig)
    solara.Markdown("### " + tr("app.compare.by_applicant"))
    common.Table(
        outcome.detail[DETAIL], classes=["fundalloc-compare-detail"], decimals={"score": 1}
    )
    solara.FileDownload(
        lambda: (folder / "comparison.xlsx").read_bytes(),
        "comparison.xlsx",
        label=tr("app.download", name="comparison.xlsx"),
    )
    common.RunFolder(folder)


def state() -> dict:
    return {
        "scenario": [Path(common.selection_scenario.value).name],
        "set": list(common.selection_sets.value),
        "batch": pasted.value,
        **share.applicants_state(),
    }


def apply(st: dict) -> None:
    from fundalloc.app import form

    name = (st.get("scenario") or [common.DEFAULT_SELECTION.name])[0]
    form.restore(share.scenario_path(str(name), "selection"), [str(x) for x in st.get("set") or []])
    share.apply_applicants(st)
    pasted.set(str(st.get("batch") or ""))
    proposal_file.set(None)


def start() -> None:
    up = common.applicants_upload.value
    run_compare(
        common.selection_scenario.value,
        list(common.selection_sets.value),
        str(up) if up else None,
        pasted.value,
        str(proposal_file.value) if proposal_file.value else None,
    )


@solara.component
def Status():
    with common.StatusBar():
        if run_compare.pending:
            common.ScrollHere()
            solara.Text(tr("app.compare.solving"))
            solara.ProgressLinear(True)
        elif run_compare.error:
            common.ScrollHere()
            common.ErrorBox(common.words(run_compare.exception))
        elif run_compare.finished and run_compare.value:
            outcome = run_compare.value[0]
            common.ScrollHere().key(f"done-{id(outcome)}")
            if conflicts(outcome):
                common.ErrorList(tr("app.compare.no_optimum"), conflicts(outcome))
            else:
                best = outcome.summary["optimum"]
                solara.Success(
                    tr(
                        "app.compare.headline",
                        ids=", ".join(best["designated"]),
                        score=f"{best['total_score']:.1f}",
                        n=len(outcome.summary["batches"]),
                    ),
                    classes=["fundalloc-summary"],
                )
        else:
            solara.Info(tr("app.compare.hint"))


@solara.component
def Page():
    solara.Title("fundalloc — " + tr("app.tab.compare"))
    share.use_query(apply)
    solara.Markdown("## " + tr("app.compare.question"))
    with solara.Columns([1, 2]):
        with solara.Column():
            Inputs()
            solara.Button(
                tr("app.compare.run"),
                color="primary",
                disabled=run_compare.pending,
                on_click=start,
            )
            share.ShareBar("compare", "compare", state(), apply)
        with solara.Column():
            Status()
            if run_compare.finished and run_compare.value and not run_compare.pending:
                Results(*run_compare.value)
