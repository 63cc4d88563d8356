"""Readings of the texts as a person reads them: each as its label, its Chinese (or English)
meaning, the `--set` code that chooses it and the clause it interprets — never the code word
alone. One place for the terminal, the reports and the workbooks."""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd


def reading_rows(model: type, values: Mapping[str, Any], prefix: str) -> list[dict[str, str]]:
    """One row per declared key of `model` found in `values`: machine code (`prefix.key=value`),
    label, meaning (the declared option's text, or the value itself for a number) and clause.
    Keys that are not declared on the model are left out."""
    from fundalloc.core.i18n import label, pick
    from fundalloc.core.schema import meta

    rows = []
    for key, value in values.items():
        info = getattr(model, "model_fields", {}).get(key)
        if info is None:
            continue
        m = meta(info)
        options = m.get("options") or {}
        if isinstance(value, str) and value in options:
            meaning = pick(*options[value])
        elif isinstance(value, bool):
            from fundalloc.core.i18n import tr

            meaning = tr("report.yes") if value else tr("report.no")
        elif value is None:
            from fundalloc.core.i18n import tr

            meaning = tr("report.none")
        else:
            meaning = str(value) + (f" {m['unit']}" if m.get("unit") else "")
        rows.append(
            {
                "reading": label(info),
                "meaning": meaning,
                "code": f"{prefix}.{key}={_code(value)}",
                "clause": m.get("clause", ""),
                "is_choice": bool(options),
            }
        )
    return rows


def _code(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def reading_frame(model: type, values: Mapping[str, Any], prefix: str) -> pd.DataFrame:
    """The readings as a workbook/report table (columns: reading, meaning, clause, code)."""
    rows = reading_rows(model, values, prefix)
    return pd.DataFrame(rows, columns=["reading", "meaning", "clause", "code", "is_choice"]).drop(
        columns="is_choice"
    )


def reading_sentences(model: type, values: Mapping[str, Any], prefix: str) -> list[str]:
    """The readings that choose between meanings of a clause, one sentence each."""
    from fundalloc.core.i18n import tr

    return [
        tr(
            "reading.line",
            label=r["reading"],
            meaning=r["meaning"],
            code=r["code"],
            clause=r["clause"],
        )
        for r in reading_rows(model, values, prefix)
        if r["is_choice"]
    ]


def parameters_frame(model: type | None, values: Mapping[str, Any], prefix: str) -> pd.DataFrame:
    """Settings in force as a table: the `--set` key, its declared label, its value as text."""
    from fundalloc.core.i18n import label

    fields = getattr(model, "model_fields", {}) if model is not None else {}
    return pd.DataFrame(
        [
            {
                "key": f"{prefix}.{k}",
                "label": label(fields[k]) if k in fields else "",
                "value": str(v),
            }
            for k, v in values.items()
        ],
        columns=["key", "label", "value"],
    )
