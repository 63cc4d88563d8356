"""A lock file for a run that is being written (a running or resuming `simulate`/`stress`):
who holds it (PID, host, start time), so a second `--resume` of a live run is refused by name,
and a lock left by a process that died (SIGKILL, power cut) is recognised and taken over."""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timezone
from pathlib import Path

from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr

LOCK = "lock.json"


def _proc_start(pid: int) -> str | None:
    """The kernel's start time of `pid` (clock ticks since boot): with the PID it names one
    process for good, so a PID reused by another program is not taken for the run."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22; the name in (...) may hold spaces


def holder() -> dict:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "proc_start": _proc_start(os.getpid()),
    }


def alive(info: dict) -> bool:
    """Whether the lock's holder still runs. On another host we cannot tell: taken as alive."""
    if info.get("host") != socket.gethostname():
        return True
    pid = int(info.get("pid", 0))
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    start = _proc_start(pid)
    return start is None or info.get("proc_start") in (None, start)


def read(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / LOCK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def acquire(folder: Path) -> Path:
    """Take the lock of `folder` or raise a FundallocError naming the live holder. The lock is
    written whole to a private file and linked into place: link() fails if a lock exists, so
    of two processes starting together exactly one wins, and no one reads a half-written lock."""
    folder = Path(folder)
    path = folder / LOCK
    tmp = folder / f".lock.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(holder()), encoding="utf-8")
    try:
        for _ in range(5):
            try:
                os.link(tmp, path)
                return path
            except FileExistsError:
                pass
            other = read(folder)
            if other is None or alive(other):
                other = other or {"pid": "?", "host": "?", "started": "?"}
                raise FundallocError(
                    tr(
                        "runs.locked",
                        folder=folder,
                        pid=other.get("pid"),
                        host=other.get("host"),
                        started=other.get("started"),
                        lock=path,
                    )
                )
            # stale: move it aside (only one taker's rename succeeds), then try again
            try:
                os.replace(path, folder / f".lock.stale.{os.getpid()}")
                os.unlink(folder / f".lock.stale.{os.getpid()}")
            except FileNotFoundError:
                pass
        raise FundallocError(
            tr("runs.locked", folder=folder, pid="?", host="?", started="?", lock=path)
        )
    finally:
        tmp.unlink(missing_ok=True)


def release(folder: Path) -> None:
    """Remove our own lock (a lock of another process is left alone)."""
    info = read(folder)
    if info and info.get("pid") == os.getpid() and info.get("host") == socket.gethostname():
        (Path(folder) / LOCK).unlink(missing_ok=True)
