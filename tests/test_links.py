"""Links between notes: `[[wikilinks]]` written out, links following renamed headings (through
`notes index`, `notes watch` with real file events, times typed in), and what is left alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run

from notes_tool.features import index, index_changes
from notes_tool.generate.linking import Head, renamed
from notes_tool.model import document
from notes_tool.structure.workspace import open_workspace
from notes_tool.watch.watcher import Watcher

ONE = """\
# Setting up

<!-- notes:toc -->
<!-- /notes:toc -->

## Installing Docker

Get Docker Desktop first.

## Setup

The first setup.

### Setup

The second one, a sub-step.

## Ports

Map 5432 to reach the database, as in [the volumes part](02_volumes.md#named-volumes).
"""

TWO = """\
---
video: https://youtu.be/abcdefghijk
---

# Volumes and data

<!-- notes:toc -->
<!-- /notes:toc -->

## Named volumes

A named volume keeps the data when the container goes.

## pgAdmin

A web interface for Postgres.

## Backups

Dump the database with `pg_dump`; see [ports](01_setup.md#ports) and [setup](01_setup.md#setup-1).
Back to [named volumes](#named-volumes).
"""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A workspace of our own: notes in notes/, the course index and cheat sheets at the top."""
    root = tmp_path / "linked"
    (root / "notes").mkdir(parents=True)
    (root / "notes.toml").write_text('course = "Linked"\nnotes_dir = "notes"\n')
    (root / "README.md").write_text(
        "# Linked\n\nStart with [volumes](notes/02_volumes.md#named-volumes).\n\n"
        "<!-- notes:index -->\n<!-- /notes:index -->\n"
    )
    (root / "notes" / "01_setup.md").write_text(ONE)
    (root / "notes" / "02_volumes.md").write_text(TWO)
    (root / "cheatsheets").mkdir()
    (root / "cheatsheets" / "docker.md").write_text(
        "# Docker\n\nFrom [pgAdmin](../notes/02_volumes.md#pgadmin).\n\n<!-- notes:cheats -->\n<!-- /notes:cheats -->\n"
    )
    result = run("index", cwd=root)
    assert result.exit_code == 0, result.stderr
    return root


def note(root: Path, name: str) -> Path:
    return root / "notes" / name


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(text)


def problems(root: Path) -> str:
    result = run("check", cwd=root)
    return result.stdout


# -- wikilinks ---------------------------------------------------------------------------------


def test_wikilinks_are_written_out_as_links_with_githubs_anchors(course: Path) -> None:
    one = note(course, "01_setup.md")
    typed = (
        "\nSee [[Named volumes]], [[02#pgAdmin]], [[Backups|the backups]], [[2]], [[#Ports]], "
        "[[Volumes and data#backups]] and [[installing docker]].\n"
    )
    append(one, typed)
    before = one.read_text()
    result = run("index", cwd=course)
    assert result.exit_code == 0, result.stderr
    assert "notes/01_setup.md: wikilinks 7" in result.stderr
    written = (
        "\nSee [Named volumes](02_volumes.md#named-volumes), [pgAdmin](02_volumes.md#pgadmin), "
        "[the backups](02_volumes.md#backups), [Volumes and data](02_volumes.md), [Ports](#ports), "
        "[Backups](02_volumes.md#backups) and [Installing Docker](#installing-docker).\n"
    )
    assert one.read_text() == before.replace(typed, written)  # every other byte as it was
    assert "anchor" not in problems(course) and "[[" not in problems(course)
    assert "everything up to date" in run("index", cwd=course).stderr


def test_a_misspelt_partial_or_other_case_name_finds_its_heading(course: Path) -> None:
    two = note(course, "02_volumes.md")
    append(two, "\n[[named volume]] [[PGADMIN]] [[backpus]] [[01#instaling]] [[named vol]] [[docker desk]]\n")
    run("index", cwd=course)
    assert two.read_text().endswith(
        "\n[Named volumes](#named-volumes) [pgAdmin](#pgadmin) [Backups](#backups) "
        "[Installing Docker](01_setup.md#installing-docker) [Named volumes](#named-volumes) [[docker desk]]\n"
    )  # (a word of the prose, not of a heading, names nothing)


def test_an_ambiguous_or_unknown_wikilink_is_left_as_typed_and_named_with_its_candidates(course: Path) -> None:
    two = note(course, "02_volumes.md")
    append(two, "\nSee [[setup]] and [[Kubernetes pods]].\n")
    before = two.read_bytes()
    result = run("index", cwd=course)
    assert two.read_bytes() == before
    ambiguous = "notes/02_volumes.md:26: [[setup]] is ambiguous: 01 › Setup, 01 › Setup (name the note"
    assert ambiguous in result.stderr
    assert "notes/02_volumes.md:26: [[Kubernetes pods]] matches no heading" in result.stderr
    assert ambiguous.replace(": [[", ": warning: [[") in problems(course)
    assert "notes/02_volumes.md:26: warning: [[Kubernetes pods]] matches no heading" in problems(course)


def test_a_heading_of_the_note_itself_wins_over_the_same_heading_elsewhere(course: Path) -> None:
    append(note(course, "02_volumes.md"), "\n## Setup\n\nSee [[Setup]].\n")
    run("index", cwd=course)
    assert note(course, "02_volumes.md").read_text().endswith("See [Setup](#setup).\n")


def test_wikilinks_in_code_html_regions_and_unclosed_ones_are_left_alone(course: Path) -> None:
    one = note(course, "01_setup.md")
    left = (
        "\n`[[Ports]]` and [[ unclosed\n\n```\n[[Ports]]\n```\n\n    [[Ports]]\n\n<div>\n[[Ports]]\n</div>\n\n"
        "Inline <span>[[Ports]]</span>, ![[Ports]], [[Ports]](x.md), [see [[Ports]]](y.md), \\[[Ports]]\n"
    )
    append(one, left)
    before = one.read_bytes()
    run("index", cwd=course)
    assert one.read_bytes() == before
    toc = one.read_text().replace("<!-- notes:toc -->\n", "<!-- notes:toc -->\n[[Ports]]\n")
    parsed = document.parse(one, toc)
    assert parsed.wikilinks == []


def test_crlf_and_a_missing_final_newline_are_kept(course: Path) -> None:
    one = note(course, "01_setup.md")
    one.write_bytes(one.read_bytes().replace(b"\n", b"\r\n") + b"\r\nSee [[pgAdmin]] here.  ")
    run("index", cwd=course)
    assert one.read_bytes().endswith(b"\r\n\r\nSee [pgAdmin](02_volumes.md#pgadmin) here.  ")
    assert b"\n" not in one.read_bytes().replace(b"\r\n", b"")


# -- links follow renamed headings ---------------------------------------------------------------


def test_a_reworded_heading_is_followed_everywhere_by_notes_index(course: Path) -> None:
    two = note(course, "02_volumes.md")
    page = course / "notes" / "transcripts" / "02_volumes.v1.md"  # a transcript page links back
    page.parent.mkdir()
    page.write_text("# Transcript\n\n## [Named volumes](../02_volumes.md#named-volumes)\n\nWords.\n")
    two.write_text(two.read_text().replace("## Named volumes", "## Named Docker volumes"))
    result = run("index", cwd=course)
    assert result.exit_code == 0, result.stderr
    assert "Back to [named volumes](#named-docker-volumes)." in two.read_text()
    assert "[the volumes part](02_volumes.md#named-docker-volumes)" in note(course, "01_setup.md").read_text()
    assert "Start with [volumes](notes/02_volumes.md#named-docker-volumes)." in (course / "README.md").read_text()
    assert "## [Named volumes](../02_volumes.md#named-docker-volumes)\n" in page.read_text()
    assert "anchor" not in problems(course)


def test_a_time_typed_into_a_heading_is_followed_and_so_is_the_cheat_sheet(course: Path) -> None:
    two = note(course, "02_volumes.md")
    two.write_text(two.read_text().replace("## pgAdmin", "## 3:10 pgAdmin"))
    run("index", cwd=course)
    assert "## [3:10](https://www.youtube.com/watch?v=abcdefghijk&t=190s) pgAdmin" in two.read_text()
    sheet = (course / "cheatsheets" / "docker.md").read_text()
    assert "From [pgAdmin](../notes/02_volumes.md#310-pgadmin)." in sheet
    assert "anchor" not in problems(course)


def test_a_duplicate_number_shift_is_followed(course: Path) -> None:
    """Rewording the first of two "Setup" headings makes the second one `#setup`: links to
    `#setup-1` follow it there."""
    one = note(course, "01_setup.md")
    one.write_text(one.read_text().replace("## Setup\n\nThe first", "## Install\n\nThe first"))
    run("index", cwd=course)
    assert "[setup](01_setup.md#setup)" in note(course, "02_volumes.md").read_text()
    assert "anchor" not in problems(course)


def test_a_rename_that_makes_two_headings_equal_leads_to_githubs_numbered_anchor(course: Path) -> None:
    two = note(course, "02_volumes.md")
    append(note(course, "01_setup.md"), "See [backups](02_volumes.md#backups).\n")
    run("index", cwd=course)
    two.write_text(two.read_text().replace("## Backups", "## pgAdmin"))
    run("index", cwd=course)
    assert "See [backups](02_volumes.md#pgadmin-1).\n" in note(course, "01_setup.md").read_text()
    assert "- [pgAdmin](#pgadmin-1)" in two.read_text()
    assert "anchor" not in problems(course)


def test_headings_moved_are_not_followed_and_check_names_the_links(course: Path) -> None:
    two = note(course, "02_volumes.md")
    text = two.read_text()
    two.write_text(text.replace("## Named volumes", "## Swap").replace("## pgAdmin", "## Named volumes"))
    run("index", cwd=course)
    assert "[the volumes part](02_volumes.md#named-volumes)" in note(course, "01_setup.md").read_text()
    from_cheats = "cheatsheets/docker.md:3: no heading in 02_volumes.md has the anchor #pgadmin"
    assert from_cheats in problems(course)


def test_a_deleted_heading_leaves_its_links_for_check_to_name(course: Path) -> None:
    one = note(course, "01_setup.md")
    one.write_text(one.read_text().replace("## Ports\n", ""))
    run("index", cwd=course)
    assert "[ports](01_setup.md#ports)" in note(course, "02_volumes.md").read_text()
    assert "notes/02_volumes.md:23: no heading in 01_setup.md has the anchor #ports" in problems(course)


def test_a_link_file_saved_while_index_works_is_left_as_saved_and_followed_next_run(course: Path) -> None:
    two, one = note(course, "02_volumes.md"), note(course, "01_setup.md")
    two.write_text(two.read_text().replace("## Named volumes", "## Volumes that stay"))
    ws = open_workspace(course)
    outcome = index.plan(ws)
    append(one, "A line typed meanwhile.\n")  # the user saves a note the plan would relink
    index_changes.write(outcome)
    assert one.read_text().endswith("A line typed meanwhile.\n")
    assert "02_volumes.md#named-volumes" in one.read_text()
    run("index", cwd=course)
    assert "02_volumes.md#volumes-that-stay" in one.read_text()
    assert one.read_text().endswith("A line typed meanwhile.\n")


def test_renames_are_recognised_only_where_unambiguous() -> None:
    def outline(*texts: str) -> list[Head]:
        slugs: dict[str, int] = {}
        heads = []
        for text in texts:
            base = text.lower().replace(" ", "-")
            n = slugs.get(base, -1) + 1
            slugs[base] = n
            heads.append(Head(2, text, text, base if n == 0 else f"{base}-{n}"))
        return heads

    assert renamed(outline("A", "B", "C"), outline("A", "Bee", "C")) == {"b": "bee"}
    assert renamed(outline("A", "B"), outline("1 A", "2 B")) == {"a": "1-a", "b": "2-b"}  # a stamp
    assert renamed(outline("A", "B"), outline("B", "A")) == {}  # swapped
    assert renamed(outline("A", "B", "C"), outline("A", "X", "Y", "C")) == {}  # not one for one
    assert renamed(outline("S", "O", "S"), outline("O", "S")) == {"s-1": "s"}
    assert renamed(outline("S", "B"), outline("S", "S")) == {"b": "s-1"}  # now equal: GitHub's -1
    assert renamed(outline("A", "B", "C"), outline("C", "B", "A")) == {}  # moved
    assert renamed(outline("A", "B", "C", "D"), outline("B", "A", "C", "Dee")) == {}  # a move and more


# -- notes watch, with real file events ----------------------------------------------------------


def wait_until(condition: Callable[[], bool], timeout: float = 30.0, message: object = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"condition not met in time: {message}")


def test_watch_follows_a_reworded_heading_and_writes_out_wikilinks_on_save(course: Path) -> None:
    lines: list[str] = []
    watcher = Watcher(open_workspace(course), lines.append, quiet_ms=50)
    ready = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(ready.set,), name="watch-loop")
    thread.start()
    try:
        assert ready.wait(10)
        two, one = note(course, "02_volumes.md"), note(course, "01_setup.md")
        two.write_text(two.read_text().replace("## Backups", "## Backups and restores"))
        two.write_text(two.read_text().replace("## Named volumes", "## Named volumes kept"))
        wait_until(lambda: "(02_volumes.md#named-volumes-kept)" in one.read_text(), message=lines)
        assert "Back to [named volumes](#named-volumes-kept)." in two.read_text()
        append(one, "\nSee [[Backups and restores]] and [[nowhere at all]].\n")
        wait_until(lambda: "[Backups and restores](02_volumes.md#backups-and-restores)" in one.read_text())
        wait_until(lambda: any("[[nowhere at all]] matches no heading" in line for line in lines), message=lines)
    finally:
        watcher.stop()
        thread.join(10)
    assert "anchor" not in problems(course)


# -- backlinks ---------------------------------------------------------------------------------


def test_backlinks_region_and_notes_links(course: Path) -> None:
    two = note(course, "02_volumes.md")
    before = two.read_bytes()
    assert "notes:backlinks" not in two.read_text()  # off by default
    listed = run("links", "notes/02_volumes.md", cwd=course)
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout == "- [Named volumes](#named-volumes): [01 › Ports](01_setup.md#ports)\n"
    as_json = run("links", "notes/02_volumes.md#named-volumes", "--json", cwd=course)
    assert '"note": "notes/01_setup.md#ports"' in as_json.stdout
    nothing = run("links", "notes/02_volumes.md#backups", cwd=course)
    assert "no other note links here" in nothing.stderr
    wrong = run("links", "notes/02_volumes.md#nowhere", cwd=course)
    assert wrong.exit_code == 1 and "no heading has the anchor #nowhere" in wrong.stderr

    with (course / "notes.toml").open("a") as settings:
        settings.write("backlinks = true\n")
    result = run("index", cwd=course)
    assert "notes/02_volumes.md: backlinks" in result.stderr
    region = (
        "\n<!-- notes:backlinks -->\nLinked from:\n\n"
        "- [Named volumes](#named-volumes): [01 › Ports](01_setup.md#ports)\n<!-- /notes:backlinks -->\n"
    )
    assert two.read_bytes() == before + region.encode()
    one = note(course, "01_setup.md").read_text()
    assert "- [Ports](#ports): [02 › Backups](02_volumes.md#backups)" in one
    assert "- [Setup](#setup-1): [02 › Backups](02_volumes.md#backups)" in one
    assert "everything up to date" in run("index", cwd=course).stderr
    append(two, "\n## Later\n\nSee [[01#Installing Docker]].\n")
    run("index", cwd=course)
    assert "- [Installing Docker](#installing-docker): [02 › Later](02_volumes.md#later)" in (
        note(course, "01_setup.md").read_text()
    )
    assert "stale" not in problems(course) and "anchor" not in problems(course)

    settings_text = (course / "notes.toml").read_text().replace("backlinks = true", "backlinks = false")
    (course / "notes.toml").write_text(settings_text)
    run("index", cwd=course)
    assert "notes:backlinks" not in two.read_text() and "notes:backlinks" not in note(course, "01_setup.md").read_text()
    assert two.read_text().endswith("See [Installing Docker](01_setup.md#installing-docker).\n")


def test_a_markdown_file_linked_from_outside_the_workspace_is_never_written_through(
    course: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("See [pgAdmin](notes/02_volumes.md#pgadmin) and [[pgAdmin]].\n")
    try:
        (course / "notes" / "elsewhere.md").symlink_to(outside)
    except OSError:
        pytest.skip("no symlinks here")
    (course / "elsewhere2.md").symlink_to(outside)
    two = note(course, "02_volumes.md")
    two.write_text(two.read_text().replace("## pgAdmin", "## pgAdmin in a browser"))
    run("index", cwd=course)
    assert run("mv", "notes/02_volumes.md", "notes/04_volumes.md", cwd=course).exit_code == 0
    assert outside.read_text() == "See [pgAdmin](notes/02_volumes.md#pgadmin) and [[pgAdmin]].\n"
    assert "(../notes/04_volumes.md#pgadmin-in-a-browser)" in (course / "cheatsheets" / "docker.md").read_text()


@pytest.mark.parametrize(
    ("before", "after", "follows"),
    [
        ("## A\n## B\n## C\n", "## A\n## New\n## B\n## C2\n", {"c": "c2"}),  # one added, one reworded
        ("## X\n## 1:00 Y\n## Z\n", "## X\n## Y\n## Z\n## W\n", {"100-y": "y"}),  # a time taken out
        ("## A\n### B\n", "## A\n## B2\n", {}),  # a heading that changed level is another heading
        ("## A\n## A\n", "## B\n## A\n## B\n", {}),  # the two alignments disagree: nothing follows
    ],
)
def test_which_renamed_headings_links_follow(before: str, after: str, follows: dict[str, str]) -> None:
    from notes_tool.generate.linking import outline_of

    def outline(text: str) -> list[Head]:
        return outline_of(document.parse(Path("n.md"), "# T\n" + text))

    assert renamed(outline(before), outline(after)) == follows
