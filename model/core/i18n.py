"""The language of everything a person reads: Chinese (zh-CN) by default, English on a switch.

One place for every string: the message table `model/core/messages.toml` and the area files
beside it in `model/core/messages/*.toml` (one per job: simulation, selection, app …), one entry
per key with its `zh` and `en` text (Python format fields allowed: "{n} 个"). A key declared in
two files is an error. Labels of settings and
columns are not repeated there: they come from their declarations (`setting(zh=, en=)`,
`Column(zh=, en=)`) through `label()`. Machine names — CSV/JSON columns, summary.json keys,
scenario keys — never change with the language.

The language is chosen by `--lang zh|en` (commands), else the environment variable
FUNDALLOC_LANG, else zh. Within a `use_lang` block (a context variable: it holds for this
thread / task only) or for a session of the app (`session_lang`: a hook the app registers that
returns the browser session's own choice, so one session's switch leaves the others alone) the
language is that one. tests/test_i18n.py checks that every key used in the code has both
texts and that no entry is unused.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

import tomllib

LANGS = ("zh", "en")
MESSAGES = Path(__file__).with_name("messages.toml")
AREAS = Path(__file__).with_name("messages")
_current: list[str] = []  # set by set_lang() for the process; empty = from the environment
_block: ContextVar[str | None] = ContextVar("fundalloc_lang", default=None)  # use_lang()
# The app's hook: the language of the browser session being served, or None outside one.
session_lang: Callable[[], str | None] | None = None


def lang() -> str:
    """The language in force: `use_lang`, else the app session's, else `set_lang`'s, else
    FUNDALLOC_LANG, else zh."""
    block = _block.get()
    if block is not None:
        return block
    session = session_lang() if session_lang is not None else None
    if session in LANGS:
        return str(session)
    if _current:
        return _current[-1]
    env = os.environ.get("FUNDALLOC_LANG", "zh").strip().lower()
    return "en" if env.startswith("en") else "zh"


def set_lang(value: str | None) -> None:
    """Choose the language for the rest of the process (the CLI's --lang)."""
    if value is None:
        return
    value = value.strip().lower()
    if value not in LANGS:
        from fundalloc.core.errors import FundallocError

        raise FundallocError(f"--lang {value}: give zh (中文) or en (English)")
    _current[:] = [value]


@contextmanager
def use_lang(value: str) -> Iterator[None]:
    """Within the block, speak `value` (this thread or task only: a context variable)."""
    token = _block.set(value)
    try:
        yield
    finally:
        _block.reset(token)


def catalogue_files() -> list[Path]:
    """The main table first, then the area files in name order."""
    return [MESSAGES, *sorted(AREAS.glob("*.toml"))]


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for path in catalogue_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for key, entry in data.items():
            if not isinstance(entry, dict):
                continue
            if key in merged:
                raise KeyError(f"message '{key}' is declared in {where[key]} and {path.name}")
            merged[key] = entry
            where[key] = path.name
    return merged


def tr(key: str, **fields: Any) -> str:
    """The text of message `key` in the language in force, with its fields filled in."""
    entry = table().get(key)
    if entry is None:
        raise KeyError(f"message '{key}' is not in {MESSAGES.name} or messages/*.toml")
    text = entry[lang()]
    return text.format(**fields) if fields else text


def pick(zh: str, en: str) -> str:
    """One of two texts declared together (labels of settings and columns)."""
    return zh if lang() == "zh" else en


def label(info: Any) -> str:
    """The label of a declared setting (a pydantic FieldInfo with zh/en) in the language."""
    extra = getattr(info, "json_schema_extra", None) or {}
    return pick(extra.get("zh", ""), extra.get("en", ""))
