"""Screenshots and pasted images, for ``notes watch``: moved into ``images/`` and linked.

A screenshot landing in the screenshots folder goes to ``images/<lesson>_<nn>.png`` and a
link to it is appended to the note saved last (any note: one outside the lessons is named by
its path, see :func:`image_code`); VS Code's pasted ``image.png`` next to a note
is renamed the same way and the note's link fixed. The note is written first, and the image
moved only once that write succeeded: a note saved meanwhile (our write refused) never links
an image that is not there.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from notes_tool.errors import NoteError
from notes_tool.fsio.confine import confined, real_path
from notes_tool.fsio.late_writes import LateWrites
from notes_tool.fsio.read import encode, read_snapshot
from notes_tool.fsio.write import write_atomic
from notes_tool.model import document
from notes_tool.model.edit import Edit, apply
from notes_tool.structure.paths import PASTED
from notes_tool.structure.workspace import Workspace, parse_lesson_name

_NOT_A_NAME = re.compile(r"[^a-z0-9]+")
STABLE_WAIT = 5.0
"""How long to wait for an image's size to stop changing (a screenshot tool still writing it)."""


@dataclass
class Placed:
    """What placing images did to a note."""

    digest: str | None = None
    """SHA-256 of the note as written; None when it was not written."""
    changed: list[str] = field(default_factory=list)
    """``screenshot images/05_01.png``, ``pasted image.png -> images/05_02.png``."""
    left: list[NoteError] = field(default_factory=list)
    """Images not moved, and why (:func:`not_an_image_file`)."""


def not_an_image_file(path: Path) -> NoteError | None:
    """Why the image at ``path`` is not moved into ``images/``: a symbolic link (a clone's
    ``image.png -> ~/.ssh/id_rsa`` would be committed as a link, or its target's bytes moved
    about); None for a real file."""
    if path.is_symlink():
        return NoteError("is a symbolic link, not an image file; left where it is", path)
    return None


def image_code(ws: Workspace, note: Path) -> str:
    """What a screenshot of ``note`` is named by: its lesson's code (``05``, ``05b``, ``6a``,
    ``1`` for ``week1/README.md``), else its path in the workspace, lower case, anything but
    letters and digits a ``-`` (``wandb``, ``week-3-web-service-serving``): never two notes' names
    at once, on any file system."""
    if parse_lesson_name(note.name) is not None and note.parent == ws.notes_dir:
        return note.name.split("_", 1)[0]  # (our own names: no outline needed)
    real = real_path(note)
    for lesson in ws.lesson_files():
        if real_path(lesson.path) == real:
            return lesson.code
    return _NOT_A_NAME.sub("-", ws.relative(note.with_suffix("")).lower()).strip("-") or "note"


def image_name(ws: Workspace, note: Path, suffix: str, taken: set[str] | None = None) -> Path:
    """The next free ``images/<code>_<nn><suffix>`` for ``note`` (see :func:`image_code`; names
    in ``taken`` count as used)."""
    code = image_code(ws, note)
    images = ws.images_dir
    used = {p.stem.lower() for p in images.glob(f"{code}_*")} if images.is_dir() else set()
    used |= {Path(name).stem.lower() for name in taken or ()}
    number = 1
    while f"{code}_{number:02d}".lower() in used:
        number += 1
    return confined(images / f"{code}_{number:02d}{suffix.lower()}", ws.root)


def stable(path: Path) -> bool:
    """Wait until ``path``'s size stops changing; False if it vanishes or never settles."""
    deadline = time.monotonic() + STABLE_WAIT
    last = -1
    while time.monotonic() < deadline:
        try:
            size = path.stat().st_size
        except OSError:
            return False
        if size == last and size > 0:
            return True
        last = size
        time.sleep(0.05)
    return False


def _href(target: Path, note: Path) -> str:
    return os.path.relpath(target, note.parent).replace(os.sep, "/")


def _move(moves: list[tuple[Path, Path]]) -> None:
    for source, target in moves:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)


def add_screenshot(ws: Workspace, note: Path, shot: Path, late_writes: LateWrites | None = None) -> Placed:
    """Link ``shot`` at the end of ``note``, then move it into ``images/`` (raises NotesError;
    ``late_writes``: see :func:`notes_tool.fsio.write.write_atomic`)."""
    refused = not_an_image_file(shot)
    if refused is not None:
        raise refused
    target = image_name(ws, note, shot.suffix)
    link = _href(target, note)
    snapshot = read_snapshot(note)
    text = snapshot.data.decode("utf-8")
    newline = document.first_ending(document.split_lines(text)) if text else "\n"
    if text and not text.endswith(("\n", "\r")):
        text += newline
    data = (text + newline + f"![Screenshot]({link})" + newline).encode("utf-8")
    write_atomic(note, data, snapshot, within=ws.root, late_writes=late_writes)
    _move([(shot, target)])
    return Placed(hashlib.sha256(data).hexdigest(), [f"screenshot {link}"])


def adopt_pasted(ws: Workspace, note: Path, late_writes: LateWrites | None = None) -> Placed:
    """Rename the ``image.png`` files ``note`` links to, and fix its links (raises NotesError;
    ``late_writes``: see :func:`notes_tool.fsio.write.write_atomic`)."""
    parsed, snapshot = document.load(note)
    edits: list[Edit] = []
    moves: list[tuple[Path, Path]] = []
    placed = Placed()
    for link in parsed.links:
        source = note.parent / link.href
        if not (link.image and PASTED.match(link.href) and source.is_file()):
            continue
        refused = not_an_image_file(source)
        if refused is not None:
            placed.left.append(refused)
            continue
        if not stable(source):
            continue
        target = image_name(ws, note, source.suffix, {t.name for _, t in moves})
        new_href = _href(target, note)
        fixed = parsed.relinked(link, new_href)
        if fixed is None:
            continue
        edits.append(Edit(link.line, link.line + 1, fixed.rstrip("\r\n") + "\n"))
        moves.append((source, target))
        placed.changed.append(f"pasted {link.href} -> {new_href}")
    if not edits:
        return placed
    data = encode(apply(parsed, edits), parsed.bom)
    write_atomic(note, data, snapshot, within=ws.root, late_writes=late_writes)
    _move(moves)
    placed.digest = hashlib.sha256(data).hexdigest()
    return placed
