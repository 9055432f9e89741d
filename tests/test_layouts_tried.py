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

from conftest import run, tree_bytes
from test_layouts import _kept_in_order, _write

from notes_tool.structure import config


def test_notes_named_our_way_inside_one_lesson_folder_do_not_move_the_course(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "de",
        {
            "README.md": "",
            "1_containers/README.md": "# Containers\n\nImages, volumes and the compose file.\n",
            "2_flows/README.md": "# Flows\n\nTasks and retries.\n",
            "3_warehouse/README.md": "# Homework 3\n\nQuestions on the warehouse.\n",
            "3_warehouse/3_notes.md": "# Warehouse notes\n\n## Partitions\n\nBy day.\n",
            "3_warehouse/3_extra-reading.md": "# Reading\n\nPapers on column stores.\n",
        },
    )
    said = run("init", cwd=root).stderr
    assert "notes_dir" not in said, said  # the course is the three folders, not 3_warehouse/
    assert "found 3 lessons: one folder each, its README.md the note (1_containers/ ... 3_warehouse/)" in said
    settings = config.load(root / "notes.toml")
    assert (settings.notes_dir, settings.index_file, settings.lessons) == (".", "README.md", ["[0-9]*/"])
    assert run("index", "--adopt", cwd=root).exit_code == 0
    readme = (root / "README.md").read_text()  # the owner's README was empty: the index is all of it
    assert readme.startswith("<!-- notes:index -->\n- [Lesson 1: Containers](1_containers/README.md)\n"), readme

    single = _write(
        tmp_path / "ml",
        {
            "Lesson1.md": "# Regression\n",
            "Lesson2.md": "# Classification\n",
            "scratch/01_todo.md": "# Things to read\n",  # one note named our way is no course
        },
    )
    said = run("init", cwd=single).stderr
    assert "notes_dir" not in said and "found 2 lessons: one note each (Lesson1.md ... Lesson2.md)" in said


def test_a_lesson_list_leading_into_docs_finds_the_lessons_there(tmp_path: Path) -> None:
    bonus_nav = "Prev: [Machines](machines.md)<br>\nNext: [Network](network.md)\n"
    root = _write(
        tmp_path / "k8s",
        {
            "README.md": "# Cluster admin course\n\nMy notes of the video course.\n\n# Sections\n\n"
            "- [01-Intro](docs/01-Intro)\n\n  - [01-Welcome](docs/01-Intro/01-Welcome.md)\n\n"
            "- [02-Pods](docs/02-Pods/)\n  - [01-What-is-a-pod](docs/02-Pods/01-What-is-a-pod.md)\n"
            "  - [02-Gone](/docs/02-Pods/02-Gone.md)\n\n"
            "- [03-Scheduling](docs/03-Scheduling)\n  - [01-Taints](docs/03-Scheduling/01-Taints.md)\n\n"
            "- [Bonus: a lab at home](./lab/) - build one yourself\n",
            "docs/01-Intro/01-Welcome.md": "# Welcome\n\nWhat the exam asks.\n",
            "docs/02-Pods/01-What-is-a-pod.md": "# Pods\n\n## Sidecars\n\nTwo containers, one pod.\n",
            "docs/03-Scheduling/01-Taints.md": "# Taints\n\n## Tolerations\n\nA pod tolerates a taint.\n",
            "lab/README.md": "# A lab at home\n\nThree machines.\n",
            "lab/docs/machines.md": f"# Machines\n\nVirtual ones.\n\n{bonus_nav}",
        },
    )
    said = run("init", cwd=root).stderr.splitlines()
    assert "the list in README.md links lessons in docs/: notes_dir = 'docs'" in said
    assert "found 3 lessons: one folder each (01-Intro/ ... 03-Scheduling/)" in said
    settings = config.load(root / "notes.toml")
    assert (settings.notes_dir, settings.index_file) == ("docs", "README.md")
    assert settings.course == "Cluster admin course"  # the README's first # heading (it has two): not "k8s"

    before = tree_bytes(root)
    assert run("index", "--adopt", cwd=root).exit_code == 0
    after = tree_bytes(root)
    for path, old in before.items():
        assert _kept_in_order(old, after[path]), f"{path}: a line of the owner's is gone"
    assert after["lab/docs/machines.md"].decode().endswith(bonus_nav)  # the owner's Prev/Next: not a lesson's
    pods = after["docs/02-Pods/01-What-is-a-pod.md"].decode()
    assert "[« 01-Intro](../01-Intro/01-Welcome.md) · [Course index](../../README.md)" in pods
    assert "everything up to date" in run("index", cwd=root).stderr
    assert tree_bytes(root) == after


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


def test_topic_notes_without_lessons_make_no_course_of_one_folder(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Deep learning course\n\nMy notes, by topic.\n\n- setosa.io to read\n",
            "homework.md": "# Homework\n\nCats and dogs.\n",
            "theory/softmax.md": "# Softmax\n\nExponentials normalised to sum to one.\n",
            "theory/training/dropout.md": "# Dropout\n\nZero some activations while training.\n",
        },
    )
    said = run("init", cwd=root).stderr.splitlines()
    assert (
        "found no lessons (no lesson list in README.md, no numbered names): 3 notes, indexed and searched; "
        "name the lessons in notes.toml (lessons = [...]) if some are"
    ) in said
    assert not [line for line in said if "no course index" in line]
    assert config.load(root / "notes.toml").lessons == []
    before = tree_bytes(root)
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert tree_bytes(root) == before  # no empty index appended, no "Lesson 1" made of theory/
    checked = run("check", cwd=root)
    assert (checked.exit_code, checked.stdout) == (0, "")
    hits = [hit["path"] for hit in __import__("json").loads(run("search", "dropout", "--json", cwd=root).stdout)]
    assert hits[:1] == ["theory/training/dropout.md"]


def test_a_title_made_from_a_numbered_name_leaves_the_number_to_the_label(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Data course\n",
            "week_1_basics_n_setup/README.md": "### Introduction\n\nThe course's tools.\n",
            "week_1_basics_n_setup/Self_serve_notes.md": "# Shortcuts\n\nKeys.\n\n# Docker\n\nImages.\n",
            "week_2_orchestration/README.md": "### Flows\n\nTasks.\n",
            "week_2_orchestration/part_2_1.md": "## Retries\n\nThree times.\n",  # a number, no name
        },
    )
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    index = (root / "README.md").read_text()
    assert "- [Week 1: Basics n setup](week_1_basics_n_setup/README.md)" in index
    assert "  - [Extra: Self serve notes](week_1_basics_n_setup/Self_serve_notes.md)" in index
    assert "  - [Part 2 1](week_2_orchestration/part_2_1.md)" in index  # (was "Extra: 2 1")
    assert (
        "[Week 2: Orchestration »](../week_2_orchestration/README.md)"
        in (root / "week_1_basics_n_setup" / "README.md").read_text()
    )


def test_extras_added_to_the_owners_list_join_it_with_its_bullet_after_its_items(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Notes\n\n## Courses\n\n- [Deep learning](dl.md)\n- [Machine learning](ml.md)\n\n"
            "## [Tools](tools/)\n* [tmux on a server](tools/tmux.md)\n* [Key pairs](tools/keys.md)\n\n## Elsewhere\n",
            "dl.md": "# Deep learning\n",
            "ml.md": "# Machine learning\n",
            "tools/README.md": "# Tools\n",
            "tools/tmux.md": "# tmux\n",
            "tools/keys.md": "# Keys\n",
            "tools/aws.md": "# An AWS image\n",
            "tools/zsh.md": "# A shell\n",
        },
    )
    said = run("init", cwd=root).stderr.splitlines()
    assert "found 3 lessons: one note or folder each (dl.md ... tools/)" in said  # (was "one note each")
    assert run("index", "--adopt", cwd=root).exit_code == 0
    index = (root / "README.md").read_text()
    assert (
        "* [tmux on a server](tools/tmux.md)\n* [Key pairs](tools/keys.md)\n"
        "* [Extra: An AWS image](tools/aws.md)\n* [Extra: A shell](tools/zsh.md)\n<!-- /notes:index -->\n"
    ) in index
    assert "everything up to date" in run("index", cwd=root).stderr
