"""docs/settings.md is written from the declarations; this keeps the two equal and checks
that every declared key is documented."""

from pathlib import Path

from fundalloc.core.schema import walk
from fundalloc.core.settings_docs import documented_tables, settings_markdown

DOC = Path(__file__).resolve().parents[1] / "docs/settings.md"


def test_docs_equal_the_declarations():
    assert DOC.read_text(encoding="utf-8") == settings_markdown(), (
        "docs/settings.md is stale: python -m fundalloc.core.settings_docs > docs/settings.md"
    )


def test_every_declared_key_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for _, model, prefix in documented_tables():
        for key, _, _ in walk(model, prefix):
            assert f"`{key}`" in text, key
