"""Jiangsu 两业融合 benchmarks: dynamic management — who keeps the plaque after a performance
evaluation, who is commended and who is delisted (摘牌).

Source: docs/sources/jiangsu-benchmarks-plan.txt 四.(四) 加强监督管理 — "实施动态管理, 组织开展
绩效评价 ...". The conditions are rechecked with `fundalloc.rules.jiangsu.eligibility` on current
data. Pure and vectorised; every reading of the text is a field of `EvaluationRules`, which the
scenario's [evaluation] table fills (rules/jiangsu_settings.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from fundalloc.core.i18n import tr

if TYPE_CHECKING:
    from fundalloc.rules.jiangsu import EligibilityRules

OUTCOMES = ("commended", "kept", "delisted")
DELIST_ON = ("conditions_or_score", "conditions", "score")


@dataclass(frozen=True)
class EvaluationRules:
    """The performance evaluation of 四.(四) (declared in rules/jiangsu_settings.py)."""

    delist_on: str
    pass_score: float
    commend_score: float
    commend_all_three: bool
    recheck_pilot: bool
    conditions: EligibilityRules


def evaluate_benchmarks(
    track,
    unit_type,
    in_catalogue,
    provincial_pilot,
    mfg_share,
    gdp_prev_yi,
    revenue_prev_yi,
    national_share_rank,
    performance_score,
    new_models,
    demonstration,
    rules: EvaluationRules | None = None,
) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    """Performance evaluation of named benchmarks (四.(四)).

    Returns (outcome per benchmark: "commended" | "kept" | "delisted", meets_conditions (bool),
    reasons in words). Conditions are rechecked with the same `eligibility` on current data;
    a delisted benchmark is never commended.
    """
    if rules is None:  # the bundled policy file under the default readings
        from fundalloc.rules.jiangsu_settings import default_evaluation

        rules = default_evaluation()
    from fundalloc.rules.jiangsu import eligibility  # the same check, on current data

    if rules.delist_on not in DELIST_ON:
        raise ValueError(f"delist_on must be one of {', '.join(DELIST_ON)}")
    pilot = np.asarray(provincial_pilot, dtype=bool)
    if not rules.recheck_pilot:
        pilot = np.ones(len(pilot), dtype=bool)
    meets, cond_reasons = eligibility(
        track,
        unit_type,
        in_catalogue,
        pilot,
        mfg_share,
        gdp_prev_yi,
        revenue_prev_yi,
        national_share_rank,
        rules.conditions,
    )
    score = np.asarray(performance_score, dtype=float)
    passed = score >= rules.pass_score
    fails_conditions = ~meets if rules.delist_on != "score" else np.zeros(len(meets), bool)
    fails_score = ~passed if rules.delist_on != "conditions" else np.zeros(len(meets), bool)
    delisted = fails_conditions | fails_score

    strong = score >= rules.commend_score
    marks = np.column_stack([strong, np.asarray(new_models, bool), np.asarray(demonstration, bool)])
    commend = (marks.all(axis=1) if rules.commend_all_three else marks.any(axis=1)) & ~delisted
    outcome = np.where(delisted, "delisted", np.where(commend, "commended", "kept")).astype(object)

    reasons: list[list[str]] = []
    for i in range(len(score)):
        why: list[str] = []
        if fails_conditions[i]:
            why += [tr("why.eval.no_longer", reason=r) for r in cond_reasons[i]]
        if fails_score[i]:
            why.append(
                tr("why.eval.score", score=f"{score[i]:.4g}", pass_score=f"{rules.pass_score:.4g}")
            )
        if commend[i]:
            why.append(_commend_words(marks[i], score[i], rules))
        reasons.append(why)
    return outcome, meets, reasons


def _commend_words(marks, score: float, rules: EvaluationRules) -> str:
    parts = []
    if marks[0]:
        parts.append(
            tr("why.eval.strong", score=f"{score:.4g}", commend=f"{rules.commend_score:.4g}")
        )
    if marks[1]:
        parts.append("新业态新模式")
    if marks[2]:
        parts.append("示范带动作用明显")
    return tr("why.eval.commended", parts=tr("why.list").join(parts))
