"""Regenerate the Jiangsu benchmark data beside this file (seed 2023):

  jiangsu_applicants_2023.csv, _2024.csv, _2025.csv   one annual round each, 13 cities, both tracks
  jiangsu_performance_2025.csv                         the 2025 performance evaluation (`evaluate`)

SYNTHETIC DATA. Region names are real counties, districts and development parks of each city so
the tables read naturally, but every number is drawn here — none is an official statistic — and
the enterprises are invented ("企业A" …). Ranges (assumptions): county GDP 150–2,500 亿; park and
zone operating revenue 110–3,000 亿; manufacturing VA share 0.36–0.62; enterprise revenue 10.5–400
亿; assessment score 60–95.

Scale. The plan's target is 100 benchmarks by 2025 in annual quotas (scenario [programme]:
30 + 35 + 35). Each round here has 62 new applicants (苏南 6, 苏中 4, 苏北 4 per city) plus a few
reappearing under their earlier id, so every year has more new eligible applicants than its quota
and the three rounds together can fill 100 while meeting the regional minima.

Boundary rows (BOUNDARY below) sit exactly on, or just past, each condition of seeds/001 四.(二) so
every eligibility reason shows up; REAPPEAR lists applicants that come back a later year with
changed data under the same id.

    python scenarios/data/make_jiangsu_applicants.py   # rewrites the four CSV files
"""

import csv
from pathlib import Path

import numpy as np

YEARS = (2023, 2024, 2025)
HERE = Path(__file__).parent
CITIES = [  # city, group, counties/districts, national-catalogue development parks
    (
        "南京",
        "sunan",
        ["江宁区", "浦口区", "六合区", "溧水区", "高淳区"],
        ["南京经济技术开发区", "江宁经济技术开发区", "南京高新技术产业开发区"],
    ),
    (
        "无锡",
        "sunan",
        ["江阴市", "宜兴市", "锡山区", "惠山区"],
        ["无锡高新技术产业开发区", "锡山经济技术开发区"],
    ),
    (
        "常州",
        "sunan",
        ["武进区", "新北区", "溧阳市", "金坛区"],
        ["武进国家高新技术产业开发区", "常州经济开发区"],
    ),
    (
        "苏州",
        "sunan",
        ["昆山市", "张家港市", "常熟市", "太仓市", "吴江区", "吴中区"],
        ["苏州工业园区", "昆山经济技术开发区", "苏州高新技术产业开发区"],
    ),
    ("镇江", "sunan", ["丹阳市", "句容市", "扬中市", "丹徒区"], ["镇江经济技术开发区"]),
    ("南通", "suzhong", ["海安市", "如皋市", "启东市", "海门区", "如东县"], ["南通经济技术开发区"]),
    ("扬州", "suzhong", ["仪征市", "高邮市", "江都区", "宝应县"], ["扬州经济技术开发区"]),
    ("泰州", "suzhong", ["靖江市", "泰兴市", "兴化市", "姜堰区"], ["泰州医药高新技术产业开发区"]),
    (
        "徐州",
        "subei",
        ["邳州市", "新沂市", "沛县", "丰县", "睢宁县", "铜山区"],
        ["徐州经济技术开发区"],
    ),
    ("连云港", "subei", ["东海县", "灌云县", "灌南县", "赣榆区"], ["连云港经济技术开发区"]),
    ("淮安", "subei", ["涟水县", "盱眙县", "金湖县", "淮安区"], ["淮安经济技术开发区"]),
    ("盐城", "subei", ["东台市", "大丰区", "建湖县", "射阳县", "阜宁县"], ["盐城经济技术开发区"]),
    ("宿迁", "subei", ["沭阳县", "泗阳县", "泗洪县", "宿豫区"], ["宿迁经济技术开发区"]),
]
PER_YEAR = {"sunan": (3, 3), "suzhong": (2, 2), "subei": (2, 2)}  # (regions, enterprises)
SUB_INDUSTRIES = [
    "智能装备",
    "新材料",
    "生物医药",
    "集成电路",
    "汽车零部件",
    "工业软件",
    "供应链服务",
    "工业设计",
    "海工装备",
    "新能源装备",
    "节能环保",
    "检验检测",
]

# (year, city, track, n-th row of that track in the city) → overrides, and why.
BOUNDARY = {
    (2023, "无锡", "region", 0): ({"mfg_share": 0.35}, "达35%以上: exactly 35 % qualifies"),
    (2023, "南通", "region", 0): ({"mfg_share": 0.349}, "share just below 35 %"),
    (2023, "徐州", "region", 0): (
        {"unit_type": "county", "gdp_prev_yi": 100.0, "revenue_prev_yi": ""},
        "超过100亿: GDP exactly 100 fails",
    ),
    (2023, "常州", "region", 1): (
        {
            "unit_type": "dev_park",
            "in_catalogue": "yes",
            "gdp_prev_yi": "",
            "revenue_prev_yi": 100.5,
        },
        "revenue just above 100 亿",
    ),
    (2023, "盐城", "region", 0): (
        {
            "unit_type": "dev_park",
            "in_catalogue": "no",
            "gdp_prev_yi": "",
            "revenue_prev_yi": 260.0,
        },
        "park not in the national catalogue",
    ),
    (2023, "宿迁", "region", 1): (
        {"unit_type": "feature_town", "gdp_prev_yi": "", "revenue_prev_yi": 120.0},
        "feature town: not a named type",
    ),
    (2023, "扬州", "region", 0): (
        {"unit_type": "county", "gdp_prev_yi": 92.0, "revenue_prev_yi": 130.0},
        "GDP below, revenue above: eligible only under 'either'",
    ),
    (2023, "镇江", "region", 0): ({"provincial_pilot": "no"}, "not a provincial pilot"),
    (2023, "苏州", "enterprise", 0): (
        {"revenue_prev_yi": 10.0, "national_share_rank": ""},
        "10亿元以上: exactly 10 亿 qualifies",
    ),
    (2023, "泰州", "enterprise", 0): (
        {"revenue_prev_yi": 6.2, "national_share_rank": 3},
        "top-5 share without the revenue",
    ),
    (2023, "淮安", "enterprise", 0): (
        {"revenue_prev_yi": 8.5, "national_share_rank": 7},
        "neither 10 亿 nor top 5",
    ),
    (2023, "南京", "enterprise", 1): ({"provincial_pilot": "no"}, "not a provincial pilot"),
    (2024, "连云港", "enterprise", 0): (
        {"revenue_prev_yi": 9.99, "national_share_rank": ""},
        "revenue just below 10 亿, not ranked",
    ),
    (2024, "常州", "region", 0): (
        {"unit_type": "industrial_zone", "gdp_prev_yi": "", "revenue_prev_yi": 100.0},
        "超过100亿: revenue exactly 100 fails",
    ),
    (2024, "苏州", "enterprise", 1): (
        {"revenue_prev_yi": 3.4, "national_share_rank": 5},
        "前5名: rank 5 qualifies",
    ),
    (2024, "盐城", "enterprise", 0): (
        {"revenue_prev_yi": "", "national_share_rank": 6},
        "rank 6, no revenue given",
    ),
    (2025, "南京", "region", 0): ({"mfg_share": 0.3499}, "share just below 35 %"),
    (2025, "无锡", "enterprise", 0): (
        {"revenue_prev_yi": 10.0, "national_share_rank": ""},
        "exactly 10 亿",
    ),
    (2025, "淮安", "region", 0): (
        {
            "unit_type": "dev_park",
            "in_catalogue": "yes",
            "gdp_prev_yi": "",
            "revenue_prev_yi": 100.0,
        },
        "park revenue exactly 100 亿 fails",
    ),
    (2025, "南通", "enterprise", 0): ({"provincial_pilot": "no"}, "not a provincial pilot"),
}
# Applicants that come back a later year under the same id, with what changed.
REAPPEAR = {
    2024: [
        (2023, "南通", "region", 0, {"mfg_share": 0.362}),  # share now above 35 %
        (2023, "淮安", "enterprise", 0, {"national_share_rank": 4}),  # now ranked 4th
        (2023, "南京", "enterprise", 1, {"provincial_pilot": "yes"}),  # now a pilot
        (2023, "镇江", "region", 0, {"provincial_pilot": "yes"}),
        (2023, "扬州", "region", 0, {"gdp_prev_yi": 98.0}),
    ],  # still below on GDP
    2025: [
        (2023, "徐州", "region", 0, {"gdp_prev_yi": 108.0}),  # GDP now above 100 亿
        (2024, "连云港", "enterprise", 0, {"revenue_prev_yi": 11.3}),
        (2024, "常州", "region", 0, {"revenue_prev_yi": 112.0}),
        (2023, "宿迁", "region", 1, {"score": 78.0}),
    ],  # still a feature town
}
FIELDS = [
    "id",
    "name",
    "city",
    "track",
    "unit_type",
    "in_catalogue",
    "provincial_pilot",
    "mfg_share",
    "gdp_prev_yi",
    "revenue_prev_yi",
    "national_share_rank",
    "score",
    "industrial_scale",
    "service_capability",
    "reach",
    "pinned",
    "city_match_wan",
]


def region_names(counties, parks, rng):
    pool = (
        [(c, "county") for c in counties]
        + [(p, "dev_park") for p in parks]
        + [(f"{c}工业集中区", "industrial_zone") for c in counties]
    )
    order = rng.permutation(len(pool))
    return [pool[i] for i in order]


def take_name(pool, unit=None):
    """The next unused region name, of the given unit type when a boundary row needs one."""
    if unit == "feature_town":
        return f"{pool[0][0][:2]}智造特色小镇", unit
    i = next(k for k, (_, u) in enumerate(pool) if unit in (None, u))
    return pool.pop(i)


def region_row(rng, name, unit):
    county = unit == "county"
    return {
        "name": name,
        "track": "region",
        "unit_type": unit,
        "in_catalogue": "yes" if unit == "dev_park" else "",
        "provincial_pilot": "yes",
        "mfg_share": round(float(rng.uniform(0.36, 0.62)), 3),
        "gdp_prev_yi": round(float(rng.uniform(150, 2500)), 1) if county else "",
        "revenue_prev_yi": "" if county else round(float(rng.uniform(110, 3000)), 1),
        "national_share_rank": "",
        "industrial_scale": round(float(rng.uniform(40, 900)), 1),
    }


def enterprise_row(rng, city, k):
    ranked = rng.random() < 0.25
    return {
        "name": f"{city}{SUB_INDUSTRIES[k % len(SUB_INDUSTRIES)]}企业{chr(65 + k)}",
        "track": "enterprise",
        "unit_type": "enterprise",
        "in_catalogue": "",
        "provincial_pilot": "yes",
        "mfg_share": "",
        "gdp_prev_yi": "",
        "revenue_prev_yi": round(float(rng.uniform(10.5, 400)), 1),
        "national_share_rank": int(rng.integers(1, 6)) if ranked else "",
        "industrial_scale": round(float(rng.uniform(5, 300)), 1),
    }


def main() -> None:
    rng = np.random.default_rng(2023)
    names = {city: region_names(counties, parks, rng) for city, _, counties, parks in CITIES}
    # Boundary rows that need a given unit type get a name of that type before the rest.
    reserved = {
        key: take_name(names[key[1]], change["unit_type"])
        for key, (change, _) in sorted(BOUNDARY.items())
        if "unit_type" in change
    }
    firms = {city: 0 for city, *_ in CITIES}
    rows_by_year, keyed = {}, {}
    for year in YEARS:
        rows = []
        for c, (city, group, _, _) in enumerate(CITIES, start=1):
            n_region, n_firm = PER_YEAR[group]
            for track, count in (("region", n_region), ("enterprise", n_firm)):
                for nth in range(count):
                    change = BOUNDARY.get((year, city, track, nth), ({}, ""))[0]
                    if track == "region":
                        name, unit = reserved.get((year, city, track, nth)) or take_name(
                            names[city]
                        )
                        row = region_row(rng, name, unit)
                    else:
                        row = enterprise_row(rng, city, firms[city])
                        firms[city] += 1
                    row.update(
                        {
                            "id": f"JS{year % 100}{c:02d}{len(rows) % 100:02d}",
                            "city": city,
                            "score": round(float(rng.uniform(60, 95)), 1),
                            "service_capability": round(float(rng.uniform(40, 100)), 1),
                            "reach": int(rng.integers(20, 600)),
                            "pinned": "",
                            "city_match_wan": int(rng.choice([0, 20, 50, 100])),
                        }
                    )
                    row.update(change)
                    keyed[(year, city, track, nth)] = row
                    rows.append(row)
        for src_year, city, track, nth, change in REAPPEAR.get(year, []):
            again = dict(keyed[(src_year, city, track, nth)])
            again.update(change)
            rows.append(again)
        rows_by_year[year] = rows
        write(HERE / f"jiangsu_applicants_{year}.csv", FIELDS, rows)
    write_performance(rng, rows_by_year)


def write(path: Path, fields, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {path}")


def plainly_eligible(row) -> bool:
    """Rows the generator drew inside every condition (the boundary rows are left out)."""
    if row["provincial_pilot"] != "yes":
        return False
    if row["track"] == "enterprise":
        return row["revenue_prev_yi"] != "" and float(row["revenue_prev_yi"]) > 10.0
    size = max(float(v) for v in (row["gdp_prev_yi"], row["revenue_prev_yi"]) if v != "")
    return (
        row["unit_type"] in ("county", "dev_park", "industrial_zone")
        and row["in_catalogue"] != "no"
        and float(row["mfg_share"]) > 0.35
        and size > 100
    )


# 2025 evaluation: rows standing for benchmarks named in 2023 and 2024, with current data.
EVALUATION_BOUNDARY = [
    ({"mfg_share": 0.34}, "share fell below 35 %: no longer meets the standard"),
    ({"performance_score": 60.0}, "exactly the pass mark: kept"),
    ({"performance_score": 59.5}, "just below the pass mark: delisted"),
    (
        {"performance_score": 85.0, "new_models": "yes", "demonstration": "yes"},
        "exactly the commendation mark with both marks: commended",
    ),
    (
        {"performance_score": 93.0, "new_models": "no", "demonstration": "yes"},
        "high score without new business models: kept (all three needed)",
    ),
    ({"provincial_pilot": "no"}, "pilot period over: kept unless recheck_pilot"),
]
EVALUATION_ENTERPRISE = (
    {"revenue_prev_yi": 9.5, "national_share_rank": ""},
    "enterprise revenue fell below 10 亿, not ranked: delisted",
)
PERFORMANCE_FIELDS = [
    "id",
    "name",
    "city",
    "track",
    "unit_type",
    "in_catalogue",
    "provincial_pilot",
    "mfg_share",
    "gdp_prev_yi",
    "revenue_prev_yi",
    "national_share_rank",
    "designated_year",
    "performance_score",
    "new_models",
    "demonstration",
]


def write_performance(rng, rows_by_year) -> None:
    out, seen = [], set()
    for year in (2023, 2024):
        pool = [r for r in rows_by_year[year] if plainly_eligible(r) and r["id"] not in seen]
        pool.sort(key=lambda r: -r["score"])
        for r in pool[:15]:  # stands for the benchmarks named that year
            seen.add(r["id"])
            row = {k: r[k] for k in PERFORMANCE_FIELDS if k in r}
            grow = float(rng.uniform(0.95, 1.15))
            for col in ("gdp_prev_yi", "revenue_prev_yi"):
                if row[col] != "":
                    row[col] = round(float(row[col]) * grow, 1)
            if row["mfg_share"] != "":
                row["mfg_share"] = round(min(0.7, float(row["mfg_share"]) * grow), 3)
            row.update(
                {
                    "designated_year": year,
                    "performance_score": round(float(rng.uniform(62, 95)), 1),
                    "new_models": "yes" if rng.random() < 0.6 else "no",
                    "demonstration": "yes" if rng.random() < 0.6 else "no",
                }
            )
            out.append(row)
    regions = [r for r in out if r["track"] == "region"]
    for row, (change, _) in zip(regions[::2], EVALUATION_BOUNDARY):
        row.update(change)
    firm = next(r for r in out if r["track"] == "enterprise")
    firm.update(EVALUATION_ENTERPRISE[0])
    write(HERE / "jiangsu_performance_2025.csv", PERFORMANCE_FIELDS, out)


if __name__ == "__main__":
    main()
