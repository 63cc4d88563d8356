"""Agent behaviour, one firm (or office, platform, bureau) at a time: the readable reference that
kernel.py vectorises. Every random number comes from the model's pre-drawn Shocks."""

from __future__ import annotations

import math

import mesa
import numpy as np

from fundalloc.rules.jiaxing import settle
from fundalloc.simulation.kernel import BOOK_OVER


class Firm(mesa.Agent):
    """A firm of one sector. Its true revenue grows by a heavy-tailed random shock whose spread
    falls with size; near a revenue tier it may push effort or book revenue early."""

    def __init__(self, model, row: int, log_revenue: float):
        super().__init__(model)
        self.row = row
        self.sector = int(model.world.pop.sector[row])
        self.x = log_revenue  # log of true revenue, 万
        self.booked_early = 0.0  # revenue taken from next year
        self.log_tiers = model.world.log_tiers[row]  # tiers never exceeded before 2024, logged
        self.tiers = model.world.row_tiers[row]

    def next_tier(self, value: float, tiers) -> float:
        above = [t for t in tiers if t >= value]  # exactly at a tier has not exceeded it
        return min(above) if above else math.inf

    def step(self) -> None:
        m, t = self.model, self.model.t
        p, g, b = m.world.params, m.world.params.growth, m.behaviour
        if m.shocks.exit_u[self.row, t] < p.exit_rate:  # the firm closes before the year ends
            m.firms.pop(self.row)
            self.remove()
            return
        react = p.years[t] in p.award_years and b.window > 0
        sigma = g.sigma[self.sector]
        level = self.x
        if react and b.effort > 0:
            tier = self.next_tier(self.x, self.log_tiers)
            if math.isfinite(tier) and self.x >= tier + math.log1p(-b.window):
                level = min(self.x + b.effort, tier)  # push towards the tier, not beyond
        # Spread falls as a power of size (Zou 2019), capped for the smallest firms; the shock
        # acts on the size after effort.
        spread = sigma * min(
            math.exp(-g.size_exponent * (level - math.log(g.size_ref_wan))), g.sigma_cap
        )
        eps = float(m.shocks.eps[self.row, t])
        if g.size_exponent > 0:
            bound = 0.999 / (g.size_exponent * sigma * g.sigma_cap)
            eps = min(max(eps, -bound), bound)
        self.x = level + g.mu[self.sector] + spread * eps
        revenue = math.exp(self.x)
        base = max(revenue - self.booked_early, 0.0)  # last year's early booking comes off
        self.booked_early = 0.0
        if react and b.timing > 0:
            tier = self.next_tier(base, self.tiers)
            need = tier * BOOK_OVER - base
            if math.isfinite(tier) and base >= tier * (1 - b.window) and need <= b.timing * base:
                self.booked_early = need
        m.true[self.row, t] = revenue
        m.reported[self.row, t] = base + self.booked_early


class CultivationOffice(mesa.Agent):
    """The city's demonstration programmes: each year it recognises firms against the yearly
    cultivation targets; the award's pull (`applying`) brings more applicants and recognitions."""

    def step(self) -> None:
        m, t = self.model, self.model.t
        progs, s = m.world.params.programmes, m.shocks
        K = s.rec_u.shape[-1]
        for i, prog in enumerate(progs):
            rate = prog.per_year * (1 + m.behaviour.applying) / K
            for k in range(K):
                firm = int(s.rec_firm[i, t, k])
                if s.rec_u[i, t, k] < rate and firm in m.firms:
                    m.recognised.append((firm, m.world.params.years[t], prog.kind, prog.level))


class Platform(mesa.Agent):
    """A public cross-border e-commerce platform that may upgrade and apply for the subsidy."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    def step(self) -> None:
        m, t, pl = self.model, self.model.t, self.model.world.params.platforms
        u, z_served, z_growth, z_cost = m.shocks.plat[self.index, t]
        if u < pl.upgrade_prob:
            m.upgrades.append(
                (
                    m.world.params.years[t],
                    float(np.round(pl.served_median * math.exp(pl.served_sigma * z_served))),
                    pl.growth_mean + pl.growth_sd * z_growth,
                    pl.cost_median_wan * math.exp(pl.cost_sigma * z_cost),
                    self.index,  # the platform: its claims share the cap under per_platform
                )
            )


class Bureau(mesa.Agent):
    """The finance bureau: after each revenue year it applies the rules engine to everything
    reported so far and settles the awards due next year within that year's budget."""

    def step(self) -> None:
        m, t, w = self.model, self.model.t, self.model.world
        H = len(w.pop.history_years)
        revenue = np.hstack([w.pop.history, m.reported[:, : t + 1]])
        recs = tuple(np.array([r[i] for r in m.recognised], int) for i in range(4))
        ups = tuple(np.array([u[i] for u in m.upgrades], float) for i in range(5))
        ups = (ups[0].astype(int),) + ups[1:4] + (ups[4].astype(np.int64),)
        _, paid = settle(
            revenue,
            w.all_years[: H + t + 1],
            w.pop.sector,
            w.policy,
            w.interp,
            recognitions=recs,
            platforms=ups,
            payer=w.pop.payers(),
        )
        due = paid.pay_year == w.params.years[t] + w.interp.pay_lag_years
        for i in np.flatnonzero(due):
            m.payments.append(
                (
                    int(paid.firm[i]),
                    int(paid.award[i]),
                    int(paid.revenue_year[i]),
                    int(paid.pay_year[i]),
                    float(paid.amount_wan[i]),
                    float(paid.owed_wan[i]),
                )
            )
        m.paid_this_year = float(paid.amount_wan[due].sum())
        m.owed_this_year = float(paid.owed_wan[due].sum())
