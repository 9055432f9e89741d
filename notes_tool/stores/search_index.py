"""The search index: every section of every note of the workspace in SQLite FTS5, in the cache folder.

One row per section (:mod:`notes_tool.generate.sections`): heading, prose, code and the other
forms of its compound words are indexed, with the porter stemmer ("volumes" finds "volume");
the rest (path, line, breadcrumb, anchor, time, video moment) is stored alongside. A second,
contentless table holds the same words unstemmed, for the vocabulary that spelling corrections
and word splits are drawn from; a third the words of the stored transcripts, so that a word only
said in a video is corrected too. The index follows the notes incrementally (size, mtime, hash).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from notes_tool.errors import NotesError
from notes_tool.fsio.confine import is_inside, real_path
from notes_tool.fsio.read import decode, read_bytes
from notes_tool.model import transcript
from notes_tool.stores import note_store
from notes_tool.stores.cache import discard
from notes_tool.stores.note_store import Seen
from notes_tool.structure.config import CONFIG_NAME
from notes_tool.structure.course import fallback_title
from notes_tool.structure.workspace import LessonFile, Workspace, parse_lesson_name

if TYPE_CHECKING:
    from notes_tool.model.document import Note
    from notes_tool.parallel import Progress

DB_NAME = note_store.DB_NAME
"""The search index's tables are in the note store's file (their schema is there too)."""
OPTIMIZE_FROM = 64
"""Merge the full-text index's segments after an update of at least this many notes."""
IN_USE = "search"
"""The mark set once a search has made the index: from then on every refresh keeps it up to date."""
OUTLINE = "outline"
"""The mark of what a course not named our way took its outline from, when it was read."""

_COLUMNS = "heading, prose, code, terms, path, lesson, line, breadcrumb, anchor, time, video"
_WORDS = "heading || ' ' || prose || ' ' || code || ' ' || terms"
"""What the ``words`` table holds of a section row (a contentless delete needs it again)."""
SectionRow = tuple[str, str, str, str, str, "int | None", int, str, str, str, str, str]
"""The values of :data:`_COLUMNS`, then the section's context (the headings above it)."""


@contextmanager
def open_index(ws: Workspace) -> Iterator[sqlite3.Connection]:
    """The workspace's search index, rebuilt from nothing when missing or corrupt."""
    with note_store.connect(ws) as db:
        yield db


def in_use(ws: Workspace) -> bool:
    """Whether a search has made the index (then a refresh keeps it up to date)."""
    if not (ws.cache_dir / DB_NAME).exists():
        return False
    query = "SELECT 1 FROM marks WHERE name = ?"
    return note_store.using(ws, lambda db: db.execute(query, (IN_USE,)).fetchone() is not None, False)


Indexed = tuple[str, "str | None", "list[SectionRow] | None"]
"""A note's SHA-256, title and section rows (None: it does not parse)."""


def rows_for(
    path: Path, rel: str, number: int | None, code: str, fallback: str, parsed: tuple[str, Note] | None = None
) -> Indexed:
    """The note's SHA-256, title and section rows (runs in a worker process for big updates);
    ``parsed``: the note as a refresh already parsed it (SHA-256 of those bytes, the parse), used
    when the file still holds those bytes."""
    try:
        data = read_bytes(path)
    except OSError:
        return "", None, []  # deleted (or replaced by something that is not a file) since it was listed
    sha = hashlib.sha256(data).hexdigest()
    from notes_tool.model import document  # (see update)

    if parsed is not None and parsed[0] == sha:
        note = parsed[1]
    else:
        try:
            text, bom = decode(data, path)
            note = document.parse(path, text, bom)
        except NotesError:
            return sha, None, None  # a broken note is reported by `notes index` and `notes check`, not here
    return sha, note.title, _rows_of(note, rel, number, f"{code} {note.title or fallback}".strip())


def _rows_of(note: Note, rel: str, number: int | None, label: str) -> list[SectionRow]:
    from notes_tool.generate.sections import sections_of  # (see update)

    return [
        (
            s.heading,
            s.prose,
            s.code,
            s.terms,
            s.path,
            s.lesson,
            s.line,
            s.breadcrumb,
            s.anchor,
            s.time,
            s.video,
            s.context,
        )
        for s in sections_of(note, rel, number, label)
    ]


Known = dict[str, tuple[int, int, str, int]]
"""Each note's record: size, mtime, SHA-256, and whether its sections are of those bytes."""


def update(
    ws: Workspace,
    db: sqlite3.Connection,
    progress: Progress | None = None,
    parsed: Mapping[Path, tuple[str, Note]] | None = None,
) -> int:
    """Bring the index up to date with the notes and their transcripts; returns how many notes
    were (re)indexed; ``progress(done, total)`` as notes are read. ``parsed``: notes a refresh
    has just parsed (path -> SHA-256 of the bytes parsed, the parse), not parsed again."""
    known: Known = {row[0]: row[1:] for row in db.execute("SELECT key, size, mtime_ns, sha, searched FROM notes")}
    marks = dict(db.execute("SELECT name, value FROM marks"))
    mark, moved = _outline_moved(ws, marks.get(OUTLINE))
    _update_said(ws, db, moved)
    entries = ws.note_entries()  # every note, whatever its name or folder
    root = len(os.fspath(ws.root)) + 1
    stale, seen = _stale(entries, root, known)
    gone = {key for key, row in known.items() if row[3]} - seen
    if not stale and not gone and not moved and IN_USE in marks:
        return 0
    placed = {f.path: f for f in ws.outline([Path(e.path) for e in entries]).files}  # their places
    forced = _renumbered(db, entries, root, placed, {rel for _, rel, _ in stale}) if moved else []
    stale += forced
    results = _sections(stale, placed, parsed or {}, progress)
    again = {rel for _, rel, _ in forced}
    with db:
        note_store.forget_gone(db, ws, gone)  # (their sections go with them)
        return _store(db, known, again, stale, results, gone, mark)


Stale = tuple[Path, str, os.stat_result]
"""A note to index again: its path, its key in the index, its stat when listed."""


def _stale(entries: list[os.DirEntry[str]], root: int, known: Known) -> tuple[list[Stale], set[str]]:
    """The notes whose sections are not of their bytes as the index last saw them (size and time
    differ, or not indexed since), and every note's key."""
    seen = set()
    stale = []
    for entry in entries:  # strings and entries, few Paths: this runs before every search
        try:
            stat = entry.stat()
        except OSError:
            continue  # gone since it was listed, or a link loop
        rel = entry.path[root:].replace(os.sep, "/")
        seen.add(rel)
        row = known.get(rel)
        if row is None or not row[3] or row[0] != stat.st_size or row[1] != stat.st_mtime_ns:
            stale.append((Path(entry.path), rel, stat))
    return stale, seen


def _sections(
    stale: list[Stale],
    placed: dict[Path, LessonFile],
    parsed: Mapping[Path, tuple[str, Note]],
    progress: Progress | None,
) -> list[Indexed]:
    """Each stale note's SHA-256, title and section rows: from the parse a refresh passed, else
    parsed (on every core for many)."""
    # Parsing is imported only now, with notes to index: a search of unchanged notes (the
    # everyday case) does without markdown-it, YAML and the worker pool (bench/search.py).
    from notes_tool.parallel import map_jobs

    jobs, ready = [], {}
    for path, rel, _ in stale:
        lesson = placed.get(path)
        number, code = (lesson.number, lesson.code) if lesson is not None else (None, "")
        if path in parsed:  # (in this process: a parse is not sent to a worker)
            ready[rel] = rows_for(path, rel, number, code, fallback_title(path), parsed[path])
        else:
            jobs.append((path, rel, number, code, fallback_title(path)))
    found = iter(map_jobs(rows_for, jobs, progress))
    return [ready[rel] if rel in ready else next(found) for _, rel, _ in stale]


def _store(
    db: sqlite3.Connection,
    known: Known,
    again: set[str],
    stale: list[Stale],
    results: list[Indexed],
    gone: set[str],
    mark: str,
) -> int:
    """The notes gone forgotten; each stale note's sections stored when its bytes changed (or its
    place: ``again``), its size and time in any case; how many notes were indexed again."""
    db.executemany("UPDATE notes SET searched = 0 WHERE key = ?", [(rel,) for rel in gone])  # (a trigger drops them)
    count = 0
    for (_, rel, stat), (sha, title, rows) in zip(stale, results, strict=True):
        if not sha:
            continue  # gone since it was listed
        seen = Seen(stat.st_size, stat.st_mtime_ns, sha)
        row = known.get(rel)
        if row is not None and row[2] == sha and row[3] and rel not in again:
            note_store.touch(db, rel, seen)  # the same bytes, touched: its sections hold
            continue
        # Whatever sections it has now go (a trigger drops them): another process may have stored
        # them since ``known`` was read, and the write lock held from here keeps them from coming back.
        db.execute("UPDATE notes SET searched = 0 WHERE key = ?", (rel,))
        if rows is None:
            continue  # it does not parse: no sections, and its record (the title it last had) is kept
        note_store.put(db, [(rel, seen, title, {"searched": 1})])
        _add(db, rel, rows)
        count += 1
    if mark:
        db.execute("INSERT OR REPLACE INTO marks VALUES (?, ?)", (OUTLINE, mark))
    db.execute("INSERT OR IGNORE INTO marks VALUES (?, '1')", (IN_USE,))
    if count:
        db.execute("DELETE FROM known_stale")
        db.execute("INSERT INTO known_stale VALUES (1)")
    if count >= OPTIMIZE_FROM:
        # Merge FTS5's segments after a big update: queries of common words are then faster.
        db.execute("INSERT INTO sections(sections) VALUES ('optimize')")
    return count


def _outline_moved(ws: Workspace, last: str | None) -> tuple[str, bool]:
    """The mark of what the course's outline is read from now ("" for a course named our way,
    whose notes' places are in their names), and whether it changed since ``last``."""
    mark = "" if ws.named_our_way() else _outline_mark(ws)
    return mark, bool(mark) and last != mark


def _outline_mark(ws: Workspace) -> str:
    """Size and time of what a course not named our way takes its outline from: notes.toml and
    the course index. When they change, a note's place (its lesson number) may have."""
    marks = []
    for path in (ws.root / CONFIG_NAME, ws.index_path):
        try:
            stat = path.stat()
        except OSError:
            marks.append("-")
            continue
        marks.append(f"{stat.st_size}:{stat.st_mtime_ns}")
    return " ".join(marks)


def _renumbered(
    db: sqlite3.Connection, entries: list[os.DirEntry[str]], root: int, placed: dict[Path, LessonFile], stale: set[str]
) -> list[tuple[Path, str, os.stat_result]]:
    """The unchanged notes whose lesson number the outline changed: indexed again."""
    stored = dict(db.execute("SELECT path, lesson FROM sections GROUP BY path"))
    again = []
    for entry in entries:
        rel = entry.path[root:].replace(os.sep, "/")
        if rel in stale or rel not in stored:
            continue
        lesson = placed.get(Path(entry.path))
        if stored[rel] != (lesson.number if lesson is not None else None):
            try:
                again.append((Path(entry.path), rel, entry.stat()))
            except OSError:
                continue
    return again


def _add(db: sqlite3.Connection, rel: str, rows: Iterable[SectionRow]) -> None:
    marks = ", ".join("?" * len(_COLUMNS.split(", ")))
    for row in rows:
        rowid = db.execute(f"INSERT INTO sections ({_COLUMNS}) VALUES ({marks})", row[:-1]).lastrowid
        if row[-1]:
            db.execute("INSERT INTO contexts (rowid, text) VALUES (?, ?)", (rowid, row[-1]))
        db.execute(f"INSERT INTO words (rowid, text) SELECT rowid, {_WORDS} FROM sections WHERE rowid = ?", (rowid,))
        db.execute("INSERT INTO owners (path, id) VALUES (?, ?)", (rel, rowid))


def _fresh_vocabulary(db: sqlite3.Connection) -> None:
    if db.execute("SELECT 1 FROM known_stale").fetchone() is not None:
        with db:
            db.execute("DELETE FROM known")
            db.execute("INSERT INTO known SELECT term, doc, 0 FROM vocabulary")
            db.execute(
                "INSERT INTO known SELECT term, 0, doc FROM said_vocabulary WHERE true "
                "ON CONFLICT (word) DO UPDATE SET said = excluded.said"
            )
            db.execute("DELETE FROM known_stale")


def known_words(db: sqlite3.Connection, words: Iterable[str]) -> set[str]:
    """Those of ``words`` (lower case) that the notes contain."""
    wanted = sorted(set(words))
    if not wanted:
        return set()
    _fresh_vocabulary(db)
    marks = ", ".join("?" * len(wanted))
    query = f"SELECT word FROM known WHERE sections > 0 AND word IN ({marks})"
    return {word for (word,) in db.execute(query, wanted)}


def sections_total(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM owners").fetchone()[0])


def words_starting(db: sqlite3.Connection, first: str, said: bool = False) -> list[tuple[str, int]]:
    """``(word, sections holding it)`` for every word of the notes that starts with ``first``;
    with ``said``, the words of the transcripts too (``(word, sections + phrases)``)."""
    _fresh_vocabulary(db)
    count = "sections + said" if said else "sections"
    rows = db.execute(
        f"SELECT word, {count} FROM known WHERE word >= ? AND word < ? AND {count} > 0", (first, first + "\U0010ffff")
    )
    return [(str(word), int(sections)) for word, sections in rows]


def _update_said(ws: Workspace, db: sqlite3.Connection, moved: bool = False) -> None:
    """The transcripts' phrases, for "said in the video" hits (a transcript is re-read whole
    when it changed, every one when the outline ``moved``: they carry their note's lesson)."""
    folder = ws.notes_dir / transcript.FOLDER
    try:
        entries = transcript.stored(folder)
    except OSError:
        entries = []
    if moved:
        db.execute("DELETE FROM said_files")
    places: dict[Path, LessonFile] = {}
    known = {row[0]: row[1:] for row in db.execute("SELECT path, size, mtime_ns FROM said_files")}
    seen = set()
    changed = False
    with db:
        for name in entries:
            if not is_inside(folder / name, ws.root):
                continue  # (a transcript linked to a file elsewhere is never read)
            try:
                stat = (folder / name).stat()
            except OSError:
                continue
            seen.add(name)
            if known.get(name) == (stat.st_size, stat.st_mtime_ns):
                continue
            _forget_said(db, name)
            db.executemany(
                "INSERT INTO said (text, path, label, lesson, seconds, link) VALUES (?, ?, ?, ?, ?, ?)",
                _said_rows(folder / name, name, lambda note: _place(ws, note, places)),
            )
            db.execute("INSERT INTO said_words (rowid, text) SELECT rowid, text FROM said WHERE path = ?", (name,))
            db.execute("INSERT OR REPLACE INTO said_files VALUES (?, ?, ?)", (name, stat.st_size, stat.st_mtime_ns))
            changed = True
        for gone in set(known) - seen:
            _forget_said(db, gone)
            db.execute("DELETE FROM said_files WHERE path = ?", (gone,))
            changed = True
        if changed:
            db.execute("DELETE FROM known_stale")
            db.execute("INSERT INTO known_stale VALUES (1)")


def _forget_said(db: sqlite3.Connection, name: str) -> None:
    forget_words = "INSERT INTO said_words (said_words, rowid, text) SELECT 'delete', rowid, text FROM said"
    db.execute(f"{forget_words} WHERE path = ?", (name,))
    db.execute("DELETE FROM said WHERE path = ?", (name,))


def _place(ws: Workspace, note: Path, places: dict[Path, LessonFile]) -> LessonFile | None:
    """The lesson place of ``note`` (relative to the notes folder); ``places``: the outline's,
    filled the first time a note not named our way asks."""
    found = parse_lesson_name(note.name) if len(note.parts) == 1 else None
    if found is not None:
        return LessonFile(ws.notes_dir / note, found[0], found[1])
    if not places:
        places.update({real_path(f.path): f for f in ws.lesson_files()})
    return places.get(real_path(ws.notes_dir / note))


def _said_rows(
    path: Path, name: str, place: Callable[[Path], LessonFile | None]
) -> list[tuple[str, str, str, int | None, int, str]]:
    """The rows of the stored transcript at ``path`` (``name`` under the transcripts folder);
    ``place``: its note's place in the course."""
    from notes_tool.model.video import parse_video  # (see update: only when a transcript changed)

    note = transcript.note_of(name)
    assert note is not None
    lesson = place(note)
    label = f"{lesson.code} {fallback_title(note)}" if lesson is not None else fallback_title(note)
    try:
        lines = read_bytes(path, transcript.MAX_BYTES).decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    url = transcript.url_of(lines[0]) if lines else None
    video = parse_video(url) if url else None
    rows = []
    for line in lines:
        phrase = transcript.phrase_of(line)
        if phrase is None or not phrase.text:
            continue
        link = video.at(phrase.start) if video is not None else ""
        rows.append((phrase.text, name, label, lesson.number if lesson else None, phrase.start, link))
    return rows


def rebuild(ws: Workspace) -> int:
    """The search index made afresh from the notes (its tables damaged past repair: a damaged
    full-text table cannot even be dropped), the records of the store carried over: each note's
    outline, which tells a renamed heading, what index and check found, the marks."""
    notes, marks = _readable(ws)
    discard(ws, DB_NAME)
    with open_index(ws) as db:
        with db:
            db.executemany(f"INSERT INTO notes ({_KEPT}) VALUES ({', '.join('?' * len(_KEPT.split(', ')))})", notes)
            db.executemany("INSERT INTO marks (name, value) VALUES (?, ?)", marks)
        return update(ws, db)


_KEPT = "key, size, mtime_ns, sha, title, regions, facts, outline"
"""What a record keeps through a rebuild of the search index (not ``searched``: its sections go)."""


def _readable(ws: Workspace) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The records and marks of the store, as far as they can be read (none when they cannot)."""
    try:
        with open_index(ws) as db:
            return db.execute(f"SELECT {_KEPT} FROM notes").fetchall(), db.execute("SELECT * FROM marks").fetchall()
    except sqlite3.DatabaseError:
        return [], []
