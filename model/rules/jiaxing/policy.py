"""The policy file: one reward schedule's numbers, dates and clauses as data
(scenarios/policies/jiaxing-2024-14.toml), read by `load_policy` into the `Policy` the rules use.

A revised schedule is a new file, not new code: the rules hold no amount.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from fundalloc.core.errors import ScenarioError
from fundalloc.rules.jiaxing.codes import AWARDS, KINDS, LEVELS, SECTORS


@dataclass(frozen=True, eq=False)
class Policy:
    """One reward schedule's numbers, as read from its dated policy file."""

    id: str
    title: str
    path: Path | None
    sha256: str
    in_force_from: date
    in_force_to: date
    windows: dict[str, tuple[int, int]]      # award -> (first, last) revenue year that earns it
    tier_thresholds: np.ndarray              # (len(SECTORS), n_tiers) 万元; inf = no such tier
    tier_amounts: np.ndarray                 # (len(SECTORS), n_tiers) 万元; 0 = no such tier
    tier_strict: bool                        # 超过: strictly above
    growth_rate: float                       # 增速超过15%: 0.15
    growth_amount_wan: float
    growth_years: int                        # 连续奖励三年
    recognition_amounts: np.ndarray          # (len(KINDS), len(LEVELS)) 万元
    platform_min_firms: int                  # 服务企业超过300家 (strictly more)
    platform_growth: tuple[float, ...]       # 15 %, 20 % (达到 ... 以上: at least)
    platform_share: tuple[float, ...]        # 70 %, 100 % of the upgrade cost
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
        raise ScenarioError(path, "awards.policy", "policy file not found")
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(path, "(syntax)", f"not valid TOML: {exc}") from None

    def get(node: Mapping, key: str, kind, where: str = "") -> Any:
        dotted = f"{where}{key}"
        if key not in node:
            raise ScenarioError(path, dotted, "missing")
        value = node[key]
        if kind is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        elif kind is list:
            ok = isinstance(value, list) and all(isinstance(v, (int, float)) and
                                                 not isinstance(v, bool) and v >= 0 for v in value)
        else:
            ok = isinstance(value, kind)
        if not ok:
            raise ScenarioError(path, dotted, f"{value!r} is not a valid "
                                f"{getattr(kind, '__name__', kind)} (numbers 0 or more)")
        return value

    d0, d1 = get(data, "in_force_from", date), get(data, "in_force_to", date)
    if d1 < d0:
        raise ScenarioError(path, "in_force_to", "ends before in_force_from")
    partial = bool(data.get("partial_years_count", True))
    windows, clauses, units = {}, {}, {}
    sections = {a: data.get(a) for a in AWARDS}
    for award, node in sections.items():
        if not isinstance(node, Mapping):
            raise ScenarioError(path, award, "missing table")
        clauses[award] = get(node, "clause", str, f"{award}.")
        units[award] = str(node.get("unit", "万元"))
        a0 = node.get("in_force_from", d0)
        a1 = node.get("in_force_to", d1)
        if not isinstance(a0, date) or not isinstance(a1, date) or a1 < a0:
            raise ScenarioError(path, f"{award}.in_force_to",
                                "dates must be TOML dates, from <= to")
        windows[award] = revenue_years(a0, a1, partial)

    rt = sections["revenue_tier"]
    tiers = {}
    for s in SECTORS:
        node = rt.get(s)
        if node is None:
            tiers[s] = ([], [])
            continue
        thr = get(node, "thresholds_wan", list, f"revenue_tier.{s}.")
        amt = get(node, "amounts_wan", list, f"revenue_tier.{s}.")
        if len(thr) != len(amt):
            raise ScenarioError(path, f"revenue_tier.{s}.amounts_wan",
                                "needs one amount per threshold")
        if any(b <= a for a, b in zip(thr, thr[1:], strict=False)) or \
                any(b < a for a, b in zip(amt, amt[1:], strict=False)):
            raise ScenarioError(path, f"revenue_tier.{s}", "thresholds must rise and amounts "
                                "must not fall from tier to tier (lowest tier first)")
        tiers[s] = (thr, amt)
    k = max(1, max(len(t[0]) for t in tiers.values()))
    thresholds = np.full((len(SECTORS), k), np.inf)
    amounts = np.zeros((len(SECTORS), k))
    for i, s in enumerate(SECTORS):
        thr, amt = tiers[s]
        thresholds[i, :len(thr)], amounts[i, :len(amt)] = thr, amt

    gr = sections["growth"]
    rec = np.zeros((len(KINDS), len(LEVELS)))
    for i, kind in enumerate(KINDS):
        node = get(sections[kind], "amounts_wan", Mapping, f"{kind}.")
        for j, level in enumerate(LEVELS):
            rec[i, j] = get(node, level, float, f"{kind}.amounts_wan.")
    pf = sections["platform"]
    growth_min = get(pf, "trade_growth_min", list, "platform.")
    share = get(pf, "cost_share", list, "platform.")
    if len(growth_min) != len(share) or \
            any(b <= a for a, b in zip(growth_min, growth_min[1:], strict=False)):
        raise ScenarioError(path, "platform.cost_share", "one share per rising growth step")
    years = int(get(gr, "years", int, "growth."))
    return Policy(
        id=str(data.get("id", path.stem)), title=str(data.get("title", "")), path=path.resolve(),
        sha256=hashlib.sha256(raw).hexdigest(), in_force_from=d0, in_force_to=d1,
        windows=windows, tier_thresholds=thresholds, tier_amounts=amounts,
        tier_strict=bool(rt.get("strict", True)),
        growth_rate=float(get(gr, "rate_min", float, "growth.")),
        growth_amount_wan=float(get(gr, "amount_wan", float, "growth.")), growth_years=years,
        recognition_amounts=rec,
        platform_min_firms=int(get(pf, "firms_served_min", int, "platform.")),
        platform_growth=tuple(float(g) for g in growth_min),
        platform_share=tuple(float(s) for s in share),
        platform_cap_wan=float(get(pf, "cap_wan", float, "platform.")),
        clauses=clauses, units=units,
    )
