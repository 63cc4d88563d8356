"""Shared test set-up. The existing tests assert English words in messages and tables: they run
in English (FUNDALLOC_LANG=en); tests of the Chinese default (tests/test_chinese_first.py) set
the language themselves. The language chosen by a CLI test's --lang is reset after each test."""

import pytest

from fundalloc.core import i18n


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    monkeypatch.setenv("FUNDALLOC_LANG", "en")
    saved = list(i18n._current)
    i18n._current.clear()
    yield
    i18n._current[:] = saved
