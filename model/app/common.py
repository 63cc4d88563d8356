"""What the pages share: bundled scenarios, uploads saved under their own names, errors in
words, and the inputs the selection and compare pages both use (one per browser session:
Solara keeps a module-level `reactive` per session)."""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import sys
import tempfile
import traceback
import uuid
from pathlib import Path

import ipywidgets
import solara

from fundalloc.app import security
from fundalloc.core.errors import FundallocError
from fundalloc.core.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
DEFAULT_SELECTION = SCENARIOS / "henan-2025.toml"
DEFAULT_SIMULATION = SCENARIOS / "jiaxing-sim-baseline.toml"

# Uploads and run outputs of this server process; removed when it stops (results the user
# keeps are the downloads).
WORK = Path(tempfile.mkdtemp(prefix="fundalloc-app-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)

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
            if load_scenario(path).get(section) is not None:
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
        return re.sub(re.escape(str(WORK)) + r"/[0-9a-f]{12}/", "", str(exc))
    traceback.print_exception(exc, file=sys.stderr)
    return f"Unexpected problem ({type(exc).__name__}): {exc}. Please report it with your files."


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
