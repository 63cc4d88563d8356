"""The factor index f_i that proportional awards follow, computed by the rule sets when they
prepare an instance (the MIP only sees f)."""

from __future__ import annotations

import numpy as np

from fundalloc.inputs.applicants import FACTORS


def factor_index(
    factors: np.ndarray, eligible: np.ndarray, weights: dict[str, float]
) -> np.ndarray:
    """f_i = Σ_k w_k · factor_ik / mean of factor k over eligible applicants (scale-free)."""
    base = factors[eligible] if eligible.any() else factors
    means = base.mean(axis=0)
    w = np.array([weights[f] for f in FACTORS])
    return (factors / means) @ w
