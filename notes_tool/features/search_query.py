"""Reading a question for ``notes search``: its words, their other spellings, and corrections.

Each word, or compound (``K-fold``, ``docker-compose``, ``groupBy``), also matches its other
spellings (``kfold``, ``k fold``, ``group by``); common English words are left out; a word the
notes do not contain is split into two they do (``groupby``: ``group by``) or corrected to the
closest one (``kubernets``: ``kubernetes``). A query in FTS5's own syntax (:func:`is_explicit`)
is taken as written.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from notes_tool.stores.search_index import known_words, words_starting

MAX_TERMS = 12
"""At most this many distinct words of a question are searched (the groups of "most of the
words" grow as 2^words: a question of 24 words took 24 s before this bound)."""
SPLIT_FROM = 6
"""A word of the notes this long is also searched as the two words it splits into, when the
notes hold them written apart (``groupby``: ``group by`` too)."""
FUZZY_SCORE = 80.0
"""How close (rapidfuzz's ratio, 0-100) a word of the notes must be to stand for a misspelt one."""

_EXPLICIT = re.compile(r"[\"*():^]|(?<!\S)(?:AND|OR|NOT|NEAR)(?!\S)")
_WORD = re.compile(r"[^\W_]+")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
BAD_SYNTAX = re.compile(r"fts5: syntax error near \"(.*)\"|unterminated string|no such column|unknown special query")
"""What SQLite says of a query in FTS5's syntax that it cannot read."""

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


def is_explicit(text: str) -> bool:
    """Whether ``text`` is written in FTS5's own syntax (``"a phrase"``, ``dock*``, ``AND``...)."""
    return _EXPLICIT.search(text) is not None


def read_question(db: sqlite3.Connection, text: str, said: list[str], spoken: bool = False) -> list[Term]:
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
