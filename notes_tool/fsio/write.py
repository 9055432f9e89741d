"""Atomic, guarded writes: the only place that writes user files.

A write goes to a temporary file in the same folder and is renamed over the target, keeping the
target's mode. Right before the rename the target is read again: if it is not what we read (the
user saved meanwhile), the write is dropped with :class:`ConcurrentEdit` so no typed text is lost.
A read-only file is never written. A symbolic link is written through to its target only when
the caller says which folder the target must stay in (``within``, checked by
:func:`notes_tool.fsio.confine.confined`); without one, a link is not written through at all.

One writer cannot be caught before the rename: an editor that opened the file before it and
writes after it, in place, into the file our rename has just replaced. A
:class:`~notes_tool.fsio.late_writes.LateWrites` given to :func:`write_atomic` (the watcher
passes its own) keeps each replaced file open for a moment so such a write is found and put back.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes_tool.errors import ConcurrentEdit, NoteError, NotesError
from notes_tool.fsio.confine import may_write, real_path
from notes_tool.fsio.read import Snapshot, TooLarge, read_bytes, read_fd, unreadable

if TYPE_CHECKING:
    from notes_tool.fsio.late_writes import LateWrites

TEMP_SUFFIX = ".notes-tmp"
"""The suffix of the tool's own temporary files (a write in progress)."""


def write_atomic(
    path: Path,
    data: bytes,
    expected: Snapshot | None = None,
    *,
    within: Path | None = None,
    late_writes: LateWrites | None = None,
) -> bool:
    """Write ``data`` to ``path`` atomically; return False when the file already holds it.

    ``expected`` is what we read before computing ``data``: when the file no longer holds it,
    raise :class:`ConcurrentEdit` and leave the file alone. ``expected=None`` means the file must
    not exist yet or may be replaced whatever it holds (files the tool owns entirely).
    ``within`` is the folder the file must stay in once links are followed (the workspace):
    nothing is written that leads outside it (:func:`confined`). Without it, a link at ``path``
    is not written through at all. ``late_writes``: where a long-running process (the watcher)
    keeps the file a guarded write replaced, to catch an editor's write into it (one-shot
    commands pass none).
    """
    shown = path
    may_write(path, within)
    if path.is_symlink():
        path = real_path(path)  # written through: the link stays a link
    exists = True
    try:  # (read no more than can matter: a file bigger than both is neither)
        current: bytes | None = read_bytes(path, max(len(data), len(expected.data) if expected else 0))
    except FileNotFoundError:
        current, exists = None, False
    except TooLarge:
        current = None
    except OSError as exc:
        raise unreadable(shown, exc) from None
    if current == data:
        return False
    if expected is not None and current != expected.data:
        raise ConcurrentEdit("changed on disk while we worked; left as you saved it", shown)
    try:
        mode = path.stat().st_mode & 0o7777 if exists else None
    except OSError as exc:
        raise NoteError(f"cannot write: {exc.strerror}", shown) from None
    if mode is not None and not mode & 0o222:
        raise NoteError("is read-only; left alone (make it writable to let notes update it)", shown)
    tmp = _temp_copy(path, data, mode)
    try:
        if expected is None:
            os.replace(tmp, path)
        else:
            _replace_if_unchanged(tmp, path, expected, data, late_writes)
    except OSError as exc:
        raise NoteError(f"cannot write: {exc.strerror}", shown) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return True


def _replace_if_unchanged(
    tmp: Path, path: Path, expected: Snapshot, data: bytes, late_writes: LateWrites | None
) -> None:
    """Put ``tmp`` in place of ``path`` only if ``path`` still holds what we read.

    Where the system can swap two names atomically (Linux's renameat2 RENAME_EXCHANGE), the
    swap leaves the displaced file under the temporary name: if it is not what we read (the user
    saved in between, in place or by renaming a file of their own), it is swapped back, so no
    byte of theirs is lost. Elsewhere, the last look goes through an open descriptor, read again
    after the rename, so an in-place write in between is still caught and put back; then, as in
    :func:`_swap_in`, ours (which a save by name may have gone into while it held the name) and
    theirs (which the editor may go on writing into) are watched by ``late_writes``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ConcurrentEdit("was deleted while we worked; not written back", path) from None
    keep_open = os.name != "nt"  # Windows cannot rename over an open file
    ours = -1
    try:
        if read_fd(fd) != expected.data:
            raise ConcurrentEdit("changed on disk while we worked; left as you saved it", path)
        if _swap_in(tmp, path, expected, data, late_writes):
            return
        if not keep_open:
            os.close(fd)
        else:  # (a save by name made while ours holds the name goes into ours: see _swap_in)
            ours = os.open(tmp, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        os.replace(tmp, path)
        if keep_open and (theirs := read_fd(fd)) != expected.data:
            restore = tmp.with_name(tmp.name + ".restore")  # (a name with TEMP_SUFFIX in it: swept too)
            restore.write_bytes(theirs)
            os.replace(restore, path)
            kept, ours = ours, -1  # (closed by the watch, or here)
            if late_writes is not None:  # (and theirs, of which a copy is back: the editor may write on into it)
                late_writes.watch(path, kept, data, theirs)
                late_writes.watch(path, fd, theirs, theirs)
                keep_open = False
            else:
                _recover_written_into(path, kept, data)
            raise ConcurrentEdit("changed on disk while we wrote; your version was put back", path)
        if keep_open and late_writes is not None:
            late_writes.watch(path, fd, expected.data, data)
            keep_open = False  # the watch closes it
    finally:
        if keep_open:
            os.close(fd)
        if ours >= 0:
            os.close(ours)


def _swap_in(tmp: Path, path: Path, expected: Snapshot, data: bytes, late_writes: LateWrites | None) -> bool:
    """:func:`_replace_if_unchanged` by swapping names (:func:`_exchange`); False where this
    system cannot (nothing done then).

    While ours holds the name, even for the moment before it is swapped back, a save by name
    (open, truncate, write) goes into our file, not theirs, and may still be landing there after
    the swap back. So ours is kept open from before the swap: put back out of the way, it is
    watched like a file our write replaced (what it held then: what we wrote), and such a save
    is merged into the note instead of dropped with the temporary file."""
    ours = os.open(tmp, os.O_RDONLY | getattr(os, "O_BINARY", 0))  # (before the swap: tmp names ours)
    try:
        if not _exchange(tmp, path):
            return False
        displaced = tmp.read_bytes()
        if displaced == expected.data:
            if late_writes is not None:
                late_writes.watch(path, os.open(tmp, os.O_RDONLY | getattr(os, "O_BINARY", 0)), expected.data, data)
            return True
        _exchange(tmp, path)  # theirs back in place
        kept, ours = ours, -1  # (closed by the watch, or here)
        if late_writes is not None:
            late_writes.watch(path, kept, data, displaced)
        else:
            _recover_written_into(path, kept, data)
        raise ConcurrentEdit("changed on disk while we wrote; left as you saved it", path)
    finally:
        if ours >= 0:
            os.close(ours)


def _recover_written_into(path: Path, fd: int, ours: bytes) -> None:
    """Without a :class:`LateWrites` to watch it (a one-shot command): what was written into our
    swapped-back file (open on ``fd``, closed here) while it held the name, kept beside the note
    as ``NAME.recovered`` when it is no longer what we wrote."""
    try:
        found = read_fd(fd)
    except OSError:
        found = ours
    finally:
        os.close(fd)
    if found != ours:
        with contextlib.suppress(OSError, NotesError):
            create_new(path.with_name(path.name + ".recovered"), found)


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
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
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


def create_new(path: Path, data: bytes, *, within: Path | None = None) -> None:
    """Create ``path`` with ``data`` atomically; never replace an existing file. ``within``
    as for :func:`write_atomic` (a dangling link at ``path`` is never followed anyway)."""
    may_write(path, within)
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
