"""The simulated world of a scenario: the firm population, the simulation parameters, the tier
thresholds, the policy and the readings of its text (what run_montecarlo and the Mesa model
take)."""

from __future__ import annotations

from fundalloc.core.errors import ScenarioError
from fundalloc.core.scenario import Scenario
from fundalloc.rules.jiaxing import interpretation_from, load_policy
from fundalloc.simulation.kernel import World
from fundalloc.simulation.params import sim_params, tier_thresholds
from fundalloc.simulation.population import build_population


def load_world(scenario: Scenario) -> World:
    policy_path = scenario.get("awards.policy")
    if not policy_path:
        raise ScenarioError(
            scenario.path,
            "awards.policy",
            "no policy file: the simulation pays "
            "by the rules of a policy (e.g. policies/jiaxing-2024-14.toml)",
        )
    policy = load_policy(policy_path)
    params = sim_params(scenario, policy)
    thresholds = tier_thresholds(policy)
    return World(
        build_population(scenario, params, thresholds),
        params,
        thresholds,
        policy,
        interpretation_from(scenario),
    )
