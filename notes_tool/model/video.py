"""Video URLs and deep links to a moment: YouTube, Vimeo, local files, anything else.

Pure functions on URL strings: which video a URL names, and the link to second N of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qsl, quote, urlencode, urlsplit

_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_YOUTUBE_PATH = re.compile(r"^/(?:embed|shorts|live|v|e)/([A-Za-z0-9_-]{6,})/?$")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,}$")
_VIMEO_PATH = re.compile(r"^/(?:video/)?(\d+)(?:/([0-9a-f]{6,}))?/?$")
_YOUTUBE_TIME = re.compile(r"^(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,9})s?)?$")  # (more digits: no time)
_KEPT_YOUTUBE_PARAMS = ("list", "index")
_URI_SAFE = ";/?:@&=+$,-_.!~*'()#%[]\\"


@dataclass(frozen=True)
class Video:
    """A video that deep links can point into."""

    kind: str
    """``youtube``, ``vimeo``, ``file`` or ``web``."""
    url: str
    """The URL as written in the note."""
    key: str
    """What identifies the video, whatever the URL form (the YouTube id, say)."""
    start: int | None
    """The time the URL itself starts at, if it carries one."""

    def at(self, seconds: int) -> str:
        """The link to ``seconds`` into the video (whole seconds)."""
        seconds = max(0, int(seconds))
        parts = urlsplit(self.url)
        if self.kind == "youtube":
            params = [("v", self.key)]
            params += [(k, v) for k, v in parse_qsl(parts.query) if k in _KEPT_YOUTUBE_PARAMS]
            params.append(("t", f"{seconds}s"))
            return "https://www.youtube.com/watch?" + urlencode(params)
        if self.kind == "vimeo":
            return f"https://vimeo.com/{self.key}#t={seconds}s"
        # A media fragment on the URL as written, made a valid link destination (spaces and
        # other unsafe characters percent-encoded, as encodeURI does; existing escapes kept).
        return f"{quote(self.key, safe=_URI_SAFE)}#t={seconds}"


def parse_time_param(value: str) -> int | None:
    """``754``, ``754s``, ``12m34s`` or ``1h2m3s`` in seconds; None when it is none of those."""
    match = _YOUTUBE_TIME.match(value.strip())
    if not value.strip() or match is None:
        return None
    hours, minutes, secs = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + secs


def parse_video(url: str) -> Video | None:
    """What video ``url`` names; None for things that are not a video link at all."""
    url = url.strip()
    if not url or url.startswith(("#", "mailto:")):
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https", ""):
        query = dict(parse_qsl(parts.query))
        site = _SITES.get(parts.netloc.lower().split("@")[-1].split(":")[0])
        if site is not None:
            return site(url, parts, query)
        if scheme in ("http", "https"):
            return Video("web", url, url.split("#", 1)[0], _start(parts, query))
    if scheme in ("file", "") or (len(scheme) == 1 and url[1:3] in (":\\", ":/")):
        # A local file: a relative path, an absolute one, a file:// URL or a Windows drive path.
        return Video("file", url, url.split("#", 1)[0], None)
    return None


_Query = dict[str, str]


def _start(parts: SplitResult, query: _Query) -> int | None:
    """The time a web URL starts at: ``t=`` or ``start=`` in its query, or ``#t=``."""
    value = query.get("t") or query.get("start")
    if not value and parts.fragment.startswith("t="):
        value = parts.fragment[2:]
    return parse_time_param(value) if value else None


def _youtube(url: str, parts: SplitResult, query: _Query) -> Video | None:
    """``youtube.com/watch?v=ID``, or ``/embed/ID``, ``/shorts/ID``, ``/live/ID``..."""
    video_id = query.get("v") if parts.path.rstrip("/") == "/watch" else None
    if video_id is None:
        match = _YOUTUBE_PATH.match(parts.path)
        video_id = match.group(1) if match else None
    if video_id and _YOUTUBE_ID.match(video_id):
        return Video("youtube", url, video_id, _start(parts, query))
    return None


def _youtu_be(url: str, parts: SplitResult, query: _Query) -> Video | None:
    """``youtu.be/ID``."""
    video_id = parts.path.strip("/")
    return Video("youtube", url, video_id, _start(parts, query)) if _YOUTUBE_ID.match(video_id) else None


def _vimeo(url: str, parts: SplitResult, query: _Query) -> Video | None:
    """``vimeo.com/ID``, ``/video/ID``, and a private video's ``ID/HASH`` or ``?h=HASH``."""
    match = _VIMEO_PATH.match(parts.path)
    if match is None:
        return None
    key = match.group(1)
    private = match.group(2) or query.get("h")
    return Video("vimeo", url, f"{key}/{private}" if private else key, _start(parts, query))


_SITES: dict[str, Callable[[str, SplitResult, _Query], Video | None]] = {
    **dict.fromkeys(_YOUTUBE_HOSTS, _youtube),
    "youtu.be": _youtu_be,
    **dict.fromkeys(("vimeo.com", "www.vimeo.com", "player.vimeo.com"), _vimeo),
}
"""How each video site's URLs name their video (by host)."""


def is_known_host(url: str) -> bool:
    """A URL that is a video wherever it appears (YouTube, Vimeo), whatever the link's text."""
    video = parse_video(url)
    return video is not None and video.kind in ("youtube", "vimeo")
