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
import sys
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import numpy as np

from fundalloc.core import locks
from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr
from fundalloc.core.runs import check_out, default_run_dir, write_json
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
        self._loaded: dict[int, dict[str, np.ndarray]] = {}

    def _path(self, k: int) -> Path:
        return self.folder / f"chunk-{k:05d}.npz"

    def done(self) -> set[int]:
        """The chunks that load whole. A damaged one (a disk fault, a copy cut short) is moved
        aside as `.corrupt`, said on stderr, and run again: it costs one chunk, not the run."""
        out = set()
        for p in sorted(self.folder.glob("chunk-*.npz")):
            k = int(p.stem.split("-")[1])
            try:
                with np.load(p) as z:
                    self._loaded[k] = {key: z[key] for key in z.files}
            except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
                p.replace(p.with_name(p.name + ".corrupt"))
                print(tr("checkpoint.corrupt", chunk=p, why=exc), file=sys.stderr)
                continue
            out.add(k)
        return out

    def save(self, k: int, part: dict[str, np.ndarray]) -> None:
        tmp = self.folder / f".chunk-{k:05d}.tmp"
        try:
            with open(tmp, "wb") as fh:
                np.savez(fh, **part)  # type: ignore[arg-type]  # numpy's stub types **kwds as allow_pickle
            os.replace(tmp, self._path(k))  # atomic: an interrupted write leaves no half chunk
        except BaseException:
            tmp.unlink(missing_ok=True)  # e.g. a full disk: no partial chunk left behind
            raise

    def load(self, k: int) -> dict[str, np.ndarray]:
        if k in self._loaded:
            return self._loaded.pop(k)
        with np.load(self._path(k)) as z:
            return {key: z[key] for key in z.files}


@dataclass
class Partial:
    folder: Path  # <run>.incomplete
    final: Path  # the run folder it becomes
    meta: dict

    @classmethod
    def start(cls, out: Path | None, meta: dict) -> "Partial":
        for _ in range(100):
            final = Path(out) if out else default_run_dir(meta["command"])
            folder = final.with_name(final.name + SUFFIX)
            check_out(final)
            if folder.exists() and out:
                _refuse_existing(folder, final)
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                folder.mkdir()  # atomic: of two runs wanting this name, one gets it
                break
            except FileExistsError:
                if out:
                    _refuse_existing(folder, final)
        locks.acquire(folder)
        try:
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
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)  # e.g. a full disk: nothing left behind
            raise
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
        locks.acquire(folder)  # refused, naming the PID, while the run still goes on
        try:
            try:
                saved = json.loads((folder / CHECKPOINT).read_text(encoding="utf-8"))
                final = Path(saved["final"])
            except (ValueError, KeyError, TypeError) as exc:
                raise FundallocError(
                    tr("checkpoint.damaged", file=folder / CHECKPOINT, why=exc)
                ) from None
            for key, what in MUST_MATCH.items():
                if saved.get(key) != meta.get(key):
                    raise FundallocError(
                        f"cannot resume {folder}: the {what} differs from the interrupted run "
                        f"({_short(saved.get(key))} then, {_short(meta.get(key))} now); run it "
                        f"with the same scenario and options (scenario {saved.get('scenario')}, "
                        f"overrides {saved.get('overrides')}), or start a new run"
                    )
            if final.exists() and any(final.iterdir()):
                raise FundallocError(f"{final} already holds a run; nothing to resume")
        except BaseException:
            locks.release(folder)
            raise
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

    @contextmanager
    def running(self, resumed: bool, total: int) -> Iterator["Partial"]:
        """The run's life: on success the folder goes; on Ctrl-C or any failure it is kept if
        it holds finished chunks (or was resumed) and removed otherwise — and the message says
        which (a note under the error). The lock is let go either way."""
        try:
            yield self
        except KeyboardInterrupt:
            locks.release(self.folder)
            if not resumed and self.chunks_done() == 0:
                self.finish()
                raise RunInterrupted(
                    "interrupted before any chunk finished; nothing kept"
                ) from None
            raise self.interrupted(total) from None
        except BaseException as exc:
            locks.release(self.folder)
            if not resumed and self.chunks_done() == 0:
                self.finish()
                exc.add_note(tr("checkpoint.removed", folder=self.folder))
            else:
                exc.add_note(
                    tr("checkpoint.kept", folder=self.folder, done=self.chunks_done(), total=total)
                )
            raise
        self.finish()


def _refuse_existing(folder: Path, final: Path):
    """`folder` (<out>.incomplete) exists: a run still writing it, or an interrupted one."""
    other = locks.read(folder)
    if other and locks.alive(other):
        raise FundallocError(
            tr(
                "runs.locked",
                folder=folder,
                pid=other.get("pid"),
                host=other.get("host"),
                started=other.get("started"),
                lock=folder / locks.LOCK,
            )
        )
    raise FundallocError(
        f"{folder} holds an interrupted run of {final}: resume it with "
        f"--resume {folder}, or delete it to start again"
    )


def _short(value) -> str:
    text = str(value)
    return text[:12] + "…" if len(text) > 16 else text
