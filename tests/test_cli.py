"""The command line loads a command's module only when that command is used; the listing in
`fundalloc --help` (read from the source) says what each command's own help says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fundalloc import cli

COMMANDS_DIR = Path(cli.__file__).parent / "commands"


def test_every_command_module_is_registered():
    with_command = {
        p.stem
        for p in COMMANDS_DIR.glob("*.py")
        if "\ndef command(" in p.read_text(encoding="utf-8")
    }
    assert with_command == set(cli.COMMANDS)


@pytest.mark.parametrize("name", cli.COMMANDS)
def test_listing_says_what_the_command_says(name):
    assert cli.command_help(name) == cli.load_command(name).help


def test_help_imports_no_command_module():
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom fundalloc.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\nassert r.exit_code == 0, r.output\n"
        "assert all(n in r.output for n in ('select', 'tradeoff', 'evaluate'))\n"
        "print(sorted(m for m in sys.modules if m.startswith('fundalloc.commands.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    # the shared options and the framework's words, no command
    assert out.strip() == "['fundalloc.commands.common', 'fundalloc.commands.framework']"


def test_help_keeps_the_table_names_it_quotes():
    """'[simulation]' in a help text is the name of a scenario table, not Rich markup."""
    from typer.testing import CliRunner

    from fundalloc.cli import app

    out = CliRunner().invoke(app, ["sensitivity", "--help"]).output
    assert "[simulation]" in out
