"""Regenerate henan_applicants_2025.csv: 19 recommending units × 2 synthetic applicants.

SYNTHETIC DATA. The names are real counties and development zones of each city so that the table
reads naturally, but every number is drawn here (seed 2025) within plausible ranges — none is an
official statistic. Ranges (assumptions): county GDP 150–900 亿 (Henan's larger counties are
300–1,100 亿); zone operating revenue 80–2,500 亿; manufacturing share 0.22–0.60; assessment score
60–95. A few rows sit exactly on the rule boundaries (GDP 200 亿, revenue 100 亿, share 30 %) or
are municipal zones, so that the bundled run shows each eligibility reason.

    python scenarios/data/make_henan_applicants.py   # rewrites the CSV next to this file
"""

import csv
from pathlib import Path

import numpy as np

UNITS = [  # city, (name, kind, zone_level, stars) × 2
    ("郑州", ("郑州经济技术开发区", "zone", "national", 3), ("新郑市", "county", "", "")),
    ("开封", ("兰考县", "county", "", ""), ("开封经济技术开发区", "zone", "provincial", 1)),
    ("洛阳", ("洛阳高新技术产业开发区", "zone", "national", 2), ("偃师区", "county", "", "")),
    ("平顶山", ("平顶山高新技术产业开发区", "zone", "national", 1), ("舞钢市", "county", "", "")),
    ("安阳", ("林州市", "county", "", ""), ("安阳高新技术产业开发区", "zone", "national", 1)),
    ("鹤壁", ("鹤壁经济技术开发区", "zone", "provincial", 1), ("淇县", "county", "", "")),
    ("新乡", ("长垣市", "county", "", ""), ("新乡高新技术产业开发区", "zone", "national", 2)),
    ("焦作", ("沁阳市", "county", "", ""), ("焦作高新技术产业开发区", "zone", "national", 1)),
    ("濮阳", ("濮阳经济技术开发区", "zone", "provincial", 1), ("濮阳县", "county", "", "")),
    ("许昌", ("长葛市", "county", "", ""), ("禹州市", "county", "", "")),
    ("漯河", ("漯河经济技术开发区", "zone", "provincial", 1), ("临颍县", "county", "", "")),
    ("三门峡", ("灵宝市", "county", "", ""), ("义马市", "county", "", "")),
    ("南阳", ("南阳高新技术产业开发区", "zone", "national", 1), ("邓州市", "county", "", "")),
    ("商丘", ("永城市", "county", "", ""), ("商丘经济技术开发区", "zone", "provincial", 0)),
    ("信阳", ("固始县", "county", "", ""), ("信阳高新技术产业开发区", "zone", "provincial", 0)),
    ("周口", ("项城市", "county", "", ""), ("周口临港开发区", "zone", "municipal", 0)),
    ("驻马店", ("遂平县", "county", "", ""), ("驻马店经济开发区", "zone", "provincial", 1)),
    (
        "济源示范区",
        ("济源虎岭高新技术产业开发区", "zone", "provincial", 1),
        ("济源玉川产业集聚区", "zone", "municipal", 0),
    ),
    (
        "郑州航空港区",
        ("郑州航空港经济综合实验区", "zone", "national", 2),
        ("航空港区电子信息产业园", "zone", "municipal", 0),
    ),
]
# Rows pinned to a rule boundary, to show the readings of the text (RULES.md A).
BOUNDARY = {
    "遂平县": {"gdp_prev_yi": 200.0},  # "超过200亿": exactly 200 is not enough (strict)
    "义马市": {"gdp_prev_yi": 168.0},  # below 200 亿
    "信阳高新技术产业开发区": {"revenue_prev_yi": 100.0},  # "超过100亿": exactly 100 fails
    "淇县": {"mfg_share": 0.30},  # "达30%以上": exactly 30 % qualifies
    "固始县": {"mfg_share": 0.24},  # below 30 %
}


def main() -> None:
    rng = np.random.default_rng(2025)
    rows = []
    for c, (city, *units) in enumerate(UNITS, start=1):
        for k, (name, kind, level, stars) in enumerate(units, start=1):
            county = kind == "county"
            gdp = round(float(rng.uniform(210, 900)), 1) if county else ""
            rev = "" if county else round(float(rng.uniform(120, 2500)), 1)
            row = {
                "id": f"HA{c:02d}{k}",
                "name": name,
                "city": city,
                "kind": kind,
                "zone_level": level,
                "gdp_prev_yi": gdp,
                "revenue_prev_yi": rev,
                "mfg_share": round(float(rng.uniform(0.31, 0.60)), 3),
                "score": round(float(rng.uniform(60, 95)), 1),
                # award-sizing factors: industrial scale (manufacturing VA, 亿), service capability
                # (expert index 0–100), reach (firms served beyond the unit, count)
                "industrial_scale": round(float(rng.uniform(40, 600)), 1),
                "service_capability": round(float(rng.uniform(40, 100)), 1),
                "reach": int(rng.integers(20, 400)),
                "stars": stars,
                "pinned": "",
                "city_match_wan": int(rng.choice([0, 50, 100, 200])),
            }
            row.update(BOUNDARY.get(name, {}))
            rows.append(row)
    out = Path(__file__).with_name("henan_applicants_2025.csv")
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} applicants to {out}")


if __name__ == "__main__":
    main()
