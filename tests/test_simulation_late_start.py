"""A late start (history 2023–2025 running into the years that earn tier awards, simulated
2026–2029): the kernel pays exactly what the Mesa model and a hand calculation pay
(tests/cases/simulation/late_start.toml), and the two engines agree under every reading when
the history overlaps the award years (issue 14)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import tomllib
from simulation_helpers import ROOT, small_world
from test_simulation_agreement import KEY, kernel_payments

from fundalloc.core.scenario import load_scenario
from fundalloc.rules.jiaxing import AWARDS, CHOICES
from fundalloc.simulation.model import FundModel
from fundalloc.simulation.shocks import shocks_for_run
from fundalloc.simulation.world import load_world

CASE = tomllib.loads((ROOT / "tests/cases/simulation/late_start.toml").read_text("utf-8"))

SCENARIO = """
extends = "{awards}"

[awards]
budget_wan = 1e9
{readings}

[simulation]
firms = "{firms}"
years = {years}
runs = 1
chunk = 1
workers = 1
entry_rate = 0
exit_rate = 0
{simulation}

[simulation.growth]
{growth}
"""


def late_start_scenario(folder, readings: str = "", simulation: str = ""):
    rows = [
        {"firm_id": f["id"], "sector": f["sector"], "year": y, "revenue_wan": r}
        for f in CASE["firms"]
        for y, r in zip(CASE["history_years"], f["revenue"], strict=True)
        if not math.isnan(r)
    ]
    firms = folder / "firms.csv"
    pd.DataFrame(rows).to_csv(firms, index=False)
    growth = "\n".join(
        f"{s} = {{ mu = {math.log(CASE['growth'].get(s, 1.0))!r}, sigma = 0 }}"
        for s in (
            "tech_info",
            "logistics",
            "business_services",
            "wholesale_retail",
            "manufacturing",
        )
    )
    path = folder / "late.toml"
    path.write_text(
        SCENARIO.format(
            awards=(ROOT / "scenarios/jiaxing-2024.toml").as_posix(),
            firms=firms.as_posix(),
            years=CASE["years"],
            readings=readings,
            simulation=simulation,
            growth=growth,
        ),
        encoding="utf-8",
    )
    return path


def _named(frame: pd.DataFrame, world) -> list[list]:
    return sorted(
        [
            str(world.pop.ids[r.firm]),
            AWARDS[r.award],
            int(r.revenue_year),
            int(r.pay_year),
            float(r.amount_wan),
        ]
        for r in frame.itertuples()
        if r.amount_wan > 0
    )


def test_late_start_pays_what_the_mesa_model_and_the_hand_calculation_pay(tmp_path):
    world = load_world(load_scenario(late_start_scenario(tmp_path)))
    shocks = shocks_for_run(0, world.pop, world.params)
    k_pay, _ = kernel_payments(world, shocks)
    k_pay = k_pay[k_pay.pay_year >= CASE["years"][0] + 1]  # the simulated pay years
    mesa = FundModel(world, shocks).run().payments_frame()
    hand = sorted([p[0], p[1], p[2], p[3], float(p[4])] for p in CASE["payments"])
    assert _named(k_pay, world) == hand
    assert _named(mesa, world) == hand


LATE = [
    "simulation.years=[2026, 2027, 2028, 2029]",
    "simulation.population.history_years=[2022, 2023, 2024, 2025]",
]
READINGS = [(k, v) for k, values in CHOICES.items() for v in values]


@pytest.mark.parametrize("key, value", READINGS, ids=[f"{k}={v}" for k, v in READINGS])
def test_engines_agree_when_history_overlaps_the_award_years(tmp_path, key, value):
    world = small_world(
        tmp_path,
        [*LATE, f"awards.{key}={value}"],
        n=60,
        n_mfg=40,
        spread=1.5,
        window=0.3,
        effort=0.2,
        timing=0.1,
        budget=150,
    )
    assert len(world.history_awarded) > 10  # the history really earns tier awards
    shocks = shocks_for_run(3, world.pop, world.params)
    mesa = FundModel(world, shocks).run()
    k_pay, k_rev = kernel_payments(world, shocks)
    np.testing.assert_allclose(mesa.reported, k_rev, rtol=1e-12, equal_nan=True)
    m = mesa.payments_frame().sort_values(KEY).reset_index(drop=True)
    k = k_pay[k_pay.pay_year >= 2027].sort_values(KEY).reset_index(drop=True)
    np.testing.assert_array_equal(m[KEY].to_numpy(), k[KEY].to_numpy())
    np.testing.assert_allclose(
        m.amount_wan.to_numpy(float), k.amount_wan.to_numpy(float), rtol=1e-9, atol=1e-9
    )
    np.testing.assert_allclose(
        m.owed_wan.to_numpy(float), k.owed_wan.to_numpy(float), rtol=1e-9, atol=1e-9
    )
    if value == "nothing_paid_after_2026":  # the simulated pay years all lie after 2026
        assert len(k) == 0
        return
    growth = AWARDS.index("growth")
    assert (m.award == growth).sum() > 5  # growth windows opened in the history are paid


def test_missing_history_is_counted_paid_and_warned_or_left_out(tmp_path):
    from typer.testing import CliRunner

    from fundalloc.cli import app

    scenario = late_start_scenario(tmp_path)
    world = load_world(load_scenario(scenario))
    flagged = sorted(str(i) for i in world.pop.ids[world.pop.missing_history])
    assert flagged == sorted(CASE["missing_history"])
    out = tmp_path / "run"
    r = CliRunner().invoke(app, ["simulate", str(scenario), "--out", str(out), "--workers", "1"])
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    m = summary["missing_history"]
    hand = {}
    for firm, _, _, pay_year, amount in CASE["payments"]:
        if firm in CASE["missing_history"]:
            hand[str(pay_year)] = hand.get(str(pay_year), 0) + amount
    assert m["firms"] == 2 and m["reading"] == "first_crossing"
    assert {y: v for y, v in m["mean_claims_wan"].items() if v} == hand
    assert "no revenue row before 2024" in " ".join(r.output.split())
    assert "no revenue row before 2024" in (out / "report.html").read_text(encoding="utf-8")
    book = pd.read_excel(out / "outlay.xlsx", sheet_name=None, header=None, engine="openpyxl")
    assert any(
        "no revenue row before 2024" in str(v) for f in book.values() for v in f.values.ravel()
    )

    # Left out: the firms are not simulated, the others are paid as before.
    world = load_world(load_scenario(scenario, ["simulation.missing_history=exclude"]))
    assert world.pop.excluded_missing == 2 and "C" not in set(world.pop.ids)
    k_pay, _ = kernel_payments(world, shocks_for_run(0, world.pop, world.params))
    k_pay = k_pay[k_pay.pay_year >= 2027]
    rest = sorted(
        [*p[:4], float(p[4])] for p in CASE["payments"] if p[0] not in CASE["missing_history"]
    )
    assert _named(k_pay, world) == rest
