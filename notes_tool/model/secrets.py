"""What looks like a secret in text: private keys, GitHub tokens, AWS keys.

Read as a reader of the rendered Markdown would, so a secret cannot hide from the scan behind
what GitHub does not show: Markdown backslash escapes (``ghp\\_...``), HTML comments and tags
inside it (``ghp_ab<!-- -->cd``), HTML entities (``ghp&#95;...``) and zero-width characters.
``notes cheats publish`` runs it on what a gist would get, ``notes commit`` on what is staged.
"""

from __future__ import annotations

import html
import re

SECRETS = [
    # No word boundaries before: a token glued to other text (`TOKEN=xghp_...`) is still a token.
    (re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"), "a private key"),
    (re.compile(r"gh[pousr]_[A-Za-z0-9]{30,}"), "a GitHub token"),
    (re.compile(r"github_pat_[A-Za-z0-9_]{20,}"), "a GitHub token"),
    # An access key id is exactly 20 characters: AKIA (long-term) or ASIA (temporary) and 16 more.
    (re.compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])"), "an AWS access key"),
    # The secret key (40 characters of base64) after its name, however written: an INI or env
    # line (`aws_secret_access_key = ...`), JSON (`"SecretAccessKey": "..."`), a command
    # (`aws configure set aws_secret_access_key ...`, `--secret-access-key ...`).
    (
        re.compile(r"(?i:secret[_-]?access[_-]?key)[\"']?\s*(?:[:=]|\s)\s*[\"']?[A-Za-z0-9/+=]{30,}(?![A-Za-z0-9/+=])"),
        "an AWS secret key",
    ),
]

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A Markdown backslash escape (``ghp\\_abc`` reads ``ghp_abc`` on GitHub)."""
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
"""Characters that show as nothing: zero-width spaces and joiners, soft hyphens, direction marks."""


def as_read(text: str) -> str:
    """``text`` as a reader sees it: comments and tags gone, escapes and entities decoded,
    invisible characters dropped. Each line stays on its own line number (what a comment over
    several lines joins is on the line where the comment starts)."""
    text = _without_comments(text)
    lines = []
    for line in text.split("\n"):
        line = (
            html.unescape(_ESCAPE.sub(r"\1", _TAG.sub("", line)))
            if "<" in line or "\\" in line or "&" in line
            else line
        )
        lines.append(_INVISIBLE.sub("", line).replace("\n", " "))
    return "\n".join(lines)


def _without_comments(text: str) -> str:
    """``text`` without HTML comments; the line breaks a comment held are put back after the
    text it joined (``ab<!--\\n-->cd\\nx`` is ``abcd\\n\\nx``), so later lines keep their numbers."""
    out: list[str] = []
    pos = carry = 0
    for match in _COMMENT.finditer(text):
        out.append(_carried(text[pos : match.start()], carry))
        carry = 0 if "\n" in text[pos : match.start()] else carry
        carry += match.group().count("\n")
        pos = match.end()
    rest = text[pos:]
    out.append(_carried(rest, carry) if "\n" in rest else rest + "\n" * carry)
    return "".join(out)


def _carried(chunk: str, carry: int) -> str:
    """``chunk`` with ``carry`` line breaks put before its first one."""
    at = chunk.find("\n")
    return chunk if not carry or at < 0 else chunk[:at] + "\n" * carry + chunk[at:]


def find_secret(text: str) -> tuple[int, str, str] | None:
    """``(line offset, what, the text matched)`` of the first thing in ``text`` that looks like a
    secret, as a reader of the rendered Markdown would read it (see :func:`as_read`)."""
    read = as_read(text)
    for pattern, what in SECRETS:
        match = pattern.search(read)
        if match:
            return read.count("\n", 0, match.start()), what, match.group()
    return None
