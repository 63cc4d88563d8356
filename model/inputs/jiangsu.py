"""Jiangsu benchmark tables, read and checked cell by cell: the applicant file of one annual
round (for `select`) and the performance file of named benchmarks (for `evaluate`).

Column meanings are in docs/jiangsu.md. Both files describe a benchmark the same way
(track, unit type, catalogue, pilot, share, GDP, revenue, rank), read here by one function.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fundalloc.core.errors import InputError
from fundalloc.rules.jiangsu import CITY_ALIASES, CITY_REGION, REGION_UNIT_TYPES, TRACKS
from fundalloc.core.tables import choice, numeric, read_table, require_columns, sheet_row, unique_ids

FACTORS = ("industrial_scale", "service_capability", "reach")
FACT_COLUMNS = ("id", "name", "city", "track", "unit_type", "mfg_share", "gdp_prev_yi",
                "revenue_prev_yi")
APPLICANT_REQUIRED = FACT_COLUMNS + ("provincial_pilot", "score") + FACTORS
APPLICANT_OPTIONAL = ("in_catalogue", "national_share_rank", "pinned", "city_match_wan")
PERFORMANCE_REQUIRED = FACT_COLUMNS + ("performance_score", "new_models", "demonstration")
PERFORMANCE_OPTIONAL = ("in_catalogue", "provincial_pilot", "national_share_rank",
                        "designated_year")

TRUE_WORDS = ("yes", "y", "true", "1", "是", "t")
FALSE_WORDS = ("no", "n", "false", "0", "否", "f")
TRACK_ALIASES = {"区域": "region", "企业": "enterprise"}
UNIT_ALIASES = {"县": "county", "县(市、区)": "county", "县市区": "county", "district": "county",
                "开发园区": "dev_park", "开发区": "dev_park", "工业集中区": "industrial_zone",
                "特色小镇": "feature_town", "企业": "enterprise"}


def flag(frame: pd.DataFrame, path, column: str, required_mask: np.ndarray) -> np.ndarray:
    """A yes/no column as bools; empty is False where not required, an error where required."""
    out = np.zeros(len(frame), dtype=bool)
    for i, raw in enumerate(frame[column].astype(str)):
        key = raw.strip().lower()
        if key in TRUE_WORDS:
            out[i] = True
        elif key == "" and required_mask[i]:
            raise InputError(path, "value is missing; give yes or no", sheet_row(i), column)
        elif key not in FALSE_WORDS and key != "":
            raise InputError(path, f"'{raw}' is not yes/no (accepted: yes, no, true, false, 1, 0, "
                                   "是, 否)", sheet_row(i), column)
    return out


@dataclass
class BenchmarkFacts:
    """What the rules look at, one entry per row."""

    path: Path
    frame: pd.DataFrame
    ids: np.ndarray
    names: np.ndarray
    city: np.ndarray            # canonical Chinese names
    region: np.ndarray          # sunan | suzhong | subei
    track: np.ndarray           # region | enterprise
    unit_type: np.ndarray       # a REGION_UNIT_TYPES value, or "enterprise"
    in_catalogue: np.ndarray
    provincial_pilot: np.ndarray
    mfg_share: np.ndarray       # NaN where not given (enterprises)
    gdp_prev_yi: np.ndarray
    revenue_prev_yi: np.ndarray
    national_share_rank: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def rule_args(self) -> tuple:
        """Positional arguments of rules.jiangsu.eligibility, in order."""
        return (self.track, self.unit_type, self.in_catalogue, self.provincial_pilot,
                self.mfg_share, self.gdp_prev_yi, self.revenue_prev_yi, self.national_share_rank)


def _facts(path: Path, required, optional, *, pilot_required: bool) -> BenchmarkFacts:
    frame = read_table(path)
    require_columns(frame, path, required)
    for col in optional:
        if col not in frame.columns:
            frame[col] = ""
    unique_ids(frame, path, "id")
    city = choice(frame, path, "city", list(CITY_REGION), aliases=CITY_ALIASES)
    track = choice(frame, path, "track", TRACKS, aliases=TRACK_ALIASES)
    is_region, is_firm = track == "region", track == "enterprise"
    unit = choice(frame, path, "unit_type", (*REGION_UNIT_TYPES, "enterprise"),
                  allow_empty=True, aliases=UNIT_ALIASES)
    unit[is_firm & (unit == "")] = "enterprise"
    _check_unit_matches_track(path, track, unit)
    in_catalogue = flag(frame, path, "in_catalogue", unit == "dev_park")
    pilot = flag(frame, path, "provincial_pilot", np.full(len(frame), pilot_required))
    share = numeric(frame, path, "mfg_share", min_value=0, required_mask=is_region)
    if (share > 1).any():
        i = int(np.argmax(share > 1))
        raise InputError(path, f"share {share[i]:g} is above 1: give shares as fractions "
                               f"(0.35 for 35 %)", sheet_row(i), "mfg_share")
    gdp = numeric(frame, path, "gdp_prev_yi", required=False, min_value=0)
    revenue = numeric(frame, path, "revenue_prev_yi", required=False, min_value=0)
    rank = numeric(frame, path, "national_share_rank", required=False, min_value=1, integer=True)
    no_size = is_region & np.isnan(gdp) & np.isnan(revenue)
    if no_size.any():
        raise InputError(path, "a region needs its GDP or its operating revenue (亿元): both are "
                               "empty", sheet_row(int(np.argmax(no_size))), "gdp_prev_yi")
    no_test = is_firm & np.isnan(revenue) & np.isnan(rank)
    if no_test.any():
        raise InputError(path, "an enterprise needs its revenue (亿元) or its national market-share "
                               "rank: both are empty", sheet_row(int(np.argmax(no_test))),
                         "revenue_prev_yi")
    return BenchmarkFacts(
        path=path, frame=frame, ids=frame["id"].to_numpy(dtype=object),
        names=frame["name"].to_numpy(dtype=object), city=city,
        region=np.array([CITY_REGION[c] for c in city], dtype=object), track=track,
        unit_type=unit, in_catalogue=in_catalogue, provincial_pilot=pilot, mfg_share=share,
        gdp_prev_yi=gdp, revenue_prev_yi=revenue, national_share_rank=rank)


def _check_unit_matches_track(path: Path, track: np.ndarray, unit: np.ndarray) -> None:
    bad_region = (track == "region") & np.isin(unit, ["", "enterprise"])
    if bad_region.any():
        i = int(np.argmax(bad_region))
        raise InputError(path, f"a region needs its unit type: one of "
                               f"{', '.join(REGION_UNIT_TYPES)}", sheet_row(i), "unit_type")
    bad_firm = (track == "enterprise") & (unit != "enterprise")
    if bad_firm.any():
        i = int(np.argmax(bad_firm))
        raise InputError(path, f"unit type '{unit[i]}' is for regions; an enterprise row has "
                               "unit_type 'enterprise' or empty (or is it track 'region'?)",
                         sheet_row(i), "unit_type")


@dataclass
class JiangsuApplicants:
    facts: BenchmarkFacts
    score: np.ndarray
    factors: np.ndarray          # shape (n, 3) in FACTORS order
    pinned: np.ndarray           # "in" | "out" | ""
    city_match_wan: np.ndarray


def read_jiangsu_applicants(path: str | Path, max_per_city: int = 0) -> JiangsuApplicants:
    """One annual round's applicants; max_per_city 0 = no limit (the text sets none)."""
    path = Path(path)
    facts = _facts(path, APPLICANT_REQUIRED, APPLICANT_OPTIONAL, pilot_required=True)
    frame = facts.frame
    score = numeric(frame, path, "score", min_value=0, max_value=100)
    factors = np.column_stack([numeric(frame, path, f, min_value=0, min_inclusive=False)
                               for f in FACTORS])
    pinned = choice(frame, path, "pinned", ("in", "out"), allow_empty=True)
    match = numeric(frame, path, "city_match_wan", required=False, min_value=0)
    if max_per_city:
        _check_per_city(path, facts.city, max_per_city)
    return JiangsuApplicants(facts=facts, score=score, factors=factors, pinned=pinned,
                             city_match_wan=np.nan_to_num(match, nan=0.0))


def _check_per_city(path: Path, city: np.ndarray, limit: int) -> None:
    """seeds/001 四.(三): each 设区市 recommends (择优推荐); the text sets no number, so the limit
    is the scenario's eligibility.max_applicants_per_city. Names the first row over it."""
    seen: dict[str, int] = {}
    for i, name in enumerate(city):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > limit:
            total = int((city == name).sum())
            raise InputError(path, f"{name} recommends {total} applicants; the scenario allows at "
                                   f"most {limit} per city a year "
                                   f"(eligibility.max_applicants_per_city)", sheet_row(i), "city")


@dataclass
class Performance:
    facts: BenchmarkFacts
    performance_score: np.ndarray
    new_models: np.ndarray
    demonstration: np.ndarray
    designated_year: np.ndarray   # NaN where not given


def read_performance(path: str | Path, pilot_required: bool = False) -> Performance:
    """The named benchmarks with current data and their evaluation marks."""
    path = Path(path)
    facts = _facts(path, PERFORMANCE_REQUIRED, PERFORMANCE_OPTIONAL,
                   pilot_required=pilot_required)
    frame = facts.frame
    must = np.ones(len(frame), dtype=bool)
    return Performance(
        facts=facts,
        performance_score=numeric(frame, path, "performance_score", min_value=0, max_value=100),
        new_models=flag(frame, path, "new_models", must),
        demonstration=flag(frame, path, "demonstration", must),
        designated_year=numeric(frame, path, "designated_year", required=False,
                                min_value=2021, max_value=2030, integer=True))
