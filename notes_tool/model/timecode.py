"""Times typed in a heading: ``## 12:34 Topic``, ``## [1:02:03] Topic`` (ours: at the start,
linked by ``notes index``), and the forms other people write, read as they are: a time at the end
(``### Step 2 [[19:39](URL)]``, ``### Remote Jupyter (13:10)``) or a linked time opening the line
under the heading (``> [03:53](URL) Title``).

Pure text functions over a heading's inline source (or that line's); the note model calls them,
the timestamps feature turns them into deep links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TIME = r"(?:(?P<h>\d{1,2}):(?P<hm>[0-5]\d):(?P<hs>[0-5]\d)|(?P<m>\d{1,2}):(?P<s>[0-5]\d))"
_HEADING_TIME = re.compile(
    r"^(?P<token>\[" + _TIME.replace("?P<", "?P<b") + r"\](?:\((?:<(?P<aurl>[^<>\n]*)>|(?P<url>[^()\s]*))\))?"
    r"|" + _TIME + r")"
    r"(?P<sep>\s*[-–]\s+|:\s+|:$|\s+|$)"
    r"(?P<title>.*)$",
    re.DOTALL,
)


_BARE = _TIME.replace("?P<", "?P<x")
_TRAILING_TIME = re.compile(
    r"(?:^|(?<=\s))(?:"
    r"\[\[(?P<lt>" + _TIME.replace("?P<", "?P<l") + r")\]\((?:<(?P<laurl>[^<>\n]*)>|(?P<lurl>[^()\s]*))\)\]"
    r"|\[(?P<kt>" + _TIME.replace("?P<", "?P<k") + r")\]\((?:<(?P<kaurl>[^<>\n]*)>|(?P<kurl>[^()\s]*))\)"
    r"|\((?P<pt>" + _TIME.replace("?P<", "?P<p") + r")\)"
    r"|\[(?P<qt>" + _TIME.replace("?P<", "?P<q") + r")\]"
    r")\s*$"
)
"""A time ending a heading: ``[[19:39](URL)]``, ``[19:39](URL)``, ``(13:10)`` or ``[13:10]``."""
_LINKED_TIME = re.compile(
    r"^\[" + _BARE + r"\]\((?:<(?P<aurl>[^<>\n]*)>|(?P<url>[^()\s]+))\)(?P<sep>\s*[-–:]?\s+|$)(?P<title>[^\r\n]*)"
)
"""A linked time opening a line: ``[03:53](URL) Title``."""

LEAD, TRAIL, BELOW = "lead", "trail", "below"


@dataclass(frozen=True)
class HeadingTime:
    """A section's typed time: at the start of its heading (ours), at its end, or opening the line
    under it."""

    seconds: int
    """Whole seconds from the start of the video."""
    shown: str
    """The time as typed (``12:34``): the source of truth for the link."""
    end: int
    """Where the time token (brackets and link included) ends in the heading's inline source."""
    url: str | None
    """The link target when the token already is ``[12:34](URL)``."""
    title: str
    """The heading's text after the time and its separator (before it, for a time that ends the
    heading; the rest of the line, for one under it)."""
    form: str = LEAD
    """``lead`` (``## 12:34 Topic``: ours, its link written by ``notes index``), ``trail``
    (``## Topic (12:34)``) or ``below`` (``> [12:34](URL) Title`` under the heading). Only a
    ``lead`` time is ever rewritten; the others are read as the owner wrote them."""


def parse_heading_time(raw: str) -> HeadingTime | None:
    """The time a heading's inline source starts with, or None (``2:1 ratio``, ``10:30am``)."""
    match = _HEADING_TIME.match(raw)
    if match is None:
        return None
    groups = match.groupdict()
    prefix = "b" if groups["token"].startswith("[") else ""
    seconds, shown = _seconds(*(groups[prefix + k] for k in ("h", "hm", "hs", "m", "s")))
    title = groups["title"].strip()
    if not title and groups["sep"].strip() not in ("", ":"):
        return None
    return HeadingTime(
        seconds=seconds,
        shown=shown,
        end=match.end("token"),
        url=groups["url"] if groups["url"] is not None else groups["aurl"],
        title=title,
    )


def _seconds(h: str | None, hm: str | None, hs: str | None, m: str | None, s: str | None) -> tuple[int, str]:
    if h is not None and hm is not None and hs is not None:
        return int(h) * 3600 + int(hm) * 60 + int(hs), f"{h}:{hm}:{hs}"
    assert m is not None and s is not None
    return int(m) * 60 + int(s), f"{m}:{s}"


def parse_trailing_time(raw: str) -> HeadingTime | None:
    """The time a heading's inline source ends with (``Step 2 [[19:39](URL)]``, ``Remote
    Jupyter (13:10)``), or None; a heading that is only a time has none (that one leads)."""
    match = _TRAILING_TIME.search(raw)
    if match is None or not raw[: match.start()].strip():
        return None
    groups = match.groupdict()
    kind = next(k for k in "lkpq" if groups[f"{k}t"] is not None)
    seconds, shown = _seconds(*(groups[f"{kind}{g}"] for g in ("h", "hm", "hs", "m", "s")))
    url = groups.get(f"{kind}url") or groups.get(f"{kind}aurl")
    return HeadingTime(seconds, shown, len(raw), url, raw[: match.start()].strip(), TRAIL)


def parse_linked_time(line: str) -> HeadingTime | None:
    """A linked time opening a line of prose (``[03:53](URL) Title``), or None."""
    match = _LINKED_TIME.match(line)
    if match is None:
        return None
    groups = match.groupdict()
    seconds, shown = _seconds(*(groups[f"x{g}"] for g in ("h", "hm", "hs", "m", "s")))
    url = groups["url"] if groups["url"] is not None else groups["aurl"]
    return HeadingTime(seconds, shown, match.end("sep"), url, groups["title"].strip(), BELOW)


_LOOKS_LIKE_TIME = re.compile(r"^\[?(?P<typed>\d{1,2}:\d{2}(?::\d{2})?)\]?(?:\s|$)")


def impossible_time(raw: str) -> str | None:
    """A time typed at the start of a heading that no video has (``9:99``: seconds and minutes
    go to 59), as typed; None when the heading does not start like a time, or it is a real one."""
    match = _LOOKS_LIKE_TIME.match(raw)
    if match is None or parse_heading_time(raw) is not None:
        return None
    parts = [int(p) for p in match.group("typed").split(":")]
    return match.group("typed") if any(p > 59 for p in parts[1:]) else None


def format_seconds(seconds: int) -> str:
    """``M:SS`` or ``H:MM:SS``, as YouTube writes chapter times."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
