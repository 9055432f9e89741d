"""The note model's markdown-it parsers, and what it reads from inline tokens.

Only :mod:`notes_tool.model.document` and the pieces of its parse (:mod:`.headings`,
:mod:`.links`) use this module: nothing else scans Markdown. Block structure is parsed once
per note; inline content on demand, with :func:`inline`.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from notes_tool.model import wikilinks
from notes_tool.model.mdtext import escape


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    md.disable("inline")  # block structure only; inline content is parsed on demand
    # We never render HTML, so keep every link (markdown-it drops file: and data: ones as unsafe),
    # as written: no percent-encoding (a third of a link-heavy note's inline parse), so hrefs
    # compare with file names and slugs directly; code that resolves them unquotes, as GitHub does.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return md


MD = _markdown()
"""The parser of every note: commonmark, front matter, links kept as written."""

WIKI_MD = _markdown()
WIKI_MD.inline.ruler.before("link", "wikilink", wikilinks.rule)
"""The inline parser with ``[[wikilinks]]``: used only to find them (every other reading of a
note sees ``[[x]]`` as the literal text GitHub shows)."""


def inline(content: str, env: dict[str, Any]) -> list[Token]:
    """The inline tokens of one block's source (``env``: the note's reference definitions)."""
    children: list[Token] = []
    MD.inline.parse(content, MD, env, children)
    return children


def plain(children: list[Token]) -> str:
    """The text as rendered: code and links' text kept, marks, destinations and HTML gone."""
    parts = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def heading_text(children: list[Token]) -> str:
    """A heading's plain text as GitHub slugs it: code and links' text kept, images dropped."""
    return plain([c for c in children if c.type != "image"])


def toc_markdown(children: list[Token]) -> str:
    """Inline Markdown without links, images or HTML: safe as a TOC link's text."""
    parts = []
    for child in children:
        if child.type in ("text", "text_special"):
            parts.append(escape(child.content))
        elif child.type == "code_inline":
            ticks = "`" * (max((len(r) for r in re.findall("`+", child.content)), default=0) + 1)
            pad = " " if child.content.startswith("`") or child.content.endswith("`") else ""
            parts.append(f"{ticks}{pad}{child.content}{pad}{ticks}")
        elif child.type in ("em_open", "em_close", "strong_open", "strong_close"):
            parts.append(child.markup)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()
