"""`fundalloc awards` on the bundled scenario: the files appear, the totals add up, and readings
given with --set change the result and are recorded."""

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.report import read_workbook, sheet_title

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = str(ROOT / "scenarios/jiaxing-2024.toml")
runner = CliRunner()


def run(tmp_path: Path, name: str, *extra: str):
    out = tmp_path / name
    result = runner.invoke(app, ["awards", SCENARIO, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return (
        out,
        json.loads((out / "summary.json").read_text(encoding="utf-8")),
        pd.read_csv(out / "payments.csv"),
    )


def test_bundled_scenario_writes_every_file_and_totals_add_up(tmp_path):
    out, summary, payments = run(tmp_path, "base")
    for name in ("payments.csv", "summary.json", "manifest.json", "awards.xlsx", "report.html"):
        assert (out / name).stat().st_size > 0, name
    assert {
        "firm_id",
        "award",
        "revenue_year",
        "pay_year",
        "amount_wan",
        "clause",
        "explanation",
    } <= set(payments.columns)
    assert summary["total_wan"] == pytest.approx(payments.amount_wan.sum())
    by_year = payments.groupby("pay_year").amount_wan.sum()
    assert {int(k): v for k, v in summary["by_year_wan"].items()} == pytest.approx(
        by_year.to_dict()
    )
    assert sum(summary["by_award_wan"].values()) == pytest.approx(summary["total_wan"])
    assert summary["interpretations"]["later_higher_tier"] == "top_up"
    # every award type of the schedule occurs in the example
    assert set(payments.award) == {
        "revenue_tier",
        "growth",
        "service_mfg_demo",
        "industrial_design",
        "platform",
    }
    # the documented boundary firms: F005 and F007 above every tier before 2024, F008
    # manufacturing, F009 exactly at 2,000 in 2024 earn no revenue-tier award
    tiers = payments[payments.award == "revenue_tier"]
    assert not set(tiers.firm_id) & {"F005", "F007", "F008"}
    assert (tiers[tiers.firm_id == "F009"].revenue_year == 2025).all()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "awards" and manifest["policy_sha256"]
    assert "data:image/png;base64" in (out / "report.html").read_text(encoding="utf-8")
    xlsx = read_workbook(out / "awards.xlsx")  # by machine names, under the title rows
    assert xlsx[sheet_title("Payments")].amount_wan.sum() == pytest.approx(summary["total_wan"])


def test_set_changes_the_reading_and_budget_caps_each_year(tmp_path):
    _, base, _ = run(tmp_path, "base")
    _, full, _ = run(tmp_path, "full", "--set", "awards.later_higher_tier=full")
    assert full["interpretations"]["later_higher_tier"] == "full"
    assert full["by_award_wan"]["revenue_tier"] > base["by_award_wan"]["revenue_tier"]
    _, capped, pay = run(
        tmp_path,
        "capped",
        "--set",
        "awards.budget_wan=300",
        "--set",
        "awards.budget_exhausted=first_come",
    )
    assert all(v <= 300 + 1e-6 for v in capped["by_year_wan"].values())
    assert capped["unpaid_wan"] == pytest.approx(base["total_wan"] - capped["total_wan"])
    assert capped["unpaid_wan"] > 0


def test_bad_input_exits_2_and_writes_nothing(tmp_path):
    bad = tmp_path / "firms.csv"
    bad.write_text("firm_id,sector,year,revenue_wan\nA,tech_info,2024,abc\n", encoding="utf-8")
    out = tmp_path / "run"
    result = runner.invoke(app, ["awards", SCENARIO, "--firms", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "row 2" in result.output and "revenue_wan" in result.output
    assert not out.exists()


def test_existing_run_is_never_overwritten(tmp_path):
    out, _, _ = run(tmp_path, "base")
    before = (out / "payments.csv").read_bytes()
    result = runner.invoke(app, ["awards", SCENARIO, "--out", str(out)])
    assert result.exit_code == 2 and "never overwrites" in result.output
    assert (out / "payments.csv").read_bytes() == before
