"""The one way a page reaches a scenario: a bundled file (chosen by name) and the page user's
`key=value` lines, checked here by `security.page_sets` (no line may name a server file).

Every page loads through `scenario()` or hands `PageInputs.path` / `PageInputs.sets` to a
command function (run_simulate, run_stress, run_design_command); `PageInputs` is built only by
`page_inputs()`, which checks the lines, so a new page cannot skip the check.
tests/reliability/test_app_security.py reads the pages' source to hold them to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fundalloc.app import security
from fundalloc.core.scenario import Scenario, load_scenario


@dataclass(frozen=True)
class PageInputs:
    """A scenario file and checked `--set` lines, as a command function takes them."""

    path: Path
    checked: tuple[str, ...]

    @property
    def sets(self) -> list[str]:
        return list(self.checked)


def page_inputs(path: str | Path, sets: list[str] | tuple[str, ...] = ()) -> PageInputs:
    """The lines refused (FundallocError, in words) if one names a file."""
    return PageInputs(Path(path), tuple(security.page_sets([str(s) for s in sets])))


def scenario(
    path: str | Path, sets: list[str] | tuple[str, ...] = (), reads: tuple[str, ...] | None = None
) -> Scenario:
    """The scenario as the command line loads it, with the page's lines checked first."""
    inp = page_inputs(path, sets)
    return load_scenario(inp.path, inp.sets, reads=reads)
