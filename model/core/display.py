"""Tables as a person reads them in a report: headers by their labels (core/report.py's
`header_label`), yes/no in words, money with thousands separators, shares as percentages.
The data frames themselves (and the CSV/JSON files) keep their machine names and values."""

from __future__ import annotations

import math

import pandas as pd


def _is_money(name: str) -> bool:
    return name.endswith("_wan") or name.endswith("_yuan")


def _is_share(name: str) -> bool:
    return (
        name.endswith("_share")
        or name.startswith("share")
        or name.endswith("_rate")
        or name.startswith("prob_")
    )


def cell_text(name: str, value) -> str:
    """One value of column `name` as shown."""
    from fundalloc.core.i18n import tr

    if value is None or value is pd.NA or value is pd.NaT:
        return ""
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
