"""#24 item 4: a line break or control character in a title, heading, caption or transcript
phrase never reaches a generated region, a cheat sheet or the terminal: the note (or the
transcript) is refused with ``path:line``, as ``notes new`` and ``notes.toml`` refuse them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, tree_bytes

NOTE = "03_workflow-orchestration.md"

TITLES = {
    "line break": 'title: "Evil\\n## Injected heading"',
    "carriage return": 'title: "Evil\\r## Injected heading"',
    "block scalar": "title: |\n  Evil\n  ## Injected heading",
    "escape": 'title: "Evil \\e[2J## Injected heading"',
    "bell": 'title: "Evil\\a## Injected heading"',
    "next line": 'title: "Evil\\N## Injected heading"',
    "video url": 'video: "https://youtu.be/2JM-ziJt0WI\\n## Injected heading"',
}


def _with_front_matter(example: Path, setting: str) -> None:
    path = example / NOTE
    lines = path.read_text().splitlines(keepends=True)
    assert lines[0] == "---\n"
    key = setting.split(":")[0]
    path.write_text("---\n" + setting + "\n" + "".join(line for line in lines[1:] if not line.startswith(key)))


def _written_lines(root: Path, but: str = "") -> list[str]:
    """Every line of every file under ``root`` (``but`` that one)."""
    files = [data for name, data in tree_bytes(root).items() if name != but]
    return [line for data in files for line in data.decode("utf-8", "replace").splitlines()]


@pytest.mark.parametrize("setting", TITLES.values(), ids=TITLES.keys())
def test_a_title_with_a_control_character_is_refused_everywhere(example: Path, setting: str) -> None:
    _with_front_matter(example, setting)
    index = run("index", cwd=example)
    assert index.exit_code == 1
    key = setting.split(":")[0]
    assert f"{NOTE}:2: front matter: '{key}' holds a line break or control character" in index.stderr
    export = run("cheats", "export", cwd=example)
    check = run("check", cwd=example)
    assert check.exit_code == 1 and f"{NOTE}:2: front matter: '{key}'" in check.stdout
    assert not [line for line in _written_lines(example, but=NOTE) if "Injected heading" in line]
    for output in (index.stdout, index.stderr, export.stdout, export.stderr, check.stdout, check.stderr):
        assert "\x1b" not in output and "\x07" not in output and "\r" not in output


@pytest.mark.parametrize("heading", ["## Bad \x1b[31m red", "## Bell \x07 here", "## Delete \x7f it"])
def test_a_heading_with_a_control_character_is_refused_with_its_line(example: Path, heading: str) -> None:
    path = example / NOTE
    path.write_text(path.read_text() + "\n" + heading + "\n\nText.\n")
    line = path.read_text().splitlines().index(heading) + 1
    before = tree_bytes(example)
    result = run("index", cwd=example)
    assert result.exit_code == 1
    assert f"{NOTE}:{line}: a heading holds a line break or control character" in result.stderr
    assert tree_bytes(example)[NOTE] == before[NOTE]
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_a_title_written_over_two_lines_is_one_line_in_the_index(example: Path) -> None:
    (example / "04_setext.md").write_text("Two line\n::add-mask::title\n===\n\n## Part\n")
    assert run("index", cwd=example).exit_code == 0
    readme = (example / "README.md").read_text()
    assert "- [Lesson 4: Two line ::add-mask::title](04_setext.md)" in readme
    assert "\n::add-mask::" not in "".join(tree_bytes(example)[n].decode() for n in ("README.md", NOTE))


@pytest.mark.parametrize(
    "snippet",
    [
        '```bash cheat=git title="Evil \x1b[2J"\ngit status\n```\n',
        '<!-- cheat: git "Evil \x1b[2J" -->\n```bash\ngit status\n```\n<!-- /cheat -->\n',
    ],
    ids=["fence title", "cheat comment title"],
)
def test_a_cheat_caption_with_a_control_character_is_refused(example: Path, snippet: str) -> None:
    path = example / NOTE
    path.write_text(path.read_text() + "\n## Snip\n\n" + snippet)
    result = run("cheats", "export", cwd=example)
    assert result.exit_code == 1
    assert f"{NOTE}:" in result.stderr and "holds a line break or control character" in result.stderr
    assert not any("\x1b" in line for line in _written_lines(example / "cheatsheets"))


def test_a_transcript_phrase_with_an_escape_is_refused(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "panel.txt"
    source.write_text("0:00\nHello there\n0:05\nclear \x1b[2J the screen\x07\n")
    before = tree_bytes(example)
    result = run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example)
    assert result.exit_code == 1
    assert "the phrase at 0:05 holds a line break or control character (\\x1b" in result.stderr
    assert tree_bytes(example) == before


def test_line_breaks_in_a_phrase_become_spaces(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "t.json"
    source.write_text('[{"text": "first\\nline\\r\\nand more", "start": 1.0, "duration": 2.0}]')
    assert run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example).exit_code == 0
    stored = (example / "transcripts" / "02_docker-and-postgres.v1.txt").read_text()
    assert stored.splitlines()[1] == "0:01 first line and more"


def test_a_stored_transcript_line_with_an_escape_is_refused_with_its_line(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "panel.txt"
    source.write_text("0:00\nHello there\n0:05\nAbout volumes\n")
    assert run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example).exit_code == 0
    stored = example / "transcripts" / "02_docker-and-postgres.v1.txt"
    stored.write_text(stored.read_text() + "0:09 volumes \x1b]0;owned\x07 again\n")  # as a clone could bring
    show = run("transcript", "show", "02_docker-and-postgres.md", cwd=example)
    assert show.exit_code == 1
    assert "transcripts/02_docker-and-postgres.v1.txt:4: the phrase holds a line break or control" in show.stderr
    search = run("search", "volumes", cwd=example)
    for output in (show.stdout, show.stderr, search.stdout, search.stderr):
        assert "\x1b" not in output and "\x07" not in output
