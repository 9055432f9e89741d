"""How ``notes search`` ranks the notes' sections: bm25 within ``--lesson`` and ``--code``,
the course's own notes first, then the sections holding the question's words in their headings.

bm25 alone sums each word's weight over a section's text: a long section saying ``groupby``
once beside ``spark`` and ``join`` outranks "GROUP BY in Spark" and "Joins in Spark", which
hold two of the three words each, in their headings. :func:`headings_first` counts each word a
section holds by its rarity, and once more when its heading holds it; bm25's order breaks ties
(a pure function over what the index tells; :func:`rank_notes` asks the index and calls it).
When too few sections hold every word, those holding most of them follow (:func:`_most_of`).
"""

from __future__ import annotations

import math
import sqlite3
from itertools import combinations
from typing import Any

from notes_tool.errors import NotesError
from notes_tool.features.search_query import BAD_SYNTAX, Term
from notes_tool.features.search_results import MARK_END, MARK_START, Hit
from notes_tool.stores.search_index import sections_total

WEIGHTS = (10.0, 1.0, 0.5, 1.0)
"""bm25 weights of the heading, prose, code and compound-forms columns."""
OUTSIDE_COURSE = 0.7
"""A section of a note that is not a lesson (a project's README, a homework page) scores this
share of bm25's: the course's own notes answer a question about it first."""
_BM25 = f"bm25(sections, {', '.join(map(str, WEIGHTS))})"
RERANKED = 4
"""How many times the wanted hits are ranked by bm25 alone before :data:`OUTSIDE_COURSE` applies
(reading every match's lesson in SQL would read every matching row)."""
POOL = 20
"""At least this many sections holding every word, and as many whose headings hold some, are
weighed for the first places."""
MAX_GROUPS = 10
"""When too few sections hold every word: at most this many groups of words are tried per size."""
COUNT_CAP = 2000
"""How many sections holding a word are counted, at most, to weigh how rare it is."""
HEADING_BONUS = 1.0
"""How much more a word counts when the section's heading holds it (1.0: twice as much)."""
CONTEXT_BONUS = 1.0
"""...and when a heading above it holds it (``Transfer learning › Base model``), if its own does not."""


def headings_first(
    candidates: list[int],
    holds: dict[str, set[int]],
    headed: dict[str, set[int]],
    under: dict[str, set[int]],
    rarity: dict[str, float],
) -> list[int]:
    """``candidates`` (row ids in bm25's order), best first: by the sum, over the question's
    words (``rarity``: each word's weight), of the word's weight when the section ``holds`` it,
    plus ``HEADING_BONUS`` times it when its heading does (``headed``), else ``CONTEXT_BONUS``
    times it when a heading above it does (``under``); ties keep bm25's order."""
    position = {rowid: index for index, rowid in enumerate(candidates)}

    def bonus(word: str, rowid: int) -> float:
        if rowid in headed.get(word, ()):
            return HEADING_BONUS
        return CONTEXT_BONUS if rowid in under.get(word, ()) else 0.0

    def score(rowid: int) -> float:
        return sum(weight * ((rowid in holds.get(word, ())) + bonus(word, rowid)) for word, weight in rarity.items())

    return sorted(position, key=lambda rowid: (-score(rowid), position[rowid]))


def rank_notes(
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
    scope = Scope(db, lesson, code_only)
    if terms is None:
        return scope.hits(scope.ranked(text, limit), text)
    found = _found(terms, said)
    if not found:
        return []
    rerank = len(found) > 1 and not code_only
    ids = scope.ranked(" AND ".join(t.match for t in found), max(limit, POOL) if rerank else limit)
    if len(ids) < limit and len(found) > 1:
        ids += _most_of_too(scope, found, ids, limit, rerank, said)
    if rerank:
        ids = _headings_first(scope, found, ids, limit)
    return scope.hits(ids, " OR ".join(t.match for t in found))


def _found(terms: list[Term], said: list[str]) -> list[Term]:
    """The terms some section holds; ``said`` is told the others."""
    missing = [t.shown for t in terms if not t.found]
    if missing:
        said.append(f"not in your notes: {', '.join(missing)}")
    return [t for t in terms if t.found]


def _most_of_too(
    scope: Scope, found: list[Term], ids: list[int], limit: int, rerank: bool, said: list[str]
) -> list[int]:
    """When too few sections (``ids``) hold every word: the sections holding most of them, to
    follow (all of them when they are reranked, else as many as fill ``limit``)."""
    if not ids:
        said.append(f"no section holds all of: {' '.join(t.typed for t in found)}; showing those holding most of them")
    more = [i for i in _most_of(scope, found, limit + len(ids)) if i not in ids]
    return more if rerank else more[: limit - len(ids)]


def _headings_first(scope: Scope, terms: list[Term], ids: list[int], limit: int) -> list[int]:
    """The best ``limit`` of ``ids`` and of the sections whose headings hold the question's
    less common words, a word in a heading counting more than one in passing
    (:func:`headings_first`)."""
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


class Scope:
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
            if "fts5" in message or BAD_SYNTAX.search(message):
                advice = (
                    "close every double quote, and give AND, OR, NOT a word on each side"
                    if '"' in match
                    else "put phrases in double quotes"
                )
                raise NotesError(f"search: cannot read the query {match!r} ({message}); {advice}") from None
            raise


def _most_of(scope: Scope, terms: list[Term], limit: int) -> list[int]:
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
