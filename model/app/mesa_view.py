"""One replication through the Mesa model (model/simulation/model.py), the readable reference the
Monte Carlo kernel agrees with: how many firms first cross each revenue tier year by year, the
revenue paths of a few firms that start just below a tier, and the model's DataCollector table."""

from __future__ import annotations

from typing import cast

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import solara  # noqa: E402
import solara.lab  # noqa: E402

from fundalloc.app import common, security  # noqa: E402
from fundalloc.core.scenario import load_scenario  # noqa: E402
from fundalloc.rules.jiaxing import AWARDS  # noqa: E402
from fundalloc.simulation.model import FundModel  # noqa: E402
from fundalloc.simulation.shocks import shocks_for_run  # noqa: E402
from fundalloc.simulation.world import load_world  # noqa: E402

replication = solara.reactive(0)


@solara.lab.task
def run_one(path: str, sets: list[str], run: int):
    world = load_world(load_scenario(path, security.page_sets(sets)))  # no server file named
    model = FundModel(world, shocks_for_run(run, world.pop, world.params)).run()
    return world, model


def first_crossings(world, reported: np.ndarray) -> pd.DataFrame:
    """Firms whose reported revenue first exceeds each still-open tier, by revenue year."""
    years = list(world.params.years)
    best = np.fmax.accumulate(np.nan_to_num(reported, nan=-np.inf), axis=1)  # (n, T)
    rows = {}
    for k in range(world.row_tiers.shape[1]):
        tier = world.row_tiers[:, k][:, None]
        over = best > tier if getattr(world.policy, "tier_strict", True) else best >= tier
        first = np.where(over.any(axis=1), over.argmax(axis=1), -1)
        rows[tier_label(world, k)] = [int((first == t).sum()) for t in range(len(years))]
    return pd.DataFrame(rows, index=years)


def tier_label(world, k: int) -> str:
    values = sorted({float(v) for v in world.thresholds[:, k] if np.isfinite(v)})
    return f"tier {k + 1} (" + " / ".join(f"{v:,.0f}" for v in values) + " wan)"


def crossing_chart(world, table: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(7, 3.6))
    bottom = np.zeros(len(table))
    for i, col in enumerate(table.columns):
        ax.bar(table.index, table[col], bottom=bottom, label=col, color=f"C{i}")
        bottom += table[col].to_numpy()
    for y in world.params.award_years:
        ax.axvspan(y - 0.45, y + 0.45, color="#fff3bf", zorder=0)
    ax.set_xticks(table.index)
    ax.set_xlabel("revenue year (shaded: years that earn tier awards)")
    ax.set_ylabel("firms first above the tier")
    ax.set_title("Firms crossing each revenue tier, one Mesa run", fontsize=10)
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
        ax.plot(years, path, marker=".", linewidth=1, label=f"firm {r}")
    ax.axhline(1.0, color="#c0392b", linestyle="--", label="its next tier")
    ax.set_xlabel("revenue year")
    ax.set_ylabel("revenue / next tier")
    ax.set_title("Firms starting just below a tier (reported revenue)", fontsize=10)
    ax.legend(fontsize=6, ncol=3)
    fig.tight_layout()
    return fig


def payments_table(model) -> pd.DataFrame:
    p = model.payments_frame()
    if p.empty:
        return pd.DataFrame()
    p["award"] = [AWARDS[int(a)] for a in p.award]
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
    with solara.Card("One run through the Mesa model"):
        solara.Markdown(
            "The agent-based model itself (firms, cultivation office, platforms, "
            "bureau) for one replication, with the same random numbers the Monte "
            "Carlo uses for that replication and the settings on the left."
        )
        with solara.Row():
            solara.InputInt("Replication", value=replication.value, on_value=replication.set)
            solara.Button(
                "Run one replication",
                disabled=run_one.pending,
                on_click=lambda: run_one(path, sets, int(replication.value or 0)),
            )
        if run_one.pending:
            solara.ProgressLinear(True)
        elif run_one.error:
            common.ErrorBox(common.words(cast(Exception, run_one.exception)))
        elif run_one.finished and run_one.value:
            world, model = run_one.value
            table = first_crossings(world, model.reported)
            with solara.Div(classes=["fundalloc-mesa"]):
                with solara.Row(style={"flex-wrap": "wrap"}):
                    Figure(lambda: crossing_chart(world, table)).key(f"c{id(model)}")
                    Figure(lambda: near_tier_chart(world, model)).key(f"n{id(model)}")
                solara.Markdown("**Model data collector** (per revenue year, 万)")
                solara.DataFrame(model.datacollector.get_model_vars_dataframe().round(0))
                solara.Markdown("**Payments by award and pay year** (万)")
                solara.DataFrame(payments_table(model))
