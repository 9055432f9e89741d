"""Transcripts: every form users have, read into one plain form stored beside the notes."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import git, run, tree_bytes
from youtube_server import Track, YouTubeServer

from notes_tool.features import transcripts
from notes_tool.model.transcript import Phrase

PANEL_SAME_LINE = "0:00 hello everyone\n0:04 today we talk about volumes\n1:02:03 goodbye\n"

PANEL_NEXT_LINE = """\
Intro
0:00
0 seconds
hello everyone
0:04
4 seconds
today we talk about volumes
Volumes
1:02
1 minute, 2 seconds
a named volume keeps the data
"""

AUTO_VTT = """\
WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.310 align:start position:0%
{space}
hello<00:00:00.480><c> everyone</c>

00:00:02.310 --> 00:00:02.320 align:start position:0%
hello everyone
{space}

00:00:02.320 --> 00:00:05.000 align:start position:0%
hello everyone
today<00:00:02.800><c> we</c><00:00:03.000><c> talk</c>

00:00:05.000 --> 00:00:05.010 align:start position:0%
today we talk
{space}
""".replace("{space}", " ")
"""yt-dlp's auto-captions: a blank-looking first line (one space), word-timing tags, each cue
repeating the line before it, and 10 ms cues that only repeat."""

SRT = "1\n00:00:01,000 --> 00:00:03,000\nhello everyone\n\n2\n00:01:02,500 --> 00:01:04,000\nvolumes keep data\n"

JSON = json.dumps(
    [{"text": "hello\neveryone", "start": 0.4, "duration": 3.0}, {"text": "volumes", "start": 62.9, "duration": 2}]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PANEL_SAME_LINE, [(0, "hello everyone"), (4, "today we talk about volumes"), (3723, "goodbye")]),
        (
            PANEL_NEXT_LINE,
            [(0, "hello everyone"), (4, "today we talk about volumes"), (62, "a named volume keeps the data")],
        ),
        (AUTO_VTT, [(0, "hello everyone"), (2, "today we talk")]),
        (SRT, [(1, "hello everyone"), (62, "volumes keep data")]),
        (JSON, [(0, "hello everyone"), (62, "volumes")]),
    ],
    ids=["panel-same-line", "panel-chapters-and-labels", "yt-dlp-auto-vtt", "srt", "youtube-transcript-api-json"],
)
def test_every_form_reads_to_the_same_phrases(text: str, expected: list[tuple[int, str]]) -> None:
    assert transcripts.parse(text, Path("t")) == [Phrase(start, words) for start, words in expected]


def test_add_stores_one_plain_form_beside_the_notes_and_commit_takes_it(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "transcript.txt"
    source.write_text(PANEL_NEXT_LINE)
    result = run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example)
    assert result.exit_code == 0, result.stderr
    stored = example / "transcripts" / "02_docker-and-postgres.v1.txt"
    assert "transcripts/02_docker-and-postgres.v1.txt: 3 phrases" in result.stderr
    assert stored.read_text() == (
        "# Transcript of 02_docker-and-postgres.md, video 1: https://youtu.be/2JM-ziJt0WI\n"
        "0:00 hello everyone\n0:04 today we talk about volumes\n1:02 a named volume keeps the data\n"
    )
    assert transcripts.load(stored)[2] == Phrase(62, "a named volume keeps the data")
    assert run("commit", "-m", "notes and transcript", cwd=example).exit_code == 0
    assert "transcripts/02_docker-and-postgres.v1.txt" in git("show", "--name-only", "--format=", "HEAD", cwd=example)


@pytest.mark.parametrize(
    ("note", "content", "args", "says"),
    [
        ("02_docker-and-postgres.md", b"", [], "the transcript is empty"),
        ("02_docker-and-postgres.md", b"\xff\xfe0:00 hi", [], "not UTF-8"),
        ("02_docker-and-postgres.md", b"just some words\nno times at all\n", [], "no transcript in a form notes knows"),
        ("02_docker-and-postgres.md", b"1:00 later\n0:30 earlier\n", [], "the times go backwards (1:00 then 0:30)"),
        ("02_docker-and-postgres.md", PANEL_SAME_LINE.encode(), ["--video", "3"], "has no video 3 (its videos: 1 "),
        ("04_novideo.md", PANEL_SAME_LINE.encode(), [], "has no video"),
    ],
)
def test_bad_transcripts_are_one_line_and_write_nothing(
    example: Path, tmp_path: Path, note: str, content: bytes, args: list[str], says: str
) -> None:
    (example / "04_novideo.md").write_text("# No video\n")
    source = tmp_path / "t.txt"
    source.write_bytes(content)
    before = tree_bytes(example)
    result = run("transcript", "add", note, str(source), *args, cwd=example)
    assert result.exit_code == 1 and says in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert tree_bytes(example) == before


def test_a_transcript_corrected_by_hand_is_not_replaced_unasked(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "panel.txt"
    source.write_text(PANEL_SAME_LINE)
    assert run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example).exit_code == 0
    stored = example / "transcripts" / "02_docker-and-postgres.v1.txt"
    stored.write_text(stored.read_text().replace("talk about volumes", "talk about Docker volumes"))
    corrected = stored.read_bytes()
    again = run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example)
    assert again.exit_code == 1 and len(again.stderr.splitlines()) == 1
    assert "holds a different transcript of this video (edited by hand?); --replace replaces it" in again.stderr
    assert stored.read_bytes() == corrected
    replaced = run("transcript", "add", "02_docker-and-postgres.md", str(source), "--replace", cwd=example)
    assert replaced.exit_code == 0 and b"talk about volumes" in stored.read_bytes()
    # the same transcript again is no change, and needs no --replace
    assert run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example).exit_code == 0


SPOKEN = """\
0:00 hi everyone welcome to the course
0:20 today we will install docker on the machine
0:40 docker desktop needs the installer
1:10 now let us run postgres in a container with docker run
1:35 postgres needs environment variables for the user and password
2:10 the data disappears when the container stops so we need a volume
2:30 a named volume keeps the postgres data
3:10 next pgadmin the web interface for postgres
3:35 pgadmin runs in its own container too
4:10 thanks for watching bye
"""

NOTE = """\
---
video: https://youtu.be/abcdefghijk
---

# Docker and Postgres

## Installing Docker

Download Docker Desktop and run the installer.

## Running Postgres

`docker run` with the POSTGRES_USER and POSTGRES_PASSWORD environment variables.

## My own research: Rust lifetimes

The borrow checker and ownership in Rust.

## 2:00 Volumes

Without a volume the data is lost when the container stops.

## pgAdmin

A web UI for Postgres.
"""


@pytest.fixture
def stamped_course(workspace: Path, tmp_path: Path) -> Path:
    (workspace / "02_docker.md").write_bytes(NOTE.replace("\n", "\r\n").encode())
    source = tmp_path / "panel.txt"
    source.write_text(SPOKEN)
    assert run("transcript", "add", "02_docker.md", str(source), cwd=workspace).exit_code == 0
    return workspace


def test_stamp_dry_run_lists_every_section_and_writes_nothing(stamped_course: Path) -> None:
    before = tree_bytes(stamped_course)
    result = run("stamp", "02_docker.md", "--json", cwd=stamped_course)
    assert result.exit_code == 0, result.stderr
    rows = {r["heading"]: (r["seconds"], r["reason"]) for r in json.loads(result.stdout)}
    assert rows == {
        "Installing Docker": (20, "stamped"),
        "Running Postgres": (70, "stamped"),
        "My own research: Rust lifetimes": (None, "not in the video"),  # never a wrong moment
        "Volumes": (120, "typed"),  # a fact: never moved
        "pgAdmin": (190, "stamped"),
    }
    assert tree_bytes(stamped_course) == before


def test_stamp_changes_only_the_time_prefix_and_again_nothing(stamped_course: Path) -> None:
    note = stamped_course / "02_docker.md"
    before = note.read_bytes()
    assert run("stamp", "02_docker.md", cwd=stamped_course).exit_code == 0
    after = note.read_bytes()
    assert b"## [0:20](https://www.youtube.com/watch?v=abcdefghijk&t=20s) Installing Docker\r\n" in after
    assert b"## [3:10](https://www.youtube.com/watch?v=abcdefghijk&t=190s) pgAdmin\r\n" in after
    assert b"## My own research: Rust lifetimes\r\n" in after
    # Outside the stamped headings (and the time links index writes), every byte is the user's.
    changed = [(a, b) for a, b in zip(before.split(b"\r\n"), after.split(b"\r\n"), strict=True) if a != b]
    assert [a for a, _ in changed] == [
        b"## Installing Docker",
        b"## Running Postgres",
        b"## 2:00 Volumes",
        b"## pgAdmin",
    ]
    assert run("stamp", "02_docker.md", cwd=stamped_course).exit_code == 0
    assert note.read_bytes() == after


def test_a_said_hit_names_the_section_covering_its_moment_once_stamped(stamped_course: Path) -> None:
    def covering(question: str) -> list[tuple[str, str, str]]:
        hits = json.loads(run("search", question, "--json", "--video-only", cwd=stamped_course).stdout)
        return [(h["time"], h["section"], h["section_at"]) for h in hits]

    def at(heading: str) -> str:
        lines = (stamped_course / "02_docker.md").read_text().splitlines()
        return f"02_docker.md:{next(n for n, line in enumerate(lines, 1) if line.endswith(heading))}"

    # Before stamping, only "Volumes" has a time: what is said before 2:00 has no section.
    assert covering("environment variables") == [("1:35", "", "")]
    assert run("stamp", "02_docker.md", cwd=stamped_course).exit_code == 0
    assert covering("environment variables") == [
        ("1:35", "02 Docker and Postgres › Running Postgres", at(" Running Postgres"))
    ]
    # A moment after the last stamped section is covered by that section.
    assert covering("pgadmin container") == [("3:35", "02 Docker and Postgres › pgAdmin", at(" pgAdmin"))]


SECTION_VIDEOS = """\
# Data ingestion

# Data lakes

_[Video source](https://www.youtube.com/watch?v=LAKEVIDEO01&list=PLcourse&index=16)_

## What a lake holds

Raw files of any shape, kept cheaply.

## Lake or warehouse

The warehouse keeps refined, structured tables.

# Orchestration

## Why a scheduler

_[Video source](https://www.youtube.com/watch?v=FLOWVIDEO02&list=PLcourse&index=17)_

Jobs that depend on each other, retried when they fail.

## Writing a DAG

Tasks and the arrows between them.
"""


def test_each_section_is_aligned_against_its_own_videos_transcript(workspace: Path, tmp_path: Path) -> None:
    """Notes that put a "Video source" link under each section (the speaker's style): the
    transcripts are named by the video's id or URL, and each section finds its moment in its own."""
    (workspace / "02_ingestion.md").write_text(SECTION_VIDEOS)
    lake, flow = tmp_path / "lake.txt", tmp_path / "flow.txt"
    lake.write_text(
        "0:00 welcome back to the module\n0:20 last time we loaded taxi trips into postgres\n"
        "0:50 a lake holds raw files of any shape\n1:20 files land there cheaply\n"
        "2:00 the warehouse keeps refined tables\n2:40 structured tables for the analysts\n"
    )
    flow.write_text(
        "0:00 hello again\n0:30 we begin the next part\n1:05 a scheduler runs jobs that depend on each other\n"
        "1:50 and retries the jobs that fail\n3:30 a dag has tasks and arrows between them\n"
    )
    assert (
        run("transcript", "add", "02_ingestion.md", str(lake), "--video", "LAKEVIDEO01", cwd=workspace).exit_code == 0
    )
    url = "https://youtu.be/FLOWVIDEO02"
    assert run("transcript", "add", "02_ingestion.md", str(flow), "--video", url, cwd=workspace).exit_code == 0
    assert sorted(p.name for p in (workspace / "transcripts").iterdir()) == [
        "02_ingestion.v1.txt",
        "02_ingestion.v2.txt",
    ]
    rows = json.loads(run("stamp", "02_ingestion.md", "--json", cwd=workspace).stdout)
    assert {r["heading"]: r["seconds"] for r in rows if r["reason"] == "stamped"} == {
        "What a lake holds": 50,
        "Lake or warehouse": 120,
        "Why a scheduler": 65,
        "Writing a DAG": 210,
    }
    wrong = run("transcript", "add", "02_ingestion.md", str(lake), "--video", "NOSUCHVIDEO", cwd=workspace)
    assert wrong.exit_code == 1
    assert "has no video NOSUCHVIDEO (its videos: 1 LAKEVIDEO01, 2 FLOWVIDEO02)" in wrong.stderr


def test_stamp_all_takes_every_note_with_a_transcript_of_any_of_its_videos(
    stamped_course: Path, tmp_path: Path
) -> None:
    (stamped_course / "03_ingestion.md").write_text(SECTION_VIDEOS)
    flow = tmp_path / "flow.txt"
    flow.write_text("0:00 hello\n0:30 we begin\n1:05 a scheduler runs jobs that depend on each other\n")
    assert run("transcript", "add", "03_ingestion.md", str(flow), "--video", "2", cwd=stamped_course).exit_code == 0
    result = run("stamp", "--all", cwd=stamped_course)
    assert result.exit_code == 0, result.stderr
    assert "## [1:05](https://www.youtube.com/watch?v=FLOWVIDEO02" in (stamped_course / "03_ingestion.md").read_text()
    assert "## [0:20](" in (stamped_course / "02_docker.md").read_text()


def test_check_names_a_transcript_whose_note_was_renamed(stamped_course: Path) -> None:
    (stamped_course / "02_docker.md").rename(stamped_course / "02_docker-and-postgres.md")
    result = run("check", cwd=stamped_course)
    assert (
        "transcripts/02_docker.v1.txt: warning: the transcript of 02_docker.md, which is not there"
        in result.stdout + result.stderr
    )
    (stamped_course / "transcripts" / "02_docker.v1.txt").rename(
        stamped_course / "transcripts" / "02_docker-and-postgres.v1.txt"
    )
    assert "transcript of" not in (lambda r: r.stdout + r.stderr)(run("check", cwd=stamped_course))


def test_chapters_work_on_a_stamped_note_as_on_a_typed_one(stamped_course: Path) -> None:
    assert run("stamp", "02_docker.md", cwd=stamped_course).exit_code == 0
    result = run("chapters", "02_docker.md", cwd=stamped_course)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "0:00 Docker and Postgres",
        "0:20 Installing Docker",
        "1:10 Running Postgres",
        "2:00 Volumes",
        "3:10 pgAdmin",
    ]


def test_stamp_says_which_anchors_change_and_links_to_the_old_ones_follow(stamped_course: Path) -> None:
    (stamped_course / "03_other.md").write_text("# Other\n\nSee [pgAdmin](02_docker.md#pgadmin).\n")
    rows = json.loads(run("stamp", "02_docker.md", "--json", cwd=stamped_course).stdout)
    anchors = {r["heading"]: (r["anchor_before"], r["anchor"]) for r in rows if r["reason"] == "stamped"}
    assert anchors["pgAdmin"] == ("pgadmin", "310-pgadmin")
    assert "#pgadmin)" in (stamped_course / "03_other.md").read_text()  # (a dry run: nothing followed)
    result = run("stamp", "02_docker.md", cwd=stamped_course)
    assert "02_docker.md: with its time, a heading's anchor changes (#installing-docker is now " in result.stderr
    assert "and 2 more); links to the old ones follow" in result.stderr
    assert (stamped_course / "03_other.md").read_text() == "# Other\n\nSee [pgAdmin](02_docker.md#310-pgadmin).\n"
    check = run("check", cwd=stamped_course)
    assert "anchor" not in check.stdout


def test_check_names_a_link_to_a_stamped_anchor_that_could_not_follow(stamped_course: Path) -> None:
    """A link written to the old anchor after the stamp (from a stale copy, say): check names it
    with the new anchor, as before links followed."""
    assert run("stamp", "02_docker.md", cwd=stamped_course).exit_code == 0
    (stamped_course / "03_other.md").write_text("# Other\n\nSee [pgAdmin](02_docker.md#pgadmin).\n")
    check = run("check", cwd=stamped_course)
    assert "03_other.md:3: no heading in 02_docker.md has the anchor #pgadmin (did you mean #310-pgadmin?)" in (
        check.stdout
    )


def test_stamp_shows_moments_past_an_hour_as_the_video_player_does(workspace: Path, tmp_path: Path) -> None:
    (workspace / "02_long.md").write_text(
        "---\nvideo: https://youtu.be/abcdefghijk\n---\n\n# Long\n\n## Volumes\n\n## Goodbye\n"
    )
    source = tmp_path / "panel.txt"
    source.write_text(PANEL_SAME_LINE)
    assert run("transcript", "add", "02_long.md", str(source), cwd=workspace).exit_code == 0
    shown = run("stamp", "02_long.md", "--dry-run", cwd=workspace).stdout
    assert "1:02:03" in shown and "62:03" not in shown


def test_said_hits_give_workspace_paths_when_the_notes_are_in_a_folder(tmp_path: Path) -> None:
    root = tmp_path / "course"
    (root / "notes").mkdir(parents=True)
    (root / "notes" / "02_docker.md").write_bytes(NOTE.encode())
    assert run("init", str(root)).exit_code == 0  # finds the notes folder
    source = tmp_path / "panel.txt"
    source.write_text(SPOKEN)
    assert run("transcript", "add", "notes/02_docker.md", str(source), cwd=root).exit_code == 0
    hits = json.loads(run("search", "disappears", "--json", "--video-only", cwd=root).stdout)
    assert [(h["path"], h["section_at"]) for h in hits] == [
        ("notes/transcripts/02_docker.v1.txt", "notes/02_docker.md:19")
    ]


def test_stamp_needs_sections_and_a_transcript(stamped_course: Path) -> None:
    (stamped_course / "03_empty.md").write_text(
        "---\nvideo: https://youtu.be/abcdefghijk\n---\n\n# Empty\n\nNo sections.\n"
    )
    result = run("stamp", "03_empty.md", cwd=stamped_course)
    assert result.exit_code == 1 and "has no sections to stamp" in result.stderr
    (stamped_course / "04_other.md").write_text("---\nvideo: https://youtu.be/abcdefghijk\n---\n\n# Other\n\n## Part\n")
    shown = run("stamp", "04_other.md", "--dry-run", cwd=stamped_course).stdout
    assert "      7         -  no transcript for video 1  Part" in shown.splitlines()


def test_search_finds_what_was_said_with_its_moment(stamped_course: Path) -> None:
    result = run("search", "why", "do", "we", "need", "a", "volume", cwd=stamped_course)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    said = [line for line in lines if "said at" in line]
    stops = next(
        line for line in said if line.startswith("02 Docker and Postgres · said at 2:10: “the data disappears")
    )
    assert lines[lines.index(stops) + 1] == "  https://www.youtube.com/watch?v=abcdefghijk&t=130s"
    # the section of the note that covers that moment (its time, 2:00, is the last before 2:10)
    assert lines[lines.index(stops) + 2] == "  in your notes: 02 Docker and Postgres › Volumes (02_docker.md:19)"
    assert lines[0] == "02 Docker and Postgres › Volumes (2:00)"  # the note's own hits first
    hits = json.loads(run("search", "volume", "--json", cwd=stamped_course).stdout)
    assert {h["kind"] for h in hits} == {"note", "said"}
    only_video = json.loads(run("search", "volume", "--json", "--video-only", cwd=stamped_course).stdout)
    assert only_video and {h["kind"] for h in only_video} == {"said"}
    only_notes = json.loads(run("search", "volume", "--json", "--notes-only", cwd=stamped_course).stdout)
    assert only_notes and {h["kind"] for h in only_notes} == {"note"}


@pytest.fixture
def youtube(monkeypatch: pytest.MonkeyPatch) -> Iterator[YouTubeServer]:
    """The stand-in YouTube, reached through NOTES_YOUTUBE_URL as a user's mirror would be."""
    server = YouTubeServer()
    monkeypatch.setenv("NOTES_YOUTUBE_URL", server.url)
    yield server
    server.close()


def test_fetch_stores_what_youtube_has_as_add_would(
    youtube: YouTubeServer, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    youtube.videos["abcdefghijk"] = [
        Track("en", [(0.4, 3.0, "hello\neveryone"), (62.9, 2.0, "volumes &amp; bind mounts")], generated=True),
        Track("de", [(0.4, 3.0, "hallo zusammen")]),
    ]
    note = workspace / "02_docker.md"
    note.write_text("---\nvideo: https://youtu.be/abcdefghijk\n---\n\n# Docker\n\n## Volumes\n")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_" + "s" * 36)
    result = run("transcript", "fetch", "02_docker.md", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    stored = workspace / "transcripts" / "02_docker.v1.txt"
    assert stored.read_text().splitlines()[1:] == ["0:00 hello everyone", "1:02 volumes & bind mounts"]
    # the same file `add` writes from the JSON youtube-transcript-api prints
    source = tmp_path / "t.json"
    source.write_text(JSON.replace("volumes", "volumes & bind mounts"))
    fetched = stored.read_bytes()
    assert run("transcript", "add", "02_docker.md", str(source), cwd=workspace).exit_code == 0
    assert stored.read_bytes() == fetched
    # a different transcript is not put over the stored one (corrected by hand, maybe) unasked
    languages = ("--language", "fr", "--language", "de")
    kept = run("transcript", "fetch", "02_docker.md", *languages, cwd=workspace)
    assert kept.exit_code == 1 and "holds a different transcript of this video" in kept.stderr
    assert stored.read_bytes() == fetched
    # the first language asked for that the video has
    assert run("transcript", "fetch", "02_docker.md", *languages, "--replace", cwd=workspace).exit_code == 0
    assert stored.read_text().splitlines()[1:] == ["0:00 hallo zusammen"]
    # only the video's id went out: no token, to YouTube or anyone
    assert youtube.requests and all("ghp_" not in json.dumps(r) for r in youtube.requests)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("blocked", "YouTube refused this machine (it often blocks cloud servers and VPNs)"),
        ("unknown", "YouTube has no such video"),
        ("no tracks", "the video has no transcript (its subtitles are turned off)"),
        ("other language", "has no transcript in en (try --language)"),
    ],
)
def test_fetch_failures_are_one_line_and_write_nothing(
    youtube: YouTubeServer, workspace: Path, setup: str, message: str
) -> None:
    if setup == "blocked":
        youtube.blocked = True
        youtube.videos["abcdefghijk"] = [Track("en", [(0, 1, "hi")])]
    elif setup == "no tracks":
        youtube.videos["abcdefghijk"] = []
    elif setup == "other language":
        youtube.videos["abcdefghijk"] = [Track("de", [(0, 1, "hallo")])]
    (workspace / "02_docker.md").write_text("---\nvideo: https://youtu.be/abcdefghijk\n---\n\n# Docker\n")
    before = tree_bytes(workspace)
    result = run("transcript", "fetch", "02_docker.md", cwd=workspace)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    if setup in ("blocked", "unknown", "no tracks"):
        assert "notes transcript add" in result.stderr  # what to do instead
    assert tree_bytes(workspace) == before


def test_fetch_needs_a_youtube_video(workspace: Path) -> None:
    (workspace / "02_talk.md").write_text("---\nvideo: https://vimeo.com/123456\n---\n\n# Talk\n")
    result = run("transcript", "fetch", "02_talk.md", cwd=workspace)
    assert result.exit_code == 1 and "fetch reads YouTube only" in result.stderr
    assert not (workspace / "transcripts").exists()


def test_fetch_unreachable_youtube_is_one_line(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("NOTES_YOUTUBE_URL", f"http://127.0.0.1:{port}")
    (workspace / "02_docker.md").write_text("---\nvideo: https://youtu.be/abcdefghijk\n---\n\n# Docker\n")
    result = run("transcript", "fetch", "02_docker.md", cwd=workspace)
    assert result.exit_code == 1 and "could not reach YouTube (ConnectionError)" in result.stderr


def test_show_renders_the_transcript_as_markdown_with_moments_and_the_notes_sections(stamped_course: Path) -> None:
    assert run("stamp", "02_docker.md", cwd=stamped_course).exit_code == 0
    result = run("transcript", "show", "02_docker.md", cwd=stamped_course)
    assert result.exit_code == 0, result.stderr
    page = result.stdout.splitlines()
    watch = "https://www.youtube.com/watch?v=abcdefghijk&t="
    assert page[0] == "# Transcript: Docker and Postgres"
    # each of the note's timed sections is a heading where it starts, linking back to the note
    at = page.index(f"## [2:00]({watch}120s) Volumes")
    assert page[at + 2] == "[in the notes](../02_docker.md#200-volumes)"
    # paragraphs open with their moment; speech is one paragraph until a section starts
    assert page[at + 4] == (
        f"[2:10]({watch}130s) the data disappears when the container stops so we need a volume "
        "a named volume keeps the postgres data"
    )
    assert page.index(f"## [0:20]({watch}20s) Installing Docker") < page.index(
        f"## [1:10]({watch}70s) Running Postgres"
    )
    assert not any("Rust lifetimes" in line for line in page)  # no moment: not in the video
    # --write puts the same page beside the transcript, and only rewrites it when it changed
    assert run("transcript", "show", "02_docker.md", "--write", cwd=stamped_course).exit_code == 0
    written = stamped_course / "transcripts" / "02_docker.v1.md"
    assert written.read_text() == result.stdout
    again = run("transcript", "show", "02_docker.md", "--write", cwd=stamped_course)
    assert "unchanged" in again.stderr


def test_show_keeps_spoken_text_literal(workspace: Path, tmp_path: Path) -> None:
    (workspace / "02_x.md").write_text("---\nvideo: https://youtu.be/abcdefghijk\n---\n\n# X\n")
    source = tmp_path / "t.txt"
    source.write_text("0:00 use *args and <b>tags</b> [not a link](x)\n")
    assert run("transcript", "add", "02_x.md", str(source), cwd=workspace).exit_code == 0
    page = run("transcript", "show", "02_x.md", cwd=workspace).stdout
    assert r"use \*args and \<b\>tags\</b\> \[not a link\](x)" in page
    (workspace / "transcripts" / "02_x.v1.txt").unlink()
    result = run("transcript", "show", "02_x.md", cwd=workspace)
    assert result.exit_code == 1 and "has no transcript for video 1 yet" in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_a_transcript_saved_as_utf16_or_with_a_bom_is_read(example: Path, tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "panel.txt"
    data = PANEL_SAME_LINE.encode(encoding)
    source.write_bytes(codecs.BOM_UTF16_BE + data if encoding == "utf-16-be" else data)
    result = run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "today we talk about volumes" in (example / "transcripts" / "02_docker-and-postgres.v1.txt").read_text()


def test_a_binary_transcript_is_named_as_what_it_is_not(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "panel.txt"
    source.write_bytes(b"0:00 hello\x00\x01")
    result = run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example)
    assert result.exit_code == 1 and "binary file (NUL byte), not a transcript (text)" in result.stderr
    assert "Markdown" not in result.stderr


def test_one_phrase_is_one_phrase(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "panel.txt"
    source.write_text("0:00 hello everyone\n")
    result = run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example)
    assert result.stderr.endswith(": 1 phrase\n")


def test_chapters_take_the_video_by_id_or_url_as_transcripts_do(example: Path) -> None:
    by_number = run("chapters", "02_docker-and-postgres.md", "--force", cwd=example)
    for named in ("2JM-ziJt0WI", "https://youtu.be/2JM-ziJt0WI"):
        result = run("chapters", "02_docker-and-postgres.md", "--video", named, "--force", cwd=example)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == by_number.stdout and result.stdout.startswith("0:00 ")
    wrong = run("chapters", "02_docker-and-postgres.md", "--video", "nope", cwd=example)
    assert wrong.exit_code == 1 and "has no video nope (its videos: 1 2JM-ziJt0WI)" in wrong.stderr


def test_transcript_remove_deletes_the_transcript_and_its_page(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "panel.txt"
    source.write_text(PANEL_SAME_LINE)
    note = "02_docker-and-postgres.md"
    assert run("transcript", "add", note, str(source), cwd=example).exit_code == 0
    assert run("transcript", "show", note, "--write", cwd=example).exit_code == 0
    folder = example / "transcripts"
    assert {p.name for p in folder.iterdir()} == {"02_docker-and-postgres.v1.txt", "02_docker-and-postgres.v1.md"}
    result = run("transcript", "remove", note, "--video", "2JM-ziJt0WI", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "removed transcripts/02_docker-and-postgres.v1.txt\nremoved transcripts/02_docker-and-postgres.v1.md\n"
    )
    assert list(folder.iterdir()) == []
    again = run("transcript", "remove", note, cwd=example)
    assert again.exit_code == 1 and len(again.stderr.splitlines()) == 1
    assert "no transcript of its video 1 is stored (02_docker-and-postgres.v1.txt)" in again.stderr
    assert "said at" not in run("search", "volumes", cwd=example).stdout


def test_transcript_remove_takes_away_what_a_rename_left_behind(example: Path, tmp_path: Path) -> None:
    source = tmp_path / "panel.txt"
    source.write_text(PANEL_SAME_LINE)
    assert run("transcript", "add", "02_docker-and-postgres.md", str(source), cwd=example).exit_code == 0
    (example / "02_docker-and-postgres.md").rename(example / "02_docker.md")
    assert "which is not there" in run("check", cwd=example).stdout
    by_id = run("transcript", "remove", "02_docker-and-postgres.md", "--video", "2JM-ziJt0WI", cwd=example)
    assert by_id.exit_code == 1 and "is not there: name its video by number (--video 1)" in by_id.stderr
    assert run("transcript", "remove", "02_docker-and-postgres.md", cwd=example).exit_code == 0
    assert "which is not there" not in run("check", cwd=example).stdout


def test_stamp_all_dry_run_leaves_a_note_linked_from_outside_and_says_what_would_change(
    stamped_course: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("# Elsewhere\n\n## Part\n")
    (stamped_course / "05_linked.md").symlink_to(outside)
    (stamped_course / "transcripts" / "05_linked.v1.txt").write_text("# 05_linked.md video 1\n0:00 hi\n")
    before = tree_bytes(stamped_course)
    result = run("stamp", "--all", "--dry-run", cwd=stamped_course)
    assert result.exit_code == 0, result.stderr
    assert "05_linked.md: is a link to a file outside the workspace; left alone" in result.stderr
    assert result.stdout.startswith("02_docker.md:\n") and "05_linked" not in result.stdout
    assert "02_docker.md: with its time, a heading's anchor changes (#installing-docker is #" in result.stderr
    assert "and 2 more); links to the old ones would follow" in result.stderr
    assert tree_bytes(stamped_course) == before and outside.read_text() == "# Elsewhere\n\n## Part\n"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "name the notes to stamp, or --all for every note with a transcript"),
        (("02_docker.md", "--redo", "--clear"), "--redo, --clear and --review go one at a time"),
    ],
)
def test_stamp_refuses_no_notes_and_two_modes(stamped_course: Path, args: tuple[str, ...], said: str) -> None:
    before = tree_bytes(stamped_course)
    result = run("stamp", *args, cwd=stamped_course)
    assert result.exit_code == 2 and said in result.stderr
    assert tree_bytes(stamped_course) == before
