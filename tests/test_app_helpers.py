"""The web app's plain-Python parts (no browser): the form's overrides reach the engine as
--set does, errors lose our temp folders, the Monte Carlo reports progress, the Mesa view
counts crossings as the kernel does."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("solara")

from simulation_helpers import small_world  # noqa: E402

from fundalloc.app import common, form, mesa_view  # noqa: E402
from fundalloc.app.compare import side_by_side  # noqa: E402
from fundalloc.core.errors import InputError  # noqa: E402
from fundalloc.core.scenario import load_scenario  # noqa: E402
from fundalloc.selection.params import selection_params
from fundalloc.selection.run import optimise  # noqa: E402
from fundalloc.simulation.kernel import crossings  # noqa: E402
from fundalloc.simulation.model import FundModel  # noqa: E402
from fundalloc.simulation.montecarlo import run_montecarlo  # noqa: E402
from fundalloc.simulation.shocks import shocks_for_run  # noqa: E402

HENAN = common.DEFAULT_SELECTION


def test_form_changes_become_overrides_the_engine_reads():
    base, _ = form.defaults(str(HENAN))
    changed = {
        "budget_wan": 2500.0,
        "cap_wan": base["cap_wan"],  # unchanged: no --set
        "region_min": {**base["region_min"], "east": 1},
        "region_max": {g: None for g in base["region_max"]},
    }  # empty = no maximum
    sets = form.to_sets(base, changed)
    assert "selection.budget_wan=2500" in sets and not any("cap_wan" in s for s in sets)
    p = selection_params(load_scenario(HENAN, sets))
    assert p.budget_wan == 2500 and p.region_min["east"] == 1 and p.region_max == {}
    assert optimise(load_scenario(HENAN, sets)).summary["budget_wan"] == 2500


def test_error_words_name_the_users_file_not_our_folder():
    path = common.save_upload("mine.csv", b"id\n")
    text = common.words(InputError(path, "missing column(s) 'city'", 1))
    assert text == "mine.csv, row 1: missing column(s) 'city'"
    assert common.words(ValueError("boom")).startswith("Unexpected problem (ValueError): boom")


def test_montecarlo_reports_progress_up_to_all_runs(tmp_path):
    world = small_world(tmp_path, runs=25)  # chunk 10: three chunks
    seen = []
    run_montecarlo(world, progress=False, workers=1, on_progress=lambda d, t: seen.append((d, t)))
    assert seen == [(10, 25), (20, 25), (25, 25)]


def test_mesa_view_counts_the_crossings_the_kernel_counts(tmp_path):
    world = small_world(tmp_path, runs=5)
    model = FundModel(world, shocks_for_run(0, world.pop, world.params)).run()
    table = mesa_view.first_crossings(world, model.reported)
    award = np.isin(table.index, world.params.award_years)
    assert table[award].to_numpy().sum() == crossings(world, model.reported[None])[0]


def test_compare_table_puts_batches_side_by_side():
    import pandas as pd

    t = side_by_side(
        pd.DataFrame(
            [
                {"batch": "optimum", "rules_broken": "", "score_lost": -0.0},
                {"batch": "mine", "rules_broken": "x", "score_lost": 2.5},
            ]
        )
    )
    assert list(t.columns) == ["measure", "optimum", "mine"]
    assert t.set_index("measure").loc["score lost"].tolist() == [-0.0, 2.5]  # measures in words
