"""The row format of the selection model: what every constraint definer (model/selection/rules.py)
and the award columns (levels.py) yield, and what both builds consume — Pyomo (model.py) and
highspy (direct.py) — so that the two builds cannot drift apart.

A `Rows` is one constraint component: lower_r ≤ Σ coef · column ≤ upper_r, one row per key.
Columns are named by family: "x" (designate applicant i), "award" (applicant i's award in 万,
however the award columns make it up: levels.py), the award columns themselves ("n", or the
tier binaries "v", "u") and any family a rule declares for itself (`Columns`, e.g. one binary
per regional group). Terms are numpy arrays rather than one object per coefficient, so the
highspy build of 10,000 applicants runs no Python loop per row; within a row, terms keep the
order given, which is the order Pyomo sees them in (and so the order of HiGHS's columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

INF = np.inf


@dataclass
class Terms:
    """Coefficients of one column family: entry e adds coef[e] · family[index[e]] to row[e]."""

    family: str
    row: np.ndarray
    index: np.ndarray
    coef: np.ndarray


@dataclass
class Rows:
    """One constraint component; a rule's own rows carry the rule's name."""

    name: str
    keys: list  # one per row; [None] for a single row (a scalar component)
    terms: list[Terms]
    lower: np.ndarray  # -inf where a row has no lower bound
    upper: np.ndarray  # +inf where a row has no upper bound


@dataclass
class Columns:
    """Columns a definer needs besides x and the award columns (bounds, integer or not);
    `keys` index the Pyomo variable (None: a scalar)."""

    family: str
    keys: list | None
    lower: float
    upper: float
    integer: bool

    @property
    def size(self) -> int:
        return 1 if self.keys is None else len(self.keys)


@dataclass
class Definition:
    """A definer's output: its rows, and the extra columns they use."""

    rows: list[Rows]
    columns: list[Columns] = field(default_factory=list)


def bounds(count: int, lower: Any = -INF, upper: Any = INF) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.broadcast_to(np.asarray(lower, float), (count,)).copy(),
        np.broadcast_to(np.asarray(upper, float), (count,)).copy(),
    )


def single(name: str, terms: list[Terms], lower: float = -INF, upper: float = INF) -> Rows:
    """One row (a scalar component); the terms' `row` arrays are all 0."""
    lo, up = bounds(1, lower, upper)
    return Rows(name, [None], terms, lo, up)


def each(family: str, n: int, coef: Any = 1.0) -> Terms:
    """coef_i · family_i in row i, for i = 0 … n−1 (one row per applicant)."""
    idx = np.arange(n)
    return Terms(family, idx, idx, np.broadcast_to(np.asarray(coef, float), (n,)).copy())


def all_in_one(family: str, n: int, coef: Any = 1.0) -> Terms:
    """Σ_i coef_i · family_i in row 0."""
    return Terms(
        family,
        np.zeros(n, int),
        np.arange(n),
        np.broadcast_to(np.asarray(coef, float), (n,)).copy(),
    )


def sums(family: str, members: Sequence[np.ndarray], coef: float = 1.0) -> Terms:
    """Σ_{i in members[r]} coef · family_i in row r."""
    sizes = [len(m) for m in members]
    index = np.concatenate([np.asarray(m, int) for m in members]) if members else np.zeros(0, int)
    return Terms(
        family,
        np.repeat(np.arange(len(members)), sizes),
        index.astype(int),
        np.full(len(index), float(coef)),
    )


def one_each(family: str, count: int, index: Any = 0, coef: float = 1.0) -> Terms:
    """coef · family[index] in every row r < count (e.g. a fixed column added to every row)."""
    return Terms(
        family,
        np.arange(count),
        np.broadcast_to(np.asarray(index, int), (count,)).copy(),
        np.full(count, float(coef)),
    )


def row_values(rows: Rows, values: dict[str, np.ndarray]) -> np.ndarray:
    """Σ coef · value for every row, given the value of each family the rows use."""
    out = np.zeros(len(rows.keys))
    for t in rows.terms:
        v = np.asarray(values[t.family], float)
        out += np.bincount(t.row, weights=t.coef * v[t.index], minlength=len(rows.keys))
    return out


def broken_rows(rows: Rows, values: dict[str, np.ndarray], tol: float = 1e-9):
    """(position, key, value) of every row the given values break."""
    lhs = row_values(rows, values)
    bad = (lhs < rows.lower - tol) | (lhs > rows.upper + tol)
    return [(r, rows.keys[r], float(lhs[r])) for r in np.flatnonzero(bad)]
