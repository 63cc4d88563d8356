"""One place for every string: each message has a Chinese and an English text, every key the
code uses is in the table, and every key in the table is used."""

import re
from pathlib import Path

import pytest

from fundalloc.core.i18n import lang, set_lang, table, tr, use_lang

ROOT = Path(__file__).resolve().parents[1]
USE = re.compile(r"""\btr\(\s*["']([a-z0-9_.]+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "model").rglob("*.py"):
        keys |= set(USE.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_message_has_both_languages():
    for key, entry in table().items():
        assert entry.get("zh") and entry.get("en"), key
        fields = lambda s: sorted(re.findall(r"{(\w+)", s))  # noqa: E731
        assert fields(entry["zh"]) == fields(entry["en"]), key


def test_every_key_used_is_declared_and_every_declared_key_is_used():
    declared = set(table())
    assert used_keys() - declared == set()
    assert declared - used_keys() == set()


def test_language_switch():
    with use_lang("en"):
        assert tr("results_at", path="x") == "results: x"
    with use_lang("zh"):
        assert tr("results_at", path="x") == "结果:x"


def test_environment_chooses_the_language(monkeypatch):
    monkeypatch.setenv("FUNDALLOC_LANG", "en")
    assert lang() == "en"
    monkeypatch.setenv("FUNDALLOC_LANG", "zh_CN.UTF-8")
    assert lang() == "zh"


def test_unknown_language_is_an_error():
    from fundalloc.core.errors import FundallocError

    with pytest.raises(FundallocError, match="zh"):
        set_lang("fr")


def test_a_key_declared_in_two_catalogue_files_is_an_error(tmp_path, monkeypatch):
    from fundalloc.core import i18n

    (tmp_path / "a.toml").write_text('[results_at]\nzh = "x"\nen = "x"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "AREAS", tmp_path)
    i18n.table.cache_clear()
    try:
        with pytest.raises(KeyError, match="results_at"):
            i18n.table()
    finally:
        i18n.table.cache_clear()
