"""`fundalloc compare --modes …`: the option's reading and the side-by-side table (the awards
themselves: model/selection/compare_modes.py)."""

from __future__ import annotations

from rich.table import Table

from fundalloc.commands.common import console
from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import tr
from fundalloc.selection.compare_modes import MODES


def parse_modes(text: str | None) -> list[str] | None:
    """ "proportional,equal,by_stars" (or "all") → the modes, each checked."""
    if not text:
        return None
    modes = list(MODES) if text.strip() == "all" else [m.strip() for m in text.split(",") if m]
    bad = [m for m in modes if m not in MODES]
    if bad:
        raise FundallocError(tr("compare.bad_modes", bad=", ".join(bad), known=", ".join(MODES)))
    return modes


def print_modes(outcome) -> None:
    frame = outcome.modes
    if frame is None:
        return
    modes = [c[: -len("_wan")] for c in frame.columns if c.endswith("_wan")]
    t = Table(title=tr("compare.modes_title"))
    for key in (tr("col.batch"), tr("col.id"), *modes):
        t.add_column(key, overflow="fold", justify="left" if key in modes[:0] else "right")
    for r in frame.to_dict("records"):
        cells = [
            ""
            if r.get(f"{m}_wan") is None or r[f"{m}_wan"] != r[f"{m}_wan"]
            else f"{r[f'{m}_wan']:,.0f}"
            for m in modes
        ]
        t.add_row(str(r["batch"]), str(r["id"]), *cells)
    console.print(t)
    for r in frame[frame.id == "total"].to_dict("records"):
        for m in modes:
            note = r.get(f"{m}_note")
            if isinstance(note, str) and note:
                console.print(tr("compare.mode_note", batch=r["batch"], mode=m, note=note))
