"""The course index on its own: where a lesson or extra missing from the owner's list is filed,
what happens to the owner's lines, the tool's lines and the lines of notes that are gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_tool.generate.course_index import IndexLine, index_body
from notes_tool.structure.workspace import LessonFile, parse_lesson_name

NAMES = ["01_intro.md", "02_setup.md", "02b_setup-extra.md", "03_deploy.md", "03b_deploy-extra.md", "04_end.md"]


def course(root: Path, names: list[str] = NAMES) -> list[IndexLine]:
    """Lesson notes on disk, as the index lists them: mains at depth 0, extras under them."""
    lines = []
    for name in names:
        (root / name).write_text(f"# {name}\n")
        parsed = parse_lesson_name(name)
        assert parsed is not None
        number, letter = parsed
        title = name[:-3].split("_", 1)[1].replace("-", " ").title()
        kind = "Extra" if letter else f"Lesson {number}"
        lines.append(
            IndexLine(LessonFile(root / name, number, letter), 1 if letter else 0, f"[{kind}: {title}]({name})")
        )
    return lines


def merged(root: Path, owners: str, lessons: list[IndexLine]) -> str:
    return index_body(owners, lessons, [], root / "README.md")


def test_a_missing_lesson_and_its_missing_extra_are_filed_in_course_order(tmp_path: Path) -> None:
    """Lesson 2 goes after lesson 1; 3b goes under lesson 3, not under the lesson 2 just
    inserted above it (positions after an insertion move down by one, the one at the insertion
    point included)."""
    lessons = course(tmp_path)
    owners = "- [Welcome](01_intro.md)\n- [Shipping it](03_deploy.md)\n- [The end](04_end.md)\n"
    assert merged(tmp_path, owners, lessons) == (
        "- [Welcome](01_intro.md)\n"
        "- [Lesson 2: Setup](02_setup.md)\n"
        "  - [Extra: Setup Extra](02b_setup-extra.md)\n"
        "- [Shipping it](03_deploy.md)\n"
        "  - [Extra: Deploy Extra](03b_deploy-extra.md)\n"
        "- [The end](04_end.md)\n"
    )


FIVE = ["01_intro.md", "01b_more.md", "01c_even-more.md", "02_setup.md", "03_end.md"]


@pytest.mark.parametrize(
    ("owners", "expected"),
    [
        pytest.param(
            "* [Welcome](01_intro.md)\n    * [More](01b_more.md)\n        * homework: done\n* [The end](03_end.md)\n",
            "* [Welcome](01_intro.md)\n"
            "    * [More](01b_more.md)\n"
            "        * homework: done\n"
            "    * [Extra: Even More](01c_even-more.md)\n"
            "* [Lesson 2: Setup](02_setup.md)\n"
            "* [The end](03_end.md)\n",
            id="nested-under-the-extra",
        ),
        pytest.param(
            # The owner's remark under lesson 1 stays under lesson 1: lesson 2 goes after it, not
            # right after the extra 1c filed before it (where the remark would read as lesson 2's).
            "- [Welcome](01_intro.md)\n  - [More](01b_more.md)\n  - a remark of mine\n- [The end](03_end.md)\n",
            "- [Welcome](01_intro.md)\n"
            "  - [More](01b_more.md)\n"
            "  - [Extra: Even More](01c_even-more.md)\n"
            "  - a remark of mine\n"
            "- [Lesson 2: Setup](02_setup.md)\n"
            "- [The end](03_end.md)\n",
            id="a-remark-beside-the-extra",
        ),
        pytest.param(
            "- [Welcome](01_intro.md)\n  - [More](01b_more.md)\n    how it went, in my words\n- [The end](03_end.md)\n",
            "- [Welcome](01_intro.md)\n"
            "  - [More](01b_more.md)\n"
            "    how it went, in my words\n"
            "  - [Extra: Even More](01c_even-more.md)\n"
            "- [Lesson 2: Setup](02_setup.md)\n"
            "- [The end](03_end.md)\n",
            id="the-text-of-an-item-stays-with-it",
        ),
        pytest.param(
            "- Lessons:\n  - [Welcome](01_intro.md)\n    - [More](01b_more.md)\n  - [The end](03_end.md)\n",
            "- Lessons:\n"
            "  - [Welcome](01_intro.md)\n"
            "    - [More](01b_more.md)\n"
            "    - [Extra: Even More](01c_even-more.md)\n"
            "  - [Lesson 2: Setup](02_setup.md)\n"
            "  - [The end](03_end.md)\n",
            id="the-lessons-nested-in-an-item-of-the-owner",
        ),
    ],
)
def test_a_missing_note_goes_after_the_one_before_it_and_what_is_nested_under_that(
    tmp_path: Path, owners: str, expected: str
) -> None:
    """In the owner's bullet and nesting step: 1c after 1b and what is nested under 1b, lesson
    2 after lesson 1 and everything nested under it."""
    assert merged(tmp_path, owners, course(tmp_path, FIVE)) == expected


def test_a_missing_first_lesson_goes_before_the_first_listed_one(tmp_path: Path) -> None:
    lessons = course(tmp_path, ["01_intro.md", "02_setup.md"])
    owners = "My course:\n\n- [Setup](02_setup.md)\n"
    assert (
        merged(tmp_path, owners, lessons) == "My course:\n\n- [Lesson 1: Intro](01_intro.md)\n- [Setup](02_setup.md)\n"
    )


def test_owner_lines_stay_tool_lines_follow_titles_and_gone_notes_go(tmp_path: Path) -> None:
    lessons = course(tmp_path, ["01_intro.md", "02_setup.md"])
    owners = (
        "- [Lesson 1: Old title](01_intro.md)\n"  # the tool's form: follows the note's title
        "- see also [the project](https://example.com)\n"
        "- [Gone](03_gone.md)\n"  # a lesson note no longer there
        "- [My own words](02_setup.md) (hard one)\n"
    )
    assert merged(tmp_path, owners, lessons) == (
        "- [Lesson 1: Intro](01_intro.md)\n"
        "- see also [the project](https://example.com)\n"
        "- [My own words](02_setup.md) (hard one)\n"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shown=st.lists(st.booleans(), min_size=len(NAMES), max_size=len(NAMES)))
def test_whatever_the_owner_left_out_the_list_ends_in_course_order(tmp_path: Path, shown: list[bool]) -> None:
    """The owner's list holds some of the notes, in order (an extra only with its lesson):
    every note is then listed once, in the course's order, extras nested under their lesson."""
    lessons = course(tmp_path)
    main = {line.file.number: n for n, line in enumerate(lessons) if line.depth == 0 and line.file is not None}
    keep = [
        show and (line.depth == 0 or (line.file is not None and shown[main[line.file.number]]))
        for show, line in zip(shown, lessons, strict=True)
    ]
    owners = "".join(
        ("  " * line.depth) + f"- [Mine {n}]({name})\n"
        for n, (line, name, kept) in enumerate(zip(lessons, NAMES, keep, strict=True))
        if kept
    )
    out = merged(tmp_path, owners, lessons).splitlines()
    assert [line.split("](")[-1].rstrip(")") for line in out] == NAMES
    assert [len(line) - len(line.lstrip()) for line in out] == [2 * line.depth for line in lessons]


@pytest.mark.parametrize("sheets", [[], ["- [Docker](cheatsheets/docker.md)"]])
def test_a_fresh_index_is_generated_whole_with_its_sheets(tmp_path: Path, sheets: list[str]) -> None:
    lessons = course(tmp_path, ["01_intro.md", "01b_more.md"])
    out = index_body("", lessons, sheets, tmp_path / "README.md")
    expected = "- [Lesson 1: Intro](01_intro.md)\n  - [Extra: More](01b_more.md)\n"
    assert out == expected + ("\nCheat sheets:\n\n- [Docker](cheatsheets/docker.md)\n" if sheets else "")
    assert index_body(out, lessons, sheets, tmp_path / "README.md") == out
