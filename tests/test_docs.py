"""Every command is documented: in the README, with a docstring and an example."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from autokg.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def all_commands(group: click.Group = cli, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, f"{full} "))
    return found


@pytest.mark.parametrize("name,command", all_commands(), ids=[n for n, _ in all_commands()])
def test_command_is_in_the_readme(name, command):
    assert re.search(rf"`autokg {re.escape(name)}\b", README), f"autokg {name} is not documented in README.md"


@pytest.mark.parametrize("name,command", all_commands(), ids=[n for n, _ in all_commands()])
def test_command_has_help_with_an_example(name, command):
    assert command.help, f"autokg {name} has no docstring"
    if not isinstance(command, click.Group):
        assert "Example: autokg" in command.help, f"autokg {name} has no example in its docstring"


def test_readme_gives_the_two_setup_commands():
    assert 'pip install . && autokg competitors "Model Y"' in README
    assert "pip install '.[test]' && python -m pytest" in README


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci and "pip install" in ci and ".[test]" in ci
