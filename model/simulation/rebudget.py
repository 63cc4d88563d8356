"""Draw once, evaluate many: a Monte Carlo's budget-dependent figures (what falls due on each
pay year's budget, what is paid, the chance of overrun, per payer too) for another budget or
another exhaustion reading, from the entitlements the run kept, without simulating again.

A replication's entitlements (rules.jiaxing.earned_awards) do not depend on the budget unless
a tier award paid nothing can keep a growth window shut (growth_window_opened_by = paid with a
budget that can pay a claim nothing: montecarlo._claims_depend_on_budget). Then, and only
then, the budget enters through payment alone (rules.jiaxing.pay), and `pay` on the kept rows
under the new budget is the very call a fresh run would make on the very same rows: every
number comes out bit for bit as a fresh run's (tests/test_simulation_rebudget.py). Otherwise
`reusable` says no and the caller simulates again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from dataclasses import dataclass, replace

import numpy as np

from fundalloc.rules.jiaxing import Earned, pay
from fundalloc.rules.jiaxing.earned import last_pay_year
from fundalloc.simulation.kernel import World

# The fields of an Earned a payment reads, as kept per chunk (`kept_<field>`, plus kept_run),
# in compact types at rest (20 bytes a row with the run, not 48: a 1,000-run study keeps
# ~1.6 M rows) and back in the engine's types when paid again (the same values, so the same
# payments).
KEPT = {
    "firm": np.int32,
    "award": np.int8,
    "revenue_year": np.int16,
    "amount_wan": np.float64,
    "payer": np.int8,
}
BUDGET_READINGS = ("budget_wan", "budget_exhausted")  # what a re-payment may change


def pack(earned: list[Earned], start: int) -> dict[str, np.ndarray]:
    """A chunk's entitlements (replication start + i is earned[i]) as flat arrays."""
    out = {
        f"kept_{f}": np.concatenate(
            [np.asarray(e.payers() if f == "payer" else getattr(e, f)) for e in earned]
        ).astype(dtype)
        for f, dtype in KEPT.items()
    }
    out["kept_run"] = np.repeat(
        np.arange(start, start + len(earned), dtype=np.int32), [len(e) for e in earned]
    )
    return out


@dataclass(frozen=True)
class Kept:
    """Every replication's entitlements with behaviour as set, rows of replication r in
    run[starts[r]:starts[r + 1]], each in the order the rules engine gave them."""

    run: np.ndarray
    firm: np.ndarray
    award: np.ndarray
    revenue_year: np.ndarray
    amount_wan: np.ndarray
    payer: np.ndarray

    @classmethod
    def of(cls, cat: dict[str, np.ndarray]) -> Kept | None:
        if "kept_run" not in cat:
            return None
        return cls(cat["kept_run"], *(cat[f"kept_{f}"] for f in KEPT))

    def earned(self, runs: int) -> list[Earned]:
        cuts = np.searchsorted(self.run, np.arange(runs + 1))
        firm, award, year, payer = (
            a.astype(np.int64) for a in (self.firm, self.award, self.revenue_year, self.payer)
        )
        return [
            Earned(firm[a:b], award[a:b], year[a:b], self.amount_wan[a:b], None, payer[a:b])
            for a, b in zip(cuts[:-1], cuts[1:], strict=True)
        ]


def study_key(world: World) -> str:
    """Everything a run's entitlements rest on: the world with the budget and the exhaustion
    reading left out (within one process: pickled sets follow its string hashing)."""
    interp = {k: v for k, v in dataclasses.asdict(world.interp).items() if k not in BUDGET_READINGS}
    parts = (world.pop, world.params, world.thresholds, world.policy, interp)
    return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()


def reusable(world: World) -> bool:
    """Whether a run's kept entitlements hold under this world's budget (the budget enters
    through payment only)."""
    from fundalloc.simulation.montecarlo import _claims_depend_on_budget

    return not _claims_depend_on_budget(world)


def rebudget(res, world: World):
    """`res` (kept entitlements, a run of a world with the same study_key) as `world` would
    have it: owed, paid and budgets under world's budget and exhaustion reading."""
    from fundalloc.simulation.montecarlo import (
        _by_year_award,
        _by_year_payer,
        pay_years,
        payer_budgets,
    )

    assert res.kept is not None, "the run kept no entitlements (run_montecarlo keep=True)"
    years = pay_years(world)
    last = last_pay_year(world.policy, world.interp)
    owed, paid, owed_q, paid_q = [], [], [], []
    for e in res.kept.earned(res.runs):
        p = pay(e, world.interp, last)
        q = p.payers()
        owed.append(_by_year_award(p, years, p.owed_wan))
        paid.append(_by_year_award(p, years, p.amount_wan))
        owed_q.append(_by_year_payer(p.pay_year, q, years, p.owed_wan))
        paid_q.append(_by_year_payer(p.pay_year, q, years, p.amount_wan))
    return replace(
        res,
        budget=world.interp.budget_for(years),
        owed=np.array(owed),
        paid=np.array(paid),
        owed_payer=np.array(owed_q),
        paid_payer=np.array(paid_q),
        budget_payer=payer_budgets(world, years),
    )


class ClaimCache:
    """The last few runs' results by study_key (the web app keeps one: a budget changed on
    the page re-pays the kept entitlements instead of simulating again)."""

    def __init__(self, size: int = 2):
        self.size = size
        self._items: dict[str, tuple] = {}

    def get(self, key: str):
        return self._items.get(key)

    def put(self, key: str, value: tuple) -> None:
        self._items.pop(key, None)
        while len(self._items) >= self.size:
            self._items.pop(next(iter(self._items)))
        self._items[key] = value
