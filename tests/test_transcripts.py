"""Transcripts: every form users have, read into one plain form stored beside the notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, run, tree_bytes

from notes_tool.features import transcripts
from notes_tool.features.transcripts import Phrase

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
        ("02_docker-and-postgres.md", PANEL_SAME_LINE.encode(), ["--video", "3"], "there is no video 3"),
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
