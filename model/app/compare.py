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

from fundalloc.app import common  # noqa: E402
from fundalloc.core.report import write_workbook  # noqa: E402
from fundalloc.core.scenario import load_scenario  # noqa: E402
from fundalloc.selection.compare import compare_batches, parse_proposals, read_proposals  # noqa: E402

EXAMPLE = "[my batch] HA011, HA021, HA052, HA131, HA181"

pasted = solara.reactive("")
proposal_file = solara.reactive(None)  # Path of an uploaded proposal file, or None


@solara.lab.task
def run_compare(
    scenario_path: str, sets: list[str], applicants: str | None, text: str, upload: str | None
):
    proposals = read_proposals(upload) if upload else parse_proposals(text)
    sc = load_scenario(scenario_path, sets)
    outcome = compare_batches(sc, proposals, applicants)
    out = common.new_dir() / "compare.xlsx"
    write_workbook(out, {"Compare": outcome.table, "By applicant": outcome.detail})
    return outcome, out


def side_by_side(table: pd.DataFrame) -> pd.DataFrame:
    """One column per batch (the optimum first), one row per measure."""
    # the rules broken are said in words above the table
    t = (
        table.drop(columns=["rules_broken"])
        .replace(-0.0, 0.0)
        .set_index("batch")
        .T.reset_index()
        .rename(columns={"index": "measure"})
    )
    t.columns = [str(c) for c in t.columns]
    return t.astype(str)


def awards_chart(detail: pd.DataFrame):
    """Awards by applicant, one bar per batch."""
    ids = list(dict.fromkeys(detail.id))
    batches = list(dict.fromkeys(detail.batch))
    width = 0.8 / max(len(batches), 1)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for b, name in enumerate(batches):
        rows = detail[detail.batch == name].set_index("id")
        values = [float(rows.award_wan.get(i) or 0) if i in rows.index else 0.0 for i in ids]
        ax.bar(
            np.arange(len(ids)) + (b - (len(batches) - 1) / 2) * width,
            values,
            width,
            label=name if name.isascii() else f"batch {b + 1}",
        )
    ax.set_xticks(np.arange(len(ids)), ids, rotation=45, fontsize=8)
    ax.set_ylabel("award, wan yuan")
    ax.set_title("Awards by applicant: each batch beside the optimum", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@solara.component
def Inputs():
    sc_name = Path(common.selection_scenario.value).name
    up = common.applicants_upload.value
    sets = common.selection_sets.value
    solara.Markdown(
        f"Scenario **{sc_name}**, applicants **{up.name if up else 'bundled'}**"
        + (f", with `{'`, `'.join(sets)}`" if sets else "")
        + " — as set on the Selection page."
    )
    with solara.Card("Proposed batch"):
        solara.Markdown(
            f"Paste applicant ids, e.g. `{EXAMPLE}`. A blank line starts another "
            "batch; `id:award` gives your own awards (万)."
        )
        solara.InputTextArea(
            "Applicant ids", value=pasted.value, on_value=pasted.set, rows=4, continuous_update=True
        )
        with solara.Row():
            common.UploadButton(
                "…or upload a batch file (CSV/XLSX/TXT)",
                ".csv,.xlsx,.txt",
                lambda name, data: proposal_file.set(common.save_upload(name, data)),
            )
            if proposal_file.value:
                solara.Text(f"using {proposal_file.value.name}")
                solara.Button(
                    "Use the pasted ids", text=True, on_click=lambda: proposal_file.set(None)
                )


@solara.component
def Results(outcome, xlsx: Path):
    s = outcome.summary
    if s["optimum"] is None:
        common.ErrorBox(
            "No batch satisfies every rule, so there is no optimum to compare "
            "with. These rules conflict:\n" + "\n".join(f"- {c}" for c in s["conflicts"])
        )
    for b in s["batches"]:
        if b["rules_broken"]:
            solara.Warning(
                f"{b['batch']} breaks: " + "; ".join(b["rules_broken"]),
                classes=["fundalloc-broken"],
            )
        else:
            lost = b["score_lost"]
            solara.Success(
                f"{b['batch']} follows every rule"
                + ("" if lost is None else f"; score lost against the optimum: {lost:.2f}")
            )
    with solara.Div(classes=["fundalloc-compare"]):
        solara.DataFrame(side_by_side(outcome.table), items_per_page=30)
    fig = awards_chart(outcome.detail)
    solara.FigureMatplotlib(fig, format="png")
    plt.close(fig)
    solara.Markdown("### By applicant")
    solara.DataFrame(
        outcome.detail.astype(object).where(outcome.detail.notna(), "").astype(str),
        items_per_page=20,
    )
    solara.FileDownload(lambda: xlsx.read_bytes(), "compare.xlsx", label="Download compare.xlsx")


@solara.component
def Page():
    solara.Title("fundalloc — compare a batch")
    solara.Markdown("## How does a proposed batch compare with the best one?")
    with solara.Columns([1, 2]):
        with solara.Column():
            Inputs()
            up = common.applicants_upload.value
            solara.Button(
                "Compare with the optimum",
                color="primary",
                disabled=run_compare.pending,
                on_click=lambda: run_compare(
                    common.selection_scenario.value,
                    list(common.selection_sets.value),
                    str(up) if up else None,
                    pasted.value,
                    str(proposal_file.value) if proposal_file.value else None,
                ),
            )
        with solara.Column():
            if run_compare.pending:
                solara.Text("Solving the optimum and pricing each proposal…")
                solara.ProgressLinear(True)
            elif run_compare.error:
                common.ErrorBox(common.words(run_compare.exception))
            elif run_compare.finished and run_compare.value:
                Results(*run_compare.value)
            else:
                solara.Info(
                    "Paste the ids of a proposed batch (or upload a file) and press "
                    "“Compare with the optimum”."
                )
