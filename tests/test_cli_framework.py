"""The command line's own words (commands/framework.py): Typer and click write "Usage:",
"Options", "[required]" and "Error: Missing argument …" in English; fundalloc's help and usage
errors say them in the language — Chinese by default, English on the switch — with the option
names and what the user typed left as typed, and the exit code of a usage error (2)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.commands.framework import help_words, message

BASELINE = "scenarios/jiaxing-sim-baseline.toml"
ENGLISH = ("Usage:", "Error:", "Try '", "Missing", "No such", "Invalid value", "Got unexpected")


def run(args, monkeypatch, lang="zh"):
    monkeypatch.setenv("FUNDALLOC_LANG", lang)
    return CliRunner().invoke(app, args, prog_name="fundalloc")


@pytest.mark.parametrize(
    "args, words",
    [
        (["simulate"], "错误: 缺少参数 'scenario'。"),
        (["simulat"], "错误: 没有命令 'simulat'。是否要用 'simulate'?"),
        (["nosuch"], "错误: 没有命令 'nosuch'。"),
        (["simulate", BASELINE, "--runs", "abc"], "错误: '--runs' 的值无效: 应为整数。"),
        (["simulate", BASELINE, "--runz", "3"], "错误: 没有选项 --runz(可能是: --runs)。"),
        (["simulate", BASELINE, "extra"], "错误: 多余的参数: extra"),
        (["simulate", BASELINE, "--runs"], "错误: 选项 '--runs' 需要一个值。"),
    ],
)
def test_a_usage_error_speaks_chinese_by_default(monkeypatch, args, words):
    r = run(args, monkeypatch)
    assert r.exit_code == 2, r.output
    assert words in r.output, r.output
    for english in ENGLISH:
        assert english not in r.output, (english, r.output)


def test_the_usage_line_and_help_hint_are_in_chinese(monkeypatch):
    r = run(["simulate"], monkeypatch)
    assert r.output.startswith("用法: fundalloc simulate [选项] {scenario}\n"), r.output
    assert "运行 'fundalloc simulate --help' 查看帮助。" in r.output


def test_english_on_the_switch(monkeypatch):
    r = run(["simulate"], monkeypatch, lang="en")
    assert r.exit_code == 2
    assert "Usage: fundalloc simulate [OPTIONS] {scenario}" in r.output
    assert "Try 'fundalloc simulate --help' for help." in r.output
    assert "error: Missing argument 'scenario'." in r.output
    r = run(["--lang", "en", "simulat"], monkeypatch)
    assert "No such command 'simulat'. Did you mean 'simulate'?" in r.output, r.output


def test_help_headings_and_framework_words_in_chinese(monkeypatch):
    r = run(["simulate", "--help"], monkeypatch)
    assert r.exit_code == 0, r.output
    for words in (
        "用法: fundalloc simulate [选项]",
        "\n参数:\n",
        "\n选项:\n",
        "[必填]",
        "[默认: local]",
    ):
        assert words in r.output, words
    assert "显示本帮助并退出。" in r.output
    for english in ("Usage:", "Arguments:", "Options:", "[required]", "default:", "Show this"):
        assert english not in r.output, english
    group = run(["--help"], monkeypatch)
    assert "\n命令:\n" in group.output and "用法: fundalloc [选项] 命令 [参数]..." in group.output
    assert "Commands:" not in group.output


def test_english_help_keeps_typers_words(monkeypatch):
    r = run(["simulate", "--help"], monkeypatch, lang="en")
    for words in ("Usage: fundalloc simulate [OPTIONS]", "Arguments:", "Options:", "[required]"):
        assert words in r.output, words
    assert "[default: local]" in r.output and "Show this message and exit." in r.output


def test_no_arguments_show_the_help(monkeypatch):
    r = run([], monkeypatch)
    assert "用法: fundalloc [选项] 命令 [参数]..." in r.output and "命令:" in r.output
    assert "错误" not in r.output


def test_a_message_the_table_does_not_know_is_kept(monkeypatch):
    monkeypatch.setenv("FUNDALLOC_LANG", "zh")
    assert message("Something new in click 9.") == "Something new in click 9."
    assert message("Invalid value for '--x': a reason of its own") == (
        "'--x' 的值无效: a reason of its own"
    )
    assert message("Invalid value for 'p': Path 'a b.csv' does not exist.") == (
        "'p' 的值无效: 路径 'a b.csv' 不存在。"
    )
    assert message("Missing option '--out'.") == "缺少选项 '--out'。"
    # our own help text ending in brackets is left alone; only Typer's trailing part changes
    assert help_words("见 [simulation]") == "见 [simulation]"
    assert help_words("预算  [default: 8000; required]") == "预算  [默认: 8000; 必填]"
