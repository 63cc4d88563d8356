"""Save and share (issue 19): a link or a settings file reproduces a page in a colleague's
fresh browser; the Scenarios page puts the five bundled stress scenarios side by side exactly
as `fundalloc stress` does."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pandas as pd
from e2e_helpers import ROOT, cli, expect, in_view, screenshot, zh
from test_app import BUDGET, HENAN, SMALL_SETS, run_selection

SIM = ROOT / "scenarios" / "jiaxing-sim-baseline.toml"


def set_field(page, label: str, value: str, shown: str | None = None) -> None:
    field = page.get_by_label(label)
    field.fill(value)
    field.press("Enter")
    if shown:
        page.get_by_text(shown).wait_for()


def test_a_shared_link_reproduces_a_selection_in_a_fresh_browser(page, new_page, app_url, tmp_path):
    sets = ["selection.budget_wan=2500", "selection.city_max=2"]
    cli(
        "select",
        str(HENAN),
        "--out",
        str(tmp_path / "cli"),
        *[a for s in sets for a in ("--set", s)],
    )
    expected = json.loads((tmp_path / "cli" / "summary.json").read_text(encoding="utf-8"))
    page.goto(app_url)
    set_field(page, BUDGET, "2,500", "selection.budget_wan=2500")
    set_field(page, "每市至多认定", "2", "selection.city_max=2")
    href = page.locator(".fundalloc-share-link").get_attribute("href")
    assert "budget_wan" in href and "/work" not in href  # no server path in a link
    other = new_page()  # a colleague's browser: nothing shared but the link
    other.goto(app_url.rstrip("/") + href)
    other.get_by_text("selection.city_max=2").wait_for()
    assert other.get_by_label(BUDGET).input_value() == "2,500"
    run_selection(other)
    assert other.locator(".fundalloc-designated").inner_text().split(", ") == expected["designated"]
    assert (
        f"奖励合计 {expected['total_award_wan']:,.0f} 万元"
        in other.locator(".fundalloc-summary").inner_text()
    )
    screenshot(other, "app-shared-link", max_height=1400)


def test_a_settings_file_reproduces_the_stress_page(page, new_page, app_url, tmp_path):
    page.goto(app_url + "stress")
    set_field(page, zh("app.runs"), "60")
    page.get_by_label(zh("app.stress.other")).fill("simulation.seed=7")
    page.get_by_text(zh("app.stress.readings")).click()
    link = page.locator(".fundalloc-share-link")
    expect(link).to_have_attribute("href", re.compile("simulation.seed%3D7"))
    with page.expect_download() as d:
        page.get_by_text(zh("app.share.download")).click()
    saved = tmp_path / "fundalloc-stress.json"
    d.value.save_as(saved)
    state = json.loads(saved.read_text(encoding="utf-8"))
    assert state["page"] == "stress" and "simulation.runs=60" in state["set"]
    assert len(saved.read_bytes()) < 2000  # a small file
    other = new_page()
    other.goto(app_url + "stress")
    with other.expect_file_chooser() as chooser:
        other.get_by_text(zh("app.share.open")).click()
    chooser.value.set_files(str(saved))
    expect(other.get_by_label(zh("app.runs"))).to_have_value("60")
    expect(other.locator(".fundalloc-extra textarea")).to_have_value("simulation.seed=7")


def test_the_five_bundled_stress_scenarios_side_by_side(page, app_url, tmp_path):
    runs = 20
    cli(
        "stress",
        str(SIM),
        "--runs",
        str(runs),
        "--out",
        str(tmp_path / "cli"),
        *[a for s in SMALL_SETS for a in ("--set", s)],
    )
    expected = pd.read_csv(tmp_path / "cli" / "stress.csv")
    names = list(dict.fromkeys(expected.scenario))
    assert len(names) == 5
    page.goto(
        app_url + "scenarios?" + urlencode([("runs", runs)] + [("set", s) for s in SMALL_SETS])
    )
    run = page.get_by_role("button", name=zh("app.scen.run"))
    run.click()
    page.locator(".fundalloc-progress, .fundalloc-stress-summary").first.wait_for()
    assert in_view(page, ".fundalloc-status")
    page.locator(".fundalloc-stress-summary").wait_for(timeout=180_000)
    assert in_view(page, ".fundalloc-stress-summary")
    table = page.locator(".fundalloc-side-by-side")
    rows = table.locator("tbody tr").all()
    assert [r.locator("td").first.inner_text() for r in rows] == names
    for row, name in zip(rows, names):
        cells = [c.inner_text() for c in row.locator("td").all()]
        mine = expected[expected.scenario == name]
        for cell, p95 in zip(cells[1:-1], mine.p95_wan):
            assert cell.startswith(f"{p95:,.0f}")  # P95 (chance of overrun)
        assert (
            cells[-1]
            .replace(",", "")
            .startswith(f"{mine.smallest_flat_budget_wan.iloc[0]:.0f}"[:3])
        )
    expect(page.locator("img").nth(0)).to_be_attached()  # one chart
    # selection variants side by side: two budgets
    page.get_by_role("button", name=zh("app.scen.run_variants")).click()
    variants = page.locator(".fundalloc-variants")
    variants.wait_for()
    text = variants.inner_text()
    assert "预算 2,000" in text and "预算 3,000" in text
    screenshot(page, "app-scenarios")
