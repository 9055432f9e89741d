"""Links and images in a note's inline content, and the HTML anchors a link can point at.

Part of the one parse of :mod:`notes_tool.model.document`, which reads them on first use
(:attr:`Note.links <notes_tool.model.document.Note.links>`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from notes_tool.model.inline import inline

HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
"""An ``id`` or ``name`` attribute in HTML: an anchor GitHub keeps."""


@dataclass(frozen=True)
class Link:
    """A link or image in the prose, with the line it is on."""

    href: str
    text: str
    line: int
    image: bool
    region: str | None
    """The generated region it sits in, if any."""
    heading: bool = False
    """Written in a heading."""


def links_in(first: int, content: str, env: dict[str, Any], in_heading: bool, region: str | None) -> list[Link]:
    """The links and images of one block's inline source, which starts on line ``first``."""
    line = first
    found: list[Link] = []
    stack: list[tuple[str, int, list[str]]] = []
    for child in inline(content, env):
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            stack.append((str(child.attrs.get("href", "")), line, []))
        elif child.type == "link_close" and stack:
            href, at, parts = stack.pop()
            found.append(Link(href, "".join(parts), at, False, region, in_heading))
        elif child.type == "image":
            found.append(Link(str(child.attrs.get("src", "")), child.content, line, True, region, in_heading))
        elif stack and child.type in ("text", "text_special", "code_inline"):
            stack[-1][2].append(child.content)
    return found
