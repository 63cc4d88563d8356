"""What the pages share: bundled scenarios, uploads saved under their own names, errors in
words, and the inputs the selection and compare pages both use (one per browser session:
Solara keeps a module-level `reactive` per session)."""

from __future__ import annotations

import atexit
import functools
import html
import io
import os
import re
import shutil
import sys
import tempfile
import threading
import traceback
import uuid
import zipfile
from pathlib import Path

import ipyvuetify
import ipywidgets
import numpy as np
import pandas as pd
import solara
import traitlets

from fundalloc.app import inputs, security
from fundalloc.core import i18n
from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import LANGS, pick, tr
from fundalloc.core.report import header_label
from fundalloc.core.runs import default_run_dir

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
DEFAULT_SELECTION = SCENARIOS / "henan-2025.toml"
DEFAULT_SIMULATION = SCENARIOS / "jiaxing-sim-baseline.toml"

# Uploads and run outputs of this server process; removed when it stops (results the user
# keeps are the downloads).
WORK = Path(tempfile.mkdtemp(prefix="fundalloc-app-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)

# Where every app action's run folder goes, named and laid out as the command line's
# (results/<time>-<command>/ beside the current folder, as `fundalloc select` writes it).
RESULTS = Path(os.environ.get("FUNDALLOC_APP_RESULTS", "results"))


def app_data() -> Path:
    """Where uploads are kept by their content (app/store.py): FUNDALLOC_APP_DATA, else
    app-data/ beside the run folders; it outlives the server, so a link still works."""
    return Path(os.environ.get("FUNDALLOC_APP_DATA", RESULTS / "app-data"))


def run_dir(command: str) -> Path:
    return default_run_dir(command, RESULTS)


# One HiGHS solve at a time in the app's process: its thread pool (the global scheduler) is
# the process's, and two sessions solving at the same moment hung both runs (the language
# browser test's two simultaneous runs, in CI). A second officer's run waits for the first
# (a selection takes seconds).
SOLVER = threading.Lock()


# The language of this browser session: None = the server's (FUNDALLOC_LANG / --lang, zh by
# default). `i18n.lang()` asks `_session_lang` first, so one session's switch leaves the
# others alone, and tr() inside a task (a thread of the same session) speaks it too.
language: solara.Reactive[str | None] = solara.reactive(None)


def _session_lang() -> str | None:
    from solara.server import kernel_context

    if not kernel_context.has_current_context():
        return None  # the CLI, a test, the server's own start-up: the process's language
    return language.value


i18n.session_lang = _session_lang


def set_language(value: str | None) -> None:
    """From the switch, a link (`lang=en`) or a settings file; anything else is ignored."""
    if value in LANGS:
        language.set(value)


@solara.component
def LanguageSwitch():
    """中文 | English, in the app bar: this browser session only."""
    other = "en" if i18n.lang() == "zh" else "zh"
    solara.Button(
        tr("app.switch_to"),
        text=True,
        classes=["fundalloc-lang"],
        on_click=lambda: language.set(other),
    )


# Shared by the selection and compare pages (per browser session).
selection_scenario = solara.reactive(str(DEFAULT_SELECTION))
applicants_upload: solara.Reactive[Path | None] = solara.reactive(
    None
)  # Path of an uploaded applicant file, or None
selection_sets: solara.Reactive[list[str]] = solara.reactive(
    []
)  # key=value overrides from the selection form


@functools.lru_cache(maxsize=None)
def bundled(section: str) -> dict[str, str]:
    """Bundled scenarios that have `section` (e.g. "selection", "simulation"): label → path."""
    out = {}
    for path in sorted(SCENARIOS.glob("*.toml")):
        try:
            if inputs.scenario(path).get(section) is not None:
                out[path.name] = str(path)
        except FundallocError:
            continue  # a scenario that does not load is not offered
    return out


def new_dir() -> Path:
    d = WORK / uuid.uuid4().hex[:12]
    d.mkdir()
    return d


def save_upload(name: str, data: bytes) -> Path:
    """Keep the user's file name: the engine's messages name the file, row and column."""
    path = new_dir() / security.upload_name(name)  # `..` is no file name: refused in words
    path.write_bytes(data)
    return path


def words(exc: BaseException) -> str:
    """An error as the user should read it: the engine's message without our temp folders;
    anything unexpected in one line (the traceback goes to the server's log, not the page)."""
    if isinstance(exc, FundallocError):
        text = re.sub(re.escape(str(WORK)) + r"/[0-9a-f]{12}/", "", str(exc))
        data = app_data()
        for folder in {str(data), str(data.resolve())}:  # uploads kept by content (store.py)
            text = re.sub(re.escape(folder) + r"/[0-9a-f]{16}/", "", text)
        return text
    traceback.print_exception(exc, file=sys.stderr)
    return tr("app.unexpected", kind=type(exc).__name__, text=str(exc))


@solara.component
def ErrorBox(message: str):
    solara.Error(message, classes=["fundalloc-error"], style={"white-space": "pre-wrap"})


@solara.component
def UploadButton(label: str, accept: str, on_file):
    """A button with the browser's file dialog; `on_file(name, data)` when a file is chosen."""
    problem: solara.Reactive[str | None] = solara.use_reactive(
        None
    )  # a refused upload (too big, no file name), said below
    on_file = security.guard_upload(on_file, problem.set)

    def on_value(value):
        if value:
            f = value[0]
            on_file(f["name"], bytes(f["content"]))

    ipywidgets.FileUpload.element(
        accept=accept,
        multiple=False,
        description=label,
        on_value=on_value,
        layout={"width": "auto"},
    )
    if problem.value:
        ErrorBox(problem.value)


def images(*paths: Path):
    with solara.Row(style={"flex-wrap": "wrap"}):
        for p in paths:
            solara.Image(Path(p).read_bytes(), width="560px")


@solara.component
def ErrorList(head: str, items: list[str], classes: list[str] | None = None):
    """An error with its reasons as a bulleted list (one rule a line), not one paragraph."""
    with solara.Div(classes=["fundalloc-error", "fundalloc-error-list", *(classes or [])]):
        solara.Error(head, style={"margin-bottom": "0"})
        solara.HTML(
            tag="ul",
            unsafe_innerHTML="".join(f"<li>{html.escape(str(i))}</li>" for i in items),
            style={"color": "#b71c1c", "margin": "0.3em 0 1em 1.5em"},
        )


# --- tables as an officer reads them -------------------------------------------------

TABLE_CSS = """
.fundalloc-table table { border-collapse: collapse; width: 100%; table-layout: auto;
  font-size: 13px; }
.fundalloc-table th, .fundalloc-table td { border-bottom: 1px solid #ddd; padding: 3px 6px;
  white-space: normal; overflow-wrap: anywhere; vertical-align: top; }
.fundalloc-table th { background: #f3f6fa; text-align: left; font-weight: 600; }
.fundalloc-table td.num { text-align: right; white-space: nowrap; }
"""


# Headers the shared writer has no Chinese for (zh, en), units included.
HEADERS = {
    "proportional_wan": ("按比例应得(万元)", "proportional (万)"),
    "city_match_wan": ("市级配套资金(万元)", "city matching (万)"),
    "measure": ("指标", "measure"),
    "scenario": ("情景", "scenario"),
    "pay_year": ("兑现年度", "pay year"),
    "p95_wan": ("P95(万元)", "P95 (万)"),
    "mean_wan": ("均值(万元)", "mean (万)"),
    "prob_over_budget": ("超预算概率", "chance of overrun"),
    "smallest_budget_wan": ("所需最小预算(万元)", "smallest safe budget (万)"),
    "smallest_flat_budget_wan": ("所需最小统一年度预算(万元)", "smallest flat budget (万)"),
    "variant": ("方案", "variant"),
    "designated": ("认定单位", "designated"),  # the ids (a list), not the 是否认定 flag
    "p50_wan": ("P50(万元)", "P50 (万)"),
    "p99_wan": ("P99(万元)", "P99 (万)"),
    "mean_paid_wan": ("平均实付(万元)", "mean paid (万)"),
    "tier": ("档位", "tier"),
    "firms": ("企业数", "firms"),
    "revenue_wan": ("申报营收合计(万元)", "reported revenue (万)"),
}


def header(name: str, unit: str | None = None) -> str:
    """A column's header in the language with its unit: 奖励(万元), Award (万)."""
    if name in HEADERS:
        return pick(*HEADERS[name])
    label = header_label(name)
    if label != name:
        return label  # the declared Chinese header, unit included
    words = name.removesuffix("_wan").replace("_", " ")
    unit = unit or ("万" if name.endswith("_wan") else None)
    return f"{words} ({unit})" if unit else words


def cell(value, decimals: int = 0) -> tuple[str, bool]:
    """(text, is-number): thousands separators, 是/否, blanks for missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "", False
    if isinstance(value, (bool, np.bool_)):
        return (tr("app.yes") if value else tr("app.no")), False
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}", True
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if v == 0:
            v = 0.0  # no "-0"
        if decimals < 0:  # a column of mixed measures: each value as it is
            decimals = 0 if v.is_integer() else 2
        return f"{v:,.{decimals}f}", True
    return str(value), False


@solara.component
def Table(
    frame: pd.DataFrame,
    classes: list[str] | None = None,
    decimals: dict[str, int] | None = None,
    percent: tuple[str, ...] = (),
    headers: dict[str, str] | None = None,
    max_rows: int = 200,
):
    """A plain HTML table (wraps to the column's width: no horizontal scroll, no row-number
    column), numbers with thousands separators, 是/否, headers with units."""
    decimals = {str(c): _decimals(frame[c]) for c in frame.columns} | (decimals or {})
    headers = headers or {}
    head = "".join(f"<th>{html.escape(headers.get(c, header(str(c))))}</th>" for c in frame.columns)
    rows = []
    for rec in frame.head(max_rows).itertuples(index=False):
        tds = []
        for c, v in zip(frame.columns, rec):
            if c in percent and isinstance(v, (float, int)) and not pd.isna(v):
                text, num = f"{float(v):.1%}", True
            elif "year" in str(c) and isinstance(v, (int, np.integer, float)) and not pd.isna(v):
                text, num = str(int(v)), False  # 2025, not 2,025
            else:
                text, num = cell(v, decimals.get(str(c), 0))
            tds.append(f'<td class="{"num" if num else ""}">{html.escape(text)}</td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    solara.Style(TABLE_CSS)
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        classes=["fundalloc-table", *(classes or [])],
    )


def _decimals(column: pd.Series) -> int:
    """One format per column: whole numbers without decimals, else two; -1 for a column of
    mixed values (compare's measures side by side): each value on its own."""
    if column.dtype == object:
        return -1
    values = pd.to_numeric(column, errors="coerce").dropna() if column.dtype.kind == "f" else None
    if values is None or values.empty:
        return 0
    return 0 if bool((values == values.round()).all()) else 2


# --- keeping the result where the eye is ------------------------------------------------


class _ScrollHere(ipyvuetify.VuetifyTemplate):
    """Scrolls itself into view when it appears (after Run): on a 1366×768 laptop the result
    column's top is above the Run button the user just pressed."""

    template = traitlets.Unicode(
        """<template><div class="fundalloc-scroll-here"></div></template>
<script>
module.exports = {
  mounted() { const el = this.$el;
    setTimeout(() => el.scrollIntoView({block: "start", behavior: "auto"}), 50); }
};
</script>"""
    ).tag(sync=True)


@solara.component
def ScrollHere():
    _ScrollHere.element()


STATUS_CSS = """
.fundalloc-status { position: sticky; top: 0; z-index: 5; background: white;
  padding: 4px 0 2px 0; }
"""


@solara.component
def StatusBar(children=[]):  # noqa: B006 - solara's children signature
    """The run's state (progress bar, one-line outcome) kept at the top of the result column
    while the user scrolls (position: sticky)."""
    solara.Style(STATUS_CSS)
    solara.Div(classes=["fundalloc-status"], children=children)


# --- the run folder, as the command line writes it ------------------------------------------


def zipped(folder: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, f"{folder.name}/{p.relative_to(folder)}")
    return buf.getvalue()


@solara.component
def RunFolder(folder: Path):
    """Where this action's run folder is (same files as the CLI's) and the whole of it as a zip."""
    files = sorted(p.name for p in folder.iterdir())
    with solara.Row(classes=["fundalloc-run-folder"], style={"align-items": "center"}):
        solara.FileDownload(
            lambda: zipped(folder),
            f"{folder.name}.zip",
            label=tr("app.download_run_folder", name=f"{folder.name}.zip"),
        )
    solara.Markdown(
        tr("app.run_folder_is", folder=f"`{RESULTS.name}/{folder.name}/`")
        + ", ".join(f"`{f}`" for f in files)
    )


@solara.component
def RunButton(label: str, pending: bool, errors: dict, on_click) -> None:
    """A page's run button, off while its task runs or a field is wrong; the wrong fields
    listed above it, in one line."""
    if errors:
        solara.Error(
            tr("app.fix_fields") + " " + "; ".join(errors.values()),
            classes=["fundalloc-fix-fields"],
        )
    solara.Button(label, color="primary", disabled=pending or bool(errors), on_click=on_click)
