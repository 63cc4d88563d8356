"""Who pays (五 各县(市)参照执行): a payer per firm, recognition and platform; budgets per payer;
per-payer tables that add up to the total; Chinese errors naming file, row and column."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fundalloc.cli import app
from fundalloc.core.errors import InputError
from fundalloc.inputs.firms import read_firms
from fundalloc.rules.jiaxing import PAYERS

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = str(ROOT / "scenarios/jiaxing-2024.toml")
runner = CliRunner()


def firms_with_payers(tmp_path: Path) -> Path:
    """The bundled firm file, each firm given a payer in turn (aliases too: 嘉善 → 嘉善县)."""
    frame = pd.read_csv(ROOT / "scenarios/data/jiaxing_firms_example.csv")
    ids = sorted(frame.firm_id.unique())
    names = ["市本级", "南湖区", "嘉善", "海宁市", "桐乡市"]
    frame["支付主体"] = frame.firm_id.map({f: names[i % len(names)] for i, f in enumerate(ids)})
    path = tmp_path / "firms.csv"
    frame.to_csv(path, index=False)
    return path


def run(tmp_path: Path, name: str, *extra: str):
    out = tmp_path / name
    result = runner.invoke(app, ["awards", SCENARIO, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return (
        json.loads((out / "summary.json").read_text(encoding="utf-8")),
        pd.read_csv(out / "payments.csv"),
        result.output,
    )


def test_per_payer_tables_add_up_to_the_total(tmp_path):
    firms = firms_with_payers(tmp_path)
    s, p, _ = run(tmp_path, "a", "--firms", str(firms))
    by_payer = s["by_payer"]
    assert set(by_payer) >= {"市本级", "南湖区", "嘉善县", "海宁市", "桐乡市"}
    assert sum(v["total_wan"] for v in by_payer.values()) == pytest.approx(s["total_wan"])
    assert sum(v["owed_wan"] for v in by_payer.values()) == pytest.approx(s["total_owed_wan"])
    for y, total in s["by_year_wan"].items():
        parts = sum(v["by_year_wan"].get(y, 0.0) for v in by_payer.values())
        assert parts == pytest.approx(total)
    # payments.csv names the payer of each payment; the firm's payer is the one of its rows
    firm_payer = dict(zip(*_ids_payers(firms), strict=True))
    firm_rows = p[p.award != "platform"]
    assert (firm_rows.payer == firm_rows.firm_id.map(firm_payer)).all()
    assert (p[p.award == "platform"].payer == "市本级").all()  # no payer column: the city


def _ids_payers(path):
    f = read_firms(path)
    return f.ids.tolist(), [PAYERS[c] for c in f.payer]


def test_each_payer_pays_from_its_own_budget(tmp_path):
    firms = firms_with_payers(tmp_path)
    budget = 'awards.budget_wan={"市本级" = 30, "嘉善县" = { 2025 = 5, 2026 = 5, 2027 = 5 }}'
    s, p, out = run(
        tmp_path,
        "b",
        "--firms",
        str(firms),
        "--set",
        budget,
        "--set",
        "awards.budget_exhausted=first_come",
    )
    assert s["budget_by_payer"]
    for _y, v in s["by_payer"]["嘉善县"]["by_year_wan"].items():
        assert v <= 5 + 1e-2
    for _y, v in s["by_payer"]["市本级"]["by_year_wan"].items():
        assert v <= 30 + 1e-2
    # 南湖区 is not listed: unlimited, so it is paid all it is owed
    nh = s["by_payer"]["南湖区"]
    assert nh["unpaid_wan"] == pytest.approx(0.0) and nh["total_wan"] > 0
    assert s["by_payer"]["嘉善县"]["unpaid_wan"] > 0  # the small budget binds
    assert sum(v["total_wan"] for v in s["by_payer"].values()) == pytest.approx(s["total_wan"])
    assert "嘉善县" in out


def test_one_budget_is_shared_by_every_payer(tmp_path):
    firms = firms_with_payers(tmp_path)
    s, _, _ = run(tmp_path, "c", "--firms", str(firms), "--set", "awards.budget_wan=40")
    assert not s["budget_by_payer"]
    for y, total in s["by_year_wan"].items():
        assert total <= 40 + 1e-2  # payments.csv rounds each row to 4 decimals
        assert sum(v["by_year_wan"].get(y, 0.0) for v in s["by_payer"].values()) == (
            pytest.approx(total)
        )


def test_an_unknown_payer_is_refused_in_chinese_naming_file_row_and_column(tmp_path, monkeypatch):
    monkeypatch.setenv("FUNDALLOC_LANG", "zh")
    path = tmp_path / "firms.csv"
    path.write_text(
        "firm_id,sector,year,revenue_wan,支付主体\nA,tech_info,2023,1000,市本级\n"
        "A,tech_info,2024,2500,杭州市\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_firms(path)
    text = str(err.value)
    assert "firms.csv" in text and "3" in text and ("payer" in text or "支付主体" in text)
    assert "杭州市" in text


def test_two_payers_for_one_firm_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FUNDALLOC_LANG", "zh")
    path = tmp_path / "firms.csv"
    path.write_text(
        "firm_id,sector,year,revenue_wan,payer\nA,tech_info,2023,1000,嘉善县\n"
        "A,tech_info,2024,2500,平湖市\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_firms(path)
    assert "只能有一个支付主体" in str(err.value) and "平湖市" in str(err.value)


def test_a_budget_keyed_by_an_unknown_name_is_refused(tmp_path):
    result = runner.invoke(
        app,
        [
            "awards",
            SCENARIO,
            "--out",
            str(tmp_path / "x"),
            "--set",
            'awards.budget_wan={"杭州" = 5}',
        ],
    )
    assert result.exit_code == 2
    assert "budget_wan" in result.output and "payers" in result.output.replace("\n", "")
    assert not (tmp_path / "x").exists()


def test_firms_without_a_payer_column_are_all_paid_by_the_city():
    f = read_firms(ROOT / "scenarios/data/jiaxing_firms_example.csv")
    assert (f.payer == 0).all() and np.all(np.asarray(PAYERS)[f.payer] == "市本级")
