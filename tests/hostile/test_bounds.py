"""#24 item 10: the smaller doors (settings into .git, transcript times and sizes, a fetch that
never answers, leftovers of a killed run, linked images, many duplicate headings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, tree_bytes


@pytest.mark.parametrize(
    "setting",
    ['cache_dir = ".git/refs/heads"', 'cache_dir = ".git"', 'cache_dir = ".GIT/x"', 'notes_dir = ".git/hooks"'],
)
def test_a_setting_into_git_s_own_folder_is_refused(workspace: Path, setting: str) -> None:
    config = workspace / "notes.toml"
    key = setting.split(" =")[0]
    config.write_text(
        "\n".join([*(x for x in config.read_text().splitlines() if not x.startswith(f"{key} =")), setting]) + "\n"
    )
    refs = sorted(p.name for p in (workspace / ".git" / "refs" / "heads").iterdir())
    before = tree_bytes(workspace)
    for args in (["index"], ["check"], ["search", "x"]):
        result = run(*args, cwd=workspace)
        assert result.exit_code != 0, args
        assert result.stderr.startswith("notes.toml:") and "must not be in git's own folder (.git)" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in (workspace / ".git" / "refs" / "heads").iterdir()) == refs
    assert tree_bytes(workspace) == before


NOTE = "02_docker-and-postgres.md"
STORED = f"transcripts/{NOTE.removesuffix('.md')}.v1.txt"
HEADER = f"# Transcript of {NOTE}, video 1: https://www.youtube.com/watch?v=2JM-ziJt0WI\n"


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ('[{"text": "a", "start": -5, "duration": 1}]', "a time out of range (-0:05)"),
        ('[{"text": "a", "start": 360000, "duration": 1}]', "a time out of range (100:00:00)"),
        ('[{"text": "a", "start": 1e12, "duration": 1}]', "a time out of range (277777777:46:40)"),
        ("WEBVTT\n\n100:00:00.000 --> 100:00:02.000\nfar\n", "a time out of range (100:00:00)"),
    ],
)
def test_transcript_times_out_of_range_are_refused_at_import(
    example: Path, tmp_path: Path, source: str, says: str
) -> None:
    file = tmp_path / "t.txt"
    file.write_text(source)
    before = tree_bytes(example)
    result = run("transcript", "add", NOTE, str(file), cwd=example)
    assert result.exit_code == 1, result.stderr
    assert says in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert tree_bytes(example) == before


@pytest.mark.parametrize("line", ["-1:00 negative", "100:00:00 far", "99:99:99 past 99 hours", "1234567:00:00 x"])
def test_a_stored_transcript_out_of_range_is_one_line_for_show_and_stamp(example: Path, line: str) -> None:
    stored = example / STORED
    stored.parent.mkdir(exist_ok=True)
    stored.write_text(HEADER + "0:00 hello\n" + line + "\n")
    for args in (["transcript", "show", NOTE], ["stamp", NOTE], ["stamp", "--all"], ["search", "negative"]):
        result = run(*args, cwd=example)
        assert "Traceback" not in result.stderr, args
        if args[0] != "search":
            assert result.exit_code == 1, (args, result.stdout)
            assert result.stderr.startswith(f"{STORED}:3: not a transcript line"), (args, result.stderr)


def test_a_transcript_too_big_is_refused_in_one_line(example: Path, tmp_path: Path) -> None:
    """A 100 MB transcript (a clone's, or one given to add): refused unread, at once."""
    big = HEADER.encode() + b"0:01 words words words words words\n" * 3_000_000
    assert len(big) > 100_000_000
    stored = example / STORED
    stored.parent.mkdir(exist_ok=True)
    stored.write_bytes(big)
    for args in (["stamp", NOTE], ["transcript", "show", NOTE], ["transcript", "add", NOTE, str(stored)]):
        result = run(*args, cwd=example)
        assert result.exit_code == 1, args
        assert "over the 16 MB it may be" in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    stored.unlink()


def test_transcript_fetch_gives_up_on_a_server_that_never_answers(example: Path, tmp_path: Path) -> None:
    """A server that accepts the connection and never replies: the fetch ends with one line
    (its timeout made short here), instead of hanging."""
    import socket
    import subprocess
    import sys
    import time

    (example / "05_video.md").write_text("---\nvideo: https://youtu.be/abcdefghijk\n---\n\n# Video\n")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        script = (
            "import sys\nfrom notes_tool.edges import youtube\nyoutube.TIMEOUT = 1.0\n"
            "from notes_tool.cli import cli\nsys.argv = ['notes', 'transcript', 'fetch', '05_video.md']\ncli()\n"
        )
        began = time.monotonic()
        try:
            done = subprocess.run(
                [sys.executable, "-c", script],
                cwd=example,
                capture_output=True,
                text=True,
                timeout=45,
                env={**__import__("os").environ, "NOTES_YOUTUBE_URL": url},
            )
        except subprocess.TimeoutExpired:
            pytest.fail("transcript fetch hung on a server that never answers")
    assert time.monotonic() - began < 30
    assert done.returncode == 1
    assert "could not reach YouTube" in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr
    assert not (example / "transcripts" / "05_video.v1.txt").exists()


def test_temp_files_of_a_killed_transcript_add_are_swept(example: Path) -> None:
    import os
    import time

    folder = example / "transcripts"
    folder.mkdir(exist_ok=True)
    stale = folder / f".{NOTE.removesuffix('.md')}.v1.txt.k3x9a2.notes-tmp"
    stale.write_text("half a transcript")
    fresh = folder / ".other.v1.txt.zz.notes-tmp"  # a run in progress: too young to be a leftover
    fresh.write_text("being written")
    mine = folder / "my-own.notes-tmp.txt"  # not ours: no leading dot
    mine.write_text("keep")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    assert run("index", cwd=example).exit_code in (0, 1)
    assert not stale.exists() and fresh.exists() and mine.exists()


@pytest.mark.parametrize("kind", ["screenshot", "pasted"])
def test_a_linked_image_is_not_moved_into_images(example: Path, tmp_path: Path, kind: str) -> None:
    from notes_tool.errors import NotesError
    from notes_tool.structure.workspace import open_workspace
    from notes_tool.watch import images

    secret = tmp_path / "id_rsa"
    secret.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\n")
    note = example / NOTE
    ws = open_workspace(example)
    if kind == "screenshot":
        shot = tmp_path / "shots" / "Screenshot 1.png"
        shot.parent.mkdir()
        shot.symlink_to(secret)
        before = note.read_bytes()
        with pytest.raises(NotesError, match="is a symbolic link, not an image file; left where it is"):
            images.add_screenshot(ws, note, shot)
        assert shot.is_symlink() and note.read_bytes() == before
    else:
        (example / "image.png").symlink_to(secret)
        note.write_text(note.read_text() + "\n![](image.png)\n")
        before = note.read_bytes()
        placed = images.adopt_pasted(ws, note)
        assert [p.message for p in placed.left] == ["is a symbolic link, not an image file; left where it is"]
        assert [p.path for p in placed.left] == [example / "image.png"]
        assert (example / "image.png").is_symlink() and note.read_bytes() == before
    assert not ws.images_dir.is_dir() or not any(ws.images_dir.iterdir())
    assert secret.read_bytes() == b"-----BEGIN OPENSSH PRIVATE KEY-----\n"


def test_check_with_thousands_of_duplicate_headings_hints_each_broken_link(example: Path) -> None:
    """5,000 ``## Same`` headings (anchors same, same-1 ... same-4999) and a broken link under
    each: every broken link reported, with a hint that is one of the note's anchors. (This
    took 83 s: each hint compared the link with every anchor; bench/check_anchors.py times it.)"""
    lines = ["# Dups", ""]
    for i in range(5000):
        lines += ["## Same", "", f"[ok](#same-{i})" if i else "[ok](#same)", f"[typo](#sane-{i})", ""]
    (example / "05_dups.md").write_text("\n".join(lines))
    result = run("check", cwd=example)
    broken = [line for line in result.stdout.splitlines() if line.startswith("05_dups.md:")]
    assert len(broken) == 5000, result.stdout[-500:]
    assert broken[7] == "05_dups.md:41: no heading in this note has the anchor #sane-7 (did you mean #same-7?)"
    assert all(line.endswith(f"#sane-{i} (did you mean #same-{i}?)") for i, line in enumerate(broken) if i)
