"""How ``notes search`` orders the sections holding a question's words: a section whose heading
holds them comes before one that mentions them in passing.

bm25 alone sums each word's weight over a section's text: a long section saying ``groupby``
once beside ``spark`` and ``join`` outranks "GROUP BY in Spark" and "Joins in Spark", which
hold two of the three words each, in their headings. Here each word a section holds counts by
its rarity, and once more when its heading holds it; bm25's order breaks ties.

A pure function over what the index tells (which words each candidate holds, where); the search
feature asks the index and calls it.
"""

from __future__ import annotations

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
