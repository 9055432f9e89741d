"""The exception family of the library.

Library code raises these; only the CLI turns them into a one-line message and an exit code.
"""

from __future__ import annotations

import os
from pathlib import Path

from notes_tool.printable import one_line


class NotesError(Exception):
    """A problem the user can fix, reported as ``path:line: message``."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        """One-based line number, when the problem sits on a line."""

    def __reduce__(self) -> tuple[type[NotesError], tuple[str, Path | None, int | None]]:
        # Keep path and line when an error crosses a process boundary (parallel index runs).
        return (self.__class__, (self.message, self.path, self.line))

    def where(self, relative_to: Path | None = None) -> str:
        if self.path is None:
            return ""
        shown = display_path(self.path, relative_to)
        return f"{shown}:{self.line}" if self.line else shown

    def __str__(self) -> str:
        where = self.where(Path.cwd())
        return one_line(f"{where}: {self.message}" if where else self.message)


class NoteError(NotesError):
    """A note (or README, or template) that cannot be read or understood."""


class ConfigError(NotesError):
    """A bad ``notes.toml``."""


class WorkspaceNotFound(NotesError):
    """No ``notes.toml`` above the current folder."""


class ConcurrentEdit(NotesError):
    """The file changed on disk after we read it; our write was dropped so no user text is lost."""


class GitError(NotesError):
    """A git operation that cannot go on."""


class PublishError(NotesError):
    """A gist publish that cannot go on."""


def counted(number: int, word: str) -> str:
    """``1 link``, ``3 links``: a count said as people say it."""
    return f"{number} {word}" + ("" if number == 1 else "s")


def display_path(path: Path, relative_to: Path | None = None) -> str:
    """``path`` relative to ``relative_to`` (the current folder) when below it, with forward
    slashes, on one line (:func:`notes_tool.printable.one_line`)."""
    base = relative_to if relative_to is not None else Path.cwd()
    # The folder resolved (/tmp is /private/tmp on macOS), not the file: a symlinked note is
    # shown under its own name, not its target's.
    # (os.path.realpath, not Path.resolve: a link loop must not stop an error being shown)
    where = (
        Path(os.path.realpath(path.parent)) / path.name
        if path.name not in ("", ".", "..")
        else Path(os.path.realpath(path))
    )
    try:
        return one_line(where.relative_to(os.path.realpath(base)).as_posix())
    except ValueError:
        return one_line(path.as_posix())
