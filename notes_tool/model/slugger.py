"""GitHub's heading anchors, as github-slugger computes them.

GitHub lower-cases the heading's rendered text, removes every character of the Unicode general
categories below (keeping letters, marks, numbers other than "Other_Number", ``_``, ``-`` and the
plain space), and turns each space into ``-``, without trimming or collapsing. Repeats get ``-1``,
``-2``... and a generated slug that collides with an earlier one is bumped again.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_REMOVED_CATEGORIES = frozenset(
    {
        "No",  # Other_Number
        "Pe", "Pf", "Pi", "Ps", "Po", "Pd",  # punctuation, except Connector ("_")
        "Sm", "Sc", "Sk", "So",  # symbols
        "Cc", "Co", "Cf", "Cn", "Cs",  # control, private use, format, unassigned, surrogates
        "Zs", "Zl", "Zp",  # separators
    }
)  # fmt: skip

# Symbols that Unicode also calls Alphabetic (circled and squared letters): github-slugger keeps
# them. Python's unicodedata does not expose the Alphabetic property, so they are listed here.
_ALPHABETIC_SYMBOLS = (
    (0x24B6, 0x24E9),  # CIRCLED LATIN CAPITAL/SMALL LETTER A..Z
    (0x1F130, 0x1F149),  # SQUARED LATIN CAPITAL LETTER A..Z
    (0x1F150, 0x1F169),  # NEGATIVE CIRCLED LATIN CAPITAL LETTER A..Z
    (0x1F170, 0x1F189),  # NEGATIVE SQUARED LATIN CAPITAL LETTER A..Z
)


@lru_cache(maxsize=4096)
def _removed(char: str) -> bool:
    if char in " -":
        return False
    if unicodedata.category(char) not in _REMOVED_CATEGORIES:
        return False
    code = ord(char)
    return not any(low <= code <= high for low, high in _ALPHABETIC_SYMBOLS)


def slug(text: str) -> str:
    """The anchor for one heading's plain text, without the duplicate suffix."""
    lowered = text.lower()
    if lowered.isascii():
        # Fast path: ASCII keeps only letters, digits, "_", "-" and " ".
        kept = "".join(c for c in lowered if c.isalnum() or c in "_- ")
    else:
        kept = "".join(c for c in lowered if not _removed(c))
    return kept.replace(" ", "-")


class Slugger:
    """Hands out unique anchors in document order, exactly as github-slugger does."""

    def __init__(self) -> None:
        self._occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        original = slug(text)
        result = original
        while result in self._occurrences:
            self._occurrences[original] += 1
            result = f"{original}-{self._occurrences[original]}"
        self._occurrences[result] = 0
        return result
