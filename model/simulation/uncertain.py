"""Replications under uncertain assumptions (assumptions.py): each replication gets its own
world, built from [simulation] with every uncertain key set to its draw (or to its centre,
`assumption_mode = "centre"`), and its own random stream (that of chunk r when chunks hold one
replication), so the runs at the centre and with the assumptions drawn face the same shocks and
their difference is the assumptions alone. The population is rebuilt only when a drawn key
shapes it (population sizes and medians, entry rate); a generated history stays the one
drawn at the centre drift (it stands for today's known firms)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from fundalloc.core.schema import read
from fundalloc.simulation.assumptions import quantiles
from fundalloc.simulation.batch import same_law
from fundalloc.simulation.kernel import World
from fundalloc.simulation.params import SimulationSettings, params_from
from fundalloc.simulation.population import population_from
from fundalloc.simulation.shocks import chunk_seed, draw_shocks, recognition_pools


def draws(params, run: int) -> dict[str, float]:
    """The value of every uncertain key in replication `run`."""
    if params.assumption_mode == "centre":
        return {a.key: a.centre for a in params.assumptions}
    u = quantiles(params.assumptions, params.seed, run)
    return {a.key: a.value_at(float(x)) for a, x in zip(params.assumptions, u, strict=True)}


def _shapes_population(key: str) -> bool:
    """Keys the population is built from. The generated history is not among them through the
    growth keys: it is today's known firms, generated once at the centre drift."""
    return key.startswith("population.") or key == "entry_rate"


def world_with(world: World, values: dict[str, float]) -> World:
    """The world with the given keys of [simulation] set (no assumption left uncertain).
    The table is validated once per study at its centre (_centre_settings); a replication's
    settings are that model with the drawn keys replaced, without a second validation: every
    draw lies within its key's declared range (assumptions.parse checks both ends of each
    distribution) and no check of [simulation] ties a numeric key to another."""
    p = world.params
    assert p.base is not None
    s = settings_with(_centre_settings(world), values)
    params = replace(
        params_from(s, world.policy),
        runs=p.runs,
        seed=p.seed,
        workers=p.workers,
        counterfactual=p.counterfactual,  # a pass without it stays without it (shock_risk)
        assumptions=(),
        base=None,
    )
    shaping = tuple(sorted((k, v) for k, v in values.items() if _shapes_population(k)))
    pop = world.pop
    if shaping:
        key = (_study(world), world.thresholds.tobytes(), shaping)
        if key not in _POPULATIONS:
            if len(_POPULATIONS) > 64:  # a few studies' worth; counts repeat across draws
                _POPULATIONS.clear()
            # growth at the centre: the generated history does not move with the drift drawn
            centre = replace(params, growth=p.growth)
            _POPULATIONS[key] = population_from(s, p.source, centre, world.thresholds)
        pop = _POPULATIONS[key]
    return World(pop, params, world.thresholds, world.policy, world.interp)


def _study(world: World) -> tuple:
    """The study `world` belongs to (its scenario file and centre [simulation] table): the key
    of the per-process caches; computed once per world (held by the cache, so its id is its
    own meanwhile), not twice per replication."""
    hit = _STUDY.get(id(world))
    if hit is None or hit[0] is not world:
        if len(_STUDY) > 8:
            _STUDY.clear()
        p = world.params
        key = (p.source, json.dumps(p.base, sort_keys=True, default=str))  # not id(): reused
        hit = _STUDY[id(world)] = (world, key)
    return hit[1]


_STUDY: dict[int, tuple[World, tuple]] = {}


def _centre_settings(world: World) -> SimulationSettings:
    """[simulation] at the centre of every assumption, validated once per study and process."""
    key = _study(world)
    if key not in _SETTINGS:
        if len(_SETTINGS) > 8:
            _SETTINGS.clear()
        p = world.params
        _SETTINGS[key] = read(SimulationSettings, p.base, prefix="simulation", source=p.source)
    return _SETTINGS[key]


def settings_with(s, values: dict[str, float]):
    """A copy of the validated settings `s` with the dotted keys set (assumptions.with_values
    on the model rather than on the table: tables of named entries are dicts)."""
    for key, v in values.items():
        s = _set(s, key.split("."), v)
    return s


def _set(node, path: list[str], value):
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        out = dict(node)
        out[head] = _set(node[head], rest, value) if rest else value
        return out
    inner = _set(getattr(node, head), rest, value) if rest else value
    return node.model_copy(update={head: inner})


_POPULATIONS: dict = {}  # (study, population keys drawn) -> Population, per process
_SETTINGS: dict = {}  # study -> validated [simulation] at the centre, per process


def run_drawn_chunk(
    world: World, k: int, start: int, count: int, keep: bool = False
) -> dict[str, np.ndarray]:
    """run_chunk for a world with uncertain assumptions: each replication in its own world and
    on its own stream (that of chunk r), through the kernel together, a block of them at a
    time (montecarlo.run_blocks)."""
    from fundalloc.simulation.montecarlo import joined, run_blocks, run_chunk

    p = world.params
    fixed = _centre_world(world) if p.assumption_mode == "centre" else None
    values = [draws(p, r) for r in range(start, start + count)]
    worlds = [fixed or world_with(world, v) for v in values]
    drawn = np.array([[v[a.key] for a in p.assumptions] for v in values])
    if same_law(worlds):
        pools: dict[int, list] = {}  # the centre pass: one world, its pools once
        out = run_blocks(worlds, lambda i: _own_shocks(worlds[i], start + i, pools), start, keep)
    else:  # the worlds differ where one kernel call cannot hold them: one by one
        out = joined([run_chunk(w, r, r, 1, keep) for r, w in enumerate(worlds, start)], start)
    out["assumptions"] = drawn
    return out


def _own_shocks(world: World, run: int, pools: dict):
    """Replication `run`'s shocks: its own stream, chunk `run`'s (as run_chunk(world, run, run,
    1)); `pools` keeps each world's recognition pools (by id, the worlds alive meanwhile)."""
    p = world.params
    if id(world) not in pools:
        pools[id(world)] = recognition_pools(world.pop, p)
    rng = np.random.default_rng(chunk_seed(p.seed, run))
    return draw_shocks(rng, world.pop, p, pools[id(world)], run=run)


def _centre_world(world: World) -> World:
    """world_with at the centre, built once per world and process (not once per chunk): its
    tiers and late-start rows are computed once for all chunks a worker runs."""
    hit = _CENTRE.get(id(world))
    if hit is None or hit[0] is not world:
        _CENTRE.clear()  # one study at a time; the entry holds `world`, so its id stays its own
        hit = _CENTRE[id(world)] = (world, world_with(world, draws(world.params, 0)))
    return hit[1]


_CENTRE: dict[int, tuple[World, World]] = {}


def at_centre(world: World) -> World:
    """The same study with every assumption at its centre (same streams as when drawn)."""
    return replace(world, params=replace(world.params, assumption_mode="centre"))


def shock_risk(world: World) -> World:
    """The pass behind assumption_risk: at_centre without the behaviour-off counterfactual.
    assumption_risk reads only its outlay by pay year and smallest flat budget, which the
    counterfactual does not touch (it runs on the same Shocks after, and feeds only deadweight
    and induced revenue), so skipping it leaves those figures the same bit for bit and saves
    a second year loop and rules-engine call per replication."""
    centre = at_centre(world)
    return replace(centre, params=replace(centre.params, counterfactual=False))


def assumption_risk(drawn: dict, centre: dict, world: World) -> dict:
    """Shock risk (assumptions at their centre) beside shock + assumption risk (drawn): the
    mean and P95 of each pay year's outlay and the smallest flat budget, from two summaries."""
    return {
        "assumptions": [
            {
                "key": f"simulation.{a.key}",
                "dist": a.describe(),
                "centre": a.centre,
                "lowest": a.ends[0],
                "highest": a.ends[1],
            }
            for a in world.params.assumptions
        ],
        "pay_years": {
            y: {
                "mean_centre_wan": centre["pay_years"][y]["mean_wan"],
                "p95_centre_wan": centre["pay_years"][y]["p95_wan"],
                "mean_drawn_wan": v["mean_wan"],
                "p95_drawn_wan": v["p95_wan"],
            }
            for y, v in drawn["pay_years"].items()
        },
        "flat_budget_centre_wan": centre["smallest_budget_wan"]["flat"],
        "flat_budget_drawn_wan": drawn["smallest_budget_wan"]["flat"],
    }


def risk_table(risk: dict):
    """The pay-year table of shock and assumption risk (report, workbook)."""
    import pandas as pd

    from fundalloc.core.i18n import tr

    return pd.DataFrame(
        [
            {
                tr("col.pay_year"): y,
                tr("risk.col.mean_centre"): v["mean_centre_wan"],
                tr("risk.col.p95_centre"): v["p95_centre_wan"],
                tr("risk.col.mean_drawn"): v["mean_drawn_wan"],
                tr("risk.col.p95_drawn"): v["p95_drawn_wan"],
            }
            for y, v in risk["pay_years"].items()
        ]
    )
