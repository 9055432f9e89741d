"""Finding where in a video each section of a note is discussed, from the video's transcript.

The method, in pure Python:

1. Words: lower-cased, common English words left out, a crude stem (``volumes``, ``volume``).
2. The transcript as windows: two starting at each phrase, ``WINDOW`` and ``FOLLOW`` seconds long.
3. Each section (its heading counting three times, its text, its code) and each window as
   TF-IDF vectors (word rarity counted over the short windows); their cosine is how well the
   window talks about the section. A start is scored on both its windows, the long one weighing
   ``FOLLOW_WEIGHT`` times the short: talk about a section runs on past its first words, and
   a start followed by more of it is nearer where that talk begins (measured in
   ``bench/align.py``: 72 % -> 81 % of sections within 30 s, with text).
4. One dynamic programme picks a start for each section such that starts go up in note order,
   maximising the summed scores; a section may get none (research of your own the video never
   covers): it is better left out than given a window that barely matches (``FLOOR``). A time
   typed in a heading is a fact: that section's start is fixed there, and the others fit around.
5. Confidence: the chosen window's score against the section's best anywhere.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

WINDOW = 45
"""Seconds of transcript a section's start is scored on..."""
FOLLOW = 120
"""...and the longer stretch after it, which counts ``FOLLOW_WEIGHT`` times as much."""
FOLLOW_WEIGHT = 2.0
FLOOR = 0.08
"""Below this cosine a window does not talk about the section at all."""
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a about after again all also am an and any are as at be because been before being but by can
    could did do does doing done for from get go going got had has have he her here him his how i if
    in into is it its just know let like me more my no not now of off ok okay on one or our out over
    really right say see so some something that the their them then there these they thing things
    this those through to too up us very want was we well were what when where which while who why
    will with would yeah yes you your""".split()
)


@dataclass(frozen=True)
class Found:
    """Where a section starts in the video (None: not found), and how sure that is (0 to 1)."""

    seconds: int | None
    confidence: float
    typed: bool = False


def words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def align(
    sections: list[tuple[str, str]], phrases: list[tuple[int, str]], fixed: dict[int, int] | None = None
) -> list[Found]:
    """Where each of ``sections`` (``(heading, text)``, in note order) starts in the transcript
    ``phrases`` (``(seconds, words)``, in time order); ``fixed``: section index -> typed time."""
    fixed = fixed or {}
    if not phrases:
        return [Found(fixed.get(i), 1.0 if i in fixed else 0.0, i in fixed) for i in range(len(sections))]
    starts = [start for start, _ in phrases]
    spoken = [Counter(words(text)) for _, text in phrases]
    windows, follows = _windows(starts, spoken, WINDOW), _windows(starts, spoken, FOLLOW)
    documents = Counter(w for window in windows for w in window)
    idf = {w: math.log(1 + len(windows) / n) for w, n in documents.items()}
    near = [_vector(window, idf) for window in windows]
    after = [_vector(window, idf) for window in follows]
    scores: list[list[float]] = []
    for heading, text in sections:
        vector = _vector(Counter(words(heading) * 3 + words(text)), idf)
        scores.append(
            [
                (_cosine(vector, a) + FOLLOW_WEIGHT * _cosine(vector, b)) / (1 + FOLLOW_WEIGHT)
                for a, b in zip(near, after, strict=True)
            ]
        )
    for i, seconds in fixed.items():  # a typed time: that position, and no other
        nearest = min(range(len(starts)), key=lambda k: abs(starts[k] - seconds))
        scores[i] = [10.0 if k == nearest else -math.inf for k in range(len(starts))]
    found = []
    for i, position in enumerate(_in_order(scores)):
        if i in fixed:
            found.append(Found(fixed[i], 1.0, True))
        elif position is None:
            found.append(Found(None, 0.0))
        else:
            score, best = scores[i][position], max(scores[i])
            found.append(Found(starts[position], round(min(1.0, score / best) * min(1.0, score / 0.3), 2)))
    return found


def _windows(starts: list[int], spoken: list[Counter[str]], seconds: int) -> list[Counter[str]]:
    """The words said in the ``seconds`` from each phrase's start."""
    windows = []
    for j, start in enumerate(starts):
        window: Counter[str] = Counter()
        for counts in spoken[j : bisect_left(starts, start + seconds, j + 1)]:
            window.update(counts)
        windows.append(window)
    return windows


def _vector(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    return {w: n * idf[w] for w, n in counts.items() if w in idf}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(value * b.get(w, 0.0) for w, value in a.items())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def _in_order(scores: list[list[float]]) -> list[int | None]:
    """A position for each section (or None), positions strictly going up, total score largest.

    ``best[i][j]``: the largest total of the first ``i`` sections using positions below ``j``.
    """
    n, m = len(scores), len(scores[0])
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    took = [[False] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, before, score = best[i], best[i - 1], scores[i - 1]
        fixed_here = max(score) >= 10.0
        row[0] = before[0] if not fixed_here else -math.inf
        for j in range(1, m + 1):
            take = before[j - 1] + score[j - 1] if score[j - 1] >= FLOOR else -math.inf
            keep = row[j - 1]
            skip = before[j] if not fixed_here else -math.inf
            if take >= keep and take >= skip:
                row[j], took[i][j] = take, True
            else:
                row[j] = max(keep, skip)
    chosen: list[int | None] = [None] * n
    j = m
    for i in range(n, 0, -1):
        while j > 0 and not took[i][j] and best[i][j] == best[i][j - 1]:
            j -= 1
        if j > 0 and took[i][j]:
            chosen[i - 1] = j - 1
            j -= 1
    return chosen
