"""Scenario section [selection], declared once: the parameters of the selection model.

The budget, floor, cap and step are the finance department's decisions (no text publishes
them); batch size, city and regional limits read the notices (RULES.md A, B). The regional
groups are the rule set's (`context={"regions": ...}` when reading a scenario).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator, model_validator

from fundalloc.core.i18n import tr
from fundalloc.core.schema import Section, read, setting
from fundalloc.inputs.applicants import FACTORS
from fundalloc.selection.region_table import REGION_TABLE, Invalid, region_table
from fundalloc.selection.sizing import table_problem

__all__ = ["REGION_TABLE", "Invalid", "SelectionParams", "region_table", "selection_params"]


class SelectionParams(Section):
    """[selection]: one batch's money, size and balance rules, and how the MIP is solved."""

    applicants: str | None = setting(
        None,
        zh="申报主体表",
        en="Applicant table",
        help="CSV or XLSX file of applicants, one row each (README 'Applicant file')",
    )
    budget_wan: float = setting(
        zh="本批奖励预算",
        en="Budget",
        unit="万元",
        ge=0,
        help="total one-time awards this batch may spend (assumption: not published)",
    )
    floor_wan: float = setting(
        zh="单个奖励下限",
        en="Floor per award",
        unit="万元",
        ge=0,
        help="smallest award to a designated applicant (assumption)",
    )
    cap_wan: float = setting(
        zh="单个奖励上限",
        en="Cap per award",
        unit="万元",
        ge=0,
        help="largest award to one applicant (assumption)",
    )
    step_wan: float = setting(
        10.0,
        zh="奖励取整步长",
        en="Award step",
        unit="万元",
        gt=0,
        help="awards are whole multiples of this",
    )
    batch_min: int = setting(
        1,
        zh="本批至少认定",
        en="Designate at least",
        unit="个",
        ge=0,
        help="smallest batch (首批计划公布5个左右: about five)",
    )
    batch_max: int = setting(
        5, zh="本批至多认定", en="Designate at most", unit="个", ge=0, help="largest batch"
    )
    city_max: int = setting(
        1,
        zh="每市至多认定",
        en="At most per city",
        unit="个",
        ge=0,
        help="designated per recommending unit (city)",
    )
    region_min: dict[str, int] = setting(
        zh="各区域至少认定",
        en="At least per regional group",
        unit="个",
        default_factory=dict,
        expect=REGION_TABLE,
        help="designated per regional group, at least (absent group: no minimum)",
    )
    region_max: dict[str, int] = setting(
        zh="各区域至多认定",
        en="At most per regional group",
        unit="个",
        default_factory=dict,
        expect=REGION_TABLE,
        help="designated per regional group, at most (absent group: no maximum)",
    )
    award_mode: Literal["proportional", "equal", "by_stars", "by_score_band", "tiers"] = setting(
        "proportional",
        zh="奖励测算方式",
        en="Award sizing",
        clause="seeds/000 三: 根据产业规模、服务能级、辐射范围等因素; RULES.md D (2010, 2017)",
        help="how 综合考虑产业规模、服务能级、辐射范围等因素 is read (docs/award_modes.md): "
        "proportional: close to one rate × factor index; equal: one amount each (2010: 200 万 "
        "each); by_stars: an amount per development-zone star class (2017: 500 / 300 万); "
        "by_score_band: an amount per band of the assessment score; tiers: each award one of "
        "tiers_wan, monotone in the factor index",
        options={
            "proportional": (
                "按产业规模、服务能级、辐射范围加权指数等比例测算",
                "in proportion to the factor index",
            ),
            "equal": ("各认定主体奖励相同(2010年每个200万元)", "the same amount each (2010)"),
            "by_stars": (
                "按开发区星级定额奖励(2017年500/300万元)",
                "a fixed amount per star class",
            ),
            "by_score_band": ("按评审得分档次定额奖励", "a fixed amount per score band"),
            "tiers": ("分档奖励,档次随测算指数不降", "tiers, monotone in the factor index"),
        },
    )
    tiers_wan: list[float] = setting(
        zh="奖励档次",
        en="Award tiers",
        unit="万元",
        default_factory=list,
        help='the amounts of award_mode = "tiers"',
    )
    equal_wan: float | None = setting(
        None,
        zh="统一奖励金额",
        en="Equal award",
        unit="万元",
        ge=0,
        help='award_mode = "equal": the amount each designated applicant gets (empty: the '
        "largest whole step up to the cap that the budget pays every designated applicant "
        "when spend_budget, else the floor)",
    )
    stars_wan: dict[str, float] = setting(
        zh="各星级奖励金额",
        en="Award by star class",
        unit="万元",
        default_factory=dict,
        expect=(
            '按星级 "0" … "3" 的表,无星级的申报主体(县)用 "none",'
            '如 { "3" = 500, "2" = 500, "1" = 300, "0" = 300, none = 300 }',
            'a table by star class "0" … "3", and "none" for applicants without one '
            '(counties), e.g. { "3" = 500, "2" = 500, "1" = 300, "0" = 300, none = 300 }',
        ),
        help='award_mode = "by_stars": the amount per development-zone star class (2017 '
        "precedent: 500 万 outstanding clusters, 300 万 newly starred)",
    )
    score_bands_wan: dict[str, float] = setting(
        zh="各得分档奖励金额",
        en="Award by score band",
        unit="万元",
        default_factory=dict,
        expect=(
            '按各分数段最低分的表,如 { "90" = 500, "80" = 400, "0" = 300 }',
            'a table by the lowest score of each band, e.g. { "90" = 500, "80" = 400, "0" = 300 }',
        ),
        help='award_mode = "by_score_band": a score at or above a band\'s lowest score gets its '
        "amount (the highest band reached); below every band: cannot be designated",
    )
    score_min: float = setting(
        0.0,
        zh="认定最低得分",
        en="Pass mark",
        ge=0,
        help="nobody scoring below this is designated, whatever it would spend (0: no pass mark)",
    )
    score_tolerance: float = setting(
        0.0,
        zh="得分容差",
        en="Score tolerance",
        unit="分",
        ge=0,
        help="batches within this many points of the best total score are treated as equally "
        "good; among them the model prefers more regional groups covered, then spending as "
        "usual, then score (0: the best score decides, as before)",
    )
    weights: dict[str, float] = setting(
        zh="测算因素权重",
        en="Factor weights",
        default_factory=lambda: {f: 1.0 for f in FACTORS},
        expect=(
            f"按测算因素({', '.join(FACTORS)})的 ≥ 0 权重表,不能全为 0",
            f"a table of weights ≥ 0 by factor ({', '.join(FACTORS)}), not all 0",
        ),
        help="weights of the sizing factors in the factor index (equal weights: an assumption)",
    )
    groups_covered_min: int = setting(
        0,
        zh="至少覆盖区域数",
        en="Regional groups covered, at least",
        unit="个",
        ge=0,
        help="at least this many regional groups with a designated applicant (0: no rule; "
        "the balance measure of `fundalloc tradeoff`)",
    )
    spend_budget: bool = setting(
        True,
        zh="用足预算",
        en="Spend the budget",
        sweep=False,
        help="after the best score, spend as much of the budget as the rules allow",
    )
    time_limit_s: float | None = setting(
        60.0,
        zh="每阶段求解时限",
        en="Time limit per stage",
        unit="秒",
        gt=0,
        help="per solver stage; a run that hits it reports status time_limit",
    )
    mip_rel_gap: float = setting(
        0.0,
        zh="允许的相对间隙",
        en="Relative MIP gap",
        ge=0,
        help="0 = prove optimality (the gap reached is reported otherwise)",
    )
    max_ties: int = setting(
        20,
        zh="并列方案最多列出",
        en="Tied batches listed, at most",
        ge=1,
        help="list at most this many equally good batches",
    )
    tie_time_limit_s: float = setting(
        10.0,
        zh="列出并列方案时限",
        en="Time for listing ties",
        unit="秒",
        gt=0,
        help="time for listing equally good batches, after the uniqueness check",
    )

    _by_region = field_validator("region_min", "region_max", mode="before")(region_table)

    @field_validator("weights", mode="before")
    @classmethod
    def _weights(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        bad = [k for k in value if k not in FACTORS]
        if bad:
            raise ValueError(tr("check.unknown_factors", bad=bad, factors=", ".join(FACTORS)))
        return {f: value.get(f, 0.0) for f in FACTORS}

    @model_validator(mode="after")
    def _consistent(self) -> "SelectionParams":
        if self.cap_wan < self.floor_wan:
            raise Invalid(
                "cap_wan",
                tr("check.cap_below_floor", cap=f"{self.cap_wan:g}", floor=f"{self.floor_wan:g}"),
            )
        if self.batch_max > 100_000:  # above any pool the tool reads: a typo (1e17 was taken)
            raise Invalid("batch_max", tr("check.batch_max_too_large", value=self.batch_max))
        if self.batch_max < self.batch_min:
            raise Invalid(
                "batch_max", tr("check.batch_range_empty", lo=self.batch_min, hi=self.batch_max)
            )
        if self.award_mode == "tiers":
            if not self.tiers_wan:
                raise Invalid("tiers_wan", tr("check.tiers_needed"))
            if any(t < 0 for t in self.tiers_wan):
                raise Invalid("tiers_wan", tr("check.negative_tier"))
        problem = table_problem(self)
        if problem:
            raise Invalid(*problem)
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise Invalid("weights", tr("check.weights"))
        return self


def selection_params(scenario, regions: tuple[str, ...] | None = None) -> SelectionParams:
    """[selection] of a scenario, checked; `regions` are the rule set's regional groups
    (default: those of the scenario's rule set)."""
    if regions is None:
        from fundalloc.selection.rulesets import ruleset_of

        regions = ruleset_of(scenario).regions
    return read(
        SelectionParams,
        scenario.section("selection"),
        prefix="selection",
        source=scenario.path,
        context={"regions": tuple(regions)},
    )


import fundalloc.selection.robust_params  # noqa: E402,F401  (registers [robust])
