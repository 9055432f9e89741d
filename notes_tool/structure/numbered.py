"""Numbers in file and folder names, in every common form: ``Lesson1``, ``lesson-01``,
``module6a``, ``Week1``, ``week-02-x``, ``1_x``, ``01 x``.

What a course not named our way is ordered by when nothing else says (see
:mod:`notes_tool.structure.outline`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORDS = "lesson|lessons|module|week|chapter|unit|session|part|day|lecture|class|topic|section|sprint|step"
_NUMBERED = re.compile(
    rf"^(?P<prefix>(?:{_WORDS})?[\s_-]*)(?P<number>\d{{1,4}})(?P<letter>[a-z]?)(?:$|(?P<sep>[\s_.-]+)(?P<rest>.*)$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Naming:
    """A numbered name taken apart: ``week-02-docker`` is ``week-``, 2 (2 digits), ``-docker``."""

    prefix: str
    number: int
    letter: str
    width: int
    sep: str
    rest: str


def numbered(name: str) -> Naming | None:
    """The number a file or folder name gives (``.md`` dropped), in any common form."""
    stem = name[:-3] if name.lower().endswith(".md") else name.rstrip("/")
    match = _NUMBERED.match(stem)
    if match is None:
        return None
    digits = match.group("number")
    return Naming(
        match.group("prefix"),
        int(digits),
        match.group("letter").lower(),
        len(digits),
        match.group("sep") or "",
        match.group("rest") or "",
    )


def lesson_word(name: str) -> str:
    """What a numbered name calls a lesson (``Module`` for ``module6a.md``), "" if it says nothing."""
    found = numbered(name)
    word = found.prefix.strip(" _-") if found is not None else ""
    return word[:1].upper() + word[1:].lower() if word else ""
