"""Arriving with notes already written: init's defaults, adopt's preview, commits and pushes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import git, run, tree_bytes


def test_adopt_check_previews_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "course"
    root.mkdir()
    (root / "1_intro.md").write_text("# Intro\n\n## Setup\n\nText.\n")
    (root / "2_next.md").write_text("# Next\n\n## More\n")
    assert run("init", str(root)).exit_code == 0
    before = tree_bytes(root)
    result = run("index", "--adopt", "--check", cwd=root)
    assert result.exit_code == 1
    assert "--- a/1_intro.md\n+++ b/1_intro.md\n" in result.stdout
    assert "+<!-- notes:toc -->" in result.stdout and "+- [Setup](#setup)" in result.stdout
    assert tree_bytes(root) == before
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert run("index", "--adopt", "--check", cwd=root).stdout == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_adopt_check_reads_only_the_notes_not_data_or_pipes_beside_them(tmp_path: Path) -> None:
    root = tmp_path / "course"
    root.mkdir()
    (root / "1_intro.md").write_text("# Intro\n\n## Setup\n\n![plot](plot.png)\n")
    assert run("init", str(root)).exit_code == 0
    alone = run("index", "--adopt", "--check", cwd=root).stdout
    (root / "plot.png").write_bytes(b"\x89PNG" + bytes(1000))
    (root / "data").mkdir()
    (root / "data" / "trips.csv").write_text("a,b\n" * 1000)
    os.mkfifo(root / "data" / "stream.pipe")  # copying it would block or fail
    result = run("index", "--adopt", "--check", cwd=root)
    assert result.exit_code == 1 and result.stdout == alone and "+- [Setup](#setup)" in alone
    assert "Traceback" not in result.stderr and "pipe" not in result.stderr


def test_init_takes_the_course_title_and_number_width_from_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "de"
    root.mkdir()
    (root / "README.md").write_text("# Data Engineering Zoomcamp\n\nMy notes.\n")
    (root / "1_intro.md").write_text("# Intro\n")
    (root / "2_docker.md").write_text("# Docker\n")
    assert run("init", str(root)).exit_code == 0
    config = (root / "notes.toml").read_text()
    assert 'course = "Data Engineering Zoomcamp"' in config and "number_width = 1" in config
    assert run("new", "Workflow", cwd=root).stdout.strip().endswith("3_workflow.md")


def test_a_broken_note_keeps_its_title_in_the_index(example: Path) -> None:
    note = example / "03_workflow-orchestration.md"
    readme = example / "README.md"
    title_line = next(line for line in readme.read_text().splitlines() if "03_workflow-orchestration.md" in line)
    note.write_text(note.read_text() + "\n<!-- notes:cheats -->\nunclosed\n")
    result = run("index", cwd=example)
    assert "never closed" in result.stderr
    assert title_line in readme.read_text().splitlines()


def test_commit_dry_run_lists_what_the_build_would_add(example: Path) -> None:
    assert run("commit", "-m", "start", cwd=example).exit_code == 0
    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text() + "\n```bash cheat=newsheet\nls\n```\n")
    (example / "05_new.md").write_text("# Fifth\n")
    dry = run("commit", "--dry-run", cwd=example).stdout
    assert "05_new.md" in dry and "README.md" in dry and "cheatsheets/newsheet.md" in dry
    assert run("commit", cwd=example).exit_code == 0
    committed_files = git("show", "--name-only", "--format=", "HEAD", cwd=example).split()
    listed = [line.split("- ", 1)[1].split(" (")[0] for line in dry.splitlines() if line.startswith("- ")]
    assert sorted(listed) == sorted(committed_files)


def test_push_sends_commits_already_waiting(example: Path, tmp_path: Path) -> None:
    assert run("commit", "-m", "made before the remote existed", cwd=example).exit_code == 0
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git("remote", "add", "origin", remote.as_uri(), cwd=example)
    result = run("commit", "--push", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "nothing to commit" in result.stderr and "pushed the commits waiting to origin/main" in result.stderr
    assert git("rev-parse", "main", cwd=remote).strip() == git("rev-parse", "HEAD", cwd=example).strip()


HANDMADE = """\
# Introduction

## Table of contents

- [Introduction](#introduction)
  - [Architecture](#architecture)
  - [Tools](#tools)
- [Docker and Postgres](#docker-and-postgres)
  - [Running Postgres](#running-postgres)
    - [Volumes](#volumes)
  - [pgAdmin](#pgadmin)

## Architecture

Text.

## Tools

Text.

# Docker and Postgres

## Running Postgres

### Volumes

## pgAdmin
"""


def _toc_entries(text: str) -> list[tuple[int, str, str]]:
    """(depth, title, anchor) of each line of a list of #anchor links."""
    import re

    found = []
    for line in text.splitlines():
        match = re.match(r"^( *)[-*] \[(.+?)\]\(#(.+?)\)$", line)
        if match:
            found.append((len(match.group(1)) // 2, match.group(2), match.group(3)))
    return found


def test_a_note_of_chapters_keeps_every_chapter_nested_in_its_toc(tmp_path: Path) -> None:
    root = tmp_path / "de"
    root.mkdir()
    note = root / "01_intro.md"
    note.write_text(HANDMADE)
    assert run("init", str(root)).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    text = note.read_text()
    region = text.split("<!-- notes:toc -->\n", 1)[1].split("<!-- /notes:toc -->", 1)[0]
    handmade = HANDMADE.split("## Table of contents\n\n", 1)[1].split("\n\n", 1)[0]
    assert _toc_entries(region) == _toc_entries(handmade)
    assert "Lesson 1: Intro](01_intro.md)" in (root / "README.md").read_text()  # no single title: the file's name


OWNER_README = """\
# Data Engineering

My notes, lesson by lesson:

* [Week 1: Docker, Postgres and Terraform](1_intro.md)
* [Week 2: Orchestration](2_orchestration.md)
    * [Preparing the data](extra1_preparing_data.md)
* [Week 3: Project page](../project/README.md)

Thanks for reading.
"""


def _owner_course(tmp_path: Path) -> Path:
    root = tmp_path / "de"
    root.mkdir()
    (root / "README.md").write_text(OWNER_README)
    for name, title in (
        ("1_intro.md", "Introduction"),
        ("2_orchestration.md", "Orchestration"),
        ("3_warehouse.md", "Data warehouse"),
    ):
        (root / name).write_text(f"# {title}\n\nText.\n")
    assert run("init", str(root)).exit_code == 0
    return root


def test_the_owners_list_becomes_the_index_with_their_titles(tmp_path: Path) -> None:
    root = _owner_course(tmp_path)
    assert run("index", "--adopt", cwd=root).exit_code == 0
    readme = (root / "README.md").read_text()
    assert readme == OWNER_README.replace("* [Week 1:", "<!-- notes:index -->\n* [Week 1:").replace(
        "* [Week 3: Project page](../project/README.md)\n",
        "* [Week 3: Data warehouse](3_warehouse.md)\n"  # named as the owner names lessons
        "* [Week 3: Project page](../project/README.md)\n<!-- /notes:index -->\n",
    )
    assert readme.count("](1_intro.md)") == 1  # one lesson list, not two
    assert "everything up to date" in run("index", cwd=root).stderr


def test_the_owners_index_follows_the_notes_and_keeps_their_titles(tmp_path: Path) -> None:
    root = _owner_course(tmp_path)
    assert run("index", "--adopt", cwd=root).exit_code == 0
    (root / "1_intro.md").write_text("# A new title the owner did not choose\n")
    (root / "2_orchestration.md").unlink()
    (root / "4_streaming.md").write_text("# Streaming\n")
    assert run("index", cwd=root).exit_code == 0
    region = (root / "README.md").read_text().split("<!-- notes:index -->\n")[1].split("<!-- /notes:index -->")[0]
    assert region.splitlines() == [
        "* [Week 1: Docker, Postgres and Terraform](1_intro.md)",  # the owner's title, kept
        "    * [Preparing the data](extra1_preparing_data.md)",  # not a lesson note: kept in place
        "* [Week 3: Data warehouse](3_warehouse.md)",  # (the line of the deleted lesson 2 is gone)
        "* [Week 4: Streaming](4_streaming.md)",  # added after the lesson before it, in the list's bullets
        "* [Week 3: Project page](../project/README.md)",
    ]


def test_the_commit_that_adopts_a_course_says_so(tmp_path: Path) -> None:
    root = _owner_course(tmp_path)
    git("add", "README.md", "1_intro.md", "2_orchestration.md", "3_warehouse.md", cwd=root)
    git("commit", "-qm", "the owner's notes", cwd=root)
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert run("commit", cwd=root).exit_code == 0
    assert git("log", "-1", "--format=%s", cwd=root).strip() == "Adopt notes_tool"


def test_a_new_note_commits_as_its_title_not_the_templates_headings(example: Path) -> None:
    assert run("commit", "-m", "start", cwd=example).exit_code == 0
    assert run("new", "Stream processing with Kafka", cwd=example).exit_code == 0
    assert run("commit", cwd=example).exit_code == 0
    assert git("log", "-1", "--format=%s", cwd=example).strip() == "Notes for 4: Stream processing with Kafka"


def test_markdown_that_is_not_a_lesson_note_is_named_and_searched(tmp_path: Path) -> None:
    # #25: every note is a note (indexed, searched, checked); being a lesson only adds a place.
    root = tmp_path / "de"
    root.mkdir()
    (root / "1_intro.md").write_text("# Intro\n")
    (root / "extra1_preparing_data.md").write_text("# Preparing the data\n\nParquet files of walruses.\n")
    said = "1 other note, not a lesson (indexed and searched, no nav): extra1_preparing_data.md"
    assert said in run("init", str(root)).stderr
    assert "extra1_preparing_data" not in run("index", cwd=root).stderr
    found = run("search", "walruses", "--json", cwd=root)
    assert [hit["path"] for hit in json.loads(found.stdout)] == ["extra1_preparing_data.md"]


def test_an_extra_named_without_a_number_goes_where_its_link_back_leads(tmp_path: Path) -> None:
    root = tmp_path / "de"
    notes = root / "notes"
    notes.mkdir(parents=True)
    (notes / "README.md").write_text(
        "# Notes\n\n* [Lesson 4: Analytics](4_analytics.md)\n* [Lesson 5: Batch](5_batch.md)\n"
        "    * [Extra: preparing the data](extra1_prep.md)\n* [Lesson 6: Streams](6_streams.md)\n"
    )
    for name, title in (("4_analytics.md", "Analytics"), ("5_batch.md", "Batch"), ("6_streams.md", "Streams")):
        (notes / name).write_text(f"# {title}\n\nText.\n")
    (notes / "extra1_prep.md").write_text(
        ">[Back to Batch](5_batch.md)\n\n>[Back to Index](README.md)\n\n"
        "# Preparing the data\n\nParquetize the walrus files.\n"
    )
    init = run("init", str(root))
    assert 'extras = "extra*.md"' in (root / "notes.toml").read_text()
    assert "not a lesson note" not in init.stderr
    assert run("index", "--adopt", cwd=root).exit_code == 0
    extra = (notes / "extra1_prep.md").read_text()
    assert extra.startswith("<!-- notes:nav -->\n") and "Extra to [Lesson 5: Batch](5_batch.md)" in extra
    assert "Extras: [preparing the data](extra1_prep.md)" in (notes / "5_batch.md").read_text()  # the index's label
    analytics = (notes / "4_analytics.md").read_text()
    assert "[Lesson 5: Batch »](5_batch.md)" in analytics and "extra1_prep" not in analytics
    assert "everything up to date" in run("index", cwd=root).stderr  # its place holds once adopted
    found = run("search", "walrus", "--json", cwd=root)
    assert [hit["path"] for hit in json.loads(found.stdout)] == ["notes/extra1_prep.md"]


def test_adopt_gives_a_note_outside_the_lessons_a_toc_only_where_it_asks(tmp_path: Path) -> None:
    root = tmp_path / "course"
    root.mkdir()
    (root / "1_intro.md").write_text("# Intro\n\n## Setup\n")
    (root / "2_next.md").write_text("# Next\n\n## More\n")
    (root / "glossary.md").write_text("---\ntoc: true\n---\n# Glossary\n\n## Terms\n")
    (root / "other.md").write_text("# Other\n\n## Bits\n")
    assert run("init", str(root)).exit_code == 0
    result = run("index", "--adopt", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "glossary.md: adopted TOC region after the title\n" in result.stderr
    assert "other.md" not in result.stderr
    assert (root / "glossary.md").read_text() == (
        "---\ntoc: true\n---\n# Glossary\n\n<!-- notes:toc -->\n- [Terms](#terms)\n<!-- /notes:toc -->\n\n## Terms\n"
    )
    assert (root / "other.md").read_text() == "# Other\n\n## Bits\n"


def test_adopt_marks_a_hand_made_tocs_heading_once(tmp_path: Path) -> None:
    root = tmp_path / "course"
    root.mkdir()
    toc = "## Contents\n\n- [Setup](#setup)\n\n## Setup\n"
    (root / "1_intro.md").write_text("# Intro\n\n<!-- omit from toc -->\n" + toc)
    (root / "2_next.md").write_text("# Next\n\n" + toc)
    assert run("init", str(root)).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    for name in ("1_intro.md", "2_next.md"):
        text = (root / name).read_text()
        assert text.count("<!-- omit from toc -->\n## Contents\n\n<!-- notes:toc -->\n") == 1, text
        assert text.count("omit from toc") == 1, text


def test_adopt_check_fails_on_a_note_it_cannot_read_with_nothing_to_adopt(workspace: Path) -> None:
    (workspace / "01_a.md").write_text("# A\n\n## B\n")
    assert run("index", "--adopt", cwd=workspace).exit_code == 0
    (workspace / "loose.md").write_bytes(b"# Bad \xff\n")
    result = run("index", "--adopt", "--check", cwd=workspace)
    assert result.exit_code == 1 and result.stdout == ""
    assert "loose.md:1: not UTF-8 text (byte 0xff); save the file as UTF-8" in result.stderr


def test_adopt_without_a_course_index_file_makes_one(workspace: Path) -> None:
    (workspace / "01_a.md").write_text("# A\n\n## B\n")
    (workspace / "README.md").unlink()
    result = run("index", "--adopt", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert "README.md: index (new file)" in result.stderr and "no such file" not in result.stderr
    assert "- [Lesson 1: A](01_a.md)" in (workspace / "README.md").read_text()
