"""One replication through the Mesa model (model/simulation/model.py), the readable reference the
Monte Carlo kernel agrees with, stepped year by year (step / play / pause / reset, as Mesa's
SolaraViz does): that year's tier crossings and payments, the charts so far, and the model's
DataCollector table."""

from __future__ import annotations

from typing import cast

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import solara  # noqa: E402
import solara.lab  # noqa: E402

from fundalloc.app import common, inputs  # noqa: E402
from fundalloc.core.display import award_name  # noqa: E402
from fundalloc.core.i18n import tr  # noqa: E402
from fundalloc.rules.jiaxing import AWARDS  # noqa: E402
from fundalloc.simulation.model import FundModel  # noqa: E402
from fundalloc.simulation.shocks import shocks_for_run  # noqa: E402
from fundalloc.simulation.world import load_world  # noqa: E402

replication = solara.reactive(0)
# The model being stepped (per browser session): (world, model) or None; `tick` re-renders
# after each step (the model object itself stays the same).
stepped: solara.Reactive[tuple | None] = solara.reactive(None)
tick = solara.reactive(0)
playing = solara.reactive(False)
PLAY_SECONDS = 0.8  # pause between years while playing


@solara.lab.task
def run_one(path: str, sets: list[str], run: int):
    """A fresh model at its first year (nothing stepped yet)."""
    world = load_world(inputs.scenario(path, sets))  # no server file named
    model = FundModel(world, shocks_for_run(run, world.pop, world.params))
    stepped.set((world, model))
    tick.set(0)
    return world, model


def years_left(model) -> int:
    return len(model.world.params.years) - model.t


def step_once() -> None:
    if stepped.value and years_left(stepped.value[1]) > 0:
        stepped.value[1].step()
        tick.set(tick.value + 1)


def run_to_end() -> None:
    while stepped.value and years_left(stepped.value[1]) > 0:
        step_once()


@solara.lab.task
async def play():
    import asyncio

    playing.set(True)
    try:
        while playing.value and stepped.value and years_left(stepped.value[1]) > 0:
            step_once()
            await asyncio.sleep(PLAY_SECONDS)
    finally:
        playing.set(False)


def year_crossings(world, model) -> pd.DataFrame:
    """Firms first above each tier in the year just stepped (revenue year)."""
    t = model.t - 1
    table = first_crossings(world, model.reported[:, : model.t])
    row = table.iloc[t] if t >= 0 else table.iloc[0] * 0
    return pd.DataFrame({"tier": list(table.columns), "firms": [int(v) for v in row]})


def year_payments(world, model) -> pd.DataFrame:
    """Payments falling due in the year just stepped, by award."""
    p = model.payments_frame()
    if p.empty or model.t == 0:
        return pd.DataFrame(columns=["award", "firms", "amount_wan"])
    pay_year = world.params.years[model.t - 1] + world.interp.pay_lag_years
    p = p[p.pay_year == pay_year]
    if p.empty:
        return pd.DataFrame(columns=["award", "firms", "amount_wan"])
    p = p.assign(award=[award_name(AWARDS[int(a)]) for a in p.award])
    return (
        p.groupby("award")
        .agg(firms=("firm", "nunique"), amount_wan=("amount_wan", "sum"))
        .reset_index()
    )


def first_crossings(world, reported: np.ndarray) -> pd.DataFrame:
    """Firms whose reported revenue first exceeds each still-open tier, by revenue year."""
    years = list(world.params.years)
    best = np.fmax.accumulate(np.nan_to_num(reported, nan=-np.inf), axis=1)  # (n, T)
    rows = {}
    years = years[: reported.shape[1]]
    for k in range(world.row_tiers.shape[1]):
        tier = world.row_tiers[:, k][:, None]
        over = best > tier if getattr(world.policy, "tier_strict", True) else best >= tier
        first = np.where(over.any(axis=1), over.argmax(axis=1), -1)
        rows[tier_label(world, k)] = [int((first == t).sum()) for t in range(len(years))]
    return pd.DataFrame(rows, index=years)


def tier_label(world, k: int) -> str:
    values = sorted({float(v) for v in world.thresholds[:, k] if np.isfinite(v)})
    return tr("app.mesa.tier", k=k + 1, values=" / ".join(f"{v:,.0f}" for v in values))


def crossing_chart(world, table: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(7, 3.6))
    bottom = np.zeros(len(table))
    for i, col in enumerate(table.columns):
        ax.bar(table.index, table[col], bottom=bottom, label=col, color=f"C{i}")
        bottom += table[col].to_numpy()
    for y in world.params.award_years:
        ax.axvspan(y - 0.45, y + 0.45, color="#fff3bf", zorder=0)
    ax.set_xticks(table.index)
    ax.set_xlabel(tr("app.mesa.x_crossing"))
    ax.set_ylabel(tr("app.mesa.y_crossing"))
    ax.set_title(tr("app.mesa.t_crossing"), fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def near_tier_chart(world, model, n: int = 8):
    """Revenue of up to n firms that start closest below their next tier, as a share of it."""
    pop = world.pop
    last = pop.history[:, -1]
    tier = world.row_tiers.min(axis=1)  # +inf when every tier is closed: ratio 0
    ratio = np.nan_to_num(last / tier)
    rows = np.flatnonzero((ratio >= 0.85) & (ratio < 1.0))
    rows = rows[np.argsort(-ratio[rows])][:n]
    years = list(pop.history_years) + list(world.params.years)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for r in rows:
        path = np.concatenate([pop.history[r], model.reported[r]]) / tier[r]
        ax.plot(years, path, marker=".", linewidth=1, label=tr("app.mesa.firm", r=r))
    ax.axhline(1.0, color="#c0392b", linestyle="--", label=tr("app.mesa.next_tier"))
    ax.set_xlabel(tr("app.mesa.x_revenue_year"))
    ax.set_ylabel(tr("app.mesa.y_near"))
    ax.set_title(tr("app.mesa.t_near"), fontsize=10)
    ax.legend(fontsize=6, ncol=3)
    fig.tight_layout()
    return fig


def payments_table(model) -> pd.DataFrame:
    p = model.payments_frame()
    if p.empty:
        return pd.DataFrame()
    p["award"] = [award_name(AWARDS[int(a)]) for a in p.award]
    t = p.pivot_table(
        index="award", columns="pay_year", values="amount_wan", aggfunc="sum", fill_value=0.0
    ).round(0)
    t.columns = [str(c) for c in t.columns]
    return t.reset_index()


@solara.component
def Figure(make):
    fig = solara.use_memo(make, [])
    solara.FigureMatplotlib(fig, format="png")
    plt.close(fig)


@solara.component
def MesaView(path: str, sets: list[str]):
    with solara.Card(tr("app.mesa.title")):
        solara.Markdown(tr("app.mesa.intro"))
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.InputInt(
                tr("app.mesa.replication"), value=replication.value, on_value=replication.set
            )
            solara.Button(
                tr("app.mesa.run_one"),
                disabled=run_one.pending,
                on_click=lambda: (
                    playing.set(False),
                    run_one(path, sets, int(replication.value or 0)),
                ),
            )
        if run_one.pending:
            solara.ProgressLinear(True)
        elif run_one.error:
            common.ErrorBox(common.words(cast(Exception, run_one.exception)))
        elif stepped.value:
            Stepper(*stepped.value, tick.value)


@solara.component
def Stepper(world, model, at: int):
    years = list(world.params.years)
    done = model.t
    left = len(years) - done
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(tr("app.mesa.step"), on_click=step_once, disabled=left == 0 or playing.value)
        if playing.value:
            solara.Button(tr("app.mesa.pause"), on_click=lambda: playing.set(False))
        else:
            solara.Button(tr("app.mesa.play"), on_click=play, disabled=left == 0)
        solara.Button(
            tr("app.mesa.to_end"), on_click=run_to_end, disabled=left == 0 or playing.value
        )
        solara.Button(
            tr("app.mesa.reset"),
            text=True,
            on_click=lambda: (
                playing.set(False),
                stepped.set((world, FundModel(world, model.shocks))),
                tick.set(0),
            ),
        )
    if done == 0:
        solara.Info(tr("app.mesa.start_hint", first=years[0], last=years[-1]))
        return
    year = years[done - 1]
    pay_year = year + world.interp.pay_lag_years
    with solara.Div(classes=["fundalloc-mesa"]):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=tr(
                "app.mesa.year_line",
                year=f"<span class='fundalloc-mesa-year'>{year}</span>",
                step=done,
                steps=len(years),
                pay_year=pay_year,
                firms=f"{len(model.firms):,}",
            ),
            style={"font-size": "15px", "margin-bottom": "0.5em"},
        )
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
            with solara.Column(style={"min-width": "22em"}):
                solara.Markdown(tr("app.mesa.crossings_in", year=year))
                common.Table(year_crossings(world, model), classes=["fundalloc-mesa-crossings"])
            with solara.Column(style={"min-width": "22em"}):
                solara.Markdown(tr("app.mesa.payments_in", year=pay_year))
                common.Table(year_payments(world, model), classes=["fundalloc-mesa-payments"])
        table = first_crossings(world, model.reported[:, :done]).reindex(years, fill_value=0)
        with solara.Row(style={"flex-wrap": "wrap"}):
            Figure(lambda: crossing_chart(world, table)).key(f"c{id(model)}-{done}")
            if left == 0:
                Figure(lambda: near_tier_chart(world, model)).key(f"n{id(model)}")
        solara.Markdown(tr("app.mesa.collector"))
        common.Table(model.datacollector.get_model_vars_dataframe().round(0))
        if left == 0:
            solara.Markdown(tr("app.mesa.by_award"))
            common.Table(payments_table(model))
