"""`notes status`: the course at a glance, saying what the other commands would say."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run


def test_status_of_the_example_as_it_comes(example: Path) -> None:
    result = run("status", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Data Engineering Zoomcamp: 3 lessons, 1 extra",
        "  01   Lesson 1: Introduction to Data Engineering  (no transcript, 4/5 sections timed)",
        "  01b  Extra: Virtual environments on an Intel Mac  (no transcript, 0/3 sections timed)",
        "  02   Lesson 2: Docker and Postgres  (no transcript, 5/5 sections timed)",
        "  03   Lesson 3: Workflow orchestration  (no transcript, 3/4 sections timed)",
        "cheat sheets: docker, git, python",
        "generated parts: up to date",
        "check: 0 errors, 0 warnings",
        "uncommitted: nothing",
    ]


def test_status_says_what_index_check_commit_and_stamp_would(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "panel.txt"
    source.write_text("0:00 hello everyone\n0:04 today we talk about docker\n")
    assert run("transcript", "add", "03_workflow-orchestration.md", str(source), cwd=example).exit_code == 0
    (example / "notes.md").write_text("# Loose thoughts\n")
    (example / "transcripts" / "09_gone.v1.txt").write_text("# 09_gone.md video 1\n0:00 hi\n")
    note = example / "02_docker-and-postgres.md"
    note.write_text(note.read_text() + "\n## New section\n\n[broken](nowhere.md)\n")
    lines = run("status", cwd=example).stdout.splitlines()
    assert "  03   Lesson 3: Workflow orchestration  (1 transcript, 3/4 sections timed)" in lines
    assert (
        "stamps: 1 section without a moment yet, in 1 note with a transcript (`notes stamp --all` finds what it can)"
        in lines
    )
    assert "other notes, not in the outline (indexed and searched, no nav): notes.md" in lines
    assert "transcripts of notes that are not there: transcripts/09_gone.v1.txt" in lines
    assert any(line.startswith("stale: 02_docker-and-postgres.md (`notes index`") for line in lines)
    # errors: the stale note and the broken link; a warning: the transcript of a note not there
    assert [line for line in lines if line.startswith("check:")] == [
        "check: 2 errors, 1 warning (`notes check` lists them)"
    ]
    assert any(line.startswith("uncommitted: ") and "file" in line for line in lines)
    assert "nowhere" not in note.read_text().split("## New section")[0]  # status wrote nothing to the notes


def test_status_outside_git_names_published_sheets_and_counts_many_other_notes(example: Path) -> None:
    shutil.rmtree(example / ".git")
    config = example / "notes.toml"
    config.write_text(config.read_text() + '\n[gists.git]\nid = "abc123"\nurl = "https://gist.github.com/abc123"\n')
    for number in range(7):
        (example / f"loose{number}.md").write_text("# Loose\n")
    (example / "02_docker-and-postgres.md").write_bytes(b"# Docker \xff\n")  # not UTF-8: check says so
    result = run("status", cwd=example)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "cheat sheets: docker, git (published), python" in lines
    assert (
        "other notes, not in the outline (indexed and searched, no nav): "
        "loose0.md, loose1.md, loose2.md, loose3.md, loose4.md and 2 more"
    ) in lines
    # a note that cannot be read is still listed, named from its file, with no sections
    assert "  02   Lesson 2: Docker and postgres  (no transcript, 0/0 sections timed)" in lines
    assert lines[-1] == "git: not a git repository (`git init`, or `notes init` makes one)"
