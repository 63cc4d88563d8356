"""The registry of the selection model's rules (README "Selection: the model"), keyed by the
constraint group names the infeasibility explanation uses.

Each entry holds a rule's definer — its rows for the MIP, in the row format both builds read
(rows.py), maths in its docstring (award_rules.py, count_rules.py) — its check on a given
batch (check.py: `fundalloc compare` judges a budget officer's batch rule by rule) and its
words when it takes part in a conflict (infeasibility.py). The Pyomo build (model.py) and the
highspy build (direct.py) add the rows of every entry, in the registry's order; a new rule is
one more entry here.

Two further orders are stated per entry because users have seen them: `explain_at`, the order
in which the deletion filter switches rules off (which of several irreducible conflicts it
reports depends on it), and `Check.listed`, where a rule's messages go in a list of broken
rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from fundalloc.selection import award_rules as money
from fundalloc.selection import count_rules as count
from fundalloc.selection import pass_mark
from fundalloc.selection.instance import Instance
from fundalloc.selection.rows import Definition


@dataclass(frozen=True)
class Check:
    """A rule checked on a given batch: `broken` returns (rank, message) pairs. Rules with the
    same `listed` place are listed rank by rank: a regional group's minimum then its maximum,
    group by group; an applicant's floor, cap and step, applicant by applicant."""

    listed: int
    broken: Callable[..., list[tuple[int, str]]]


@dataclass(frozen=True)
class Rule:
    name: str
    define: Callable[[Instance], Definition] | None  # None: the award columns are the rule
    words: Callable[[Instance, Any], str] | None = None  # the rule in words, for one key
    explain_at: int | None = None  # place in the deletion filter; None: never switched off
    per_key: bool = False  # one conflict group per key (city, group, applicant)
    on_batch: Check | None = None  # on who is designated (count_violations)
    on_awards: Check | None = None  # on the awards given (award_violations)


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule(
            "award_floor",
            money.award_floor,
            money.award_floor_words,
            explain_at=4,
            on_awards=Check(2, money.award_floor_broken),
        ),
        Rule(
            "award_cap",
            money.award_cap,
            money.award_cap_words,
            explain_at=5,
            on_awards=Check(2, money.award_cap_broken),
        ),
        Rule("award_level", None, on_awards=Check(2, money.award_level_broken)),
        Rule("tier_monotone", None, on_awards=Check(3, money.tier_monotone_broken)),
        Rule(
            "budget",
            money.budget,
            money.budget_words,
            explain_at=1,
            on_batch=Check(7, money.budget_least_broken),
            on_awards=Check(1, money.budget_total_broken),
        ),
        Rule(
            "batch_min",
            count.batch_min,
            count.batch_min_words,
            explain_at=2,
            on_batch=Check(1, count.batch_min_broken),
        ),
        Rule(
            "batch_max",
            count.batch_max,
            count.batch_max_words,
            explain_at=3,
            on_batch=Check(2, count.batch_max_broken),
        ),
        Rule(
            "city_max",
            count.city_max,
            count.city_max_words,
            explain_at=6,
            per_key=True,
            on_batch=Check(3, count.city_max_broken),
        ),
        Rule(
            "region_min",
            count.region_min,
            count.region_words("region_min"),
            explain_at=7,
            per_key=True,
            on_batch=Check(4, count.region_min_broken),
        ),
        Rule(
            "region_max",
            count.region_max,
            count.region_words("region_max"),
            explain_at=8,
            per_key=True,
            on_batch=Check(4, count.region_max_broken),
        ),
        Rule(
            "groups_covered_min",
            count.groups_covered_min,
            count.groups_covered_min_words,
            explain_at=11,
            on_batch=Check(5, count.groups_covered_min_broken),
        ),
        Rule(
            "pinned_in",
            count.pinned_in,
            count.pin_words("in"),
            explain_at=9,
            per_key=True,
            on_batch=Check(6, count.pinned_in_broken),
        ),
        Rule(
            "pinned_out",
            count.pinned_out,
            count.pin_words("out"),
            explain_at=10,
            per_key=True,
            on_batch=Check(6, count.pinned_out_broken),
        ),
        Rule(
            "score_min",
            pass_mark.score_min,
            pass_mark.score_min_words,
            explain_at=12,
            per_key=True,
            on_batch=Check(6, pass_mark.score_min_broken),
        ),
    )
}


def definitions(inst: Instance) -> list[Definition]:
    """Every rule's rows for this instance, in the registry's (the model's) order."""
    return [r.define(inst) for r in RULES.values() if r.define is not None]
