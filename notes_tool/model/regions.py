"""A note's HTML comment blocks, and the generated regions their markers enclose.

A region is ``<!-- notes:NAME -->`` ... ``<!-- /notes:NAME -->``, each marker an HTML comment
on a line of its own, outside lists and quotes; regions do not nest, and only the names in
:data:`REPEATABLE` may appear more than once. Part of the one parse of
:mod:`notes_tool.model.document`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from notes_tool.errors import NoteError

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_MARKER = re.compile(r"^\s*(/?)notes:([A-Za-z0-9_-]+)\s*$")
_OMIT = re.compile(r"^\s*omit (?:from|in) toc\s*$", re.IGNORECASE)


REPEATABLE = frozenset({"top", "nav"})
"""Region names that may appear many times in a note (a "back to the top" link per section; the
navigation above the note and below it)."""


@dataclass(frozen=True)
class Comment:
    """An HTML comment that is a block on its own line (``<!-- ... -->``)."""

    text: str
    """What is between ``<!--`` and ``-->``, stripped."""
    line: int
    nested: bool

    @property
    def omits_from_toc(self) -> bool:
        """``<!-- omit from toc -->``: the heading on the next line is left out of the TOC."""
        return _OMIT.match(self.text) is not None


@dataclass(frozen=True)
class Region:
    """A generated region: ``<!-- notes:NAME -->`` ... ``<!-- /notes:NAME -->``."""

    name: str
    start: int
    """Line of the opening marker."""
    end: int
    """Line of the closing marker; the body is ``start + 1 .. end``."""


def comment_of(token: Token, nested: bool) -> Comment | None:
    """The comment an HTML block is, when it is one comment on one line."""
    assert token.map is not None
    match = _COMMENT.fullmatch(token.content.strip())
    if match and token.map[1] - token.map[0] == 1:
        return Comment(match.group(1).strip(), token.map[0], nested)
    return None


def is_omit_comment(html: str) -> bool:
    """Whether inline HTML is ``<!-- omit from toc -->`` (written at the end of a heading)."""
    match = _COMMENT.fullmatch(html.strip())
    return match is not None and _OMIT.match(match.group(1)) is not None


def region_at(regions: list[Region], line: int) -> str | None:
    """The name of the region whose markers or body hold ``line``."""
    for region in regions:
        if region.start <= line <= region.end:
            return region.name
    return None


def find_regions(path: Path, comments: list[Comment]) -> list[Region]:
    """The regions the comments' markers make, in document order; a :class:`NoteError` for a
    marker out of place (nested, unclosed, mismatched, repeated)."""
    regions: list[Region] = []
    seen: set[str] = set()
    open_name: str | None = None
    open_line = 0
    for comment in comments:
        match = _MARKER.match(comment.text)
        if match is None:
            continue
        closing, name = match.group(1) == "/", match.group(2)
        if comment.nested:
            raise NoteError(f"region marker notes:{name} must not sit inside a list or quote", path, comment.line + 1)
        if not closing:
            _check_opening(path, name, comment.line, open_name, open_line, seen)
            open_name, open_line = name, comment.line
        else:
            _check_closing(path, name, comment.line, open_name, open_line)
            regions.append(Region(name, open_line, comment.line))
            seen.add(name)
            open_name = None
    if open_name is not None:
        raise NoteError(
            f"region notes:{open_name} is never closed (add <!-- /notes:{open_name} -->)",
            path,
            open_line + 1,
        )
    return regions


def _check_opening(path: Path, name: str, line: int, open_name: str | None, open_line: int, seen: set[str]) -> None:
    if open_name is not None:
        raise NoteError(
            f"region notes:{name} opens inside notes:{open_name} (opened on line {open_line + 1}); regions cannot nest",
            path,
            line + 1,
        )
    if name in seen and name not in REPEATABLE:
        raise NoteError(f"region notes:{name} appears twice", path, line + 1)


def _check_closing(path: Path, name: str, line: int, open_name: str | None, open_line: int) -> None:
    if open_name is None:
        raise NoteError(f"closing /notes:{name} without an opening marker", path, line + 1)
    if name != open_name:
        raise NoteError(
            f"closing /notes:{name} does not match notes:{open_name} opened on line {open_line + 1}",
            path,
            line + 1,
        )
