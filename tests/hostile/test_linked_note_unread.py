"""A note linked to a file outside the workspace is left alone, and never read either.

sec-a made sure no command *writes* to ``04_private.md -> ~/notes/private.md``; but its title
still went into the course index and the neighbours' nav, its cheat snippets into the cheat
sheet (published as a gist), its text into search results and its sections into ``notes links``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, tree_bytes

PRIVATE = """\
# PRIVATE-TITLE

private words of the victim, PRIVATE-TEXT

```bash cheat=docker title="PRIVATE-SNIPPET"
export AWS_PROFILE=PRIVATE-PROFILE
```

## PRIVATE-SECTION

See [Docker](02_docker-and-postgres.md).
"""


@pytest.fixture
def linked(example: Path, tmp_path: Path) -> Path:
    private = tmp_path / "home" / "private.md"
    private.parent.mkdir()
    private.write_text(PRIVATE)
    (example / "04_private.md").symlink_to(private)
    with (example / "notes.toml").open("a") as toml:
        toml.write("backlinks = true\n")
    return example


def _leaked(root: Path) -> list[str]:
    return [rel for rel, data in tree_bytes(root).items() if rel != "04_private.md" and b"PRIVATE" in data]


@pytest.mark.parametrize("args", [["index"], ["index", "--adopt"], ["cheats", "export"], ["new", "Five"]])
def test_nothing_of_a_note_linked_outside_is_written_into_the_workspace(linked: Path, args: list[str]) -> None:
    result = run(*args, cwd=linked)
    assert "Traceback" not in result.stderr
    assert _leaked(linked) == []
    assert "04_private.md: is a link to a file outside the workspace; left alone" in result.stderr


def test_its_place_in_the_course_keeps_a_name_from_the_file_name(linked: Path) -> None:
    run("index", cwd=linked)
    assert "[Lesson 4: Private](04_private.md)" in (linked / "README.md").read_text()


def test_search_and_links_do_not_read_it(linked: Path) -> None:
    run("index", cwd=linked)
    found = run("search", "PRIVATE-TEXT", cwd=linked)
    assert "PRIVATE" not in found.stdout.replace("PRIVATE-TEXT", "", 1)
    assert "04_private" not in found.stdout
    links = run("links", "02_docker-and-postgres.md", cwd=linked)
    assert "PRIVATE" not in links.stdout + links.stderr


def test_a_transcript_linked_outside_is_not_searched(example: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "history.txt"
    elsewhere.write_text("0:00 victim zebrawords from a file elsewhere\n")
    (example / "transcripts").mkdir(exist_ok=True)
    (example / "transcripts" / "02_docker-and-postgres.v1.txt").symlink_to(elsewhere)
    found = run("search", "zebrawords", cwd=example)
    assert "Traceback" not in found.stderr
    assert "victim" not in found.stdout


@pytest.mark.parametrize(
    "args", [["transcript", "show"], ["transcript", "show", "--write"], ["stamp", "--json"], ["stamp"]]
)
def test_a_transcript_linked_outside_is_not_shown_written_into_a_page_or_stamped_from(
    example: Path, tmp_path: Path, args: list[str]
) -> None:
    elsewhere = tmp_path / "history.txt"
    elsewhere.write_text("0:00 victim zebrawords from a file elsewhere\n0:10 ssh into prod with the key\n")
    (example / "transcripts").mkdir(exist_ok=True)
    (example / "transcripts" / "02_docker-and-postgres.v1.txt").symlink_to(elsewhere)
    with (example / "02_docker-and-postgres.md").open("a") as note:
        note.write("\n## Into prod\n\nssh into prod with the key.\n")  # a section stamp would look for
    before = tree_bytes(example)
    result = run(*args, "02_docker-and-postgres.md", cwd=example)
    assert result.exit_code == 1
    assert result.stderr == (
        "transcripts/02_docker-and-postgres.v1.txt: is a link to a file outside the workspace; not read\n"
    )
    assert "victim" not in result.stdout and "prod" not in result.stdout
    assert tree_bytes(example) == before
