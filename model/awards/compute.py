"""Who is owed what under the Jiaxing schedule, year by year: read and check the firm,
recognition and platform files, compute every award earned (model/rules/jiaxing/) and every
payment under the budget, with the payments table and the summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fundalloc.awards.payments import payment_table
from fundalloc.awards.summary import make_summary
from fundalloc.core.errors import ScenarioError
from fundalloc.core.scenario import Scenario
from fundalloc.inputs.firms import (
    Firms,
    Platforms,
    Recognitions,
    empty_platforms,
    empty_recognitions,
    read_firms,
    read_platforms,
    read_recognitions,
)
from fundalloc.rules.jiaxing import (
    Earned,
    Interpretation,
    Paid,
    Policy,
    interpretation_from,
    load_policy,
    settle,
)


@dataclass
class AwardsOutcome:
    policy: Policy
    interp: Interpretation
    firms: Firms
    recognitions: Recognitions
    platforms: Platforms
    earned: Earned
    paid: Paid
    payments: pd.DataFrame  # payments.csv
    summary: dict  # summary.json


def policy_path(scenario: Scenario) -> Path:
    path = scenario.get("awards.policy")
    if not path:
        raise ScenarioError(
            scenario.path,
            "awards.policy",
            "no policy file: point it at e.g. policies/jiaxing-2024-14.toml",
        )
    return Path(path)


def compute(
    firms: Firms,
    policy: Policy,
    interp: Interpretation,
    recognitions: Recognitions | None = None,
    platforms: Platforms | None = None,
) -> AwardsOutcome:
    """The whole calculation without files: used by the command and by the worked cases."""
    recognitions = recognitions or empty_recognitions()
    platforms = platforms or empty_platforms()
    earned, paid = settle(
        firms.revenue,
        firms.years,
        firms.sector,
        policy,
        interp,
        recognitions.arrays() if len(recognitions.firm) else None,
        platforms.arrays() if len(platforms.year) else None,
        firms.payer,
    )
    payments = payment_table(firms, platforms, policy, interp, earned, paid)
    summary = make_summary(payments, earned, interp, policy, firms)
    return AwardsOutcome(
        policy, interp, firms, recognitions, platforms, earned, paid, payments, summary
    )


def run_inputs(scenario: Scenario, firms_path=None, recognitions_path=None, platforms_path=None):
    """Resolve input paths: command-line options first, then awards.firms etc. in the scenario."""
    firms_path = firms_path or scenario.get("awards.firms")
    if not firms_path:
        raise ScenarioError(
            scenario.path, "awards.firms", "no firm file: set it in the scenario or pass --firms"
        )
    firms = read_firms(firms_path)
    rec_path = recognitions_path or scenario.get("awards.recognitions")
    plat_path = platforms_path or scenario.get("awards.platforms")
    rec = read_recognitions(rec_path, firms) if rec_path else empty_recognitions()
    plat = read_platforms(plat_path) if plat_path else empty_platforms()
    return firms, rec, plat


def optimise(
    scenario: Scenario, firms_path=None, recognitions_path=None, platforms_path=None
) -> AwardsOutcome:
    interp = interpretation_from(scenario)
    policy = load_policy(policy_path(scenario))
    firms, rec, plat = run_inputs(scenario, firms_path, recognitions_path, platforms_path)
    return compute(firms, policy, interp, rec, plat)
