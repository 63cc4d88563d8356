"""The stress page's several yearly budgets (simulation.budgets, the command line's
`--budgets`): typed as in a spreadsheet — `4000, 6000, 8000`, `4000，6000，8000`,
`4000万、0.6亿` — each amount read by the page's number fields (fields.parse: one reader of
numbers), the list checked where it is typed, a wrong item named in words at the field and
the run held back until it is corrected (fields.errors)."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import solara
import tomllib

from fundalloc.app import fields
from fundalloc.app.fields import spec_of
from fundalloc.core.i18n import tr
from fundalloc.simulation.budgets import budget_items
from fundalloc.simulation.settings import SimulationSettings

KEY = "simulation.budgets"
FIELD_ID = "stress-budgets"
# Each amount as the declaration says (万元), at least 0 as its validator requires.
SPEC = replace(spec_of(SimulationSettings, "budgets", optional=True), ge=0.0)


def parse_budgets(text: str | None) -> tuple[list[float] | None, str | None]:
    """(sorted distinct amounts, None), (None, None) when empty, or (None, message naming the
    field and the item)."""
    items = budget_items(text)  # split as `--budgets` splits
    values = []
    for n, item in enumerate(items, start=1):
        value, error = fields.parse(SPEC, item)
        if error is not None:
            return None, tr("app.stress.budgets_wrong", field=SPEC.label, n=n, why=error)
        values.append(float(value))
    return (sorted(set(values)) or None), None  # as the settings keep them: sorted, once each


def plain(value: float) -> str:
    """An amount without thousands separators (they would read as list commas): 4000, 12.5."""
    return f"{value:.0f}" if float(value).is_integer() else repr(float(value))


def shown(values: list[float] | None) -> str:
    return ", ".join(plain(v) for v in values or [])


def to_set(values: list[float]) -> str:
    """The --set line `--budgets` makes (commands/simulate.budget_sets)."""
    return f"{KEY}=[{', '.join(plain(v) for v in values)}]"


def from_set(value: str) -> list[float] | None:
    """The amounts of a `simulation.budgets=[…]` line back (a shared link or a settings file);
    None when the value is not a plain list of amounts (then it stays an "other" line, and
    the run says what is wrong with it)."""
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return None
    if not isinstance(parsed, list) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in parsed
    ):
        return None
    return sorted({float(v) for v in parsed}) or None


CLASH_ID = f"{FIELD_ID}-by-payer"  # fields.errors' entry for budgets beside payers' own


@solara.component
def BudgetsField(
    value: list[float] | None,
    on_value: Callable[[list[float] | None], None],
    by_payer: bool = False,
):
    """A text field like fields.NumberField, for a list: its error under it and in
    fields.errors until the list is corrected. `by_payer`: each payer has its own budget (the
    page's payer table or the scenario's), which a list of city-wide budgets cannot be
    compared with (simulate refuses it): said here, and Run waits, while both are given."""
    text, set_text = solara.use_state(shown(value), key=f"{FIELD_ID}-text")
    solara.use_effect(lambda: set_text(shown(value)), [value])
    clash = tr("check.budgets_by_payer") if by_payer and value else None
    held = CLASH_ID in fields.errors.value

    def hold_run() -> None:  # also after fields.clear() while the clash stays
        rest = {k: v for k, v in fields.errors.value.items() if k != CLASH_ID}
        fields.errors.set({**rest, CLASH_ID: f"{SPEC.label}: {clash}"} if clash else rest)

    solara.use_effect(hold_run, [clash, held])
    message = fields.errors.value.get(FIELD_ID) or clash

    def commit(raw: str | None) -> None:
        set_text(raw or "")
        parsed, error = parse_budgets(raw)
        rest = {k: v for k, v in fields.errors.value.items() if k != FIELD_ID}
        if error is None:
            fields.errors.set(rest)
            on_value(parsed)
            set_text(shown(parsed))  # what was read, so a misreading shows at once
        else:
            fields.errors.set({**rest, FIELD_ID: error})

    solara.InputText(
        tr("app.stress.budgets", title=fields.title(SPEC)),
        value=text,
        on_value=commit,
        error=bool(message),
        message=message,
        classes=["fundalloc-field", f"fundalloc-field-{FIELD_ID}"],
        style={"min-width": "16em"},
    )
