"""Two ways of placing a note's sections in a transcript, in note order, from score matrices.

Both are pure: ``scores[i][p]`` says how well section ``i`` fits phrase ``p``; neither knows
about words or seconds. :mod:`notes_tool.generate.align` computes the scores and decides what
to believe.

- :func:`segment` labels *every* phrase with a section or with a gap: sections in note order, each
  one run of phrases at most. A section's moment is the first phrase of its run.
- :func:`points` picks one phrase per section (or none), phrases strictly going up.

In both, ``fixed`` maps a section to the phrase a typed time put it at: it starts exactly there
and is never left out; positions of fixed sections must go up in note order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

_NEG = -math.inf


@dataclass(frozen=True)
class Labelling:
    """A phrase's section (None: a gap) for every phrase, and the total it earns."""

    labels: list[int | None]
    total: float

    def firsts(self, sections: int) -> list[int | None]:
        """The first phrase of each section's run (None: the section has none)."""
        first: list[int | None] = [None] * sections
        for p, label in enumerate(self.labels):
            if label is not None and first[label] is None:
                first[label] = p
        return first


def segment(
    earn: Sequence[Sequence[float]], enter: Sequence[Sequence[float]], fixed: dict[int, int] | None = None
) -> Labelling:
    """The labelling with the largest total: phrase ``p`` in section ``i`` earns ``earn[i][p]``,
    a run of section ``i`` starting at ``p`` adds ``enter[i][p]``, a gap earns nothing.

    States after each phrase: ``inside[i]`` (the phrase is in section ``i``) and ``gap[k]`` (it is
    in a gap, ``k`` sections entered or skipped before it may come next: sections ``>= k``).
    Entering ``i`` from ``inside[k]`` (``k < i``) or ``gap[k]`` (``k <= i``) is a running maximum
    over ``k``, restarted at each fixed section (none may be skipped): O(sections x phrases).
    """
    fixed = fixed or {}
    n, m = len(earn), len(earn[0]) if earn else 0
    if n == 0 or m == 0:
        return Labelling([None] * m, 0.0)
    last_fixed = max(fixed, default=-1)
    inside, gap = [_NEG] * n, [_NEG] * (n + 1)
    gap[0] = 0.0
    # back[p][i]: how inside[i] was reached at p: -1 stayed; k >= 0 from inside[k]; -(k + 2) from gap[k]
    back: list[list[int]] = []
    back_gap: list[list[bool]] = []  # back_gap[p][k]: gap[k] at p came from inside[k - 1]
    for p in range(m):
        new_in, how = [_NEG] * n, [-1] * n
        run, run_from = _NEG, -1
        for i in range(n):
            if gap[i] > run:
                run, run_from = gap[i], -(i + 2)
            start = fixed.get(i)
            may_enter = start is None or start == p
            stay = inside[i] if start != p else _NEG
            entering = run + enter[i][p] if may_enter and run > _NEG else _NEG
            if entering > stay:
                new_in[i], how[i] = entering + earn[i][p], run_from
            elif stay > _NEG:
                new_in[i] = stay + earn[i][p]
            if i in fixed or inside[i] > run:  # nothing before a fixed section may jump past it
                run, run_from = inside[i], i
        new_gap, came = gap[:], [False] * (n + 1)
        for k in range(1, n + 1):
            if inside[k - 1] > new_gap[k]:
                new_gap[k], came[k] = inside[k - 1], True
        back.append(how)
        back_gap.append(came)
        inside, gap = new_in, new_gap
    ends = [(inside[i], True, i) for i in range(max(last_fixed, 0), n)]
    ends += [(gap[k], False, k) for k in range(last_fixed + 1, n + 1)]
    total, in_section, k = max(ends, key=lambda e: e[0])
    return Labelling(_trace(back, back_gap, in_section, k), total)


def _trace(back: list[list[int]], back_gap: list[list[bool]], in_section: bool, k: int) -> list[int | None]:
    labels: list[int | None] = [None] * len(back)
    for p in range(len(back) - 1, -1, -1):
        if in_section:
            labels[p] = k
            how = back[p][k]
            if how >= 0:
                k = how
            elif how <= -2:
                in_section, k = False, -how - 2
        elif back_gap[p][k]:
            in_section, k = True, k - 1
    return labels


def points(scores: Sequence[Sequence[float]], floor: float, fixed: dict[int, int] | None = None) -> list[int | None]:
    """A phrase for each section (or None), phrases strictly going up, the summed score largest;
    a phrase scoring below ``floor`` is never taken.

    ``best[i][j]``: the largest total of the first ``i`` sections using phrases below ``j``.
    """
    fixed = fixed or {}
    n, m = len(scores), len(scores[0]) if scores else 0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    took = [[False] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, before, score, at = best[i], best[i - 1], scores[i - 1], fixed.get(i - 1)
        row[0] = before[0] if at is None else _NEG
        for j in range(1, m + 1):
            if at is None:
                take = before[j - 1] + score[j - 1] if score[j - 1] >= floor else _NEG
                skip = before[j]
            else:  # a fixed section takes its phrase and no other, and is never left out
                take = before[j - 1] if at == j - 1 else _NEG
                skip = _NEG
            keep = row[j - 1]
            if take > _NEG and take >= keep and take >= skip:
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
