"""Growth award (三.(一)): "从获奖次年开始,对年主营业务收入增速超过15%的企业,给予10万元奖励,
连续奖励三年".

Readings fixed here: only revenue-tier awards open a growth window (the sentence sits in the
producer-service paragraph); growth is the firm's own revenue year on year, strictly above the
rate (exactly 15 % is not "超过15%"); a year whose revenue or previous revenue is unknown is not
growth. The readings that are scenario keys: growth_award, growth_window_from, sunset.
"""

from __future__ import annotations

import numpy as np

from fundalloc.rules.jiaxing.codes import EPS
from fundalloc.rules.jiaxing.policy import Policy
from fundalloc.rules.jiaxing.readings import Interpretation

NEVER = -(10**6)  # "no year" index, far below any real one so differences stay large


def growth_pay(
    rev: np.ndarray, years: np.ndarray, awarded: np.ndarray, policy: Policy, interp: Interpretation
) -> tuple[np.ndarray, np.ndarray]:
    """(payment, window start) per (firm, year). `awarded`: (firm, year) got a revenue-tier
    payment; the start is the year index of the award that opened the window (NEVER: none)."""
    n, T = rev.shape
    prev = np.full_like(rev, np.nan)
    prev[:, 1:] = rev[:, :-1]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        grew = (prev > 0) & (rev / prev - 1.0 > policy.growth_rate + EPS)
    t_idx = np.arange(T)
    if interp.growth_window_from == "first_award":
        first = np.where(awarded.any(axis=1), awarded.argmax(axis=1), NEVER)
        start = np.broadcast_to(first[:, None], (n, T))
    else:  # each_award: the latest award strictly before this year opens the window
        last = np.maximum.accumulate(np.where(awarded, t_idx, NEVER), axis=1)
        start = np.full((n, T), NEVER)
        start[:, 1:] = last[:, :-1]
    since = t_idx[None, :] - start
    in_window = (since >= 1) & (since <= policy.growth_years)
    qualifies = in_window & grew
    if interp.sunset == "nothing_after_2026":
        qualifies &= (years <= policy.window("growth")[1])[None, :]
    if interp.growth_award == "stop_at_first_miss":
        misses = np.cumsum(in_window & ~grew, axis=1)
        at_start = np.take_along_axis(misses, np.clip(start, 0, T - 1), axis=1)
        qualifies &= (misses - at_start) == 0  # no miss since the window opened
    return np.where(qualifies, policy.growth_amount_wan, 0.0), start
