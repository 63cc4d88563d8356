"""Tables as a person reads them in a report: headers by their labels (core/report.py's
`header_label`), yes/no in words, money with thousands separators, shares as percentages.
The data frames themselves (and the CSV/JSON files) keep their machine names and values."""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd


def _is_money(name: str) -> bool:
    return name.endswith("_wan") or name.endswith("_yuan") or name.endswith(" 万")


def _is_share(name: str) -> bool:
    return (
        name.endswith("_share")
        or name.startswith("share")
        or name.endswith("_rate")
        or name.startswith("prob_")
    )


@lru_cache(maxsize=1)
def _input_words() -> dict[str, dict[str, str]]:
    """Column name -> {code: the first Chinese value declared for it} from the input
    declarations (core/columns.py: 县 → county, 国家级 → national …), read backwards."""
    out: dict[str, dict[str, str]] = {}
    try:
        from fundalloc.core.columns import tables

        for t in tables().values():
            for c in t.columns:
                for word, code in c.aliases.items():
                    if code.isascii() and any(ord(ch) > 0x2E80 for ch in word):
                        out.setdefault(c.name, {}).setdefault(code, word)
    except Exception:  # the declarations are optional here
        pass
    return out


def status_word(status: str) -> str:
    """A solver status (a machine word in summary.json) as a person reads it."""
    from fundalloc.core.i18n import tr

    words = {
        "optimal": tr("status.optimal"),
        "time_limit": tr("status.time_limit"),
        "infeasible": tr("status.infeasible"),
        "error": tr("status.error"),
    }
    return words.get(status, status)


def award_name(code: str) -> str:
    """A Jiaxing award type's name in the language in force (the code for an unknown one)."""
    from fundalloc.core.i18n import tr

    names = {
        "revenue_tier": tr("award_name.revenue_tier"),
        "growth": tr("award_name.growth"),
        "service_mfg_demo": tr("award_name.service_mfg_demo"),
        "industrial_design": tr("award_name.industrial_design"),
        "platform": tr("award_name.platform"),
    }
    return names.get(code, code)


def value_word(name: str, value: str) -> str:
    """A code word of an output column as a person reads it (Chinese by default): solver
    status, evaluation outcome, award type, and the coded values of the inputs."""
    from fundalloc.core.i18n import lang

    if lang() == "en":
        return value
    if name == "status":
        return status_word(value)
    if name == "outcome":
        from fundalloc.core.i18n import tr

        words = {
            "commended": tr("outcome.commended"),
            "kept": tr("outcome.kept"),
            "delisted": tr("outcome.delisted"),
        }
        return words.get(value, value)
    if name == "award":
        return award_name(value)
    if name == "region":
        from fundalloc.core.report import _GROUP_NAMES

        return _GROUP_NAMES().get(value, value)
    return _input_words().get(name, {}).get(value, value)


def cell_text(name: str, value) -> str:
    """One value of column `name` as shown."""
    from fundalloc.core.i18n import tr

    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value_word(name, value)
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return tr("report.yes") if value else tr("report.no")
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        try:
            x = float(value)
        except (TypeError, ValueError):
            return str(value)
        if math.isnan(x):
            return ""
        if _is_share(name) and abs(x) <= 1.5:
            return f"{x:.1%}"
        if _is_money(name):
            return f"{x:,.0f}" if x == round(x) or abs(x) >= 1000 else f"{x:,.2f}"
        if x == round(x) and abs(x) < 1e15 and not isinstance(value, float):
            return f"{int(x)}"
        return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"
    if isinstance(value, (list, tuple)):
        return " ".join(map(str, value))
    return str(value)


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with labelled headers and every cell as text."""
    from fundalloc.core.report import header_label

    out = pd.DataFrame(
        {
            header_label(str(c)): [cell_text(str(c), v) for v in frame.iloc[:, j].tolist()]
            for j, c in enumerate(frame.columns)
        }
    )
    return out


def width(text: str) -> int:
    """Display width: a CJK character takes two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most `columns` display columns; breaks between words, or anywhere in CJK."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line, used = "", 0
        tokens = _tokens(para)
        for tok in tokens:
            w = width(tok)
            if used + w > columns and line.strip():
                lines.append(line.rstrip())
                line, used = "", 0
                if tok == " ":
                    continue
            line += tok
            used += w
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Latin words and spaces stay whole; each CJK character is its own token."""
    import unicodedata

    out: list[str] = []
    word = ""
    for ch in text:
        if ch == " " or unicodedata.east_asian_width(ch) in "WF":
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out
