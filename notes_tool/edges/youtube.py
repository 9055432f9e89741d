"""Fetching a video's transcript from YouTube, for ``notes transcript fetch``.

It uses youtube-transcript-api, an optional extra (``pip install ".[youtube]"`` in a clone): the
maintained client of YouTube's own transcript endpoints, so we keep no scraper of our own.
YouTube often refuses cloud machines and VPNs, and changes its pages: every failure is one line
saying what went wrong and what to do instead (copy the transcript from the video's "Show
transcript" panel into ``notes transcript add``, which needs no network).

Nothing is sent but the video's id: no token, no cookie of ours. ``NOTES_YOUTUBE_URL``, from the
user's environment (never from a workspace), sends the requests for ``https://www.youtube.com``
somewhere else: a mirror, or the tests' stand-in server.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from notes_tool.errors import NotesError

YOUTUBE = "https://www.youtube.com"
ELSEWHERE = "NOTES_YOUTUBE_URL"
INSTEAD = "copy it from the video's “Show transcript” panel and run `notes transcript add`"
TIMEOUT = 30.0
"""Seconds to wait for YouTube to connect, then between bytes of an answer: a server that never
answers ends the fetch with one line instead of hanging it."""

_WHY = {
    "RequestBlocked": "YouTube refused this machine (it often blocks cloud servers and VPNs)",
    "IpBlocked": "YouTube refused this machine (it often blocks cloud servers and VPNs)",
    "TranscriptsDisabled": "the video has no transcript (its subtitles are turned off)",
    "VideoUnavailable": "YouTube has no such video (or it is private)",
    "InvalidVideoId": "YouTube has no such video",
    "AgeRestricted": "the video is age-restricted: YouTube gives its transcript only to a signed-in user",
    "PoTokenRequired": "YouTube wants a browser check for this video's transcript",
    "FailedToCreateConsentCookie": "YouTube asked for cookie consent and would not take it",
    "YouTubeDataUnparsable": "YouTube's page has changed; a newer youtube-transcript-api may read it",
}


UNREADABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError, SyntaxError, RecursionError)
"""What youtube-transcript-api raises on answers not shaped as it expects: bad XML
(``ParseError``, a SyntaxError), XML entities (defusedxml's refusal, a ValueError),
``captionTracks`` that is not a list of tracks (TypeError, AttributeError, KeyError)."""


def fetch(video_id: str, languages: Sequence[str]) -> list[dict[str, Any]]:
    """The snippets (``text``, ``start``, ``duration``) of the video's transcript in the first of
    ``languages`` it has, made by a person if there is one, else YouTube's automatic one."""
    try:
        import requests
        from requests.adapters import HTTPAdapter
        from youtube_transcript_api import YouTubeTranscriptApi
        from youtube_transcript_api._errors import CouldNotRetrieveTranscript, NoTranscriptFound
    except ImportError:
        pip = f"{shlex.quote(sys.executable)} -m pip install 'youtube-transcript-api>=1.2,<2'"
        raise NotesError(
            f"transcript fetch: needs youtube-transcript-api (the youtube extra): {pip} (or " + INSTEAD + ")"
        ) from None

    class Bounded(HTTPAdapter):
        """Every request with a timeout (youtube-transcript-api sets none)."""

        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = TIMEOUT
            return super().send(request, *args, **kwargs)

    class Elsewhere(Bounded):
        """Sends what was meant for ``https://www.youtube.com`` to ``base``."""

        def __init__(self, base: str) -> None:
            super().__init__()
            self.base = base

        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            request.url = self.base + str(request.url)[len(YOUTUBE) :]
            return super().send(request, *args, **kwargs)

    session = requests.Session()
    for scheme in ("https://", "http://"):
        session.mount(scheme, Bounded())
    base = os.environ.get(ELSEWHERE, "").rstrip("/")
    if base:
        if urlsplit(base).scheme not in ("http", "https"):
            raise NotesError(f"transcript fetch: {ELSEWHERE} must be an http(s) URL, not {base!r}")
        session.mount(YOUTUBE + "/", Elsewhere(base))
    try:
        fetched = YouTubeTranscriptApi(http_client=session).fetch(video_id, languages=list(languages))
    except NoTranscriptFound:
        raise NotesError(
            f"transcript fetch: video {video_id} has no transcript in {', '.join(languages)} (try --language)"
        ) from None
    except CouldNotRetrieveTranscript as exc:
        why = _WHY.get(type(exc).__name__, f"YouTube gave no transcript ({type(exc).__name__})")
        raise NotesError(f"transcript fetch: video {video_id}: {why}; {INSTEAD}") from None
    except requests.RequestException as exc:
        raise NotesError(f"transcript fetch: could not reach YouTube ({type(exc).__name__}); {INSTEAD}") from None
    except UNREADABLE as exc:
        raise NotesError(
            f"transcript fetch: video {video_id}: YouTube sent what cannot be read ({type(exc).__name__}); "
            f"{_WHY['YouTubeDataUnparsable']}, or {INSTEAD}"
        ) from None
    finally:
        session.close()
    return [dict(item) for item in fetched.to_raw_data()]
