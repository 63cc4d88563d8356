"""The notebook an analyst would write for the Henan selection, as the yardstick of `fundalloc
select`'s fixed costs (benchmarks/bench_process.py times both as whole processes):

    python benchmarks/notebook_select.py APPLICANTS.csv OUT.csv [K]

read the applicants, the notice's eligibility thresholds, one Pyomo model (designate at most
K, ≤ K/18 per city, balanced regions, awards in 10 万 steps within floor and cap and the
budget, maximise the total score), HiGHS, one CSV. No explanations, no workbook, no report.
"""

import math
import sys

import pandas as pd
import pyomo.environ as pyo
from pyomo.contrib.solver.solvers.highs import Highs

REGION = {  # the province's five regions (河南省 notice, 2025)
    **dict.fromkeys(
        ["郑州", "开封", "新乡", "焦作", "许昌", "平顶山", "漯河", "郑州航空港区"], "zz"
    ),
    **dict.fromkeys(["洛阳", "三门峡", "济源示范区"], "west"),
    **dict.fromkeys(["南阳", "信阳", "驻马店"], "south"),
    **dict.fromkeys(["商丘", "周口"], "east"),
    **dict.fromkeys(["安阳", "鹤壁", "濮阳"], "north"),
}


def main(path: str, out: str, k: int = 5) -> None:
    df = pd.read_csv(path, dtype={"pinned": str})
    ok = df.mfg_share >= 0.30
    ok &= ((df.kind == "county") & (df.gdp_prev_yi > 200)) | (
        (df.kind == "zone")
        & (df.revenue_prev_yi > 100)
        & df.zone_level.isin(["provincial", "national"])
    )
    e = df[ok].reset_index(drop=True)
    f = e[["industrial_scale", "service_capability", "reach"]]
    e["f"] = (f / f.mean()).sum(axis=1)
    e["region"] = e.city.map(REGION)
    m = pyo.ConcreteModel()
    m.I = pyo.RangeSet(0, len(e) - 1)
    m.x = pyo.Var(m.I, domain=pyo.Binary)
    m.n = pyo.Var(m.I, domain=pyo.NonNegativeIntegers, bounds=(0, 50))  # award in 10 万 steps
    m.size = pyo.Constraint(expr=pyo.inequality(k - 1, sum(m.x[i] for i in m.I), k))
    budget = 2000 if k == 5 else 330 * k  # the bundled scenario's budget; 330 万 a zone beyond
    m.budget = pyo.Constraint(expr=sum(10 * m.n[i] for i in m.I) <= budget)
    m.floor = pyo.Constraint(m.I, rule=lambda m, i: 10 * m.n[i] >= 200 * m.x[i])
    m.cap = pyo.Constraint(m.I, rule=lambda m, i: 10 * m.n[i] <= 500 * m.x[i])
    cmax = max(1, math.ceil(2 * k / 18)) if k > 5 else 1
    m.city = pyo.ConstraintList()
    for _, rows in e.groupby("city").groups.items():
        m.city.add(sum(m.x[i] for i in rows) <= cmax)
    m.region = pyo.ConstraintList()
    for g, rows in e.groupby("region").groups.items():
        if g in ("zz", "west", "south"):
            m.region.add(sum(m.x[i] for i in rows) >= max(1, k // 10))
        m.region.add(sum(m.x[i] for i in rows) <= max(2, math.ceil(0.45 * k)))
    m.obj = pyo.Objective(expr=sum(e.score[i] * m.x[i] for i in m.I), sense=pyo.maximize)
    Highs().solve(m)
    e["designated"] = [pyo.value(m.x[i]) > 0.5 for i in m.I]
    e["award_wan"] = [10 * round(pyo.value(m.n[i])) for i in m.I]
    e[e.designated][["id", "name", "city", "score", "award_wan"]].to_csv(out, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5)
