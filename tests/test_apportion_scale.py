"""The exact apportionment at scale (model/selection/apportion.py): evaluating only the
candidate rates the sum bound allows gives the λ, levels and deviation of evaluating every
candidate, for an exact total, a total at most and no total."""

from __future__ import annotations

import numpy as np
import pytest

import fundalloc.selection.apportion as ap


def every_candidate(f, lo, hi, step, total, lam_max, at_most):
    """The scan over every candidate rate, ascending (the first of equals wins)."""
    ks = np.arange(lo, hi + 1, dtype=float)
    cands = np.unique(
        np.clip(
            np.concatenate([(step * ks[None, :] / f[:, None]).ravel(), [0.0, lam_max]]), 0, lam_max
        )
    )
    cost = ap._cost(cands, f, lo, hi, step, total, at_most)
    j = int(np.argmin(cost))  # argmin: the first minimum
    return float(cands[j]), float(cost[j])


@pytest.mark.parametrize(
    "k,total_share,at_most,seed",
    [
        (400, 1.0, False, 1),
        (400, 0.9, True, 2),
        (400, None, False, 3),
        (900, 1.0, False, 4),
        (900, 0.8, True, 5),
        (600, 1.0, False, 6),
    ],
)
def test_pruned_scan_matches_every_candidate(k, total_share, at_most, seed):
    rng = np.random.default_rng(seed)
    f = rng.lognormal(0, 0.4, k) if seed % 2 else np.round(rng.uniform(0.5, 2.0, k), 2)
    lo, hi, step = 20, 50, 10.0
    total = None if total_share is None else int(330 * k * total_share / step)
    lam_max = 500 / f.min()
    assert k * (hi - lo + 1) > 4096  # the pruned path is the one taken
    levels, lam, dev = ap.proportional_split(f, lo, hi, step, total, lam_max, at_most=at_most)
    want_lam, want_dev = every_candidate(f, lo, hi, step, total, lam_max, at_most)
    assert lam == want_lam
    assert dev == pytest.approx(want_dev, abs=1e-9)
    assert np.abs(step * levels - lam * f).sum() == pytest.approx(dev)
    assert ((levels >= lo) & (levels <= hi)).all()
    if total is not None:
        assert levels.sum() <= total if at_most else levels.sum() == total
