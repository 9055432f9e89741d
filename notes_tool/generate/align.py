"""Finding where in a video each section of a note is discussed, from the video's transcript.

The method, in pure Python (measured in ``bench/align.py``):

1. Words: lower-cased, common English words left out, Snowball stems (PyStemmer, a C extension,
   or else the pure-Python ``snowballstemmer``: the same algorithm).
2. TF-IDF vectors of each section (its heading counting three times, its text, its code) and of
   three windows of the transcript at each phrase, counted by sliding (a phrase's words are added
   as it enters a window and taken out as it leaves): the ``WINDOW`` and ``FOLLOW`` seconds from
   the phrase (a *start* score: talk about a section runs on past its first words, so the longer
   stretch counts ``FOLLOW_WEIGHT`` times as much) and ``CENTRE`` seconds either side of it (what
   the phrase is *about*).
3. A segmentation (:func:`notes_tool.generate.segment.segment`): every phrase is labelled with a
   section, in note order, or with a gap; a phrase in a section earns its "about" score less
   ``TAU`` (times its length), a run's first phrase earns ``START`` times its start score. A
   section's moment is the first phrase of its run; a section with no run (research of your own
   the video never covers) has none. A typed time fixes its section's run start.
4. Evidence for believing a moment: the old one-point-per-section choice
   (:func:`notes_tool.generate.segment.points`, on the start scores) lands within ``AGREE``
   seconds of it, and the confidence (its start score against the section's best anywhere, and
   against ``SURE``) is high. ``candidates``: other places the section could start, for review.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from notes_tool.generate.segment import points, segment

WINDOW = 45
"""Seconds of transcript a section's start is scored on..."""
FOLLOW = 120
"""...and the longer stretch after it, which counts ``FOLLOW_WEIGHT`` times as much."""
FOLLOW_WEIGHT = 2.0
HEADING = 3
"""A section's heading words count this many times its text's."""
FLOOR = 0.08
"""Below this start score a phrase cannot start the section."""
CENTRE = 20
"""Seconds either side of a phrase that say what it is about."""
TAU = 0.08
"""Below this "about" score, labelling a phrase with the section costs."""
START = 3.0
"""Weight of the start score at a section's first phrase."""
AGREE = 15
"""Seconds: the segmentation and the point choice agree when this near."""
SURE = 0.3
"""A start score this high is as sure as a start score gets."""
SPREAD = 30
"""Seconds: candidates for a section are at least this far apart."""
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a about after again all also am an and any are as at be because been before being but by can
    could did do does doing done for from get go going got had has have he her here him his how i if
    in into is it its just know let like me more my no not now of off ok okay on one or our out over
    really right say see so some something that the their them then there these they thing things
    this those through to too up us very want was we well were what when where which while who why
    will with would yeah yes you your""".split()
)


def _stemmer() -> Callable[[str], str]:
    try:  # a C extension, 0.4 MB
        import Stemmer  # type: ignore[import-not-found,unused-ignore]

        return Stemmer.Stemmer("english").stemWord  # type: ignore[no-any-return,unused-ignore]
    except ImportError:  # pragma: no cover - where no wheel of PyStemmer builds
        import snowballstemmer  # type: ignore[import-untyped,unused-ignore]

        return snowballstemmer.stemmer("english").stemWord  # type: ignore[no-any-return]


_stem = _stemmer()
_stems: dict[str, str] = {}


@dataclass(frozen=True)
class Found:
    """Where a section starts in the video (None: not found), how sure that is (0 to 1), whether
    the independent point choice agrees, and other places it could start (seconds, best first)."""

    seconds: int | None
    confidence: float
    typed: bool = False
    agree: bool = False
    candidates: tuple[int, ...] = field(default=())
    rival: float = 0.0
    """The start score of the best candidate, against the chosen moment's (1: as good): of those
    no other section's run holds, and not in the ``WINDOW`` seconds before it (a start just
    before scores on the same talk)."""
    length: int = 0
    """Seconds from the moment to the next section's (to past the end for the last)."""
    about: float = 0.0
    """How much the talk right around the moment (``CENTRE`` seconds either side) is about the
    section: the cosine of the two."""


def words(text: str) -> list[str]:
    found = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) <= 1:
            continue
        stem = _stems.get(word)
        if stem is None:
            stem = _stems[word] = _stem(word)
        found.append(stem)
    return found


def align(
    sections: list[tuple[str, str]], phrases: list[tuple[int, str]], fixed: dict[int, int] | None = None
) -> list[Found]:
    """Where each of ``sections`` (``(heading, text)``, in note order) starts in the transcript
    ``phrases`` (``(seconds, words)``, in time order); ``fixed``: section index -> typed time
    (typed times must go up in note order)."""
    fixed = fixed or {}
    if not phrases or not sections:
        return [Found(fixed.get(i), 1.0 if i in fixed else 0.0, i in fixed) for i in range(len(sections))]
    starts = [start for start, _ in phrases]
    starting, about = _scores(sections, phrases)
    at = _fixed_phrases(fixed, starts)
    durations = [min(120.0, max(1.0, b - a)) for a, b in zip(starts, [*starts[1:], starts[-1] + 10], strict=True)]
    mean = sum(durations) / len(durations)
    earn = [[(r - TAU) * d / mean for r, d in zip(row, durations, strict=True)] for row in about]
    enter = [[START * s if s >= FLOOR else -START for s in row] for row in starting]
    labelling = segment(earn, enter, at)
    firsts = labelling.firsts(len(sections))
    point = points(starting, FLOOR, at)
    return [
        Found(fixed[i], 1.0, True, True)
        if i in fixed
        else _evidence(i, firsts, labelling.labels, point[i], (starting[i], about[i]), starts)
        for i in range(len(sections))
    ]


def _evidence(
    i: int,
    firsts: list[int | None],
    labels: list[int | None],
    point: int | None,
    scores: tuple[list[float], list[float]],
    starts: list[int],
) -> Found:
    """Section ``i``'s moment (the first phrase of its run) and what speaks for it."""
    starting, about = scores
    position = firsts[i]
    if position is None:
        # (anywhere: a section the learner moved out of the video's order is found in review)
        return Found(None, 0.0, candidates=_candidates(starting, starts, None, (None, None)))
    score, best = starting[position], max(starting)
    confidence = min(1.0, score / best) * min(1.0, score / SURE) if best > 0 and score > 0 else 0.0
    agree = point is not None and abs(starts[point] - starts[position]) <= AGREE
    after = _neighbour(firsts, i, 1)
    near = _candidates(starting, starts, position, (_neighbour(firsts, i, -1), after))
    rivals = [
        starting[k]
        for c in near
        if labels[k := bisect_left(starts, c)] in (None, i) and not 0 < starts[position] - c < WINDOW
    ]
    rival = max(rivals, default=0.0) / score if score > 0 else 1.0
    length = (starts[after] if after is not None else starts[-1] + 10 + WINDOW) - starts[position]
    return Found(
        starts[position], round(confidence, 2), False, agree, near, round(rival, 2), length, round(about[position], 3)
    )


def _scores(sections: list[tuple[str, str]], phrases: list[tuple[int, str]]) -> tuple[list[list[float]], ...]:
    """Each section's start score and "about" score at each phrase.

    A cosine of a section with a window is a sum over the window's phrases (each phrase's words
    against the section's) divided by the window's length as a vector: so each section scores
    every phrase once (through an index of the phrases holding each word), and a window is a
    difference of running totals. The windows' lengths are counted once, by sliding."""
    starts = [start for start, _ in phrases]
    spoken = [Counter(words(text)) for _, text in phrases]
    near = [(j, bisect_left(starts, s + WINDOW, j + 1)) for j, s in enumerate(starts)]
    after = [(j, bisect_left(starts, s + FOLLOW, j + 1)) for j, s in enumerate(starts)]
    around = [
        (bisect_left(starts, s - CENTRE), max(bisect_right(starts, s + CENTRE), j + 1)) for j, s in enumerate(starts)
    ]
    held: dict[str, list[tuple[int, int]]] = {}
    for p, counts in enumerate(spoken):
        for w, n in counts.items():
            held.setdefault(w, []).append((p, n))
    idf = _idf(held, near)
    lengths = [_lengths(spoken, spans, idf) for spans in (near, after, around)]
    starting, about = [], []
    for heading, text in sections:
        query = _unit(Counter(words(heading) * HEADING + words(text)), idf)
        said = [0.0] * len(phrases)
        for w, x in query.items():
            weight = x * idf[w]
            for p, n in held[w]:
                said[p] += weight * n
        total = list(accumulate(said, initial=0.0))
        a, b, c = (_cosines(total, spans, length) for spans, length in zip((near, after, around), lengths, strict=True))
        starting.append([(x + FOLLOW_WEIGHT * y) / (1 + FOLLOW_WEIGHT) for x, y in zip(a, b, strict=True)])
        about.append(c)
    return starting, about


def _idf(held: dict[str, list[tuple[int, int]]], spans: list[tuple[int, int]]) -> dict[str, float]:
    """How rare each word is among the windows ``spans`` (each ``[j, end)``, ends never going
    down): the phrase ``k`` lies in windows ``first(k)..k``, so a word's windows are a union of
    such runs, counted without building a window."""
    ends = [end for _, end in spans]
    idf = {}
    for w, places in held.items():
        windows, last = 0, -1
        for k, _ in places:
            first = max(bisect_right(ends, k), last + 1)
            windows += k - first + 1
            last = k
        idf[w] = math.log(1 + len(spans) / windows)
    return idf


def _lengths(spoken: list[Counter[str]], spans: list[tuple[int, int]], idf: dict[str, float]) -> list[float]:
    """Each window's length as a TF-IDF vector, by sliding: a phrase's words are added once as it
    enters and taken out once as it leaves, the sum of squares kept up to date."""
    lengths: list[float] = []
    counts: Counter[str] = Counter()
    squares = 0.0
    lo = hi = 0
    for a, b in spans:
        while hi < b:
            for w, n in spoken[hi].items():
                old = counts[w]
                counts[w] = old + n
                squares += idf[w] ** 2 * ((old + n) ** 2 - old**2)
            hi += 1
        while lo < a:
            for w, n in spoken[lo].items():
                old = counts[w]
                counts[w] = old - n
                squares += idf[w] ** 2 * ((old - n) ** 2 - old**2)
            lo += 1
        lengths.append(math.sqrt(squares) if squares > 1e-9 else 0.0)
    return lengths


def _cosines(total: list[float], spans: list[tuple[int, int]], lengths: list[float]) -> list[float]:
    return [(total[b] - total[a]) / n if n else 0.0 for (a, b), n in zip(spans, lengths, strict=True)]


def _unit(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vector = {w: n * idf[w] for w, n in counts.items() if w in idf}
    norm = math.sqrt(sum(x * x for x in vector.values()))
    return {w: x / norm for w, x in vector.items()} if norm else vector


def _fixed_phrases(fixed: dict[int, int], starts: list[int]) -> dict[int, int]:
    """The phrase nearest each typed time; one that would not come after the typed time before it
    (two typed times on one phrase) only keeps its time, it does not constrain the others."""
    at: dict[int, int] = {}
    last = -1
    for i in sorted(fixed):
        k = bisect_left(starts, fixed[i])
        if k > 0 and (k == len(starts) or fixed[i] - starts[k - 1] <= starts[k] - fixed[i]):
            k -= 1
        if k > last:
            at[i], last = k, k
    return at


def _neighbour(firsts: list[int | None], i: int, step: int) -> int | None:
    k = i + step
    while 0 <= k < len(firsts):
        if firsts[k] is not None:
            return firsts[k]
        k += step
    return None


def _candidates(
    score: list[float], starts: list[int], chosen: int | None, bounds: tuple[int | None, int | None]
) -> tuple[int, ...]:
    """Up to three other starts for a section, between its neighbours' moments, best first,
    ``SPREAD`` seconds from the chosen one and from each other."""
    lo = 0 if bounds[0] is None else bounds[0] + 1
    hi = len(starts) if bounds[1] is None else bounds[1]
    taken = [starts[chosen]] if chosen is not None else []
    picked: list[int] = []
    for p in sorted(range(lo, hi), key=lambda k: -score[k]):
        if score[p] < FLOOR or len(picked) == 3:
            break
        if all(abs(starts[p] - t) >= SPREAD for t in taken):
            taken.append(starts[p])
            picked.append(starts[p])
    return tuple(picked)
