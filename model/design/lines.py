"""The award lines a design decides: each revenue tier of each sector group, the growth award,
each recognition kind and level, and the platform cap — with their published amounts, and the
policy (and policy file) with other amounts put in.

A line's amount is what the policy file calls it: `revenue_tier.<sector>.amounts_wan[k]`,
`growth.amount_wan`, `<kind>.amounts_wan.<level>`, `platform.cap_wan`. Nothing here computes an
award: the rules engine does (fundalloc.rules.jiaxing); this module only moves numbers in and
out of a `Policy`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import tomllib

from fundalloc.rules.jiaxing import KINDS, LEVELS, SECTORS, Policy

# Recognition levels from the lowest up: 就高不重复 pays the highest level reached, which is only
# "the higher level" when the amounts rise with the level (order constraint).
LEVEL_RANKS = ("municipal", "provincial", "national")


@dataclass(frozen=True)
class Line:
    id: str  # machine name, a bare TOML key: tech_info_1, growth, service_mfg_demo_national …
    award: str  # revenue_tier | growth | service_mfg_demo | industrial_design | platform
    group: str  # sector (tiers) or kind (recognitions); "" otherwise
    rank: int  # tier index from 0 (lowest) or level rank from 0 (municipal); 0 otherwise
    published_wan: float
    threshold_wan: float = float("nan")  # tiers: the revenue threshold


def lines_of(policy: Policy) -> list[Line]:
    """Every line of a policy, in a fixed order (tiers by sector and tier, growth,
    recognitions by kind and rank, platform)."""
    out: list[Line] = []
    for s, sector in enumerate(SECTORS):
        for k in range(policy.tier_amounts.shape[1]):
            thr = float(policy.tier_thresholds[s, k])
            if np.isfinite(thr):
                amt = float(policy.tier_amounts[s, k])
                out.append(Line(f"{sector}_{k + 1}", "revenue_tier", sector, k, amt, thr))
    out.append(Line("growth", "growth", "", 0, float(policy.growth_amount_wan)))
    for i, kind in enumerate(KINDS):
        for r, level in enumerate(LEVEL_RANKS):
            amt = float(policy.recognition_amounts[i, LEVELS.index(level)])
            out.append(Line(f"{kind}_{level}", kind, kind, r, amt))
    out.append(Line("platform", "platform", "", 0, float(policy.platform_cap_wan)))
    return out


def policy_with(policy: Policy, lines: list[Line], amounts: np.ndarray) -> Policy:
    """The policy with each line's amount replaced (amounts in the order of `lines`)."""
    tiers = policy.tier_amounts.copy()
    rec = policy.recognition_amounts.copy()
    growth, cap = policy.growth_amount_wan, policy.platform_cap_wan
    for line, a in zip(lines, amounts):
        a = float(a)
        if line.award == "revenue_tier":
            tiers[SECTORS.index(line.group), line.rank] = a
        elif line.award == "growth":
            growth = a
        elif line.award == "platform":
            cap = a
        else:
            rec[KINDS.index(line.group), LEVELS.index(LEVEL_RANKS[line.rank])] = a
    return dataclasses.replace(
        policy,
        tier_amounts=tiers,
        recognition_amounts=rec,
        growth_amount_wan=growth,
        platform_cap_wan=cap,
    )


def amounts_of(policy: Policy, lines: list[Line]) -> np.ndarray:
    by_id = {ln.id: ln.published_wan for ln in lines_of(policy)}
    return np.array([by_id[ln.id] for ln in lines])


# ------------------------------------------------------------------ the designed policy file


def designed_policy_data(source: Path, lines: list[Line], amounts: np.ndarray, note: str) -> dict:
    """The source policy file's tables with the designed amounts put in (the thresholds,
    dates and clauses stay as published)."""
    data = tomllib.loads(Path(source).read_text(encoding="utf-8"))
    for line, a in zip(lines, amounts):
        value = int(a) if float(a).is_integer() else float(a)
        if line.award == "revenue_tier":
            data["revenue_tier"][line.group]["amounts_wan"][line.rank] = value
        elif line.award == "growth":
            data["growth"]["amount_wan"] = value
        elif line.award == "platform":
            data["platform"]["cap_wan"] = value
        else:
            data[line.award]["amounts_wan"][LEVEL_RANKS[line.rank]] = value
    data["id"] = f"{data.get('id', Path(source).stem)}-designed"
    data["title"] = f"{data.get('title', '')} ({note})".strip()
    return data


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, date)):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def toml_text(data: dict, header: str) -> str:
    """A policy file as TOML: top-level keys, then one table per award (the policy file has no
    deeper nesting than inline tables, so this small writer covers it; load_policy checks it)."""
    out = [f"# {ln}" for ln in header.splitlines()] + [""]
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    out += [f"{k} = {_value(v)}" for k, v in data.items() if k not in tables]
    for name, table in tables.items():
        out += ["", f"[{name}]"] + [f"{k} = {_value(v)}" for k, v in table.items()]
    return "\n".join(out) + "\n"
