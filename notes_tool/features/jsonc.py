"""Adding keys to VS Code's JSON-with-comments files without touching anything else in them.

VS Code's settings, tasks and snippets are JSONC: comments and trailing commas allowed. A user's
file is edited by inserting text only: new members before the closing brace of an object (or
new items before the closing bracket of an array), in the file's own indentation and line
endings; every existing byte, comments included, stays. (No Python library edits JSONC this
way without a JavaScript runtime; the parsing here is a tokenizer's worth, not a JSON parser:
values are read by :mod:`json` once the tokenizer has blanked out comments and trailing commas,
so both read the same structure.)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from notes_tool.errors import NotesError


@dataclass(frozen=True)
class _Token:
    char: str
    """``{ } [ ] , :``, ``"`` (a string), ``v`` (another value) or ``/`` (a comment)."""
    at: int
    end: int


def _scan(text: str) -> list[_Token]:
    """The structure of ``text``: comments (``/``), strings (whole, as one token), values and
    punctuation, in order."""
    found: list[_Token] = []
    i = 0
    while i < len(text):
        kind, end = _token_at(text, i)
        if kind:
            found.append(_Token(kind, i, end))
        i = max(end, i + 1)
    return found


def _token_at(text: str, i: int) -> tuple[str, int]:
    """The kind of the token at ``i`` (see :class:`_Token`; "" for white space) and its end."""
    char = text[i]
    if text.startswith(("//", "/*"), i):
        return "/", _comment_end(text, i)
    if char == '"':
        return '"', _string_end(text, i)
    if char in "{}[],:":
        return char, i + 1
    if char.isspace():
        return "", i + 1
    return "v", _value_end(text, i)


def _comment_end(text: str, i: int) -> int:
    """Where the comment at ``i`` ends: a ``//`` one at its line's end, a ``/*`` one after ``*/``
    (or the end of the text)."""
    if text[i + 1] == "/":
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    end = text.find("*/", i + 2)
    return len(text) if end < 0 else end + 2


def _string_end(text: str, i: int) -> int:
    """Where the string opening at ``i`` ends: after its closing quote (backslash escapes skipped)."""
    j = i + 1
    while j < len(text) and text[j] != '"':
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _value_end(text: str, i: int) -> int:
    """Where a bare value (``true``, ``12``) ends: at white space, punctuation or a slash."""
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in "{}[],:/":
        j += 1
    return j


def _tokens(text: str) -> list[_Token]:
    """The structure of ``text`` without its comments."""
    return [token for token in _scan(text) if token.char != "/"]


def _as_json(text: str) -> str:
    """``text`` as plain JSON: comments and trailing commas (a comma before ``}`` or ``]``)
    turned into spaces, line breaks kept (for error line numbers); strings left as they are."""
    out = list(text)
    scanned = _scan(text)
    structure = [token for token in scanned if token.char != "/"]
    trailing = [
        a
        for before, a, b in zip([None, *structure], structure, structure[1:], strict=False)
        if a.char == "," and b.char in "}]" and (before is None or before.char not in "{[,")
    ]  # (a comma with no value before it, as in `{,}`, is no trailing comma: left for json to refuse)
    for token in [t for t in scanned if t.char == "/"] + trailing:
        out[token.at : token.end] = [c if c in "\r\n" else " " for c in text[token.at : token.end]]
    return "".join(out)


def load(text: str, where: str) -> Any:
    """The value of a JSONC text; a one-line error naming ``where`` and the line if it is not one."""
    if not text.strip():
        return {}
    try:
        return json.loads(_as_json(text))
    except json.JSONDecodeError as exc:
        raise NotesError(f"not JSON with comments ({exc.msg}); left as it is", where, exc.lineno) from None
    except RecursionError:  # (json reads nested arrays and objects recursively)
        raise NotesError("not JSON with comments (nested too deeply); left as it is", where) from None


def _closing(tokens: list[_Token], opening: int) -> int:
    """The index of the token closing the object or array opened at ``tokens[opening]``."""
    depth = 0
    for index in range(opening, len(tokens)):
        if tokens[index].char in "{[":
            depth += 1
        elif tokens[index].char in "}]":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError("unclosed")


def _member(text: str, tokens: list[_Token], opening: int, key: str) -> int | None:
    """The index of the token opening the value of ``key`` in the object at ``tokens[opening]``
    (of its last one when the key is there twice: the one :func:`load` reads, as JSON does)."""
    depth = 0
    found = None
    for index in range(opening, len(tokens)):
        token = tokens[index]
        if token.char in "{[":
            depth += 1
        elif token.char in "}]":
            depth -= 1
            if depth == 0:
                break
        elif (
            depth == 1
            and token.char == '"'
            and index + 2 < len(tokens)
            and tokens[index + 1].char == ":"
            and json.loads(text[token.at : token.end]) == key
        ):
            found = index + 2
    return found


def _insert(text: str, tokens: list[_Token], opening: int, entries: list[str]) -> str:
    """``entries`` (rendered members or items) added at the end of the object or array opened
    at ``tokens[opening]``, after its last one, in the file's indentation and line endings."""
    close = _closing(tokens, opening)
    newline = "\r\n" if "\r\n" in text else "\n"
    last = tokens[close - 1]
    line_start = text.rfind("\n", 0, tokens[opening].at) + 1
    outer = re.match(r"[ \t]*", text[line_start:]).group()  # type: ignore[union-attr]
    inner_line = text.rfind("\n", 0, last.at) + 1
    inner = re.match(r"[ \t]*", text[inner_line:]).group() if last.char != tokens[opening].char else ""  # type: ignore[union-attr]
    inner = inner if inner and inner != outer else outer + "    "
    body = ("," + newline).join(inner + entry.replace("\n", newline + inner) for entry in entries)
    if last.char == tokens[opening].char:  # empty: { } or [ ], maybe with comments inside (kept)
        inside = text[last.end : tokens[close].at]
        return text[: last.end] + newline + body + ("" if "\n" in inside else newline + outer) + text[last.end :]
    comma = "" if last.char == "," else ","
    at = last.end
    return text[:at] + comma + newline + body + ("," if last.char == "," else "") + text[at:]


def add_members(text: str, where: str, members: dict[str, Any], inside: str | None = None) -> tuple[str, list[str]]:
    """``text`` with those of ``members`` it lacks added to its top-level object (or to the object
    under the top-level key ``inside``, created if missing); and the keys added."""
    value = load(text, where)
    if not isinstance(value, dict):
        raise NotesError("is not a JSON object; left as it is", where)
    if not text.strip():
        text = "{}\n"
    target = value.get(inside, {}) if inside is not None else value
    if not isinstance(target, dict):
        raise NotesError(f"{inside!r} is not a JSON object; left as it is", where)
    missing = {k: v for k, v in members.items() if k not in target}
    if not missing:
        return text, []
    tokens = _tokens(text)
    opening = next(i for i, t in enumerate(tokens) if t.char == "{")
    if inside is not None:
        found = _member(text, tokens, opening, inside)
        if found is None:
            return _insert(text, tokens, opening, [_render(inside, missing)]), list(missing)
        opening = found
    return _insert(text, tokens, opening, [_render(k, v) for k, v in missing.items()]), list(missing)


def add_items(text: str, where: str, key: str, items: list[dict[str, Any]], same: str) -> tuple[str, list[str]]:
    """``text`` with those of ``items`` whose ``same`` field no item of the top-level array
    ``key`` has yet added to it (the array created if missing); and the ``same`` values added."""
    value = load(text, where)
    if not isinstance(value, dict):
        raise NotesError("is not a JSON object; left as it is", where)
    present = value.get(key, [])
    if not isinstance(present, list):
        raise NotesError(f"{key!r} is not a JSON array; left as it is", where)
    have = [item.get(same) for item in present if isinstance(item, dict)]  # (any JSON value: not hashable)
    missing = [item for item in items if item[same] not in have]
    if not missing:
        return text, []
    if key not in value:
        text, _ = add_members(text, where, {key: missing})
        return text, [item[same] for item in missing]
    tokens = _tokens(text)
    opening = _member(text, tokens, next(i for i, t in enumerate(tokens) if t.char == "{"), key)
    assert opening is not None
    return _insert(text, tokens, opening, [json.dumps(item, indent=4) for item in missing]), [i[same] for i in missing]


def _render(key: str, value: Any) -> str:
    return f"{json.dumps(key)}: {json.dumps(value, indent=4, ensure_ascii=False)}"
