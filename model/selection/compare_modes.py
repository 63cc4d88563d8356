"""One batch under several award modes side by side (`fundalloc compare --modes …`).

The same designated applicants, sized by each reading of "综合考虑产业规模、服务能级、辐射范围等因素"
(sizing.py): the awards the model would give that exact batch under each mode, with only the
money rules in force — the same pricing `compare` uses for a proposal without awards. A mode
whose table is not set in the scenario (stars_wan, score_bands_wan, tiers_wan) is reported as
such rather than skipped silently.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from fundalloc.selection.compare import batch_awards
from fundalloc.selection.instance import Instance
from fundalloc.selection.sizing import table_problem

MODES = ("proportional", "equal", "by_stars", "by_score_band", "tiers")


def _under(inst: Instance, mode: str) -> tuple[Instance | None, str]:
    p = inst.params.model_copy(update={"award_mode": mode})
    problem = table_problem(p)
    if mode == "tiers" and not p.tiers_wan:
        problem = ("tiers_wan", "award_mode = 'tiers' needs tiers_wan")
    if problem:
        return None, f"selection.{problem[0]}: {problem[1]}"
    return dataclasses.replace(inst, params=p), ""


def awards_by_mode(inst: Instance, batches: dict[str, list[str]], modes) -> pd.DataFrame:
    """One row per batch and designated applicant, a column `<mode>_wan` per mode; a row
    `total` per batch; a mode that cannot size the batch has its reason in `<mode>_note`."""
    where = {i: k for k, i in enumerate(inst.ids)}
    rows: list[dict] = []
    for name, ids in batches.items():
        ids = [i for i in ids if i in where]
        x = np.zeros(len(inst.ids), bool)
        x[[where[i] for i in ids]] = True
        per: dict[str, np.ndarray | None] = {}
        notes: dict[str, str] = {}
        for mode in modes:
            one, why = _under(inst, mode)
            a, reasons = (None, [why]) if one is None else batch_awards(one, x)
            per[mode], notes[mode] = a, "; ".join(reasons)
        for i in ids:
            k = where[i]
            stars = None if inst.stars is None else inst.stars[k]
            row = {
                "batch": name,
                "id": i,
                "name": inst.names[k] if inst.names else i,
                "stars": None if stars is None or stars != stars else int(stars),
                "score": float(inst.score[k]),
                "factor_index": round(float(inst.f[k]), 4),
            }
            for mode in modes:
                a = per[mode]
                row[f"{mode}_wan"] = None if a is None else float(a[k])
            rows.append(row)
        total = {"batch": name, "id": "total", "name": "", "score": float(inst.score[x].sum())}
        for mode in modes:
            a = per[mode]
            total[f"{mode}_wan"] = None if a is None else float(a[x].sum())
            total[f"{mode}_note"] = notes[mode]
        rows.append(total)
    return pd.DataFrame(rows)
