"""The readings of the text: scenario table [awards] (RULES.md C interpretations, default first).

`Interpretation` is what the rules take; `interpretation_from` reads it from a scenario.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Mapping

import numpy as np

from fundalloc.core.errors import ScenarioError

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
                                    "table keys are pay years, e.g. { 2025 = 800 }") from None
            out[y] = amount(v, f"awards.budget_wan.{year}")
        return out
    return amount(value, "awards.budget_wan")
