"""Award sizing: how "综合考虑产业规模、服务能级、辐射范围等因素" (seeds/000 三) turns into amounts.

Each mode is one reading of the clause (docs/award_modes.md) and one pure function here, used by
the MIP (levels.py makes its award columns from them), by `fundalloc compare` (one batch under
several modes) and by the robustness draws:

- proportional — the factors weigh the amount: award ≈ λ · factor index (the split is an
  optimisation: apportion.py); the reading the model has always made.
- equal — the factors were weighed in the assessment; the amount is flat (2010: 200 万 to each
  of 20 zones). `equal_wan` fixes it; else the model picks the one amount, in whole steps
  between floor and cap: the most the budget pays every designated applicant (spend_budget),
  or the floor.
- by_stars — the development-zone class stands for scale and level (2017: 500 万 to
  outstanding clusters, 300 万 to newly starred ones): `stars_wan` by class.
- by_score_band — the assessment score stands for the factors: `score_bands_wan` by band.
- tiers — one of `tiers_wan`, monotone in the factor index (an optimisation: levels.py).
"""

from __future__ import annotations

import math

import numpy as np

from fundalloc.core.i18n import tr

STAR_KEYS = ("0", "1", "2", "3", "none")


def table_problem(p) -> tuple[str, str] | None:
    """(key, message) for the first bad entry of the amount tables of [selection]: keys they
    understand; amounts between floor and cap in the mode that uses the table (outside, a whole
    class could never be paid; an unused table may keep amounts another cap would refuse)."""
    for key, table in (("stars_wan", p.stars_wan), ("score_bands_wan", p.score_bands_wan)):
        for k, v in table.items():
            if key == "stars_wan" and k not in STAR_KEYS:
                return key, tr("check.unknown_star", name=k, classes=", ".join(STAR_KEYS))
            if key == "score_bands_wan":
                try:
                    float(k)
                except ValueError:
                    return key, tr("check.band_not_score", name=k)
            used = p.award_mode == {"stars_wan": "by_stars"}.get(key, "by_score_band")
            if used and not p.floor_wan - 1e-9 <= v <= p.cap_wan + 1e-9:  # only where sized
                return (
                    f"{key}.{k}",
                    tr(
                        "check.outside_floor_cap",
                        value=f"{v:g}",
                        floor=f"{p.floor_wan:g}",
                        cap=f"{p.cap_wan:g}",
                    ),
                )
    need = {"by_stars": "stars_wan", "by_score_band": "score_bands_wan"}.get(p.award_mode)
    if need and not getattr(p, need):
        return need, tr("check.mode_needs_table", mode=p.award_mode, table=need)
    if p.award_mode == "equal" and p.equal_wan is not None:
        if not p.floor_wan - 1e-9 <= p.equal_wan <= p.cap_wan + 1e-9:
            return "equal_wan", tr(
                "check.outside_floor_cap",
                value=f"{p.equal_wan:g}",
                floor=f"{p.floor_wan:g}",
                cap=f"{p.cap_wan:g}",
            )
    return None


def star_amounts(stars: np.ndarray | None, table: dict[str, float]) -> np.ndarray:
    """Amount by star class; NaN where the class has no entry (the caller names the applicant)."""
    if stars is None:
        return np.full(0, np.nan)
    keys = ["none" if s != s else str(int(s)) for s in np.asarray(stars, float)]
    return np.array([table.get(k, np.nan) for k in keys], float)


def band_amounts(score: np.ndarray, table: dict[str, float]) -> np.ndarray:
    """Amount of the highest band each score reaches (a band's key is its lowest score); 0
    below every band (cannot be designated: below the floor)."""
    lows = sorted(((float(k), v) for k, v in table.items()), reverse=True)
    out = np.zeros(len(score))
    done = np.zeros(len(score), bool)
    for low, amount in lows:
        hit = ~done & (np.asarray(score, float) >= low - 1e-9)
        out[hit], done = amount, done | hit
    return out


def equal_level(k: int, p) -> int | None:
    """Mode "equal" without `equal_wan`: the one amount, in steps, for a batch of k — the most
    the budget pays all k within the cap (spend_budget), else the floor; None if none fits."""
    lo = math.ceil(p.floor_wan / p.step_wan - 1e-9)
    hi = math.floor(p.cap_wan / p.step_wan + 1e-9)
    if k == 0:
        return lo
    level = min(hi, math.floor(p.budget_wan / p.step_wan / k + 1e-9)) if p.spend_budget else lo
    return level if level >= lo else None


def fixed_amounts(inst) -> np.ndarray | None:
    """What each applicant gets if designated, in the modes where that follows from the
    applicant alone (by_stars, by_score_band, equal with `equal_wan`); None otherwise."""
    p, n = inst.params, len(inst.ids)
    if p.award_mode == "by_stars":
        stars = inst.stars if inst.stars is not None else np.full(n, np.nan)
        return star_amounts(stars, p.stars_wan)
    if p.award_mode == "by_score_band":
        return band_amounts(inst.score, p.score_bands_wan)
    if p.award_mode == "equal" and p.equal_wan is not None:
        return np.full(n, float(p.equal_wan))
    return None


def awards_of_batch(inst, x: np.ndarray) -> np.ndarray | None:
    """The awards (万) of batch x in the modes whose amounts follow from the batch (all but
    proportional and tiers); None in those two, or if the batch cannot be paid."""
    x = np.asarray(x, bool)
    fixed = fixed_amounts(inst)
    if fixed is not None:
        return np.where(x, fixed, 0.0)
    if inst.params.award_mode == "equal":
        level = equal_level(int(x.sum()), inst.params)
        return None if level is None else np.where(x, level * inst.params.step_wan, 0.0)
    return None


def unpaid_classes(inst) -> list[str]:
    """Applicants (id: class) whose star class has no amount in stars_wan (by_stars only)."""
    if inst.params.award_mode != "by_stars":
        return []
    amounts = fixed_amounts(inst)
    stars = inst.stars if inst.stars is not None else np.full(len(inst.ids), np.nan)
    return [
        f"{inst.ids[i]}: {'none' if stars[i] != stars[i] else int(stars[i])}"
        for i in np.flatnonzero(np.isnan(np.asarray(amounts, float)))
    ]
