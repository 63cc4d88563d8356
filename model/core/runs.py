"""Run folders: everything a command writes goes to a temporary folder first and is moved into
place only when complete, so a failed run leaves nothing half written and never touches an
earlier run."""

from __future__ import annotations

import errno
import json
import os
import platform
import secrets
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
    """results/<time>-<command>-<4 hex>: a random suffix, so two runs started in the same second
    get different names (the folder is still created atomically, see `publish`)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return results_root / f"{stamp}-{command}-{secrets.token_hex(2)}"


def check_out(final: Path) -> None:
    """Refuse, in words, an --out that cannot become a run folder, before any work is done:
    an existing file, a folder already holding a run, a path under a file, a place we may not
    write to."""
    if final.exists() and not final.is_dir():
        raise FundallocError(tr("runs.out_is_file", folder=final))
    if final.is_dir() and any(final.iterdir()):
        raise FundallocError(tr("runs.exists", folder=final))
    parent = final.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise FundallocError(tr("runs.out_under_file", folder=final, file=parent))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise FundallocError(tr("runs.out_unwritable", folder=final, parent=parent))


def publish(staging: Path, final: Path, *, default: bool, command: str) -> Path:
    """Move the fully written `staging` folder to `final` in one rename (atomic: readers see no
    run or the whole run). Another run may have taken `final` meanwhile: a default name is
    drawn again; a chosen --out keeps the results beside it and says where."""
    for _ in range(100):
        try:
            os.rename(staging, final)  # replaces only an empty folder
            return final
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
        if not default:
            kept = final.with_name(f"{final.name}-{secrets.token_hex(2)}")
            os.rename(staging, kept)
            raise FundallocError(tr("runs.taken", folder=final, kept=kept))
        final = default_run_dir(command, final.parent)
    raise FundallocError(tr("runs.taken", folder=final, kept=staging))  # pragma: no cover


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
    """Yield a staging folder; on success it becomes `out` (which must not exist yet, or be an
    empty folder). On any failure the staging folder is removed: nothing half written stays."""
    final = Path(out) if out else default_run_dir(command)
    check_out(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    staging.chmod(0o755)  # mkdtemp makes it owner-only; a results folder is meant to be shared
    try:
        run = RunFolder(staging, final)
        yield run
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
        run.final = publish(staging, final, default=out is None, command=command)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
