"""Links between notes: a note's outline as remembered between runs, ``[[wikilinks]]`` resolved
against the course's notes and headings, and headings renamed between two outlines.

Pure: outlines and parsed notes in, targets and anchor maps out (the run that reads and writes
files is :mod:`notes_tool.features.links`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from notes_tool.fsio.confine import real_path
from notes_tool.model.document import Note
from notes_tool.model.wikilinks import WikiLink

FUZZY_SCORE = 80.0
"""How close (rapidfuzz's WRatio, 0-100) a heading must be to a misspelt or partial name."""
PREFIX_SCORE = 90.0
"""What a typed word scores against a heading's word it begins (``info``, ``information``)."""
MARGIN = 6.0
"""How far ahead of the next candidate the closest must be to count as a clear winner."""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_CODE = re.compile(r"^(?P<number>\d{1,4})(?P<letter>[a-z]?)$", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Head:
    """One heading of an outline."""

    level: int
    text: str
    """Its plain text (what GitHub slugs)."""
    label: str
    """Its text without a leading time."""
    slug: str
    owned: bool = False
    """In a generated region (counted by the slugger, never a link's target)."""
    line: int = -1
    """Zero-based (where its section starts; not compared between outlines)."""


Outline = list[Head]


def outline_of(note: Note) -> Outline:
    return [Head(h.level, h.text, h.label, h.slug, h.region is not None, h.line) for h in note.headings]


def outline_to_json(outline: Outline) -> list[list[Any]]:
    return [[h.level, h.text, h.label, h.slug, h.owned, h.line] for h in outline]


def outline_from_json(data: Any) -> Outline | None:
    """The outline stored as :func:`outline_to_json` wrote it; None when it is not one."""
    if not isinstance(data, list):
        return None
    try:
        heads = [Head(int(a), str(b), str(c), str(d), bool(e), int(f)) for a, b, c, d, e, f in data]
    except (TypeError, ValueError):
        return None
    return heads


def destination(source: Path, href: str) -> tuple[Path, str, str] | None:
    """Where a relative link written in the file ``source`` leads: the target's real path
    (``source`` itself for ``#anchor``), the anchor (decoded) and the path as written (without
    its query); None for a web or rooted link."""
    written, _, anchor = href.partition("#")
    path = written.split("?", 1)[0]
    if _SCHEME.match(path) or path.startswith("/"):
        return None
    return real_path(source.parent / unquote(path) if path else source), unquote(anchor), path


# -- headings renamed --------------------------------------------------------------------------


def renamed(before: Outline, after: Outline) -> dict[str, str]:
    """Old anchor -> new anchor of each heading that kept its place in the outline while its
    anchor changed (reworded, a time typed or stamped into it, its duplicate number shifted).

    With as many headings as before at the same levels, each place keeps its heading, unless
    headings swapped texts (a move, not a rewording: nothing follows). Otherwise the outlines are
    aligned on (level, text), forwards and backwards, and a heading follows only where both
    alignments agree (around a heading added or deleted: not around a moved or duplicated one)."""
    if [h.slug for h in before] == [h.slug for h in after]:
        return {}
    if len(before) == len(after) and all(a.level == b.level for a, b in zip(before, after, strict=True)):
        pairs = _same_places(before, after)
    else:
        n, m = len(before) - 1, len(after) - 1
        pairs = _pairs(before, after) & {(n - i, m - j) for i, j in _pairs(before[::-1], after[::-1])}
    return {before[i].slug: after[j].slug for i, j in pairs if before[i].slug != after[j].slug}


def _same_places(before: Outline, after: Outline) -> set[tuple[int, int]]:
    """Outlines of the same shape: each place keeps its heading, unless headings swapped texts
    (a move, not a rewording): then only the places whose text is unchanged pair."""
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a.text != b.text]
    old_texts = {before[i].text for i in changed}
    if all(after[i].text not in old_texts for i in changed):
        return set(enumerate(range(len(after))))
    return {(i, i) for i in range(len(after)) if i not in changed}


def _pairs(before: Outline, after: Outline) -> set[tuple[int, int]]:
    keys_a = [(h.level, h.text) for h in before]
    keys_b = [(h.level, h.text) for h in after]
    pairs: set[tuple[int, int]] = set()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if i2 - i1 != j2 - j1 or tag not in ("equal", "replace"):
            continue
        run = list(zip(range(i1, i2), range(j1, j2), strict=True))
        if tag == "equal" or all(before[i].level == after[j].level for i, j in run):
            pairs.update(run)
    return pairs


# -- wikilinks ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Page:
    """A note a wikilink may lead to (one object per note: compared by identity)."""

    path: Path
    code: str
    """``02``, ``05b`` (lesson notes), else ""."""
    title: str
    outline: Outline


@dataclass(frozen=True)
class Target:
    page: Page
    head: Head | None
    """None: the note itself."""

    @property
    def text(self) -> str:
        """What a link to it says: the heading without its time, else the note's title."""
        return self.head.label or self.head.text if self.head else self.page.title or self.page.path.stem

    def name(self) -> str:
        """How a message names it: ``02 › Volumes``."""
        where = self.page.code or self.page.path.stem
        return f"{where} › {self.text}" if self.head else f"{where} ({self.page.title or self.page.path.name})"


@dataclass(frozen=True)
class Resolved:
    target: Target | None
    """None when there is no clear winner (``candidates`` then says who came close)."""
    candidates: tuple[Target, ...] = ()
    problem: str = ""


def key(text: str) -> str:
    """Case, punctuation and spacing ignored: ``pgAdmin`` = ``PG-admin``."""
    return _NOT_WORD.sub("", text.casefold())


FUZZY_BUDGET = 150_000
"""How many (typed name, heading) pairs one run may score in all (a few seconds): a clone with
thousands of headings and thousands of links that name none of them exactly would otherwise
take hours; links past it are resolved exactly only."""


@dataclass
class _Choices:
    """The names ``[[...]]`` can match, in order, indexed for the exact and the keyed match."""

    items: list[tuple[str, Target]]
    exact: dict[str, list[Target]]
    keyed: dict[str, list[Target]]

    @classmethod
    def of(cls, items: list[tuple[str, Target]]) -> _Choices:
        exact: dict[str, list[Target]] = {}
        keyed: dict[str, list[Target]] = {}
        for name, target in items:
            exact.setdefault(name, []).append(target)
            keyed.setdefault(key(name), []).append(target)
        return cls(items, exact, keyed)


class Resolver:
    """Names in ``[[...]]`` to the course's notes and headings."""

    def __init__(self, pages: list[Page], budget: int = FUZZY_BUDGET):
        self.pages = pages
        self.budget = budget
        """Fuzzy comparisons left (:data:`FUZZY_BUDGET`)."""
        self._choices: dict[tuple[tuple[int, ...], bool], tuple[list[Page], _Choices]] = {}

    def resolve(self, link: WikiLink, here: Path) -> Resolved:
        name, _, heading = link.target.partition("#")
        name, heading = name.strip(), heading.strip()
        if not name and not heading:
            return Resolved(None, problem="names nothing")
        if "#" in link.target:
            pages = [p for p in self.pages if p.path == here] if not name else self._pages_named(name)
            if not pages:
                return Resolved(None, self._closest_pages(name), f"no note is called {name!r}")
            if len(pages) > 1:
                return Resolved(None, tuple(Target(p, None) for p in pages), f"several notes are called {name!r}")
            return self._heading(heading, pages, here)
        pages = self._pages_named(name, fuzzy=False)
        if len(pages) == 1:
            return Resolved(Target(pages[0], None))
        return self._heading(name, self.pages, here, notes=True)

    def _pages_named(self, name: str, fuzzy: bool = True) -> list[Page]:
        """The notes ``name`` names: by lesson code (``2``, ``02``, ``05b``), title or file name."""
        code = _CODE.match(name)
        if code is not None:
            number, letter = int(code.group("number")), code.group("letter").lower()
            found = [p for p in self.pages if p.code and _code_parts(p.code) == (number, letter)]
            if found:
                return found
        for match in (str.__eq__, lambda a, b: key(a) == key(b)):
            found = [p for p in self.pages if any(match(n, name) for n in _page_names(p))]
            if found:
                return found
        names = [(n, p) for p in self.pages for n in _page_names(p)]
        if not fuzzy or not self._spend(len(names)):
            return []
        return _winners(name, names)

    def _closest_pages(self, name: str) -> tuple[Target, ...]:
        names = [(n, p) for p in self.pages for n in _page_names(p)]
        return tuple(Target(p, None) for p in _ranked(name, names)[:3]) if self._spend(len(names)) else ()

    def _spend(self, comparisons: int) -> bool:
        """Whether the fuzzy budget (:data:`FUZZY_BUDGET`) still allows ``comparisons`` more."""
        if comparisons > self.budget:
            return False
        self.budget -= comparisons
        return True

    def _heading(self, name: str, pages: list[Page], here: Path, notes: bool = False) -> Resolved:
        """The heading of ``pages`` that ``name`` names: exact, then case and punctuation
        ignored, then the closest; on each step a heading of this note wins over others."""
        indexed = self._choices_of(pages, notes)
        typed = key(name)
        for found in (indexed.exact.get(name, []), indexed.keyed.get(typed, []) if typed else []):
            if found:
                return _one(_unique(found), here)
        choices = indexed.items
        if not self._spend(len(choices)):
            return Resolved(None, (), "matches no heading (too many links to guess at; name it exactly)")
        found = _unique(_winners(name, choices))
        if found:
            return _one(found, here)
        return Resolved(None, tuple(_unique(_ranked(name, choices)))[:3], "matches no heading")

    def _choices_of(self, pages: list[Page], notes: bool) -> _Choices:
        """What the headings of ``pages`` (and the notes themselves, with ``notes``) are called,
        worked out once per set of pages in a run."""
        cache_key = (tuple(id(page) for page in pages), notes)
        if cache_key in self._choices:
            return self._choices[cache_key][1]
        choices: list[tuple[str, Target]] = []
        for page in pages:
            heads = [h for h in page.outline if not h.owned]
            if notes:  # (the title heading is the note itself)
                heads = [h for h in heads if not (h.level == 1 and h.text.strip() == page.title)]
                choices += [(n, Target(page, None)) for n in _page_names(page)]
            choices += [(n, Target(page, h)) for h in heads for n in {h.text, h.label}]
        indexed = _Choices.of(choices)
        self._choices[cache_key] = (pages, indexed)  # (pages kept: their ids stay theirs)
        return indexed


def _page_names(page: Page) -> list[str]:
    return [n for n in (page.title, page.path.stem) if n]


def _code_parts(code: str) -> tuple[int, str]:
    match = _CODE.match(code)
    return (int(match.group("number")), match.group("letter").lower()) if match else (-1, "")


def _unique(targets: Any) -> list[Target]:
    return list(dict.fromkeys(targets))


def _one(found: list[Target], here: Path) -> Resolved:
    if len(found) == 1:
        return Resolved(found[0])
    local = [t for t in found if t.page.path == here]
    if len(local) == 1:
        return Resolved(local[0])
    return Resolved(None, tuple(found[:5]), "is ambiguous")


def _scored(name: str, choices: list[tuple[str, Any]]) -> list[tuple[float, Any]]:
    """Each choice's best score for ``name``, best first (see :func:`similarity`)."""
    best: dict[Any, float] = {}
    for text, item in choices:
        score = similarity(name, text)
        if score > best.get(item, -1.0):
            best[item] = score
    return sorted(((s, i) for i, s in best.items()), key=lambda pair: -pair[0])


def similarity(name: str, text: str) -> float:
    """How well ``name`` (typed in a link) names ``text`` (a heading), 0-100: the whole of it
    spelt nearly the same, or each of its words close to one of the heading's or the start of
    one (``pgadmn``, ``info`` for ``Connecting pgAdmin and Postgres``, ``Mutual information``),
    a little below an equal whole, and more so the fewer of the heading's words it names."""
    from rapidfuzz import fuzz  # (only for a link that names nothing exactly)

    typed, heading = _words(name), _words(text)
    if not typed or not heading:
        return 0.0
    whole = fuzz.ratio(" ".join(typed), " ".join(heading))
    each = [max(_word_score(word, other, fuzz.ratio) for other in heading) for word in typed]
    if min(each) < FUZZY_SCORE:
        return whole
    covered = sum(1 for other in heading if any(_word_score(w, other, fuzz.ratio) >= FUZZY_SCORE for w in typed))
    return max(whole, 0.95 * sum(each) / len(each) * (0.9 + 0.1 * covered / len(heading)))


def _word_score(word: str, other: str, ratio: Any) -> float:
    """A typed word against a heading's: spelt nearly the same, or (3 letters or more) its start."""
    return max(float(ratio(word, other)), PREFIX_SCORE if len(word) >= 3 and other.startswith(word) else 0.0)


def _words(text: str) -> list[str]:
    return [w for w in _NOT_WORD.split(text.casefold()) if w]


def _ranked(name: str, choices: list[tuple[str, Any]]) -> list[Any]:
    return [item for score, item in _scored(name, choices) if score >= FUZZY_SCORE / 2]


def _winners(name: str, choices: list[tuple[str, Any]]) -> list[Any]:
    """The closest choice when it is close enough and clearly ahead of the next one; else the
    close ones (several: ambiguous), or none."""
    scored = [(s, i) for s, i in _scored(name, choices) if s >= FUZZY_SCORE]
    if not scored:
        return []
    if len(scored) == 1 or scored[0][0] - scored[1][0] >= MARGIN:
        return [scored[0][1]]
    return [i for s, i in scored if scored[0][0] - s < MARGIN]
