"""docs/inputs.md is generated from the column declarations and must agree with them; every
declared column carries its labels and help, and the declared names keep DESIGN.md's data
contract."""

import subprocess
import sys
from pathlib import Path

import pytest

from fundalloc.core import columns
from fundalloc.core.columns import KINDS, When
from fundalloc.core.columns_doc import COMMAND, markdown

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs/inputs.md"

# DESIGN.md "Data contracts" (the column names users script against).
CONTRACT = {
    "henan_applicants": (
        "id",
        "name",
        "city",
        "kind",
        "zone_level",
        "gdp_prev_yi",
        "revenue_prev_yi",
        "mfg_share",
        "score",
        "industrial_scale",
        "service_capability",
        "reach",
        "stars",
        "pinned",
        "city_match_wan",
    ),
    # issue 15 added the optional payer (and matter_id) columns
    "firms": ("firm_id", "sector", "year", "revenue_wan", "payer"),
    "recognitions": ("firm_id", "year", "kind", "level", "matter_id", "payer"),
    "platforms": (
        "platform_id",
        "year",
        "firms_served",
        "trade_growth",
        "upgrade_cost_wan",
        "payer",
    ),
}


def test_docs_inputs_md_matches_the_declarations():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        f"docs/inputs.md is out of date: regenerate it with `{COMMAND}`"
    )


def test_the_documented_command_prints_the_docs():
    out = subprocess.run(
        [sys.executable, "-m", "fundalloc.core.columns"], capture_output=True, check=True, cwd=ROOT
    )
    assert out.stdout.decode("utf-8") == markdown()


def test_every_input_is_listed():
    assert list(columns.TABLES) == [
        "henan_applicants",
        "jiangsu_applicants",
        "jiangsu_performance",
        "firms",
        "recognitions",
        "platforms",
        "batches",
    ]


@pytest.mark.parametrize("name", list(columns.tables()))
def test_every_column_is_fully_declared(name):
    table = columns.tables()[name]
    assert table.zh and table.en and table.help
    for c in table.columns:
        assert c.kind in KINDS
        assert c.zh and c.en and c.help, f"{name}.{c.name}"
        if c.kind == "choice":
            assert c.choices
        if isinstance(c.required, When) and c.required.column:
            assert set(c.required.values) <= set(table[c.required.column].choices)
    assert len(set(table.names)) == len(table.names)
    assert table.header and table.columns[0].kind == "id"


@pytest.mark.parametrize("name,names", CONTRACT.items())
def test_declared_names_keep_the_data_contract(name, names):
    assert columns.tables()[name].names == names
