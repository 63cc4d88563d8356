"""The stress page's tables from a run's summary.json: by pay year (total), and by payer with
the total beside them (五 各县(市)参照执行). Machine column names; the page's Table shows the
headers in the language, with units."""

from __future__ import annotations

import pandas as pd

from fundalloc.core.i18n import tr
from fundalloc.simulation.summary import payer_table

YEAR_COLUMNS = [
    "pay_year",
    "budget_wan",
    "mean_wan",
    "p50_wan",
    "p95_wan",
    "p99_wan",
    "prob_over_budget",
    "mean_paid_wan",
    "smallest_budget_wan",
]
PAYER_COLUMNS = [
    "payer",
    "pay_year",
    "budget_wan",
    "mean_wan",
    "p95_wan",
    "prob_over_budget",
    "smallest_budget_wan",
    "smallest_flat_budget_wan",
]


def year_view(summary: dict) -> pd.DataFrame:
    sb = summary["smallest_budget_wan"]
    rows = [
        {
            "pay_year": int(y),
            **{k: s.get(k) for k in YEAR_COLUMNS[1:-1]},
            "smallest_budget_wan": sb["by_pay_year"][y],
        }
        for y, s in summary["pay_years"].items()
    ]
    return pd.DataFrame(rows, columns=YEAR_COLUMNS)


def payer_view(summary: dict) -> pd.DataFrame | None:
    """Each payer's rows, then the total's (the whole city); None with no payer table."""
    table = payer_table(summary)
    if table.empty:
        return None
    total = year_view(summary).assign(
        payer=tr("app.payers.total"),
        smallest_flat_budget_wan=summary["smallest_budget_wan"]["flat"],
    )
    return pd.concat([table, total], ignore_index=True)[PAYER_COLUMNS]
