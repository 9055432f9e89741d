"""Small helpers that write Markdown text (never parse it)."""

from __future__ import annotations

import os
import re
from functools import lru_cache
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
    # Without os.path.relpath's cost in the common cases: the same folder, or a folder seen before.
    folder = target.parent
    if folder == source_dir:
        relative = target.name
    elif folder.is_absolute() and source_dir.is_absolute():  # (relative ones depend on the cwd)
        relative = _folder(folder, source_dir) + target.name
    else:
        relative = Path(os.path.relpath(target, source_dir)).as_posix()
    quoted = quote(relative, safe="/-_.~")
    return f"{quoted}#{anchor}" if anchor else quoted


@lru_cache(maxsize=64)
def _folder(folder: Path, source_dir: Path) -> str:
    """Absolute ``folder`` relative to absolute ``source_dir``, ending in ``/`` ("" for the same
    folder): a cheat sheet links to every note in the notes folder, and relpath costs ~10 µs."""
    relative = Path(os.path.relpath(folder, source_dir)).as_posix()
    return "" if relative == "." else relative + "/"


def fence(content: str, info: str = "") -> str:
    """A fenced block opened with more backticks than any run inside ``content``."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = content if content.endswith("\n") or not content else content + "\n"
    return f"{ticks}{info}\n{body}{ticks}\n"
