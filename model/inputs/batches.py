"""Proposed batches for `fundalloc compare`: a budget officer's own choice of applicants (and
optionally their awards), from a table file or pasted text.

The table is declared column by column (`PROPOSALS`) and read by the one reader of
fundalloc.core.columns; here only what spans rows: grouping rows into batches, an id at most
once per batch, and a batch's awards given for all its applicants or for none.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fundalloc.core.columns import Column, Table, read
from fundalloc.core.errors import InputError
from fundalloc.core.i18n import tr
from fundalloc.core.tables import read_text, sheet_row

PROPOSALS = Table(
    "batches",
    "拟认定批次",
    "Proposed batches",
    "one row per applicant of a proposed batch (several batches in one file with `batch`); "
    "`compare --batch`",
    columns=(
        Column(
            "id",
            "id",
            "申报主体编号",
            "Applicant id",
            aliases_header=("编号", "申报主体编号"),
            help="an id of the applicant file, at most once per batch",
        ),
        Column(
            "batch",
            "text",
            "批次名称",
            "Batch",
            aliases_header=("批次",),
            required=False,
            optional=True,
            help="the batch's name; empty or left out: the file's name",
        ),
        Column(
            "award_wan",
            "number",
            "拟奖励金额",
            "Award",
            aliases_header=("奖励金额", "拟奖励资金", "奖励资金"),
            unit="万元",
            min=0,
            required=False,
            optional=True,
            help="all of a batch's awards or none (without them the batch "
            "is sized as the model would)",
        ),
    ),
)


@dataclass
class Proposal:
    name: str
    ids: list[str]
    awards: dict[str, float] | None = None  # None: the best split for this batch is computed
    source: str = "proposal"
    rows: dict[str, int] = field(default_factory=dict)  # id → row in the source, for messages


def read_proposals(path: str | Path) -> list[Proposal]:
    """A CSV/XLSX with `id`, optional `batch` (name; several batches in one file) and optional
    `award_wan`; or a .txt/.md file in the pasted-text format of `parse_proposals`."""
    path = Path(path)
    if path.suffix.lower() in (".txt", ".md"):
        if not path.exists():
            raise InputError(path, tr("input.file_not_found"))
        return parse_proposals(read_text(path)[0], source=str(path))
    rows = read(PROPOSALS, path)
    awards = rows["award_wan"]
    out: dict[str, Proposal] = {}
    for i, (name, ident) in enumerate(zip(rows["batch"], rows["id"], strict=True)):
        row = sheet_row(i)
        p = out.setdefault(name or path.stem, Proposal(name or path.stem, [], source=str(path)))
        if ident in p.rows:
            raise InputError(
                path,
                tr("input.batch_id_twice", id=ident, batch=p.name, first=p.rows[ident]),
                row,
                "id",
            )
        p.ids.append(ident)
        p.rows[ident] = row
        if not np.isnan(awards[i]):
            p.awards = p.awards or {}
            p.awards[ident] = float(awards[i])
    for p in out.values():
        if p.awards is not None and len(p.awards) != len(p.ids):
            missing = next(i for i in p.ids if i not in p.awards)
            raise InputError(
                path,
                tr("input.batch_awards_partial", batch=p.name, missing=missing),
                p.rows[missing],
                "award_wan",
            )
    return list(out.values())


def parse_proposals(text: str, source: str = "pasted text") -> list[Proposal]:
    """Pasted batches: one batch per paragraph (blank line between batches); a paragraph may
    start with `[name]`; ids separated by commas, spaces or new lines, each optionally
    `id:award` (万)."""
    proposals: list[Proposal] = []
    for k, para in enumerate(re.split(r"\n\s*\n", text.strip())):
        lines = [ln for ln in para.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        name = f"proposal {len(proposals) + 1}"
        m = re.match(r"^\s*\[(.+?)\]\s*(.*)$", lines[0])
        if m:
            name, lines[0] = m.group(1).strip(), m.group(2)
        p = Proposal(name, [], source=source)
        for token in re.split(r"[,\s，、;；]+", " ".join(lines)):
            if not token:
                continue
            ident, _, amount = token.partition(":")
            if ident in p.rows:
                raise InputError(source, f"id {ident} appears twice in batch '{name}'")
            p.ids.append(ident)
            p.rows[ident] = k + 1
            if amount:
                try:
                    value = float(amount)
                except ValueError:
                    raise InputError(
                        source,
                        tr("input.batch_award_not_number", amount=amount, id=ident, batch=name),
                    ) from None
                if not math.isfinite(value):
                    raise InputError(
                        source,
                        tr("input.batch_award_not_finite", amount=amount, id=ident, batch=name),
                    )
                if value < 0:
                    raise InputError(
                        source, tr("input.batch_award_negative", value=f"{value:g}", id=ident)
                    )
                p.awards = p.awards or {}
                p.awards[ident] = value
        if p.awards is not None and len(p.awards) != len(p.ids):
            raise InputError(
                source,
                tr("input.batch_awards_some", batch=name),
            )
        if p.ids:
            proposals.append(p)
    if not proposals:
        raise InputError(source, tr("input.batch_no_ids"))
    return proposals
