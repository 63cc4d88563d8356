"""Regenerate henan_applicants_2026.csv … _2028.csv: the applicants of later annual rounds.

SYNTHETIC DATA, drawn from henan_applicants_2025.csv (seed = the year): every applicant applies
again under the same id with its data moved on a year — GDP and revenue grow 2–9 %, the
manufacturing share moves by about a point, factors grow 0–10 %, and the assessment score of the
new three-year plan moves by about 4 points (a fresh review). So a county just below a threshold
(遂平县 at exactly 200 亿) may qualify later, and an applicant passed over may score higher.
Whether an applicant designated earlier applies again does not matter: the programme model never
designates anyone twice (programme.once).

    python scenarios/data/make_henan_programme.py   # rewrites the CSVs next to this file
"""

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def next_round(rows: list[dict], year: int) -> list[dict]:
    rng = np.random.default_rng(year)
    out = []
    for r in rows:
        r = dict(r)
        g = rng.uniform(0.02, 0.09)
        for col in ("gdp_prev_yi", "revenue_prev_yi"):
            if r[col]:
                r[col] = f"{float(r[col]) * (1 + g):.1f}"
        share = float(r["mfg_share"]) + rng.normal(0, 0.01)
        r["mfg_share"] = f"{min(max(share, 0.05), 0.95):.3f}"
        r["score"] = f"{min(max(float(r['score']) + rng.normal(0, 4), 50), 99):.1f}"
        for col in ("industrial_scale", "service_capability", "reach"):
            r[col] = f"{float(r[col]) * (1 + rng.uniform(0, 0.10)):.1f}"
        out.append(r)
    return out


def main() -> None:
    with open(HERE / "henan_applicants_2025.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for year in (2026, 2027, 2028):
        rows = next_round(rows, year)
        with open(HERE / f"henan_applicants_{year}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)


if __name__ == "__main__":
    main()
