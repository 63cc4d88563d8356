"""A world's open tiers (kernel.World.row_tiers / open_tiers) are built column by column
(kernel.row_max, kernel.sorted_rows) because every drawn population builds them again: the
same arrays as NumPy's row-wise max and sort, for any width, with ties, +inf and NaN."""

from __future__ import annotations

import numpy as np
import pytest

from fundalloc.simulation.kernel import row_max, sorted_rows


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 7])
def test_sorted_rows_is_np_sort(k):
    rng = np.random.default_rng(k)
    a = rng.choice([1.0, 2.0, 2.0, 5.0, 3.0, np.inf, -np.inf, 0.0], size=(500, k))
    got = sorted_rows(a)
    assert got.shape == a.shape and got is not a
    assert np.array_equal(got, np.sort(a, axis=1))
    assert not np.array_equal(got, a) or k < 2  # something was out of order
    a[0, :1] = np.nan  # NaN sorts last in np.sort: the fall-back keeps that
    np.testing.assert_array_equal(sorted_rows(a), np.sort(a, axis=1))


@pytest.mark.parametrize("k", [0, 1, 3, 5])
def test_row_max_ignores_nan_and_gives_minus_inf_for_none(k):
    rng = np.random.default_rng(10 + k)
    h = rng.normal(size=(400, k))
    h[rng.random((400, k)) < 0.4] = np.nan
    want = np.max(np.where(np.isnan(h), -np.inf, h), axis=1, initial=-np.inf)
    assert np.array_equal(row_max(h), want)
    if k:
        h[3] = np.nan
        assert row_max(h)[3] == -np.inf
