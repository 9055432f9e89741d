"""#24 item 5: the gist token and git's redirects.

``cheats publish`` pushes over git with the token in an askpass helper. A host whose
``info/refs`` answers 302 to another host must not get the token there: git does not follow
(``http.followRedirects=false``), and the helper answers only a gist host asking over HTTPS.
Real HTTPS servers on 127.0.0.1 (a self-signed certificate made here; git told not to verify it).
"""

from __future__ import annotations

import base64
import os
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import run

from notes_tool.edges import gist

TOKEN = "ghp_" + "r" * 36


def certificate(folder: Path) -> Path:
    """A self-signed certificate for localhost and 127.0.0.1 (key and certificate in one file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate for the local HTTPS servers")
    key, cert = folder / "key.pem", folder / "cert.pem"
    names = "subjectAltName=DNS:localhost,IP:127.0.0.1"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            names,
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    both = folder / "localhost.pem"
    both.write_bytes(cert.read_bytes() + key.read_bytes())
    return both


class Server:
    """An HTTPS server on 127.0.0.1: ``answer(handler)`` replies to each GET; requests recorded."""

    def __init__(self, pem: Path, answer: object):
        self.seen: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.seen.append({"path": self.path, **dict(self.headers)})
                answer(self)  # type: ignore[operator]

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(pem)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="https-stand-in", daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def reply(handler: BaseHTTPRequestHandler, status: int, **headers: str) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def credentials(seen: list[dict[str, str]]) -> list[str]:
    """What each recorded request's Authorization header carried, decoded."""
    found = []
    for request in seen:
        value = request.get("Authorization", "")
        if value.startswith("Basic "):
            found.append(base64.b64decode(value[6:]).decode("utf-8", "replace"))
        elif value:
            found.append(value)
    return found


@pytest.fixture
def hosts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Server, Server]]:
    """``localhost`` (the gist host, as GitHub Enterprise's would be) redirects info/refs to
    ``127.0.0.1``, another host, which asks for credentials and records them."""
    pem = certificate(tmp_path)
    elsewhere = Server(pem, lambda h: reply(h, 401, WWW_Authenticate='Basic realm="elsewhere"'))
    gist_host = Server(pem, lambda h: reply(h, 302, Location=f"https://127.0.0.1:{elsewhere.port}{h.path}"))
    monkeypatch.setenv("GITHUB_API_URL", f"https://localhost:{gist_host.port}")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GIT_SSL_NO_VERIFY", "1")  # (the stand-ins' certificate is self-signed)
    yield gist_host, elsewhere
    gist_host.close()
    elsewhere.close()


def test_git_does_not_follow_a_redirect_with_the_token(example: Path, hosts: tuple[Server, Server]) -> None:
    gist_host, elsewhere = hosts
    config = example / "notes.toml"
    config.write_text(
        config.read_text() + '\n[gists.docker]\nid = "abcdef12"\nurl = "https://gist.github.com/abcdef12"\n'
        f'push_url = "https://localhost:{gist_host.port}/abcdef12.git"\ncommit = ""\n'
    )
    result = run("cheats", "publish", "docker", cwd=example)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert gist_host.seen, "git never asked the gist host"
    assert not any(TOKEN in c for c in credentials(elsewhere.seen)), elsewhere.seen
    assert elsewhere.seen == []  # not followed at all
    assert TOKEN not in result.stdout + result.stderr


def ask(env: dict[str, str], prompt: str) -> subprocess.CompletedProcess[str]:
    """The askpass helper run as git runs it: the prompt as its one argument."""
    return subprocess.run(
        [env["GIT_ASKPASS"], prompt], env={**os.environ, **env}, capture_output=True, text=True, timeout=30
    )


@pytest.mark.skipif(os.name == "nt", reason="runs the POSIX helper directly")
def test_the_askpass_helper_answers_only_the_gist_host_over_https(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with gist.git_env("https://gist.github.com/abcdef12.git") as env:
        assert ask(env, "Username for 'https://gist.github.com': ").stdout.strip() == "x-access-token"
        assert ask(env, "Password for 'https://x-access-token@gist.github.com': ").stdout.strip() == TOKEN
        for prompt in (
            "Username for 'https://evil.example': ",
            "Password for 'https://x-access-token@evil.example': ",
            "Password for 'http://x-access-token@gist.github.com': ",
            "Password for 'https://x-access-token@gist.github.com.evil.example': ",
            "Password for 'https://gist.github.com@evil.example': ",
            "Password: ",
        ):
            answer = ask(env, prompt)
            assert TOKEN not in answer.stdout and "x-access-token" not in answer.stdout, prompt
            assert answer.returncode != 0, prompt
