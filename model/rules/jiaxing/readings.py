"""The readings of [awards] as the rules take them. The table is declared once, in
`fundalloc.rules.jiaxing.awards_params` (`AwardsParams`); `interpretation_from` reads a
scenario's [awards] with it. The rules take an `Interpretation`: the same keys without the input
paths, as a frozen dataclass built from the declaration, so every name, order and default is
written once. Direct construction (`Interpretation(later_higher_tier="full")`, as the simulation
and the tests do) is checked against the declaration too.
"""

from __future__ import annotations

import math
from dataclasses import field, make_dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

import numpy as np
from pydantic import ValidationError

from fundalloc.core.schema import choices, describe_error, read
from fundalloc.core.settings import SECTION_LOADERS, SectionTables
from fundalloc.rules.jiaxing.awards_params import AwardsParams

AWARDS_PATH_KEYS = ("policy", "firms", "recognitions", "platforms")  # read by the commands
READINGS = tuple(k for k in AwardsParams.model_fields if k not in AWARDS_PATH_KEYS)
CHOICES: dict[str, tuple[str, ...]] = {  # the readings with a choice of values; default first
    k: c for k in READINGS if (c := choices(AwardsParams.model_fields[k].annotation))
}


def _check(values: dict[str, Any]) -> AwardsParams:
    try:
        return AwardsParams.model_validate(values)
    except ValidationError as exc:
        key, message = describe_error(exc.errors()[0], AwardsParams, "awards", values)
        raise ValueError(f"{key}: {message}") from None


class _InterpretationMethods:
    """What an Interpretation does besides holding the readings."""

    if TYPE_CHECKING:  # the readings' types, as AwardsParams declares them (for mypy only)
        tiers_in_one_year: str
        later_higher_tier: str
        growth_award: str
        growth_with_revenue_same_year: str
        sunset: str
        budget_exhausted: str
        budget_wan: float | dict[int, float] | dict[str, float | dict[int, float]] | None
        pay_lag_years: int
        growth_window_from: str
        growth_window_opened_by: str
        growth_window_start: str
        platform_cap: str
        recognitions_per_firm: str
        demo_and_design: str
        recognition_later_level: str

    def __post_init__(self) -> None:
        checked = _check({k: getattr(self, k) for k in READINGS})
        for k in READINGS:  # normalised: budget tables keyed by int year, amounts float
            object.__setattr__(self, k, getattr(checked, k))

    @property
    def budget_by_payer(self) -> bool:
        """The budget is a table by payer: each payer pays from its own budget."""
        b = self.budget_wan
        return isinstance(b, Mapping) and any(isinstance(k, str) for k in b)

    def budget_for(self, pay_years: np.ndarray, payer: str | None = None) -> np.ndarray:
        """Budget of each pay year (inf = unlimited; a table leaves unlisted years unlimited).
        With a budget by payer, `payer` names whose budget (None: all payers together); with
        one budget for all, `payer` is ignored (the pool is shared)."""
        pay_years = np.asarray(pay_years, dtype=np.int64)
        b: Any = self.budget_wan
        if self.budget_by_payer:
            if payer is None:
                parts = [self.budget_for(pay_years, p) for p in b]
                return np.sum(parts, axis=0) if parts else np.full(pay_years.shape, np.inf)
            b = b.get(payer)
        if b is None:
            return np.full(pay_years.shape, np.inf)
        if isinstance(b, Mapping):
            return np.array([float(b.get(int(y), math.inf)) for y in pay_years])
        return np.full(pay_years.shape, float(b))


if TYPE_CHECKING:

    class Interpretation(_InterpretationMethods):
        __dataclass_fields__: ClassVar[dict[str, Any]]

        def __init__(self, **readings: Any) -> None: ...

else:
    Interpretation = make_dataclass(
        "Interpretation",
        [
            (
                k,
                AwardsParams.model_fields[k].annotation,
                field(default=AwardsParams.model_fields[k].default),
            )
            for k in READINGS
        ],
        bases=(_InterpretationMethods,),
        frozen=True,
        namespace={
            "__module__": __name__,
            "__doc__": "The readings of [awards] (AwardsParams without the input paths), "
            "as the rules take them; defaults from the declaration.",
        },
    )


def interpretation_from(scenario: Any) -> Interpretation:
    """Read [awards] from a Scenario (or a scenario dict); a bad value raises ScenarioError
    naming the dotted key, the value and what is expected."""
    if hasattr(scenario, "section"):
        source, section = scenario.path, scenario.section("awards")
    else:
        source, section = "(scenario)", dict(scenario or {}).get("awards", {})
    params = read(AwardsParams, section, prefix="awards", source=source)
    return Interpretation(**{k: getattr(params, k) for k in READINGS})


def awards_tables() -> SectionTables:
    """The scenario tables declared here, for the check of every scenario (core/settings.py)."""
    return {"awards": (AwardsParams, None)}


SECTION_LOADERS.append(awards_tables)
