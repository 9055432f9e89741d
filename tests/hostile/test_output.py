"""#24 item 3: nothing a workspace holds can inject a GitHub workflow command (or a terminal
escape) through the tool's output: every printed path, anchor, title and message is one line."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import run

from notes_tool.cli.app import escape_data, escape_property, github_annotation
from notes_tool.printable import one_line

OUR_ANNOTATION = re.compile(r"::(error|warning)( file=[^,:\s]*(,line=\d+)?)?::\S")

HOSTILE_NOTE = (
    "---\nvideo: https://youtu.be/2JM-ziJt0WI\n---\n\n# Hostile\n\n## 0:10 Part\n\nSome volume text.\n\n"
    "[y](#nope%0A::add-mask::MASKED)\n"
    "[w](#nope%0D::warning::CR)\n"
    "[s](#x%0A::stop-commands::tok)\n"
    "[z](missing%0A::warning::file.md)\n"
    "[e](#esc%1B[31mred)\n"
    "[u](#line%E2%80%A8::add-mask::LS)\n"
)


def hostile_workspace(example: Path) -> Path:
    (example / "05_hostile.md").write_text(HOSTILE_NOTE)
    if sys.platform != "win32":  # file names holding a line break, a CR and an escape
        (example / "x\n::add-mask::NAME.md").write_text("# Named\n\n[a](#gone%0A::add-mask::X)\n")
        (example / "y\r::warning::CR.md").write_text("# Named\n")
        (example / "06_\x1b[2Jclear.md").write_text("# Clear\n\n## Part\n")
    return example


COMMANDS = [
    ["check"],
    ["check", "--json"],
    ["index", "--check"],
    ["index"],
    ["index", "--adopt", "--check"],
    ["search", "volume"],
    ["search", "nope", "add-mask"],
    ["cheats", "export", "--check"],
    ["cheats", "export"],
    ["new", "Another"],
    ["init", "--vscode"],
    ["commit", "--dry-run"],
    ["chapters", "05_hostile.md", "--force"],
    ["stamp", "05_hostile.md", "--dry-run"],
]


def assert_one_line_each(output: str) -> None:
    for line in output.splitlines():  # (splits at CR, LS, NEL... too: what a log viewer might)
        assert not line.startswith("::") or OUR_ANNOTATION.match(line), line
        assert "\x1b" not in line and "\x07" not in line, line


@pytest.mark.parametrize("actions", [False, True], ids=["terminal", "github-actions"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_output_line_is_a_workflow_command(
    example: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], actions: bool
) -> None:
    hostile_workspace(example)
    if actions:
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        monkeypatch.setenv("GITHUB_WORKSPACE", str(example))
    else:
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = run(*command, cwd=example)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert_one_line_each(result.stdout)
    assert_one_line_each(result.stderr)


def test_check_still_names_the_bad_anchor_visibly(example: Path) -> None:
    hostile_workspace(example)
    result = run("check", cwd=example)
    assert "05_hostile.md:11: no heading in this note has the anchor #nope\\n::add-mask::MASKED" in result.stdout
    assert "05_hostile.md:16: no heading in this note has the anchor #line\\u2028::add-mask::LS" in result.stdout


def test_annotations_escape_as_githubs_toolkit() -> None:
    # escapeData: % CR LF; escapeProperty: those and : ,
    assert escape_data("50% a\r\nb:c,d") == "50%25 a%0D%0Ab:c,d"
    assert escape_property("50% a\r\nb:c,d") == "50%25 a%0D%0Ab%3Ac%2Cd"
    line = github_annotation("error", Path("a:b,c%.md"), 3, "bad\n::add-mask::x\x1b[31m")
    assert line == "::error file=a%3Ab%2Cc%25.md,line=3::bad%0A::add-mask::x\\x1b[31m"


def test_one_line_shows_every_control_character() -> None:
    assert one_line("a\nb\rc\td\x1b\x07\x7f\x85\u2028e") == "a\\nb\\rc\\td\\x1b\\x07\\x7f\\x85\\u2028e"
    assert one_line("plain text › ünïcode") == "plain text › ünïcode"
