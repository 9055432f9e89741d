"""The course as a whole: lessons in order, with titles, for navigation and the index."""

from __future__ import annotations

from dataclasses import dataclass

from notes_tool.workspace import Lesson, LessonFile


@dataclass(frozen=True)
class Entry:
    """One note's place in the course."""

    file: LessonFile
    title: str
    main: LessonFile | None
    """For an extra, its lesson's main note (if there is one); None for a main note."""

    @property
    def is_extra(self) -> bool:
        return self.file.letter not in ("", "a") or self.main is not None

    @property
    def label(self) -> str:
        """``Lesson 5: Deployment`` or ``Extra: Virtual environments``."""
        return f"Extra: {self.title}" if self.is_extra else f"Lesson {self.file.number}: {self.title}"


def fallback_title(lesson_file: LessonFile) -> str:
    """A title from the file name, for a note with no title of its own."""
    words = lesson_file.path.stem.split("_", 1)[-1].replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


@dataclass
class Course:
    lessons: list[Lesson]
    titles: dict[LessonFile, str]

    def entry(self, lesson_file: LessonFile) -> Entry:
        title = self.titles.get(lesson_file) or fallback_title(lesson_file)
        lesson = next((le for le in self.lessons if le.number == lesson_file.number), None)
        main = lesson.main if lesson is not None and lesson.main != lesson_file else None
        if lesson is not None and lesson_file in lesson.duplicates:
            main = None
        return Entry(lesson_file, title, main)

    def representatives(self) -> list[LessonFile]:
        """One note per lesson, for previous/next: the main note, else the first extra."""
        out = []
        for lesson in self.lessons:
            first = lesson.main or (lesson.extras[0] if lesson.extras else None)
            if first is not None:
                out.append(first)
        return out

    def neighbours(self, lesson_file: LessonFile) -> tuple[Entry | None, Entry | None]:
        reps = self.representatives()
        number = lesson_file.number
        before = [r for r in reps if r.number < number]
        after = [r for r in reps if r.number > number]
        previous = self.entry(before[-1]) if before else None
        following = self.entry(after[0]) if after else None
        return previous, following

    def extras_of(self, lesson_file: LessonFile) -> list[Entry]:
        lesson = next((le for le in self.lessons if le.number == lesson_file.number), None)
        if lesson is None or lesson.main != lesson_file:
            return []
        return [self.entry(e) for e in lesson.extras]
