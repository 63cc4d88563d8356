"""The design problem as data: the lines, their grids, the sampled claims per 万, the budget and
the risk allowed, and the model's own arithmetic on them (claims at given amounts, exceedances,
the order pairs) used by the model, the box (box.py) and the checks (validate.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fundalloc.design.lines import Line


@dataclass
class Problem:
    lines: list[Line]
    decided: np.ndarray  # (L,) bool
    lo: np.ndarray  # (L,) smallest amount (decided lines) or the fixed amount
    steps: np.ndarray  # (L,) int, largest n_j (0 for fixed lines)
    step: float
    cost: np.ndarray  # (R, Y, Q, L) claims per 万 (platform column unused)
    plat: np.ndarray  # (R, Y, Q, V) platform claims at each cap of plat_grid
    plat_grid: np.ndarray  # (V,) caps the platform line may take
    budget: np.ndarray  # (Q, Y) 万, inf = none
    alpha: float
    published: np.ndarray  # (L,)
    objective: str = "closest"
    value: np.ndarray | None = None  # (L,) objective value per 万 (induced / deadweight)
    strict: bool = False  # order constraints by at least one step
    time_limit: float = 120.0
    risk_count: str = "floor"  # floor: ⌊α·R⌋; binomial: with a sampling margin
    payers: tuple[str, ...] = ("all",)  # (Q,) the budget rows: "all", or each payer's own

    @property
    def runs(self) -> int:
        return self.cost.shape[0]

    @property
    def allowed(self) -> int:
        return allowed_count(self.runs, self.alpha, self.risk_count)

    @property
    def platform(self) -> int:
        return next(j for j, ln in enumerate(self.lines) if ln.award == "platform")


def allowed_count(runs: int, alpha: float, rule: str = "floor") -> int:
    """Replications that may exceed a year's budget. `binomial`: the largest k with
    P[Binomial(R, α) ≤ k] ≤ 5 %, so a schedule whose true risk is α rarely passes (0 if none)."""
    if rule == "floor":
        return math.floor(alpha * runs + 1e-9)
    from scipy.stats import binom

    k = int(binom.ppf(0.05, runs, alpha))
    while k >= 0 and binom.cdf(k, runs, alpha) > 0.05:
        k -= 1
    return max(k, 0)


def claims_at(p: Problem, amounts: np.ndarray) -> np.ndarray:
    """(R, Y, Q) claims of every replication at `amounts` (the model's own arithmetic)."""
    lin = np.array([ln.award != "platform" for ln in p.lines])
    v = int(np.argmin(np.abs(p.plat_grid - amounts[p.platform])))
    return (p.cost[..., lin] * amounts[lin]).sum(-1) + p.plat[..., v]


def exceedances(p: Problem, amounts: np.ndarray) -> np.ndarray:
    """(Y, Q) replications whose claims exceed the budget."""
    return (claims_at(p, amounts) > p.budget.T[None] + 1e-6).sum(axis=0)


def order_pairs(lines: list[Line]) -> list[tuple[int, int]]:
    """(lower, higher): tiers of a sector rise, recognition levels rise (就高不重复)."""
    out = []
    for j, a in enumerate(lines):
        for k, b in enumerate(lines):
            if a.award == b.award and a.group == b.group and a.award != "growth":
                if a.award != "platform" and b.rank == a.rank + 1:
                    out.append((j, k))
    return out
