"""#24 item 2: a note that is a symbolic link to a file outside the workspace.

git keeps links, so a clone may hold ``04_shell.md -> ~/.bashrc``. No command edits such a
file (``index``, ``index --adopt``, ``stamp --all``, ``new``'s neighbours, ``commit``'s build, the
watcher), each says truthfully that it left it alone, and a ``--check`` writes nothing at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, tree_bytes
from test_watch import Running

BASHRC = b"# ~/.bashrc\n\nalias ll='ls -l'\n\n## Prompt\n\nexport PS1='$ '\n"
SPOKEN = """\
0:00 hello and welcome
0:20 today we will install docker on the machine
0:40 docker desktop needs the installer
1:10 now let us run postgres in a container with docker run
1:35 postgres needs environment variables for the user and password
2:10 the data disappears when the container stops so we need a volume
3:10 next pgadmin the web interface for postgres
4:10 thanks for watching bye
"""
VIDEO_NOTE = """\
---
video: https://youtu.be/abcdefghijk
---

# Docker elsewhere

## Installing Docker

Download Docker Desktop and run the installer.

## Running Postgres

`docker run` with the POSTGRES_USER and POSTGRES_PASSWORD environment variables.

## pgAdmin

A web UI for Postgres.
"""


class Outside:
    """Files outside the workspace that notes of the workspace link to."""

    def __init__(self, home: Path):
        self.bashrc = home / ".bashrc"
        self.note = home / "elsewhere" / "docker.md"
        self.files = [self.bashrc, self.note]
        self.before = {p: p.read_bytes() for p in self.files}
        self.listing = sorted(home.rglob("*"))
        self.home = home

    def untouched(self) -> bool:
        return {p: p.read_bytes() for p in self.files} == self.before and sorted(self.home.rglob("*")) == self.listing


@pytest.fixture
def outside(example: Path, tmp_path: Path) -> Outside:
    home = tmp_path / "home-of-the-user"
    (home / "elsewhere").mkdir(parents=True)
    (home / ".bashrc").write_bytes(BASHRC)
    # The video note is made inside first (its transcript stored as for any note), then moved out.
    inside = example / "05_docker-elsewhere.md"
    inside.write_text(VIDEO_NOTE)
    spoken = tmp_path / "spoken.txt"
    spoken.write_text(SPOKEN)
    assert run("transcript", "add", inside.name, str(spoken), cwd=example).exit_code == 0
    inside.rename(home / "elsewhere" / "docker.md")
    inside.symlink_to(home / "elsewhere" / "docker.md")
    (example / "04_shell.md").symlink_to(home / ".bashrc")
    # Another note's title, which nav regions would carry into every neighbour.
    third = example / "03_workflow-orchestration.md"
    marker = tmp_path / "pwned"
    third.write_text(third.read_text().replace("title: Workflow orchestration", f'title: "$(touch {marker})"'))
    return Outside(home)


LEFT_ALONE = "is a link to a file outside the workspace; left alone"


@pytest.mark.parametrize(
    "args",
    [
        ["index"],
        ["index", "--adopt"],
        ["stamp", "--all"],
        ["stamp", "05_docker-elsewhere.md"],
        ["new", "Another lesson"],
        ["commit", "-m", "notes"],
        ["cheats", "export"],
    ],
)
def test_no_command_edits_a_note_linked_outside(example: Path, outside: Outside, args: list[str]) -> None:
    result = run(*args, cwd=example)
    assert "Traceback" not in result.stderr
    assert outside.untouched(), (args, result.stderr)
    assert (example / "04_shell.md").is_symlink() and (example / "05_docker-elsewhere.md").is_symlink()
    if args[0] in ("index", "stamp", "new"):
        assert LEFT_ALONE in result.stderr, result.stderr
    # What it says is what it did: no line claims a change to a note it left alone.
    for line in result.stdout.splitlines() + result.stderr.splitlines():
        if "04_shell.md" in line or "05_docker-elsewhere.md" in line:
            assert "left alone" in line, line


@pytest.mark.parametrize("args", [["index", "--adopt", "--check"], ["index", "--check"]])
def test_a_check_writes_nothing_anywhere(example: Path, outside: Outside, args: list[str]) -> None:
    # And a note of the workspace reached through an absolute link, with something to adopt.
    plain = example / "06_plain.md"
    plain.write_text("# Plain\n\nA note the tool did not make.\n\n## Part one\n\n## Part two\n")
    (example / "07_alias.md").symlink_to(plain.resolve())
    assert run("index", cwd=example).exit_code in (0, 1)  # (the rest brought up to date)
    before = tree_bytes(example)
    result = run(*args, cwd=example)
    assert "Traceback" not in result.stderr
    assert outside.untouched(), result.stderr
    assert tree_bytes(example) == before
    assert plain.read_text() == "# Plain\n\nA note the tool did not make.\n\n## Part one\n\n## Part two\n"


def test_the_watcher_never_edits_a_note_linked_outside(example: Path, outside: Outside) -> None:
    running = Running(example)
    first = example / "01_introduction-to-data-engineering.md"
    first.write_text(first.read_text() + "\n## A new section\n")
    try:
        running.settle(2)
    finally:
        running.stop()
    assert "- [A new section](#a-new-section)" in first.read_text()
    assert outside.untouched(), running.lines


@pytest.mark.parametrize("args", [["index"], ["index", "--adopt"], ["new", "Another lesson"]])
def test_a_course_index_linked_outside_is_left_alone(example: Path, tmp_path: Path, args: list[str]) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_bytes((example / "README.md").read_bytes().replace(b"Lesson 2", b"Lesson two"))
    before = elsewhere.read_bytes()
    (example / "README.md").unlink()
    (example / "README.md").symlink_to(elsewhere)
    result = run(*args, cwd=example)
    assert "Traceback" not in result.stderr
    assert elsewhere.read_bytes() == before
    assert "'index_file' must be a path inside the workspace" in result.stderr  # (refused as a setting)
