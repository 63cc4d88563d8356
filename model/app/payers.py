"""Who pays (五 各县(市)参照执行): a budget per payer (`awards.budget_wan` as a table by payer)
and, for a generated population, the share of firms each payer pays
(`simulation.population.payer_shares`). Empty fields: that payer unlimited / no share."""

from __future__ import annotations

import solara
import tomllib

from fundalloc.app import fields
from fundalloc.app.fields import NumberField, Spec, spec_of
from fundalloc.core.i18n import label, tr
from fundalloc.rules.jiaxing.awards_params import AwardsParams
from fundalloc.rules.jiaxing.codes import PAYERS
from fundalloc.simulation.subtables import PopulationSettings

BUDGET_KEY = "awards.budget_wan"
SHARES_KEY = "simulation.population.payer_shares"
BUDGET = spec_of(AwardsParams, "budget_wan", optional=True)
_SHARES = PopulationSettings.model_fields["payer_shares"]
SHARE = Spec(("份额", "share"), None, ge=0.0, le=1.0, optional=True)

budgets: solara.Reactive[dict[str, float]] = solara.reactive({})  # payer → 万 a pay year
shares: solara.Reactive[dict[str, float]] = solara.reactive({})  # payer → share of firms


def _table(values: dict[str, float]) -> str:
    return "{" + ", ".join(f'"{k}" = {v:g}' for k, v in values.items()) + "}"


def payer_sets() -> list[str]:
    out = []
    if budgets.value:
        out.append(f"{BUDGET_KEY}={_table(budgets.value)}")
    if shares.value:
        out.append(f"{SHARES_KEY}={_table(shares.value)}")
    return out


def restore_payers(lines: list[str]) -> list[str]:
    """The two tables back from `--set` lines (a link or a settings file); the other lines."""
    found: dict[str, dict[str, float]] = {BUDGET_KEY: {}, SHARES_KEY: {}}
    rest = []
    for line in lines:
        key, _, value = line.partition("=")
        key = key.strip()
        table = _parse_table(value) if key in found else None
        if table is None:
            rest.append(line)
        else:
            found[key] = table
    budgets.set(found[BUDGET_KEY])
    shares.set(found[SHARES_KEY])
    return rest


def _parse_table(value: str) -> dict[str, float] | None:
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        return None
    if not isinstance(parsed, dict) or not all(k in PAYERS for k in parsed):
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in parsed.values()):
        return None  # a table by payer and pay year stays a line of "other settings"
    return {k: float(v) for k, v in parsed.items()}


def _set(reactive, payer: str, value: float | None) -> None:
    new = {k: v for k, v in reactive.value.items() if k != payer}
    if value is not None:
        new[payer] = value
    reactive.set({p: new[p] for p in PAYERS if p in new})  # in the text's order


@solara.component
def PayerCard(sc):
    with solara.Card(tr("app.payers.title"), classes=["fundalloc-payers"]):
        solara.Markdown(tr("app.payers.hint"))
        with solara.Row(style={"font-weight": "600"}):
            solara.Text(tr("app.payers.payer"), style={"min-width": "6em"})
            solara.Text(fields.title(BUDGET), style={"min-width": "9em"})
            solara.Text(label(_SHARES), style={"min-width": "7em"})
        for payer in PAYERS:
            with solara.Row(style={"align-items": "center"}):
                solara.Text(payer, style={"min-width": "6em"})
                NumberField(
                    f"payer-budget-{payer}",
                    BUDGET,
                    budgets.value.get(payer),
                    lambda v, p=payer: _set(budgets, p, v),
                    label=tr("app.payers.budget"),
                    style={"max-width": "9em", "margin-right": "0.8em"},
                )
                NumberField(
                    f"payer-share-{payer}",
                    SHARE,
                    shares.value.get(payer),
                    lambda v, p=payer: _set(shares, p, v),
                    label=tr("app.payers.share"),
                    style={"max-width": "7em"},
                )
