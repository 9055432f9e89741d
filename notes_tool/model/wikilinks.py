"""``[[wikilinks]]`` in a note's prose: the markdown-it inline rule that finds them, and their
places on the note's lines. The note model (:mod:`notes_tool.model.document`) parses with it;
every other reading of a note sees ``[[x]]`` as the literal text GitHub shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

_LINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")
_HTML_OPEN = re.compile(
    r"^<(?!(?:area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b)[A-Za-z][^>]*(?<!/)>$", re.I
)
_HTML_CLOSE = re.compile(r"^</[A-Za-z]")


def rule(state: Any, silent: bool) -> bool:
    """markdown-it inline rule: ``[[target]]`` or ``[[target|label]]`` on one line, not after
    ``!`` (an embed) nor before ``(`` or ``[`` (then it is a link whose text is ``[target]``).
    Code spans, autolinks and HTML are consumed by their own rules before it ever sees them."""
    pos = state.pos
    src: str = state.src
    if silent:  # (a link's label being measured: `[see [[x]]](url)` stays the link GitHub sees)
        return False
    if not src.startswith("[[", pos) or (pos > 0 and src[pos - 1] == "!"):
        return False
    match = _LINK.match(src, pos, state.posMax)
    if match is None or (match.end() < state.posMax and src[match.end()] in "(["):
        return False
    token = state.push("wikilink", "", 0)
    token.content = match.group(0)
    token.meta = {"start": pos}
    state.pos = match.end()
    return True


@dataclass(frozen=True)
class WikiLink:
    """A ``[[target]]`` or ``[[target|label]]`` typed in the prose: not in code, HTML, a heading,
    a link's text or a generated region."""

    raw: str
    """As written, brackets included."""
    target: str
    """What it names: ``Heading``, ``Note title``, ``02``, ``02#Heading``, ``#Heading``."""
    label: str | None
    """The text after ``|``, if any."""
    line: int
    column: int
    """Where ``raw`` starts on its line (zero-based, in characters)."""


def find(lines: list[str], token: Token, env: dict[str, Any], md: MarkdownIt) -> list[WikiLink]:
    """The wikilinks of one block's inline source, placed on the note's lines (outside links and
    inline HTML elements; one whose place on its line cannot be found exactly is left out)."""
    assert token.map is not None
    content = token.content
    children: list[Token] = []
    md.inline.parse(content, md, env, children)
    found: list[WikiLink] = []
    depth = 0
    for child in children:
        if child.type in ("link_open", "link_close"):
            depth += 1 if child.type == "link_open" else -1
        elif child.type == "html_inline":
            depth += 1 if _HTML_OPEN.match(child.content) else -1 if _HTML_CLOSE.match(child.content) else 0
        elif child.type == "wikilink" and depth <= 0:
            start = child.meta["start"]
            first = content.rfind("\n", 0, start) + 1
            end = content.find("\n", start)
            number = token.map[0] + content.count("\n", 0, start)
            if number >= len(lines):
                continue
            source = lines[number].rstrip("\r\n")
            base = source.find(content[first : end if end >= 0 else len(content)])
            column = base + start - first
            if base < 0 or source[column : column + len(child.content)] != child.content:
                continue
            target, _, label = child.content[2:-2].partition("|")
            found.append(WikiLink(child.content, target.strip(), label.strip() or None, number, column))
    return found
