"""``notes stamp --review`` as a person uses it, in a real pseudo-terminal; ``--redo`` and
``--clear`` on a note edited after stamping."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import git, run, tree_bytes
from test_transcripts import NOTE, SPOKEN

pexpect = pytest.importorskip("pexpect")  # (not on Windows: its console has no pty)

CLEAR = "\x1b[2J\x1b[1;1H"

FIRST_SCREEN = """\
02_docker.md  section 1 of 4
## Installing Docker
proposed 0:20  (sure)

      0:00  hi everyone welcome to the course
 >    0:20  today we will install docker on the machine
      0:40  docker desktop needs the installer
      1:10  now let us run postgres in a container with docker run

candidates: none
Enter accept  1-3 candidate  , . earlier/later  t type a time  s skip  q quit
"""

STEPPED_SCREEN = """\
02_docker.md  section 1 of 4
## Installing Docker
proposed 0:40  (moved)

      0:20  today we will install docker on the machine
 >    0:40  docker desktop needs the installer
      1:10  now let us run postgres in a container with docker run
      1:35  postgres needs environment variables for the user and password

candidates: none
Enter accept  1-3 candidate  , . earlier/later  t type a time  s skip  q quit
"""


def with_transcript(workspace: Path, note: str, spoken: str) -> Path:
    """``workspace`` with ``note`` as 02_docker.md and ``spoken`` stored as its transcript."""
    (workspace / "02_docker.md").write_text(note)
    source = workspace.parent / "panel.txt"
    source.write_text(spoken)
    assert run("transcript", "add", "02_docker.md", str(source), cwd=workspace).exit_code == 0
    return workspace


@pytest.fixture
def course(workspace: Path) -> Path:
    return with_transcript(workspace, NOTE, SPOKEN)


def review(cwd: Path, *args: str, columns: int = 80) -> Any:
    return pexpect.spawn(
        sys.executable,
        ["-m", "notes_tool", "stamp", "02_docker.md", "--review", *args],
        cwd=str(cwd),
        dimensions=(24, columns),
        encoding="utf-8",
        timeout=20,
    )


def screen(child: Any) -> str:
    """The screen just drawn: what was written since the last clear, as the user reads it."""
    child.expect("q quit\r\n")
    return str(child.before + "q quit\n").rsplit(CLEAR, 1)[-1].replace("\r\n", "\n")


def headings(note: Path) -> list[str]:
    return [
        line.split("](")[0] + "]" if "](" in line else line
        for line in note.read_text().splitlines()
        if line[:3] == "## "
    ]


def test_review_shows_each_section_with_the_transcript_and_one_key_confirms(course: Path) -> None:
    child = review(course, "--all-sections")
    assert screen(child) == FIRST_SCREEN
    child.send(".")  # a phrase later: the lines shown follow
    assert screen(child) == STEPPED_SCREEN
    child.send("\r")  # accepted
    assert "## Running Postgres\nproposed 1:10" in screen(child)
    child.send("t")  # a time of one's own
    child.expect("time")
    child.sendline("1:15")
    # no moment: the best places anywhere in the video are offered, saying the video may not cover it
    own = screen(child)
    assert "## My own research: Rust lifetimes\nproposed 3:35  " in own
    assert "(a candidate: the video may not cover this section)" in own
    child.send("s")
    assert "## pgAdmin" in screen(child)
    child.send("q")
    child.expect(pexpect.EOF)
    assert "02_docker.md: 3 moments written" in child.before
    assert headings(course / "02_docker.md") == [
        "## [0:40]",
        "## [1:15]",
        "## My own research: Rust lifetimes",
        "## [2:00]",
        "## [3:10]",  # sure: written as stamp would, though not reached
    ]
    # Accepted moments are stamp's (redo may move them); the one typed is the user's.
    record = (course / "transcripts" / "02_docker.stamped.txt").read_text().splitlines()[1:]
    assert record == ["0:40 Installing Docker", "3:10 pgAdmin"]


def test_ctrl_c_keeps_what_was_accepted_and_writes_nothing_half(course: Path) -> None:
    child = review(course, "--all-sections")
    screen(child)
    child.send("\r")
    screen(child)
    child.send("\x03")
    child.expect(pexpect.EOF)
    assert "Traceback" not in child.before
    text = (course / "02_docker.md").read_text()
    assert "[0:20](" in text and "Running Postgres" in text and "Without a volume the data is lost" in text


def test_a_note_saved_while_reviewing_keeps_the_edit(course: Path) -> None:
    note = course / "02_docker.md"
    child = review(course, "--all-sections")
    screen(child)
    note.write_text(note.read_text().replace("A web UI for Postgres.", "A web UI for Postgres, on port 8080."))
    child.send("\r")
    screen(child)
    child.send("q")
    child.expect(pexpect.EOF)
    text = note.read_text()
    assert "on port 8080" in text  # the user's edit
    assert "[0:20](" in text  # and the accepted moment


@pytest.mark.parametrize(
    ("columns", "says"), [(40, "the terminal is 40 columns wide; --review needs 60 (or use --dry-run)")]
)
def test_a_terminal_too_narrow_is_one_line(course: Path, columns: int, says: str) -> None:
    before = tree_bytes(course)
    child = review(course, columns=columns)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and says in child.before and "Traceback" not in child.before
    assert tree_bytes(course) == before


def test_off_a_terminal_review_says_what_to_run_instead(course: Path) -> None:
    result = run("stamp", "02_docker.md", "--review", cwd=course)
    assert result.exit_code == 1
    assert "--review needs a terminal; off one, see the moments with: notes stamp NOTE --dry-run" in result.stderr


def test_a_transcript_stored_for_another_video_is_one_line(course: Path) -> None:
    stored = course / "transcripts" / "02_docker.v1.txt"
    stored.write_text(stored.read_text().replace("youtu.be/abcdefghijk", "youtu.be/ANOTHERVIDEO"))
    before = tree_bytes(course)
    says = "02_docker.v1.txt: is the transcript of another video (https://youtu.be/ANOTHERVIDEO)"
    result = run("stamp", "02_docker.md", "--dry-run", cwd=course)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1 and says in result.stderr
    child = review(course)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and says in child.before and "Traceback" not in child.before
    assert tree_bytes(course) == before


def test_redo_moves_stamps_own_moments_and_clear_takes_them_out_typed_ones_stay(course: Path, tmp_path: Path) -> None:
    note = course / "02_docker.md"
    assert run("stamp", "02_docker.md", cwd=course).exit_code == 0
    assert headings(note) == ["## [0:20]", "## [1:10]", "## My own research: Rust lifetimes", "## [2:00]", "## [3:10]"]
    # The learner corrects one time (now theirs) and rewrites a section to be about pgAdmin's port.
    text = note.read_text().replace("t=190s) pgAdmin", "t=190s) pgAdmin").replace("[3:10](", "[3:35](")
    note.write_text(text.replace("Download Docker Desktop", "Desktop needs the installer: download Docker Desktop"))
    assert run("stamp", "02_docker.md", "--redo", cwd=course).exit_code == 0
    assert headings(note)[3:] == ["## [2:00]", "## [3:35]"]  # typed ones never move
    rows = json.loads(run("stamp", "02_docker.md", "--json", cwd=course).stdout)
    assert {r["heading"]: r["reason"] for r in rows}["pgAdmin"] == "typed"
    # travels with git: a clone clears stamp's own and keeps the typed ones
    assert run("commit", "-m", "stamped", cwd=course).exit_code == 0
    clone = tmp_path / "clone"
    git("clone", "-q", str(course), str(clone), cwd=tmp_path)
    assert run("stamp", "02_docker.md", "--clear", cwd=clone).exit_code == 0
    assert headings(clone / "02_docker.md") == [
        "## Installing Docker",
        "## Running Postgres",
        "## My own research: Rust lifetimes",
        "## [2:00]",
        "## [3:35]",
    ]
    assert not (clone / "transcripts" / "02_docker.stamped.txt").exists()


def test_redo_with_typed_times_going_backwards_is_one_line(course: Path) -> None:
    note = course / "02_docker.md"
    note.write_text(note.read_text().replace("## pgAdmin", "## 1:00 pgAdmin"))
    before = tree_bytes(course)
    result = run("stamp", "02_docker.md", "--redo", cwd=course)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "02_docker.md:23: typed times go backwards (2:00 then 1:00)" in result.stderr
    assert tree_bytes(course) == before


def test_the_dry_run_table_has_headers_and_says_what_each_moment_means(course: Path) -> None:
    result = run("stamp", "02_docker.md", "--dry-run", cwd=course)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "02_docker.md:",
        "   line    moment  stamp             heading",
        "      7      0:20  to write          Installing Docker",
        "     11      1:10  to write          Running Postgres",
        "     15         -  not in the video  My own research: Rust lifetimes",
        "     19      2:00  typed             Volumes",
        "     23      3:10  to write          pgAdmin",
    ]
    rows = json.loads(run("stamp", "02_docker.md", "--json", cwd=course).stdout)
    running = next(r for r in rows if r["heading"] == "Running Postgres")
    assert running["confidence"] == 1.0 and running["candidates"] == [40]  # the numbers, and where else it could start


TWICE = """\
0:00 hello and welcome to the course
0:30 first we install docker desktop with the installer
1:10 then we run postgres in a container
1:40 named volumes keep the postgres data when the container stops
2:20 now something else entirely the weather is nice today
3:00 about named volumes again the postgres data stays in the volume when the container stops
3:40 that is all for today thanks for watching
"""

TWICE_NOTE = """\
---
video: https://youtu.be/abcdefghijk
---

# Docker

## Installing Docker

Docker Desktop comes with an installer.

## Volumes

A named volume keeps the Postgres data when the container stops.
"""


def test_a_moment_to_check_is_listed_as_such_and_review_takes_a_candidate_with_one_key(workspace: Path) -> None:
    with_transcript(workspace, TWICE_NOTE, TWICE)
    result = run("stamp", "02_docker.md", "--dry-run", cwd=workspace)
    volumes = next(line for line in result.stdout.splitlines() if line.endswith("Volumes"))
    assert "check" in volumes.split()  # said twice: not sure which
    assert "02_docker.md: 1 to check: notes stamp 02_docker.md --review" in result.stderr
    child = review(workspace)
    shown = screen(child)
    assert shown.splitlines()[:2] == ["02_docker.md  section 1 of 1", "## Volumes"]
    assert "proposed " in shown and "(check)" in shown
    candidate = shown.split("candidates: ")[1].split()
    assert candidate[0] == "1"
    child.send("1")
    child.expect(pexpect.EOF)
    assert "02_docker.md: 2 moments written" in child.before  # the sure one, and the one confirmed
    assert f"## [{candidate[1]}](" in (workspace / "02_docker.md").read_text()


def test_check_names_the_record_of_a_renamed_note(course: Path) -> None:
    assert run("stamp", "02_docker.md", cwd=course).exit_code == 0
    (course / "02_docker.md").rename(course / "02_docker-and-postgres.md")
    said = (lambda r: r.stdout + r.stderr)(run("check", cwd=course))
    assert "transcripts/02_docker.stamped.txt: warning: the record of stamp's moments of 02_docker.md" in said


def test_a_typed_time_that_is_not_one_is_said_and_the_section_shown_again(course: Path) -> None:
    child = review(course, "--all-sections")
    screen(child)
    child.send("t")
    child.expect("time")
    child.sendline("soon")
    child.expect("not a time: soon")
    child.send("x")  # any key goes back to the section
    assert "## Installing Docker" in screen(child)
    child.send("q")
    child.expect(pexpect.EOF)
    assert "## Installing Docker" not in (course / "02_docker.md").read_text()  # not accepted: no time


def test_clear_dry_run_lists_what_it_would_take_out_and_changes_nothing(course: Path) -> None:
    assert run("stamp", "02_docker.md", cwd=course).exit_code == 0
    before = tree_bytes(course)
    result = run("stamp", "02_docker.md", "--clear", "--dry-run", cwd=course)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "02_docker.md:",
        "   line    moment  stamp     heading",
        "      7      0:20  to clear  Installing Docker",
        "     11      1:10  to clear  Running Postgres",
        "     23      3:10  to clear  pgAdmin",  # the typed 2:00 Volumes stays
    ]
    assert tree_bytes(course) == before


def test_redo_on_an_unchanged_note_changes_nothing(course: Path) -> None:
    assert run("stamp", "02_docker.md", cwd=course).exit_code == 0
    before = tree_bytes(course)
    assert run("stamp", "02_docker.md", "--redo", cwd=course).exit_code == 0
    assert tree_bytes(course) == before


def test_notes_mv_takes_the_record_of_stamps_moments_along(course: Path) -> None:
    assert run("stamp", "02_docker.md", cwd=course).exit_code == 0
    assert run("mv", "02_docker.md", "03_docker.md", cwd=course).exit_code == 0
    assert (course / "transcripts" / "03_docker.stamped.txt").exists()
    assert run("stamp", "03_docker.md", "--clear", cwd=course).exit_code == 0
    assert headings(course / "03_docker.md")[:2] == ["## Installing Docker", "## Running Postgres"]


def test_quitting_the_review_of_one_note_skips_the_next(course: Path) -> None:
    (course / "03_copy.md").write_text(NOTE)  # the same note again, with the same transcript
    source = course.parent / "panel.txt"
    assert run("transcript", "add", "03_copy.md", str(source), cwd=course).exit_code == 0
    child = pexpect.spawn(
        sys.executable,
        ["-m", "notes_tool", "stamp", "02_docker.md", "03_copy.md", "--review", "--all-sections"],
        cwd=str(course),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=20,
    )
    assert screen(child).startswith("02_docker.md  section 1 of 4\n")
    child.send("q")
    child.expect(pexpect.EOF)
    assert "03_copy.md" not in child.before
    assert "\n## Installing Docker\n" in (course / "03_copy.md").read_text()  # not stamped
