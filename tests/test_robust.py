"""`fundalloc robust`: scores drawn around the given ones, the exact selection per draw."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fundalloc.core.errors import InputError
from fundalloc.core.scenario import load_scenario
from fundalloc.rules.henan import CITY_REGION
from fundalloc.selection.instance import Instance
from fundalloc.selection.model import build_model, solve_lexicographic
from fundalloc.selection.params import SelectionParams
from fundalloc.selection.robust import DrawSolver, robustness

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios/henan-2025.toml"
APPLICANTS = ROOT / "scenarios/data/henan_applicants_2025.csv"


def test_no_noise_gives_certainty():
    o = robustness(
        load_scenario(SCENARIO, ["robust.score_sd=0", "robust.draws=12", "robust.chunk=5"]),
        workers=1,
    )
    t = o.table
    chosen = set(o.select.summary["designated"])
    assert chosen and set(t.id[t.p_designated == 1.0]) == chosen
    assert (t.p_designated[~t.id.isin(chosen)] == 0.0).all()
    assert o.summary["stability"] == 1.0
    awards = o.select.summary["awards_wan"]
    for r in t[t.id.isin(chosen)].itertuples():  # every draw pays the select award
        assert r.award_mean_wan == r.award_p05_wan == r.award_p95_wan == awards[r.id]


def test_noise_moves_the_line_and_is_reproducible():
    sets = ["robust.score_sd=3", "robust.draws=30", "robust.chunk=10", "robust.seed=7"]
    a = robustness(load_scenario(SCENARIO, sets), workers=1)
    b = robustness(load_scenario(SCENARIO, sets), workers=1)
    pd.testing.assert_frame_equal(a.table, b.table)
    p = a.table.p_designated
    assert ((p > 0) & (p < 1)).any()  # 3 points of noise: someone is not sure either way
    assert 0 < a.summary["stability"] < 1
    # each draw designates as many as the given scores do (budget and balance unchanged)
    assert p.sum() == pytest.approx(len(a.select.summary["designated"]), abs=1e-3)


def test_one_built_model_matches_a_fresh_solve_per_draw():
    s = load_scenario(SCENARIO)
    o = robustness(load_scenario(SCENARIO, ["robust.draws=1"]), workers=1)
    inst = o.select.instance
    solver = DrawSolver(inst)
    rng = np.random.default_rng(3)
    for _ in range(4):
        score = np.clip(inst.score + rng.normal(0, 2, len(inst.score)), 0, 100)
        fresh = dataclasses.replace(inst, score=score)
        want = solve_lexicographic(build_model(fresh), fresh)
        got = solver.solve(score)
        assert got.designated.tolist() == want.designated.tolist()
        assert got.award_wan.tolist() == want.award_wan.tolist()
    assert s.path == SCENARIO.resolve()


def _with_columns(tmp_path: Path, **cols) -> Path:
    frame = pd.read_csv(APPLICANTS, dtype=str, keep_default_na=False)
    for name, values in cols.items():
        frame[name] = values
    out = tmp_path / "applicants.csv"
    frame.to_csv(out, index=False)
    return out


def test_expert_columns_give_each_sd(tmp_path):
    n = len(pd.read_csv(APPLICANTS))
    e = np.array([[80, 84, 88]] * n, float)
    path = _with_columns(tmp_path, e1=e[:, 0], e2=e[:, 1], e3=e[:, 2])
    sets = ['robust.expert_columns=["e1", "e2", "e3"]', "robust.draws=3"]
    o = robustness(load_scenario(SCENARIO, sets), applicants=path, workers=1)
    assert o.table.score_sd.tolist() == pytest.approx([4 / np.sqrt(3)] * n, abs=1e-4)
    spread = sets + ['robust.expert_reading="spread"']
    o = robustness(load_scenario(SCENARIO, spread), applicants=path, workers=1)
    assert o.table.score_sd.tolist() == pytest.approx([4.0] * n)


def test_bad_sd_column_names_row_and_column(tmp_path):
    n = len(pd.read_csv(APPLICANTS))
    path = _with_columns(tmp_path, sd=["1.5"] * (n - 1) + ["lots"])
    with pytest.raises(InputError) as e:
        robustness(load_scenario(SCENARIO, ['robust.sd_column="sd"']), applicants=path)
    text = str(e.value)
    assert "sd" in text and "lots" in text and str(n + 1) in text


def test_tolerance_band_prefers_regional_balance():
    # A 90 and B 89.5 in the Zhengzhou group, C 89 in the west: the best score is A + B, but
    # within 1 point A + C covers two groups.
    city = ["郑州", "开封", "洛阳"]
    inst = Instance(
        ids=["A", "B", "C"],
        city=city,
        region=[CITY_REGION[c] for c in city],
        score=np.array([90.0, 89.5, 89.0]),
        f=np.ones(3),
        pinned=[""] * 3,
        params=SelectionParams(budget_wan=1000, floor_wan=200, cap_wan=500, batch_max=2),
    )
    best = solve_lexicographic(build_model(inst), inst)
    assert best.designated.tolist() == [True, True, False]
    band = dataclasses.replace(
        inst, params=inst.params.model_copy(update=dict(score_tolerance=1.0))
    )
    sol = solve_lexicographic(build_model(band), band)
    assert sol.designated.tolist() == [True, False, True]
    narrow = dataclasses.replace(
        inst, params=inst.params.model_copy(update=dict(score_tolerance=0.4))
    )
    assert solve_lexicographic(build_model(narrow), narrow).designated.tolist() == [
        True,
        True,
        False,
    ]


def test_robust_command_writes_its_files(tmp_path):
    from typer.testing import CliRunner

    from fundalloc.cli import app

    out = tmp_path / "run"
    r = CliRunner().invoke(
        app,
        ["robust", str(SCENARIO), "--draws", "6", "--workers", "1", "--out", str(out)],
    )
    assert r.exit_code == 0, r.output
    for name in ("robust.csv", "summary.json", "robustness.xlsx", "report.html", "report.pdf"):
        assert (out / name).exists(), name
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert 0.0 <= s["stability"] <= 1.0 and s["draws"] == 6
    cols = pd.read_csv(out / "robust.csv").columns
    assert {"id", "p_designated", "award_mean_wan", "award_p05_wan", "award_p95_wan"} <= set(cols)
