"""Recognition awards (三.(一)): "对经认定的国家级、省级、市级服务型制造示范企业(平台、
项目),分别给予150万元、50万元、20万元奖励", the same for 工业设计企业(中心、研究院);
五 "就高不重复".

A matter is (firm, kind) under recognitions_per_firm = one_per_kind (default), or (firm, kind,
matter_id) under each_matter, where a recognition without a matter_id is a matter of its own.
Within a matter the highest level reached is what counts: a later higher level pays the
difference (recognition_later_level = top_up) or its full amount (full); a later lower or equal
level pays nothing; several rows of one matter in one year pay the highest once. Under
demo_and_design = highest a firm's demonstration and design awards together never exceed the
larger of the two kinds' (就高不重复 at firm level).

Readings fixed here: a recognition dated before the schedule is taken as rewarded under the
earlier policy: it pays nothing here but raises the level already rewarded; one dated after the
kind's last year falls outside the schedule.
"""

from __future__ import annotations

import numpy as np

from fundalloc.rules.jiaxing.codes import KINDS, SERVICE_MFG_DEMO
from fundalloc.rules.jiaxing.policy import Policy
from fundalloc.rules.jiaxing.readings import Interpretation


def _optional(arrays, i: int, m: int) -> np.ndarray:
    return np.asarray(arrays[i], np.int64) if len(arrays) > i else np.full(m, -1, np.int64)


def _group_start(keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """True where a row starts a new group of equal keys (rows sorted by the keys)."""
    start = np.ones(len(keys[0]), bool)
    if len(start) > 1:
        start[1:] = np.any([k[1:] != k[:-1] for k in keys], axis=0)
    return start


def _running_max(values: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Running maximum of non-negative `values` restarted at each group start."""
    group = np.cumsum(start)
    big = float(values.max()) + 1.0 if len(values) else 1.0
    return np.maximum.accumulate(group * big + values) - group * big


def recognition_rows(
    recognitions, policy: Policy, interp: Interpretation | None = None
) -> list[tuple[np.ndarray, ...]]:
    """(firm, award code, year, amount, level, payer) rows. `recognitions`: (firm index, year,
    kind code, level code[, matter code (−1: none), payer code (−1: the firm's)]) arrays."""
    interp = interp or Interpretation()
    firm, year, kind, level = (np.asarray(a, dtype=np.int64) for a in recognitions[:4])
    m = len(firm)
    matter = _optional(recognitions, 4, m)
    payer = _optional(recognitions, 5, m)
    if interp.recognitions_per_firm == "one_per_kind":
        matter = np.zeros(m, np.int64)
    else:  # a row without a matter_id is its own matter (codes above any given id)
        matter = np.where(matter >= 0, matter, int(matter.max(initial=0)) + 1 + np.arange(m))
    amount = policy.recognition_amounts[kind, level]
    last = np.array([policy.window(k)[1] for k in KINDS])[kind]
    first = np.array([policy.window(k)[0] for k in KINDS])[kind]
    keep = year <= last  # later recognitions fall outside the schedule
    f, y, k, mt, a, lv, pr, y0 = (
        x[keep] for x in (firm, year, kind, matter, amount, level, payer, first)
    )
    if not len(f):
        return []
    o = np.lexsort((a, y, mt, k, f))  # by matter (firm, kind, matter), then year, then amount
    f, y, k, mt, a, lv, pr, y0 = (x[o] for x in (f, y, k, mt, a, lv, pr, y0))
    reached = _running_max(a, _group_start((f, k, mt)))  # highest level of the matter so far
    last_of_year = np.ones(len(f), bool)  # one payment per matter and year: the highest row
    last_of_year[:-1] = _group_start((f, k, mt, y))[1:]
    f, y, k, mt, reached, lv, pr, y0 = (x[last_of_year] for x in (f, y, k, mt, reached, lv, pr, y0))
    new_matter = _group_start((f, k, mt))
    had = np.where(new_matter, 0.0, np.roll(reached, 1))
    if interp.recognition_later_level == "top_up":
        pay = reached - had  # 就高不重复: top up to the highest level only
    else:  # full: a higher level pays its own amount; the same or a lower one nothing
        pay = np.where(reached > had, reached, 0.0)
    if interp.demo_and_design == "highest":
        pay, f, y, k, lv, pr, y0 = _highest_kind(pay, f, y, k, lv, pr, y0)
    ok = (pay > 0) & (y >= y0)  # before the schedule: rewarded by earlier policy
    return [(f[ok], SERVICE_MFG_DEMO + k[ok], y[ok], pay[ok], lv[ok], pr[ok])]


def _highest_kind(pay, f, y, k, lv, pr, y0):
    """就高不重复 at firm level: over time the firm receives max over kinds of what each kind
    alone would have paid so far (earlier-policy rows count, as they raise the level)."""
    o = np.lexsort((k, -pay, y, f))  # in a year, the larger award first: it is the one paid
    pay, f, y, k, lv, pr, y0 = (x[o] for x in (pay, f, y, k, lv, pr, y0))
    start = _group_start((f,))
    group = np.cumsum(start) - 1
    cum = []
    for code in range(len(KINDS)):
        c = np.cumsum(np.where(k == code, pay, 0.0))
        base = np.concatenate([[0.0], c])[np.flatnonzero(start)][group]  # cum before the firm
        cum.append(c - base)
    best = np.max(cum, axis=0)
    prev = np.where(start, 0.0, np.roll(best, 1))
    return best - prev, f, y, k, lv, pr, y0
