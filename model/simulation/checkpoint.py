"""Checkpoints of a long Monte Carlo, so Ctrl-C (or a crash) loses only the chunks in flight.

While `simulate` or `stress` runs, finished chunks go to `<run>.incomplete/` beside the run
folder it will create: `checkpoint.json` (what was being run) and `chunks/chunk-00007.npz`
(stress: one sub-folder per scenario). The name says it is not a finished run; a finished run
appears only when everything is done (model/core/runs.py), after which the `.incomplete` folder is
removed. `--resume <run>.incomplete` recomputes only the missing chunks and refuses when the
scenario, seed, runs or chunking differ, since the chunks would then not belong together.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from fundalloc.core.errors import FundallocError
from fundalloc.core.runs import default_run_dir, write_json
from fundalloc.core.scenario import PATH_KEYS

SUFFIX = ".incomplete"
CHECKPOINT = "checkpoint.json"
# Fields that must match for chunks of an interrupted run to be reused, with their meaning.
MUST_MATCH = {
    "command": "command",
    "scenario_sha256": "scenario file's content",
    "seed": "seed",
    "runs": "number of runs",
    "chunk": "replications per chunk",
    "fingerprint": "scenario's settings (overrides, files it extends or reads)",
}


class RunInterrupted(FundallocError):
    exit_code = 130


def fingerprint(scenarios) -> str:
    """Digest of everything that decides the random numbers and the results: each scenario's
    merged settings (without `simulation.workers`, which changes neither) and the bytes of
    every file they read."""
    h = hashlib.sha256()
    for sc in scenarios:
        data = json.loads(json.dumps(sc.data, default=str))
        data.get("simulation", {}).pop("workers", None)
        h.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
        for path in sorted(_files(sc.data)):
            h.update(path.encode())
            h.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return h.hexdigest()


def _files(node) -> set[str]:
    out = set()
    for key, value in node.items():
        if isinstance(value, dict):
            out |= _files(value)
        elif key in PATH_KEYS and isinstance(value, str) and Path(value).is_file():
            out.add(value)
    return out


class ChunkStore:
    """Finished chunks of one Monte Carlo as .npz files (float64 kept exactly)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, k: int) -> Path:
        return self.folder / f"chunk-{k:05d}.npz"

    def done(self) -> set[int]:
        return {int(p.stem.split("-")[1]) for p in self.folder.glob("chunk-*.npz")}

    def save(self, k: int, part: dict[str, np.ndarray]) -> None:
        tmp = self.folder / f".chunk-{k:05d}.tmp"
        with open(tmp, "wb") as fh:
            np.savez(fh, **part)  # type: ignore[arg-type]  # numpy's stub types **kwds as allow_pickle
        os.replace(tmp, self._path(k))  # atomic: an interrupted write leaves no half chunk

    def load(self, k: int) -> dict[str, np.ndarray]:
        with np.load(self._path(k)) as z:
            return {key: z[key] for key in z.files}


@dataclass
class Partial:
    folder: Path  # <run>.incomplete
    final: Path  # the run folder it becomes
    meta: dict

    @classmethod
    def start(cls, out: Path | None, meta: dict) -> "Partial":
        final = Path(out) if out else default_run_dir(meta["command"])
        folder = final.with_name(final.name + SUFFIX)
        if final.exists() and any(final.iterdir()):
            raise FundallocError(
                f"output folder {final} already holds a run; a run never "
                "overwrites another: choose a new --out"
            )
        if folder.exists():
            raise FundallocError(
                f"{folder} holds an interrupted run of {final}: resume it with "
                f"--resume {folder}, or delete it to start again"
            )
        folder.mkdir(parents=True)
        meta = {
            **meta,
            "final": str(final),
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        write_json(folder / CHECKPOINT, meta)
        (folder / "README.txt").write_text(
            f"INCOMPLETE run (interrupted or still running): finished chunks only.\n"
            f"Resume: run the same `fundalloc {meta['command']}` command again with "
            f"--resume {folder}\n",
            encoding="utf-8",
        )
        return cls(folder, final, meta)

    @classmethod
    def resume(cls, run_dir: Path, meta: dict) -> "Partial":
        run_dir = Path(run_dir)
        folder = (
            run_dir if run_dir.name.endswith(SUFFIX) else run_dir.with_name(run_dir.name + SUFFIX)
        )
        if not (folder / CHECKPOINT).is_file():
            if (run_dir / "manifest.json").is_file():
                raise FundallocError(f"{run_dir} is a finished run; nothing to resume")
            raise FundallocError(
                f"{run_dir}: no interrupted run here (expected {folder}/{CHECKPOINT})"
            )
        saved = json.loads((folder / CHECKPOINT).read_text(encoding="utf-8"))
        for key, what in MUST_MATCH.items():
            if saved.get(key) != meta.get(key):
                raise FundallocError(
                    f"cannot resume {folder}: the {what} differs from the interrupted run "
                    f"({_short(saved.get(key))} then, {_short(meta.get(key))} now); run it with "
                    f"the same scenario and options (scenario {saved.get('scenario')}, "
                    f"overrides {saved.get('overrides')}), or start a new run"
                )
        final = Path(saved["final"])
        if final.exists() and any(final.iterdir()):
            raise FundallocError(f"{final} already holds a run; nothing to resume")
        return cls(folder, final, saved)

    def store(self, name: str = "") -> ChunkStore:
        return ChunkStore(self.folder / name / "chunks")

    def chunks_done(self) -> int:
        return sum(1 for _ in self.folder.rglob("chunk-*.npz"))

    def finish(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def interrupted(self, total: int) -> RunInterrupted:
        done = self.chunks_done()
        return RunInterrupted(
            f"interrupted: {done} of {total} chunks finished and kept in {self.folder} (not a "
            f"finished run); to finish it, run the same command again with --resume {self.folder}"
        )


def _short(value) -> str:
    text = str(value)
    return text[:12] + "…" if len(text) > 16 else text
