"""Courses kept in other layouts than ours (#25): the outline `init` finds, the adopt diff
(golden files beside the fixtures), a second run writing nothing, every note searchable.

The fixture courses in tests/fixtures/layouts/ are small and written for these tests, one per
layout people keep: module folders whose README.md is the note (homework and install notes
beside), flat Lesson1..5.md with a README of `## 1. [Lesson 1](/Lesson1.md)` headings,
module1..4a/4b.md with an extra of no number, week folders of named notes (a nested subfolder
too) listed by `### [Week 1](week-01-x/)` headings, names with spaces, a lowercase readme.md.
Set NOTES_UPDATE_GOLDEN=1 to rewrite the golden diffs after a deliberate change (and read them).
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import git, run, tree_bytes

from notes_tool.structure import config

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


@dataclass(frozen=True)
class Layout:
    lessons: list[str]
    """What `init` writes into notes.toml's `lessons`."""
    said: list[str]
    """What `init` says about the outline (lines of its stderr)."""
    searches: dict[str, str]
    """A question -> the note (workspace-relative) that must be its first hit."""


CASES = {
    "modules": Layout(
        ["[0-9]*/"],
        [
            "found 4 lessons: one folder each, its README.md the note (1_Containers-and-IaC/ ... 4_Analytics/)",
            "      in the order of the list in README.md; 2 other notes kept under their lessons",
        ],
        {
            "why does docker need sudo on my ec2 box": "1_Containers-and-IaC/README.md",
            "dbt unique test": "4_Analytics/README.md",
            "install cloud sdk on mac": "3_Warehouse/install/macos.md",
        },
    ),
    "flat-lessons": Layout(
        ["Lesson*.md"],
        ["found 5 lessons: one note each (Lesson1.md ... Lesson5.md)", "      in the order of the list in README.md"],
        {"relu": "Lesson3.md", "gradio web app": "Lesson2.md", "random forests": "Lesson5.md"},
    ),
    "numbered-modules": Layout(
        ["module*.md"],
        [
            "found 5 lessons: one note each (module1.md ... module4b.md)",
            "      in the order of their numbers; 1 note outside the lessons (indexed and searched, no nav)",
        ],
        {"k-fold": "module4b.md", "log auc to wandb": "wandb.md", "churn mutual information": "module3.md"},
    ),
    "weeks": Layout(
        ["week-*/"],
        [
            "found 3 lessons: one folder each (week-01-introduction/ ... week-03-deployment/)",
            "      in the order of the list in README.md; 2 other notes kept under their lessons",
        ],
        {
            "gunicorn workers": "week-03-deployment/web-service/serving.md",
            "model registry stages": "week-02-tracking/Model-Registry.md",
        },
    ),
    "spaces": Layout([], [], {"pyenv": "01_Week1 Notes.md", "groupby": "02_Week2 Notes.md"}),
    "lowercase-readme": Layout(
        ["lesson-*.md"],
        [
            "found 3 lessons: one note each (lesson-01.md ... lesson-03.md)",
            "      in the order of the list in readme.md",
        ],
        {"cold starts": "lesson-03.md", "budget alert": "lesson-01.md"},
    ),
}


def _course(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(LAYOUTS / name, root)
    git("init", "-q", cwd=root)
    return root


def _diff(before: dict[str, bytes], after: dict[str, bytes]) -> str:
    lines: list[str] = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) == after.get(name) or name.startswith(".vscode/"):
            continue
        old = before.get(name, b"").decode("utf-8").splitlines(keepends=True)
        new = after.get(name, b"").decode("utf-8").splitlines(keepends=True)
        for line in difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"):
            shown = line.replace("\r\n", "\\r\n")
            lines.append(shown if shown.endswith("\n") else shown + "\n\\ no newline at end of file\n")
    return "".join(lines)


def _kept_in_order(old: bytes, new: bytes) -> bool:
    """Every line of ``old``, with its ending, is in ``new``, in the same order."""
    remaining = iter(new.splitlines(keepends=True))
    return all(any(line == candidate for candidate in remaining) for line in old.splitlines(keepends=True))


@pytest.mark.parametrize("name", sorted(CASES))
def test_init_finds_the_outline_the_owner_wrote(name: str, tmp_path: Path) -> None:
    root = _course(name, tmp_path)
    said = run("init", cwd=root)
    assert said.exit_code == 0, said.stderr
    text = (root / "notes.toml").read_text()
    assert f"lessons = {json.dumps(CASES[name].lessons)}" in text
    for line in CASES[name].said:
        assert line in said.stderr.splitlines()
    readmes = [p.name for p in root.iterdir() if p.name.lower() == "readme.md"]
    assert len(readmes) == 1  # the owner's readme.md is the index: never a second README


@pytest.mark.parametrize("name", sorted(CASES))
def test_adopting_a_layout_keeps_every_line_and_holds(name: str, tmp_path: Path) -> None:
    root = _course(name, tmp_path)
    assert run("init", cwd=root).exit_code == 0
    before = tree_bytes(root)
    adopted = run("index", "--adopt", cwd=root)
    assert adopted.exit_code == 0, adopted.stderr
    after = tree_bytes(root)

    golden = LAYOUTS / f"{name}.adopt.diff"
    diff = _diff(before, after)
    if os.environ.get("NOTES_UPDATE_GOLDEN"):
        golden.write_text(diff, encoding="utf-8", newline="\n")
    assert diff == golden.read_text(encoding="utf-8")
    for path, old in before.items():
        assert _kept_in_order(old, after[path]), f"{path}: a line of the owner's is gone"

    again = run("index", cwd=root)
    assert "everything up to date" in again.stderr
    assert tree_bytes(root) == after
    assert run("index", "--adopt", cwd=root).exit_code == 0  # adopting twice adds nothing
    assert tree_bytes(root) == after


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_note_of_a_layout_is_searchable(name: str, tmp_path: Path) -> None:
    root = _course(name, tmp_path)
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    for question, note in CASES[name].searches.items():
        found = run("search", question, "--json", cwd=root)
        hits = [hit["path"] for hit in json.loads(found.stdout)]
        assert hits[:1] == [note], (question, hits)


def test_a_new_note_follows_the_courses_own_naming(tmp_path: Path) -> None:
    modules = _course("numbered-modules", tmp_path)
    assert run("init", cwd=modules).exit_code == 0
    assert run("new", "Decision trees", cwd=modules).stdout.strip() == str(modules / "module5.md")
    assert run("new", "Tuning XGBoost", "--after", "4", cwd=modules).stdout.strip() == str(modules / "module4c.md")
    index = (modules / "README.md").read_text()
    assert "- [Module 5: Decision trees](module5.md)" in index
    assert "  - [Extra: Tuning XGBoost](module4c.md)" in index
    taken = run("new", "Again", "--lesson", "5", cwd=modules)
    assert taken.exit_code != 0 and "lesson 5 is taken by module5.md" in taken.stderr

    folders = _course("modules", tmp_path)
    assert run("init", cwd=folders).exit_code == 0
    assert run("index", "--adopt", cwd=folders).exit_code == 0
    made = Path(run("new", "Streaming with Kafka", cwd=folders).stdout.strip())
    assert made == folders / "5_streaming-with-kafka" / "README.md"
    extra = Path(run("new", "Spark on a Mac", "--after", "3", cwd=folders).stdout.strip())
    assert extra == folders / "3_Warehouse" / "spark-on-a-mac.md"
    index = (folders / "README.md").read_text()
    assert "- [Module 5: Streaming with Kafka](5_streaming-with-kafka/README.md)" in index  # the owner's word
    assert (
        "[Module 5: Streaming with Kafka »](../5_streaming-with-kafka/README.md)"
        in (folders / "4_Analytics" / "README.md").read_text()
    )
    assert "Extra to [Module 4: Analytics engineering](../4_Analytics/README.md)" not in made.read_text()
    assert "[« Module 4: Analytics engineering](../4_Analytics/README.md)" in made.read_text()


def test_a_lesson_named_in_notes_toml_outside_its_patterns_is_added_there(tmp_path: Path) -> None:
    root = _course("lowercase-readme", tmp_path)
    assert run("init", cwd=root).exit_code == 0
    toml = root / "notes.toml"
    listed = 'lessons = ["lesson-02.md", "lesson-01.md", "lesson-03.md"]'
    toml.write_text(toml.read_text().replace('lessons = ["lesson-*.md"]', listed))
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert "[serverless functions »](lesson-03.md)" in (root / "lesson-01.md").read_text()  # notes.toml's order
    assert run("new", "Queues", cwd=root).stdout.strip() == str(root / "lesson-04.md")
    assert config.load(toml).lessons == ["lesson-02.md", "lesson-01.md", "lesson-03.md", "lesson-04.md"]
    assert "[Lesson 4: Queues »](lesson-04.md)" in (root / "lesson-03.md").read_text()


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("init", "-q", cwd=root)
    return root


def test_a_readme_against_the_numbers_is_followed_and_said_once(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Course\n\n- [Intro](lesson-02.md)\n- [Setup](lesson-01.md)\n- [More](lesson-03.md)\n",
            "lesson-01.md": "# Setup\n\nInstalling things.\n",
            "lesson-02.md": "# Intro\n\nWhat the course is.\n",
            "lesson-03.md": "# More\n\nThe rest.\n",
        },
    )
    said = run("init", cwd=root).stderr.splitlines()
    against = [line for line in said if "against their numbers" in line]
    assert against == [
        "README.md: lists lesson-02.md before lesson-01.md, against their numbers; the lessons follow this list"
    ]
    assert config.load(root / "notes.toml").lessons == ["lesson-02.md", "lesson-01.md", "lesson-03.md"]
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert "[Course index](README.md) · [Setup »](lesson-01.md)" in (root / "lesson-02.md").read_text()


def test_a_readme_link_to_a_missing_lesson_is_reported_never_invented(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Course\n\n## 1. [Lesson 1](/Lesson1.md)\n\n## 2. [Lesson 2](/Lesson2.md)\n\n"
            "## 3. [Lesson 3](/Lesson3.md)\n",
            "Lesson1.md": "# One\n",
            "Lesson2.md": "# Two\n",
        },
    )
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert not (root / "Lesson3.md").exists()
    assert "Lesson3" not in (root / "Lesson2.md").read_text()  # no "next" to a lesson that is not there
    checked = run("check", cwd=root)
    assert checked.exit_code == 1
    assert "README.md:9: link to a missing file: /Lesson3.md" in checked.stdout  # (line 9 once adopted)
    assert "everything up to date" in run("index", cwd=root).stderr


def test_a_lesson_folder_without_a_note_is_named(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {"week1/README.md": "# Week one\n", "week2/data.csv": "a,b\n", "week3/notes.md": "# Week three\n"},
    )
    assert run("init", cwd=root).exit_code == 0
    toml = root / "notes.toml"
    toml.write_text(toml.read_text().replace('lessons = ["week*/"]', 'lessons = ["week1/", "week2/", "week3/"]'))
    for command in (("index", "--adopt"), ("check",)):
        done = run(*command, cwd=root)
        said = [line for line in (done.stdout + done.stderr).splitlines() if "week2/" in line]
        assert [line.replace(" warning:", "") for line in said] == [
            "notes.toml: lessons: week2/ is a lesson folder with no note"
        ]
        assert "Traceback" not in done.stdout + done.stderr
    assert "[Week 3: Week three »](../week3/notes.md)" in (root / "week1" / "README.md").read_text()


def test_two_notes_claiming_one_lesson_are_named_with_both_paths(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {"Lesson1.md": "# One\n", "lesson-01.md": "# Also one\n", "Lesson2.md": "# Two\n"},
    )
    said = run("init", cwd=root).stderr
    assert "Lesson1.md: lesson-01.md and Lesson1.md both claim lesson 1" in said.splitlines()
    checked = run("check", cwd=root).stdout
    assert "Lesson1.md: warning: lesson-01.md and Lesson1.md both claim lesson 1" in checked.splitlines()


def test_check_hints_at_adopting_only_where_adopt_would(tmp_path: Path) -> None:
    toc = "# {t}\n\n## Contents\n\n- [Part](#part)\n\n## Part\n\nText.\n"
    root = _write(
        tmp_path / "c",
        {
            "Lesson1.md": toc.format(t="One"),
            "Lesson2.md": "# Two\n",
            "setup/guide.md": toc.format(t="A guide"),  # not a lesson: its hand-made TOC is adopted too
            "build/copy.md": toc.format(t="A build copy"),  # ignored by .gitignore: left alone
            ".gitignore": "build/\n",
        },
    )
    assert run("init", cwd=root).exit_code == 0
    hints = [line for line in run("check", cwd=root).stdout.splitlines() if "can manage it" in line]
    assert hints == [
        "Lesson1.md: warning: hand-made TOC at line 3: `notes index --adopt` can manage it",
        "setup/guide.md: warning: hand-made TOC at line 3: `notes index --adopt` can manage it",
    ]
    before = (root / "build" / "copy.md").read_bytes()
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert "<!-- notes:toc -->\n- [Part](#part)" in (root / "setup" / "guide.md").read_text()
    assert "notes:nav" not in (root / "setup" / "guide.md").read_text()  # not a lesson: no nav
    assert (root / "build" / "copy.md").read_bytes() == before
    assert not [line for line in run("check", cwd=root).stdout.splitlines() if "can manage it" in line]


def test_a_note_nested_under_a_lesson_in_the_readme_is_its_extra(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Notes\n\n* [Module 1](module1.md): basics\n* [Module 2](module2.md): tracking\n"
            "    * [Homework](homework/hw2.ipynb)\n        * [My notes on W&B](wandb.md)\n"
            "* Module 3:\n    * [Part A](module3a.md)\n    * [Part B](module3b.md)\n",
            "module1.md": "# Basics\n",
            "module2.md": "# Tracking\n",
            "wandb.md": "# Weights and Biases\n\nSweeps over learning rates.\n",
            "module3a.md": "# Best practices\n",
            "module3b.md": "# Infrastructure as code\n",
            "homework/hw2.md": "# Homework 2\n",
        },
    )
    said = run("init", cwd=root).stderr
    assert "found 4 lessons: one note each (module1.md ... module3b.md)" in said
    assert config.load(root / "notes.toml").lessons == [
        "module1.md",
        ["module2.md", "wandb.md"],
        "module3a.md",
        "module3b.md",
    ]
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert "Extra to [Module 2](module2.md)" in (root / "wandb.md").read_text()  # the owner's label
    assert "[Module 2 »](module2.md)" in (root / "module1.md").read_text()
    assert "Extra to [Part A](module3a.md)" in (root / "module3b.md").read_text()  # 3b: an extra of 3a by name
    assert "notes:nav" not in (root / "homework" / "hw2.md").read_text()  # not a lesson's: no nav
    assert "everything up to date" in run("index", cwd=root).stderr
    # An extra of lesson 2 is listed after it, so that the names keep counting up.
    assert run("new", "Sweeps", "--after", "2", cwd=root).stdout.strip() == str(root / "module2b.md")
    assert config.load(root / "notes.toml").lessons[1:3] == [["module2.md", "wandb.md"], "module2b.md"]
    # (named as the owner's index names them, as every label of the nav is: issue 29, item 4)
    assert "Extras: [My notes on W&B](wandb.md), [Sweeps](module2b.md)" in (root / "module2.md").read_text()
    assert "[Part A »](module3a.md)" in (root / "module2b.md").read_text()


def test_commits_in_a_course_of_folders_say_which_lesson(tmp_path: Path) -> None:
    root = _course("modules", tmp_path)
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert run("commit", cwd=root).exit_code == 0
    assert git("log", "-1", "--format=%s", cwd=root).strip() == "Adopt notes_tool"
    note = root / "3_Warehouse" / "install" / "macos.md"
    note.write_text(note.read_text() + "\n## Without Homebrew\n\nThe archive from the vendor's site.\n")
    assert run("commit", cwd=root).exit_code == 0
    assert git("log", "-1", "--format=%s", cwd=root).strip() == "Notes for 3: Without Homebrew"


def test_the_adopt_preview_leaves_out_what_gitignore_ignores(tmp_path: Path) -> None:
    toc = "# {t}\n\n## Contents\n\n- [A](#a)\n\n## A\n"
    root = _write(
        tmp_path / "c",
        {
            "Lesson1.md": "# One\n",
            "Lesson2.md": "# Two\n",
            "out/Lesson3.md": toc.format(t="Copy"),
            ".gitignore": "out/\n",
        },
    )
    assert run("init", cwd=root).exit_code == 0
    preview = run("index", "--adopt", "--check", cwd=root).stdout
    assert "+++ b/Lesson1.md" in preview and "out/Lesson3.md" not in preview


def test_a_readme_link_to_a_lesson_folder_without_a_note_is_named(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Course\n\n- [Week 1](week1/)\n- [Week 2](week2/)\n- [Week 3](week3/)\n",
            "week1/README.md": "# One\n",
            "week2/README.md": "# Two\n",
            "week3/train.py": "print('no notes here')\n",
        },
    )
    said = run("init", cwd=root).stderr.splitlines()
    assert "README.md:5: links week3/ as a lesson, but it holds no note" in said
    assert "Traceback" not in "\n".join(said)
    assert config.load(root / "notes.toml").lessons == ["week*/"]


def test_lessons_out_of_order_are_numbered_from_the_first_ones_number(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Course\n\n- [Refresher](0_sql/)\n- [Docker](1_docker/)\n- [Airflow](2_airflow/)\n"
            "- [Kestra](2_kestra/)\n",
            "0_sql/README.md": "# SQL refresher\n\nWindow functions and ranks.\n",
            "1_docker/README.md": "# Docker\n",
            "2_airflow/README.md": "# Airflow\n",
            "2_kestra/README.md": "# Kestra\n",
        },
    )
    said = run("init", cwd=root).stderr
    assert "2_kestra/README.md: 2_airflow/README.md and 2_kestra/README.md both claim lesson 2" in said
    found = json.loads(run("search", "window", "functions", "--json", "--lesson", "0", cwd=root).stdout)
    assert [hit["path"] for hit in found] == ["0_sql/README.md"]


def test_a_search_follows_a_changed_outline(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "Lesson1.md": "# Intro\n\nWalruses on the first day.\n",
            "Lesson2.md": "# More\n\nPenguins on the second day.\n",
        },
    )
    assert run("init", cwd=root).exit_code == 0

    def lesson_of(word: str) -> list[str]:
        return [hit["path"] for hit in json.loads(run("search", word, "--json", "--lesson", "1", cwd=root).stdout)]

    assert lesson_of("walruses") == ["Lesson1.md"]
    toml = root / "notes.toml"
    toml.write_text(toml.read_text().replace('lessons = ["Lesson*.md"]', 'lessons = ["Lesson2.md", "Lesson1.md"]'))
    assert lesson_of("penguins") == ["Lesson2.md"]  # now the first lesson, though the note is unchanged
    assert lesson_of("walruses") == []


def test_a_search_names_a_lesson_as_the_owners_index_does(tmp_path: Path) -> None:
    """A hit is headed by what the owner's course index calls its lesson, not the note's code and
    title; rewording that line (then `notes index`) renames the hits, the note untouched."""
    root = _course("modules", tmp_path)
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0

    def heading(*question: str) -> str:
        return str(json.loads(run("search", *question, "--json", cwd=root).stdout)[0]["breadcrumb"]).split(" › ")[0]

    assert heading("kestra") == "Module 2: Orchestration with Kestra"
    readme = root / "README.md"
    readme.write_text(readme.read_text().replace("Module 2: Orchestration with Kestra", "Module 2: Flows in Kestra"))
    assert run("index", cwd=root).exit_code == 0
    assert heading("kestra") == "Module 2: Flows in Kestra"


def test_a_lesson_line_index_adds_names_its_hits_at_once(tmp_path: Path) -> None:
    """A note added to a course: the line `notes index` writes for it in the owner's index
    names its search hits at once, as it would once the cache is deleted."""
    root = _course("modules", tmp_path)
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert run("search", "kestra", cwd=root).exit_code == 0
    (root / "5_Streaming").mkdir()
    (root / "5_Streaming" / "README.md").write_text("# Streaming\n\nKafka topics and partitions.\n")
    assert run("index", cwd=root).exit_code == 0
    label = str(json.loads(run("search", "kafka", "--json", cwd=root).stdout)[0]["breadcrumb"]).split(" › ")[0]
    shutil.rmtree(root / ".notes-cache")
    assert run("index", cwd=root).exit_code == 0
    fresh = str(json.loads(run("search", "kafka", "--json", cwd=root).stdout)[0]["breadcrumb"]).split(" › ")[0]
    assert label == fresh and label.startswith("Module 5")
