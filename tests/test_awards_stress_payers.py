"""issue 15 through the Monte Carlo: `stress` with the sunset read on the payment date, and
per-payer outlay, overrun chance and smallest safe budget in `simulate`."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from simulation_helpers import write_scenario
from typer.testing import CliRunner

from fundalloc.cli import app

runner = CliRunner()
SHARES = 'simulation.population.payer_shares={"市本级" = 0.5, "嘉善县" = 0.3, "桐乡" = 0.2}'


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_stress_with_nothing_paid_after_2026_shows_2027_at_zero(tmp_path):
    base = write_scenario(tmp_path, name="base.toml", runs=16)
    hot = tmp_path / "hot.toml"
    hot.write_text(
        'extends = "base.toml"\n[simulation.growth]\ntech_info = { mu = 0.3, sigma = 0.3 }\n',
        encoding="utf-8",
    )
    out, out_default = tmp_path / "cut", tmp_path / "default"
    r = invoke(
        "stress", base, hot, "--out", out, "--set", 'awards.sunset="nothing_paid_after_2026"'
    )
    assert r.exit_code == 0, r.output
    assert invoke("stress", base, hot, "--out", out_default).exit_code == 0
    table = pd.read_csv(out / "stress.csv")
    default = pd.read_csv(out_default / "stress.csv")
    y27 = table[table.pay_year == 2027]
    assert len(y27) and (y27.p95_wan == 0).all() and (y27.mean_wan == 0).all()
    assert (y27.smallest_budget_wan == 0).all()
    assert (default[default.pay_year == 2027].mean_wan > 0).all()  # the cut is what zeroes it
    assert (table[table.pay_year > 2027].mean_wan == 0).all()
    # The smallest safe flat budget that follows is set by 2025 and 2026 alone (no defer:
    # nothing carries), and the table shows it with 2027 at 0.
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    sb = next(iter(s["scenarios"].values()))["smallest_budget_wan"]
    assert sb["flat"] == pytest.approx(
        max(sb["by_pay_year"]["2025"], sb["by_pay_year"]["2026"]), abs=0.05
    )
    assert "2027" in r.output and f"{sb['flat']:,.0f}" in r.output
    d = json.loads((out_default / "summary.json").read_text(encoding="utf-8"))
    assert sb["flat"] <= next(iter(d["scenarios"].values()))["smallest_budget_wan"]["flat"]


def test_simulate_reports_each_payer_and_the_parts_add_up(tmp_path):
    scenario = write_scenario(tmp_path, runs=16, budget=None)
    out = tmp_path / "sim"
    r = invoke(
        "simulate",
        scenario,
        "--out",
        out,
        "--set",
        SHARES,
        "--set",
        'awards.budget_wan={"市本级" = 120, "嘉善县" = 60, "桐乡市" = 40}',
    )
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(s["by_payer"]) == {"市本级", "嘉善县", "桐乡市"} and s["budget_by_payer"]
    for y, total in s["pay_years"].items():
        parts = sum(v["pay_years"][y]["mean_wan"] for v in s["by_payer"].values())
        assert parts == pytest.approx(total["mean_wan"], abs=0.05)
        paid = sum(v["pay_years"][y]["mean_paid_wan"] for v in s["by_payer"].values())
        assert paid == pytest.approx(total["mean_paid_wan"], abs=0.05)
        assert total["budget_wan"] == pytest.approx(220)  # the payers' budgets together
    for name, budget in (("市本级", 120), ("嘉善县", 60), ("桐乡市", 40)):
        v = s["by_payer"][name]
        for st in v["pay_years"].values():
            assert st["budget_wan"] == budget and st["prob_over_budget"] is not None
            assert st["mean_paid_wan"] <= budget + 1e-6  # each pays from its own budget
        assert (
            v["smallest_budget_wan"]["flat"]
            >= max(v["smallest_budget_wan"]["by_pay_year"].values()) - 0.05
        )
    sheet = pd.read_excel(out / "outlay.xlsx", sheet_name=None, engine="openpyxl")
    assert any(
        "支付主体" in str(df.to_string()) or "payer" in str(df.to_string()) for df in sheet.values()
    )
    assert "嘉善县" in r.output
