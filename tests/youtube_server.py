"""A stand-in for YouTube's transcript endpoints on 127.0.0.1, for ``notes transcript fetch``.

It speaks what youtube-transcript-api reads from the real site, over a real socket: the watch
page (``GET /watch?v=ID``, HTML carrying ``INNERTUBE_API_KEY``), the player API (``POST
/youtubei/v1/player?key=KEY``, JSON with ``playabilityStatus`` and the caption tracks) and the
caption track itself (``GET /api/timedtext?v=ID&lang=L``, ``<transcript><text start dur>``
XML). The tests reach it through ``NOTES_YOUTUBE_URL``; the track URLs it hands out are
YouTube's own (``https://www.youtube.com/api/timedtext?...``), as the real player API's are.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

KEY = "AIzaStandInKey_0123456789"


@dataclass
class Track:
    language: str
    snippets: list[tuple[float, float, str]]
    """``(start, duration, text)``, text as YouTube sends it (HTML entities and all)."""
    generated: bool = False


@dataclass
class YouTubeServer:
    videos: dict[str, list[Track]] = field(default_factory=dict)
    """Video id -> its caption tracks; a video with no tracks has its subtitles turned off."""
    blocked: bool = False
    """Answer as YouTube does a cloud machine it refuses: 429 Too Many Requests."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    raw_tracks: dict[str, str] = field(default_factory=dict)
    """Video id -> the body its caption track is answered with, as it is (bad XML, entities...)."""
    caption_tracks: Any = None
    """When set, the player API's ``captionTracks`` for every video, as it is (not a list...)."""

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers)})
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if server.blocked:
                    self._reply(429, "text/html", "<html>Too Many Requests</html>")
                elif parts.path == "/watch":
                    page = f'<html><script>ytcfg.set({{"INNERTUBE_API_KEY": "{KEY}"}});</script></html>'
                    self._reply(200, "text/html", page)
                elif parts.path == "/api/timedtext" and query.get("v") in server.raw_tracks:
                    self._reply(200, "text/xml", server.raw_tracks[query["v"]])
                elif parts.path == "/api/timedtext":
                    tracks = server.videos.get(query.get("v", ""), [])
                    track = next((t for t in tracks if t.language == query.get("lang")), None)
                    if track is None:
                        self._reply(404, "text/plain", "")
                        return
                    texts = "".join(
                        f'<text start="{start}" dur="{duration}">{escape(text)}</text>'
                        for start, duration, text in track.snippets
                    )
                    self._reply(
                        200, "text/xml", f'<?xml version="1.0" encoding="utf-8" ?><transcript>{texts}</transcript>'
                    )
                else:
                    self._reply(404, "text/plain", "")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(
                    {"method": "POST", "path": self.path, "headers": dict(self.headers), "body": body}
                )
                parts = urlsplit(self.path)
                if parts.path != "/youtubei/v1/player" or parse_qs(parts.query).get("key") != [KEY]:
                    self._reply(403, "application/json", json.dumps({"error": {"code": 403}}))
                    return
                video = str(body.get("videoId", ""))
                player: dict[str, Any]
                if video not in server.videos:
                    player = {"playabilityStatus": {"status": "ERROR", "reason": "This video is unavailable"}}
                else:
                    player = {"playabilityStatus": {"status": "OK"}, "videoDetails": {"videoId": video}}
                    tracks = server.videos[video]
                    if tracks:
                        player["captions"] = {
                            "playerCaptionsTracklistRenderer": {
                                "captionTracks": [
                                    {
                                        "baseUrl": f"https://www.youtube.com/api/timedtext?v={video}&lang={t.language}",
                                        "name": {"runs": [{"text": t.language}]},
                                        "languageCode": t.language,
                                        **({"kind": "asr"} if t.generated else {}),
                                        "isTranslatable": False,
                                    }
                                    for t in tracks
                                ],
                                "translationLanguages": [],
                            }
                        }
                        if server.caption_tracks is not None:
                            renderer = player["captions"]["playerCaptionsTracklistRenderer"]
                            renderer["captionTracks"] = server.caption_tracks
                self._reply(200, "application/json", json.dumps(player))

            def _reply(self, status: int, kind: str, text: str) -> None:
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
