"""Lesson notes: a note's place in the course (lesson number, extra letter), and our own naming
of lesson notes, ``NN_slug.md`` (extras ``NNb_slug.md``; ``NNa`` is the lesson itself when there
is no plain ``NN_``, as in ``05a_deployment.md`` + ``05b_virtenvs.md``)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

_LESSON_NAME = re.compile(r"^(?P<number>\d{1,4})(?P<letter>[a-z]?)_(?P<slug>.+)\.md$", re.IGNORECASE)
EXTRA_LETTER = "~"
"""The letter of an extra placed by where it is (a pattern, a lesson's folder): after every lettered extra."""


@dataclass(frozen=True)
class LessonFile:
    """A note with a place in the course."""

    path: Path
    number: int
    letter: str
    """``""`` for ``05_x.md``, ``"b"`` for ``05b_x.md`` (lower-cased), :data:`EXTRA_LETTER` for
    an extra placed by where it is."""
    given_code: str = ""
    """How the course numbers it, when its file name does not say (``6a`` for ``module6a.md``)."""
    kind: str = ""
    """What the course calls a lesson, when its names say (``Module`` for ``module6a.md``)."""

    @property
    def code(self) -> str:
        """``05`` or ``05b`` as written in the file name (or as the outline numbers it)."""
        return self.given_code or self.path.name.split("_", 1)[0]

    @property
    def sort_key(self) -> tuple[int, str, str]:
        return (self.number, self.letter, self.path.name.lower())


def parse_lesson_name(name: str) -> tuple[int, str] | None:
    match = _LESSON_NAME.match(name)
    if match is None:
        return None
    return int(match.group("number")), match.group("letter").lower()


@dataclass
class Lesson:
    """A lesson number: its main note (if any) and its extras in order."""

    number: int
    main: LessonFile | None
    extras: list[LessonFile] = field(default_factory=list)
    duplicates: list[LessonFile] = field(default_factory=list)
    """Further notes that claim to be this lesson's main note."""


def group(files: list[LessonFile]) -> list[Lesson]:
    """Group files by number: the plain (or ``a``) file is the lesson, the others extras."""
    by_number: dict[int, list[LessonFile]] = {}
    for lesson_file in files:
        by_number.setdefault(lesson_file.number, []).append(lesson_file)
    lessons = []
    for number, found in sorted(by_number.items()):
        plain = [f for f in found if f.letter == ""]
        if plain:
            main, rest = plain[0], [f for f in found if f is not plain[0]]
        elif found[0].letter == "a":
            main, rest = found[0], found[1:]
        else:
            main, rest = None, found
        lesson = Lesson(number, main)
        for other in rest:
            (lesson.duplicates if other.letter == "" else lesson.extras).append(other)
        lessons.append(lesson)
    return lessons


def lesson_files_in(folder: Path) -> list[LessonFile]:
    """The lesson notes (``05_x.md``, ``05b_y.md``) directly in ``folder``, in course order."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        parsed = parse_lesson_name(entry.name)
        if parsed and is_file(entry):
            found.append(LessonFile(Path(entry.path), parsed[0], parsed[1]))
    return sorted(found, key=lambda f: f.sort_key)


def is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file (links followed); False for folders, pipes, broken links and link loops."""
    try:
        return entry.is_file()
    except OSError:
        return False
