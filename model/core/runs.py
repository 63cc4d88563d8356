"""Run folders: everything a command writes goes to a temporary folder first and is moved into
place only when complete, so a failed run leaves nothing half written and never touches an
earlier run."""

from __future__ import annotations

import json
import platform
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr

PACKAGES = (
    "pyomo",
    "highspy",
    "mesa",
    "numpy",
    "scipy",
    "pandas",
    "openpyxl",
    "matplotlib",
    "dask",
    "distributed",
)


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "fundalloc": _version("fundalloc")}
    for name in PACKAGES:
        out[name] = _version(name)
    return out


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable) + "\n", encoding="utf-8"
    )


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value)}")


def default_run_dir(command: str, results_root: Path = Path("results")) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = results_root / f"{stamp}-{command}"
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = Path(f"{base}-{n}")
    return candidate


@dataclass
class RunFolder:
    staging: Path  # write here
    final: Path  # where it all appears once the run succeeded


@contextmanager
def run_folder(
    out: Path | None,
    command: str,
    *,
    scenario=None,
    seed: int | None = None,
    extra: dict | None = None,
) -> Iterator[RunFolder]:
    """Yield a staging folder; on success it becomes `out` (which must not exist yet)."""
    final = Path(out) if out else default_run_dir(command)
    if final.exists() and any(final.iterdir()):
        raise FundallocError(tr("runs.exists", folder=final))
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    staging.chmod(0o755)  # mkdtemp makes it owner-only; a results folder is meant to be shared
    try:
        yield RunFolder(staging, final)
        manifest = {
            "command": command,
            "argv": sys.argv,
            "scenario": str(scenario.path) if scenario else None,
            "scenario_sha256": scenario.sha256 if scenario else None,
            "overrides": scenario.overrides if scenario else [],
            "seed": seed,
            "versions": package_versions(),
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "files": sorted(p.name for p in staging.iterdir()),
            **(extra or {}),
        }
        write_json(staging / "manifest.json", manifest)
        if final.exists():
            final.rmdir()
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
