"""A note's front matter: its YAML read with limits, and the values the tool writes kept to one line.

A clone brings its notes, so the YAML is untrusted: its size, its nesting and how far its
aliases expand are limited before PyYAML builds anything (a "billion laughs" of a few hundred
bytes, or 10,000 levels of nesting, otherwise cost gigabytes or a RecursionError), and a title
or video URL holding a line break or control character is refused, never written into the
course index, the nav or a cheat sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from notes_tool.errors import NoteError
from notes_tool.printable import control_problem

FRONT_MATTER_BYTES = 64 * 1024
"""Front matter larger than this is refused (a note's settings take a few lines)."""
FRONT_MATTER_DEPTH = 20
"""Lists and mappings nested deeper than this are refused (PyYAML builds them recursively)."""
FRONT_MATTER_NODES = 10_000
"""Values (aliases expanded) beyond this are refused: ``&a [*b, *b]`` chains double at each step,
a "billion laughs" that a 376-byte note turned into 34 MB of output."""


def _check_size(path: Path, content: str, first_line: int) -> None:
    """Refuse front matter too large, too deep or whose aliases expand too far, before PyYAML
    builds it (its parser reads events without recursion; its composer recurses)."""
    if len(content) > FRONT_MATTER_BYTES:
        raise NoteError(f"front matter: over {FRONT_MATTER_BYTES // 1024} KB", path, first_line + 1)
    sizes: dict[str, int] = {}
    frames: list[list[Any]] = [[0, None]]
    """Per open list or mapping: its values so far (aliases expanded), its anchor."""
    total = 0
    try:
        for event in yaml.parse(content, Loader=yaml.SafeLoader):
            line = first_line + 2 + (event.start_mark.line if event.start_mark is not None else 0)
            if isinstance(event, yaml.CollectionStartEvent):
                frames.append([1, event.anchor])
                total += 1
                if len(frames) - 1 > FRONT_MATTER_DEPTH:
                    raise NoteError(f"front matter: nested deeper than {FRONT_MATTER_DEPTH} levels", path, line)
            elif isinstance(event, yaml.CollectionEndEvent):
                size, anchor = frames.pop()
                if anchor is not None:
                    sizes[anchor] = size
                frames[-1][0] += size
            elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                size = sizes.get(event.anchor or "", 1) if isinstance(event, yaml.AliasEvent) else 1
                if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
                    sizes[event.anchor] = 1
                frames[-1][0] += size
                total += size
            if total > FRONT_MATTER_NODES:
                raise NoteError(
                    f"front matter: more than {FRONT_MATTER_NODES:,} values once its aliases are expanded", path, line
                )
    except yaml.YAMLError:
        return  # (the load below says what is wrong, with its line)


def load_front_matter(path: Path, content: str, first_line: int, lines: list[str]) -> dict[str, Any]:
    """The front matter's YAML (``content``, opening on zero-based ``first_line`` of the note's
    ``lines``) as a dict; a :class:`NoteError` with its line when it is bad or too big."""
    _check_size(path, content, first_line)
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + 2 + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise NoteError(f"front matter: {problem}", path, line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise NoteError("front matter must be a mapping of keys to values", path, first_line + 2)
    found = {str(key): value for key, value in data.items()}
    _check_text(path, found, lines, first_line, first_line + 1 + content.count("\n"))
    return found


ONE_LINE_KEYS = ("title", "video", "videos")
"""Front matter values the tool writes into notes and prints: each one line of text."""


def _check_text(path: Path, data: dict[str, Any], lines: list[str], start: int, end: int) -> None:
    """A title or video URL with a line break or control character (``"Evil\\n## Heading"``)
    would put lines the user never wrote into the course index, nav and cheat sheets: refused,
    as ``notes new`` and ``notes.toml`` refuse them."""
    for key in ONE_LINE_KEYS:
        value = data.get(key)
        for item in value if isinstance(value, list) else [value]:
            problem = control_problem(item) if isinstance(item, str) else None
            if problem is not None:
                at = (n + 1 for n in range(start + 1, min(end, len(lines))) if lines[n].lstrip("\"'").startswith(key))
                line = next(at, start + 1)
                raise NoteError(f"front matter: '{key}' {problem}; it must be one line of text", path, line)
