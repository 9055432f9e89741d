"""Text on one line: what counts as a control character, and how one is shown.

Two rules, used everywhere:

- text the tool *writes* on one line (a title in the course index or a nav link, a heading, a
  cheat-sheet caption, a transcript phrase) and text it *reads* as such (front matter, settings)
  holds no control character: :func:`control_problem` says which, and the caller refuses it
  with ``path:line``;
- text the tool *prints* (paths, anchors, titles, messages) goes through :func:`one_line`,
  which shows every control character as a visible escape (``\\n``, ``\\r``, ``\\t``,
  ``\\x1b``, ``\\u2028``): whatever a file name or a link holds, a printed line never breaks in
  two, never starts a workflow command (``::add-mask::``) and never reaches the terminal as an
  escape sequence. Backslashes themselves are printed as they are.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""C0 and C1 control characters (line breaks, tab, ESC, BEL, DEL, NEL, CSI...) and the Unicode
line and paragraph separators."""

_CONTROL_BUT_TAB = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

EXCERPT = 60
"""At most this many characters of a bad value are quoted in a message."""


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` with each control character shown as a visible escape (``a\\nb`` -> ``a\\\\nb``)."""
    return CONTROL.sub(_shown, text) if CONTROL.search(text) else text


def lines(text: str) -> str:
    """Several lines of output (a diff, a page): each line kept, every other control character
    inside a line (CR, ESC, BEL...) shown as an escape."""
    return "\n".join(one_line(line) for line in text.split("\n"))


def control_problem(text: str, tab: bool = False) -> str | None:
    """What is wrong with ``text`` as one line of text (None when nothing is). ``tab``: a tab
    is fine (a heading's text, written on its own line as the user typed it: GitHub keeps it)."""
    match = (_CONTROL_BUT_TAB if tab else CONTROL).search(text)
    if match is None:
        return None
    return f"holds a line break or control character ({one_line(match.group())} at column {match.start() + 1})"


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """``repr(value)`` cut to about ``limit`` characters, on one line: a message quotes a bad
    value without printing all of it (a YAML alias bomb expands to megabytes)."""
    if isinstance(value, (str, bytes)) and len(value) > limit * 4:
        value = value[: limit * 4]  # (repr of a huge string is itself huge)
    text = one_line(_short_repr(value, limit))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_repr(value: object, limit: int) -> str:
    """repr of ``value``, built no further than ``limit`` characters for lists and dicts (a
    structure of shared references can stand for billions of items)."""
    if isinstance(value, (list, tuple, dict)):
        items = value.items() if isinstance(value, dict) else value
        open_, close = ("{", "}") if isinstance(value, dict) else ("[", "]")
        parts: list[str] = []
        size = 1
        for item in items:
            if size > limit:
                parts.append("…")
                break
            if isinstance(item, tuple) and isinstance(value, dict):
                part = f"{_short_repr(item[0], limit)}: {_short_repr(item[1], limit - size)}"
            else:
                part = _short_repr(item, limit - size)
            parts.append(part)
            size += len(part) + 2
        return open_ + ", ".join(parts) + close
    return repr(value)
