"""The answer of `evaluate` (Jiangsu benchmarks' performance evaluation) in words, for its
report page 1 and its workbook's 摘要 sheet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fundalloc.commands.answers_selection import scenario_name
from fundalloc.core.answer import Answer
from fundalloc.core.i18n import tr


def evaluate_answer(result, scenario, charts: list[Path], regions, readings) -> Answer:
    from fundalloc.core.readings_view import reading_sentences
    from fundalloc.rules.jiangsu_settings import JiangsuEvaluation

    table, s = result.table, result.summary
    r = s["rules"]
    delisted = table[table.delisted]
    commended = table[table.outcome == "commended"]
    cols = ["id", "name", "city", "track", "performance_score", "outcome", "reasons"]
    main = pd.concat([delisted, commended])[cols]
    values = {k: v for k, v in r.items() if k != "conditions"}
    return Answer(
        title=tr("ans.evaluate.title"),
        scenario=scenario_name(scenario),
        headline=tr(
            "ans.evaluate.headline",
            n=s["n_benchmarks"],
            commended=s["n_commended"],
            kept=s["n_kept"],
            delisted=s["n_delisted"],
            remaining=s["remaining"],
        ),
        figures=[
            (tr("fig.benchmarks"), f"{s['n_benchmarks']}"),
            (tr("outcome.commended"), f"{s['n_commended']}"),
            (tr("outcome.kept"), f"{s['n_kept']}"),
            (tr("outcome.delisted"), f"{s['n_delisted']}"),
            (tr("fig.pass_score"), f"{r['pass_score']:g}"),
            (tr("fig.commend_score"), f"{r['commend_score']:g}"),
        ],
        notes=[
            *(s.strip() for s in reading_sentences(JiangsuEvaluation, values, "evaluation")),
            tr("ans.evaluate.assumption"),
        ],
        chart=charts[1] if len(charts) > 1 else None,
        table=main,
        table_title=tr("ans.evaluate.table"),
        details=[
            (tr("ans.charts"), charts[:1]),
            (tr("ans.regions"), regions),
            (tr("ans.readings"), readings),
            (tr("ans.evaluate.all"), table),
        ],
    )
