"""Recognition awards (三.(一)): "对经认定的国家级、省级、市级服务型制造示范企业(平台、
项目),分别给予150万元、50万元、20万元奖励", the same for 工业设计企业(中心、研究院);
五 "就高不重复".

Readings fixed here: the matter is (firm, kind). Over time the firm receives the amount of the
highest level it has reached: a later higher level pays the difference, a later lower level
nothing. A recognition dated before the schedule is taken as rewarded under the earlier policy:
it pays nothing here but raises the level already rewarded.
"""

from __future__ import annotations

import numpy as np

from fundalloc.rules.jiaxing.codes import KINDS, SERVICE_MFG_DEMO
from fundalloc.rules.jiaxing.policy import Policy


def recognition_rows(recognitions, policy: Policy) -> list[tuple[np.ndarray, ...]]:
    """(firm, award code, year, amount, level) rows, one block per kind.
    `recognitions`: (firm index, year, kind code, level code) arrays."""
    firm, year, kind, level = (np.asarray(a, dtype=np.int64) for a in recognitions)
    amount = policy.recognition_amounts[kind, level]
    out: list[tuple[np.ndarray, ...]] = []
    for code, kname in enumerate(KINDS):
        r0, r1 = policy.window(kname)
        m = (kind == code) & (year <= r1)  # later recognitions fall outside the schedule
        f, y, a, lv = firm[m], year[m], amount[m], level[m]
        if not len(f):
            continue
        o = np.lexsort((a, y, f))  # by firm, then year, then amount
        f, y, a, lv = f[o], y[o], a[o], lv[o]
        # Highest level reached so far, per firm: running max restarted at each firm by an
        # offset larger than any amount (firms are sorted, so earlier firms never leak in).
        big = float(a.max()) + 1.0
        reached = np.maximum.accumulate(f * big + a) - f * big
        last_of_year = np.ones(len(f), bool)  # one payment per firm and year: the highest row
        last_of_year[:-1] = (f[1:] != f[:-1]) | (y[1:] != y[:-1])
        f, y, reached, lv = (x[last_of_year] for x in (f, y, reached, lv))
        had = np.zeros(len(f))
        same = np.zeros(len(f), bool)
        same[1:] = f[1:] == f[:-1]
        had[1:] = np.where(same[1:], reached[:-1], 0.0)
        pay = reached - had  # 就高不重复: top up to the highest level only
        keep = (pay > 0) & (y >= r0)  # before the schedule: rewarded by earlier policy
        out.append(
            (
                f[keep],
                np.full(int(keep.sum()), SERVICE_MFG_DEMO + code),
                y[keep],
                pay[keep],
                lv[keep],
            )
        )
    return out
