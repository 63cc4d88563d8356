"""One typed declaration per input column, and the one reader that checks a file against it.

A `Column` is a header cell of a user table: its machine name (the header text, never
translated or renamed), its kind, unit, allowed range (open or closed ends) or choices with the
aliases accepted for them, when a value is required, a Chinese and an English label, one line
of help and, for a legal number, the clause it comes from. A `Table` is the columns of one input
file plus its duplicate-key rules (`Unique`). `read(table, path)` reads a CSV/XLSX file and
`check`s it: every declared column cell by cell, then the keys; it returns the typed arrays, and
every error names the file, the spreadsheet row (the header is row 1) and the column. Columns
the declaration does not know are kept, as read, in `Rows.frame`.

Each reader in fundalloc.inputs declares its tables with these and adds only the checks that
span rows or files (at most N per city, a recognition's firm must be in the firm file).
`tables()` (also `TABLES`) lists every declared input; `python -m fundalloc.core.columns >
docs/inputs.md` writes the column tables of the docs from them (tests/test_inputs_docs.py
keeps the two equal).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from fundalloc.core.errors import InputError
from fundalloc.core.i18n import pick, tr
from fundalloc.core.tables import (
    ENCODING_NAMES,
    MONEY,
    choice,
    header_keys,
    numeric,
    read_table,
    require_columns,
    sheet_row,
    text,
    yes_no,
)

log = logging.getLogger("fundalloc.inputs")
KINDS = ("id", "text", "number", "whole number", "year", "choice", "yes/no")
# any year column; a typo like 224 or 20205 is caught, with its row
YEAR_RANGE: tuple[int, int] = (1980, 2100)


@dataclass(frozen=True, eq=False)
class When:
    """A value required only in some rows: where an earlier column of the same row has one of
    `values` (its canonical value), or wherever the reader is called with `flag` set (a
    scenario key such as evaluation.recheck_pilot)."""

    column: str | None = None
    values: tuple[str, ...] = ()
    flag: str | None = None

    def __post_init__(self):
        if (self.column is None) == (self.flag is None):
            raise ValueError("When needs a column (with values) or a flag, not both")

    def words(self) -> str:
        if self.flag:
            return f"if {self.flag} = true"
        return f"if {self.column} is {' or '.join(self.values)}"


def hint_words(hint: str | None) -> str | None:
    """A column's hint in the language in force (the declared hints are English)."""
    from fundalloc.core.i18n import tr

    known = {
        "give shares as fractions (0.35 for 35 %), as 35%, or the whole column as percents": tr(
            "table.hint_share"
        ),
        "give growth as a fraction (0.18 for 18 %)": tr("table.hint_growth"),
    }
    return known.get(hint, hint) if hint else hint


@dataclass(frozen=True, eq=False)
class Column:
    """One column of an input table. `required`: True (every cell), False (cells may be empty)
    or a `When`; `optional`: the column may be left out of the file (then all cells are empty).
    `word` and `hint` shape the message for a value above `max` ("share 1.3 is above 1: give
    shares as fractions")."""

    name: str
    kind: str
    zh: str
    en: str
    help: str
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    min_open: bool = False
    max_open: bool = False
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    required: bool | When = True
    optional: bool = False
    clause: str | None = None
    word: str = "value"
    hint: str | None = None
    # header texts accepted besides `name` and `zh` (Chinese synonyms officers write)
    aliases_header: tuple[str, ...] = ()
    # a fraction: "" (a plain number), "fraction" (42.1% accepted), "percent" (42.1% and, in a
    # column where some plain number is above 1, 42.1 as percent points)
    share: str = ""

    def __post_init__(self):
        if self.share not in ("", "fraction", "percent"):
            raise ValueError(f"column {self.name}: share is '', 'fraction' or 'percent'")
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: kind '{self.kind}' is not one of {KINDS}")
        if self.kind == "year":
            lo, hi = YEAR_RANGE
            object.__setattr__(self, "min", lo if self.min is None else self.min)
            object.__setattr__(self, "max", hi if self.max is None else self.max)
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"column {self.name}: choices go with kind 'choice' only")
        bad = [a for a, c in self.aliases.items() if c not in self.choices]
        if bad:
            raise ValueError(f"column {self.name}: aliases {bad} name no declared choice")

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "whole number", "year")

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header text read as this column: its name, Chinese label and aliases."""
        return tuple(dict.fromkeys((self.name, self.zh, *self.aliases_header)))

    def typed_words(self) -> str:
        """How numbers may be typed beyond plain decimals (docs/inputs.md)."""
        if self.share == "percent":
            return "0.421, 42.1% or 42.1 (a column whose numbers are above 1 is in %)"
        if self.share == "fraction":
            return "0.18 or 18%"
        if self.unit == "万元":
            return "3000, 3,000, 3000万 or 0.3亿"
        if self.unit == "亿元":
            return "300, 300亿 or 3000000万"
        return ""

    def range_words(self) -> str:
        """The allowed range in interval notation, e.g. [0, 1], (0, ∞), ≥ 0."""
        lo, hi = self.min, self.max
        if lo is not None and hi is not None:
            return f"{'(' if self.min_open else '['}{lo:g}, {hi:g}{')' if self.max_open else ']'}"
        if lo is not None:
            return f"{'>' if self.min_open else '≥'} {lo:g}"
        if hi is not None:
            return f"{'<' if self.max_open else '≤'} {hi:g}"
        return ""

    def choice_words(self) -> str:
        """Each choice with the aliases accepted for it, e.g. `tech_info` (科技信息)."""
        out = []
        for c in self.choices:
            same = [a for a, v in self.aliases.items() if v == c]
            out.append(f"`{c}`" + (f" ({', '.join(same)})" if same else ""))
        return ", ".join(out)

    def required_words(self) -> str:
        if isinstance(self.required, When):
            return self.required.words() + ("; column may be left out" if self.optional else "")
        if self.optional:
            return "optional"
        return "yes" if self.required else "column yes; cells may be empty"


@dataclass(frozen=True, eq=False)
class Unique:
    """No two rows share these columns' values. `message` is formatted with the values of the
    later row (by column name) and `first`, the row that used them first; the error names
    `column` (default: the last key column)."""

    columns: tuple[str, ...]
    message: str
    column: str | None = None

    def words(self) -> str:
        return " + ".join(self.columns)


@dataclass(frozen=True, eq=False)
class Table:
    """The declared columns of one input file, in checking order."""

    name: str
    zh: str
    en: str
    help: str
    columns: tuple[Column, ...]
    unique: tuple[Unique, ...] = ()

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for col in self.columns:
            if col.name in seen:
                raise ValueError(f"table {self.name}: column {col.name} declared twice")
            when = col.required if isinstance(col.required, When) else None
            if when is not None and when.column is not None and when.column not in seen:
                raise ValueError(
                    f"table {self.name}: {col.name} depends on {when.column}, "
                    "which must be declared before it"
                )
            seen.add(col.name)
        for u in self.unique:
            if not set(u.columns) <= seen:
                raise ValueError(f"table {self.name}: unique key {u.columns} is not declared")

    def __getitem__(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def header(self) -> tuple[str, ...]:
        """The columns every file must have."""
        return tuple(c.name for c in self.columns if not c.optional)

    def header_names(self) -> dict[str, str]:
        """Header text → machine name, for every column's `headers`."""
        out: dict[str, str] = {}
        for col in self.columns:
            for written in col.headers:
                if out.setdefault(written, col.name) != col.name:
                    raise ValueError(f"table {self.name}: header '{written}' names two columns")
        return out


@dataclass
class Rows:
    """A file checked against its table: the text as read (optional columns added empty,
    unknown columns kept) and one typed array per declared column."""

    path: Path
    frame: pd.DataFrame
    values: dict[str, np.ndarray]

    @property
    def encoding(self) -> str | None:
        """How the file was read: UTF-8, UTF-8 with BOM, GBK/GB18030, Excel workbook."""
        code = self.frame.attrs.get("encoding")
        return ENCODING_NAMES.get(code, code) if code else None

    @property
    def sheet_rows(self) -> tuple[int, ...]:
        """The spreadsheet row of each record (titles above the header and blank rows skipped)."""
        return self.frame.attrs.get("rows") or tuple(range(2, len(self.frame) + 2))

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]

    def __len__(self) -> int:
        return len(self.frame)


def read(table: Table, path: str | Path, *, flags: Mapping[str, bool] | None = None) -> Rows:
    """Read one input file and `check` it."""
    path = Path(path)
    rows = check(table, _frame(table, path), path, flags=flags)
    log.info("%s: read as %s", path, rows.encoding)
    return rows


def check(
    table: Table, frame: pd.DataFrame, path: str | Path, *, flags: Mapping[str, bool] | None = None
) -> Rows:
    """Check a frame of text cells (as `read_table` gives) against its table.
    Numbers come back as floats (NaN where empty), years as int64 where every cell is
    required, choices as canonical values ("" where empty), yes/no as bools, ids and text as
    text. `flags` switches the When(flag=...) requirements (e.g. evaluation.recheck_pilot)."""
    path = Path(path)
    try:
        require_columns(frame, path, table.header)
    except InputError as exc:
        missing = next(c for c in table.header if c not in frame.columns)
        raise InputError(path, exc.detail, row=1, column=missing) from None
    for col in table.columns:
        if col.optional and col.name not in frame.columns:
            frame[col.name] = ""
    percent = _check_header_units(table, frame, path)
    values: dict[str, np.ndarray] = {}
    for col in table.columns:
        must = _required(col, values, len(frame), flags or {})
        values[col.name] = _parse(col, frame, path, must, col.name in percent)
    for u in table.unique:
        _unique(u, values, path)
    _say_ignored(table, frame, path)
    return Rows(path, frame, values)


# columns officers add for themselves: read past without a word
NOTE_HEADERS = frozenset({"序号", "备注", "说明", "附注", "no", "no.", "notes", "note", "remarks"})


def _say_ignored(table: Table, frame: pd.DataFrame, path: Path) -> None:
    """A column the table does not declare is not read as an input: say so (a warning in the
    terminal and the run's log), so that a misspelt header is never dropped without a word."""
    declared = {c.name for c in table.columns}
    extra = [
        str(c)
        for c in frame.columns
        if c not in declared and str(c).strip().lower() not in NOTE_HEADERS
    ]
    if extra:
        log.warning(tr("table.ignored_columns", path=path, columns="、".join(extra)))


def _frame(table: Table, path: Path) -> pd.DataFrame:
    """read_table, naming the header cell to fix even for an empty file."""
    first = table.header[0]
    if path.is_dir():  # e.g. --set awards.recognitions="" resolves to the working folder
        raise InputError(
            path,
            tr("input.is_folder"),
        )
    try:
        frame = read_table(path, table.header_names(), need=min(2, len(table.header)))
    except InputError as exc:
        if "empty" in exc.detail:
            raise InputError(
                path,
                f"{exc.detail}; expected the header {', '.join(table.header)}",
                row=1,
                column=first,
            ) from None
        if "no records" in exc.detail:
            raise InputError(path, exc.detail, row=2, column=first) from None
        raise
    return frame


def _required(col: Column, values: dict, n: int, flags: Mapping[str, bool]) -> np.ndarray:
    need = col.required
    if isinstance(need, When):
        if need.flag is not None:
            return np.full(n, bool(flags.get(need.flag, False)))
        return np.isin(values[need.column], list(need.values))
    return np.full(n, bool(need))


def _check_header_units(table: Table, frame: pd.DataFrame, path: Path) -> set[str]:
    """A unit in brackets in a header cell ("上年营业收入(万元)") must be the column's unit: a
    亿元 column given in 万元 would be off by 10 000. Returns the share columns whose header
    says %, where every plain number is percent points."""
    percent: set[str] = set()
    for name, written in frame.attrs.get("header_text", {}).items():
        if name not in table.names:
            continue
        col, (_, said) = table[name], header_keys(written)
        if said is None:
            continue
        if col.share and said == "%":
            percent.add(name)
        elif col.unit in MONEY and said in MONEY[col.unit] and said.rstrip("元") != col.unit[0]:
            raise InputError(
                path,
                tr("input.header_unit_clash", written=written, said=said, name=name, unit=col.unit),
                row=1,
                column=name,
            )
    return percent


def _parse(
    col: Column, frame: pd.DataFrame, path: Path, must: np.ndarray, percent: bool = False
) -> np.ndarray:
    if col.kind in ("id", "text"):
        return text(frame, path, col.name, must, what="id" if col.kind == "id" else "value")
    if col.kind == "choice":
        return choice(
            frame, path, col.name, col.choices, aliases=dict(col.aliases), required_mask=must
        )
    if col.kind == "yes/no":
        return yes_no(frame, path, col.name, must)
    values = numeric(
        frame,
        path,
        col.name,
        required_mask=must,
        min_value=col.min,
        max_value=col.max,
        min_inclusive=not col.min_open,
        max_inclusive=not col.max_open,
        integer=col.kind != "number",
        word=pick(col.zh, col.word),
        hint=hint_words(col.hint),
        unit=col.unit,
        share=col.share,
        percent_header=percent,
    )
    if col.kind == "year" and col.required is True:
        return values.astype(np.int64)
    return values


def _unique(u: Unique, values: dict, path: Path) -> None:
    keys = pd.DataFrame({c: values[c] for c in u.columns})
    dup = keys.duplicated(keep="first").to_numpy()
    if dup.any():
        i = int(np.argmax(dup))
        first = int(np.argmax((keys == keys.iloc[i]).all(axis=1).to_numpy()))
        words = u.message.format(**{c: values[c][i] for c in u.columns}, first=sheet_row(first))
        raise InputError(path, words, sheet_row(i), u.column or u.columns[-1])


# ----------------------------------------------------------------------------- the registry


def tables() -> dict[str, Table]:
    """Every declared input table, by machine name, in the order of docs/inputs.md."""
    from fundalloc.inputs import applicants, batches, jiangsu
    from fundalloc.inputs import jiaxing_tables as firms

    found = (
        applicants.APPLICANTS,
        jiangsu.APPLICANTS,
        jiangsu.PERFORMANCE,
        firms.FIRMS,
        firms.RECOGNITIONS,
        firms.PLATFORMS,
        batches.PROPOSALS,
    )
    return {t.name: t for t in found}


def __getattr__(name: str):
    if name == "TABLES":  # lazy: the input modules import this one
        return tables()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    from fundalloc.core.columns_doc import markdown

    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper
    sys.stdout.write(markdown())
