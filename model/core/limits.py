"""Limits on what a workbook may expand to, checked before it is read: an .xlsx is a zip, and a
small file can hold gigabytes of XML (a "zip bomb": 207 KB once grew the app's memory by
200 MB), or millions of rows. Refused in words, naming the file and the limit."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from fundalloc.core.errors import InputError
from fundalloc.core.i18n import tr

DEFAULT_EXPANDED_MB = 200.0  # every sheet, style and string of a workbook, uncompressed
DEFAULT_ROWS = 500_000  # rows of all sheets: far above any programme's applicant or firm list
CHUNK = 1 << 20


def _env(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def max_expanded_bytes() -> int:
    return int(_env("FUNDALLOC_MAX_XLSX_MB", DEFAULT_EXPANDED_MB) * 1024 * 1024)


def max_rows() -> int:
    return int(_env("FUNDALLOC_MAX_ROWS", DEFAULT_ROWS))


def check_workbook(path: str | Path) -> None:
    """InputError if the workbook at `path` expands beyond the limits. Sizes come from the
    zip's directory (no decompression); rows are counted in the sheets' XML as it streams,
    stopping at the limit, and the bytes actually read are bounded too (a directory can lie)."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        return  # an old .xls or a damaged file: the reader says what is wrong
    limit, rows_limit = max_expanded_bytes(), max_rows()
    with zipfile.ZipFile(path) as z:
        members = z.infolist()
        declared = sum(m.file_size for m in members)
        if declared > limit:
            raise InputError(path, tr("limits.expanded", size=declared / 1e6, limit=limit / 1e6))
        rows = read = 0
        for m in members:
            if not (m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")):
                continue
            tail = b""
            with z.open(m) as fh:
                while block := fh.read(CHUNK):
                    read += len(block)
                    if read > limit:
                        raise InputError(
                            path, tr("limits.expanded", size=read / 1e6, limit=limit / 1e6)
                        )
                    text = tail + block
                    rows += (
                        text.count(b"<row ")
                        + text.count(b"<row>")
                        - tail.count(b"<row ")
                        - tail.count(b"<row>")
                    )
                    tail = block[-5:]
                    if rows > rows_limit:
                        raise InputError(path, tr("limits.rows", limit=rows_limit))
