"""File reads and atomic, guarded writes: the only place that writes user files.

A write goes to a temporary file in the same folder and is renamed over the target, keeping the
target's mode. Right before the rename the target is read again: if it is not what we read (the
user saved meanwhile), the write is dropped with :class:`ConcurrentEdit` so no typed text is lost.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def file_digest(path: Path) -> str | None:
    """The SHA-256 of the file's bytes (as :attr:`Snapshot.digest`); None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def read_snapshot(path: Path) -> Snapshot:
    try:
        return Snapshot(path, path.read_bytes())
    except OSError as exc:
        raise unreadable(path, exc) from None


def unreadable(path: Path, exc: OSError) -> NoteError:
    """The one-line error for a file that cannot be read (or stat'ed), worded the same everywhere."""
    if isinstance(exc, FileNotFoundError):
        return NoteError("no such file", path)
    if isinstance(exc, IsADirectoryError):
        return NoteError("is a folder, not a file", path)
    return NoteError(f"cannot read: {exc.strerror}", path)


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
    try:
        mode = path.stat().st_mode & 0o7777 if current is not None else None
    except OSError as exc:
        raise NoteError(f"cannot write: {exc.strerror}", path) from None
    tmp = _temp_copy(path, data, mode)
    try:
        if expected is None:
            os.replace(tmp, path)
        else:
            _replace_if_unchanged(tmp, path, expected)
    except OSError as exc:
        raise NoteError(f"cannot write: {exc.strerror}", path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return True


def _read_fd(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _replace_if_unchanged(tmp: Path, path: Path, expected: Snapshot) -> None:
    """Put ``tmp`` in place of ``path`` only if ``path`` still holds what we read.

    Where the system can swap two names atomically (Linux's renameat2 RENAME_EXCHANGE), the
    swap leaves the displaced file under the temporary name: if it is not what we read (the user
    saved in between, in place or by renaming a file of their own), it is swapped back, so no
    byte of theirs is lost. Elsewhere, the last look goes through an open descriptor, read again
    after the rename, so an in-place write in between is still caught and put back.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ConcurrentEdit("was deleted while we worked; not written back", path) from None
    keep_open = os.name != "nt"  # Windows cannot rename over an open file
    try:
        if _read_fd(fd) != expected.data:
            raise ConcurrentEdit("changed on disk while we worked; left as you saved it", path)
        if _exchange(tmp, path):
            displaced = tmp.read_bytes()
            if displaced != expected.data:
                _exchange(tmp, path)  # theirs back in place; ours is dropped with the temp file
                raise ConcurrentEdit("changed on disk while we wrote; left as you saved it", path)
            return
        if not keep_open:
            os.close(fd)
        os.replace(tmp, path)
        if keep_open and _read_fd(fd) != expected.data:
            restore = tmp.with_name(tmp.name + ".restore")
            restore.write_bytes(_read_fd(fd))
            os.replace(restore, path)
            raise ConcurrentEdit("changed on disk while we wrote; your version was put back", path)
    finally:
        if keep_open:
            os.close(fd)


def _renameat2() -> Any:
    """libc's renameat2, where there is one (Linux with glibc 2.28+); else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names atomically; False when this system or file system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True

    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not supported here
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
"""Read once at import: ``os.umask`` is process-wide and not safe to toggle from threads."""


def _temp_copy(path: Path, data: bytes, mode: int | None) -> Path:
    """``data`` in a new, synced temporary file beside ``path`` (same folder: rename is atomic)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".notes-tmp", dir=folder)
    except OSError as exc:
        raise NoteError(f"cannot write: {exc.strerror}", path) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_UMASK)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise NoteError(f"cannot write: {exc.strerror}", path) from None
    return tmp


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` is ``root`` or below it, once links are resolved."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def create_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` atomically; never replace an existing file."""
    tmp = _temp_copy(path, data, None)
    try:
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
