"""Generate the SYNTHETIC example inputs for scenarios/jiaxing-2024.toml.

Nothing here is real data: firm ids, revenues, recognitions and platforms are invented. The
files exist to show the formats and to exercise every award of 嘉政发〔2024〕14号 (RULES.md C):

- jiaxing_firms_example.csv  (firm_id, sector, year, revenue_wan): 60 firms, revenue years
  2022–2026, F001 and F011 also 2027 (2022–2023 are history: they decide "first exceeds" and are growth bases).
  F001–F012 are hand-written boundary firms (listed below); the rest follow a seeded random walk
  (log-growth ~ Laplace, scale 0.12, drift by sector), sizes around the tier thresholds.
- jiaxing_recognitions_example.csv (firm_id, year, kind, level): demonstrations, incl. a firm
  recognised at two levels (paid the highest only) and one recognised before 2024.
- jiaxing_platforms_example.csv (platform_id, year, firms_served, trade_growth,
  upgrade_cost_wan): cross-border e-commerce platform upgrades at 70 %, 100 %, capped and none.

Run:  python scenarios/data/make_jiaxing_firms.py   (rewrites the three files, same seed).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
YEARS = list(range(2022, 2027))
# A few firms also report 2027 revenue, so the sunset reading (growth awards for revenue years
# after 2026) shows in the example: F001 and F011.
LATE = {"F001": 3600, "F011": 5700}
SECTORS = ("tech_info", "logistics", "business_services", "wholesale_retail", "manufacturing")
START = {
    "tech_info": 3000,
    "logistics": 3500,
    "business_services": 2500,
    "wholesale_retail": 60000,
    "manufacturing": 20000,
}
DRIFT = {
    "tech_info": 0.10,
    "logistics": 0.05,
    "business_services": 0.07,
    "wholesale_retail": 0.04,
    "manufacturing": 0.03,
}

# Boundary firms: (id, sector, revenue 2022..2026 in 万元; None = firm not yet existing).
HAND = [
    ("F001", "tech_info", [1500, 1800, 2100, 2600, 3100]),  # 2000 in 2024 -> 10, growth
    ("F002", "tech_info", [1500, 1800, 5200, 5300, 10500]),  # two tiers 2024, top-up 2026
    ("F003", "logistics", [2500, 2600, 2700, 5100, 5200]),  # above 2000 before 2024: 2000
    #                                                                tier never; 5000 tier 2025
    ("F004", "business_services", [None, None, 1000, 2400, 2600]),  # new firm, crosses 2025
    ("F005", "business_services", [12000, 13000, 15000, 18000, 21000]),  # above all tiers: none
    ("F006", "wholesale_retail", [40000, 45000, 51000, 55000, 101000]),  # 5亿 2024, 10亿 2026
    ("F007", "wholesale_retail", [210000, 230000, 250000, 260000, 270000]),  # above 20亿 already
    ("F008", "manufacturing", [8000, 9000, 12000, 15000, 20000]),  # manufacturing: no tier award
    ("F009", "tech_info", [1700, 1900, 2000, 2000.5, 2300]),  # exactly 2000 is not above
    ("F010", "logistics", [1000, 1500, 2100, 2415, 2800]),  # growth exactly 15 % (2025)
    ("F011", "tech_info", [1000, 1200, 4000, 4200, 4900]),  # 2024 award, growth gap 2025
    ("F012", "business_services", [1800, 1900, 1950, 1990, 2001]),  # crosses in 2026 (last year)
]


def main() -> None:
    rng = np.random.default_rng(20240520)
    rows = []
    for fid, sector, rev in HAND:
        rows += [(fid, sector, y, r) for y, r in zip(YEARS, rev) if r is not None]
        if fid in LATE:
            rows.append((fid, sector, 2027, LATE[fid]))
    for i in range(13, 61):
        sector = SECTORS[i % len(SECTORS)]
        size = START[sector] * float(np.exp(rng.normal(0, 0.6)))
        born = int(rng.choice([2022, 2022, 2022, 2023, 2024]))
        for y in YEARS:
            if y < born:
                continue
            rows.append((f"F{i:03d}", sector, y, round(size)))
            size *= float(np.exp(DRIFT[sector] + rng.laplace(0, 0.12)))
    with open(HERE / "jiaxing_firms_example.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["firm_id", "sector", "year", "revenue_wan"])
        w.writerows(rows)

    recognitions = [
        ("F008", 2024, "service_mfg_demo", "municipal"),  # 20
        ("F008", 2025, "service_mfg_demo", "provincial"),  # top-up 30 (就高不重复)
        ("F013", 2025, "industrial_design", "national"),  # 150
        ("F018", 2023, "industrial_design", "provincial"),  # before the schedule: nothing, and
        ("F018", 2025, "industrial_design", "provincial"),  # the same level again: nothing
        ("F023", 2026, "service_mfg_demo", "municipal"),  # 20
        ("F028", 2024, "service_mfg_demo", "national"),  # 150 and
        ("F028", 2024, "service_mfg_demo", "provincial"),  # same year, lower level: nothing more
        ("F033", 2027, "industrial_design", "municipal"),  # after 2026: nothing
    ]
    with open(HERE / "jiaxing_recognitions_example.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["firm_id", "year", "kind", "level"])
        w.writerows(recognitions)

    platforms = [
        ("P01", 2024, 420, 0.16, 50),  # 70 % of 50 = 35
        ("P01", 2025, 450, 0.22, 80),  # 100 % of 80, capped at 60
        ("P02", 2025, 300, 0.30, 40),  # exactly 300 firms served: not "more than 300"
        ("P03", 2026, 800, 0.20, 45),  # exactly 20 %: 100 % = 45
        ("P04", 2024, 350, 0.10, 30),  # growth below 15 %: nothing
    ]
    with open(HERE / "jiaxing_platforms_example.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["platform_id", "year", "firms_served", "trade_growth", "upgrade_cost_wan"])
        w.writerows(platforms)


if __name__ == "__main__":
    main()
