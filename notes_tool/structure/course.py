"""The course as a whole: lessons in order, with titles, for navigation and the index."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from notes_tool.structure.lessons import EXTRA_LETTER, Lesson, LessonFile
from notes_tool.structure.numbered import numbered


@dataclass(frozen=True)
class CourseEntry:
    """One note's place in the course."""

    file: LessonFile
    title: str
    main: LessonFile | None
    """For an extra, its lesson's main note (if there is one); None for a main note."""
    own_label: str = ""
    word: str = ""
    """What the course calls a lesson, when its names or the owner's labels say (``Module``)."""
    """What the owner's course index calls it (``Session 5: Deploying models``), if it does."""
    bare: bool = False
    """Named by its word and number alone (``Lesson 5``), as every lesson the owner labelled is."""

    @property
    def is_extra(self) -> bool:
        return self.file.letter not in ("", "a") or self.main is not None

    @property
    def label(self) -> str:
        """``Lesson 5: Deployment`` or ``Extra: Virtual environments``, or the owner's own label;
        a title that already says what it is (``Lesson 1: Intro``, ``Week 2``, ``Extra: ...``)
        is not prefixed again."""
        if self.own_label:
            return self.own_label
        kind = self.file.kind or self.word or "Lesson"
        if self.bare and not self.is_extra:
            return f"{kind} {self.file.number}{self.file.letter if self.file.letter != EXTRA_LETTER else ''}"
        if _SAYS_PLACE.match(self.title):
            return self.title
        return f"Extra: {self.title}" if self.is_extra else f"{kind} {self.file.number}: {self.title}"

    @property
    def short_label(self) -> str:
        """The name in a list of extras (``Extras: ...``): the owner's label without its
        ``Extra:``, else the title."""
        return _EXTRA.sub("", self.own_label or self.title, count=1)


_SAYS_PLACE = re.compile(
    r"^(?:extra\b|(?:lesson|module|week|chapter|unit|session|part|day|lecture)\s*\d+[a-z]?\b)", re.IGNORECASE
)


_LABEL_WORD = re.compile(r"^([A-Z][a-z]+) \d+[a-z]?\b")
_EXTRA = re.compile(r"^\s*extra\s*[:\-–]\s*", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<word>[A-Za-z]+) (?P<number>\d{1,9})\s*:")  # (more digits: no lesson number)


def lesson_number(label: str) -> int | None:
    """The number a label gives its lesson (``Session 7: Midterm project``: 7)."""
    match = _NUMBERED.match(label)
    return int(match.group("number")) if match else None


def lesson_word(labels: dict[LessonFile, str]) -> str:
    """The word the owner's labels number their lessons with (``Session 5: ...``, ``Week 2:
    ...``): the most common one among labels that give their note's own number; "" when none
    does. A lesson added to their list is named the same way (``Session 11: Kserve``)."""
    words = [
        m.group("word")
        for f, label in labels.items()
        if (m := _NUMBERED.match(label)) is not None and int(m.group("number")) == f.number
    ]
    return max(set(words), key=lambda w: (words.count(w), w)) if words else ""


_BARE_LABEL = re.compile(r"^[A-Z][a-z]+ \d+[a-z]?$")
"""A label of a word and a number alone (``Lesson 5``): an owner who labels every lesson so
gets an added lesson labelled so too."""


def fallback_title(path: Path) -> str:
    """A title from the file name (``05_docker-compose.md``: Docker compose), for a note with none
    (a folder's ``README.md``: the folder's name)."""
    stem = path.parent.name if path.stem.lower() in ("readme", "index") and path.parent.name else path.stem
    found = numbered(stem)  # week_1_basics: Basics (its number is the lesson's); Self_serve_notes: all of it
    rest = found.rest.replace("_", "").replace("-", "") if found is not None else ""
    named = bool(rest) and not rest.isdigit()  # lesson_11_1: all of it
    words = (found.rest if found is not None and named else stem).replace("-", " ").replace("_", " ")
    words = _GLUED_NUMBER.sub(r"\1 \2", words)  # module3: Module 3
    return words[:1].upper() + words[1:]


_GLUED_NUMBER = re.compile(r"^([A-Za-z]+)(\d+[a-z]?)$")


@dataclass
class Course:
    lessons: list[Lesson]
    titles: dict[LessonFile, str]
    labels: dict[LessonFile, str] = field(default_factory=dict)
    """The owner's labels, from their course index (see ``course_index.owner_labels``)."""
    own_word: bool = False
    """Name lessons with the word every one of the owner's labels uses (``Module 2: ...``): for a
    course not named our way (ours keeps ``Lesson N:``, the form its index recognises as ours)."""
    pages: list[LessonFile] = field(default_factory=list)
    """Pages the owner's index numbers as lessons, outside the notes (``../07_project/README.md``,
    labelled in ``labels``; see ``course_index.owner_pages``): previous/next lead to them, and the
    notes of that lesson are extras to them. No nav is written into them."""
    _by_number: dict[int, Lesson] = field(init=False, repr=False)
    _reps: list[LessonFile] = field(init=False, repr=False)
    _rep_numbers: list[int] = field(init=False, repr=False)
    _entries: dict[LessonFile, CourseEntry] = field(init=False, repr=False, default_factory=dict)
    _word: str = field(init=False, repr=False, default="")
    _page_of: dict[int, LessonFile] = field(init=False, repr=False, default_factory=dict)
    _bare: bool = field(init=False, repr=False, default=False)

    def __post_init__(self) -> None:
        self._by_number = {lesson.number: lesson for lesson in self.lessons}
        self._page_of = {page.number: page for page in self.pages}
        self._reps = self._representatives()
        self._rep_numbers = [rep.number for rep in self._reps]
        self._word = self._lesson_word()
        self._bare = bool(self._word) and all(_BARE_LABEL.match(label) for label in self.labels.values())

    def _representatives(self) -> list[LessonFile]:
        """One note per lesson for previous/next: the owner's page for it, else the main note,
        else the first extra."""
        reps = []
        for number in sorted(set(self._by_number) | set(self._page_of)):
            lesson = self._by_number.get(number)
            rep = self._page_of.get(number)
            if rep is None and lesson is not None:
                rep = lesson.main or next(iter(lesson.extras), None)
            if rep is not None:
                reps.append(rep)
        return reps

    def _lesson_word(self) -> str:
        """The owner's word for a lesson, when every label of theirs says it (``Module 2: ...``)."""
        words = {m.group(1) for m in (_LABEL_WORD.match(label) for label in self.labels.values()) if m}
        said = all(_LABEL_WORD.match(label) for label in self.labels.values())
        agreed = self.own_word and len(self.labels) >= 2 and said and len(words) == 1
        return words.pop() if agreed else lesson_word(self.labels)

    def entry(self, lesson_file: LessonFile) -> CourseEntry:
        cached = self._entries.get(lesson_file)
        if cached is not None:
            return cached
        title = self.titles.get(lesson_file) or fallback_title(lesson_file.path)
        lesson = self._by_number.get(lesson_file.number)
        main = None
        if lesson is not None and lesson.main != lesson_file and lesson_file not in lesson.duplicates:
            main = lesson.main
        page = self._page_of.get(lesson_file.number)
        if page is not None and page != lesson_file and main is None:
            main = page
        entry = CourseEntry(lesson_file, title, main, self.labels.get(lesson_file, ""), self._word, self._bare)
        self._entries[lesson_file] = entry
        return entry

    def neighbours(self, lesson_file: LessonFile) -> tuple[CourseEntry | None, CourseEntry | None]:
        """The previous and next lessons (their main notes), extras skipped."""
        before = bisect_left(self._rep_numbers, lesson_file.number)
        after = bisect_right(self._rep_numbers, lesson_file.number)
        previous = self.entry(self._reps[before - 1]) if before > 0 else None
        following = self.entry(self._reps[after]) if after < len(self._reps) else None
        return previous, following

    def extras_of(self, lesson_file: LessonFile) -> list[CourseEntry]:
        lesson = self._by_number.get(lesson_file.number)
        if lesson is None or lesson.main != lesson_file:
            return []
        return [self.entry(e) for e in lesson.extras]
