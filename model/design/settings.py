"""Scenario table [design], declared once: how `fundalloc design` sizes the schedule to the
budget (docs/design.md). The budget itself is awards.budget_wan (--budget-wan), the
replications and seed are [simulation]'s (--runs, --seed)."""

from __future__ import annotations

from typing import Literal

from fundalloc.core.schema import Section, read, setting
from fundalloc.core.settings import SECTION_LOADERS, SectionTables

AMOUNTS = (
    "每个奖励项一个数,或按奖励项的表,如 { tech_info_3 = 80, growth = 5 }",
    "a number for every line, or a table by line, e.g. { tech_info_3 = 80, growth = 5 }",
)


class DesignSettings(Section):
    """[design]: the amounts of the reward schedule as decisions under a yearly budget."""

    level: float = setting(
        0.05,
        zh="超支概率上限",
        en="Overrun chance at most",
        unit="概率",
        gt=0.0,
        lt=0.5,
        help="α: in every pay year the claims exceed the budget in at most ⌊α·R⌋ of the R "
        "replications (--level)",
    )
    risk_count: Literal["floor", "binomial"] = setting(
        "floor",
        zh="允许超支次数",
        en="Overruns allowed",
        options={
            "floor": (
                "⌊α·R⌋ 次(样本平均近似, 样本外风险可能略高于 α)",
                "⌊α·R⌋ (sample average approximation; the risk out of sample can be above α)",
            ),
            "binomial": (
                "留出抽样余量:真实风险为 α 的方案在样本内通过的概率不超过 5%",
                "with a margin: a schedule whose true risk is α passes in sample with a chance "
                "of at most 5 %",
            ),
        },
        help="how many of the R replications may exceed a year's budget: the SAA count, or "
        "the largest k with P[Binomial(R, α) ≤ k] ≤ 5 % (safer out of sample)",
    )
    objective: Literal["closest", "induced", "deadweight"] = setting(
        "closest",
        zh="设计目标",
        en="Objective",
        options={
            "closest": (
                "最接近现行标准:先求最大的统一比例,再求总偏离最小",
                "closest to the published schedule: the largest common scale factor, then the "
                "least total deviation",
            ),
            "induced": (
                "在风险内使预期带动营收最大",
                "the most expected induced revenue within the risk",
            ),
            "deadweight": (
                "无谓支出最小:使奖励给企业行为变化的预期金额最大",
                "least deadweight: the most expected entitlement paid for changed behaviour",
            ),
        },
        help="what the design optimises within the risk; ties are broken by the least deviation "
        "from the published amounts",
    )
    step_wan: float = setting(
        5.0,
        zh="金额步长",
        en="Amount step",
        unit="万元",
        gt=0.0,
        help="amounts are multiples of this step above each line's minimum",
    )
    min_wan: float | dict[str, float] | None = setting(
        None,
        zh="最低金额",
        en="Smallest amount",
        unit="万元",
        expect=AMOUNTS,
        help="smallest amount of each line (absent: one step; a tier must stay above 0, "
        "since only a tier award opens the growth window)",
    )
    max_wan: float | dict[str, float] | None = setting(
        None,
        zh="最高金额",
        en="Largest amount",
        unit="万元",
        expect=AMOUNTS,
        help="largest amount of each line (absent: twice the published amount)",
    )
    lines: list[str] = setting(
        default_factory=lambda: ["all"],
        zh="待定奖励项",
        en="Lines decided",
        expect=(
            '奖励项名称的列表,如 ["tech_info_1", "growth"],或 ["all"]',
            'a list of line names, e.g. ["tech_info_1", "growth"], or ["all"]',
        ),
        help="the award lines whose amounts the design chooses; the others keep their "
        "published amounts (line names: docs/design.md)",
    )
    validation_runs: int = setting(
        0,
        zh="样本外检验次数",
        en="Out-of-sample replications",
        unit="次",
        ge=0,
        help="replications of the out-of-sample check on a fresh seed (0 = as many as --runs)",
    )
    validation_seed: int | None = setting(
        None,
        zh="样本外检验种子",
        en="Out-of-sample seed",
        ge=0,
        help="seed of the out-of-sample check (absent: the simulation seed + 1)",
    )
    resimulate: Literal["auto", "always"] = setting(
        "auto",
        zh="按设计金额重新模拟",
        en="Re-simulate at the designed amounts",
        options={
            "auto": (
                "仅当某项解读使申领额与金额呈非线性时",
                "only when a reading makes the claims non-linear in the amounts",
            ),
            "always": ("总是重新模拟确认", "always, to confirm"),
        },
        help="whether the design re-simulates at the amounts it found and solves again until "
        "the costs per 万 stop changing (behaviour in the kernel reacts to thresholds, not "
        "amounts; growth_with_revenue_same_year = highest is the non-linear reading)",
    )
    max_iterations: int = setting(
        5,
        zh="最多迭代次数",
        en="Most iterations",
        ge=1,
        le=50,
        help="re-simulations at the designed amounts while the costs per 万 still change",
    )
    time_limit_s: float = setting(
        120.0,
        zh="求解时限",
        en="Solver time limit",
        unit="秒",
        gt=0.0,
        help="HiGHS time limit per solve; a solve stopped by it reports its gap",
    )
    payer_budget_wan: dict[str, float] | None = setting(
        None,
        zh="各出资方预算",
        en="Budget by payer",
        unit="万元/年",
        expect=(
            "按支付主体的表,如 { city = 5000, district = 3000 }",
            "a table by payer, e.g. { city = 5000, district = 3000 }",
        ),
        help="a yearly budget per payer (needs firms with a payer column); absent: one budget "
        "(awards.budget_wan) for all",
    )


def _sections() -> SectionTables:
    return {"design": (DesignSettings, None)}


SECTION_LOADERS.append(_sections)


def design_settings(scenario) -> DesignSettings:
    return read(DesignSettings, scenario.section("design"), prefix="design", source=scenario.path)
