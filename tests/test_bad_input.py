"""Bad input gets one line, `path:line: what is wrong`, a non-zero exit (or a warning), no
traceback, and nothing changed: odd files in the notes folder, odd arguments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run, tree_bytes

COMMANDS = [["index"], ["check"], ["cheats", "export"], ["search", "docker"]]


def notes(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command in its own process (a hang fails the test instead of blocking the suite)."""
    return subprocess.run(
        [sys.executable, "-m", "notes_tool", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("odd", ["symlink loop", "folder", "fifo"])
def test_odd_things_named_like_notes_never_crash_or_hang(example: Path, odd: str) -> None:
    path = example / "07_odd.md"
    if odd == "symlink loop":
        (example / "loop.md").symlink_to("loop.md")
        path.symlink_to("loop.md")
    elif odd == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    said = {}
    for command in COMMANDS:
        done = notes(*command, cwd=example)
        assert "Traceback" not in done.stderr, (command, done.stderr)
        assert done.returncode in (0, 1), (command, done.stderr)
        said[" ".join(command)] = done.stdout
    assert "07_odd.md:" in said["check"]  # (its own run of check, as a second one would say: saves a process)


def test_a_query_that_is_not_text_is_one_line(example: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "notes_tool", "search", os.fsdecode(b"\xff")],
        cwd=example,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and done.stderr.startswith("search: the query is not valid text")
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("args", [["search", "docker", "--lesson", "9" * 30], ["new", "X", "--lesson", "9" * 30]])
def test_huge_numbers_are_refused_by_name(example: Path, args: list[str]) -> None:
    result = run(*args, cwd=example)
    assert result.exit_code == 2 and "--lesson" in result.stderr


@pytest.mark.parametrize("title", ["Two\nlines", "Tab\there", "Bell\x07"])
def test_a_new_note_title_is_one_line_of_text(example: Path, title: str) -> None:
    before = tree_bytes(example)
    result = run("new", title, cwd=example)
    assert result.exit_code == 1 and "a note's title is one line of text" in result.stderr
    assert tree_bytes(example) == before


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the workers")
def test_workers_exit_when_the_command_is_killed(tmp_path: Path) -> None:
    import signal
    import time

    ws = tmp_path / "big"
    assert run("init", str(ws), "--course", "Big").exit_code == 0
    body = "".join(f"## Part {n}\n\nSome prose with a [link](#part-{n}) and `code`.\n\n" for n in range(400))
    for n in range(300):
        (ws / f"{n + 1:03d}_note.md").write_text(f"# Note {n}\n\n<!-- notes:toc -->\n<!-- /notes:toc -->\n\n{body}")
    parent = subprocess.Popen([sys.executable, "-m", "notes_tool", "index"], cwd=ws, stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent.pid:
                found.append(int(stat.parent.name))
        return found

    deadline = time.monotonic() + 30
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
        workers = children()
        time.sleep(0.05)
    assert workers, "the index run never started its workers"
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    alive = [pid for pid in workers if _running(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert alive == []


def _running(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_folder_named_like_a_note_is_said_not_silently_skipped(example: Path) -> None:
    (example / "03_dir.md").mkdir()
    expected = "03_dir.md: warning: is a folder named like a lesson note: not a note, not indexed (rename it)"
    assert expected in run("check", cwd=example).stdout.splitlines()
    assert "03_dir.md: is a folder named like a lesson note" in run("index", cwd=example).stderr


@pytest.mark.parametrize("url", ["not a url", "https://www.youtube.com/watch?v=", "videos/missing.mp4", "a\tb"])
def test_new_refuses_a_url_that_is_no_video(workspace: Path, url: str) -> None:
    result = run("new", "Intro", "--url", url, cwd=workspace)
    assert result.exit_code == 1 and result.stdout == ""
    assert f"--url {url!r} is not a video's URL" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not list(workspace.glob("01_*.md"))


def test_new_takes_a_video_file_that_is_there(workspace: Path) -> None:
    (workspace / "videos").mkdir()
    (workspace / "videos" / "intro.mp4").write_bytes(b"\x00" * 16)
    result = run("new", "Intro", "--url", "videos/intro.mp4", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert 'video: "videos/intro.mp4"' in Path(result.stdout.strip()).read_text()


def test_an_impossible_time_and_unclosed_front_matter_are_said(workspace: Path) -> None:
    note = workspace / "01_intro.md"
    body = "# Intro\n\n## 9:99 Bad time\n\n## 1:05 Fine\n"
    note.write_text("---\ntitle: Intro\nvideo: https://youtu.be/2JM-ziJt0WI\n\n" + body)
    out = run("check", cwd=workspace).stdout
    assert "01_intro.md:1: warning: front matter opened here is never closed by a `---` line: read as text" in out
    note.write_text("---\nvideo: https://youtu.be/2JM-ziJt0WI\n---\n\n" + body)
    result = run("index", cwd=workspace)
    assert "01_intro.md:7: '9:99' is not a time (minutes and seconds go to 59): not linked" in result.stderr
    assert "## [1:05](https://www.youtube.com/watch?v=2JM-ziJt0WI&t=65s) Fine" in note.read_text()
    assert "## 9:99 Bad time\n" in note.read_text()
