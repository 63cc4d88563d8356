"""The batch's numbers as a form: budget, floor, cap, step, batch size, per-city and per-region
limits. Starts from the scenario's values; every change becomes a `--set` override
(common.selection_sets), so a run in the app is the same as the command line with those sets."""

from __future__ import annotations

from typing import Any, cast

import solara

from fundalloc.app import common, security
from fundalloc.core.scenario import load_scenario
from fundalloc.selection.params import SelectionParams, selection_params
from fundalloc.selection.rulesets import ruleset_of


def label(key: str) -> str:
    """The field's label and unit, from the declaration of [selection]."""
    extra = cast(dict[str, Any], SelectionParams.model_fields[key].json_schema_extra or {})
    unit = extra.get("unit")
    return f"{extra['en']} ({unit})" if unit and unit != "个" else str(extra["en"])


MONEY = [(k, label(k)) for k in ("budget_wan", "floor_wan", "cap_wan", "step_wan")]
COUNTS = [(k, label(k)) for k in ("batch_min", "batch_max", "city_max")]

# {"scenario": path, "values": {key: value}}: what the user changed, for that scenario only.
edits: solara.Reactive[dict[str, Any]] = solara.reactive({"scenario": None, "values": {}})


def defaults(scenario_path: str) -> tuple[dict, dict]:
    sc = load_scenario(scenario_path)
    ruleset = ruleset_of(sc)
    p = selection_params(sc, ruleset.regions)
    values = {k: getattr(p, k) for k, _ in MONEY + COUNTS}
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
            out.append(f"selection.{key}={value}")
    return security.page_sets(out)  # a page user may name no server file


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
        common.selection_sets.set(to_sets(base, new))

    def set_region(key, group, value):
        set_value(key, {**values[key], group: value})

    with solara.Card("Rules of this batch"):
        with solara.Row(style={"flex-wrap": "wrap"}):
            for key, label in MONEY:
                solara.InputFloat(
                    label,
                    value=float(values[key]),
                    on_value=lambda v, k=key: v is not None and set_value(k, v),
                )
        with solara.Row(style={"flex-wrap": "wrap"}):
            for key, label in COUNTS:
                solara.InputInt(
                    label,
                    value=int(values[key]),
                    on_value=lambda v, k=key: v is not None and set_value(k, v),
                )
        solara.Markdown("**Regional groups** (designated per group; empty maximum = no limit)")
        for g in values["region_min"]:
            with solara.Row():
                solara.Text(f"{g} {names.get(g, '')}", style={"min-width": "11em"})
                solara.InputInt(
                    "at least",
                    value=int(values["region_min"][g] or 0),
                    on_value=lambda v, g=g: v is not None and set_region("region_min", g, v),
                )
                mx = values["region_max"][g]
                solara.InputText(
                    "at most",
                    value="" if mx is None else str(mx),
                    on_value=lambda v, g=g: _set_max(set_region, g, v),
                )
        if common.selection_sets.value:
            solara.Markdown(
                "Changed from the scenario: `" + "`, `".join(common.selection_sets.value) + "`"
            )


def _set_max(set_region, group: str, text: str) -> None:
    text = (text or "").strip()
    if text == "":
        set_region("region_max", group, None)
    elif text.isdigit():
        set_region("region_max", group, int(text))
    # anything else is ignored: the field shows what was typed, the run uses the last number
