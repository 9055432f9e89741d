"""``notes search``: the sections that answer a question, best first, with their video moments.

A question is read as people type one (``spark groupby join``, ``how do I keep postgres data
when the container stops``): each word, or compound (``K-fold``, ``docker-compose``,
``groupBy``), also matches its other spellings (``kfold``, ``k fold``, ``group by``); common
English words are left out; a word the notes do not contain is split into two they do
(``groupby``: ``group by``) or corrected to the closest one (``kubernets``: ``kubernetes``),
and the answer says so. Sections holding every word come first (bm25, headings weighing most);
when there are too few, the sections holding most of the words follow, each word weighing by
how rare it is, with a line saying which words no section holds together. A query in FTS5's
own syntax (``"a phrase"``, ``dock*``, ``AND``/``OR``/``NOT``) is taken as written.

This module answers a question (:func:`ask`), and finds what was said in the videos; the
question is read by :mod:`.search_query`, the notes' sections are ranked by :mod:`.search_rank`,
and the hits are printed by :mod:`.search_results`. The index itself is
:mod:`notes_tool.stores.search_index`.
"""

from __future__ import annotations

import sqlite3
import warnings
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from notes_tool.errors import NotesError
from notes_tool.features.search_query import BAD_SYNTAX, Term, is_explicit, read_question
from notes_tool.features.search_rank import rank_notes
from notes_tool.features.search_results import MARK_END, MARK_START, Answer, Hit
from notes_tool.model import transcript
from notes_tool.model.timecode import format_seconds
from notes_tool.stores.cache import CacheWarning, busy
from notes_tool.stores.regions import owner_labels
from notes_tool.stores.search_index import DB_NAME, open_index, rebuild, update
from notes_tool.structure.workspace import Workspace

if TYPE_CHECKING:
    from notes_tool.model.video import Video
    from notes_tool.parallel import Progress

SAID = 3
"""How many "said in the video" hits follow the notes' hits."""


def search(ws: Workspace, text: str, lesson: int | None = None, code_only: bool = False, limit: int = 10) -> list[Hit]:
    return ask(ws, text, lesson, code_only, limit).hits


def ask(
    ws: Workspace,
    text: str,
    lesson: int | None = None,
    code_only: bool = False,
    limit: int = 10,
    progress: Progress | None = None,
    said: int = SAID,
    notes: bool = True,
) -> Answer:
    """The best sections for ``text``, and what was made of the question; ``progress`` is told
    how the index update goes (the first search of a workspace reads every note)."""
    _check_text(text)
    try:
        try:
            with open_index(ws) as db:
                update(ws, db, progress)
                return _answer(db, ws, text, lesson, code_only, limit, said, notes)
        except sqlite3.DatabaseError as exc:  # damaged past what opening it shows (its full-text tables, say)
            if (isinstance(exc, sqlite3.OperationalError) and BAD_SYNTAX.search(str(exc))) or busy(exc):
                raise
            warnings.warn(CacheWarning(f"{DB_NAME} in the cache folder could not be read; rebuilt"), stacklevel=2)
            rebuild(ws)
            with open_index(ws) as db:
                return _answer(db, ws, text, lesson, code_only, limit, said, notes)
    except (sqlite3.Error, OSError) as exc:
        if isinstance(exc, sqlite3.OperationalError) and BAD_SYNTAX.search(str(exc)):
            raise
        if busy(exc):
            raise NotesError(
                "search: the index is busy (another notes command has been writing it for 10 s); try again",
                ws.cache_dir,
            ) from None
        reason = getattr(exc, "strerror", None) or str(exc)
        raise NotesError(
            f"search: the index cannot be kept in the cache folder ({reason}); make it a folder you can "
            "write, or delete it to have it made again",
            ws.cache_dir,
        ) from None


def _check_text(text: str) -> None:
    if not text.strip():
        raise NotesError("search: the query is empty")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # (bytes the terminal could not decode, passed through by Python)
        raise NotesError("search: the query is not valid text; check your terminal's encoding (UTF-8)") from None


def _answer(
    db: sqlite3.Connection,
    ws: Workspace,
    text: str,
    lesson: int | None,
    code_only: bool,
    limit: int,
    said: int,
    notes: bool,
) -> Answer:
    prefix = ws.notes_prefix
    labels = owner_labels(db, ws)
    spoken = bool(said) and not code_only
    answer = Answer([])
    # The question's words, read once: a word corrected against the notes or what was said is
    # searched as corrected in both.
    terms = None if is_explicit(text) else read_question(db, text, answer.said, spoken)
    if notes:
        hits = rank_notes(db, text, terms, lesson, code_only, limit, answer.said)
        answer.hits = [replace(h, breadcrumb=_owners(h.breadcrumb, labels.get(h.path))) for h in hits]
    if spoken:
        found = _said(db, text, terms, lesson, said, prefix)
        answer.hits += [_with_section(db, hit, prefix, labels) for hit in found]
    return answer


def _said(
    db: sqlite3.Connection, text: str, terms: list[Term] | None, lesson: int | None, limit: int, prefix: str
) -> list[Hit]:
    """What was said in the videos: phrases of their transcripts, best first (``terms``: the
    question's words, None for a query in FTS5's syntax; ``prefix``: the notes folder, which
    holds the transcripts folder)."""
    if terms is None:
        matches = [text]
    else:
        if not terms:
            return []
        matches = [" AND ".join(t.match for t in terms), " OR ".join(t.match for t in terms)]
    where = "said MATCH ?" + (" AND lesson = ?" if lesson is not None else "")
    for match in matches:
        params: list[Any] = [match, *([lesson] if lesson is not None else []), limit]
        try:
            rows = db.execute(
                f"SELECT label, seconds, path, link, snippet(said, 0, '{MARK_START}', '{MARK_END}', '…', 16), lesson "
                f"FROM said WHERE {where} ORDER BY rank LIMIT ?",
                params,
            ).fetchall()
        except sqlite3.OperationalError:
            return []  # (a query FTS5 cannot read was already said so by the notes' search)
        if rows:
            return [
                Hit(
                    r[0],
                    format_seconds(int(r[1])),
                    f"{prefix}{transcript.FOLDER}/{r[2]}",
                    0,
                    "",
                    r[3],
                    r[4],
                    r[5],
                    r[3],
                    "said",
                )
                for r in rows
            ]
    return []


def _owners(breadcrumb: str, label: str | None) -> str:
    """``breadcrumb`` led by the owner's ``label`` for its note (what their course index calls
    it, as ``Session 10: Kubernetes``) instead of its code and title, when there is one."""
    if not label or not breadcrumb:
        return breadcrumb
    _, sep, rest = breadcrumb.partition(" › ")
    return label + sep + rest


def _with_section(db: sqlite3.Connection, hit: Hit, prefix: str, labels: dict[str, str]) -> Hit:
    """``hit`` (said in a video) named as its note's sections are (``labels``: the owner's), with
    the section of the note that covers its moment (the last one timed at or before it, in the
    same video)."""
    from notes_tool.model.video import parse_video  # (only for hits from transcripts)

    note = transcript.note_of(hit.path.removeprefix(f"{prefix}{transcript.FOLDER}/"))
    if note is None:
        return hit
    query = "SELECT breadcrumb, line, video, time FROM sections WHERE path = ?"
    rows = db.execute(query, (prefix + note.as_posix(),)).fetchall()
    if not rows:
        return hit
    label = labels.get(prefix + note.as_posix())
    named = replace(hit, breadcrumb=_owners(rows[0][0].split(" › ", 1)[0], label))  # the note's label
    said = parse_video(hit.link) if hit.link else None
    best = _covering(rows, said) if said is not None and said.start is not None else None
    if best is None:
        return named
    return replace(named, section=_owners(best[1], label), section_at=f"{prefix}{note.as_posix()}:{best[2]}")


def _covering(rows: list[Any], said: Video) -> tuple[int, str, int] | None:
    """Of a note's sections (``rows``: breadcrumb, line, video, time), the last one timed at or
    before the moment ``said`` in the same video, as (its second, breadcrumb, line)."""
    from notes_tool.model.video import parse_video

    assert said.start is not None
    best: tuple[int, str, int] | None = None
    for breadcrumb, line, video, time in rows:
        moment = parse_video(video) if time and video else None
        if moment is None or moment.key != said.key or moment.start is None or moment.start > said.start:
            continue
        if best is None or moment.start >= best[0]:
            best = (moment.start, breadcrumb, line)
    return best
