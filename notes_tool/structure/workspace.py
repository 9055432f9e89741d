"""Finding the course workspace, its notes and its lessons.

Every Markdown note of the workspace is a note (:mod:`notes_tool.structure.tree`). Which of them
are lessons: in a course named our way, ``NN_slug.md`` (extras ``NNb_slug.md``; ``NNa`` is the
lesson itself when there is no plain ``NN_``); in any other, the outline the owner wrote
(:mod:`notes_tool.structure.outline`), or the ``lessons`` of ``notes.toml``.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from notes_tool.errors import NotesError, WorkspaceNotFound
from notes_tool.fsio.confine import real_path
from notes_tool.structure import config as config_mod
from notes_tool.structure.config import CONFIG_NAME, Config
from notes_tool.structure.lessons import (
    EXTRA_LETTER,
    Lesson,
    LessonFile,
    group,
    is_file,
    lesson_files_in,
    parse_lesson_name,
)
from notes_tool.structure.outline import Outline, discover
from notes_tool.structure.tree import note_entries

__all__ = [
    "EXTRA_LETTER",
    "Lesson",
    "LessonFile",
    "Workspace",
    "lesson_files_in",
    "open_workspace",
    "parse_lesson_name",
]

ENV_VAR = "NOTES_WORKSPACE"
SHEETS_DIR = "cheatsheets"
SHEET_REGION = "cheats"
"""The region of a cheat sheet the tool writes (``cheatsheets/NAME.md``)."""
SHEET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
"""A sheet's name: also its file name in ``cheatsheets/`` and in the gist."""


@dataclass
class Workspace:
    root: Path
    config: Config
    find_location: Callable[[Path], tuple[str, str] | None] | None = field(default=None, repr=False, compare=False)
    """How to learn where the workspace is on GitHub (its repository's web URL and its folder in
    it) when ``repo_url`` does not say: given by the command that opens it (git is an edge, not
    structure); asked only when a course index links its own repository by URL."""
    _location: list[tuple[str, str] | None] = field(default_factory=list, repr=False, compare=False)

    def location(self) -> tuple[str, str] | None:
        """Where the workspace is on GitHub: ``repo_url`` (the workspace at its top), else what
        :attr:`find_location` finds (once)."""
        if self.config.repo_url:
            return (self.config.repo_url, "")
        if not self._location:
            self._location.append(self.find_location(self.root) if self.find_location is not None else None)
        return self._location[0]

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

    def named_our_way(self) -> bool:
        """Whether the lessons are ``NN_slug.md`` notes (and ``notes.toml`` names none)."""
        if self.config.lessons:
            return False
        try:  # (the first such note answers: a search asks before every search)
            with os.scandir(self.notes_dir) as entries:
                return any(parse_lesson_name(entry.name) is not None and is_file(entry) for entry in entries)
        except OSError:
            return False

    def notes(self) -> list[Path]:
        """Every note of the workspace (the course index and the tool's own files left out)."""
        return [Path(entry.path) for entry in self.note_entries()]

    def note_entries(self) -> list[os.DirEntry[str]]:
        """:meth:`notes` as directory entries (see :func:`notes_tool.structure.tree.note_entries`)."""
        return note_entries(self.root, self.config.cache_dir, frozenset({self.relative(self.index_path)}))

    def outline(self, notes: list[Path] | None = None) -> Outline:
        """The lessons in course order, with how they were found and what is wrong with them."""
        if self.named_our_way():
            return Outline(self._our_lesson_files(), [], "names")
        index = self.index_path if self.index_path.is_file() else None
        every = self.notes() if notes is None else notes
        return discover(
            self.notes_dir, self.root, every, index, self.config.lessons, self.config.index_file, self.location
        )

    def lesson_files(self) -> list[LessonFile]:
        """Lesson notes in course order (number, then letter), extras included."""
        return self.outline().files

    def _our_lesson_files(self) -> list[LessonFile]:
        """``NN_slug.md`` notes, extras named by the ``extras`` pattern included, each under the
        lesson it links back to."""
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

    def other_notes(self, files: list[LessonFile] | None = None, notes: list[Path] | None = None) -> list[Path]:
        """The notes that have no place in the course outline (``files``, default:
        :meth:`lesson_files`): indexed, searched and checked like any note, with no nav."""
        lesson_paths = {f.path for f in (self.lesson_files() if files is None else files)}
        return [p for p in (self.notes() if notes is None else notes) if p not in lesson_paths]

    def folders_named_like_notes(self) -> list[Path]:
        """Folders in the notes folder named like lesson notes (``03_dir.md``): not notes."""
        try:
            entries = sorted(os.scandir(self.notes_dir), key=lambda e: e.name)
        except OSError:
            return []
        return [Path(e.path) for e in entries if parse_lesson_name(e.name) is not None and _is_folder(e)]

    def lessons(self, files: list[LessonFile] | None = None) -> list[Lesson]:
        """Group files (default: :meth:`lesson_files`) by number: the plain (or ``a``) file is the
        lesson, the others extras."""
        return group(self.lesson_files() if files is None else files)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop
        return False


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


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``notes.toml``."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def open_workspace(
    explicit: Path | None = None,
    cwd: Path | None = None,
    find_location: Callable[[Path], tuple[str, str] | None] | None = None,
) -> Workspace:
    """The workspace named by ``--workspace``, ``$NOTES_WORKSPACE`` or found above ``cwd``
    (``find_location``: see :attr:`Workspace.find_location`)."""
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
    return Workspace(root, config_mod.load(root / CONFIG_NAME), find_location)


def reopened(ws: Workspace) -> Workspace:
    """``ws`` opened again (its ``notes.toml`` read anew), finding its location as it did."""
    return open_workspace(ws.root, find_location=ws.find_location)
