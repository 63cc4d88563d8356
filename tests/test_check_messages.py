"""The words of a refused setting are Chinese by default: every declared `expect` is a
(Chinese, English) pair, and the cross-key checks of the sections speak Chinese."""

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.schema import meta, walk
from fundalloc.core.settings_docs import documented_tables

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_declared_expectation_has_chinese_and_english():
    seen = 0
    for _title, model, prefix in documented_tables():
        for key, info, _ in walk(model, prefix):
            expect = meta(info).get("expect")
            if expect is None:
                continue
            seen += 1
            assert isinstance(expect, (tuple, list)) and len(expect) == 2, key
            assert CJK.search(expect[0]), f"{key}: no Chinese in {expect[0]!r}"
            assert expect[1] and not CJK.search(expect[1].split("e.g.")[0][:20]), key
    assert seen >= 20


@pytest.mark.parametrize(
    "scenario, setting, words",
    [
        ("henan-2025.toml", "selection.cap_wan=100", "低于下限"),
        ("henan-2025.toml", "selection.batch_max=99999999999", "超过 100,000"),
        ("henan-2025.toml", "selection.batch_min=9", "为空"),
        ("henan-2025.toml", 'selection.region_min="x"', "区域组"),
        ("jiaxing-sim-baseline.toml", 'awards.budget_wan={"市本级"="x"}', "预算"),
        ("jiaxing-sim-baseline.toml", "simulation.years=[2024, 2026]", "连续年份"),
        (
            "jiaxing-sim-baseline.toml",
            'simulation.growth.common.sigma={dist="normal", mean=0.05, sd=-1}',
            "正态分布",
        ),
    ],
)
def test_a_refused_setting_is_explained_in_chinese(tmp_path, scenario, setting, words):
    command = {"selection": "select", "awards": "awards", "simulation": "simulate"}
    args = [command[setting.split(".")[0]], str(ROOT / "scenarios" / scenario)]
    result = CliRunner().invoke(
        app, ["--lang", "zh", *args, "--set", setting, "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2, result.output
    said = result.output
    assert words in said, said
    reason = said.split("':")[-1]  # after the file and the dotted key
    assert not re.findall(r"\b(?:is|are|not|needs|give|must)\b", reason), said
    assert not (tmp_path / "r").exists()


def test_a_refused_file_is_explained_in_chinese(tmp_path):
    batch = tmp_path / "b.csv"
    batch.write_text("batch,id\nA,HA021\nA,HA021\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "--lang",
            "zh",
            "compare",
            str(ROOT / "scenarios" / "henan-2025.toml"),
            "--batch",
            str(batch),
            "--out",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "出现两次" in result.output and "第3行" in result.output, result.output
    assert not re.findall(r"\b(?:appears|twice|batch)\b", result.output), result.output
