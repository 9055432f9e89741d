"""#24 item 9: inputs that gave tracebacks now give one line, a non-zero exit, and write nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from conftest import run, tree_bytes
from youtube_server import Track, YouTubeServer

VIDEO = "abcdefghijk"


def one_line_failure(result: Result, says: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.stderr
    assert says in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_init_vscode_with_an_images_link_loop(workspace: Path) -> None:
    (workspace / "images").rmdir()
    (workspace / "images").symlink_to("images")  # a loop: exists() says no, mkdir says it does
    result = run("init", "--vscode", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert "images is not a folder (a file, or a link to nowhere); left alone" in result.stderr
    assert (workspace / "images").is_symlink()


def test_init_vscode_with_deep_json_settings(workspace: Path) -> None:
    settings = workspace / ".vscode" / "settings.json"
    settings.write_text("[" * 50_000 + "]" * 50_000)
    before = tree_bytes(workspace)
    result = run("init", "--vscode", cwd=workspace)
    one_line_failure(result, ".vscode/settings.json: not JSON with comments (nested too deeply); left as it is")
    assert tree_bytes(workspace) == before


@pytest.mark.parametrize(
    ("template", "says"),
    [
        (b"# {{ title }}\n\xff\xfe not UTF-8\n", "template bad.md.j2 (or one it includes) is not UTF-8 text"),
        (b'{% include "bad.md.j2" %}\n', "template bad.md.j2 includes or calls itself without end"),
        (b"{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "template bad.md.j2 includes or calls itself without end"),
    ],
    ids=["not utf-8", "includes itself", "recursive macro"],
)
def test_new_with_a_broken_template(workspace: Path, template: bytes, says: str) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "bad.md.j2").write_bytes(template)
    before = tree_bytes(workspace)
    one_line_failure(run("new", "Probe", "--template", "bad", cwd=workspace), says)
    assert tree_bytes(workspace) == before


def test_new_with_a_huge_title(workspace: Path) -> None:
    before = tree_bytes(workspace)
    result = run("new", "a" * 10_000_000, cwd=workspace)
    one_line_failure(result, "a note's title is at most 300 characters, not 10,000,000")
    assert tree_bytes(workspace) == before


def test_search_when_the_cache_cannot_hold_the_index(example: Path) -> None:
    """Root reads anything, so the cache is made unusable another way: where SQLite must put
    its journal there is a folder with an immutable file in it (it cannot be cleared, nor the
    index made). A folder there that can be removed is cleared and the index made: the cache
    is never taken as a clone brought it (tests/hostile/test_cache.py)."""
    import shutil
    import subprocess

    cache = example / ".notes-cache"
    for name in ("notes.sqlite", "notes.sqlite-wal", "notes.sqlite-shm"):
        (cache / name).unlink(missing_ok=True)
    (cache / "notes.sqlite-journal").mkdir()
    stuck = cache / "notes.sqlite-journal" / "x"
    stuck.write_text("x")
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(stuck)], capture_output=True, check=False).returncode:
        pytest.skip("needs a file that cannot be removed (chattr +i)")
    try:
        result = run("search", "docker", cwd=example)
    finally:
        subprocess.run([chattr, "-i", str(stuck)], check=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1
    assert ".notes-cache: search: the index cannot be kept in the cache folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a folder of mode 000 anyway")
def test_search_with_the_cache_folder_unreadable(example: Path) -> None:
    cache = example / ".notes-cache"
    run("search", "docker", cwd=example)
    cache.chmod(0)
    try:
        result = run("search", "docker", cwd=example)
    finally:
        cache.chmod(0o755)
    assert result.exit_code == 1 and "search: the index cannot be kept in the cache folder" in result.stderr


def test_transcript_add_with_deep_json(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "t.json"
    source.write_text("[" * 100_000 + "]" * 100_000)
    before = tree_bytes(example)
    result = run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example)
    one_line_failure(result, "t.json: not valid JSON (nested too deeply)")
    assert tree_bytes(example) == before


@pytest.fixture
def youtube(monkeypatch: pytest.MonkeyPatch) -> Iterator[YouTubeServer]:
    server = YouTubeServer()
    server.videos[VIDEO] = [Track("en", [(0.0, 2.0, "hello")])]
    monkeypatch.setenv("NOTES_YOUTUBE_URL", server.url)
    yield server
    server.close()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><transcript><text start="0" dur="1">&c;</text></transcript>'
)


@pytest.mark.parametrize(
    ("raw", "tracks", "says"),
    [
        ('<transcript><text start="0" dur="1">hello', None, "YouTube sent what cannot be read (ParseError)"),
        (LAUGHS, None, "YouTube sent what cannot be read (EntitiesForbidden)"),
        (None, {"baseUrl": "x"}, "YouTube sent what cannot be read"),
        (None, "tracks", "YouTube sent what cannot be read"),
        (None, 7, "YouTube sent what cannot be read (TypeError)"),
        (None, [{"languageCode": "en"}], "YouTube sent what cannot be read (KeyError)"),
    ],
    ids=["bad xml", "xml entities", "tracks a dict", "tracks a string", "tracks a number", "track without url"],
)
def test_transcript_fetch_with_what_youtube_should_not_send(
    youtube: YouTubeServer, workspace: Path, raw: str | None, tracks: object, says: str
) -> None:
    if raw is not None:
        youtube.raw_tracks[VIDEO] = raw
    youtube.caption_tracks = tracks
    (workspace / "02_docker.md").write_text(f"---\nvideo: https://youtu.be/{VIDEO}\n---\n\n# Docker\n")
    before = tree_bytes(workspace)
    result = run("transcript", "fetch", "02_docker.md", cwd=workspace)
    one_line_failure(result, f"transcript fetch: video {VIDEO}: {says}")
    assert tree_bytes(workspace) == before
