"""Number fields checked where they are typed, from the parameter declarations (type, unit,
range): `3,000`, `3000万` and `0.3亿` are read as in files (core/tables.py), anything else is
said at the field and the run waits until it is corrected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import annotated_types
import pandas as pd
import solara

from fundalloc.core.errors import FundallocError
from fundalloc.core.i18n import pick, tr
from fundalloc.core.tables import typed_numbers

# Fields showing an error now, per browser session: {field id: message}. A run is refused
# while any is listed, so a rejected value can never run silently with the previous one.
errors: solara.Reactive[dict[str, str]] = solara.reactive({})


@dataclass(frozen=True)
class Spec:
    names: tuple[str, str]  # (zh, en) as declared: the label is picked when shown
    unit: str | None = None
    integer: bool = False
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    optional: bool = False  # empty allowed (= no limit / the scenario's value)

    @property
    def label(self) -> str:
        return pick(*self.names)


def spec_of(model, key: str, *, optional: bool = False, integer: bool | None = None) -> Spec:
    """The field's label, unit and bounds as declared with `setting(...)`."""
    info = model.model_fields[key]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    bounds: dict[str, float] = {}
    kinds: tuple[tuple[str, type], ...] = (
        ("ge", annotated_types.Ge),
        ("gt", annotated_types.Gt),
        ("le", annotated_types.Le),
        ("lt", annotated_types.Lt),
    )
    for m in info.metadata:
        for name, cls in kinds:
            if isinstance(m, cls):
                bounds[name] = float(getattr(m, name))
    unit = extra.get("unit")
    is_int = info.annotation is int if integer is None else integer
    names = (str(extra.get("zh", key)), str(extra.get("en", key)))
    return Spec(names, unit, is_int, optional=optional, **bounds)


def title(spec: Spec) -> str:
    return f"{spec.label} ({spec.unit})" if spec.unit and spec.unit != "个" else spec.label


def parse(spec: Spec, text: str | None) -> tuple[Any, str | None]:
    """(value, None) or (None, message). Empty is None when the field is optional."""
    raw = (text or "").strip()
    if raw == "":
        return (None, None) if spec.optional else (None, tr("app.field_empty"))
    try:
        typed = typed_numbers(pd.Series([raw]), "field", "field", unit=spec.unit).iloc[0]
        value = float(typed)
    except (ValueError, FundallocError):
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        if spec.unit in ("万元", "亿元"):
            return None, tr("app.field_not_money", text=raw)
        return None, tr("app.field_not_number", text=raw)
    if spec.integer and not value.is_integer():
        return None, tr("app.field_whole", value=f"{value:g}")
    unit = spec.unit or ""
    if spec.ge is not None and value < spec.ge:
        return None, tr("app.field_at_least", bound=f"{spec.ge:g}", unit=unit)
    if spec.gt is not None and value <= spec.gt:
        return None, tr("app.field_above", bound=f"{spec.gt:g}", unit=unit)
    if spec.le is not None and value > spec.le:
        return None, tr("app.field_at_most", bound=f"{spec.le:g}", unit=unit)
    if spec.lt is not None and value >= spec.lt:
        return None, tr("app.field_below", bound=f"{spec.lt:g}", unit=unit)
    return (int(value) if spec.integer else value), None


def shown(value: Any) -> str:
    """A value as the field shows it: 3,000 · 12.5 · empty."""
    if value is None:
        return ""
    v = float(value)
    return f"{v:,.0f}" if v.is_integer() else f"{v:,}"


@solara.component
def NumberField(
    field_id: str,
    spec: Spec,
    value: Any,
    on_value: Callable[[Any], None],
    label: str | None = None,
    style: dict | None = None,
):
    """A text field read like a spreadsheet cell; its error is shown under it and listed in
    `errors` until a valid value is typed (or the form is reset)."""
    text, set_text = solara.use_state(shown(value), key=f"{field_id}-text")
    solara.use_effect(lambda: set_text(shown(value)), [value])
    message = errors.value.get(field_id)

    def commit(raw: str | None) -> None:
        set_text(raw or "")
        parsed, error = parse(spec, raw)
        rest = {k: v for k, v in errors.value.items() if k != field_id}
        if error is None:
            errors.set(rest)
            on_value(parsed)
            set_text(shown(parsed))
        else:
            errors.set({**rest, field_id: error})

    solara.InputText(
        label or title(spec),
        value=text,
        on_value=commit,
        error=bool(message),
        message=message,
        classes=["fundalloc-field", f"fundalloc-field-{field_id}"],
        style=style or {"min-width": "9em", "max-width": "11.5em", "margin-right": "0.8em"},
    )


def clear() -> None:
    errors.set({})
