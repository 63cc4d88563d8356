"""Scenario section [robust], declared once: how `fundalloc robust` draws the scores.

Scores are expert judgements with a few points of noise (issue 17). Each draw moves every
eligible applicant's score by a normal error of its own standard deviation — one for all
(`score_sd`), a column of the applicant file (`sd_column`), or the spread of the individual
experts' scores (`expert_columns`) — and solves the exact selection for it.
"""

from __future__ import annotations

from typing import Literal

from fundalloc.core.schema import Section, read, setting
from fundalloc.core.settings import SECTION_LOADERS, SectionTables


class RobustParams(Section):
    """[robust]: the score draws of `fundalloc robust`."""

    draws: int = setting(
        1000, zh="抽样次数", en="Draws", unit="次", ge=1, help="score draws, each solved exactly"
    )
    seed: int = setting(20250101, zh="随机种子", en="Seed", ge=0, help="root seed of the draws")
    score_sd: float = setting(
        2.0,
        zh="评分标准差",
        en="Score noise (sd)",
        unit="分",
        ge=0,
        help="standard deviation of each applicant's score error, in points (0: no noise), "
        "unless sd_column or expert_columns give it per applicant (assumption)",
    )
    sd_column: str | None = setting(
        None,
        zh="评分标准差列",
        en="Score sd column",
        help="a column of the applicant file with each applicant's own sd (points)",
    )
    expert_columns: list[str] = setting(
        default_factory=list,
        zh="专家评分列",
        en="Expert score columns",
        help="columns of the applicant file, one per expert: their spread gives each sd",
    )
    expert_reading: Literal["standard_error", "spread"] = setting(
        "standard_error",
        zh="专家分歧的读法",
        en="Reading of the experts' spread",
        help="how the experts' scores give the sd of the score used",
        options={
            "standard_error": ("评分为专家均分:标准差/√专家数", "the score is their mean: s/√m"),
            "spread": ("换一位专家的分歧:标准差", "another panel could differ by s"),
        },
    )
    chunk: int = setting(
        50,
        zh="每个任务的抽样数",
        en="Draws per job",
        ge=1,
        help="draws solved on one built model per job, each chunk its own random stream "
        "(changing it changes the draws; the engine and workers do not)",
    )
    workers: int = setting(
        0, zh="进程数", en="Workers", ge=0, help="processes (0 = all cores; --workers)"
    )


def _sections() -> SectionTables:
    return {"robust": (RobustParams, None)}


SECTION_LOADERS.append(_sections)


def robust_params(scenario) -> RobustParams:
    return read(RobustParams, scenario.section("robust"), prefix="robust", source=scenario.path)
