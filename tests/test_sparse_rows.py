"""The numpy rows of the direct highspy build (model/selection/sparse.py) are scipy's:
canonical rows with duplicates added and explicit zeros kept, products without zero sums."""

import numpy as np
from scipy import sparse

from fundalloc.selection.sparse import Rows, product, stack


def _random_triplets(rng, shape, n):
    r = rng.integers(0, shape[0], n)
    c = rng.integers(0, shape[1], n)
    v = rng.integers(-3, 4, n).astype(float)  # zeros and cancelling duplicates on purpose
    return r, c, v


def _same(ours: Rows, theirs) -> None:
    theirs = theirs.tocsr()
    assert ours.shape == theirs.shape
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)


def test_rows_from_triplets_are_scipys():
    rng = np.random.default_rng(3)
    for shape, n in (((5, 7), 40), ((30, 11), 200), ((4, 4), 0), ((9, 3), 1)):
        r, c, v = _random_triplets(rng, shape, n)
        _same(Rows.of(r, c, v, shape), sparse.csr_matrix((v, (r, c)), shape=shape))


def test_product_and_stack_are_scipys():
    rng = np.random.default_rng(4)
    a_t = _random_triplets(rng, (6, 8), 30)
    b_t = _random_triplets(rng, (8, 12), 50)
    a = Rows.of(*a_t, (6, 8))
    b = Rows.of(*b_t, (8, 12))
    sa = sparse.csr_matrix((a_t[2], (a_t[0], a_t[1])), shape=(6, 8))
    sb = sparse.csr_matrix((b_t[2], (b_t[0], b_t[1])), shape=(8, 12))
    r, c, v = product(a, b)
    coo = (sa @ sb).tocoo()
    _same(Rows.of(r, c, v, (6, 12)), sparse.csr_matrix((coo.data, (coo.row, coo.col)), (6, 12)))
    assert not (v == 0).any()
    _same(
        stack([a, Rows.of([], [], [], (2, 8)), a]),
        sparse.vstack([sa, sparse.csr_matrix((2, 8)), sa]),
    )
    assert np.array_equal(b.column_sums(), np.asarray(sb.sum(axis=0)).ravel())
