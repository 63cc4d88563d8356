"""Several budgets from one Monte Carlo (simulation.budgets, `simulate --budgets`; issue 20,
draw once, evaluate many): each budget's row equals a run with that budget, also where the
claims depend on the budget (then simulated again, and said); bad values are refused."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import ScenarioError
from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.budgets import budget_frame, by_budget, with_flat_budget
from fundalloc.simulation.montecarlo import run_montecarlo
from fundalloc.simulation.summary import summarise
from fundalloc.simulation.world import load_world

BASELINE = "scenarios/jiaxing-sim-baseline.toml"
SMALL = ["simulation.runs=10", "simulation.workers=1"]
runner = CliRunner()


def _world(sets):
    return load_world(load_scenario(BASELINE, SMALL + sets))


def _mc(world, keep=False):
    return run_montecarlo(world, progress=False, workers=1, keep=keep)


@pytest.mark.parametrize(
    "reading, again",
    [([], False), (['awards.budget_exhausted="first_come"'], True)],
)
def test_each_budget_equals_a_run_with_that_budget(reading, again):
    world = _world(reading + ["simulation.budgets=[9000, 5000]"])
    assert world.params.budgets == (5000.0, 9000.0)  # sorted
    block = by_budget(_mc(world, keep=True), world, _mc)
    assert block["simulated_again"] == ([5000.0, 9000.0] if again else [])
    for row in block["budgets"]:
        w = with_flat_budget(world, row["budget_wan"])
        fresh = summarise(_mc(w), w)["pay_years"]
        for y, v in row["pay_years"].items():
            assert v["prob_over_budget"] == fresh[y]["prob_over_budget"], (row["budget_wan"], y)
            assert v["mean_paid_wan"] == fresh[y]["mean_paid_wan"]
    probs = [r["worst_prob_over_budget"] for r in block["budgets"]]
    assert probs[0] >= probs[1]  # more budget, no more overrun


def test_the_command_writes_the_budgets_table(tmp_path):
    out = tmp_path / "run"
    r = runner.invoke(
        app,
        [
            "simulate",
            BASELINE,
            "--runs",
            "10",
            "--workers",
            "1",
            "--budgets",
            "5000, 9000",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    table = pd.read_csv(out / "budgets.csv")
    assert list(table.columns) == [
        "budget_wan",
        "pay_year",
        "prob_over_budget",
        "mean_paid_wan",
        "mean_unpaid_wan",
    ]
    assert sorted(set(table.budget_wan)) == [5000.0, 9000.0] and len(table) == 2 * 6
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert budget_frame(summary).equals(table)
    assert (out / "by_budget.png").stat().st_size > 0
    assert (
        "By budget" in pd.ExcelFile(out / "outlay.xlsx", engine="openpyxl").sheet_names
    )  # English in tests


@pytest.mark.parametrize(
    "args, key",
    [
        (["--budgets", "5000,abc"], "--budgets"),
        (["--set", "simulation.budgets=[-1]"], "simulation.budgets"),
        (["--set", "simulation.budgets=[nan]"], "simulation.budgets"),
        (
            ["--budgets", "5000", "--set", 'awards.budget_wan={"市本级"=3000,"嘉善县"=1000}'],
            "simulation.budgets",
        ),
    ],
)
def test_a_bad_budget_list_is_refused_by_name(tmp_path, args, key):
    out = tmp_path / "run"
    r = runner.invoke(app, ["simulate", BASELINE, "--runs", "10", *args, "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert key in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_budgets_by_payer_are_refused_in_the_library_too():
    with pytest.raises(ScenarioError, match="simulation.budgets"):
        from fundalloc.commands.simulate import run_simulate

        run_simulate(
            BASELINE,
            SMALL + ["simulation.budgets=[5000]", 'awards.budget_wan={"市本级"=3000}'],
            progress=False,
        )


def test_the_rows_are_summarises_pay_year_figures():
    """pay_year_rows computes only what a row needs, by summarise()'s own expressions: the
    same floats, under an unlimited budget (no chance of overrun) and under a tight one."""
    from fundalloc.simulation.budgets import pay_year_rows

    for sets in ([], ["awards.budget_wan=4000"]):
        world = _world(sets)
        res = _mc(world)
        full = summarise(res, world)["pay_years"]
        rows = pay_year_rows(res)
        assert list(rows) == list(full)
        for y, v in rows.items():
            assert v["prob_over_budget"] == full[y]["prob_over_budget"], (sets, y)
            assert v["mean_paid_wan"] == full[y]["mean_paid_wan"], (sets, y)
    assert any(v["prob_over_budget"] for v in rows.values())  # 4000 万 is overrun somewhere


# --- the stress page's field (model/app/budget_list.py) ----------------------------------


@pytest.mark.parametrize(
    "typed, read",
    [
        ("4000, 6000, 8000", [4000.0, 6000.0, 8000.0]),
        ("4000，6000，8000", [4000.0, 6000.0, 8000.0]),  # Chinese commas
        ("8000、4000万；0.6亿", [4000.0, 6000.0, 8000.0]),  # 、 ； 万 亿, out of order
        ("4,000, 6,000", [4000.0, 6000.0]),  # thousands separators
        ("4000,6000", [4000.0, 6000.0]),  # as --budgets takes them
        ("4000 万 6000", [4000.0, 6000.0]),  # spaces; a space before 万 is no separator
        ("5000, 5000", [5000.0]),  # once each, as simulation.budgets keeps them
        ("", None),  # empty: the scenario's
    ],
)
def test_the_page_reads_budgets_as_a_spreadsheet_user_types_them(typed, read):
    from fundalloc.app.budget_list import from_set, parse_budgets, to_set

    assert parse_budgets(typed) == (read, None)
    if read:  # the --set line the page adds reads back to the same amounts
        key, _, value = to_set(read).partition("=")
        assert key == "simulation.budgets" and from_set(value) == read


@pytest.mark.parametrize(
    "typed, words",
    [("5000, abc", "“abc”不是金额"), ("4000，-3000", "须不小于 0 万元"), ("4000, 3千", "不是金额")],
)
def test_a_wrong_budget_is_named_with_the_field_and_its_place(typed, words):
    from fundalloc.app.budget_list import parse_budgets
    from fundalloc.core.i18n import use_lang

    with use_lang("zh"):
        values, message = parse_budgets(typed)
    assert values is None and message is not None
    assert message.startswith("比较的年度预算第 2 项") and words in message


def test_budgets_go_into_the_share_link_and_back():
    from fundalloc.app import stress

    stress.reset(stress.scenario_path.value)
    try:
        stress.budgets.set([4000.0, 6000.0])
        st = stress.state()
        assert "simulation.budgets=[4000, 6000]" in st["set"]
        stress.budgets.set(None)
        stress.apply(st)
        assert stress.budgets.value == [4000.0, 6000.0] and stress.extra.value == ""
        stress.apply({"set": ['simulation.budgets=["x"]']})  # not amounts: left to the run
        assert stress.budgets.value is None and stress.extra.value == 'simulation.budgets=["x"]'
    finally:
        stress.reset(stress.scenario_path.value)


def test_the_budgets_option_keeps_every_digit_typed():
    from fundalloc.commands.simulate import budget_sets

    assert budget_sets("1234567，4000.5") == ["simulation.budgets=[1234567.0, 4000.5]"]


@pytest.mark.parametrize(
    "typed, read",
    [
        ("4000,6000,8000", [4000.0, 6000.0, 8000.0]),
        ("4000万，0.6亿", [4000.0, 6000.0]),  # as the page reads it
        ("4,000", [4000.0]),  # a thousands group, not 4 and 0
        ("4000 万 6000", [4000.0, 6000.0]),
    ],
)
def test_the_budgets_option_reads_a_list_as_the_page_does(typed, read):
    from fundalloc.app.budget_list import parse_budgets
    from fundalloc.commands.simulate import budget_sets

    line = f"simulation.budgets=[{', '.join(repr(v) for v in read)}]"
    assert budget_sets(typed) == [line]
    assert parse_budgets(typed) == (sorted(read), None)


@pytest.mark.parametrize("typed", ["5000,abc", "nan", "inf", "4000万元x"])
def test_the_budgets_option_refuses_what_is_not_an_amount(typed):
    import typer

    from fundalloc.commands.simulate import budget_sets

    with pytest.raises(typer.BadParameter, match="--budgets"):
        budget_sets(typed)


@pytest.mark.parametrize(
    "reading, passes",
    [  # drawn + centre; + each budget simulated again where the claims depend on it
        ([], 2),
        (['awards.budget_exhausted="first_come"'], 4),
    ],
)
def test_the_apps_progress_bar_runs_once_over_every_pass(tmp_path, reading, passes):
    from fundalloc.commands.simulate import run_simulate

    seen: list[tuple[int, int]] = []
    run_simulate(
        BASELINE,
        SMALL + reading + ["simulation.budgets=[5000, 9000]"],
        out=tmp_path / "run",
        progress=False,
        on_progress=lambda done, total: seen.append((done, total)),
    )
    assert {t for _, t in seen} == {10 * passes}  # one total, every pass in it
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # never back to 0
    assert seen[-1] == (10 * passes, 10 * passes)
