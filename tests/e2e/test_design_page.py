"""The design page (issue 18): a small design in the browser — the published-vs-designed table,
the risk by pay year, and the designed policy file, which the other commands accept as the
scenario's policy."""

from __future__ import annotations

import tomllib
from e2e_helpers import ROOT, expect, in_view, screenshot, zh
from test_app import SMALL_SETS

from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.world import load_world

SIM = ROOT / "scenarios" / "jiaxing-sim-baseline.toml"


def test_a_small_design_shows_its_table_and_policy_file(page, app_url, tmp_path):
    page.goto(app_url + "design")
    runs = page.get_by_label(zh("app.design.runs"))
    runs.fill("60")
    runs.press("Enter")
    page.get_by_label(zh("app.stress.other")).fill("\n".join(SMALL_SETS))
    page.get_by_role("heading", name=zh("app.design.question")).click()  # leave the field
    page.get_by_role("button", name=zh("app.design.run")).click()
    page.locator(".fundalloc-summary").wait_for(timeout=180_000)
    assert in_view(page, ".fundalloc-summary")
    lines = page.locator(".fundalloc-design-lines")
    lines.locator("th").first.wait_for()  # drawn after the summary
    headers = [h.inner_text() for h in lines.locator("th").all()]
    assert "现行金额(万元)" in headers and "设计金额(万元)" in headers
    expect(lines.locator("tbody tr").nth(2)).to_be_attached()  # one row per award line
    risk = page.locator(".fundalloc-design-risk")
    expect(risk.get_by_role("cell", name="2027", exact=True)).to_have_count(1)
    with page.expect_download() as d:
        page.get_by_text(zh("app.design.download_policy")).click()
    policy = tmp_path / "designed-policy.toml"
    d.value.save_as(policy)
    tomllib.loads(policy.read_text(encoding="utf-8"))  # a TOML file …
    world = load_world(load_scenario(SIM, [f'awards.policy="{policy}"', *SMALL_SETS]))
    assert world.policy is not None  # … that the other commands accept as awards.policy
    screenshot(page, "app-design")
