"""Small helpers that write Markdown text (never parse it)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")


def escape(text: str) -> str:
    """``text`` as literal Markdown inline text (safe inside a link's brackets)."""
    return _ESCAPE.sub(r"\\\1", text)


def link(text: str, href: str) -> str:
    return f"[{escape(text)}]({href})"


def href(target: Path, source_dir: Path, anchor: str = "") -> str:
    """A relative, URL-quoted link from a file in ``source_dir`` to ``target``."""
    # The common case (same folder) without os.path.relpath's cost.
    same = target.parent == source_dir
    relative = target.name if same else Path(os.path.relpath(target, source_dir)).as_posix()
    quoted = quote(relative, safe="/-_.~")
    return f"{quoted}#{anchor}" if anchor else quoted


def fence(content: str, info: str = "") -> str:
    """A fenced block opened with more backticks than any run inside ``content``."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = content if content.endswith("\n") or not content else content + "\n"
    return f"{ticks}{info}\n{body}{ticks}\n"
