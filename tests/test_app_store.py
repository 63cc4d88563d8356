"""Uploads kept by their content (model/app/store.py): a link names an upload by its hash,
never by a server path; an uploaded stress scenario builds on a bundled one and may name no
server file; the per-payer budget fields and the stress page's tables (issue 15 item 8)."""

from __future__ import annotations

import pytest

pytest.importorskip("solara")

from fundalloc.app import common, payers, share, store  # noqa: E402
from fundalloc.app.stress_tables import payer_view, year_view  # noqa: E402
from fundalloc.core.errors import FundallocError  # noqa: E402
from fundalloc.core.scenario import load_scenario  # noqa: E402


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FUNDALLOC_APP_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def test_an_upload_is_kept_by_its_content_and_found_by_its_hash(data_folder):
    digest, path = store.keep("申报.csv", b"id,name\n")
    assert len(digest) == 16 and path == data_folder / digest / "申报.csv"
    assert store.keep("申报.csv", b"id,name\n") == (digest, path)  # the same file: one copy
    assert store.find(digest) == path and store.digest_of(path) == digest
    assert store.digest_of(common.DEFAULT_SELECTION) is None  # not an upload


@pytest.mark.parametrize("bad", ["../../etc", "/etc/passwd", "0123456789abcdef", "", "zz"])
def test_a_link_cannot_name_anything_but_a_kept_upload(bad):
    with pytest.raises(ValueError, match="upload it again"):
        store.find(bad)


def test_an_own_scenario_builds_on_the_bundled_one(data_folder):
    text = (
        '[awards]\nsunset = "nothing_paid_after_2026"\n'
        'budget_wan = { "市本级" = 5000, "嘉善县" = 800 }\n'
        "[simulation.population.tech_info]\nn = 50\n"
    )
    digest, path = store.keep_scenario("mine.toml", text.encode(), common.DEFAULT_SIMULATION)
    sc = load_scenario(path)
    base = load_scenario(common.DEFAULT_SIMULATION)
    assert sc.get("awards.sunset") == "nothing_paid_after_2026"
    assert sc.get("awards.budget_wan") == {"市本级": 5000, "嘉善县": 800}
    assert sc.get("simulation.population.tech_info.n") == 50
    assert sc.get("awards.policy") == base.get("awards.policy")  # the rest from the base
    assert store.find(digest) == path


@pytest.mark.parametrize(
    "text, words",
    [
        ('[simulation]\nfirms = "/etc/passwd"\n', "a page cannot name a file"),
        ('[awards]\npolicy = "../x.toml"\n', "a page cannot name a file"),
        ('extends = "/etc/hosts"\n', "not a bundled scenario"),
        ("[awards\n", "not a readable TOML"),
        ('[awards]\nsunset = "never"\n', "sunset"),
    ],
)
def test_an_own_scenario_naming_a_file_or_broken_is_refused(text, words, data_folder):
    with pytest.raises(FundallocError, match=words):
        store.keep_scenario("bad.toml", text.encode(), common.DEFAULT_SIMULATION)
    assert not any(p.is_file() for p in data_folder.rglob("*"))  # nothing kept


def test_payer_fields_become_a_budget_table_and_come_back():
    payers.budgets.set({"市本级": 5000.0, "嘉善县": 800.0})
    payers.shares.set({"市本级": 0.6, "嘉善县": 0.4})
    lines = payers.payer_sets()
    sc = load_scenario(common.DEFAULT_SIMULATION, lines)
    assert sc.get("awards.budget_wan") == {"市本级": 5000, "嘉善县": 800}
    assert sc.get("simulation.population.payer_shares") == {"市本级": 0.6, "嘉善县": 0.4}
    payers.budgets.set({})
    payers.shares.set({})
    rest = payers.restore_payers([*lines, "simulation.seed=7"])
    assert rest == ["simulation.seed=7"]
    assert payers.budgets.value == {"市本级": 5000.0, "嘉善县": 800.0}
    assert payers.payer_sets() == lines


def test_per_payer_rows_add_up_to_the_total(tmp_path):
    from fundalloc.commands.simulate import run_simulate

    sets = [
        "simulation.runs=8",
        "simulation.workers=1",
        *[f"simulation.population.{k}.n=30" for k in ("tech_info", "logistics", "manufacturing")],
        'simulation.population.payer_shares={"市本级" = 0.5, "嘉善县" = 0.5}',
        'awards.budget_wan={"市本级" = 3000, "嘉善县" = 2000}',
    ]
    _, summary = run_simulate(common.DEFAULT_SIMULATION, sets, out=tmp_path / "r", progress=False)
    table = payer_view(summary)
    assert table is not None
    total = year_view(summary).set_index("pay_year").mean_wan
    by_payer = table[table.payer != "total"].groupby("pay_year").mean_wan.sum()
    assert set(table.payer) == {"市本级", "嘉善县", "total"}
    assert by_payer.round(1).to_dict() == pytest.approx(total.round(1).to_dict(), abs=0.1)
    budgets = table[table.payer == "嘉善县"].budget_wan.dropna().unique().tolist()
    assert budgets == [2000.0]  # each payer against its own budget


def test_a_link_carries_the_uploaded_applicants_and_the_language(data_folder):
    digest, path = store.keep("mine.csv", b"id\n")
    common.applicants_upload.set(path)
    state = share.with_lang({"scenario": ["henan-2025.toml"], **share.applicants_state()})
    assert state["applicants"] == digest and state["lang"] == "en"
    assert str(data_folder) not in share.to_query(state)  # a hash, never a path
    common.applicants_upload.set(None)
    share.apply_applicants(share.from_query(share.to_query(state)))
    assert common.applicants_upload.value == path
    common.applicants_upload.set(None)
