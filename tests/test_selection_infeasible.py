"""Infeasible instances are explained in plain words naming the conflicting rules."""

from pathlib import Path

import pytest

from fundalloc.core.errors import InfeasibleError
from fundalloc.core.scenario import load_scenario
from fundalloc.selection.run import optimise

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios/henan-2025.toml"


def conflicts(*sets):
    with pytest.raises(InfeasibleError) as info:
        optimise(load_scenario(SCENARIO, list(sets)))
    return info.value.conflicts, str(info.value)


def test_budget_below_batch_min_times_floor():
    words, text = conflicts(
        "selection.budget_wan=4000",
        "selection.floor_wan=1000",
        "selection.cap_wan=1200",
        "selection.batch_min=5",
    )
    assert "budget 4,000 万 is below batch_min 5 × floor 1,000 万 = 5,000 万" in words
    assert "Traceback" not in text


def test_region_minimum_above_its_eligible_applicants():
    # East (商丘, 周口) has two eligible applicants in the bundled file but one per city at most.
    words, _ = conflicts("selection.region_min={east=3}")
    assert any("at least 3 designated in regional group east" in w for w in words)


def test_region_minimums_exceed_batch_max():
    words, _ = conflicts("selection.region_min=1", "selection.batch_max=4", "selection.batch_min=4")
    assert any("at most 4 designated in the batch" in w for w in words)
    assert sum("at least 1 designated in regional group" in w for w in words) == 5


def test_two_pinned_in_from_one_city_against_city_max(tmp_path):
    src = (SCENARIO.parent / "data/henan_applicants_2025.csv").read_text(encoding="utf-8")
    lines = src.splitlines()
    header = lines[0].split(",")
    pin = header.index("pinned")
    rows = [line.split(",") for line in lines[1:]]
    for r in rows:  # 郑州's two applicants, both eligible in the bundled file
        if r[0] in ("HA011", "HA012"):
            r[pin] = "in"
    path = tmp_path / "pinned.csv"
    path.write_text("\n".join([lines[0]] + [",".join(r) for r in rows]), encoding="utf-8")
    with pytest.raises(InfeasibleError) as info:
        optimise(load_scenario(SCENARIO), path)
    words = info.value.conflicts
    assert any("HA011" in w and "pinned in" in w for w in words)
    assert any("HA012" in w and "pinned in" in w for w in words)
    assert any("at most 1 designated per city, here 郑州" in w for w in words)
    assert len(words) == 3  # irreducible: nothing else is needed for the clash


def test_pinned_in_but_ineligible(tmp_path):
    src = (SCENARIO.parent / "data/henan_applicants_2025.csv").read_text(encoding="utf-8")
    lines = src.splitlines()
    pin = lines[0].split(",").index("pinned")
    out = [lines[0]]
    for line in lines[1:]:
        r = line.split(",")
        if r[1] == "遂平县":  # GDP exactly 200 亿: not eligible
            r[pin] = "in"
        out.append(",".join(r))
    path = tmp_path / "a.csv"
    path.write_text("\n".join(out), encoding="utf-8")
    with pytest.raises(InfeasibleError) as info:
        optimise(load_scenario(SCENARIO), path)
    assert "pinned in but is not eligible" in str(info.value)
    assert "county GDP 200 亿 last year is not above 200 亿" in str(info.value)


def test_words_use_the_floor_rounded_to_the_step():
    # 4 × 205 = 820 fits in 990, but awards are 50 万 steps: the least award is 250 万.
    words, _ = conflicts(
        "selection.budget_wan=990",
        "selection.floor_wan=205",
        "selection.step_wan=50",
        "selection.batch_min=4",
        "selection.region_min={}",
    )
    assert (
        "budget 990 万 is below batch_min 4 × floor 250 万 (the floor 205 万 rounded up to "
        "the 50 万 step) = 1,000 万" in words
    )
    assert not any("820" in w for w in words)


def test_words_add_up_regional_minima():
    words, _ = conflicts(
        "selection.budget_wan=990",
        "selection.floor_wan=250",
        "selection.batch_min=1",
        "selection.region_min={zhengzhou=1, west=1, south=2}",
    )
    assert any(
        w.startswith(
            "budget 990 万 is below the regional minima 1 + 1 + 2 = 4 (region_min) × "
            "floor 250 万 = 1,000 万"
        )
        for w in words
    ), words


def test_words_when_no_step_fits_between_floor_and_cap():
    words, _ = conflicts(
        "selection.floor_wan=205", "selection.cap_wan=240", "selection.step_wan=50"
    )
    assert any(
        "rounds up to 250 万 in 50 万 steps, above the cap 240 万 rounded down to 200 万" in w
        for w in words
    ), words


def test_words_are_chinese_by_default(monkeypatch):
    monkeypatch.setenv("FUNDALLOC_LANG", "zh")
    words, _ = conflicts(
        "selection.budget_wan=990",
        "selection.floor_wan=205",
        "selection.step_wan=50",
        "selection.batch_min=4",
        "selection.region_min={}",
    )
    assert any(
        w.startswith("预算 990 万元不足:本批至少认定 4 个") and "1,000 万元" in w for w in words
    )
