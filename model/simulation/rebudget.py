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


def pack(earned: Earned, rep: np.ndarray, start: int) -> dict[str, np.ndarray]:
    """A chunk's stacked entitlements (chunk_awards.Settled: rows of replication start + i
    where rep == i, together, each replication's in the engine's order) as flat arrays."""
    out = {
        f"kept_{f}": np.asarray(earned.payers() if f == "payer" else getattr(earned, f)).astype(
            dtype
        )
        for f, dtype in KEPT.items()
    }
    out["kept_run"] = (np.asarray(rep) + start).astype(np.int32)
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

    def stacked(self) -> Earned:
        """Every replication's rows as one Earned (sorted by run), in the engine's types."""
        firm, award, year, payer = (
            a.astype(np.int64) for a in (self.firm, self.award, self.revenue_year, self.payer)
        )
        return Earned(firm, award, year, self.amount_wan, None, payer)


def study_key(world: World) -> str:
    """Everything a run's entitlements rest on: the world with the budget, the exhaustion
    reading and the budgets to compare (simulation.budgets, paid from the same claims) left
    out (within one process: pickled sets follow its string hashing)."""
    interp = {k: v for k, v in dataclasses.asdict(world.interp).items() if k not in BUDGET_READINGS}
    base = world.params.base  # [simulation] as written (drawn worlds are built from it)
    params = dataclasses.replace(
        world.params,
        budgets=(),
        base=None if base is None else {k: v for k, v in base.items() if k != "budgets"},
    )
    parts = (world.pop, params, world.thresholds, world.policy, interp)
    return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()


def reusable(world: World) -> bool:
    """Whether a run's kept entitlements hold under this world's budget (the budget enters
    through payment only)."""
    from fundalloc.simulation.montecarlo import _claims_depend_on_budget

    return not _claims_depend_on_budget(world)


def rebudget(res, world: World):
    """`res` (kept entitlements, a run of a world with the same study_key) as `world` would
    have it: owed, paid and budgets under world's budget and exhaustion reading."""
    from fundalloc.simulation.chunk_sums import by_year_award, by_year_payer
    from fundalloc.simulation.montecarlo import pay_years, payer_budgets

    assert res.kept is not None, "the run kept no entitlements (run_montecarlo keep=True)"
    years = pay_years(world)
    # one payment for all replications, each from its own budget (pay's group key, as
    # run_lanes pays a chunk): the same floats as replication by replication
    run = res.kept.run.astype(np.int64)
    p = pay(res.kept.stacked(), world.interp, last_pay_year(world.policy, world.interp), run)
    rep, q, R = run[p.claim], p.payers(), res.runs
    return replace(
        res,
        budget=world.interp.budget_for(years),
        owed=by_year_award(rep, p.pay_year, p.award, years, p.owed_wan, R),
        paid=by_year_award(rep, p.pay_year, p.award, years, p.amount_wan, R),
        owed_payer=by_year_payer(rep, p.pay_year, q, years, p.owed_wan, R),
        paid_payer=by_year_payer(rep, p.pay_year, q, years, p.amount_wan, R),
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
