"""Layouts met when trying the tool as a new user on public course-notes repositories (#25):
each a small course of our own words in the shape that went wrong there.

- module folders numbered as lessons, one of them holding notes named our way (``3_notes.md``):
  init moved the whole course into that folder;
- a README whose lesson list leads into ``docs/01-Intro/``, ``docs/02-Pods/``...: the lessons
  were not found, and adopt replaced the owner's Prev/Next lines of a bonus folder;
- a broken link in the owner's lesson list went unreported once adopt made it the index;
- a folder of topic notes with no lessons became a course of one lesson;
- a folder's number stayed in the title made from its name (``Week 1: 1 basics``).
"""

from __future__ import annotations

from pathlib import Path

from conftest import git, run


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("init", "-q", cwd=root)
    return root


def _kept_in_order(old: bytes, new: bytes) -> bool:
    remaining = iter(new.splitlines(keepends=True))
    return all(any(line == candidate for candidate in remaining) for line in old.splitlines(keepends=True))


def test_a_broken_link_in_the_owners_adopted_lesson_list_is_reported(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Course\n\n- [One](lesson-01.md)\n- [Two](lesson-02.md)\n- [Three](lesson-03.md)\n",
            "lesson-01.md": "# One\n",
            "lesson-02.md": "# Two\n",
        },
    )
    assert run("init", cwd=root).exit_code == 0
    missing = "link to a missing file: lesson-03.md (did you mean 'lesson-02.md'?)"
    assert f"README.md:5: {missing}" in run("check", cwd=root).stdout.splitlines()
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert "<!-- notes:index -->\n- [One](lesson-01.md)" in (root / "README.md").read_text()  # the owner's list
    checked = run("check", cwd=root)
    assert checked.exit_code == 1
    assert f"README.md:6: {missing}" in checked.stdout.splitlines()  # (a line lower once adopted)


def test_a_title_made_from_a_numbered_name_leaves_the_number_to_the_label(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Data course\n",
            "week_1_basics_n_setup/README.md": "### Introduction\n\nThe course's tools.\n",
            "week_1_basics_n_setup/Self_serve_notes.md": "# Shortcuts\n\nKeys.\n\n# Docker\n\nImages.\n",
            "week_2_orchestration/README.md": "### Flows\n\nTasks.\n",
        },
    )
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    index = (root / "README.md").read_text()
    assert "- [Week 1: Basics n setup](week_1_basics_n_setup/README.md)" in index
    assert "  - [Extra: Self serve notes](week_1_basics_n_setup/Self_serve_notes.md)" in index
    assert (
        "[Week 2: Orchestration »](../week_2_orchestration/README.md)"
        in (root / "week_1_basics_n_setup" / "README.md").read_text()
    )
