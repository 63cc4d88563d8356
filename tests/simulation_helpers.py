"""Small simulation scenarios written on the fly (self-contained TOML extending the bundled
award rules), and the World built from them. Shared by tests/test_simulation*.py."""

from __future__ import annotations

from pathlib import Path

from fundalloc.core.scenario import load_scenario
from fundalloc.simulation.world import load_world

ROOT = Path(__file__).resolve().parents[1]

SMALL = """
extends = "{awards}"

[awards]
{budget_line}
budget_exhausted = "{exhausted}"

[simulation]
runs = {runs}
seed = {seed}
years = [2024, 2025, 2026, 2027, 2028, 2029]
entry_rate = {entry}
exit_rate = {exit}
chunk = 10
workers = 1

[simulation.growth]
family = "{family}"
size_exponent = {beta}
size_ref_wan = 3000
tech_info = {{ mu = 0.10, sigma = 0.30 }}
logistics = {{ mu = 0.06, sigma = 0.25 }}
business_services = {{ mu = 0.08, sigma = 0.30 }}
wholesale_retail = {{ mu = 0.05, sigma = 0.25 }}
manufacturing = {{ mu = 0.05, sigma = 0.20 }}

[simulation.behaviour]
window = {window}
effort = {effort}
timing = {timing}
applying = {applying}

[simulation.population]
seed = 11
tech_info = {{ n = {n}, median_wan = 1500, sigma = {spread} }}
logistics = {{ n = {n}, median_wan = 2500, sigma = {spread} }}
business_services = {{ n = {n}, median_wan = 1200, sigma = {spread} }}
wholesale_retail = {{ n = {n}, median_wan = 40000, sigma = 0.8 }}
manufacturing = {{ n = {n_mfg}, median_wan = 20000, sigma = 1.0 }}
{extra}
"""

RECOGNITION = """
[simulation.recognition]
municipal = { kind = "service_mfg_demo", level = "municipal", per_year = 4 }
provincial = { kind = "service_mfg_demo", level = "provincial", per_year = 2 }
design = { kind = "industrial_design", level = "municipal", per_year = 1.5, sectors = ["business_services", "manufacturing"] }

[simulation.platforms]
n = 3
upgrade_prob = 0.6
"""


def write_scenario(folder: Path, name: str = "small.toml", **kw) -> Path:
    values = dict(
        awards=(ROOT / "scenarios/jiaxing-2024.toml").as_posix(),
        budget=400,
        exhausted="pro_rata",
        runs=30,
        seed=7,
        entry=0.05,
        exit=0.05,
        family="laplace",
        beta=0.15,
        spread=0.9,
        window=0.2,
        effort=0.1,
        timing=0.05,
        applying=0.3,
        n=60,
        n_mfg=80,
        extra=RECOGNITION,
    )
    values.update(kw)
    budget = values.pop("budget")
    values["budget_line"] = "" if budget is None else f"budget_wan = {budget}"
    path = folder / name
    path.write_text(SMALL.format(**values), encoding="utf-8")
    return path


def small_world(folder: Path, sets: list[str] | None = None, **kw):
    return load_world(load_scenario(write_scenario(folder, **kw), sets))
