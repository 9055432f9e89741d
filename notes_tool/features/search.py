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
"""

from __future__ import annotations

import math
import re
import sqlite3
import warnings
from dataclasses import asdict, dataclass, field, replace
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes_tool.errors import NotesError, display_path
from notes_tool.model import transcript
from notes_tool.model.timecode import format_seconds
from notes_tool.printable import one_line
from notes_tool.stores.cache import CacheWarning
from notes_tool.stores.search_index import (
    DB_NAME,
    known_words,
    open_index,
    rebuild,
    sections_total,
    update,
    words_starting,
)
from notes_tool.structure.workspace import Workspace

if TYPE_CHECKING:
    from notes_tool.parallel import Progress

WEIGHTS = (10.0, 1.0, 0.5, 1.0)
"""bm25 weights of the heading, prose, code and compound-forms columns."""
OUTSIDE_COURSE = 0.7
"""A section of a note that is not a lesson (a project's README, a homework page) scores this
share of bm25's: the course's own notes answer a question about it first."""
_BM25 = f"bm25(sections, {', '.join(map(str, WEIGHTS))})"
RERANKED = 4
"""How many times the wanted hits are ranked by bm25 alone before :data:`OUTSIDE_COURSE` applies
(reading every match's lesson in SQL would read every matching row)."""
MARK_START, MARK_END = "\x02", "\x03"
_SPACES = re.compile(r"\s+")
SAID = 3
"""How many "said in the video" hits follow the notes' hits."""
POOL = 20
"""At least this many sections holding every word, and as many whose headings hold some, are
weighed for the first places."""
MAX_GROUPS = 10
"""When too few sections hold every word: at most this many groups of words are tried per size."""
MAX_TERMS = 12
"""At most this many distinct words of a question are searched (the groups of "most of the
words" grow as 2^words: a question of 24 words took 24 s before this bound)."""
COUNT_CAP = 2000
"""How many sections holding a word are counted, at most, to weigh how rare it is."""
SPLIT_FROM = 6
"""A word of the notes this long is also searched as the two words it splits into, when the
notes hold them written apart (``groupby``: ``group by`` too)."""
FUZZY_SCORE = 80.0
"""How close (rapidfuzz's ratio, 0-100) a word of the notes must be to stand for a misspelt one."""

_EXPLICIT = re.compile(r"[\"*():^]|(?<!\S)(?:AND|OR|NOT|NEAR)(?!\S)")
_WORD = re.compile(r"[^\W_]+")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_BAD_SYNTAX = re.compile(r"fts5: syntax error near \"(.*)\"|unterminated string|no such column|unknown special query")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just let me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves get got use using used want need make way""".split()
)
"""Common English words: a question's glue, left out of the query (unless it has nothing else)."""


@dataclass(frozen=True)
class Hit:
    breadcrumb: str
    time: str
    path: str
    line: int
    anchor: str
    link: str
    """The link to the heading's time in its video ("" when the heading has no time)."""
    excerpt: str
    """With the matched words between MARK_START and MARK_END."""
    lesson: int | None
    video: str = ""
    """The section's video moment: its heading's time, else the video it is about ("" if none)."""
    kind: str = "note"
    """``note``: a section of a note; ``said``: a phrase of a video's transcript."""
    section: str = ""
    """Of a ``said`` hit: the note's section that covers its moment (the last one with a time at
    or before it, in the same video), as ``breadcrumb`` ("" when no section does)."""
    section_at: str = ""
    """That section's ``path:line``."""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["excerpt"] = self.excerpt.replace(MARK_START, "**").replace(MARK_END, "**")
        if self.kind != "said":
            del data["section"], data["section_at"]
        return data


@dataclass
class Term:
    """One word (or compound) of the question and the forms it is searched as."""

    typed: str
    forms: list[str]
    """FTS5 strings, each quoted: ``"kfold"``, ``"k fold"``."""
    found: bool = False
    """Whether some section holds it."""
    corrected: str = ""
    """The word it was corrected to, when it was misspelt."""

    @property
    def shown(self) -> str:
        """The word as searched: as typed, or as corrected."""
        return self.corrected or self.typed

    @property
    def match(self) -> str:
        return "(" + " OR ".join(self.forms) + ")"


@dataclass
class Answer:
    hits: list[Hit]
    said: list[str] = field(default_factory=list)
    """What the search did to the question, one line each (corrections, words left out...)."""


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
                return _answer(db, text, lesson, code_only, limit, said, notes, ws.notes_prefix)
        except sqlite3.DatabaseError as exc:  # damaged past what opening it shows (its full-text tables, say)
            if isinstance(exc, sqlite3.OperationalError) and _BAD_SYNTAX.search(str(exc)):
                raise
            warnings.warn(CacheWarning(f"{DB_NAME} in the cache folder could not be read; rebuilt"), stacklevel=2)
            rebuild(ws)
            with open_index(ws) as db:
                return _answer(db, text, lesson, code_only, limit, said, notes, ws.notes_prefix)
    except (sqlite3.Error, OSError) as exc:
        if isinstance(exc, sqlite3.OperationalError) and _BAD_SYNTAX.search(str(exc)):
            raise
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
    text: str,
    lesson: int | None,
    code_only: bool,
    limit: int,
    said: int,
    notes: bool,
    prefix: str,
) -> Answer:
    spoken = bool(said) and not code_only
    answer = Answer([])
    # The question's words, read once: a word corrected against the notes or what was said is
    # searched as corrected in both.
    terms = None if _EXPLICIT.search(text) else _terms(db, text, answer.said, spoken)
    if notes:
        answer.hits = _notes_hits(db, text, terms, lesson, code_only, limit, answer.said)
    if spoken:
        answer.hits += [_with_section(db, hit, prefix) for hit in _said(db, text, terms, lesson, said, prefix)]
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


def _with_section(db: sqlite3.Connection, hit: Hit, prefix: str) -> Hit:
    """``hit`` (said in a video) named as its note's sections are, with the section of the note
    that covers its moment (the last one timed at or before it, in the same video)."""
    from notes_tool.model.video import parse_video  # (only for hits from transcripts)

    note = transcript.note_of(hit.path.removeprefix(f"{prefix}{transcript.FOLDER}/"))
    if note is None:
        return hit
    query = "SELECT breadcrumb, line, video, time FROM sections WHERE path = ?"
    rows = db.execute(query, (prefix + note.as_posix(),)).fetchall()
    if not rows:
        return hit
    named = replace(hit, breadcrumb=rows[0][0].split(" › ", 1)[0])  # the note's label, from its title
    said = parse_video(hit.link) if hit.link else None
    if said is None or said.start is None:
        return named
    best: tuple[int, str, int] | None = None
    for breadcrumb, line, video, time in rows:
        moment = parse_video(video) if time and video else None
        if moment is None or moment.key != said.key or moment.start is None or moment.start > said.start:
            continue
        if best is None or moment.start >= best[0]:
            best = (moment.start, breadcrumb, line)
    if best is None:
        return named
    return replace(named, section=best[1], section_at=f"{prefix}{note.as_posix()}:{best[2]}")


def _notes_hits(
    db: sqlite3.Connection,
    text: str,
    terms: list[Term] | None,
    lesson: int | None,
    code_only: bool,
    limit: int,
    said: list[str],
) -> list[Hit]:
    """The notes' sections for the question (its ``terms``; None: ``text`` is in FTS5's syntax),
    best first; what was made of the question is added to ``said``."""
    scope = _Scope(db, lesson, code_only)
    if terms is None:
        return scope.hits(scope.ranked(text, limit), text)
    found = [t for t in terms if t.found]
    missing = [t.shown for t in terms if not t.found]
    if missing:
        said.append(f"not in your notes: {', '.join(missing)}")
    if not found:
        return []
    every = " AND ".join(t.match for t in found)
    anyone = " OR ".join(t.match for t in found)
    rerank = len(found) > 1 and not code_only
    ids = scope.ranked(every, max(limit, POOL) if rerank else limit)
    if len(ids) < limit and len(found) > 1:
        if not ids:
            said.append(
                f"no section holds all of: {' '.join(t.typed for t in found)}; showing those holding most of them"
            )
        more = [i for i in _most_of(scope, found, limit + len(ids)) if i not in ids]
        ids += more if rerank else more[: limit - len(ids)]
    if rerank:
        ids = _headings_first(scope, found, ids, limit)
    return scope.hits(ids, anyone)


def _headings_first(scope: _Scope, terms: list[Term], ids: list[int], limit: int) -> list[int]:
    """The best ``limit`` of ``ids`` and of the sections whose headings hold the question's
    less common words, a word in a heading counting more than one in passing
    (:mod:`search_rank`)."""
    from notes_tool.features.search_rank import headings_first

    frequencies = _frequencies(scope.db, terms)
    # (a word held by COUNT_CAP sections or more brings in no section by its heading alone: ranking
    # every heading holding a very common word costs more than the rest of the search)
    uncommon = " OR ".join(t.match for t in terms if frequencies[t.typed] < COUNT_CAP)
    named = scope.ranked(f"heading : ({uncommon})", max(limit, POOL)) if uncommon else []
    candidates = list(dict.fromkeys([*ids, *named]))
    holds = {t.typed: scope.matching(t.match, candidates) for t in terms}
    headed = {t.typed: scope.matching(f"heading : {t.match}", candidates) for t in terms}
    under = {t.typed: scope.under(t.match, candidates) for t in terms}
    rarity = _weights(frequencies, sections_total(scope.db))
    return headings_first(candidates, holds, headed, under, rarity)[:limit]


def _terms(db: sqlite3.Connection, text: str, said: list[str], spoken: bool = False) -> list[Term]:
    """The question's words as terms, common words left out, unknown ones split or corrected;
    with ``spoken``, a word said in a video is known too (and a misspelt one corrected to it)."""
    terms = _content_terms(text)
    if len(terms) == MAX_TERMS and len(_content_terms(text, cap=None)) > MAX_TERMS:
        said.append(f"only the first {MAX_TERMS} words of the question were searched")
    for term in terms:
        term.found = _exists(db, term.match)
        if term.found and len(term.forms) == 1 and len(term.typed) >= SPLIT_FROM:
            split = _split(db, term.forms[0].strip('"'), 3)  # groupby: "GROUP BY" in a heading too
            term.forms += [_quoted(split)] if split else []
        if term.found or len(term.forms) > 1 or len(term.typed) < 4:
            continue
        if spoken and _exists(db, term.match, "said"):
            continue  # (said in a video as typed: nothing to correct)
        word = term.forms[0].strip('"')
        better = _split(db, word) or _closest(db, word, spoken)
        if better is not None:
            term.forms = [f'"{better}"']
            term.corrected = better
            term.found = _exists(db, term.match)
            said.append(f"showing results for {better} (not {term.typed})")
    return terms


def _content_terms(text: str, cap: int | None = MAX_TERMS) -> list[Term]:
    """The question's distinct words as terms (the first ``cap`` of them), common words left
    out (unless it holds nothing else)."""
    terms: dict[str, Term] = {}
    for chunk in text.split():
        if _WORD.search(chunk):
            term = _term(chunk)
            terms.setdefault(term.typed.lower(), term)
    every = list(terms.values())
    content = [t for t in every if t.typed.lower() not in STOPWORDS] or every
    return content[:cap]


def _term(chunk: str) -> Term:
    """``K-fold``: ``"k fold" OR "kfold"``; ``groupBy``: ``"groupby" OR "group by"``."""
    parts = _WORD.findall(chunk)
    typed = chunk.strip(".,;:!?'")
    if len(parts) > 1:
        return Term(typed, [_quoted(" ".join(parts)), _quoted("".join(parts))])
    word = parts[0]
    camel = _CAMEL_PART.findall(word)
    if len(camel) > 1 and any(c.isupper() for c in word[1:]):
        return Term(typed, [_quoted(word), _quoted(" ".join(camel))])
    return Term(typed, [_quoted(word)])


def _quoted(text: str) -> str:
    return '"' + text.lower().replace('"', '""') + '"'


def _exists(db: sqlite3.Connection, match: str, table: str = "sections") -> bool:
    """Whether a section of the notes (``table`` ``said``: a phrase of a transcript) holds ``match``."""
    return db.execute(f"SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT 1", (match,)).fetchone() is not None


def _split(db: sqlite3.Connection, word: str, first: int = 2) -> str | None:
    """``groupby`` as ``group by`` when the notes hold both words written apart; the first at
    least ``first`` letters long (3 for a word the notes hold: ``recall`` is no ``re call``)."""
    pairs = [(word[:i], word[i:]) for i in range(first, len(word) - 1)]
    known = known_words(db, [part for pair in pairs for part in pair])
    fits = [f"{a} {b}" for a, b in pairs if a in known and b in known]
    return next((phrase for phrase in fits if _exists(db, _quoted(phrase))), None)


def _closest(db: sqlite3.Connection, word: str, spoken: bool = False) -> str | None:
    """The word of the notes (``spoken``: or of what was said in the videos) closest to a
    misspelt one: same first letter first, then any."""
    from rapidfuzz import fuzz, process  # (only for a word the notes lack: bench/search.py)

    for first in (word[0], ""):
        words = words_starting(db, first, said=spoken)
        found = process.extract(word, [w for w, _ in words], scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE, limit=5)
        if found:
            counts = dict(words)
            best = max(found, key=lambda match: (match[1], counts[match[0]]))
            return str(best[0])
    return None


class _Scope:
    """Queries of the index within ``--lesson`` and ``--code``."""

    def __init__(self, db: sqlite3.Connection, lesson: int | None, code_only: bool):
        self.db, self.lesson, self.code_only = db, lesson, code_only

    def _where(self, match: str) -> tuple[str, list[Any]]:
        where = "sections MATCH ?" + (" AND lesson = ?" if self.lesson is not None else "")
        params: list[Any] = [f"code : ({match})" if self.code_only else match]
        return where, params + ([self.lesson] if self.lesson is not None else [])

    def ranked(self, match: str, limit: int) -> list[int]:
        where, params = self._where(match)
        query = f"SELECT rowid, {_BM25} FROM sections WHERE {where} ORDER BY {_BM25} LIMIT ?"
        scored = self._run(query, [*params, limit * RERANKED], match)
        if not scored:
            return []
        marks = ", ".join("?" * len(scored))
        outside = {
            row[0]
            for row in self.db.execute(
                f"SELECT rowid FROM sections WHERE rowid IN ({marks}) AND lesson IS NULL", [r[0] for r in scored]
            )
        }
        ordered = sorted(scored, key=lambda r: r[1] * (OUTSIDE_COURSE if r[0] in outside else 1.0))
        return [row[0] for row in ordered[:limit]]

    def matching(self, match: str, ids: list[int]) -> set[int]:
        where, params = self._where(match)
        marks = ", ".join("?" * len(ids))
        return {
            row[0]
            for row in self._run(
                f"SELECT rowid FROM sections WHERE {where} AND rowid IN ({marks})", [*params, *ids], match
            )
        }

    def under(self, match: str, ids: list[int]) -> set[int]:
        """Those of ``ids`` whose headings above their own hold ``match``."""
        marks = ", ".join("?" * len(ids))
        query = f"SELECT rowid FROM contexts WHERE contexts MATCH ? AND rowid IN ({marks})"
        return {row[0] for row in self._run(query, [match, *ids], match)}

    def hits(self, ids: list[int], highlight: str) -> list[Hit]:
        """The hits, in the order of ``ids``, their excerpts marking the words of ``highlight``."""
        if not ids:
            return []
        where, params = self._where(highlight)
        marks = ", ".join("?" * len(ids))
        rows = self._run(
            "SELECT rowid, breadcrumb, time, path, line, anchor, video, "
            f"snippet(sections, -1, '{MARK_START}', '{MARK_END}', '…', 16), lesson "
            f"FROM sections WHERE {where} AND rowid IN ({marks})",
            [*params, *ids],
            highlight,
        )
        by_id = {row[0]: row for row in rows}
        return [
            Hit(r[1], r[2] or "", r[3], int(r[4]), r[5] or "", r[6] if r[2] else "", r[7] or "", r[8], r[6] or "")
            for r in (by_id[i] for i in ids if i in by_id)
        ]

    def _run(self, query: str, params: list[Any], match: str) -> list[tuple[Any, ...]]:
        try:
            return self.db.execute(query, params).fetchall()
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if "fts5" in message or _BAD_SYNTAX.search(message):
                advice = (
                    "close every double quote, and give AND, OR, NOT a word on each side"
                    if '"' in match
                    else "put phrases in double quotes"
                )
                raise NotesError(f"search: cannot read the query {match!r} ({message}); {advice}") from None
            raise


def _most_of(scope: _Scope, terms: list[Term], limit: int) -> list[int]:
    """Sections holding most of the terms: those holding all but one first, then all but two...
    Among sections holding as many, those holding the rarer words come first, then bm25's order.

    Each group of terms is one AND query (a cheap intersection): ranking every section that
    holds any of several common words by bm25 costs several times more (bench/search.py)."""
    rarity = _rarity(scope.db, terms)
    picked: dict[int, tuple[int, float, int]] = {}
    for size in range(len(terms) - 1, 0, -1):
        groups = sorted(combinations(terms, size), key=lambda group: -sum(rarity[t.typed] for t in group))
        for group in groups[:MAX_GROUPS]:
            weight = sum(rarity[t.typed] for t in group)
            for order, rowid in enumerate(scope.ranked(" AND ".join(t.match for t in group), limit)):
                key = (-size, -weight, order)
                if key < picked.get(rowid, (0, 0.0, limit)):
                    picked[rowid] = key
        if len(picked) >= limit:
            break
    return sorted(picked, key=picked.__getitem__)


def _rarity(db: sqlite3.Connection, terms: list[Term]) -> dict[str, float]:
    """How rare each term is in the notes (inverse document frequency, see :func:`_frequencies`)."""
    return _weights(_frequencies(db, terms), sections_total(db))


def _frequencies(db: sqlite3.Connection, terms: list[Term]) -> dict[str, int]:
    """How many sections hold each term, stemmed as the search is (``join`` counts the sections
    saying ``joins``), counted up to :data:`COUNT_CAP` (a word held by more is common: how
    common no longer matters)."""
    query = "SELECT count(*) FROM (SELECT 1 FROM sections WHERE sections MATCH ? LIMIT ?)"
    return {t.typed: max(1, int(db.execute(query, (t.match, COUNT_CAP)).fetchone()[0])) for t in terms}


def _weights(frequencies: dict[str, int], total: int) -> dict[str, float]:
    return {word: math.log(1 + (total - count + 0.5) / (count + 0.5)) for word, count in frequencies.items()}


def readable(excerpt: str) -> str:
    """An excerpt for people: on one line."""
    return " ".join(excerpt.split())


def render(hits: list[Hit], root: Path, color: bool, cwd: Path | None = None) -> str:
    """Hits as people read them: ``breadcrumb (time)``, the excerpt, ``path:line`` (relative to
    ``cwd``, default the current folder), the video moment."""
    start, end = ("\033[1m", "\033[0m") if color else ("", "")
    lines = []
    for hit in _printable(hits):
        excerpt = readable(hit.excerpt).replace(MARK_START, start).replace(MARK_END, end)
        if hit.kind == "said":
            lines.append(f"{hit.breadcrumb} · said at {hit.time}: “{excerpt}”")
            if hit.video:
                lines.append(f"  {hit.video}")
            if hit.section:
                path, line = hit.section_at.rsplit(":", 1)
                lines.append(f"  in your notes: {hit.section} ({display_path(root / path, cwd)}:{line})")
            continue
        title = hit.breadcrumb + (f" ({hit.time})" if hit.time else "")
        lines.append(f"{start}{title}{end}" if color else title)
        if excerpt:
            lines.append(f"  {excerpt}")
        lines.append(f"  {display_path(root / hit.path, cwd)}:{hit.line}")
        if hit.video:
            lines.append(f"  {hit.video}")
    return "".join(line + "\n" for line in lines)


def _printable(hits: list[Hit]) -> list[Hit]:
    """``hits`` with every text a note or transcript gave them on one line, control characters
    shown as escapes (:func:`one_line`; the excerpt keeps its match marks, and its line breaks
    are spaces, as :func:`readable` makes them: an excerpt of code reads as one line of it)."""
    shown = []
    for hit in hits:
        pieces = (
            MARK_END.join(one_line(_SPACES.sub(" ", p)) for p in part.split(MARK_END))
            for part in hit.excerpt.split(MARK_START)
        )
        shown.append(
            replace(
                hit,
                breadcrumb=one_line(hit.breadcrumb),
                excerpt=MARK_START.join(pieces),
                time=one_line(hit.time),
                video=one_line(hit.video),
                section=one_line(hit.section),
                section_at=one_line(hit.section_at),
            )
        )
    return shown
