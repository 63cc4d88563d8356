"""The app parts of issues 15, 17 and 19 in the browser: per-payer budgets and tables on the
stress page, robustness on the selection page, an own stress scenario on the scenarios page,
and an uploaded applicant file carried by a shared link (by its hash, never a server path)."""

from __future__ import annotations

import json
import re

import pandas as pd
from e2e_helpers import cli, expect, screenshot, upload, zh
from test_app import APPLICANTS, HENAN, SMALL_SETS, run_selection

RUN_LIMIT_MS = 150_000  # a run on a loaded 2-core machine


def test_per_payer_budgets_and_tables_on_the_stress_page(page, app_url):
    page.goto(app_url + "stress")
    runs = page.get_by_label(zh("app.runs"))
    runs.fill("20")
    runs.press("Enter")
    page.get_by_label(zh("app.stress.other")).fill("\n".join(SMALL_SETS))
    card = page.locator(".fundalloc-payers")
    for payer, budget, share in (("市本级", "3,000", "0.6"), ("嘉善县", "1500万", "0.4")):
        b = card.locator(f".fundalloc-field-payer-budget-{payer} input")
        b.fill(budget)
        b.press("Enter")
        s = card.locator(f".fundalloc-field-payer-share-{payer} input")
        s.fill(share)
        s.press("Enter")
    link = page.locator(".fundalloc-share-link")  # retried: the link follows the last field
    expect(link).to_have_attribute("href", re.compile("budget_wan.*payer_shares"))
    page.get_by_role("button", name=zh("app.stress.run")).click()
    page.locator(".fundalloc-summary").wait_for(timeout=RUN_LIMIT_MS)
    table = page.locator(".fundalloc-by-payer")
    table.locator("tbody tr").first.wait_for()
    rows = [
        [c.inner_text() for c in r.locator("td").all()] for r in table.locator("tbody tr").all()
    ]
    payers = {r[0] for r in rows}
    assert payers == {"市本级", "嘉善县", zh("app.payers.total")}
    mean = 3  # columns: payer, pay year, budget, mean, …
    by_year: dict[str, float] = {}
    total: dict[str, float] = {}
    for r in rows:
        value = float(r[mean].replace(",", "") or 0)
        if r[0] == zh("app.payers.total"):
            total[r[1]] = value
        else:
            by_year[r[1]] = by_year.get(r[1], 0.0) + value
    for year, value in total.items():  # the payers' means add up to the total's
        assert abs(by_year[year] - value) <= 1.0 + 1e-9, year
    assert {r[2] for r in rows if r[0] == "嘉善县"} == {"1,500"}  # its own budget
    screenshot(page, "app-stress-payers")


def test_robustness_block_on_the_selection_page(page, app_url, tmp_path):
    cli(
        "robust",
        str(HENAN),
        "--draws",
        "20",
        "--workers",
        "1",
        "--out",
        str(tmp_path / "cli"),
        "--set",
        "robust.score_sd=3",
    )
    expected = pd.read_csv(tmp_path / "cli" / "robust.csv")
    stability = json.loads((tmp_path / "cli" / "summary.json").read_text())["stability"]
    page.goto(app_url)
    card = page.locator(".fundalloc-robust-card")
    for field, value in (("robust-sd", "3"), ("robust-draws", "20")):
        f = card.locator(f".fundalloc-field-{field} input")
        f.fill(value)
        f.press("Enter")
    card.get_by_role("button", name=zh("app.robust.run")).click()
    table = page.locator(".fundalloc-robust")
    table.wait_for(timeout=RUN_LIMIT_MS)
    assert f"{stability:.0%}" in page.locator(".fundalloc-robust-summary").inner_text()
    rows = {
        r.locator("td").first.inner_text(): [c.inner_text() for c in r.locator("td").all()]
        for r in table.locator("tbody tr").all()
    }
    eligible = expected[expected.eligible]
    assert set(rows) == set(eligible.id)
    for r in eligible.itertuples():  # the same chances as `fundalloc robust`
        assert rows[r.id][3] == f"{r.p_designated:.1%}", r.id
    expect(card.locator("img")).to_have_count(1)
    screenshot(page, "app-robust")


def test_an_own_stress_scenario_is_checked_and_kept(page, app_url, tmp_path):
    mine = tmp_path / "我的情景.toml"
    mine.write_text('[awards]\nsunset = "nothing_paid_after_2026"\n', encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('[simulation]\nfirms = "/etc/passwd"\n', encoding="utf-8")
    page.goto(app_url + "scenarios")
    upload(page, zh("app.scen.upload_own"), bad)
    page.locator(".fundalloc-error").get_by_text("simulation.firms").wait_for()
    upload(page, zh("app.scen.upload_own"), mine)
    page.locator(".fundalloc-own").get_by_text("我的情景.toml").wait_for()
    expect(page.locator(".fundalloc-error")).to_have_count(0)  # the stale refusal is gone
    link = page.locator(".fundalloc-share-link")  # the link follows the upload a moment later
    expect(link).to_have_attribute("href", re.compile("own="))
    href = link.get_attribute("href")
    assert "own=" in href and str(tmp_path) not in href and "/tmp" not in href


def test_a_link_carries_an_uploaded_applicant_file(page, new_page, app_url, tmp_path):
    frame = pd.read_csv(APPLICANTS, dtype=str, keep_default_na=False)
    first = frame.index[frame.id == "HA131"][0]
    frame.loc[first, "score"] = "40"  # a different file: a different batch
    mine = tmp_path / "本市申报.csv"
    frame.to_csv(mine, index=False)
    cli("select", str(HENAN), "--applicants", str(mine), "--out", str(tmp_path / "cli"))
    expected = json.loads((tmp_path / "cli" / "summary.json").read_text(encoding="utf-8"))
    page.goto(app_url)
    upload(page, zh("app.select.upload"), mine)
    page.locator(".fundalloc-upload-ok").wait_for()
    # the link is redrawn after the upload's message: wait for it (retrying), then read it
    expect(page.locator(".fundalloc-share-link")).to_have_attribute(
        "href", re.compile("applicants="), timeout=30_000
    )
    href = page.locator(".fundalloc-share-link").get_attribute("href")
    assert "applicants=" in href and "/tmp" not in href and "本市申报" not in href
    other = new_page()  # a colleague's browser, on the same app
    other.goto(app_url.rstrip("/") + href)
    other.get_by_text("本市申报.csv").first.wait_for()
    run_selection(other)
    got = other.locator(".fundalloc-designated").inner_text().split(", ")
    assert got == expected["designated"] and "HA131" not in got
