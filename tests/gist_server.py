"""A stand-in for GitHub's gist API on 127.0.0.1: the one stand-in the tests use.

It speaks the real protocol (``POST /gists`` with a bearer token, JSON in and out) over a real
socket, and backs each gist with a real bare git repository, reached over file://, with an
initial commit holding the posted files, as GitHub does.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class GistServer:
    def __init__(self, root: Path, token: str = "ghp_" + "t" * 36):
        self.root = root
        self.token = token
        self.requests: list[dict[str, Any]] = []
        self.status_override: int | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if server.status_override:
                    self._reply(server.status_override, {"message": "Bad credentials"})
                elif self.path != "/gists":
                    self._reply(404, {"message": "Not Found"})
                elif self.headers.get("Authorization") != f"Bearer {server.token}":
                    self._reply(401, {"message": "Bad credentials"})
                else:
                    self._reply(201, server.create(body))

            def _reply(self, status: int, data: dict[str, Any]) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="gist-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        gist_id = uuid.uuid4().hex[:20]
        bare = self.root / f"{gist_id}.git"
        git("init", "-q", "--bare", "-b", "main", str(bare), cwd=self.root)
        with tempfile.TemporaryDirectory() as work:
            git("clone", "-q", bare.as_uri(), work, cwd=self.root)
            for name, file in body["files"].items():
                Path(work, name).write_text(file["content"])
            git("add", "-A", cwd=Path(work))
            git(
                "-c",
                "user.name=GitHub",
                "-c",
                "user.email=gist@example.com",
                "commit",
                "-qm",
                "",
                "--allow-empty-message",
                cwd=Path(work),
            )
            git("push", "-q", "origin", "HEAD:main", cwd=Path(work))
            version = git("rev-parse", "HEAD", cwd=Path(work)).strip()
        return {
            "id": gist_id,
            "html_url": f"https://gist.github.com/{gist_id}",
            "git_push_url": bare.as_uri(),
            "git_pull_url": bare.as_uri(),
            "public": body.get("public", False),
            "history": [{"version": version}],
        }

    def __enter__(self) -> GistServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=60).stdout
