"""Scenarios page: several things side by side.

- Stress scenarios (the bundled five, or a choice of them, all with the same extra `--set`
  lines): P95 outlay and chance of overrun per pay year and the smallest safe budget, with one
  chart — the same run as `fundalloc stress` (commands/stress.run_stress).
- Selection variants (e.g. two budgets) of the Selection page's scenario and applicants: each
  the same run as `fundalloc select` with the variant's `--set` lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import solara
import solara.lab

from fundalloc.app import common, fields, inputs, share, store
from fundalloc.app.fields import NumberField, spec_of
from fundalloc.commands.select import run_select
from fundalloc.commands.stress import run_stress
from fundalloc.core.display import status_word
from fundalloc.core.i18n import tr
from fundalloc.simulation.settings import SimulationSettings

RUNS = spec_of(SimulationSettings, "runs")
DEFAULT_VARIANTS = "预算 2,000: selection.budget_wan=2000\n预算 3,000: selection.budget_wan=3000"


def bundled_five() -> list[str]:
    """The base scenario first, then its [stress] list: as `fundalloc stress` runs them."""
    base = inputs.scenario(common.DEFAULT_SIMULATION)
    names = [common.DEFAULT_SIMULATION.name] + [
        Path(p).name for p in base.get("stress.scenarios", [])
    ]
    return [n for n in names if n in common.bundled("simulation")]


picked: solara.Reactive[list[str] | None] = solara.reactive(None)  # None = the bundled five
runs = solara.reactive(200)
extra = solara.reactive("")  # key=value lines for every scenario
variants = solara.reactive(DEFAULT_VARIANTS)  # "name: set; set" a line
progress = solara.reactive(0.0)
own: solara.Reactive[list[str]] = solara.reactive([])  # hashes of uploaded stress scenarios
own_problem: solara.Reactive[str | None] = solara.reactive(None)  # a refused upload, in words


def stress_sets() -> list[str]:
    return [ln.strip() for ln in extra.value.splitlines() if ln.strip()]


def parse_variants(text: str) -> list[tuple[str, list[str]]]:
    """'name: key=value; key=value' a line → [(name, sets)]."""
    out = []
    for i, line in enumerate(ln for ln in text.splitlines() if ln.strip()):
        name, sep, rest = line.partition(":")
        if not sep or "=" in name:
            name, rest = tr("app.scen.variant_n", i=i + 1), line
        out.append((name.strip(), [s.strip() for s in rest.split(";") if s.strip()]))
    return out


@solara.lab.task
def run_side_by_side(names: list[str], mine: list[str], sets: list[str], n: int):
    paths = [Path(share.scenario_path(x, "simulation")) for x in names]
    paths += [store.find(d) for d in mine]  # uploaded scenarios, kept by their content
    if len(paths) < 2:
        raise ValueError(tr("app.scen.two_at_least"))
    progress.set(0.0)
    inp = inputs.page_inputs(paths[0], sets)  # a page user may name no server file
    folder, table, summary = run_stress(
        inp.path,
        inp.sets,
        others=paths[1:],
        runs=n,
        out=common.run_dir("stress"),
        progress=False,
        on_progress=lambda i, d, t: progress.set(100.0 * (i + d / t) / len(paths)),
    )
    return table, summary, folder


@solara.lab.task
def run_variants(scenario_path: str, applicants: str | None, base_sets: list[str], text: str):
    rows, folders = [], []
    for name, sets in parse_variants(text):
        sc = inputs.scenario(scenario_path, [*base_sets, *sets], reads=("selection", "eligibility"))
        folder, outcome = run_select(sc, applicants, common.run_dir("select"))
        s = outcome.summary
        rows.append(
            {
                "variant": name,
                "status": status_word(s["status"]),
                "designated": ", ".join(s["designated"]),
                "total_score": s["total_score"],
                "total_award_wan": s["total_award_wan"],
                "budget_wan": s["budget_wan"],
                "city_match_wan": s["city_match_total_wan"],
            }
        )
        folders.append(folder)
    return pd.DataFrame(rows), folders


def wide(table: pd.DataFrame) -> pd.DataFrame:
    """Scenario × pay year: P95 (chance of overrun), then the smallest flat safe budget."""
    rows = []
    for name, g in table.groupby("scenario", sort=False):
        row: dict = {"scenario": name}
        for r in g.itertuples():
            p = r.prob_over_budget
            chance = "" if p is None or pd.isna(p) else f" ({p:.0%})"
            row[str(r.pay_year)] = f"{r.p95_wan:,.0f}{chance}"
        row["smallest_flat_budget_wan"] = g.smallest_flat_budget_wan.iloc[0]
        rows.append(row)
    return pd.DataFrame(rows)


def state() -> dict:
    return {
        "scenario": list(picked.value or bundled_five()),
        "set": stress_sets(),
        "runs": runs.value,
        "own": list(own.value),
        "variant": [ln for ln in variants.value.splitlines() if ln.strip()],
    }


def apply(st: dict) -> None:
    names = [str(x) for x in st.get("scenario") or []]
    for x in names:
        share.scenario_path(x, "simulation")  # a name that is not bundled is refused
    picked.set(names or None)
    mine = [str(x) for x in st.get("own") or []]
    for d in mine:
        store.find(d)  # a hash this app does not hold is refused in words
    own.set(mine)
    extra.set("\n".join(str(x) for x in st.get("set") or []))
    if st.get("runs"):
        runs.set(int(st["runs"]))
    if st.get("variant"):
        variants.set("\n".join(str(x) for x in st["variant"]))
    fields.clear()


def keep_own(name: str, data: bytes, base: str) -> None:
    """An uploaded stress scenario, checked (no server file named) and kept by content."""
    try:
        digest, _ = store.keep_scenario(name, data, Path(share.scenario_path(base, "simulation")))
    except Exception as exc:  # noqa: BLE001 - every problem is shown in words
        own_problem.set(common.words(exc))
        return
    own_problem.set(None)
    if digest not in own.value:
        own.set([*own.value, digest])


@solara.component
def OwnScenarios(names: list[str]):
    """Own scenarios beside the bundled ones: a TOML of [awards] / [simulation] keys on top of
    the first chosen scenario (or `extends` naming a bundled one)."""
    base = names[0] if names else common.DEFAULT_SIMULATION.name
    solara.Markdown(tr("app.scen.own_hint", base=base))
    common.UploadButton(
        tr("app.scen.upload_own"), ".toml", lambda name, data: keep_own(name, data, base)
    )
    if own_problem.value:
        common.ErrorBox(own_problem.value)
    for d in own.value:
        try:
            label = store.find(d).name
        except ValueError:
            label = d
        with solara.Row(style={"align-items": "center"}, classes=["fundalloc-own"]):
            solara.Text(tr("app.scen.own_item", name=label, hash=d))
            solara.Button(
                tr("app.scen.remove"),
                text=True,
                on_click=lambda d=d: own.set([x for x in own.value if x != d]),
            )


@solara.component
def StressSide():
    names = picked.value or bundled_five()
    with solara.Card(tr("app.scen.stress_title")):
        solara.SelectMultiple(
            tr("app.scen.pick"),
            values=names,
            all_values=list(common.bundled("simulation")),
            on_value=lambda v: picked.set(list(v)),
        )
        OwnScenarios(names)
        NumberField("scenarios-runs", RUNS, runs.value, runs.set, label=tr("app.runs"))
        solara.InputTextArea(
            tr("app.scen.sets"),
            value=extra.value,
            on_value=extra.set,
            rows=3,
            continuous_update=True,
        )
        solara.Button(
            tr("app.scen.run"),
            color="primary",
            disabled=run_side_by_side.pending or bool(fields.errors.value),
            on_click=lambda: run_side_by_side(
                list(names), list(own.value), stress_sets(), int(runs.value)
            ),
        )


@solara.component
def StressResults():
    with common.StatusBar():
        if run_side_by_side.pending:
            common.ScrollHere()
            solara.Text(tr("app.scen.running", pct=f"{progress.value:.0f}"))
            solara.ProgressLinear(progress.value, classes=["fundalloc-progress"])
        elif run_side_by_side.error:
            common.ScrollHere()
            common.ErrorBox(common.words(run_side_by_side.exception))
        elif run_side_by_side.finished and run_side_by_side.value:
            table, summary, folder = run_side_by_side.value
            common.ScrollHere().key(f"s-{id(table)}")
            n = table.scenario.nunique()
            done = next(iter(summary["scenarios"].values()))["runs"]
            solara.Success(
                tr("app.scen.headline", n=n, runs=done, level=f"{summary['level']:.0%}"),
                classes=["fundalloc-summary", "fundalloc-stress-summary"],
            )
    if run_side_by_side.finished and run_side_by_side.value and not run_side_by_side.pending:
        table, summary, folder = run_side_by_side.value
        common.Table(wide(table), classes=["fundalloc-side-by-side"])
        common.images(folder / "stress_p95.png")
        solara.FileDownload(
            lambda: (folder / "stress.xlsx").read_bytes(),
            "stress.xlsx",
            label=tr("app.download", name="stress.xlsx"),
        )
        common.RunFolder(folder)


@solara.component
def VariantsSide():
    sc = Path(common.selection_scenario.value).name
    with solara.Card(tr("app.scen.variants_title")):
        solara.Markdown(tr("app.scen.variants_hint", scenario=sc))
        solara.InputTextArea(
            tr("app.scen.variants"),
            value=variants.value,
            on_value=variants.set,
            rows=3,
            continuous_update=True,
        )
        up = common.applicants_upload.value
        solara.Button(
            tr("app.scen.run_variants"),
            color="primary",
            disabled=run_variants.pending,
            on_click=lambda: run_variants(
                common.selection_scenario.value,
                str(up) if up else None,
                list(common.selection_sets.value),
                variants.value,
            ),
        )


@solara.component
def VariantsResults():
    if run_variants.pending:
        solara.Text(tr("app.scen.solving"))
        solara.ProgressLinear(True)
    elif run_variants.error:
        common.ErrorBox(common.words(run_variants.exception))
    elif run_variants.finished and run_variants.value:
        table, folders = run_variants.value
        common.Table(table, classes=["fundalloc-variants"], decimals={"total_score": 1})
        solara.Markdown(tr("app.scen.folders") + ", ".join(f"`{f.name}`" for f in folders))


@solara.component
def Page():
    solara.Title("fundalloc — " + tr("app.tab.scenarios"))
    share.use_query(apply)
    solara.Markdown("## " + tr("app.tab.scenarios"))
    with solara.Columns([1, 2]):
        with solara.Column():
            StressSide()
            VariantsSide()
            share.ShareBar("scenarios", "scenarios", state(), apply)
        with solara.Column():
            StressResults()
            solara.Markdown("### " + tr("app.scen.variants_title"))
            VariantsResults()
