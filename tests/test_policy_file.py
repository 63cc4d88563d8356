"""The policy file declaration (model/rules/jiaxing/policy_file.py): a bad policy file stops with
the file and the dotted key, from `load_policy` and from the command (exit code 2, nothing
written); the bundled file reads into the numbers of the text; every key is declared."""

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import ScenarioError
from fundalloc.core.schema import meta, walk
from fundalloc.rules.jiaxing import AWARDS, LEVELS, SECTORS, load_policy
from fundalloc.rules.jiaxing.policy_file import (
    AwardTable,
    LevelAmounts,
    PolicyFile,
    RevenueTierTable,
)

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "scenarios/policies/jiaxing-2024-14.toml"
GOOD = POLICY.read_text(encoding="utf-8")
runner = CliRunner()

BAD = [  # (replace this, by this), the key named, words of the message
    (('id = "jiaxing-2024-14"', 'id = "x"\nauthor = "me"'), "author", "unknown key"),
    (
        ("amount_wan = 10\n", "amount_wan = 10\nammount_wan = 10\n"),
        "growth.ammount_wan",
        "did you mean 'growth.amount_wan'",
    ),
    (("cap_wan = 60", "cap_wan = 60\ncap = 60"), "platform.cap", "unknown key"),
    (("rate_min = 0.15", "rate_min = nan"), "growth.rate_min", "finite"),
    (
        ("cost_share = [0.70, 1.00]", "cost_share = [0.70, inf]"),
        "platform.cost_share",
        "entry 2: inf is not a finite number",
    ),
    (("cap_wan = 60", "cap_wan = -60"), "platform.cap_wan", "below the smallest"),
    (("cap_wan = 60", 'cap_wan = "60"'), "platform.cap_wan", "without quotes"),
    (("years = 3", "years = 3.0"), "growth.years", "whole number"),
    (
        ("firms_served_min = 300", "firms_served_min = true"),
        "platform.firms_served_min",
        "whole number",
    ),
    (("strict = true", 'strict = "yes"'), "revenue_tier.strict", "true or false"),
    (
        ("partial_years_count = true", "partial_years_count = 1"),
        "partial_years_count",
        "true or false",
    ),
    (
        ("amounts_wan = [10, 20, 50] }\nlogistics", "amounts_wan = [10, 20] }\nlogistics"),
        "revenue_tier.tech_info.amounts_wan",
        "one amount per threshold",
    ),
    (
        ("thresholds_wan = [50000, 100000, 200000]", "thresholds_wan = [50000, 10000, 200000]"),
        "revenue_tier.wholesale_retail",
        "thresholds must rise",
    ),
    (
        ("trade_growth_min = [0.15, 0.20]", "trade_growth_min = [0.20, 0.15]"),
        "platform.cost_share",
        "rising growth step",
    ),
    (("in_force_to = 2026-12-31", "in_force_to = 2023-12-31"), "in_force_to", "ends before"),
    (("in_force_to = 2026-12-31", 'in_force_to = "2026-12-31"'), "in_force_to", "TOML date"),
    (("[growth]\n", "[growth]\nin_force_to = 2020-01-01\n"), "growth.in_force_to", "ends before"),
    (("[growth]\nclause = ", "[growth]\nnote = "), "growth.clause", "is required"),
    (("[platform]", "[platforms]"), "platform", "is required"),
    (
        (
            "provincial = 50, municipal = 20 }\n\n[platform]",
            "provincial = 50, city = 20 }\n\n[platform]",
        ),
        "industrial_design.amounts_wan.municipal",
        "is required",
    ),
    (
        ("tech_info = { thresholds_wan", "mining = { thresholds_wan"),
        "revenue_tier.mining",
        "unknown key",
    ),
]


def bad_file(tmp_path: Path, old: str, new: str) -> Path:
    assert old in GOOD, old
    path = tmp_path / "bad-policy.toml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("change,key,words", BAD, ids=[b[1] for b in BAD])
def test_bad_policy_file_names_the_file_and_the_key(tmp_path, change, key, words):
    path = bad_file(tmp_path, *change)
    with pytest.raises(ScenarioError) as info:
        load_policy(path)
    assert info.value.key == key and words in str(info.value)
    assert "bad-policy.toml" in str(info.value)


def test_awards_command_stops_on_a_bad_policy_file(tmp_path):
    path = bad_file(tmp_path, "rate_min = 0.15", "rate_min = 0.15\nrate_max = 0.5")
    out = tmp_path / "run"
    r = runner.invoke(
        app,
        [
            "awards",
            str(ROOT / "scenarios/jiaxing-2024.toml"),
            "--set",
            f"awards.policy={path.as_posix()}",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 2, r.output
    text = " ".join(r.output.split())
    assert "bad-policy.toml" in text and "'growth.rate_max'" in text
    assert not out.exists()


def test_bundled_policy_reads_into_the_numbers_of_the_text():
    p = load_policy(POLICY)
    assert p.id == "jiaxing-2024-14" and p.tier_strict and p.windows["growth"] == (2024, 2026)
    assert p.tier_thresholds[SECTORS.index("wholesale_retail")].tolist() == [5e4, 1e5, 2e5]
    assert p.tier_amounts[SECTORS.index("tech_info")].tolist() == [10, 20, 50]
    assert np.isinf(p.tier_thresholds[SECTORS.index("manufacturing")]).all()
    assert p.recognition_amounts.tolist() == [[150, 50, 20], [150, 50, 20]]
    assert (p.growth_rate, p.growth_amount_wan, p.growth_years) == (0.15, 10, 3)
    assert (p.platform_min_firms, p.platform_growth, p.platform_share, p.platform_cap_wan) == (
        300,
        (0.15, 0.2),
        (0.7, 1.0),
        60,
    )
    assert set(p.clauses) == set(AWARDS)
    assert all(c.startswith("三.(一)") for c in p.clauses.values())


def test_declaration_matches_the_codes_and_labels_every_key():
    assert [a for a in PolicyFile.model_fields if a in AWARDS] == list(AWARDS)
    assert [s for s in RevenueTierTable.model_fields if s in SECTORS] == list(SECTORS)
    assert list(LevelAmounts.model_fields) == list(LEVELS)
    for key, info, _ in walk(PolicyFile):
        m = meta(info)
        assert m.get("zh") and m.get("en") and info.description, key
    for award in AWARDS:  # every award table is required and quotes its clause
        assert PolicyFile.model_fields[award].is_required()
    assert AwardTable.model_fields["clause"].is_required()
