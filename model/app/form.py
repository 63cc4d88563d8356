"""The batch's numbers as a form: budget, floor, cap, step, batch size, per-city and per-region
limits. Starts from the scenario's values; every change becomes a `--set` override
(common.selection_sets), so a run in the app is the same as the command line with those sets.
Each field is checked where it is typed, from the declarations of [selection] (fields.py)."""

from __future__ import annotations

from typing import Any

import solara
import tomllib

from fundalloc.app import common, inputs
from fundalloc.app.fields import NumberField, spec_of
from fundalloc.commands.common import region_label
from fundalloc.core.i18n import tr
from fundalloc.selection.params import SelectionParams, selection_params
from fundalloc.selection.rulesets import ruleset_of

MONEY = ("budget_wan", "floor_wan", "cap_wan", "step_wan")
COUNTS = ("batch_min", "batch_max", "city_max")
SPECS = {k: spec_of(SelectionParams, k) for k in MONEY + COUNTS}
AT_LEAST = spec_of(SelectionParams, "region_min", integer=True)
AT_MOST = spec_of(SelectionParams, "region_max", integer=True, optional=True)

# {"scenario": path, "values": {key: value}}: what the user changed, for that scenario only.
edits: solara.Reactive[dict[str, Any]] = solara.reactive({"scenario": None, "values": {}})


def defaults(scenario_path: str) -> tuple[dict, dict]:
    sc = inputs.scenario(scenario_path)
    ruleset = ruleset_of(sc)
    p = selection_params(sc, ruleset.regions)
    values = {k: getattr(p, k) for k in MONEY + COUNTS}
    values["region_min"] = {g: p.region_min.get(g, 0) for g in ruleset.regions}
    values["region_max"] = {g: p.region_max.get(g) for g in ruleset.regions}
    return values, ruleset.region_names


def _safe_defaults(path: str):
    try:
        return defaults(path)
    except Exception as exc:  # noqa: BLE001 - a scenario that does not load is said in words
        return common.words(exc)


def to_sets(base: dict, changed: dict) -> list[str]:
    out = []
    for key, value in changed.items():
        if value == base[key]:
            continue
        if isinstance(value, dict):  # a table by regional group; absent = no limit
            cells = ", ".join(f"{g} = {int(v)}" for g, v in value.items() if v is not None)
            out.append(f"selection.{key}={{{cells}}}")
        else:
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # 3000, not 3000.0: as an officer would type the --set
            out.append(f"selection.{key}={value}")
    return out  # numbers only; checked with the page's other lines when a run loads them


def from_sets(base: dict, sets: list[str]) -> dict:
    """The form's edits back from `--set` lines (a shared link or settings file): the inverse
    of to_sets for the keys the form shows; other keys stay as sets."""
    changed: dict[str, Any] = {}
    for line in sets:
        key, _, value = line.partition("=")
        name = key.strip().removeprefix("selection.")
        if name not in base:
            continue
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
        if isinstance(base[name], dict):
            empty = None if name == "region_max" else 0
            parsed = {**dict.fromkeys(base[name], empty), **{g: int(v) for g, v in parsed.items()}}
        changed[name] = parsed
    return changed


def others(sets: list[str]) -> list[str]:
    """The sets the form does not show (kept as they are when a field changes)."""
    shown = {f"selection.{k}" for k in (*MONEY, *COUNTS, "region_min", "region_max")}
    return [s for s in sets if s.partition("=")[0].strip() not in shown]


def restore(path: str, sets: list[str]) -> None:
    """Show `sets` (from a link or a settings file) in the form of scenario `path`."""
    common.selection_scenario.set(path)
    common.selection_sets.set(list(sets))
    loaded = _safe_defaults(path)
    if not isinstance(loaded, str):
        edits.set({"scenario": path, "values": from_sets(loaded[0], sets)})


@solara.component
def SelectionForm():
    path = common.selection_scenario.value
    loaded = solara.use_memo(lambda: _safe_defaults(path), dependencies=[path])
    if isinstance(loaded, str):
        common.ErrorBox(loaded)
        return
    base, names = loaded
    changed = edits.value["values"] if edits.value["scenario"] == path else {}
    values = {**base, **changed}

    def set_value(key, value):
        new = {**changed, key: value}
        edits.set({"scenario": path, "values": new})
        common.selection_sets.set(to_sets(base, new) + others(common.selection_sets.value))

    def set_region(key, group, value):
        set_value(key, {**values[key], group: value})

    with solara.Card(tr("app.form.rules")):
        with solara.Row(style={"flex-wrap": "wrap"}):
            for key in MONEY + COUNTS:
                NumberField(key, SPECS[key], values[key], lambda v, k=key: set_value(k, v))
        solara.Markdown(tr("app.form.regions"))
        for g in values["region_min"]:
            with solara.Row(style={"align-items": "center"}):
                solara.Text(region_label(names, g), style={"min-width": "11em"})
                NumberField(
                    f"region_min-{g}",
                    AT_LEAST,
                    values["region_min"][g] or 0,
                    lambda v, g=g: set_region("region_min", g, v),
                    label=tr("app.form.at_least"),
                    style={"max-width": "6.5em", "margin-right": "0.8em"},
                )
                NumberField(
                    f"region_max-{g}",
                    AT_MOST,
                    values["region_max"][g],
                    lambda v, g=g: set_region("region_max", g, v),
                    label=tr("app.form.at_most"),
                    style={"max-width": "6.5em"},
                )
        if common.selection_sets.value:
            solara.Markdown(
                tr("app.form.changed") + " `" + "`, `".join(common.selection_sets.value) + "`"
            )
