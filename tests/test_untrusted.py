"""A workspace arrives by cloning: nothing in its files or settings may make the tool write
outside it, run anything, or send the token anywhere but GitHub."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import run, tree_bytes
from gist_server import GistServer

from notes_tool.edges import gist
from notes_tool.errors import NotesError
from notes_tool.structure.workspace import open_workspace
from notes_tool.watch import images

TOKEN = "ghp_" + "s" * 36


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ('notes_dir = "/etc"', "'notes_dir' must be a path inside the workspace"),
        ('notes_dir = "../victim"', "'notes_dir' must be a path inside the workspace"),
        ('index_file = "../victim/.bash_profile"', "'index_file' must be a path inside the workspace"),
        ('index_file = ".bash_profile"', "'index_file' must be a Markdown file"),
        ('cache_dir = "/tmp/elsewhere"', "'cache_dir' must be a path inside the workspace"),
        ('cache_dir = "notes.toml"', "'cache_dir' must be a folder of its own"),
        ('course = "x\\necho RAN"', "'course' must be one line of text"),
        ('screenshots_dir = "../victim"', "'screenshots_dir' must be a path inside the workspace"),
        ('notes_dir = "linked"', "'notes_dir' must be a path inside the workspace"),
        ('cache_dir = "."', "'cache_dir' must be a folder of its own"),
        ('notes_dir = ".git/hooks"', "'notes_dir' must not be in git's own folder (.git)"),
        ('notes_dir = "a\\u0007b"', "'notes_dir' must be a path inside the workspace"),
        ('notes_dir = "loop"', "'notes_dir' must be a path inside the workspace"),
    ],
)
def test_hostile_settings_are_refused_and_nothing_is_written(tmp_path: Path, setting: str, says: str) -> None:
    ws = tmp_path / "ws"
    assert run("init", str(ws), "--course", "C").exit_code == 0
    victim = tmp_path / "victim"
    victim.mkdir()
    (ws / "linked").symlink_to(victim)  # a folder of the clone that is a link to elsewhere
    (ws / "loop").symlink_to(ws / "loop")  # a link to itself
    config = ws / "notes.toml"
    key = setting.split(" =")[0]
    lines = [line for line in config.read_text().splitlines() if not line.startswith(f"{key} =")]
    config.write_text("\n".join([*lines, setting]) + "\n")
    before = tree_bytes(ws)
    for args in (["index"], ["new", "Probe"], ["check"], ["search", "x"]):
        result = run(*args, cwd=ws)
        assert result.exit_code != 0, args
        assert result.stderr.startswith("notes.toml:") and says in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert list(victim.iterdir()) == []
    assert tree_bytes(ws) == before


def test_an_absolute_path_is_refused_even_inside_the_workspace(workspace: Path) -> None:
    config = workspace / "notes.toml"
    lines = [line for line in config.read_text().splitlines() if not line.startswith("screenshots_dir =")]
    config.write_text("\n".join([*lines, f"screenshots_dir = {str(workspace / 'images')!r}"]) + "\n")
    result = run("index", cwd=workspace)
    assert result.exit_code == 1 and "'screenshots_dir' must be a path inside the workspace" in result.stderr


def test_a_template_from_the_clone_cannot_run_code(workspace: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    (workspace / "templates").mkdir()
    (workspace / "templates" / "evil.md.j2").write_text(
        "# {{ title }}\n{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}\n"
    )
    result = run("new", "Probe", "--template", "evil", cwd=workspace)
    assert result.exit_code == 1
    assert "template" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not marker.exists()
    assert not list(workspace.glob("01_*.md"))


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_template_linked_outside_is_not_read(workspace: Path, tmp_path: Path, linked: str) -> None:
    """``templates/lesson.md.j2 -> ~/.aws/credentials`` would put the secret in a note, then a push."""
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "lesson.md.j2").write_text("# {{ title }}\naws_secret_access_key = abc123\n")
    if linked == "folder":
        (workspace / "templates").symlink_to(secrets, target_is_directory=True)
    else:
        (workspace / "templates").mkdir()
        (workspace / "templates" / "lesson.md.j2").symlink_to(secrets / "lesson.md.j2")
    result = run("new", "Probe", "--template", "lesson", cwd=workspace)
    assert result.exit_code == 1
    assert "leads outside the workspace (through a link); not used as a template" in result.stderr
    assert not list(workspace.glob("01_*.md"))
    # the built-in template of that name is still there for everyone else
    link = workspace / "templates" if linked == "folder" else workspace / "templates" / "lesson.md.j2"
    link.unlink()
    assert run("new", "Probe", cwd=workspace).exit_code == 0


class _Recorder:
    """An HTTP server on 127.0.0.1 that records each request's headers; answers 404."""

    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                recorder.headers.append(dict(self.headers))
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="recorder", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def redirecting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Recorder]:
    """An API that answers 302 to another host and port, where a recorder waits."""
    elsewhere = _Recorder()

    class Redirect(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.send_response(302)
            self.send_header("Location", f"{elsewhere.url}/gists")
            self.send_header("Content-Length", "0")
            self.end_headers()

    api = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=api.serve_forever, name="redirecting-api", daemon=True)
    thread.start()
    monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{api.server_address[1]}")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    yield elsewhere
    api.shutdown()
    api.server_close()
    thread.join(5)
    elsewhere.close()


def test_the_token_never_follows_a_redirect(example: Path, redirecting: _Recorder) -> None:
    result = run("cheats", "publish", "docker", cwd=example)
    assert result.exit_code == 1
    assert "redirect" in result.stderr and len(result.stderr.splitlines()) == 1
    assert redirecting.headers == []  # not even a request without the token: nothing was followed
    assert TOKEN not in result.stdout + result.stderr


def test_git_gets_the_token_only_for_a_gist_host_and_no_helper_can_store_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What git does after a push that authenticated: `credential approve`, to every configured
    helper. With `credential.helper=store` that writes the token to ~/.git-credentials."""
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    store = Path(os.environ["HOME"]) / ".git-credentials"
    subprocess.run(["git", "config", "--global", "credential.helper", "store"], check=True)
    approve = f"protocol=https\nhost=gist.github.com\nusername=x-access-token\npassword={TOKEN}\n\n"

    def approve_with(env: dict[str, str]) -> None:
        subprocess.run(
            ["git", "credential", "approve"], input=approve, text=True, env={**os.environ, **env}, check=True
        )

    with gist.git_env("https://gist.github.com/abc123.git") as env:
        assert "GIT_ASKPASS" in env
        approve_with(env)
    assert not store.exists()
    approve_with({})  # the same without our environment: the helper stores it (the test can fail)
    assert TOKEN in store.read_text()
    with gist.git_env("https://evil.example/abc123.git") as env:
        assert "GIT_ASKPASS" not in env and TOKEN not in json.dumps(env)


def test_a_recorded_gist_url_elsewhere_is_refused(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    config = example / "notes.toml"
    config.write_text(
        config.read_text() + '\n[gists.docker]\nid = "abc123"\nurl = "https://gist.github.com/abc123"\n'
        'push_url = "https://evil.example/abc123.git"\ncommit = ""\n'
    )
    result = run("cheats", "publish", "docker", cwd=example)
    assert result.exit_code == 1
    assert result.stderr.startswith("notes.toml: the recorded gist URL")


def test_a_local_gist_url_needs_the_users_own_api_setting(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gists").mkdir()
    with GistServer(tmp_path / "gists", TOKEN) as server:
        monkeypatch.setenv("GITHUB_API_URL", server.url)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        assert run("cheats", "publish", "docker", cwd=example).exit_code == 0  # records a file:// URL
        monkeypatch.delenv("GITHUB_API_URL")
        result = run("cheats", "publish", "docker", cwd=example)
        assert result.exit_code == 1 and "is not a gist on GitHub" in result.stderr


def test_a_note_linked_from_outside_is_left_alone_with_a_warning(example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("# Elsewhere\n\n<!-- notes:toc -->\n<!-- /notes:toc -->\n\n## Part\n")
    (example / "05_linked.md").symlink_to(outside)
    before = outside.read_bytes()
    result = run("index", cwd=example)
    assert "05_linked.md: is a link to a file outside the workspace; left alone" in result.stderr
    assert outside.read_bytes() == before and (example / "05_linked.md").is_symlink()


@pytest.mark.parametrize(
    ("folder", "command"),
    [
        ("cheatsheets", ["cheats", "export"]),
        ("transcripts", ["transcript", "add", "02_docker-and-postgres.md", "{spoken}"]),
        (".vscode", ["init", "--vscode", "."]),
    ],
)
def test_a_folder_linked_outside_is_never_written_through(
    example: Path, tmp_path: Path, folder: str, command: list[str]
) -> None:
    """git keeps symbolic links: a clone may hold ``cheatsheets -> ~/.ssh``."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.md").write_text("theirs\n")
    spoken = tmp_path / "spoken.txt"
    spoken.write_text("0:00 hello\n0:10 volumes\n")
    target = example / folder
    if target.is_dir():
        shutil.rmtree(target)
    target.symlink_to(outside, target_is_directory=True)
    before = tree_bytes(outside)
    result = run(*[spoken.as_posix() if part == "{spoken}" else part for part in command], cwd=example)
    assert result.exit_code != 0
    assert "leads outside the workspace (through a link); left alone" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_bytes(outside) == before


def test_a_sheet_linked_outside_is_never_published(example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "id_rsa.md"
    outside.write_text("a private file\n")
    sheet = example / "cheatsheets" / "git.md"
    sheet.unlink()
    sheet.symlink_to(outside)
    result = run("cheats", "publish", "git", "--dry-run", cwd=example)
    assert result.exit_code != 0 and "leads outside the workspace (through a link)" in result.stderr
    assert "a private file" not in result.stdout


def test_a_screenshot_is_not_moved_into_an_images_folder_linked_outside(example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(example / "images")
    (example / "images").symlink_to(outside, target_is_directory=True)
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG" + bytes(100))
    note = example / "02_docker-and-postgres.md"
    before = note.read_bytes()
    with pytest.raises(NotesError, match="leads outside the workspace"):
        images.add_screenshot(open_workspace(example), note, shot)
    assert list(outside.iterdir()) == [] and shot.exists() and note.read_bytes() == before
