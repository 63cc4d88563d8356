"""Sparse rows in compressed form (CSR: indptr, indices, data), as HiGHS takes them, built
with numpy alone. Why not scipy.sparse: importing it costs more (~0.3 s) than every small
selection's build, and the build needs only three operations — rows from (row, column,
value) triplets with duplicates added, a product with the award map, and stacking.

The results are scipy's: canonical rows (sorted columns, one entry per column, explicit
zeros kept as csr_matrix keeps them) and, in a product, zero sums dropped as scipy's
matrix product drops them (tests/test_sparse_rows.py compares the two)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INDEX = np.int32  # HiGHS's index type, and scipy's for matrices of this size


@dataclass(frozen=True)
class Rows:
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def of(cls, row, col, value, shape: tuple[int, int]) -> Rows:
        """From triplets; entries on one (row, column) are added up."""
        r = np.asarray(row, np.int64).ravel()
        c = np.asarray(col, np.int64).ravel()
        v = np.asarray(value, float).ravel()
        if len(r):
            order = np.lexsort((c, r))  # stable: duplicates add in the order given
            r, c, v = r[order], c[order], v[order]
            first = np.ones(len(r), bool)
            first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
            starts = np.flatnonzero(first)
            v = np.add.reduceat(v, starts)
            r, c = r[starts], c[starts]
        indptr = np.zeros(shape[0] + 1, INDEX)
        np.cumsum(np.bincount(r, minlength=shape[0]), out=indptr[1:])
        return cls(indptr, c.astype(INDEX), v, shape)

    def column_sums(self) -> np.ndarray:
        return np.bincount(self.indices, weights=self.data, minlength=self.shape[1])

    def triplets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        return rows, self.indices.astype(np.int64), self.data


def product(a: Rows, b: Rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The triplets of a @ b without its zero sums (each entry of a row of `a` spreads over
    the row of `b` it names)."""
    r, k, v = a.triplets()
    counts = np.diff(b.indptr)[k]
    total = int(counts.sum())
    starts = np.repeat(b.indptr[k].astype(np.int64) - np.cumsum(counts) + counts, counts)
    at = starts + np.arange(total)
    out = Rows.of(
        np.repeat(r, counts),
        b.indices[at],
        np.repeat(v, counts) * b.data[at],
        (a.shape[0], b.shape[1]),
    )
    rows, cols, vals = out.triplets()
    keep = vals != 0
    return rows[keep], cols[keep], vals[keep]


def stack(blocks: list[Rows]) -> Rows:
    """The blocks' rows one after another (all over the same columns)."""
    if not blocks:
        raise ValueError("no rows to stack")
    ends = np.cumsum([0] + [int(b.indptr[-1]) for b in blocks])
    indptr = np.concatenate(
        [np.zeros(1, INDEX)] + [b.indptr[1:] + e for b, e in zip(blocks, ends[:-1], strict=True)]
    ).astype(INDEX)
    return Rows(
        indptr,
        np.concatenate([b.indices for b in blocks]),
        np.concatenate([b.data for b in blocks]),
        (sum(b.shape[0] for b in blocks), blocks[0].shape[1]),
    )
