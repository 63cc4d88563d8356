"""Jiaxing 2024–2026 reward schedule (嘉政发〔2024〕14号, seeds/002 三.(一) and 五) as code.

Pure functions over numpy arrays, vectorised over firms: `earned_awards` says what each firm
earns for each revenue year under one reading of the text (`Interpretation`), `pay` turns that
into payments by pay year under a budget. The numbers live in a policy file
(scenarios/policies/jiaxing-2024-14.toml, read by `load_policy`), so a revised schedule is a new
file, not new code. The Monte Carlo kernel calls `earned_awards` + `pay` once per replication:
nothing here loops over firms in Python (loops run over award types, tiers or pay years only).

Readings fixed here (RULES.md C "whole-scenario facts" and docs/awards.md):
- "首次超过" (first exceeds) looks at the firm's whole known revenue history: a firm above a tier
  in any earlier year (also before 2024) never earns that tier. Thresholds are strict (超过).
- Only revenue-tier awards open a growth window; growth is the firm's own revenue year on year,
  strictly above 15 %; a year whose revenue or previous revenue is unknown is not growth.
- Recognitions: the matter is (firm, kind). 就高不重复: over time the firm receives the amount of
  the highest level it has reached; a later higher level pays the difference, a later lower
  level nothing. A recognition dated before the schedule is taken as rewarded under the earlier
  policy: it pays nothing here but raises the level already rewarded.
- Platform subsidy: one claim per platform-year row; the 60 万 cap applies to each claim.
- Rows of `Earned` come in first-come order: revenue year, then award (AWARDS order), then the
  firm (or platform) index; `pay` uses the same order for `first_come` and `defer`.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from fundalloc.core.errors import ScenarioError

SECTORS = ("tech_info", "logistics", "business_services", "wholesale_retail", "manufacturing")
AWARDS = ("revenue_tier", "growth", "service_mfg_demo", "industrial_design", "platform")
LEVELS = ("national", "provincial", "municipal")
KINDS = ("service_mfg_demo", "industrial_design")   # recognition kind codes 0, 1
REVENUE_TIER, GROWTH, SERVICE_MFG_DEMO, INDUSTRIAL_DESIGN, PLATFORM = range(5)

# Input aliases (Chinese names as the text and finance bureaux write them).
SECTOR_ALIASES = {"科技信息": "tech_info", "物流运输": "logistics", "商务服务": "business_services",
                  "批零贸易": "wholesale_retail", "制造业": "manufacturing", "制造": "manufacturing"}
LEVEL_ALIASES = {"国家级": "national", "省级": "provincial", "市级": "municipal"}
KIND_ALIASES = {"服务型制造示范": "service_mfg_demo", "工业设计": "industrial_design"}

_NEVER = -(10 ** 6)   # "no year" index, far below any real one so differences stay large


# ----------------------------------------------------------------------------- interpretation

CHOICES: dict[str, tuple[str, ...]] = {   # RULES.md C interpretations; default first
    "tiers_in_one_year": ("highest", "each"),
    "later_higher_tier": ("top_up", "full", "none"),
    "growth_award": ("each_year", "stop_at_first_miss"),
    "growth_with_revenue_same_year": ("both", "highest"),
    "sunset": ("honour_growth_after_2026", "nothing_after_2026"),
    "budget_exhausted": ("pro_rata", "defer", "first_come"),
    "growth_window_from": ("first_award", "each_award"),
}
# [awards] keys that are not interpretations: input paths, read by the command.
AWARDS_PATH_KEYS = ("policy", "firms", "recognitions", "platforms")


@dataclass(frozen=True)
class Interpretation:
    """The [awards] scenario keys (RULES.md C interpretations) with their defaults."""

    tiers_in_one_year: str = "highest"
    later_higher_tier: str = "top_up"
    growth_award: str = "each_year"
    growth_with_revenue_same_year: str = "both"
    sunset: str = "honour_growth_after_2026"
    budget_exhausted: str = "pro_rata"
    budget_wan: float | dict[int, float] | None = None   # None = unlimited
    pay_lag_years: int = 1
    growth_window_from: str = "first_award"

    def __post_init__(self) -> None:   # direct construction is checked too (the simulation does it)
        if isinstance(self.budget_wan, Mapping):   # TOML tables have text keys: "2025" -> 2025
            object.__setattr__(self, "budget_wan", {int(k): float(v)
                                                    for k, v in self.budget_wan.items()})
        for key, allowed in CHOICES.items():
            if getattr(self, key) not in allowed:
                raise ValueError(f"{key} = {getattr(self, key)!r}; expected one of "
                                 f"{', '.join(allowed)}")

    def budget_for(self, pay_years: np.ndarray) -> np.ndarray:
        """Budget of each pay year (inf = unlimited; a table leaves unlisted years unlimited)."""
        pay_years = np.asarray(pay_years, dtype=np.int64)
        if self.budget_wan is None:
            return np.full(pay_years.shape, np.inf)
        if isinstance(self.budget_wan, Mapping):
            return np.array([float(self.budget_wan.get(int(y), math.inf)) for y in pay_years])
        return np.full(pay_years.shape, float(self.budget_wan))


def interpretation_from(scenario: Any) -> Interpretation:
    """Read [awards] from a Scenario (or a scenario dict); a bad value raises ScenarioError
    naming the dotted key."""
    if hasattr(scenario, "section"):
        source, section = scenario.path, scenario.section("awards")
    else:
        source, section = "(scenario)", dict(scenario or {}).get("awards", {})
        if not isinstance(section, Mapping):
            raise ScenarioError(source, "awards", "must be a table")
    known = {f.name for f in fields(Interpretation)}
    values: dict[str, Any] = {}
    for key, value in section.items():
        if key in AWARDS_PATH_KEYS:
            continue
        if key not in known:
            raise ScenarioError(source, f"awards.{key}", "unknown key; known keys: "
                                + ", ".join(sorted(known | set(AWARDS_PATH_KEYS))))
        if key in CHOICES:
            if value not in CHOICES[key]:
                raise ScenarioError(source, f"awards.{key}", f"{value!r} is not one of "
                                    f"{', '.join(CHOICES[key])} (default {CHOICES[key][0]})")
        elif key == "pay_lag_years":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ScenarioError(source, "awards.pay_lag_years",
                                    f"{value!r}: a whole number of years, 0 or more")
        elif key == "budget_wan":
            value = _budget(source, value)
        values[key] = value
    return Interpretation(**values)


def _budget(source, value: Any) -> float | dict[int, float]:
    def amount(v: Any, key: str) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0:
            raise ScenarioError(source, key, f"{v!r}: a budget in 万元, 0 or more")
        return float(v)

    if isinstance(value, Mapping):
        out = {}
        for year, v in value.items():
            try:
                y = int(year)
            except (TypeError, ValueError):
                raise ScenarioError(source, f"awards.budget_wan.{year}",
                                    "table keys are pay years, e.g. { 2025 = 800 }")
            out[y] = amount(v, f"awards.budget_wan.{year}")
        return out
    return amount(value, "awards.budget_wan")


# ----------------------------------------------------------------------------- policy file

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


def _revenue_years(d0: date, d1: date, partial: bool) -> tuple[int, int]:
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
        raise ScenarioError(path, "(syntax)", f"not valid TOML: {exc}")

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
            raise ScenarioError(path, f"{award}.in_force_to", "dates must be TOML dates, from <= to")
        windows[award] = _revenue_years(a0, a1, partial)

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
        if any(b <= a for a, b in zip(thr, thr[1:])) or any(b < a for a, b in zip(amt, amt[1:])):
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
    if len(growth_min) != len(share) or any(b <= a for a, b in zip(growth_min, growth_min[1:])):
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


# ----------------------------------------------------------------------------- earning

@dataclass
class Earned:
    """Long format, one row per award earned (before budget), rows in first-come order."""

    firm: np.ndarray          # int index into the firm axis (platform rows: into platforms)
    award: np.ndarray         # int code into AWARDS
    revenue_year: np.ndarray  # int (recognition / platform rows: the year of the claim)
    amount_wan: np.ndarray    # float
    # For explanations: revenue_tier -> highest tier index newly crossed; growth -> the year
    # whose revenue-tier award opened the window; recognitions -> level code; platform -> the
    # cost-share step (0 = 70 %, 1 = 100 %).
    detail: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.amount_wan)


_EPS = 1e-9   # growth comparisons: 1000 -> 1150 is exactly 15 %, which is not "above 15 %"


def _tier_pay(level: np.ndarray, prev: np.ndarray, earning: np.ndarray, sector: np.ndarray,
              policy: Policy, interp: Interpretation) -> np.ndarray:
    """Revenue-tier payment per (firm, year).

    Tiers are nested (above tier k means above every lower one), so a firm-year is described by
    its level (number of thresholds exceeded) and the tiers newly crossed in year t are exactly
    those in (highest level of earlier years, level now]. Working with levels keeps every array
    two-dimensional (firms × years), which is what makes 10,000 firms take milliseconds.
    """
    amt = np.zeros((len(policy.tier_amounts), policy.tier_amounts.shape[1] + 1))
    amt[:, 1:] = policy.tier_amounts                    # amt[s, L]: amount of tier L (1-based)
    cum = np.cumsum(amt, axis=1)                        # cum[s, L]: tiers 1..L together
    s = sector[:, None]
    new = (level > prev) & earning[None, :]             # some tier first crossed, in force
    highest = interp.tiers_in_one_year == "highest"
    if interp.later_higher_tier == "top_up" and highest:
        # Raise the firm to the highest tier crossed in the window so far, less what it had:
        # the total never depends on how the crossings spread over the years.
        top = np.maximum.accumulate(np.where(new, level, 0), axis=1)
        return np.diff(amt[s, top], axis=1, prepend=0.0)
    # "each": every tier is its own matter, paid once in full, so top_up and full coincide.
    gross = np.where(new, amt[s, level] if highest else cum[s, level] - cum[s, prev], 0.0)
    if interp.later_higher_tier in ("full", "top_up"):
        return gross
    had = np.cumsum(gross > 0, axis=1)                  # "none": only the first award year pays
    return np.where((gross > 0) & (had == 1), gross, 0.0)


def earned_awards(revenue: np.ndarray, years: np.ndarray, sector: np.ndarray, policy: Policy,
                  interp: Interpretation,
                  recognitions: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
                  platforms: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
                  ) -> Earned:
    """Every award earned, per firm and revenue year, under one reading of the text.

    revenue: (n_firms, n_years) 万元, NaN = unknown / firm not existing; years: consecutive,
    ascending (may start before 2024: earlier years only count for "first exceeds" and as the
    base of growth); sector: code into SECTORS. recognitions: (firm, year, kind 0/1, level code);
    platforms: (year, firms_served, trade_growth as a fraction, upgrade_cost_wan).
    """
    rev = np.asarray(revenue, dtype=float)
    years = np.asarray(years, dtype=np.int64)
    sector = np.asarray(sector, dtype=np.int64)
    if rev.ndim != 2 or rev.shape != (len(sector), len(years)):
        raise ValueError(f"revenue has shape {rev.shape}; expected (n_firms, n_years) = "
                         f"({len(sector)}, {len(years)})")
    if len(years) > 1 and np.any(np.diff(years) != 1):
        raise ValueError("years must be consecutive and ascending")
    n, T = rev.shape
    parts: list[tuple[np.ndarray, ...]] = []

    if n and T:
        # --- producer-service revenue tiers: 年主营业务收入首次超过 ...
        thr = policy.tier_thresholds[sector]                       # (n, K), inf = no tier
        level = np.zeros((n, T), np.int64)                         # thresholds exceeded
        with np.errstate(invalid="ignore"):
            for k in range(thr.shape[1]):                          # NaN compares False
                level += (rev > thr[:, k:k + 1]) if policy.tier_strict else (rev >= thr[:, k:k + 1])
        prev = np.zeros_like(level)                                # highest level of earlier years
        prev[:, 1:] = np.maximum.accumulate(level, axis=1)[:, :-1]
        r0, r1 = policy.window("revenue_tier")
        earning = (years >= r0) & (years <= r1)
        rpay = _tier_pay(level, prev, earning, sector, policy, interp)
        awarded = rpay > 0

        # --- growth award: 从获奖次年开始 ... 增速超过15% ... 连续奖励三年
        prev = np.full_like(rev, np.nan)
        prev[:, 1:] = rev[:, :-1]
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            grew = (prev > 0) & (rev / prev - 1.0 > policy.growth_rate + _EPS)
        t_idx = np.arange(T)
        if interp.growth_window_from == "first_award":
            first = np.where(awarded.any(axis=1), awarded.argmax(axis=1), _NEVER)
            start = np.broadcast_to(first[:, None], (n, T))
        else:   # each_award: the latest award strictly before this year opens the window
            last = np.maximum.accumulate(np.where(awarded, t_idx, _NEVER), axis=1)
            start = np.full((n, T), _NEVER)
            start[:, 1:] = last[:, :-1]
        since = t_idx[None, :] - start
        in_window = (since >= 1) & (since <= policy.growth_years)
        qualifies = in_window & grew
        if interp.sunset == "nothing_after_2026":
            qualifies &= (years <= policy.window("growth")[1])[None, :]
        if interp.growth_award == "stop_at_first_miss":
            misses = np.cumsum(in_window & ~grew, axis=1)
            at_start = np.take_along_axis(misses, np.clip(start, 0, T - 1), axis=1)
            qualifies &= (misses - at_start) == 0        # no miss since the window opened
        gpay = np.where(qualifies, policy.growth_amount_wan, 0.0)
        if interp.growth_with_revenue_same_year == "highest":
            both = (gpay > 0) & (rpay > 0)                # 就高不重复 read broadly: keep the
            gpay = np.where(both & (rpay >= gpay), 0.0, gpay)   # higher; a tie keeps the tier
            rpay = np.where(both & (gpay > rpay), 0.0, rpay)

        fi, ti = np.nonzero(rpay > 0)
        parts.append((fi, np.full(len(fi), REVENUE_TIER), years[ti], rpay[fi, ti],
                      level[fi, ti] - 1))
        fi, ti = np.nonzero(gpay > 0)
        parts.append((fi, np.full(len(fi), GROWTH), years[ti], gpay[fi, ti],
                      years[0] + start[fi, ti]))

    if recognitions is not None and len(recognitions[0]):
        parts.extend(_recognition_rows(recognitions, policy))
    if platforms is not None and len(platforms[0]):
        parts.append(_platform_rows(platforms, policy))
    return _assemble(parts)


def _recognition_rows(recognitions, policy: Policy) -> list[tuple[np.ndarray, ...]]:
    firm, year, kind, level = (np.asarray(a, dtype=np.int64) for a in recognitions)
    amount = policy.recognition_amounts[kind, level]
    out = []
    for code, kname in enumerate(KINDS):
        r0, r1 = policy.window(kname)
        m = (kind == code) & (year <= r1)      # later recognitions fall outside the schedule
        f, y, a, lv = firm[m], year[m], amount[m], level[m]
        if not len(f):
            continue
        o = np.lexsort((a, y, f))              # by firm, then year, then amount
        f, y, a, lv = f[o], y[o], a[o], lv[o]
        # Highest level reached so far, per firm: running max restarted at each firm by an
        # offset larger than any amount (firms are sorted, so earlier firms never leak in).
        big = float(a.max()) + 1.0
        reached = np.maximum.accumulate(f * big + a) - f * big
        last_of_year = np.ones(len(f), bool)   # one payment per firm and year: the highest row
        last_of_year[:-1] = (f[1:] != f[:-1]) | (y[1:] != y[:-1])
        f, y, reached, lv = f[last_of_year], y[last_of_year], reached[last_of_year], lv[last_of_year]
        had = np.zeros(len(f))
        same = np.zeros(len(f), bool)
        same[1:] = f[1:] == f[:-1]
        had[1:] = np.where(same[1:], reached[:-1], 0.0)
        pay = reached - had                    # 就高不重复: top up to the highest level only
        keep = (pay > 0) & (y >= r0)           # before the schedule: rewarded by earlier policy
        out.append((f[keep], np.full(int(keep.sum()), SERVICE_MFG_DEMO + code), y[keep],
                    pay[keep], lv[keep]))
    return out


def _platform_rows(platforms, policy: Policy) -> tuple[np.ndarray, ...]:
    year, served, growth, cost = (np.asarray(a) for a in platforms)
    year = year.astype(np.int64)
    r0, r1 = policy.window("platform")
    step = np.full(len(year), -1)
    for s, g in enumerate(policy.platform_growth):     # 达到15%、20%以上: at least
        step = np.where(growth >= g - _EPS, s, step)
    ok = (served > policy.platform_min_firms) & (step >= 0) & (year >= r0) & (year <= r1)
    share = np.asarray(policy.platform_share)[np.clip(step, 0, None)]
    amount = np.where(ok, np.minimum(share * cost, policy.platform_cap_wan), 0.0)
    idx = np.flatnonzero(amount > 0)
    return (idx, np.full(len(idx), PLATFORM), year[idx], amount[idx], step[idx])


def _assemble(parts: list[tuple[np.ndarray, ...]]) -> Earned:
    if not parts:
        e = np.zeros(0, np.int64)
        return Earned(e, e.copy(), e.copy(), np.zeros(0), e.copy())
    firm, award, ry, amount, detail = (np.concatenate([p[i] for p in parts]) for i in range(5))
    firm, award, ry = firm.astype(np.int64), award.astype(np.int64), ry.astype(np.int64)
    order = _first_come_order(firm, award, ry)
    return Earned(firm[order], award[order], ry[order], amount[order].astype(float),
                  detail[order].astype(np.int64))


def _first_come_order(firm, award, revenue_year, pay_year=None) -> np.ndarray:
    """(pay year,) revenue year, award type (AWARDS order), firm index: the queue order."""
    keys = (firm, award, revenue_year) + (() if pay_year is None else (pay_year,))
    return np.lexsort(keys)


# ----------------------------------------------------------------------------- paying

@dataclass
class Paid:
    """One row per payment: same columns as Earned plus pay_year and the amount actually paid.

    `owed_wan` is what was due in that pay year (under `defer`, the claim's unpaid remainder
    carried into it, so one claim may have several rows); `claim` indexes the Earned row.
    """

    firm: np.ndarray
    award: np.ndarray
    revenue_year: np.ndarray
    pay_year: np.ndarray
    amount_wan: np.ndarray
    owed_wan: np.ndarray
    claim: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.amount_wan)


def pay(earned: Earned, interp: Interpretation) -> Paid:
    """Pay year = revenue year + pay lag; then the budget exhaustion policy, one pay year at a
    time (a loop over years, never over firms)."""
    owed = np.asarray(earned.amount_wan, dtype=float)
    ry = np.asarray(earned.revenue_year, dtype=np.int64)
    py = ry + int(interp.pay_lag_years)
    claims = np.arange(len(owed))
    if interp.budget_wan is None or not len(owed):
        return Paid(earned.firm, earned.award, ry, py, owed.copy(), owed.copy(), claims)

    order = _first_come_order(earned.firm, earned.award, ry, py)
    firm, award, ry, py, owed, claims = (a[order] for a in (earned.firm, earned.award, ry, py,
                                                             owed, claims))
    p0 = int(py.min())
    slot = py - p0
    span = int(slot.max()) + 1
    budget = interp.budget_for(np.arange(p0, p0 + span))

    if interp.budget_exhausted == "pro_rata":
        total = np.bincount(slot, weights=owed, minlength=span)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(total > budget, budget / total, 1.0)
        return Paid(firm, award, ry, py, owed * ratio[slot], owed.copy(), claims)

    if interp.budget_exhausted == "first_come":
        return Paid(firm, award, ry, py, _queue(owed, slot, budget), owed.copy(), claims)

    # defer: the unpaid part moves to the next pay year, at the head of that year's queue
    # (claims stay in first-come order, so older claims are served first).
    out = {k: [] for k in ("firm", "award", "ry", "py", "amount", "owed", "claim")}
    carry = np.zeros(0, np.int64)
    carry_left = np.zeros(0)
    year, last_new = p0, p0 + span - 1
    starts = np.searchsorted(slot, np.arange(span + 1))
    while True:
        if year <= last_new:
            s = year - p0
            fresh = np.arange(starts[s], starts[s + 1])
        else:
            fresh = np.zeros(0, np.int64)
        rows = np.concatenate([carry, fresh])
        due = np.concatenate([carry_left, owed[fresh]])
        if not len(rows):
            if year >= last_new:
                break
            year += 1
            continue
        b = float(interp.budget_for(np.array([year]))[0])
        paid = np.clip(b - (np.cumsum(due) - due), 0.0, due)
        for key, val in (("firm", firm[rows]), ("award", award[rows]), ("ry", ry[rows]),
                         ("py", np.full(len(rows), year)), ("amount", paid), ("owed", due),
                         ("claim", claims[rows])):
            out[key].append(val)
        left = due - paid
        keep = left > 1e-9
        carry, carry_left = rows[keep], left[keep]
        if not len(carry) and year >= last_new:
            break
        # A budget of 0 for ever (a single number) would defer for ever: what is left then
        # stays unpaid (its last row shows it owed); likewise after 1,000 years of a tiny budget.
        if year >= last_new and not isinstance(interp.budget_wan, Mapping) and (
                b <= 0 or year > last_new + 1000):
            break
        year += 1
    cat = {k: np.concatenate(v) for k, v in out.items()}
    return Paid(cat["firm"], cat["award"], cat["ry"], cat["py"], cat["amount"], cat["owed"],
                cat["claim"])


def _queue(owed: np.ndarray, slot: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """First come, first served within each pay year (rows sorted by slot, then queue order);
    the claim at the edge of the budget is paid in part, later ones nothing."""
    cum = np.cumsum(owed)
    starts = np.searchsorted(slot, np.arange(len(budget)))
    before_year = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0.0)[slot]
    ahead = cum - owed - before_year           # owed by earlier claims of the same pay year
    return np.clip(budget[slot] - ahead, 0.0, owed)


def totals_by(paid: Paid, what: str = "pay_year") -> dict[int, float]:
    """Sum of amounts paid by pay year (or by award code): a helper for summaries."""
    key = paid.pay_year if what == "pay_year" else paid.award
    uniq, inv = np.unique(key, return_inverse=True)
    return {int(u): float(v) for u, v in zip(uniq, np.bincount(inv, weights=paid.amount_wan))}
