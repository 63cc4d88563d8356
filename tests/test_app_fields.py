"""The app's fields, links and settings files without a browser (issue 19): numbers typed as in
files, bounds from the declarations, and state that survives a link or a file unchanged."""

from __future__ import annotations

import pytest

pytest.importorskip("solara")

from fundalloc.app import common, fields, form, share  # noqa: E402
from fundalloc.app.scenarios import parse_variants  # noqa: E402
from fundalloc.core.scenario import load_scenario  # noqa: E402
from fundalloc.selection.params import SelectionParams, selection_params  # noqa: E402

BUDGET = fields.spec_of(SelectionParams, "budget_wan")


@pytest.mark.parametrize("typed", ["3000", "3,000", "3000万", "0.3亿", " 3 000 ", "３０００"])
def test_a_budget_is_read_as_in_files(typed):
    assert fields.parse(BUDGET, typed) == (3000.0, None)


@pytest.mark.parametrize(
    "typed, words",
    [("3千", "not an amount"), ("inf", "not an amount"), ("-1", "at least 0"), ("", "give a")],
)
def test_a_wrong_budget_is_said_not_guessed(typed, words):
    value, error = fields.parse(BUDGET, typed)
    assert value is None and words in error


def test_counts_are_whole_and_the_declared_bounds_hold():
    count = fields.spec_of(SelectionParams, "batch_max")
    assert count.integer and count.ge == 0
    assert fields.parse(count, "4") == (4, None)
    assert "whole number" in fields.parse(count, "4.5")[1]
    step = fields.spec_of(SelectionParams, "step_wan")
    assert "above 0" in fields.parse(step, "0")[1]
    most = fields.spec_of(SelectionParams, "region_max", integer=True, optional=True)
    assert fields.parse(most, "") == (None, None)  # empty: no maximum
    assert "not a number" in fields.parse(most, "two")[1]


def test_form_sets_come_back_from_a_link_unchanged():
    base, _ = form.defaults(str(common.DEFAULT_SELECTION))
    changed = {
        "budget_wan": 2500.0,
        "city_max": 2,
        "region_max": {**base["region_max"], "west": 1},
    }
    sets = form.to_sets(base, changed)
    again = form.to_sets(base, form.from_sets(base, sets))
    assert again == sets
    p = selection_params(load_scenario(common.DEFAULT_SELECTION, sets))
    assert p.budget_wan == 2500 and p.city_max == 2 and p.region_max["west"] == 1


def test_query_string_and_settings_file_round_trip():
    state = {
        "scenario": ["henan-2025.toml"],
        "set": ["selection.budget_wan=3000"],
        "batch": "[a] HA011",
    }
    assert share.from_query(share.to_query(state)) == state
    assert share.read_settings("selection", share.settings_file("selection", state)) == state
    with pytest.raises(ValueError, match="for the page 'selection'"):
        share.read_settings("stress", share.settings_file("selection", state))
    with pytest.raises(ValueError, match="not a settings file"):
        share.read_settings("stress", b"{}")


def test_a_link_cannot_name_a_server_path():
    with pytest.raises(ValueError, match="not one of the bundled scenarios"):
        share.scenario_path("/etc/passwd", "selection")
    assert share.scenario_path("henan-2025.toml", "selection").endswith("henan-2025.toml")


def test_variants_are_named_lines_of_sets():
    assert parse_variants(
        "low: selection.budget_wan=2000; selection.city_max=2\nselection.cap_wan=400"
    ) == [
        ("low", ["selection.budget_wan=2000", "selection.city_max=2"]),
        ("variant 2", ["selection.cap_wan=400"]),
    ]
