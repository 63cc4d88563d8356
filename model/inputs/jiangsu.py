"""Jiangsu benchmark tables, declared column by column: the applicant file of one annual round
(for `select`) and the performance file of named benchmarks (for `evaluate`).

Column meanings are in docs/jiangsu.md and docs/inputs.md. Both files describe a benchmark the
same way (track, unit type, catalogue, pilot, share, GDP, revenue, rank): one list of columns
(fundalloc.inputs.jiangsu_tables), and one function for the checks that span columns (unit
type fits the track, a region has a size, an enterprise a revenue or a rank).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fundalloc.core.columns import Rows, read
from fundalloc.core.errors import InputError
from fundalloc.core.i18n import tr
from fundalloc.core.tables import sheet_row
from fundalloc.inputs.applicants import FACTORS
from fundalloc.inputs.jiangsu_tables import APPLICANTS, PERFORMANCE
from fundalloc.rules.jiangsu import CITY_REGION, REGION_UNIT_TYPES


@dataclass
class BenchmarkFacts:
    """What the rules look at, one entry per row."""

    path: Path
    frame: pd.DataFrame
    ids: np.ndarray
    names: np.ndarray
    city: np.ndarray  # canonical Chinese names
    region: np.ndarray  # sunan | suzhong | subei
    track: np.ndarray  # region | enterprise
    unit_type: np.ndarray  # a REGION_UNIT_TYPES value, or "enterprise"
    in_catalogue: np.ndarray
    provincial_pilot: np.ndarray
    mfg_share: np.ndarray  # NaN where not given (enterprises)
    gdp_prev_yi: np.ndarray
    revenue_prev_yi: np.ndarray
    national_share_rank: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def rule_args(self) -> tuple[Any, Any, Any, Any, Any, Any, Any, Any]:
        """Positional arguments of rules.jiangsu.eligibility, in order."""
        return (
            self.track,
            self.unit_type,
            self.in_catalogue,
            self.provincial_pilot,
            self.mfg_share,
            self.gdp_prev_yi,
            self.revenue_prev_yi,
            self.national_share_rank,
        )


def _facts(rows: Rows) -> BenchmarkFacts:
    """The checks across columns of a benchmark's row, then the facts the rules look at."""
    path, track, unit = rows.path, rows["track"], rows["unit_type"]
    is_region, is_firm = track == "region", track == "enterprise"
    unit[is_firm & (unit == "")] = "enterprise"
    _check_unit_matches_track(path, track, unit)
    gdp, revenue = rows["gdp_prev_yi"], rows["revenue_prev_yi"]
    rank = rows["national_share_rank"]
    no_size = is_region & np.isnan(gdp) & np.isnan(revenue)
    if no_size.any():
        raise InputError(
            path,
            tr("input.region_needs_size"),
            sheet_row(int(np.argmax(no_size))),
            "gdp_prev_yi",
        )
    no_test = is_firm & np.isnan(revenue) & np.isnan(rank)
    if no_test.any():
        raise InputError(
            path,
            tr("input.enterprise_needs_size"),
            sheet_row(int(np.argmax(no_test))),
            "revenue_prev_yi",
        )
    city = rows["city"]
    return BenchmarkFacts(
        path=path,
        frame=rows.frame,
        ids=rows["id"],
        names=rows["name"],
        city=city,
        region=np.array([CITY_REGION[c] for c in city], dtype=object),
        track=track,
        unit_type=unit,
        in_catalogue=rows["in_catalogue"],
        provincial_pilot=rows["provincial_pilot"],
        mfg_share=rows["mfg_share"],
        gdp_prev_yi=gdp,
        revenue_prev_yi=revenue,
        national_share_rank=rank,
    )


def _check_unit_matches_track(path: Path, track: np.ndarray, unit: np.ndarray) -> None:
    bad_region = (track == "region") & np.isin(unit, ["", "enterprise"])
    if bad_region.any():
        i = int(np.argmax(bad_region))
        raise InputError(
            path,
            tr("input.region_needs_unit", types=", ".join(REGION_UNIT_TYPES)),
            sheet_row(i),
            "unit_type",
        )
    bad_firm = (track == "enterprise") & (unit != "enterprise")
    if bad_firm.any():
        i = int(np.argmax(bad_firm))
        raise InputError(
            path,
            tr("input.unit_for_regions", unit=unit[i]),
            sheet_row(i),
            "unit_type",
        )


@dataclass
class JiangsuApplicants:
    facts: BenchmarkFacts
    score: np.ndarray
    factors: np.ndarray  # shape (n, 3) in FACTORS order
    pinned: np.ndarray  # "in" | "out" | ""
    city_match_wan: np.ndarray


def read_jiangsu_applicants(path: str | Path, max_per_city: int = 0) -> JiangsuApplicants:
    """One annual round's applicants; max_per_city 0 = no limit (the text sets none)."""
    rows = read(APPLICANTS, path)
    facts = _facts(rows)
    if max_per_city:
        _check_per_city(rows.path, facts.city, max_per_city)
    return JiangsuApplicants(
        facts=facts,
        score=rows["score"],
        factors=np.column_stack([rows[f] for f in FACTORS]),
        pinned=rows["pinned"],
        city_match_wan=np.nan_to_num(rows["city_match_wan"], nan=0.0),
    )


def _check_per_city(path: Path, city: np.ndarray, limit: int) -> None:
    """seeds/001 四.(三): each 设区市 recommends (择优推荐); the text sets no number, so the limit
    is the scenario's eligibility.max_applicants_per_city. Names the first row over it."""
    seen: dict[str, int] = {}
    for i, name in enumerate(city):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > limit:
            total = int((city == name).sum())
            raise InputError(
                path,
                tr("input.per_city_jiangsu", city=name, total=total, limit=limit),
                sheet_row(i),
                "city",
            )


@dataclass
class Performance:
    facts: BenchmarkFacts
    performance_score: np.ndarray
    new_models: np.ndarray
    demonstration: np.ndarray
    designated_year: np.ndarray  # NaN where not given


def read_performance(path: str | Path, pilot_required: bool = False) -> Performance:
    """The named benchmarks with current data and their evaluation marks; `pilot_required`:
    evaluation.recheck_pilot (the pilot listing is then needed on every row)."""
    rows = read(PERFORMANCE, path, flags={"evaluation.recheck_pilot": pilot_required})
    return Performance(
        facts=_facts(rows),
        performance_score=rows["performance_score"],
        new_models=rows["new_models"],
        demonstration=rows["demonstration"],
        designated_year=rows["designated_year"],
    )
