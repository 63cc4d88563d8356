"""The three jobs in a real browser, each checked against the engine or the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from e2e_helpers import ROOT, screenshot, upload

from fundalloc.core.i18n import use_lang
from fundalloc.core.report import SHEETS_ZH, read_workbook
from fundalloc.core.scenario import load_scenario
from fundalloc.selection.compare import compare_batches, parse_proposals

HENAN = ROOT / "scenarios" / "henan-2025.toml"
APPLICANTS = ROOT / "scenarios" / "data" / "henan_applicants_2025.csv"


def cli_select(out) -> dict:
    r = subprocess.run(
        [sys.executable, "-m", "fundalloc.cli", "select", str(HENAN), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_selection_designates_what_the_cli_designates(page, app_url, tmp_path):
    expected = cli_select(tmp_path / "cli")["designated"]
    page.goto(app_url)
    upload(page, "Upload applicants", APPLICANTS)
    page.locator(".fundalloc-upload-ok").wait_for()
    assert "38 applicants read" in page.locator(".fundalloc-upload-ok").inner_text()
    page.get_by_role("button", name="Run selection").click()
    ids = page.locator(".fundalloc-designated")
    ids.wait_for()
    assert ids.inner_text().split(", ") == expected
    for i in expected:  # and each is in the table
        assert page.get_by_role("cell", name=i, exact=True).count() >= 1
    assert page.locator("img").count() >= 2  # awards by applicant and by region
    assert page.get_by_text("Not eligible (7)").is_visible()
    with page.expect_download() as d:
        page.get_by_text("Download allocation.xlsx").click()
    xlsx = tmp_path / "allocation.xlsx"
    d.value.save_as(xlsx)
    # the app speaks Chinese by default: its sheet is 认定名单 (Designated in English)
    sheets = read_workbook(xlsx)
    designated = sheets.get(SHEETS_ZH["Designated"], sheets.get("Designated"))
    assert list(designated["id"]) == expected
    screenshot(page, "selection")


@pytest.mark.parametrize(
    "name, change, words",
    [
        (
            "no_city.csv",
            lambda df: df.drop(columns=["city"]),
            ["no_city.csv", "缺少列", "'city'"],  # the app: Chinese
        ),
        (
            "share_above_one.csv",
            lambda df: df.assign(mfg_share=["0.4", "1.7"] + list(df.mfg_share[2:])),
            ["share_above_one.csv", "第3行", "列 'mfg_share'", "高于 1"],  # the app: Chinese
        ),
    ],
)
def test_broken_upload_is_said_in_words(page, app_url, tmp_path, name, change, words):
    frame = pd.read_csv(APPLICANTS, dtype=str, keep_default_na=False)
    broken = tmp_path / name
    change(frame).to_csv(broken, index=False)
    page.goto(app_url)
    upload(page, "Upload applicants", broken)
    error = page.locator(".fundalloc-error")
    error.wait_for()
    text = error.inner_text()
    for w in words:
        assert w in text
    assert "Traceback" not in page.locator("body").inner_text()
    assert str(tmp_path) not in text and "fundalloc-app-" not in text  # the user's name only
    if name == "no_city.csv":
        screenshot(page, "selection-error")


def test_infeasible_batch_lists_the_conflicting_rules(page, app_url):
    page.goto(app_url)
    budget = page.get_by_label("Budget (万元)")
    budget.fill("500")
    budget.press("Enter")
    page.get_by_text("selection.budget_wan=500").wait_for()  # the form's override, in words
    page.get_by_role("button", name="Run selection").click()
    page.get_by_text("No batch satisfies every rule").wait_for()
    text = page.locator(".fundalloc-error").inner_text()
    assert "total budget of 500 万" in text and "at least the floor 200 万" in text


def test_stress_test_shows_fan_chart_overrun_table_and_mesa_run(page, app_url):
    page.goto(app_url + "stress")
    page.get_by_label("Replications (runs)").fill("40")  # two chunks: two workers
    small = {
        "tech_info": 60,
        "logistics": 60,
        "business_services": 60,
        "wholesale_retail": 80,
        "manufacturing": 120,
    }
    page.get_by_label("Other settings").fill(
        "\n".join(f"simulation.population.{k}.n={n}" for k, n in small.items())
    )
    page.get_by_text("Readings of the schedule").click()  # leave the fields: values set
    page.get_by_role("button", name="Run stress test").click()
    table = page.locator(".fundalloc-overrun")
    table.wait_for()
    assert page.get_by_text("40 replications").is_visible()
    for year in range(2025, 2031):  # every pay year, with its chance
        assert table.get_by_role("cell", name=str(year), exact=True).count() == 1
    assert "overrun chance" in table.inner_text()
    assert page.locator("img").count() >= 2  # fan chart and overrun chart
    page.get_by_role("button", name="Run one replication").click()
    page.locator(".fundalloc-mesa").wait_for()
    assert page.locator(".fundalloc-mesa img").count() == 2  # tier crossings, firm paths
    assert "firms" in page.locator(".fundalloc-mesa").inner_text()
    screenshot(page, "stress")


def test_compare_shows_a_batch_beside_the_optimum(page, app_url):
    text = (
        "[my batch] HA011, HA021, HA052, HA131, HA181\n\n[two from one city] HA011 HA012 "
        "HA021 HA052 HA131"
    )
    with use_lang("zh"):  # the rules broken in the words the app shows (Chinese by default)
        expected = compare_batches(load_scenario(HENAN), parse_proposals(text))
    page.goto(app_url + "compare")
    page.get_by_label("Applicant ids").fill(text)
    page.get_by_text("Proposed batch", exact=True).click()  # leave the field
    page.get_by_role("button", name="Compare with the optimum").click()
    table = page.locator(".fundalloc-compare")
    table.wait_for()
    for batch in ("optimum", "my batch", "two from one city"):
        assert table.get_by_role("columnheader", name=batch, exact=True).count() == 1
    optimum = " ".join(expected.summary["optimum"]["designated"])
    assert table.get_by_role("cell", name=optimum, exact=True).count() == 1
    broken = expected.summary["batches"][1]["rules_broken"]
    assert broken, "the second batch must break a rule for this test to mean anything"
    shown = page.locator(".fundalloc-broken").inner_text()
    for rule in broken:
        assert rule in shown
    screenshot(page, "compare")
