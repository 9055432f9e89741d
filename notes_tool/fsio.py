"""File reads and atomic, guarded writes: the only place that writes user files.

A write goes to a temporary file in the same folder and is renamed over the target, keeping the
target's mode. Right before the rename the target is read again: if it is not what we read (the
user saved meanwhile), the write is dropped with :class:`ConcurrentEdit` so no typed text is lost.
A read-only file is never written, and only regular files are read (a pipe named like a note
would block forever). A symbolic link is written through to its target only when the caller
says which folder the target must stay in (:func:`confined`, the one guard against writing
through a link that leads outside); without one, a link is not written through at all.

One writer cannot be caught before the rename: an editor that opened the file before it and
writes after it, in place, into the file our rename has just replaced. A :class:`LateWrites`
given to :func:`write_atomic` (the watcher passes its own) keeps each replaced file open for a
moment so such a write is found and put back.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import hashlib
import itertools
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from notes_tool.errors import ConcurrentEdit, NoteError, NotesError

BOM = "\ufeff"
TEMP_SUFFIX = ".notes-tmp"
"""The suffix of the tool's own temporary files (a write in progress)."""


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
        data = _read_fd(fd, limit)
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
    _may_write(path, within)
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


def _read_fd(fd: int, limit: int | None = None) -> bytes:
    """Everything from the start of ``fd``; with ``limit``, at most one byte more than that."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks, size = [], 0
    while chunk := os.read(fd, 1 << 20 if limit is None else max(1, min(1 << 20, limit + 1 - size))):
        chunks.append(chunk)
        size += len(chunk)
        if limit is not None and size > limit:
            break
    return b"".join(chunks)


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
        if _read_fd(fd) != expected.data:
            raise ConcurrentEdit("changed on disk while we worked; left as you saved it", path)
        if _swap_in(tmp, path, expected, data, late_writes):
            return
        if not keep_open:
            os.close(fd)
        else:  # (a save by name made while ours holds the name goes into ours: see _swap_in)
            ours = os.open(tmp, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        os.replace(tmp, path)
        if keep_open and (theirs := _read_fd(fd)) != expected.data:
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
        found = _read_fd(fd)
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
        _make_owned(path, owned)
    if not is_inside(path, root):
        raise NoteError("leads outside the workspace (through a link); left alone", path)
    return path


def _make_owned(path: Path, owned: Owned) -> None:
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


def _may_write(path: Path, within: Path | None) -> None:
    """The guard of every write: inside ``within`` once links are followed; a link at ``path``
    is not written through when there is no ``within`` to check it against."""
    if within is not None:
        confined(path, within)
    elif path.is_symlink():
        raise NoteError("is a symbolic link; not written through", path)


def create_new(path: Path, data: bytes, *, within: Path | None = None) -> None:
    """Create ``path`` with ``data`` atomically; never replace an existing file. ``within``
    as for :func:`write_atomic` (a dangling link at ``path`` is never followed anyway)."""
    _may_write(path, within)
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


@dataclass
class _Replaced:
    path: Path
    fd: int
    """Open on the file our write replaced (no longer under any name)."""
    before: bytes
    """What it held when we replaced it."""
    ours: bytes
    """What we wrote in its place."""
    until: float


@dataclass
class LateWrites:
    """Files our writes replaced, kept open for a moment to catch an in-place write into them.

    An editor that read the note before our rename and writes after it, in place, writes into
    the old file, which no longer has a name: the user's words would be lost. :meth:`reclaim`
    finds such writes and puts the user's bytes back under the note's name (our regions are
    recomputed on the next round). A long-running process (the watcher) passes one to its writes
    and calls :meth:`reclaim` a little after each round; one-shot commands have none.
    """

    window: float = 1.0
    """How long (seconds) a replaced file is watched."""
    _open: list[_Replaced] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def watch(self, path: Path, fd: int, before: bytes, ours: bytes) -> None:
        with self._lock:
            self._open.append(_Replaced(path, fd, before, ours, time.monotonic() + self.window))

    @property
    def pending(self) -> bool:
        with self._lock:
            return bool(self._open)

    def reclaim(self) -> list[Path]:
        """Put back what was written into replaced files; the notes whose bytes were put back."""
        now = time.monotonic()
        late: list[tuple[_Replaced, bytes]] = []
        with self._lock:
            keep: list[_Replaced] = []
            for item in self._open:
                try:
                    found = _read_fd(item.fd)
                except OSError:
                    found = item.before
                if found != item.before:
                    late.append((item, found))
                elif now < item.until:
                    keep.append(item)
                else:
                    os.close(item.fd)
            self._open = keep
        restored: list[Path] = []
        for item, found in late:
            os.close(item.fd)
            if self._put_back(item, found):
                restored.append(item.path)
        return restored

    def _put_back(self, item: _Replaced, found: bytes) -> bool:
        """The late write's changes (from what we replaced to ``found``) applied to the note as
        it is now; where they cannot be (the same lines changed since), ``found`` is kept whole
        beside the note as ``NAME.recovered``."""
        for _ in range(3):  # (each try reads afresh: a save in between is merged with too)
            try:
                now = read_snapshot(item.path)
            except NotesError:
                break
            merged = merge_lines(item.before, found, now.data)
            if merged is None:
                break
            try:
                write_atomic(item.path, merged, now, late_writes=self)
                return True
            except ConcurrentEdit:
                continue
            except NotesError:
                break
        with contextlib.suppress(OSError, NotesError):
            create_new(item.path.with_name(item.path.name + ".recovered"), found)
        return False

    def close(self) -> None:
        with self._lock:
            for item in self._open:
                os.close(item.fd)
            self._open = []


def merge_lines(base: bytes, theirs: bytes, current: bytes) -> bytes | None:
    """``current`` with the changes that turned ``base`` into ``theirs`` applied (a three-way
    merge by lines); None when a change touches lines that ``current`` changed too.

    What ``current`` already holds of a change is not added again: a save that went into a
    file we had replaced, followed by a newer save of the same editor (its buffer holds the
    older text too), must not have that text twice. The latest save wins, nothing is lost."""
    old, new, now = base.splitlines(keepends=True), theirs.splitlines(keepends=True), current.splitlines(keepends=True)
    where: dict[int, int] = {}
    """Lines of ``base`` kept in ``current``: their index there."""
    for start, at, size in difflib.SequenceMatcher(None, old, now, autojunk=False).get_matching_blocks():
        where.update({start + k: at + k for k in range(size)})
    edits: list[tuple[int, int, list[bytes]]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        above = max((where[i] for i in range(i1) if i in where), default=-1)
        below = min((where[i] for i in range(i2, len(old)) if i in where), default=len(now))
        stretch, lines = now[above + 1 : below], new[j1:j2]
        """What ``current`` holds between the kept lines around the change, and what it brings."""
        if i1 == i2:  # lines added: at the end, or before a kept line, go after the stretch (ours, regions)
            after = i1 == len(old) or i1 in where
            pre, post = (stretch, []) if after else ([], stretch)
        elif all(i not in where for i in range(i1, i2)) and not _missing(stretch, lines):
            continue  # replaced or deleted in ``current`` already, the same way
        elif any(i not in where for i in range(i1, i2)) or where[i2 - 1] - where[i1] != i2 - 1 - i1:
            return None  # lines replaced or deleted: each must still be there, in one run
        else:
            pre, post = now[above + 1 : where[i1]], now[where[i2 - 1] + 1 : below]
        edits.append((above + 1, below, pre + _missing(pre + post, lines) + post))
    edits.sort()
    if any(start < end for (_, end, _), (start, _, _) in itertools.pairwise(edits)):
        return None  # two changes into one stretch of ``current``: not placed with confidence
    for start, end, lines in reversed(edits):
        now[start:end] = lines
    return b"".join(now)


def _missing(present: list[bytes], lines: list[bytes]) -> list[bytes]:
    """``lines`` without the runs of them that ``present`` already holds (a run of blank lines
    alone does not count as held: it is no one's text)."""
    out: list[bytes] = []
    matcher = difflib.SequenceMatcher(None, present, lines, autojunk=False)
    for tag, _, _, b1, b2 in matcher.get_opcodes():
        run = lines[b1:b2]
        if tag != "equal" or not any(line.strip() for line in run):
            out += run
    return out
