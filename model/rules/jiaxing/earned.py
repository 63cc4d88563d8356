"""What each firm earns, per award and revenue year, before any budget: `earned_awards`
combines the four awards of 三.(一) under one reading of the text.

Rows of `Earned` come in first-come order: revenue year, then award (AWARDS order), then the
firm (or platform) index; `pay` uses the same order for `first_come` and `defer`. Nothing here
loops over firms in Python (loops run over award types, tiers or pay years only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fundalloc.rules.jiaxing.codes import CITY, GROWTH, REVENUE_TIER
from fundalloc.rules.jiaxing.growth import growth_pay
from fundalloc.rules.jiaxing.platform import platform_rows
from fundalloc.rules.jiaxing.policy import Policy
from fundalloc.rules.jiaxing.readings import Interpretation
from fundalloc.rules.jiaxing.recognition import recognition_rows
from fundalloc.rules.jiaxing.revenue_tier import revenue_tier_pay


@dataclass
class Earned:
    """Long format, one row per award earned (before budget), rows in first-come order."""

    firm: np.ndarray  # int index into the firm axis (platform rows: into platforms)
    award: np.ndarray  # int code into AWARDS
    revenue_year: np.ndarray  # int (recognition / platform rows: the year of the claim)
    amount_wan: np.ndarray  # float
    # For explanations: revenue_tier -> highest tier index newly crossed; growth -> the year
    # whose revenue-tier award opened the window; recognitions -> level code; platform -> the
    # cost-share step (0 = 70 %, 1 = 100 %).
    detail: np.ndarray | None = None
    payer: np.ndarray | None = None  # int code into PAYERS (None: all 市本级)

    def payers(self) -> np.ndarray:
        return np.zeros(len(self), np.int64) if self.payer is None else self.payer

    def __len__(self) -> int:
        return len(self.amount_wan)


def earned_awards(
    revenue: np.ndarray,
    years: np.ndarray,
    sector: np.ndarray,
    policy: Policy,
    interp: Interpretation,
    recognitions: tuple[np.ndarray, ...] | None = None,
    platforms: tuple[np.ndarray, ...] | None = None,
    payer: np.ndarray | None = None,
    opened: np.ndarray | None = None,
) -> Earned:
    """Every award earned, per firm and revenue year, under one reading of the text.

    revenue: (n_firms, n_years) 万元, NaN = unknown / firm not existing; years: consecutive,
    ascending (may start before 2024: earlier years only count for "first exceeds" and as the
    base of growth); sector: code into SECTORS. recognitions: (firm, year, kind 0/1, level code);
    platforms: (year, firms_served, trade_growth as a fraction, upgrade_cost_wan).
    payer: (n_firms,) code into PAYERS (absent: 市本级); a recognition or platform row may
    name its own (6th array, −1: the firm's / 市本级). opened: which tier awards open a growth
    window, (firm, year) or (firm, award year, growth year) (absent: every tier award; settle
    passes what was paid under growth_window_opened_by = paid).
    """
    rev = np.asarray(revenue, dtype=float)
    years = np.asarray(years, dtype=np.int64)
    sector = np.asarray(sector, dtype=np.int64)
    if rev.ndim != 2 or rev.shape != (len(sector), len(years)):
        raise ValueError(
            f"revenue has shape {rev.shape}; expected (n_firms, n_years) = "
            f"({len(sector)}, {len(years)})"
        )
    if len(years) > 1 and np.any(np.diff(years) != 1):
        raise ValueError("years must be consecutive and ascending")
    n, T = rev.shape
    fpayer = np.zeros(n, np.int64) if payer is None else np.asarray(payer, np.int64)
    parts: list[tuple[np.ndarray, ...]] = []

    if n and T:
        rpay, level = revenue_tier_pay(rev, years, sector, policy, interp)
        gpay, start = growth_pay(rev, years, rpay > 0 if opened is None else opened, policy, interp)
        if interp.growth_with_revenue_same_year == "highest":
            both = (gpay > 0) & (rpay > 0)  # 就高不重复 read broadly: keep the
            gpay = np.where(both & (rpay >= gpay), 0.0, gpay)  # higher; a tie keeps the tier
            rpay = np.where(both & (gpay > rpay), 0.0, rpay)

        fi, ti = np.nonzero(rpay > 0)
        parts.append(
            (
                fi,
                np.full(len(fi), REVENUE_TIER),
                years[ti],
                rpay[fi, ti],
                level[fi, ti] - 1,
                fpayer[fi],
            )
        )
        fi, ti = np.nonzero(gpay > 0)
        parts.append(
            (
                fi,
                np.full(len(fi), GROWTH),
                years[ti],
                gpay[fi, ti],
                years[0] + start[fi, ti],
                fpayer[fi],
            )
        )

    if recognitions is not None and len(recognitions[0]):
        for block in recognition_rows(recognitions, policy, interp):
            f, a, y, amt, lv, pr = block  # a recognition without its own payer: the firm's
            parts.append((f, a, y, amt, lv, np.where(pr >= 0, pr, fpayer[f])))
    if platforms is not None and len(platforms[0]):
        f, a, y, amt, st, pr = platform_rows(platforms, policy, interp)
        parts.append((f, a, y, amt, st, np.maximum(pr, CITY)))
    return cut_at_sunset(assemble(parts), policy, interp)


def last_pay_year(policy: Policy, interp: Interpretation) -> int | None:
    """The last pay year under sunset = nothing_paid_after_2026 (五 有效期至2026年12月31日 read on
    the payment date): the year the document ends; None under the other readings."""
    return policy.in_force_to.year if interp.sunset == "nothing_paid_after_2026" else None


def cut_at_sunset(e: Earned, policy: Policy, interp: Interpretation) -> Earned:
    """Drop claims that would fall due after the last pay year: they earn nothing."""
    last = last_pay_year(policy, interp)
    if last is None:
        return e
    keep = e.revenue_year + int(interp.pay_lag_years) <= last
    return Earned(
        e.firm[keep],
        e.award[keep],
        e.revenue_year[keep],
        e.amount_wan[keep],
        None if e.detail is None else e.detail[keep],
        None if e.payer is None else e.payer[keep],
    )


def assemble(parts: list[tuple[np.ndarray, ...]]) -> Earned:
    """Concatenate (firm, award, revenue year, amount, detail, payer) blocks in first-come
    order."""
    if not parts:
        e = np.zeros(0, np.int64)
        return Earned(e, e.copy(), e.copy(), np.zeros(0), e.copy(), e.copy())
    firm, award, ry, amount, detail, payer = (
        np.concatenate([p[i] for p in parts]) for i in range(6)
    )
    firm, award, ry = firm.astype(np.int64), award.astype(np.int64), ry.astype(np.int64)
    order = first_come_order(firm, award, ry)
    return Earned(
        firm[order],
        award[order],
        ry[order],
        amount[order].astype(float),
        detail[order].astype(np.int64),
        payer[order].astype(np.int64),
    )


def first_come_order(firm, award, revenue_year, pay_year=None, group=None) -> np.ndarray:
    """(pay year,) revenue year, award type (AWARDS order), firm index: the queue order;
    `group` (stacked replications, pay): each group's queue after the earlier groups'."""
    keys = (firm, award, revenue_year) + (() if pay_year is None else (pay_year,))
    return sort_by_keys(keys + (() if group is None else (group,)))


def sort_by_keys(keys: tuple) -> np.ndarray:
    """np.lexsort(keys) (last key most significant, stable) for integer keys: when their
    ranges fit in one int64, a stable argsort of the keys packed into one (the same
    permutation, one sort instead of one per key)."""
    arrays = [np.asarray(k) for k in keys]
    if not len(arrays[0]) or any(a.dtype.kind not in "iu" for a in arrays):
        return np.lexsort(keys)
    packed = np.zeros(len(arrays[0]), np.int64)
    room = 1
    for a in reversed(arrays):  # most significant first
        lo, hi = int(a.min()), int(a.max())
        width = hi - lo + 1
        room *= width
        if room >= 2**62:
            return np.lexsort(keys)
        packed = packed * width + (a - lo)
    return np.argsort(packed, kind="stable")
