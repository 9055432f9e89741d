"""The guards against writing outside the workspace: links followed, then checked.

A workspace arrives by cloning, and git keeps symbolic links: a note or a folder the tool
writes into may lead elsewhere. Every write goes through :func:`may_write` (from
:mod:`notes_tool.fsio.write`); :func:`confined` is the one check of a path against the
workspace, and :func:`linked_out` the warning for a note that leads outside it.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Literal

from notes_tool.errors import NoteError


def real_path(path: Path) -> Path:
    """``path`` with every link resolved, as far as they go (a link loop stays where it loops;
    ``Path.resolve`` raises there)."""
    return Path(os.path.realpath(path))


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` is ``root`` or below it, once links are resolved."""
    try:
        real_path(path).relative_to(real_path(root))
        return True
    except ValueError:
        return False


def linked_out(path: Path, root: Path) -> NoteError | None:
    """The warning for a note that leads outside ``root`` once links are followed (a link to
    ``~/.bashrc`` committed as a note), which no command reads for edits or writes; None for
    a note that stays inside."""
    if is_inside(path, root):
        return None
    return NoteError("is a link to a file outside the workspace; left alone", path)


Owned = Literal["file", "folder"]


def confined(path: Path, root: Path, owned: Owned | None = None) -> Path:
    """``path``, when it stays inside ``root`` once links are followed; else one clear error.

    A workspace arrives by cloning, and git keeps symbolic links: a folder the tool writes into
    (``cheatsheets``, ``images``, ``transcripts``, ``.vscode``), or a note, may be a link to
    one elsewhere, such as ``~/.ssh``. Nothing is written, moved or published through such a link.

    ``owned`` says ``path`` is a file (or folder) that the tool alone makes, such as the cache
    folder and what it holds: it is never taken as a clone brought it. A link there (even one
    that stays inside), or anything else than a regular file (a folder), is removed first, so
    that the tool makes it afresh, a real one inside ``root`` (OSError when it cannot be removed)."""
    if owned is not None:
        confined(path.parent, root)  # (so that what is removed is inside too)
        make_owned(path, owned)
    if not is_inside(path, root):
        raise NoteError("leads outside the workspace (through a link); left alone", path)
    return path


def make_owned(path: Path, owned: Owned) -> None:
    """Remove what is at ``path`` unless it is a real file (or folder, for ``"folder"``);
    OSError when that cannot be done (the caller's cache is then unusable, as when unwritable)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if (stat.S_ISDIR if owned == "folder" else stat.S_ISREG)(mode):
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
        return
    try:
        path.unlink()
    except (IsADirectoryError, PermissionError):
        os.rmdir(path)  # (Windows removes a link to a folder as a folder)


def may_write(path: Path, within: Path | None) -> None:
    """The guard of every write: inside ``within`` once links are followed; a link at ``path``
    is not written through when there is no ``within`` to check it against."""
    if within is not None:
        confined(path, within)
    elif path.is_symlink():
        raise NoteError("is a symbolic link; not written through", path)
