"""Growth award (三.(一)): "从获奖次年开始,对年主营业务收入增速超过15%的企业,给予10万元奖励,
连续奖励三年".

Readings fixed here: only revenue-tier awards open a growth window (the sentence sits in the
producer-service paragraph); growth is the firm's own revenue year on year, strictly above the
rate (exactly 15 % is not "超过15%"); a year whose revenue or previous revenue is unknown is not
growth. The readings that are scenario keys: growth_award, growth_window_from,
growth_window_start, sunset (growth_window_opened_by decides `awarded`: settle.py).

Under growth_award = three_after_first_qualifying the three payments fall on the first
qualifying window year and the two years after it, whatever the growth; a year the firm reports
no revenue (gone, or beyond the data) pays nothing.
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
    award that opens a window, or (firm, award year, growth year): whether the award counts
    for that growth year (growth_window_opened_by = paid: it had been paid by then); the start
    is the year index of the award that opened the window (NEVER: none)."""
    n, T = rev.shape
    flat = awarded if awarded.ndim == 2 else None  # the same for every growth year
    if awarded.ndim == 2:
        awarded = np.broadcast_to(awarded[:, :, None], (n, T, T))
    prev = np.full_like(rev, np.nan)
    prev[:, 1:] = rev[:, :-1]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        grew = (prev > 0) & (rev / prev - 1.0 > policy.growth_rate + EPS)
    t_idx = np.arange(T)
    # 获奖次年: after the revenue year of the award, or after the year it is decided and paid.
    shift = interp.pay_lag_years if interp.growth_window_start == "after_grant_year" else 0
    if interp.growth_window_from == "first_award":
        if flat is not None:  # one (n,) pass instead of (n, T, T)
            first = np.where(flat.any(axis=1), flat.argmax(axis=1), NEVER)
            start = np.broadcast_to(first[:, None], (n, T))
        else:
            start = np.where(awarded.any(axis=1), awarded.argmax(axis=1), NEVER)
    else:  # each_award: the latest award whose next year is at or before this year
        before = t_idx[:, None] + shift < t_idx[None, :]  # (award year, growth year)
        start = np.where(awarded & before[None], t_idx[None, :, None], NEVER).max(axis=1)
    since = t_idx[None, :] - start - shift
    in_window = (since >= 1) & (since <= policy.growth_years)
    qualifies = in_window & grew
    if interp.growth_award == "three_after_first_qualifying":
        # The first qualifying window year (of the window in force that year) starts three
        # consecutive payments; under each_award a new window may start a new run.
        first_q = np.where(qualifies, t_idx[None, :], T + policy.growth_years + 1)
        first_q = _first_per_window(first_q, start, policy.growth_years)
        run = t_idx[None, :] - first_q
        qualifies = (run >= 0) & (run < policy.growth_years) & np.isfinite(rev)
    if interp.sunset == "nothing_after_2026":
        qualifies &= (years <= policy.window("growth")[1])[None, :]
    if interp.growth_award == "stop_at_first_miss":
        misses = np.cumsum(in_window & ~grew, axis=1)
        opened = np.clip(start + shift, 0, T - 1)
        at_start = np.take_along_axis(misses, opened, axis=1)
        qualifies &= (misses - at_start) == 0  # no miss since the window opened
    return np.where(qualifies, policy.growth_amount_wan, 0.0), start


def _first_per_window(first_q: np.ndarray, start: np.ndarray, years: int) -> np.ndarray:
    """(n, T): for each (firm, year), the earliest qualifying year index among the years that
    share that year's window start and lie at or before it (a later window restarts it).

    A year's payment run is the one started by its own window's first qualifying year, or by
    the previous window's when that run is still going; taking the running minimum over the
    years of equal start and carrying the latest finished run covers both."""
    n, T = first_q.shape
    out = np.full((n, T), T + 10**6)
    best = np.full(n, T + 10**6)
    last_start = np.full(n, NEVER - 1)
    carried = np.full(n, T + 10**6)  # the previous window's first qualifying year
    for t in range(T):  # a loop over years, never over firms
        new_window = start[:, t] != last_start
        carried = np.where(new_window & (best < T), best, carried)
        best = np.where(new_window, first_q[:, t], np.minimum(best, first_q[:, t]))
        last_start = start[:, t]
        # a year still inside the previous run keeps it; else the current window's first
        out[:, t] = np.where(t - carried < years, np.minimum(carried, best), best)
    return out
