"""Reading a user's file: only regular files, bounded when asked, decoded as UTF-8 Markdown.

What a read gives (:class:`Snapshot`) is what a guarded write later checks the file against
(:mod:`notes_tool.fsio.write`). A file that cannot be read is one clear line
(:func:`unreadable`), worded the same everywhere.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from notes_tool.errors import NoteError

BOM = "\ufeff"


@dataclass(frozen=True)
class Snapshot:
    """What a file held when we read it."""

    path: Path
    data: bytes
    """The exact bytes read."""

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (links followed); OSError for anything else.

    Opened without blocking and checked before reading: a pipe or a device named like a note
    is refused at once instead of hanging the command (or the watcher) on its read. With
    ``limit``, a file of more bytes than that is refused unread (:func:`too_large`).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file (a pipe or a device)", str(path))
        if limit is not None and info.st_size > limit:
            raise too_large(path, info.st_size, limit)
        data = read_fd(fd, limit)
        if limit is not None and len(data) > limit:  # (it grew while we read)
            raise too_large(path, len(data), limit)
        return data
    finally:
        os.close(fd)


class TooLarge(OSError):
    """A file over the size limit a read was given (:func:`unreadable` words it as one line)."""


def too_large(path: Path, size: int, limit: int) -> TooLarge:
    return TooLarge(0, f"is {_megabytes(size)}, over the {_megabytes(limit)} it may be", str(path))


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.0f} MB" if size >= 1 << 20 else f"{size} bytes"


def file_digest(path: Path) -> str | None:
    """The SHA-256 of the file's bytes (as :attr:`Snapshot.digest`); None when it cannot be read."""
    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except OSError:
        return None


def read_snapshot(path: Path, limit: int | None = None) -> Snapshot:
    """What ``path`` holds (:func:`read_bytes`, ``limit`` too); a :class:`NoteError` when it cannot be read."""
    try:
        return Snapshot(path, read_bytes(path, limit))
    except OSError as exc:
        raise unreadable(path, exc) from None


def unreadable(path: Path, exc: OSError) -> NoteError:
    """The one-line error for a file that cannot be read (or stat'ed), worded the same everywhere."""
    if isinstance(exc, FileNotFoundError):
        return NoteError("no such file", path)
    if isinstance(exc, IsADirectoryError):
        return NoteError("is a folder, not a file", path)
    if exc.errno == 0:
        return NoteError(f"{exc.strerror}; left alone", path)
    return NoteError(f"cannot read: {exc.strerror}", path)


def decode(data: bytes, path: Path, kind: str = "Markdown text") -> tuple[str, bool]:
    """UTF-8 text and whether it started with a BOM; a clear error for binary or other encodings
    (``kind``: what the file should have been, for the message)."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise NoteError(f"binary file (NUL byte), not {kind}", path, line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NoteError(f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line) from None
    if text.startswith(BOM):
        return text[1:], True
    return text, False


def encode(text: str, bom: bool) -> bytes:
    return ((BOM if bom else "") + text).encode("utf-8")


def read_fd(fd: int, limit: int | None = None) -> bytes:
    """Everything from the start of ``fd``; with ``limit``, at most one byte more than that."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks, size = [], 0
    while chunk := os.read(fd, 1 << 20 if limit is None else max(1, min(1 << 20, limit + 1 - size))):
        chunks.append(chunk)
        size += len(chunk)
        if limit is not None and size > limit:
            break
    return b"".join(chunks)
