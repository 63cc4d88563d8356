"""Chinese first: the README's first command prints its selection in Chinese, `--lang en` (before
or after the command) in English; a bad setting and a bad input cell are explained in Chinese by
default, with the dotted key, file, row number and column machine name kept."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core import i18n
from fundalloc.core.errors import InputError, ScenarioError
from fundalloc.core.i18n import use_lang

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "henan-2025.toml"
APPLICANTS = ROOT / "scenarios" / "data" / "henan_applicants_2025.csv"
runner = CliRunner()


@pytest.fixture
def chinese_default(monkeypatch):
    """The language as a fresh machine has it: no FUNDALLOC_LANG, no --lang."""
    monkeypatch.delenv("FUNDALLOC_LANG", raising=False)
    i18n._current.clear()


def flat(text: str) -> str:
    return text.replace("\n", "")


def test_readme_first_command_prints_chinese(tmp_path, chinese_default):
    r = runner.invoke(app, ["select", str(SCENARIO), "--out", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    for word in ("认定名单", "求解状态 最优", "编号", "名称", "所在市", "区域", "评分", "奖励"):
        assert word in r.output, word
    assert "总评分" in r.output and "结果:" in r.output
    assert "郑州中心" in r.output  # the region's Chinese name, not its code
    assert "Designated" not in r.output and "total score" not in r.output


@pytest.mark.parametrize("where", ["after", "before"])
def test_lang_en_prints_english(tmp_path, chinese_default, where):
    out = ["--out", str(tmp_path / "r")]
    args = (
        ["select", str(SCENARIO), *out, "--lang", "en"]
        if where == "after"
        else ["--lang", "en", "select", str(SCENARIO), *out]
    )
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "Designated (5) — status optimal" in r.output
    assert "total score" in r.output and "results:" in r.output
    assert "认定名单" not in r.output and "Zhengzhou" in r.output


def test_bad_setting_is_explained_in_chinese_by_default(tmp_path, chinese_default):
    args = ["select", str(SCENARIO), "--set", "selection.budgt_wan=3000"]
    r = runner.invoke(app, [*args, "--out", str(tmp_path / "r")])
    assert r.exit_code == 2
    text = flat(r.output)
    assert "错误:" in text and "场景参数 'selection.budgt_wan'" in text
    assert "未知参数" in text and "'selection.budget_wan'" in text
    r = runner.invoke(app, [*args, "--out", str(tmp_path / "r"), "--lang", "en"])
    assert r.exit_code == 2
    text = flat(r.output)
    assert "error:" in text and "scenario key 'selection.budgt_wan': unknown key" in text
    assert "did you mean 'selection.budget_wan'?" in text


def test_bad_number_in_chinese_and_english(chinese_default):
    from fundalloc.core.scenario import load_scenario

    with pytest.raises(ScenarioError) as info:
        load_scenario(SCENARIO, ["selection.budget_wan=-3"])
    assert "场景参数 'selection.budget_wan':-3 低于允许的最小值" in str(info.value)
    with use_lang("en"), pytest.raises(ScenarioError) as info:
        load_scenario(SCENARIO, ["selection.budget_wan=-3"])
    assert "is below the smallest allowed value" in str(info.value)


def test_input_error_names_row_and_column_in_chinese(tmp_path, chinese_default):
    table = pd.read_csv(APPLICANTS, dtype=str, keep_default_na=False)
    table.loc[3, "mfg_share"] = "2"
    bad = tmp_path / "bad.csv"
    table.to_csv(bad, index=False)
    args = ["select", str(SCENARIO), "--applicants", str(bad), "--out", str(tmp_path / "r")]
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    assert "bad.csv, 第5行, 列 'mfg_share'" in flat(r.output)
    r = runner.invoke(app, [*args, "--lang", "en"])
    assert "bad.csv, row 5, column 'mfg_share'" in flat(r.output)


def test_input_error_framing():
    with use_lang("zh"):
        assert str(InputError("a.csv", "坏值", row=7, column="mfg_share")) == (
            "a.csv, 第7行, 列 'mfg_share':坏值"
        )
    with use_lang("en"):
        assert str(InputError("a.csv", "bad", row=7, column="mfg_share")) == (
            "a.csv, row 7, column 'mfg_share': bad"
        )


def test_unknown_lang_after_the_command_is_an_error(tmp_path, chinese_default):
    r = runner.invoke(app, ["select", str(SCENARIO), "--lang", "fr", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "zh" in r.output


def test_help_is_chinese_by_default_and_english_with_the_environment():
    code = (
        "from typer.testing import CliRunner\nfrom fundalloc.cli import app\n"
        "r = CliRunner().invoke(app, {args})\nassert r.exit_code == 0, r.output\nprint(r.output)"
    )
    import os
    import subprocess
    import sys

    def run(args, lang):
        env = {k: v for k, v in os.environ.items() if k != "FUNDALLOC_LANG"}
        if lang:
            env["FUNDALLOC_LANG"] = lang
        return subprocess.run(
            [sys.executable, "-c", code.format(args=args)],
            capture_output=True,
            text=True,
            check=True,
            env={**env, "COLUMNS": "200"},
        ).stdout

    root = run("['--help']", None)
    assert "选出认定对象" in root and "FUNDALLOC_LANG" in root
    select = run("['select', '--help']", None)
    assert (
        "选出认定对象" in select and "场景 TOML 文件" in select and "要创建的结果文件夹" in select
    )
    english = run("['select', '--help']", "en")
    assert "Choose which applicants to designate" in english and "Results folder" in english


def test_english_command_help_is_the_docstring():
    from fundalloc import cli

    def words(text: str) -> str:
        return " ".join(text.split())

    with use_lang("en"):
        for name in cli.COMMANDS:
            assert words(i18n.tr(f"help.{name}")) == words(cli.command_docstring(name)), name


def test_awards_shows_each_reading_as_its_meaning_and_clause(tmp_path, chinese_default):
    scenario = ROOT / "scenarios" / "jiaxing-2024.toml"
    r = runner.invoke(app, ["awards", str(scenario), "--out", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    text = flat(r.output)
    assert "按兑付年度的奖励" in text and "条款解读" in text
    assert "后续跨越更高档:补差额(awards.later_higher_tier=top_up)— 条款:" in text
    r = runner.invoke(app, ["awards", str(scenario), "--out", str(tmp_path / "e"), "--lang", "en"])
    assert "pay the difference to the higher tier (awards.later_higher_tier=top_up)" in flat(
        r.output
    )
