"""Times typed at the start of a heading: ``## 12:34 Topic``, ``## [1:02:03] Topic``.

Pure text functions over a heading's inline source; the note model calls them, the timestamps
feature turns them into deep links.
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


@dataclass(frozen=True)
class HeadingTime:
    """A time at the start of a heading's text."""

    seconds: int
    """Whole seconds from the start of the video."""
    shown: str
    """The time as typed (``12:34``): the source of truth for the link."""
    end: int
    """Where the time token (brackets and link included) ends in the heading's inline source."""
    url: str | None
    """The link target when the token already is ``[12:34](URL)``."""
    title: str
    """The heading's text after the time and its separator."""


def parse_heading_time(raw: str) -> HeadingTime | None:
    """The time a heading's inline source starts with, or None (``2:1 ratio``, ``10:30am``)."""
    match = _HEADING_TIME.match(raw)
    if match is None:
        return None
    groups = match.groupdict()
    if groups["token"].startswith("["):
        h, hm, hs, m, s = (groups[k] for k in ("bh", "bhm", "bhs", "bm", "bs"))
    else:
        h, hm, hs, m, s = (groups[k] for k in ("h", "hm", "hs", "m", "s"))
    if h is not None:
        seconds = int(h) * 3600 + int(hm) * 60 + int(hs)
        shown = f"{h}:{hm}:{hs}"
    else:
        seconds = int(m) * 60 + int(s)
        shown = f"{m}:{s}"
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


def format_seconds(seconds: int) -> str:
    """``M:SS`` or ``H:MM:SS``, as YouTube writes chapter times."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
