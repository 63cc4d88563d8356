"""Reading a bundled CSV as records and writing edited copies: the bad-input tests break one
cell of a good file at a time."""

from __future__ import annotations

import csv
from pathlib import Path


def read_rows(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, records, fields=None) -> Path:
    fields = fields or list(records[0])
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(records)
    return path
