"""Every command has help text and is documented in README.md; the README's commands are real."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from conftest import run

from notes_tool.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", commands(cli), ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) > 3
    assert f"notes {' '.join(path)}" in README


def test_the_readme_set_up_commands_are_the_ones_ci_runs() -> None:
    blocks = re.findall(r"```bash\n(.*?)```", README, re.DOTALL)
    assert blocks[0].strip() == (
        "python3 -m venv .venv && .venv/bin/pip install .\n. .venv/bin/activate && notes init --example ../demo-course"
    )
    test_command = 'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest -q'
    assert blocks[1].strip() == test_command
    assert test_command in (ROOT / ".ci" / "run").read_text()
