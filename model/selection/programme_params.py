"""Scenario section [programme], declared once: the multi-batch programme of `fundalloc plan`
(计划分批次培育20个左右), and its reader into the per-year parameters the programme model uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import field_validator, model_validator

from fundalloc.core.errors import ScenarioError
from fundalloc.core.i18n import tr
from fundalloc.core.schema import Section, read, setting
from fundalloc.selection.params import REGION_TABLE, Invalid, region_table, selection_params

PER_YEAR = (
    "每年一个值、一个列表(每年一个)或按年份的表",
    "a value for every year, a list (one per year) or a table by year",
)


class ProgrammeSection(Section):
    """[programme]: the multi-batch programme of `fundalloc plan` (计划分批次培育20个左右).
    Batch sizes and budgets absent here are those of [selection], for every year."""

    years: list[int] = setting(
        zh="批次年份",
        en="Batch years",
        help="the years with a batch, each once, e.g. [2025, 2026, 2027, 2028]",
    )
    applicants: dict[str, str] = setting(
        zh="各年申报主体表",
        en="Applicant table by year",
        expect=(
            '按年份的申报主体文件表,如 { 2025 = "data/a2025.csv" }',
            'a table of applicant files by year, e.g. { 2025 = "data/a2025.csv" }',
        ),
        help="one applicant file per year (applicants not designated may reapply)",
    )
    batch_min: int | list[int] | dict[str, int] | None = setting(
        None,
        zh="每批至少认定",
        en="Designate at least, per year",
        unit="个",
        expect=PER_YEAR,
        help="per year; default selection.batch_min",
    )
    batch_max: int | list[int] | dict[str, int] | None = setting(
        None,
        zh="每批至多认定",
        en="Designate at most, per year",
        unit="个",
        expect=PER_YEAR,
        help="per year; default selection.batch_max",
    )
    budget_wan: float | list[float] | dict[str, float] | None = setting(
        None,
        zh="各年奖励预算",
        en="Budget per year",
        unit="万元",
        expect=PER_YEAR,
        help="per year (assumption); default selection.budget_wan",
    )
    total_min: int = setting(
        0,
        zh="全程至少认定",
        en="Designated over the programme, at least",
        unit="个",
        ge=0,
        help="about 20 over the programme (20个左右)",
    )
    total_max: int | None = setting(
        None,
        zh="全程至多认定",
        en="Designated over the programme, at most",
        unit="个",
        ge=0,
        help="absent: no maximum",
    )
    region_min: dict[str, int] = setting(
        zh="全程各区域至少",
        en="At least per regional group, whole programme",
        unit="个",
        default_factory=dict,
        expect=REGION_TABLE,
        help="programme-wide regional minimum",
    )
    region_max: dict[str, int] = setting(
        zh="全程各区域至多",
        en="At most per regional group, whole programme",
        unit="个",
        default_factory=dict,
        expect=REGION_TABLE,
        help="programme-wide regional maximum",
    )
    per_batch_balance: bool = setting(
        True,
        zh="每批也须区域平衡",
        en="Regional limits in every batch",
        help="false: the regional limits of [selection] do not apply each year",
    )
    designated_before: list[str] = setting(
        zh="此前已认定",
        en="Designated before",
        default_factory=list,
        help="ids designated in earlier rounds: never designated again",
    )

    _by_region = field_validator("region_min", "region_max", mode="before")(region_table)

    @model_validator(mode="after")
    def _years(self) -> "ProgrammeSection":
        if not self.years or len(set(self.years)) != len(self.years):
            raise Invalid("years", tr("check.batch_years"))
        return self


@dataclass
class ProgrammeParams:
    years: list[int]
    applicants: dict[int, Path]
    batch_min: dict[int, int]
    batch_max: dict[int, int]
    budget_wan: dict[int, float]
    total_min: int
    total_max: int | None
    region_min: dict[str, int]
    region_max: dict[str, int]
    per_batch_balance: bool
    designated_before: list[str]


def _per_year(value, key: str, years: list[int], src, cast):
    """A number for every year, a list (one per year) or a table keyed by year."""
    if isinstance(value, list):
        if len(value) != len(years):
            raise ScenarioError(
                src,
                f"programme.{key}",
                tr("check.values_per_year", n=len(value), m=len(years), years=years),
            )
        return {y: cast(v) for y, v in zip(years, value)}
    if isinstance(value, dict):
        table = {}
        for k, v in value.items():
            if not str(k).isdigit():
                raise ScenarioError(src, f"programme.{key}.{k}", tr("check.year_keys"))
            table[int(k)] = cast(v)
        missing = [y for y in years if y not in table]
        if missing:
            raise ScenarioError(
                src, f"programme.{key}", tr("check.no_value_for_years", missing=missing)
            )
        return {y: table[y] for y in years}
    return {y: cast(value) for y in years}


def programme_params(scenario, regions: tuple[str, ...]) -> ProgrammeParams:
    src = scenario.path
    if not scenario.section("programme"):
        raise ScenarioError(
            src,
            "programme",
            "the scenario has no [programme] table (years, "
            "applicants by year, batch sizes, budgets): see "
            "scenarios/henan-2025.toml",
        )
    g = read(
        ProgrammeSection,
        scenario.section("programme"),
        prefix="programme",
        source=src,
        context={"regions": tuple(regions)},
    )
    sel = selection_params(scenario, regions)
    years = g.years
    paths = _per_year(g.applicants, "applicants", years, src, Path)
    bmin = _per_year(
        sel.batch_min if g.batch_min is None else g.batch_min, "batch_min", years, src, int
    )
    bmax = _per_year(
        sel.batch_max if g.batch_max is None else g.batch_max, "batch_max", years, src, int
    )
    budget = _per_year(
        sel.budget_wan if g.budget_wan is None else g.budget_wan, "budget_wan", years, src, float
    )
    for y in years:
        if budget[y] < 0:
            raise ScenarioError(
                src, "programme.budget_wan", tr("check.negative_budget_year", year=y)
            )
        if bmax[y] < bmin[y] or bmin[y] < 0:
            raise ScenarioError(
                src,
                "programme.batch_max",
                tr("check.batch_range_empty_year", lo=bmin[y], hi=bmax[y], year=y),
            )
    return ProgrammeParams(
        years,
        paths,
        bmin,
        bmax,
        budget,
        g.total_min,
        g.total_max,
        g.region_min,
        g.region_max,
        g.per_batch_balance,
        list(g.designated_before),
    )
