"""What the selection MIP is given: the eligible applicants as plain arrays, the [selection]
parameters, and the rule set's regional groups and their names (model/selection/rulesets.py
fills them). The MIP reads everything rule-set specific from here, never from a rule set."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # annotations only: the MIP imports no reader of scenario files
    from fundalloc.selection.params import SelectionParams


@dataclass
class Instance:
    """Everything the MIP needs, as plain arrays (eligible applicants only)."""

    ids: list[str]
    city: list[str]
    region: list[str]
    score: np.ndarray
    f: np.ndarray
    pinned: list[str]
    params: SelectionParams
    names: list[str] = field(default_factory=list)
    # The rule set's regional groups, in its order, and their display names.
    regions: tuple[str, ...] = ()
    region_names: dict[str, str] = field(default_factory=dict)
    # Development-zone star class (0–3; NaN: none, e.g. a county), for award_mode "by_stars".
    stars: np.ndarray | None = None

    def __post_init__(self):
        if not self.regions:
            # An instance made by hand (tests, benchmarks) names no rule set: its groups are
            # those of its applicants, then any its limits name, so that a minimum for a group
            # without applicants stays a (broken) rule rather than vanishing.
            p = self.params
            self.regions = tuple(dict.fromkeys([*self.region, *p.region_min, *p.region_max]))

    def who(self, i: int) -> str:
        """Applicant i as messages name it: id (name)."""
        return f"{self.ids[i]} ({self.names[i] if self.names else self.ids[i]})"


def lam_max(inst: Instance) -> float:
    """The largest rate λ (万 per unit of factor index) an award within the cap can need."""
    f, p = inst.f, inst.params
    return (p.cap_wan / f.min()) if len(f) and f.min() > 0 else p.cap_wan
