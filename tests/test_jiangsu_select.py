"""`fundalloc select` on the Jiangsu scenario, end to end: every rule is recomputed from the
written selection.csv, eligibility is checked against a plain row-by-row reading of seeds/001
四.(二), the batch cannot be improved by one swap, and the [programme] table is well formed and
solvable."""

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
import tomllib
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.scenario import load_scenario
from fundalloc.rules.jiangsu import CITY_REGION
from fundalloc.selection.run import optimise

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios/jiangsu-benchmarks.toml"
RAW = tomllib.loads(SCENARIO.read_text(encoding="utf-8"))
YEARS = RAW["programme"]["years"]


def applicants_file(year: int) -> Path:
    return SCENARIO.parent / RAW["programme"]["applicants"][str(year)]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def num(text: str) -> float:
    return float(text) if text != "" else math.nan


def plain_reading(row: dict) -> bool:
    """The default readings of seeds/001 四.(二), one applicant at a time, written apart from
    model/rules/jiangsu.py: 达35%以上 ≥, 超过100亿 >, GDP或营业收入 either, 10亿元以上 ≥, 前5名."""
    if row["provincial_pilot"] != "yes":
        return False
    if row["track"] == "enterprise":
        rank = num(row["national_share_rank"])
        return num(row["revenue_prev_yi"]) >= 10 or (not math.isnan(rank) and rank <= 5)
    if row["unit_type"] not in ("county", "dev_park", "industrial_zone"):
        return False
    if row["unit_type"] == "dev_park" and row["in_catalogue"] != "yes":
        return False
    big = num(row["gdp_prev_yi"]) > 100 or num(row["revenue_prev_yi"]) > 100
    return num(row["mfg_share"]) >= 0.35 and big


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("js") / "run"
    r = CliRunner().invoke(app, ["select", str(SCENARIO), "--out", str(out)])
    assert r.exit_code == 0, r.output
    return (
        out,
        read_csv(out / "selection.csv"),
        json.loads((out / "summary.json").read_text(encoding="utf-8")),
    )


def test_designated_meet_every_rule(run):
    out, table, summary = run
    p = RAW["selection"]
    chosen = [r for r in table if r["designated"] == "True"]
    assert summary["status"] == "optimal"
    assert sorted(r["id"] for r in chosen) == sorted(summary["designated"])
    assert p["batch_min"] <= len(chosen) <= p["batch_max"]
    awards = [int(r["award_wan"]) for r in chosen]
    assert sum(awards) <= p["budget_wan"] and sum(awards) == summary["total_award_wan"]
    for a in awards:
        assert p["floor_wan"] <= a <= p["cap_wan"] and a % p["step_wan"] == 0
    assert all(int(r["award_wan"]) == 0 for r in table if r["designated"] == "False")
    for r in chosen:
        assert r["eligible"] == "True" and r["region"] == CITY_REGION[r["city"]]
    for city in CITY_REGION:
        assert sum(r["city"] == city for r in chosen) <= p["city_max"]
    for g in ("sunan", "suzhong", "subei"):
        k = sum(r["region"] == g for r in chosen)
        assert k >= p["region_min"].get(g, 0) and k <= p["region_max"].get(g, math.inf)
        assert summary["by_region"][g]["designated"] == k
    for name in (
        "selection.csv",
        "summary.json",
        "manifest.json",
        "allocation.xlsx",
        "report.html",
        "awards_by_region.png",
    ):
        assert (out / name).exists(), name


def test_eligibility_matches_the_plain_reading(run):
    _, table, _ = run
    source = {r["id"]: r for r in read_csv(applicants_file(YEARS[0]))}
    assert len(table) == len(source)
    for r in table:
        assert (r["eligible"] == "True") == plain_reading(source[r["id"]]), r["id"]
        assert (r["eligible"] == "True") == (r["reasons"] == "")
        assert r["track"] == source[r["id"]]["track"]


@pytest.mark.parametrize("year", YEARS)
def test_each_year_has_ineligible_rows_and_enough_eligible(year):
    rows = read_csv(applicants_file(year))
    ok = [plain_reading(r) for r in rows]
    assert 0 < len(rows) - sum(ok) and sum(ok) >= RAW["selection"]["batch_max"]
    assert {r["city"] for r in rows} == set(CITY_REGION)
    assert {r["track"] for r in rows} == {"region", "enterprise"}


def test_no_single_swap_or_addition_improves_the_score(run):
    """Money never binds the count here (floor × batch_max ≤ budget), so the best batch is
    the best-scoring set meeting the counting rules: check every one-applicant change."""
    _, table, summary = run
    p = RAW["selection"]
    assert p["floor_wan"] * p["batch_max"] <= p["budget_wan"]
    elig = [r for r in table if r["eligible"] == "True"]
    x = np.array([r["designated"] == "True" for r in elig])
    score = np.array([float(r["score"]) for r in elig])
    city, region = [r["city"] for r in elig], [r["region"] for r in elig]

    def feasible(batch):
        if not p["batch_min"] <= batch.sum() <= p["batch_max"]:
            return False
        if any(
            sum(batch[i] for i in range(len(elig)) if city[i] == c) > p["city_max"]
            for c in set(city)
        ):
            return False
        return all(
            p["region_min"].get(g, 0)
            <= sum(batch[i] for i in range(len(elig)) if region[i] == g)
            <= p["region_max"].get(g, math.inf)
            for g in ("sunan", "suzhong", "subei")
        )

    best = score[x].sum()
    assert math.isclose(best, summary["total_score"], abs_tol=1e-6)
    for j in np.flatnonzero(~x):
        add = x.copy()
        add[j] = True
        assert not (feasible(add) and score[add].sum() > best + 1e-9)
        for i in np.flatnonzero(x):
            swap = add.copy()
            swap[i] = False
            assert not (feasible(swap) and score[swap].sum() > best + 1e-9), (
                elig[i]["id"],
                elig[j]["id"],
            )


def test_reading_switch_changes_the_verdict():
    """扬州 county with GDP 92 亿 and revenue 130 亿: in under 'either', out under 'by_unit_type'."""
    base = optimise(load_scenario(SCENARIO)).table
    flip = optimise(load_scenario(SCENARIO, ["eligibility.region_size_measure=by_unit_type"])).table
    changed = base.eligible & ~flip.eligible
    assert changed.any() and not (flip.eligible & ~base.eligible).any()
    for reason in flip.reasons[changed]:
        assert "(measured by unit type)" in reason
    strict = optimise(load_scenario(SCENARIO, ["eligibility.mfg_share_inclusive=false"])).table
    at_35 = base.id[base.eligible & ~strict.eligible].tolist()
    source = {r["id"]: r for r in read_csv(applicants_file(YEARS[0]))}
    assert at_35 and all(float(source[i]["mfg_share"]) == 0.35 for i in at_35)


@pytest.mark.parametrize("year", YEARS[1:])
def test_later_rounds_select(year):
    s = optimise(load_scenario(SCENARIO), applicants_file(year)).summary
    assert s["status"] == "optimal"
    assert RAW["selection"]["batch_min"] <= len(s["designated"]) <= RAW["selection"]["batch_max"]


def test_reappearing_applicants_keep_their_id_with_changed_data():
    by_year = {y: {r["id"]: r for r in read_csv(applicants_file(y))} for y in YEARS}
    for earlier, later in ((2023, 2024), (2023, 2025), (2024, 2025)):
        again = set(by_year[earlier]) & set(by_year[later])
        assert again, (earlier, later)
        for i in again:
            assert by_year[earlier][i]["name"] == by_year[later][i]["name"]
    # at least one applicant ineligible in 2023 is eligible when it comes back
    back = set(by_year[2023]) & set(by_year[2024])
    assert any(
        not plain_reading(by_year[2023][i]) and plain_reading(by_year[2024][i]) for i in back
    )


def test_programme_table_is_well_formed_and_solvable():
    """The [programme] keys the multi-batch command reads, and a solution exists: checked with
    an independent MILP (scipy) over years — each applicant named at most once, annual quotas,
    at most city_max a city a year, programme totals and regional minima and maxima."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    prog = RAW["programme"]
    assert prog["years"] == [2023, 2024, 2025]
    assert set(prog["applicants"]) == {str(y) for y in YEARS}
    for key in ("batch_min", "batch_max", "budget_wan"):
        assert len(prog[key]) == len(YEARS), key
    assert sum(prog["batch_max"]) >= prog["total_max"] == 100 and prog["total_min"] <= 100
    assert sum(prog["batch_min"]) <= prog["total_min"]
    floor, city_max = RAW["selection"]["floor_wan"], RAW["selection"]["city_max"]
    assert all(floor * k <= b for k, b in zip(prog["batch_max"], prog["budget_wan"]))

    cells = [(y, r) for y in YEARS for r in read_csv(applicants_file(y)) if plain_reading(r)]
    n = len(cells)
    rows, lo, hi = [], [], []

    def add(mask, a, b):
        rows.append(np.asarray(mask, float))
        lo.append(a)
        hi.append(b)

    for i in {r["id"] for _, r in cells}:
        add([r["id"] == i for _, r in cells], 0, 1)
    for k, y in enumerate(YEARS):
        add([yy == y for yy, _ in cells], prog["batch_min"][k], prog["batch_max"][k])
        for c in CITY_REGION:
            add([yy == y and r["city"] == c for yy, r in cells], 0, city_max)
    add(np.ones(n), prog["total_min"], prog["total_max"])
    for g in ("sunan", "suzhong", "subei"):
        add(
            [CITY_REGION[r["city"]] == g for _, r in cells],
            prog["region_min"].get(g, 0),
            prog["region_max"].get(g, n),
        )
    res = milp(
        c=-np.ones(n),
        constraints=LinearConstraint(np.array(rows), lo, hi),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    assert res.status == 0, res.message
    assert round(-res.fun) == prog["total_max"]
    # more distinct eligible applicants than the target: the programme is a real choice
    assert prog["total_max"] < len({r["id"] for _, r in cells})
