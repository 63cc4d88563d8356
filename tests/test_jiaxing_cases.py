"""Worked cases (tests/cases/jiaxing/*.toml), computed by hand from 嘉政发〔2024〕14号, run through
the command's own path: CSV files -> read_firms / read_recognitions / read_platforms ->
interpretation_from -> earned_awards -> pay -> payments table."""

import csv
import math
from pathlib import Path

import pytest
import tomllib

from fundalloc.awards.compute import compute
from fundalloc.inputs.firms import read_firms, read_platforms, read_recognitions
from fundalloc.rules.jiaxing import interpretation_from, load_policy

HERE = Path(__file__).parent
POLICY = load_policy(HERE.parent / "scenarios/policies/jiaxing-2024-14.toml")
CASES = [
    (f.stem, c)
    for f in sorted((HERE / "cases/jiaxing").glob("*.toml"))
    for c in tomllib.loads(f.read_text(encoding="utf-8"))["case"]
]


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def run_case(case: dict, tmp: Path):
    firm_rows = [
        [f["id"], f["sector"], y, r, f.get("payer", "")]
        for f in case["firms"]
        for y, r in zip(case["years"], f["revenue"])
        if not math.isnan(r)
    ]
    firms = read_firms(
        _write(tmp / "firms.csv", ["firm_id", "sector", "year", "revenue_wan", "payer"], firm_rows)
    )
    rec = plat = None
    if case.get("recognitions"):
        rec = read_recognitions(
            _write(
                tmp / "rec.csv",
                ["firm_id", "year", "kind", "level", "matter_id"],
                [
                    [r["firm"], r["year"], r["kind"], r["level"], r.get("matter", "")]
                    for r in case["recognitions"]
                ],
            ),
            firms,
        )
    if case.get("platforms"):
        plat = read_platforms(
            _write(
                tmp / "plat.csv",
                ["platform_id", "year", "firms_served", "trade_growth", "upgrade_cost_wan"],
                [
                    [p["id"], p["year"], p["served"], p["growth"], p["cost"]]
                    for p in case["platforms"]
                ],
            )
        )
    interp = interpretation_from({"awards": case.get("awards", {})})
    return compute(firms, POLICY, interp, rec, plat)


@pytest.mark.parametrize(
    "case", [c for _, c in CASES], ids=[f"{stem}: {c['name']}" for stem, c in CASES]
)
def test_worked_case(case, tmp_path):
    assert case["clause"].strip(), "every case names the clause it applies"
    out = run_case(case, tmp_path)
    p = out.payments[out.payments.amount_wan > 1e-9]
    got = sorted(
        (r.firm_id, r.award, r.revenue_year, r.pay_year, round(r.amount_wan, 6))
        for r in p.itertuples()
    )
    want = sorted((f, a, ry, py, round(float(x), 6)) for f, a, ry, py, x in case["payments"])
    assert got == want
    # The summary agrees with the table and with what was owed.
    assert out.summary["total_wan"] == pytest.approx(sum(w[-1] for w in want))
    if "unpaid_wan" in case:
        assert out.summary["unpaid_wan"] == pytest.approx(case["unpaid_wan"])
    # Every payment row carries its clause and an explanation.
    assert p.clause.str.startswith("三.(一)").all() and (p.explanation.str.len() > 10).all()


def test_there_are_enough_cases():
    assert len(CASES) >= 30
