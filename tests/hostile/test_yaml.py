"""#24 item 7: front matter (and notes.toml) limited in size, depth and alias expansion; a
message quotes at most a short excerpt of a bad value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run, tree_bytes

from notes_tool.model import document

NOTE = "04_hostile.md"


def alias_bomb(levels: int = 30) -> str:
    """A 2^levels-value list in a few hundred bytes: each anchor is a list of two of the one before."""
    chain = "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, levels))
    return f"---\na0: &a0 [x, x]\n{chain}toc_levels: *a{levels - 1}\n---\n# Bomb\n\n## Part\n"


def deep(depth: int = 10_000) -> str:
    return "---\ntoc_levels: " + "[" * depth + "]" * depth + "\n---\n# Deep\n\n## Part\n"


def deep_block(depth: int = 300) -> str:
    return "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(depth)) + "---\n# Deep\n"


def _notes(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "notes_tool", *args],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=60,  # before the limits, the bomb ran past 30 s and 2 GB printing 34 MB
    )


def test_an_alias_bomb_is_refused_in_one_short_line(example: Path) -> None:
    (example / NOTE).write_text(alias_bomb())
    result = _notes(example, "index")
    assert result.returncode == 1
    assert f"{NOTE}:13: front matter: more than 10,000 values once its aliases are expanded" in result.stderr
    assert len(result.stderr) < 2000 and "Traceback" not in result.stderr


@pytest.mark.parametrize("text", [deep(), deep_block()], ids=["flow", "block"])
@pytest.mark.parametrize(
    "command",
    [
        ["index"],
        ["check"],
        ["search", "part"],
        ["cheats", "export"],
        ["commit", "-m", "x"],
        ["new", "Another"],
        ["index", "--adopt", "--check"],
    ],
    ids=" ".join,
)
def test_deep_front_matter_is_one_line_not_a_traceback(example: Path, command: list[str], text: str) -> None:
    (example / NOTE).write_text(text)
    result = run(*command, cwd=example)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    said = result.stdout + result.stderr
    if command[0] != "search":  # (search leaves a note it cannot read out, silently)
        line = 2 if text.startswith("---\ntoc_levels") else 22  # (where the 21st level opens)
        assert f"{NOTE}:{line}: front matter: nested deeper than 20 levels" in said, said[-500:]


def test_front_matter_over_the_size_limit_is_refused(example: Path) -> None:
    (example / NOTE).write_text("---\nnotes: |\n" + "  padding line\n" * 8000 + "---\n# Big\n")
    result = run("index", cwd=example)
    assert result.exit_code == 1 and f"{NOTE}:1: front matter: over 64 KB" in result.stderr


def test_a_few_aliases_and_some_nesting_still_work(tmp_path: Path) -> None:
    text = "---\nbase: &v https://youtu.be/2JM-ziJt0WI\nvideo: *v\nextra: {a: [1, [2, [3]]]}\n---\n# Fine\n"
    note = document.parse(tmp_path / "01_fine.md", text)
    assert note.front_matter["video"] == "https://youtu.be/2JM-ziJt0WI"


def test_a_bad_value_is_quoted_short(example: Path) -> None:
    (example / NOTE).write_text("---\ntoc_levels: [" + ", ".join(["7"] * 5000) + "]\n---\n# Long\n\n## Part\n")
    result = run("index", cwd=example)
    line = next(line for line in result.stderr.splitlines() if "toc_levels" in line)
    assert "must be [min, max]" in line and len(line) < 250


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("x = " + "[" * 50_000 + "]" * 50_000, "notes.toml: values nested too deeply"),
        ("x = " + "{a = " * 5_000 + "1" + "}" * 5_000, "notes.toml: values nested too deeply"),
        ('course = "' + "c" * 300_000 + '"', "notes.toml: over 256 KB"),
        ('notes_dir = "/' + "x" * 100_000 + '"', "'notes_dir' must be a path inside the workspace, not '/xxx"),
    ],
    ids=["deep array", "deep table", "huge", "long value"],
)
def test_a_hostile_notes_toml_is_one_short_line(example: Path, setting: str, says: str) -> None:
    config = example / "notes.toml"
    config.write_text(config.read_text() + "\n" + setting + "\n")
    before = tree_bytes(example)
    result = run("index", cwd=example)
    assert result.exit_code == 1 and says in result.stderr
    assert len(result.stderr) < 300
    assert tree_bytes(example) == before
