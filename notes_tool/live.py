"""A running ``notes watch`` answers ``notes search``: no start-up cost, the index open and warm.

A new Python process pays for its interpreter and for the modules a search needs (sqlite3,
pathlib, tomllib...) before it reads a byte: about what ``grep -r`` takes for the whole search.
The watcher has all that loaded, so while it runs it listens on 127.0.0.1 (a port the system
picks) and writes where, and a secret token, to ``watch.endpoint`` in the default cache folder,
readable by the user only. A plain ``notes search WORDS`` (:mod:`notes_tool.launch`) sends the
words there and prints the answer; when there is no watcher, or anything goes wrong, it searches
by itself as before. The answer is exactly what the command would print.

This module's top level imports only ``os``: a client imports ``socket`` once it has found an
endpoint file (with no watcher, a search does not pay for it), and the wire format is plain
lines, so not even ``json`` is loaded:

- request: the token, the client's folder, ``1`` or ``0`` for colour, each on a line; then the
  words, separated by NUL bytes (a command-line argument cannot hold one);
- answer: the exit status and the byte length of the standard output, each on a line; then the
  standard output, then the standard error, UTF-8.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs a client more than its whole conversation with the watcher
    import socket
    import sqlite3
    from collections.abc import Callable

    from notes_tool.workspace import Workspace

ENDPOINT = "watch.endpoint"
DEFAULT_CACHE = ".notes-cache"
"""The client looks for the endpoint here only (it does not read notes.toml: that costs more
than it saves); a watcher with another cache folder is simply not asked."""
LIMIT = 1 << 16
TIMEOUT = 2.0

Answer = tuple[int, str, str]
"""Exit status, standard output, standard error."""


def _workspace_root(start: str) -> str | None:
    """The nearest folder at or above ``start`` holding notes.toml (as workspace.find_root)."""
    folder = os.path.realpath(start)
    while True:
        if os.path.isfile(os.path.join(folder, "notes.toml")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def ask(words: list[str], color: bool) -> Answer | None:
    """The running watcher's answer to ``notes search WORDS``; None when there is none to ask."""
    cwd = os.getcwd()
    root = _workspace_root(os.environ.get("NOTES_WORKSPACE") or cwd)
    if root is None:
        return None
    try:
        with open(os.path.join(root, DEFAULT_CACHE, ENDPOINT), encoding="utf-8") as handle:
            port, token = handle.read().split()[:2]
        request = f"{token}\n{cwd}\n{int(color)}\n" + "\0".join(words)
        import socket

        with socket.create_connection(("127.0.0.1", int(port)), timeout=TIMEOUT) as conn:
            conn.sendall(request.encode("utf-8"))
            conn.shutdown(socket.SHUT_WR)
            reply = _read_all(conn)
        status, size, body = reply.split(b"\n", 2)
        out, err = body[: int(size)], body[int(size) :]
        return int(status), out.decode("utf-8"), err.decode("utf-8")
    except (OSError, ValueError):
        return None  # no watcher, an old endpoint file, a refused token: search without it


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


class SearchServer:
    """The watcher's side: one thread, woken by connections or by :meth:`stop`, never polling."""

    def __init__(self, workspace: Callable[[], Workspace], refresh: Callable[[Workspace, sqlite3.Connection], object]):
        import secrets
        import socket
        import threading

        self.workspace = workspace
        """The watcher's workspace as it is now (it is reopened when notes.toml changes)."""
        ws = workspace()
        self.refresh = refresh
        """Brings the search index up to date when the watcher has work in hand."""
        self.token = secrets.token_hex(16)
        self.endpoint = ws.root / DEFAULT_CACHE / ENDPOINT
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._wake_read, self._wake_write = socket.socketpair()
        self._thread = threading.Thread(target=self._serve, name="notes-watch-search", daemon=True)

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def start(self) -> None:
        ws = self.workspace()
        if ws.cache_dir.resolve() != (ws.root / DEFAULT_CACHE).resolve():
            self._listener.close()  # clients would not find us: do not listen for nothing
            return
        try:
            self._write_endpoint()
        except OSError:
            self._listener.close()  # searches answer by themselves, as without a watcher
            return
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._wake_write.send(b"x")
            self._thread.join(10)
        for sock in (self._listener, self._wake_read, self._wake_write):
            sock.close()
        try:
            if self.endpoint.read_text(encoding="utf-8").split()[1] == self.token:
                self.endpoint.unlink()  # (another watcher may have taken over meanwhile)
        except (OSError, IndexError):
            pass

    def _write_endpoint(self) -> None:
        from notes_tool.cache import ensure_folder

        ensure_folder(self.endpoint.parent)
        temp = self.endpoint.with_name(f".{ENDPOINT}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"{self.port}\n{self.token}\n{os.getpid()}\n")
        os.replace(temp, self.endpoint)

    def _serve(self) -> None:
        import contextlib
        import selectors

        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_read, selectors.EVENT_READ)
            while True:
                ready = [key.fileobj for key, _ in selector.select()]
                if self._wake_read in ready:
                    return
                try:
                    conn, _ = self._listener.accept()
                except OSError:
                    continue
                # Whatever goes wrong with one request, the client gets no answer and searches
                # by itself; the server goes on.
                with conn, contextlib.suppress(Exception):
                    conn.settimeout(TIMEOUT)
                    self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        import hmac

        data = b""
        while len(data) < LIMIT and (chunk := conn.recv(LIMIT)):
            data += chunk
        try:
            token, cwd, color, words = data.decode("utf-8").split("\n", 3)
        except (UnicodeDecodeError, ValueError):
            return
        if not hmac.compare_digest(token.encode("utf-8"), self.token.encode("utf-8")):
            return
        status, out, err = self.answer(words.split("\0"), cwd, color == "1")
        payload = out.encode("utf-8")
        conn.sendall(f"{status}\n{len(payload)}\n".encode() + payload + err.encode("utf-8"))

    def answer(self, words: list[str], cwd: str, color: bool) -> Answer:
        """What ``notes search WORDS`` run in ``cwd`` prints, and its exit status."""
        from pathlib import Path

        from notes_tool import search

        return search.answer(self.workspace(), " ".join(words), color, Path(cwd), refresh=self.refresh)
