"""What a person reads when the machine, not their input, fails: an OSError (disk full,
permission denied, a file where a folder should be …) as one sentence naming the path and what
to do; an internal error as one line plus the log file holding its traceback."""

from __future__ import annotations

import errno
import os
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from fundalloc.core.i18n import tr

# errno → its message; each message names the path and says what to do about it
_KEYS = {
    errno.ENOSPC: lambda p: tr("os.no_space", path=p),
    errno.EDQUOT: lambda p: tr("os.no_space", path=p),
    errno.EFBIG: lambda p: tr("os.too_big", path=p),
    errno.EACCES: lambda p: tr("os.permission", path=p),
    errno.EPERM: lambda p: tr("os.permission", path=p),
    errno.EROFS: lambda p: tr("os.read_only", path=p),
    errno.ENOENT: lambda p: tr("os.not_found", path=p),
    errno.ENOTDIR: lambda p: tr("os.not_a_folder", path=p),
    errno.EISDIR: lambda p: tr("os.is_a_folder", path=p),
    errno.EEXIST: lambda p: tr("os.exists", path=p),
    errno.ENOTEMPTY: lambda p: tr("os.exists", path=p),
    errno.EADDRINUSE: lambda p: tr("os.address_in_use", path=p),
    errno.EADDRNOTAVAIL: lambda p: tr("os.address_not_available", path=p),
    errno.EMFILE: lambda p: tr("os.too_many_files", path=p),
    errno.ENAMETOOLONG: lambda p: tr("os.name_too_long", path=p),
}


def describe_os_error(exc: OSError) -> str:
    path = exc.filename if exc.filename is not None else tr("os.unnamed")
    if exc.filename2 is not None:
        path = f"{exc.filename} → {exc.filename2}"
    say = _KEYS.get(exc.errno or -1)
    if say is None:
        return tr("os.other", path=path, why=exc.strerror or str(exc))
    return say(path)


def log_dir() -> Path:
    base = os.environ.get("FUNDALLOC_LOG_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "fundalloc", "logs"
    )
    return Path(base)


def log_internal(exc: BaseException) -> Path | None:
    """Write the traceback of an unexpected error to a log file; its path (None if even that
    could not be written: then it goes to the system's temp folder, else nowhere)."""
    text = "".join(traceback.format_exception(exc))
    name = f"error-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "fundalloc-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def internal_line(exc: BaseException) -> str:
    first = (str(exc).splitlines() or [""])[0][:200]
    log = log_internal(exc)
    return tr("internal", kind=type(exc).__name__, what=first, log=log or "-")
