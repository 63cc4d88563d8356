"""Several yearly budgets on the stress page (simulation.budgets, the command line's
`--budgets`): typed as a spreadsheet user writes them, each paid again from the same run, the
不同预算 table holding the numbers of the CLI's budgets.csv; a wrong entry is said at the field
and nothing runs."""

from __future__ import annotations

import re

import pandas as pd
from e2e_helpers import ROOT, cli, expect, zh
from test_app import SMALL_SETS, small_stress_page

from fundalloc.app.budget_list import SPEC

LABEL = SPEC.names[0]  # the declared Chinese label of simulation.budgets

BASELINE = ROOT / "scenarios" / "jiaxing-sim-baseline.toml"
FIELD = ".fundalloc-field-stress-budgets"


def type_budgets(page, text: str) -> None:
    box = page.locator(f"{FIELD} input")
    box.fill(text)
    box.press("Enter")


def shown(frame: pd.DataFrame) -> list[list[str]]:
    """budgets.csv as a budget officer reads it: percentages with one decimal, amounts with
    thousands separators (two decimals in a column that has any), years as years."""
    out = []
    money = {c: 0 if (frame[c] == frame[c].round()).all() else 2 for c in frame.columns}
    for r in frame.itertuples(index=False):
        out.append(
            [
                f"{r.budget_wan + 0.0:,.{money['budget_wan']}f}",
                str(int(r.pay_year)),
                f"{r.prob_over_budget:.1%}",
                f"{r.mean_paid_wan + 0.0:,.{money['mean_paid_wan']}f}",
                f"{r.mean_unpaid_wan + 0.0:,.{money['mean_unpaid_wan']}f}",
            ]
        )
    return out


def test_budgets_typed_on_the_stress_page_give_the_clis_budgets_csv(page, app_url, tmp_path):
    small_stress_page(page, app_url, 20)
    # Chinese commas, 万 and 亿, out of order, as an officer may type them
    type_budgets(page, "2500，1500万, 0.2亿")
    expect(page.locator(f"{FIELD} input")).to_have_value("1500, 2000, 2500")  # as read
    link = page.locator(".fundalloc-share-link")  # Run only once the page holds the budgets
    expect(link).to_have_attribute("href", re.compile(r"budgets%3D%5B1500%2C\+2000%2C\+2500%5D"))
    run = page.get_by_role("button", name=zh("app.stress.run"))
    run.scroll_into_view_if_needed()
    run.click()
    page.locator(".fundalloc-summary").wait_for(timeout=180_000)
    rows = page.locator(".fundalloc-by-budget tbody tr")
    rows.first.wait_for(state="attached")
    on_page = rows.evaluate_all("rs => rs.map(r => [...r.cells].map(c => c.innerText.trim()))")
    head = page.locator(".fundalloc-by-budget thead").inner_text()
    assert "超预算概率" in head and "平均实付" in head and "平均当年未付" in head

    cli_dir = tmp_path / "cli"
    sets = ["simulation.runs=20", *SMALL_SETS]
    cli(
        "simulate",
        str(BASELINE),
        "--budgets",
        "1500,2000,2500",
        "--out",
        str(cli_dir),
        *[a for s in sets for a in ("--set", s)],
    )
    table = pd.read_csv(cli_dir / "budgets.csv")
    assert len(table) == 3 * 6  # three budgets × six pay years
    assert on_page == shown(table)
    # budgets around the small population's outlay: chances strictly between 0 and 1
    assert table.prob_over_budget.between(0, 1, inclusive="neither").any()
    with page.expect_download() as d:  # the file offered is the CLI's, byte for byte
        page.get_by_text(zh("app.download", name="budgets.csv")).click()
    got = tmp_path / "budgets.csv"
    d.value.save_as(got)
    assert got.read_bytes() == (cli_dir / "budgets.csv").read_bytes()
    expect(page.locator(".fundalloc-budgets img")).to_have_count(1)  # by_budget.png


def test_a_wrong_budget_list_is_said_at_the_field_and_nothing_runs(page, app_url, app_results):
    page.goto(app_url + "stress")
    run = page.get_by_role("button", name=zh("app.stress.run"))
    before = sorted(app_results.iterdir()) if app_results.exists() else []
    for typed, words in (("5000, abc", "“abc”不是金额"), ("4000，-3000", "须不小于 0 万元")):
        type_budgets(page, typed)
        field = page.locator(FIELD)
        field.get_by_text(words).wait_for()  # under the field itself ...
        assert f"{LABEL}第 2 项" in field.inner_text()  # ... naming the field and item
        fix = page.locator(".fundalloc-fix-fields")  # and in the list above the Run button
        expect(fix).to_contain_text(LABEL)
        expect(run).to_be_disabled()
        run.click(force=True)  # a disabled button does nothing even when clicked
        link = page.locator(".fundalloc-share-link")
        assert "budgets" not in (link.get_attribute("href") or "")  # not taken as a value
    page.wait_for_timeout(1000)  # a run, had one started, would show its progress by now
    expect(page.locator(".fundalloc-progress, .fundalloc-summary")).to_have_count(0)
    after = sorted(app_results.iterdir()) if app_results.exists() else []
    assert after == before  # no run folder written
    type_budgets(page, "4000, 6000")  # corrected: the error goes, the run may start
    expect(page.locator(".fundalloc-fix-fields")).to_have_count(0)
    expect(run).to_be_enabled()
    expect(page.locator(".fundalloc-share-link")).to_have_attribute(
        "href", re.compile(r"budgets%3D%5B4000%2C\+6000%5D")
    )


def test_budgets_beside_payers_own_budgets_are_said_at_the_field(page, app_url):
    """simulate refuses a list of city-wide budgets while each payer has its own: the page
    says so under the budgets field as soon as both are given, and Run waits."""
    page.goto(app_url + "stress")
    run = page.get_by_role("button", name=zh("app.stress.run"))
    type_budgets(page, "4000, 6000")
    expect(run).to_be_enabled()
    payer = page.locator(".fundalloc-payers .fundalloc-field-payer-budget-市本级 input")
    payer.fill("3000")
    payer.press("Enter")
    field = page.locator(FIELD)
    words = zh("check.budgets_by_payer")
    expect(field).to_contain_text(words[:20])  # under the field itself
    expect(page.locator(".fundalloc-fix-fields")).to_contain_text(LABEL)  # and above Run
    expect(run).to_be_disabled()
    payer.fill("")  # the payer's budget taken away: the city-wide list may run again
    payer.press("Enter")
    expect(page.locator(".fundalloc-fix-fields")).to_have_count(0)
    expect(run).to_be_enabled()
    payer.fill("3000")  # or the list emptied while the payer keeps its budget
    payer.press("Enter")
    expect(run).to_be_disabled()
    type_budgets(page, "")
    expect(page.locator(".fundalloc-fix-fields")).to_have_count(0)
    expect(run).to_be_enabled()
