"""The applicant table of DESIGN.md (one row per applicant), read and checked cell by cell."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fundalloc.core.errors import InputError
from fundalloc.rules.henan import CITY_ALIASES, CITY_REGION, KINDS, ZONE_LEVELS
from fundalloc.core.tables import choice, numeric, read_table, require_columns, sheet_row, unique_ids

REQUIRED = ("id", "name", "city", "kind", "zone_level", "gdp_prev_yi", "revenue_prev_yi",
            "mfg_share", "score", "industrial_scale", "service_capability", "reach")
OPTIONAL = ("stars", "pinned", "city_match_wan")
FACTORS = ("industrial_scale", "service_capability", "reach")


@dataclass
class Applicants:
    path: Path
    frame: pd.DataFrame          # the file as read (text), for echoing back in outputs
    ids: np.ndarray
    names: np.ndarray
    city: np.ndarray             # canonical Chinese names
    region: np.ndarray           # zhengzhou | west | south | east | north
    kind: np.ndarray
    zone_level: np.ndarray
    gdp_prev_yi: np.ndarray
    revenue_prev_yi: np.ndarray
    mfg_share: np.ndarray
    score: np.ndarray
    factors: np.ndarray          # shape (n, 3) in FACTORS order
    stars: np.ndarray
    pinned: np.ndarray           # "in" | "out" | ""
    city_match_wan: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def read_applicants(path: str | Path, max_per_city: int = 2) -> Applicants:
    path = Path(path)
    frame = read_table(path)
    require_columns(frame, path, REQUIRED)
    for col in OPTIONAL:
        if col not in frame.columns:
            frame[col] = ""
    unique_ids(frame, path, "id")
    city = choice(frame, path, "city", list(CITY_REGION), aliases=CITY_ALIASES)
    kind = choice(frame, path, "kind", KINDS)
    zone_level = choice(frame, path, "zone_level", ZONE_LEVELS, allow_empty=True)
    is_county, is_zone = kind == "county", kind == "zone"
    gdp = numeric(frame, path, "gdp_prev_yi", min_value=0, required_mask=is_county)
    revenue = numeric(frame, path, "revenue_prev_yi", min_value=0, required_mask=is_zone)
    share = numeric(frame, path, "mfg_share", min_value=0)
    if (share > 1).any():
        i = int(np.argmax(share > 1))
        raise InputError(path, f"share {share[i]:g} is above 1: give shares as fractions "
                               f"(0.35 for 35 %)", sheet_row(i), "mfg_share")
    score = numeric(frame, path, "score", min_value=0, max_value=100)
    factors = np.column_stack([numeric(frame, path, f, min_value=0, min_inclusive=False)
                               for f in FACTORS])
    stars = numeric(frame, path, "stars", required=False, min_value=0, max_value=3, integer=True)
    pinned = choice(frame, path, "pinned", ("in", "out"), allow_empty=True)
    match = numeric(frame, path, "city_match_wan", required=False, min_value=0)
    if max_per_city:
        _check_per_city(path, city, max_per_city)
    return Applicants(
        path=path, frame=frame, ids=frame["id"].to_numpy(dtype=object),
        names=frame["name"].to_numpy(dtype=object), city=city,
        region=np.array([CITY_REGION[c] for c in city], dtype=object), kind=kind,
        zone_level=zone_level, gdp_prev_yi=gdp, revenue_prev_yi=revenue, mfg_share=share,
        score=score, factors=factors, stars=stars, pinned=pinned,
        city_match_wan=np.nan_to_num(match, nan=0.0),
    )


def _check_per_city(path: Path, city: np.ndarray, limit: int) -> None:
    """seeds/000: 各省辖市可推荐2个申报主体 (each recommending unit recommends at most 2)."""
    names, counts = np.unique(city, return_counts=True)
    for name, count in zip(names, counts):
        if count > limit:
            rows = [sheet_row(i) for i in np.flatnonzero(city == name)]
            raise InputError(path, f"{name} recommends {count} applicants (rows "
                                   f"{', '.join(map(str, rows))}); each recommending unit may "
                                   f"recommend at most {limit} a year "
                                   f"(set eligibility.max_applicants_per_city to change)",
                             rows[limit], "city")
