"""The Mesa model: one replication, year by year, with data collection. Slow but readable; the
Monte Carlo runs kernel.py, which must agree with this model on the same Shocks."""

from __future__ import annotations

import math

import mesa
import numpy as np
import pandas as pd

from fundalloc.simulation.agents import Bureau, CultivationOffice, Firm, Platform
from fundalloc.simulation.kernel import World
from fundalloc.simulation.params import Behaviour
from fundalloc.simulation.shocks import Shocks

PAYMENT_COLUMNS = ["firm", "award", "revenue_year", "pay_year", "amount_wan", "owed_wan"]


class FundModel(mesa.Model):
    def __init__(
        self,
        world: World,
        shocks: Shocks,
        behaviour: Behaviour | None = None,
        seed: int | None = None,
    ):
        super().__init__(seed=seed)  # Mesa's own rng is unused: all draws are in `shocks`
        self.world, self.shocks = world, shocks
        self.behaviour = world.params.behaviour if behaviour is None else behaviour
        pop = world.pop
        n, T = pop.n, len(world.params.years)
        self.t = 0
        self.true = np.full((n, T), np.nan)
        self.reported = np.full((n, T), np.nan)
        self.recognised: list[tuple] = []
        self.upgrades: list[tuple] = []
        self.payments: list[tuple] = []
        self.paid_this_year = self.owed_this_year = 0.0
        self.firms: dict[int, Firm] = {}
        for row in np.flatnonzero(pop.incumbent & (pop.history[:, -1] > 0)):
            self.firms[int(row)] = Firm(self, int(row), math.log(pop.history[row, -1]))
        self.office = CultivationOffice(self)
        self.platforms = [Platform(self, k) for k in range(world.params.platforms.n)]
        self.bureau = Bureau(self)
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "revenue_year": lambda m: m.world.params.years[m.t],
                "pay_year": lambda m: m.world.params.years[m.t] + m.world.interp.pay_lag_years,
                "firms": lambda m: len(m.firms),
                "revenue_wan": lambda m: float(np.nansum(m.reported[:, m.t])),
                "owed_wan": "owed_this_year",
                "paid_wan": "paid_this_year",
            }
        )

    def _enter(self) -> None:
        """New firms of this year, in their first year of revenue (they react from the next)."""
        pop, s = self.world.pop, self.shocks
        for row in np.flatnonzero((pop.entry_t == self.t) & (s.entry_u < pop.entry_p)):
            x = pop.entrant_mu[row] + pop.entrant_sigma[row] * s.entry_z[row]
            self.firms[int(row)] = Firm(self, int(row), x)
            self.true[row, self.t] = self.reported[row, self.t] = math.exp(x)

    def step(self) -> None:
        for firm in list(self.firms.values()):  # incumbents only: entrants come after
            firm.step()
        self._enter()
        self.office.step()
        for platform in self.platforms:
            platform.step()
        self.bureau.step()
        self.datacollector.collect(self)
        self.t += 1

    def run(self) -> "FundModel":
        for _ in self.world.params.years:
            self.step()
        return self

    def payments_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.payments, columns=PAYMENT_COLUMNS)
