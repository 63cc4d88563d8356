"""Uploaded files kept by their content: `<data folder>/<sha256[:16]>/<the user's file name>`,
so a link can name an upload by its hash alone (never by a server path) and a colleague on
the same app (same data folder) opens the same file. The data folder is FUNDALLOC_APP_DATA,
else `app-data/` beside the run folders (it outlives the server: a link still works after a
restart).

An uploaded stress scenario is kept the same way as a small scenario that `extends` the
bundled base it was uploaded against; every key it sets is checked as a page user's
`key=value` line (security.page_sets), so it cannot name a server file either."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import tomllib

from fundalloc.app import common, inputs, security
from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr

HASH = re.compile(r"^[0-9a-f]{16}$")
BARE = re.compile(r"^[A-Za-z0-9_-]+$")  # a TOML bare key; others are quoted


def data_folder() -> Path:
    return common.app_data()


def keep(name: str, data: bytes) -> tuple[str, Path]:
    """(hash, path) of the upload, stored under its hash (the same file twice: one copy)."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = data_folder() / digest
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / security.upload_name(name)
    if not path.exists():
        path.write_bytes(data)
    return digest, path


def find(digest: str) -> Path:
    """The stored file of a hash from a link; refused in words if unknown or not a hash."""
    digest = str(digest).strip().lower()
    folder = data_folder() / digest
    files = sorted(folder.iterdir()) if HASH.match(digest) and folder.is_dir() else []
    files = [f for f in files if f.is_file()]
    if not files:
        raise ValueError(tr("app.store.unknown", hash=digest))
    return files[0]


def digest_of(path: Path | None) -> str | None:
    """The hash an upload is kept under (None for a file kept elsewhere)."""
    if path is None or path.parent.parent.resolve() != data_folder().resolve():
        return None
    return path.parent.name if HASH.match(path.parent.name) else None


def _lines(table: dict[str, Any], prefix: str = "") -> list[str]:
    """A TOML table as `key=value` lines (dotted keys), as a page user would type them."""
    out = []
    for key, value in table.items():
        dotted = prefix + (key if BARE.match(key) else _toml(key))
        if isinstance(value, dict) and value:
            out += _lines(value, dotted + ".")
        else:
            out.append(f"{dotted}={_toml(value)}")
    return out


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def keep_scenario(name: str, data: bytes, base: Path) -> tuple[str, Path]:
    """An uploaded stress scenario as a scenario extending `base`, checked and loadable."""
    try:
        table = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FundallocError(tr("app.store.not_toml", name=name, why=str(exc))) from exc
    parent = table.pop("extends", None)
    if parent is not None:  # a bundled scenario, by its name: the upload's base
        bundled = common.bundled("simulation")
        if not isinstance(parent, str) or Path(parent).name not in bundled:
            raise FundallocError(tr("app.store.extends", name=name, value=str(parent)))
        base = Path(bundled[Path(parent).name])
    lines = inputs.page_inputs(base, _lines(table)).sets  # no key may name a server file
    body = f"extends = {_toml(str(base))}\n" + "".join(
        f"{line.partition('=')[0]} = {line.partition('=')[2]}\n" for line in lines
    )
    digest, path = keep(name, body.encode("utf-8"))
    try:
        inputs.scenario(path)  # it loads as a scenario, or the upload is refused in words
    except FundallocError:
        path.unlink(missing_ok=True)
        raise
    return digest, path
