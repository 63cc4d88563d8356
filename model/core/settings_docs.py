"""docs/settings.md, written from the declarations: one table per scenario table, one row per key.

    python -m fundalloc.core.settings_docs > docs/settings.md

tests/test_settings_docs.py fails when the file and the declarations disagree, so the docs can
never describe a key that does not exist or miss one that does.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from fundalloc.core.schema import Section, choices, expectation, meta, walk

HEADER = """# Scenario keys

Every key a scenario may set, as declared in the code (`fundalloc.core.schema`): written by
`python -m fundalloc.core.settings_docs > docs/settings.md`; a test keeps this file and the
declarations equal. Any key can be changed for one run with `--set table.key=value` (a TOML
literal: numbers without quotes or thousands separators, `true`/`false`, lists in brackets).
An unknown key, a value of the wrong type, `nan` or `inf` stops the run with the key's name.

Legal numbers (the thresholds of the notices) are not scenario keys but entries of the policy
files in `scenarios/policies/`, each with its clause; a scenario may override one as a what-if.
"""


def _default(info: Any) -> str:
    if info.default_factory is not None:
        value = info.default_factory()
    elif info.default is PydanticUndefined:
        return "required"
    else:
        value = info.default
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value).replace("'", '"')


def _cell(text: Any) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def table_markdown(title: str, model: type[BaseModel], prefix: str) -> list[str]:
    doc = " ".join((model.__doc__ or "").split())
    lines = [
        f"## {title}",
        "",
        doc,
        "",
        "| key | 中文 | default | allowed | meaning | clause |",
        "|---|---|---|---|---|---|",
    ]
    for key, info, _ in walk(model, prefix):
        m = meta(info)
        allowed = expectation(info)
        opts = m.get("options")
        if opts and (values := choices(info.annotation)):
            allowed = "; ".join(f"`{c}` {opts[c][0]}" if c in opts else f"`{c}`" for c in values)
        lines.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f"`{key}`",
                    m.get("zh"),
                    _default(info),
                    allowed,
                    info.description,
                    m.get("clause"),
                )
            )
            + " |"
        )
    return lines + [""]


def policy_markdown(name: str, model: type[Section]) -> list[str]:
    """One row per legal number of a bundled policy file: its value, unit and clause."""
    from fundalloc.rules.legal import POLICIES, load_policy_file

    policy = load_policy_file(POLICIES / name, model)
    lines = [
        f"## scenarios/policies/{name}",
        "",
        f"{policy.title} — source `{policy.source}`.",
        "",
        "| number | 中文 | value | unit | clause |",
        "|---|---|---|---|---|",
    ]
    for key, info in model.model_fields.items():
        entry = getattr(policy, key)
        if hasattr(entry, "clause"):
            lines.append(
                "| "
                + " | ".join(
                    _cell(x)
                    for x in (
                        f"`{key}`",
                        meta(info).get("zh"),
                        entry.value,
                        entry.unit,
                        entry.clause,
                    )
                )
                + " |"
            )
    return lines + [""]


def documented_tables() -> list[tuple[str, type, str]]:
    """(title, declaration, dotted prefix) of every declared table of every rule set."""
    from fundalloc.core.settings import declarations
    from fundalloc.selection.rulesets import RULESETS

    seen: set[type] = set()
    out = []
    for rules in RULESETS:
        for name, (model, _) in declarations(rules).items():
            if model in seen:
                continue
            seen.add(model)
            rule_sets = [r for r in RULESETS if declarations(r).get(name, (None,))[0] is model]
            where = "" if len(rule_sets) == len(RULESETS) else f' (rules = "{rule_sets[0]}")'
            out.append((f"[{name}]{where}", model, name))
    return out


def settings_markdown() -> str:
    """The page, in English with a Chinese column (the same whatever FUNDALLOC_LANG says)."""
    from fundalloc.core.i18n import use_lang

    with use_lang("en"):
        return _markdown()


def _markdown() -> str:
    from fundalloc.core.settings import policy_declarations

    lines = [HEADER]
    for title, model, prefix in documented_tables():
        lines += table_markdown(title, model, prefix)
    lines += [
        "# Policy files",
        "",
        "The legal numbers of each programme, one table per number "
        "(`value`, `unit`, `clause`) in `scenarios/policies/`.",
        "",
    ]
    for name, model in policy_declarations().items():
        lines += policy_markdown(name, model)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(settings_markdown(), end="")
