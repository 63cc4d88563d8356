"""The policy file as the rules use it: `load_policy` reads a reward schedule's policy file
(scenarios/policies/jiaxing-2024-14.toml) with its declaration (policy_file.py) into a `Policy`
of arrays by sector, kind and level.

A revised schedule is a new file, not new code: the rules hold no amount.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import tomllib

from fundalloc.core.errors import ScenarioError
from fundalloc.core.i18n import tr
from fundalloc.core.schema import read
from fundalloc.rules.jiaxing.codes import AWARDS, KINDS, LEVELS, SECTORS
from fundalloc.rules.jiaxing.policy_file import AwardTable, PolicyFile, TierTable


@dataclass(frozen=True, eq=False)
class Policy:
    """One reward schedule's numbers, as read from its dated policy file."""

    id: str
    title: str
    path: Path | None
    sha256: str
    in_force_from: date
    in_force_to: date
    windows: dict[str, tuple[int, int]]  # award -> (first, last) revenue year that earns it
    tier_thresholds: np.ndarray  # (len(SECTORS), n_tiers) 万元; inf = no such tier
    tier_amounts: np.ndarray  # (len(SECTORS), n_tiers) 万元; 0 = no such tier
    tier_strict: bool  # 超过: strictly above
    growth_rate: float  # 增速超过15%: 0.15
    growth_amount_wan: float
    growth_years: int  # 连续奖励三年
    recognition_amounts: np.ndarray  # (len(KINDS), len(LEVELS)) 万元
    platform_min_firms: int  # 服务企业超过300家 (strictly more)
    platform_growth: tuple[float, ...]  # 15 %, 20 % (达到 ... 以上: at least)
    platform_share: tuple[float, ...]  # 70 %, 100 % of the upgrade cost
    platform_cap_wan: float
    clauses: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)

    def window(self, award: str) -> tuple[int, int]:
        return self.windows[award]


def revenue_years(d0: date, d1: date, partial: bool) -> tuple[int, int]:
    """Revenue years an in-force period covers: with `partial`, every calendar year it touches
    (the text took effect 2024-05-20 and a whole 2024 revenue year counts); else whole years."""
    if partial:
        return d0.year, d1.year
    first = d0.year if (d0.month, d0.day) == (1, 1) else d0.year + 1
    last = d1.year if (d1.month, d1.day) == (12, 31) else d1.year - 1
    return first, last


def load_policy(path: str | Path) -> Policy:
    """Read and check a policy file; a bad value raises ScenarioError naming file and key."""
    path = Path(path)
    if not path.exists():
        raise ScenarioError(path, "awards.policy", tr("check.policy_not_found"))
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(path, "(syntax)", f"not valid TOML: {exc}") from None
    spec: PolicyFile = read(PolicyFile, data, prefix="", source=path)

    d0, d1 = spec.in_force_from, spec.in_force_to
    windows, clauses, units = {}, {}, {}
    for award in AWARDS:
        node: AwardTable = getattr(spec, award)
        a0 = d0 if node.in_force_from is None else node.in_force_from
        a1 = d1 if node.in_force_to is None else node.in_force_to
        if a1 < a0:
            raise ScenarioError(
                path, f"{award}.in_force_to", f"{a1} ends before the award's start {a0}"
            )
        windows[award] = revenue_years(a0, a1, spec.partial_years_count)
        clauses[award], units[award] = node.clause, node.unit

    rt = spec.revenue_tier
    tiers = {}
    for s in SECTORS:
        table: TierTable | None = getattr(rt, s)
        tiers[s] = ([], []) if table is None else (table.thresholds_wan, table.amounts_wan)
    k = max(1, max(len(t[0]) for t in tiers.values()))
    thresholds = np.full((len(SECTORS), k), np.inf)
    amounts = np.zeros((len(SECTORS), k))
    for i, s in enumerate(SECTORS):
        thr, amt = tiers[s]
        thresholds[i, : len(thr)], amounts[i, : len(amt)] = thr, amt

    rec = np.zeros((len(KINDS), len(LEVELS)))
    for i, kind in enumerate(KINDS):
        by_level = getattr(spec, kind).amounts_wan
        for j, level in enumerate(LEVELS):
            rec[i, j] = getattr(by_level, level)
    gr, pf = spec.growth, spec.platform
    return Policy(
        id=path.stem if spec.id is None else spec.id,
        title=spec.title,
        path=path.resolve(),
        sha256=hashlib.sha256(raw).hexdigest(),
        in_force_from=d0,
        in_force_to=d1,
        windows=windows,
        tier_thresholds=thresholds,
        tier_amounts=amounts,
        tier_strict=rt.strict,
        growth_rate=float(gr.rate_min),
        growth_amount_wan=float(gr.amount_wan),
        growth_years=int(gr.years),
        recognition_amounts=rec,
        platform_min_firms=int(pf.firms_served_min),
        platform_growth=tuple(float(g) for g in pf.trade_growth_min),
        platform_share=tuple(float(s) for s in pf.cost_share),
        platform_cap_wan=float(pf.cap_wan),
        clauses=clauses,
        units=units,
    )
