"""File reads and atomic, guarded writes: the only place that writes user files.

A write goes to a temporary file in the same folder and is renamed over the target, keeping the
target's mode. Right before the rename the target is read again: if it is not what we read (the
user saved meanwhile), the write is dropped with :class:`ConcurrentEdit` so no typed text is lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from notes_tool.errors import ConcurrentEdit, NoteError

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


def read_snapshot(path: Path) -> Snapshot:
    try:
        return Snapshot(path, path.read_bytes())
    except FileNotFoundError:
        raise NoteError("no such file", path) from None
    except IsADirectoryError:
        raise NoteError("is a folder, not a file", path) from None
    except OSError as exc:
        raise NoteError(f"cannot read: {exc.strerror}", path) from None


def decode(data: bytes, path: Path) -> tuple[str, bool]:
    """UTF-8 text and whether it started with a BOM; a clear error for binary or other encodings."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise NoteError("binary file (NUL byte), not Markdown text", path, line)
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


def write_atomic(path: Path, data: bytes, expected: Snapshot | None = None) -> bool:
    """Write ``data`` to ``path`` atomically; return False when the file already holds it.

    ``expected`` is what we read before computing ``data``: when the file no longer holds it,
    raise :class:`ConcurrentEdit` and leave the file alone. ``expected=None`` means the file must
    not exist yet or may be replaced whatever it holds (files the tool owns entirely).
    """
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current == data:
        return False
    if expected is not None and current != expected.data:
        raise ConcurrentEdit("changed on disk while we worked; left as you saved it", path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777 if current is not None else None
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".notes-tmp", dir=folder)
    except OSError as exc:
        raise NoteError(f"cannot write: {exc.strerror}", path) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            os.chmod(tmp, 0o666 & ~_UMASK)
        # Last look before the rename: the user may have saved while we computed.
        if expected is not None:
            try:
                latest: bytes | None = path.read_bytes()
            except FileNotFoundError:
                latest = None
            if latest != expected.data:
                raise ConcurrentEdit("changed on disk while we worked; left as you saved it", path)
        os.replace(tmp, path)
    except OSError as exc:
        raise NoteError(f"cannot write: {exc.strerror}", path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return True


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
"""Read once at import: ``os.umask`` is process-wide and not safe to toggle from threads."""


def create_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` atomically; never replace an existing file."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".notes-tmp", dir=folder)
    except OSError as exc:
        raise NoteError(f"cannot write in {folder.as_posix()}: {exc.strerror}", path) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        try:
            os.link(tmp, path)  # fails when the name is taken: no clobbering
        except FileExistsError:
            raise NoteError("already exists; not overwritten", path) from None
        except OSError:
            # File systems without hard links: exclusive create, then copy.
            try:
                with open(path, "xb") as target:
                    target.write(data)
            except FileExistsError:
                raise NoteError("already exists; not overwritten", path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
