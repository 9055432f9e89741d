"""A three-way merge by lines, for a save that landed in a file our write had replaced."""

from __future__ import annotations

import difflib
import itertools


def merge_lines(base: bytes, theirs: bytes, current: bytes) -> bytes | None:
    """``current`` with the changes that turned ``base`` into ``theirs`` applied (a three-way
    merge by lines); None when a change touches lines that ``current`` changed too.

    What ``current`` already holds of a change is not added again: a save that went into a
    file we had replaced, followed by a newer save of the same editor (its buffer holds the
    older text too), must not have that text twice. The latest save wins, nothing is lost."""
    old, new, now = base.splitlines(keepends=True), theirs.splitlines(keepends=True), current.splitlines(keepends=True)
    where = _kept(old, now)
    try:
        edits = sorted(
            edit
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
            if tag != "equal" and (edit := _placed(where, old, now, (i1, i2), new[j1:j2])) is not None
        )
    except _Conflict:
        return None
    if any(start < end for (_, end, _), (start, _, _) in itertools.pairwise(edits)):
        return None  # two changes into one stretch of ``current``: not placed with confidence
    for start, end, lines in reversed(edits):
        now[start:end] = lines
    return b"".join(now)


class _Conflict(Exception):
    """A change to lines that ``current`` changed too."""


def _kept(old: list[bytes], now: list[bytes]) -> dict[int, int]:
    """The lines of ``old`` kept in ``now``: their index there."""
    where: dict[int, int] = {}
    for start, at, size in difflib.SequenceMatcher(None, old, now, autojunk=False).get_matching_blocks():
        where.update({start + k: at + k for k in range(size)})
    return where


def _placed(
    where: dict[int, int], old: list[bytes], now: list[bytes], span: tuple[int, int], lines: list[bytes]
) -> tuple[int, int, list[bytes]] | None:
    """Where in ``now`` the change of ``old[i1:i2]`` into ``lines`` goes, and what it puts there
    (lines from, lines to, their new text); None when ``now`` made it already, the same way;
    :class:`_Conflict` when the lines it changes are no longer there, in one run."""
    i1, i2 = span
    above = max((where[i] for i in range(i1) if i in where), default=-1)
    below = min((where[i] for i in range(i2, len(old)) if i in where), default=len(now))
    stretch = now[above + 1 : below]
    """What ``now`` holds between the kept lines around the change."""
    if i1 == i2:  # lines added: at the end, or before a kept line, go after the stretch (ours, regions)
        after = i1 == len(old) or i1 in where
        pre, post = (stretch, []) if after else ([], stretch)
    else:
        kept = [i for i in range(i1, i2) if i in where]
        if not kept and not _missing(stretch, lines):
            return None  # replaced or deleted in ``now`` already, the same way
        if len(kept) != i2 - i1 or where[i2 - 1] - where[i1] != i2 - 1 - i1:
            raise _Conflict  # lines replaced or deleted: each must still be there, in one run
        pre, post = now[above + 1 : where[i1]], now[where[i2 - 1] + 1 : below]
    return above + 1, below, pre + _missing(pre + post, lines) + post


def _missing(present: list[bytes], lines: list[bytes]) -> list[bytes]:
    """``lines`` without the runs of them that ``present`` already holds (a run of blank lines
    alone does not count as held: it is no one's text)."""
    out: list[bytes] = []
    matcher = difflib.SequenceMatcher(None, present, lines, autojunk=False)
    for tag, _, _, b1, b2 in matcher.get_opcodes():
        run = lines[b1:b2]
        if tag != "equal" or not any(line.strip() for line in run):
            out += run
    return out
