"""Finding the course workspace and recognising its lesson notes by name.

Lesson notes are named ``NN_slug.md``; extras under a lesson ``NNb_slug.md`` (``NNa`` is the
lesson itself when there is no plain ``NN_``, as in ``05a_deployment.md`` + ``05b_virtenvs.md``).
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from notes_tool.errors import NotesError, WorkspaceNotFound
from notes_tool.fsio import real_path
from notes_tool.structure import config as config_mod
from notes_tool.structure.config import CONFIG_NAME, Config

_LESSON_NAME = re.compile(r"^(?P<number>\d{1,4})(?P<letter>[a-z]?)_(?P<slug>.+)\.md$", re.IGNORECASE)
ENV_VAR = "NOTES_WORKSPACE"
SHEETS_DIR = "cheatsheets"
SHEET_REGION = "cheats"
"""The region of a cheat sheet the tool writes (``cheatsheets/NAME.md``)."""
SHEET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
"""A sheet's name: also its file name in ``cheatsheets/`` and in the gist."""


@dataclass(frozen=True)
class LessonFile:
    """A note recognised by its file name."""

    path: Path
    number: int
    letter: str
    """``""`` for ``05_x.md``, ``"b"`` for ``05b_x.md`` (lower-cased)."""

    @property
    def code(self) -> str:
        """``05`` or ``05b`` as written in the file name."""
        return self.path.name.split("_", 1)[0]

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


@dataclass
class Workspace:
    root: Path
    config: Config

    @property
    def notes_dir(self) -> Path:
        return self.root / self.config.notes_dir

    @property
    def index_path(self) -> Path:
        return self.root / self.config.index_file

    @property
    def cache_dir(self) -> Path:
        return self.root / self.config.cache_dir

    def relative(self, path: Path) -> str:
        """``path`` relative to the workspace with forward slashes (a cache key; a link's path)."""
        root, text = str(self.root), str(path)
        if text.startswith(root + os.sep):  # the usual case, without pathlib's cost
            return text[len(root) + 1 :].replace(os.sep, "/")
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    @property
    def notes_prefix(self) -> str:
        """The notes folder as workspace-relative paths of notes start with: "" or ``notes/``."""
        folder = self.relative(self.notes_dir)
        return "" if folder == "." else folder + "/"

    @property
    def images_dir(self) -> Path:
        return self.notes_dir / "images"

    @property
    def sheets_dir(self) -> Path:
        return self.root / SHEETS_DIR

    def sheet_path(self, name: str) -> Path:
        return self.sheets_dir / f"{name}.md"

    def existing_sheets(self) -> list[str]:
        """The names of the cheat sheets in ``cheatsheets/``."""
        if not self.sheets_dir.is_dir():
            return []
        return sorted(p.stem for p in self.sheets_dir.glob("*.md") if SHEET_NAME.match(p.stem))

    def lesson_files(self) -> list[LessonFile]:
        """Lesson notes in course order (number, then letter), extras named by the ``extras``
        pattern included, each under the lesson it links back to."""
        found = lesson_files_in(self.notes_dir)
        if not self.config.extras:
            return found
        numbered = {real_path(f.path): f.number for f in found if f.letter in ("", "a")}
        for path in self._pattern_extras():
            number = _lesson_linked_from(path, numbered)
            if number is not None:
                found.append(LessonFile(path, number, EXTRA_LETTER))
        return sorted(found, key=lambda f: f.sort_key)

    def _pattern_extras(self) -> list[Path]:
        try:
            names = sorted(os.listdir(self.notes_dir))
        except OSError:
            return []
        pattern = self.config.extras.lower()
        return [
            self.notes_dir / name
            for name in names
            if fnmatch.fnmatchcase(name.lower(), pattern)
            and parse_lesson_name(name) is None
            and (self.notes_dir / name).is_file()
        ]

    def other_markdown(self, files: list[LessonFile] | None = None) -> list[Path]:
        """Markdown files in the notes folder that are not lesson notes (``files``, default:
        :meth:`lesson_files`), nor the course index, nor a README: the tool does not index or
        search them, and says so."""
        try:
            names = sorted(os.listdir(self.notes_dir))
        except OSError:
            return []
        index = self.index_path.name.lower() if self.index_path.parent == self.notes_dir else None
        lesson_files = self.lesson_files() if files is None else files
        placed = {f.path.name for f in lesson_files if f.letter == EXTRA_LETTER}
        return [
            self.notes_dir / name
            for name in names
            if name.lower().endswith((".md", ".markdown"))
            and parse_lesson_name(name) is None
            and name.lower() not in (index, "readme.md")
            and name not in placed
            and (self.notes_dir / name).is_file()
        ]

    def lessons(self, files: list[LessonFile] | None = None) -> list[Lesson]:
        """Group files (default: :meth:`lesson_files`) by number: the plain (or ``a``) file is the
        lesson, the others extras."""
        by_number: dict[int, list[LessonFile]] = {}
        for lesson_file in self.lesson_files() if files is None else files:
            by_number.setdefault(lesson_file.number, []).append(lesson_file)
        lessons = []
        for number, files in sorted(by_number.items()):
            plain = [f for f in files if f.letter == ""]
            if plain:
                main, rest = plain[0], [f for f in files if f is not plain[0]]
            elif files[0].letter == "a":
                main, rest = files[0], files[1:]
            else:
                main, rest = None, files
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
        if parsed and _is_file(entry):
            found.append(LessonFile(Path(entry.path), parsed[0], parsed[1]))
    return sorted(found, key=lambda f: f.sort_key)


EXTRA_LETTER = "~"
"""The letter of an extra named by the ``extras`` pattern: after every lettered extra."""


def _lesson_linked_from(path: Path, lessons: dict[Path, int]) -> int | None:
    """The lesson the note at ``path`` links back to: its first link to a lesson's main note
    outside the regions the tool writes; else the ``Extra to`` link of its own nav region
    (once the tool has taken its hand-made navigation over)."""
    from notes_tool.model import document  # (here: a search of unchanged notes loads no parser)

    try:
        note, _ = document.load(path)
    except NotesError:
        return None
    mine = [link for link in note.links if link.region is None]
    ours = [link for link in note.links if link.region == "nav" and note.lines[link.line].startswith("Extra to ")]
    for found in [*mine, *ours]:
        target = found.href.split("#", 1)[0]
        if target and "://" not in target:
            number = lessons.get(real_path(path.parent / unquote(target)))
            if number is not None:
                return number
    return None


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file (links followed); False for folders, pipes, broken links and link loops."""
    try:
        return entry.is_file()
    except OSError:
        return False


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``notes.toml``."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def open_workspace(explicit: Path | None = None, cwd: Path | None = None) -> Workspace:
    """The workspace named by ``--workspace``, ``$NOTES_WORKSPACE`` or found above ``cwd``."""
    if explicit is None and os.environ.get(ENV_VAR):
        explicit = Path(os.environ[ENV_VAR])
    if explicit is not None:
        root = find_root(explicit) if explicit.exists() else None
        if root is None:
            raise WorkspaceNotFound(
                f"{explicit.as_posix()}: no {CONFIG_NAME} here or above; "
                f"create a workspace with `notes init {explicit.as_posix()}`"
            )
    else:
        root = find_root(cwd or Path.cwd())
        if root is None:
            raise WorkspaceNotFound(
                f"not inside a notes workspace (no {CONFIG_NAME} here or above); "
                "create one with `notes init`, or pass --workspace DIR"
            )
    return Workspace(root, config_mod.load(root / CONFIG_NAME))
