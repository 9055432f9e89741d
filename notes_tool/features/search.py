"""``notes search``: every section of every note in an SQLite FTS5 index, with its video moment.

One row per section (a heading and what follows it up to the next heading): the lesson, the
heading path, GitHub's anchor, the time and deep link for timestamped headings, the prose and
the code. Headings weigh more than prose in bm25 ranking; the porter tokenizer stems, so
"volumes" finds "volume"; FTS5 gives phrases ("...") and prefixes (dock*). The index lives in the
workspace's cache folder and follows the notes incrementally (size, mtime, hash); a deleted or
corrupt index is rebuilt without a word.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import warnings
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from notes_tool.errors import NotesError, display_path
from notes_tool.fsio import decode, read_bytes
from notes_tool.generate import timestamps
from notes_tool.model import document
from notes_tool.model.document import Heading, Note
from notes_tool.parallel import map_jobs
from notes_tool.stores.cache import CacheWarning, discard, open_db
from notes_tool.structure.course import fallback_title
from notes_tool.structure.workspace import Workspace

DB_NAME = "search.sqlite"
SCHEMA_VERSION = 4
WEIGHTS = (10.0, 1.0, 0.5)
"""bm25 weights of the heading, prose and code columns."""
_BM25_WEIGHTS = ", ".join(map(str, WEIGHTS))
MARK_START, MARK_END = "\x02", "\x03"
OPTIMIZE_FROM = 64
"""Merge the full-text index's segments after an update of at least this many notes."""


@dataclass(frozen=True)
class Section:
    """One searchable section of a note."""

    path: str
    """Relative to the workspace, with forward slashes."""
    lesson: int | None
    line: int
    """1-based line of the section's heading (1 for a note's preamble)."""
    breadcrumb: str
    """``05 Deployment › Docker › Volumes``."""
    anchor: str
    time: str
    link: str
    heading: str
    prose: str
    code: str


@dataclass(frozen=True)
class Hit:
    breadcrumb: str
    time: str
    path: str
    line: int
    anchor: str
    link: str
    excerpt: str
    """With the matched words between MARK_START and MARK_END."""
    lesson: int | None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["excerpt"] = self.excerpt.replace(MARK_START, "**").replace(MARK_END, "**")
        return data


def readable(excerpt: str) -> str:
    """An excerpt for people: on one line."""
    return " ".join(excerpt.split())


def sections_of(note: Note, rel: str, lesson: int | None, lesson_label: str) -> list[Section]:
    """Split one parsed note into sections."""
    heads = [h for h in note.headings if h.region is None]
    spans: list[tuple[Heading | None, int, int]] = []
    first = heads[0].line if heads else len(note.lines)
    spans.append((None, 0, first))
    for index, head in enumerate(heads):
        end = heads[index + 1].line if index + 1 < len(heads) else len(note.lines)
        spans.append((head, head.line, end))
    links = {t.heading.line: t for t in timestamps.timed_headings(note)}
    title = note.title_heading
    # One sweep: each paragraph and fence goes to the section its first line is in.
    starts = [start for _, start, _ in spans]
    texts: list[list[str]] = [[] for _ in spans]
    codes: list[list[str]] = [[] for _ in spans]
    for line, text in note.prose:
        if note.region_of(line) is None:
            texts[bisect_right(starts, line) - 1].append(text.replace("\n", " "))
    for fence in note.fences:
        if fence.region is None:
            codes[bisect_right(starts, fence.line) - 1].append(fence.content)
    out = []
    stack: list[tuple[int, str]] = []
    for index, (heading, start, _end) in enumerate(spans):
        if heading is None:
            crumb_parts: list[str] = []
        else:
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            if heading is not title:
                stack.append((heading.level, heading.label))
            crumb_parts = [label for _, label in stack]
        text = " ".join(texts[index])
        code = "\n".join(codes[index])
        if heading is None and not text.strip() and not code.strip():
            continue
        timed = links.get(heading.line) if heading is not None else None
        time = heading.time.shown if heading is not None and heading.time else ""
        link = timed.video.at(heading.time.seconds) if timed and timed.video and heading and heading.time else ""
        out.append(
            Section(
                path=rel,
                lesson=lesson,
                line=start + 1,
                breadcrumb=" › ".join([lesson_label, *crumb_parts]),
                anchor=heading.slug if heading is not None else "",
                time=time,
                link=link,
                heading=heading.label if heading is not None else "",
                prose=text,
                code=code,
            )
        )
    return out


_SCHEMA = """
DROP TABLE IF EXISTS files;
DROP TABLE IF EXISTS owners;
DROP TABLE IF EXISTS sections;
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha TEXT);
-- Which note each section row belongs to: deleting by an FTS5 column would scan it all.
CREATE TABLE owners (path TEXT NOT NULL, id INTEGER NOT NULL);
CREATE INDEX owners_path ON owners (path);
CREATE VIRTUAL TABLE sections USING fts5(
    heading, prose, code,
    path UNINDEXED, lesson UNINDEXED, line UNINDEXED, breadcrumb UNINDEXED,
    anchor UNINDEXED, time UNINDEXED, link UNINDEXED,
    tokenize = 'porter unicode61'
);
"""


@contextmanager
def open_index(ws: Workspace) -> Iterator[sqlite3.Connection]:
    """The workspace's search index, rebuilt from nothing when missing or corrupt."""
    with open_db(ws.cache_dir, DB_NAME, SCHEMA_VERSION, _SCHEMA, "SELECT count(*) FROM files") as db:
        yield db


_COLUMNS = "heading, prose, code, path, lesson, line, breadcrumb, anchor, time, link"
SectionRow = tuple[str, str, str, str, "int | None", int, str, str, str, str]


def rows_for(path: Path, rel: str, number: int, code: str, fallback: str) -> tuple[str, list[SectionRow]]:
    """The note's SHA-256 and its section rows (runs in a worker process for big updates)."""

    try:
        data = read_bytes(path)
    except OSError:
        return "", []  # deleted (or replaced by something that is not a file) since it was listed
    sha = hashlib.sha256(data).hexdigest()
    try:
        text, bom = decode(data, path)
        note = document.parse(path, text, bom)
    except NotesError:
        return sha, []  # a broken note is reported by `notes index` and `notes check`, not here
    label = f"{code} {note.title or fallback}".strip()
    rows: list[SectionRow] = [
        (s.heading, s.prose, s.code, s.path, s.lesson, s.line, s.breadcrumb, s.anchor, s.time, s.link)
        for s in sections_of(note, rel, number, label)
    ]
    return sha, rows


def update(ws: Workspace, db: sqlite3.Connection) -> int:
    """Bring the index up to date with the notes; returns how many notes were (re)indexed."""
    known = {row[0]: row[1:] for row in db.execute("SELECT path, size, mtime_ns, sha FROM files")}
    prefix = ws.relative(ws.notes_dir)
    prefix = "" if prefix == "." else prefix + "/"
    seen = set()
    stale = []
    for lesson_file in ws.lesson_files():
        rel = prefix + lesson_file.path.name
        try:
            stat = lesson_file.path.stat()
        except OSError:
            continue
        seen.add(rel)
        row = known.get(rel)
        if row is None or row[0] != stat.st_size or row[1] != stat.st_mtime_ns:
            stale.append((lesson_file.path, rel, (lesson_file.number, lesson_file.letter), stat))
    gone = set(known) - seen
    if not stale and not gone:
        return 0

    jobs = [
        (path, rel, number, path.name.split("_", 1)[0], fallback_title(path)) for path, rel, (number, _), _ in stale
    ]
    results = map_jobs(rows_for, jobs)
    count = 0
    with db:
        for rel in gone:
            _forget(db, rel)
            db.execute("DELETE FROM files WHERE path = ?", (rel,))
        for (_, rel, _, stat), (sha, rows) in zip(stale, results, strict=True):
            if rel not in known or known[rel][2] != sha:
                if rel in known:
                    _forget(db, rel)
                for row in rows:
                    cursor = db.execute(f"INSERT INTO sections ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
                    db.execute("INSERT INTO owners (path, id) VALUES (?, ?)", (rel, cursor.lastrowid))
                count += 1
            db.execute(
                "INSERT OR REPLACE INTO files (path, size, mtime_ns, sha) VALUES (?, ?, ?, ?)",
                (rel, stat.st_size, stat.st_mtime_ns, sha),
            )
        if count >= OPTIMIZE_FROM:
            # Merge FTS5's segments after a big update: common words then query ~40% faster.
            db.execute("INSERT INTO sections(sections) VALUES ('optimize')")
    return count


def _forget(db: sqlite3.Connection, rel: str) -> None:
    db.execute("DELETE FROM sections WHERE rowid IN (SELECT id FROM owners WHERE path = ?)", (rel,))
    db.execute("DELETE FROM owners WHERE path = ?", (rel,))


_BAD_SYNTAX = re.compile(r"fts5: syntax error near \"(.*)\"|unterminated string|no such column|unknown special query")


def query(
    db: sqlite3.Connection, text: str, lesson: int | None = None, code_only: bool = False, limit: int = 10
) -> list[Hit]:
    """The best sections for ``text`` (FTS5 query syntax), headings weighted above prose."""
    if not text.strip():
        raise NotesError("search: the query is empty")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # (bytes the terminal could not decode, passed through by Python)
        raise NotesError("search: the query is not valid text; check your terminal's encoding (UTF-8)") from None
    match = f"code : ({text})" if code_only else text
    where = "sections MATCH ?" + (" AND lesson = ?" if lesson is not None else "")
    params: list[Any] = [match] + ([lesson] if lesson is not None else [])
    try:
        # bm25() called directly: a quarter faster than `ORDER BY rank` with bm25 set as the
        # table's rank function (measured on the 2,000-note bench: 28 vs 39 ms for "docker").
        ranked = db.execute(
            f"SELECT rowid FROM sections WHERE {where} ORDER BY bm25(sections, {_BM25_WEIGHTS}) LIMIT ?",
            [*params, limit],
        )
        ids = [row[0] for row in ranked]
        if not ids:
            return []
        # Snippets only for the hits shown, not for every match.
        marks = ", ".join("?" * len(ids))
        rows = db.execute(
            "SELECT rowid, breadcrumb, time, path, line, anchor, link, "
            f"snippet(sections, -1, '{MARK_START}', '{MARK_END}', '…', 16), lesson "
            f"FROM sections WHERE sections MATCH ? AND rowid IN ({marks})",
            [match, *ids],
        ).fetchall()
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if "fts5" in message or _BAD_SYNTAX.search(message):
            raise NotesError(
                f"search: cannot read the query {text!r} ({message}); put phrases in double quotes"
            ) from None
        raise
    by_id = {r[0]: r for r in rows}
    return [
        Hit(r[1], r[2] or "", r[3], int(r[4]), r[5] or "", r[6] or "", r[7] or "", r[8])
        for r in (by_id[i] for i in ids if i in by_id)
    ]


def render(hits: list[Hit], root: Path, color: bool, cwd: Path | None = None) -> str:
    """Hits as people read them: ``breadcrumb (time)``, the excerpt, ``path:line`` (relative to
    ``cwd``, default the current folder), the video link."""
    start, end = ("\033[1m", "\033[0m") if color else ("", "")
    lines = []
    for hit in hits:
        title = hit.breadcrumb + (f" ({hit.time})" if hit.time else "")
        lines.append(f"{start}{title}{end}" if color else title)
        excerpt = readable(hit.excerpt).replace(MARK_START, start).replace(MARK_END, end)
        if excerpt:
            lines.append(f"  {excerpt}")
        lines.append(f"  {display_path(root / hit.path, cwd)}:{hit.line}")
        if hit.link:
            lines.append(f"  {hit.link}")
    return "".join(line + "\n" for line in lines)


def search(ws: Workspace, text: str, lesson: int | None = None, code_only: bool = False, limit: int = 10) -> list[Hit]:
    try:
        with open_index(ws) as db:
            update(ws, db)
            return query(db, text, lesson, code_only, limit)
    except sqlite3.DatabaseError:  # damaged past what opening it shows (its full-text tables, say)
        warnings.warn(CacheWarning(f"{DB_NAME} in the cache folder could not be read; rebuilt"), stacklevel=2)
        rebuild(ws)
        with open_index(ws) as db:
            return query(db, text, lesson, code_only, limit)


def rebuild(ws: Workspace) -> int:
    discard(ws.cache_dir, DB_NAME)
    with open_index(ws) as db:
        return update(ws, db)
