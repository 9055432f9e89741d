"""Timestamped headings become deep links; chapters for YouTube."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import CORPUS, copy_tree, run, tree_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_tool.errors import NoteError
from notes_tool.features import index
from notes_tool.fsio.read import decode, encode
from notes_tool.generate import timestamps
from notes_tool.model import document
from notes_tool.model.edit import apply
from notes_tool.model.video import parse_video
from notes_tool.structure.workspace import open_workspace

FIXTURES = Path(__file__).parent / "fixtures" / "timestamps"
CASES = sorted(p for p in FIXTURES.glob("*.md") if not p.name.endswith(".out.md"))


def linked(data: bytes, name: str = "n.md") -> tuple[bytes, list[str]]:
    text, bom = decode(data, Path(name))
    note = document.parse(Path(name), text, bom)
    edits, warnings = timestamps.heading_edits(note)
    return encode(apply(note, edits), bom), [str(w) for w in warnings]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_and_idempotent(case: Path) -> None:
    out, _ = linked(case.read_bytes())
    assert out == case.with_name(case.stem + ".out.md").read_bytes()
    again, _ = linked(out)
    assert again == out


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=abcdefghijk", "https://www.youtube.com/watch?v=abcdefghijk&t=754s"),
        (
            "https://www.youtube.com/watch?v=abcdefghijk&list=PLx&index=3&t=5",
            "https://www.youtube.com/watch?v=abcdefghijk&list=PLx&index=3&t=754s",
        ),
        ("https://youtu.be/abcdefghijk?t=12m34s", "https://www.youtube.com/watch?v=abcdefghijk&t=754s"),
        (
            "https://m.youtube.com/watch?v=abcdefghijk&t=754s",
            "https://www.youtube.com/watch?v=abcdefghijk&t=754s",
        ),
        (
            "https://music.youtube.com/watch?v=abcdefghijk",
            "https://www.youtube.com/watch?v=abcdefghijk&t=754s",
        ),
        (
            "https://www.youtube.com/embed/abcdefghijk?start=1",
            "https://www.youtube.com/watch?v=abcdefghijk&t=754s",
        ),
        ("https://youtube.com/shorts/abcdefghijk", "https://www.youtube.com/watch?v=abcdefghijk&t=754s"),
        (
            "https://www.youtube.com/live/abcdefghijk?si=x",
            "https://www.youtube.com/watch?v=abcdefghijk&t=754s",
        ),
        (
            "https://www.youtube-nocookie.com/embed/abcdefghijk",
            "https://www.youtube.com/watch?v=abcdefghijk&t=754s",
        ),
        ("https://vimeo.com/76979871", "https://vimeo.com/76979871#t=754s"),
        ("https://vimeo.com/76979871/8a2f5a1b3c", "https://vimeo.com/76979871/8a2f5a1b3c#t=754s"),
        (
            "https://player.vimeo.com/video/76979871?h=8a2f5a1b3c",
            "https://vimeo.com/76979871/8a2f5a1b3c#t=754s",
        ),
        ("videos/lecture.mp4", "videos/lecture.mp4#t=754"),
        ("file:///home/me/lecture.mp4", "file:///home/me/lecture.mp4#t=754"),
        ("C:\\Videos\\lecture.mp4", "C:\\Videos\\lecture.mp4#t=754"),
        # A link destination may not hold a space: the deep link is percent-encoded, once.
        ("recordings/week 5/lecture.mp4", "recordings/week%205/lecture.mp4#t=754"),
        ("recordings/week%205/lecture.mp4", "recordings/week%205/lecture.mp4#t=754"),
        ("https://example.org/talk.webm#old", "https://example.org/talk.webm#t=754"),
    ],
)
def test_url_forms(url: str, expected: str) -> None:
    video = parse_video(url)
    assert video is not None
    assert video.at(754) == expected


@pytest.mark.parametrize(("value", "seconds"), [("754", 754), ("754s", 754), ("12m34s", 754), ("1h2m3s", 3723)])
def test_start_times_in_urls(value: str, seconds: int) -> None:
    video = parse_video(f"https://youtu.be/abcdefghijk?t={value}")
    assert video is not None and video.start == seconds


@pytest.mark.parametrize(
    ("url", "start"),
    [
        ("https://example.org/talk.mp4#t=90", 90),  # a media fragment says where it starts
        ("https://example.org/talk.mp4?start=1m", 60),
        ("//youtube.com/watch?v=abcdefghijk&t=5", 5),
    ],
)
def test_start_times_of_other_forms(url: str, start: int) -> None:
    video = parse_video(url)
    assert video is not None and video.start == start


@pytest.mark.parametrize("url", ["x:not-a-drive", "ftp://example.org/talk.mp4", "mailto:me@example.org", "#part"])
def test_what_is_no_video(url: str) -> None:
    assert parse_video(url) is None


def test_no_video_leaves_headings_alone_and_warns_once(tmp_path: Path) -> None:
    data = b"# T\n\n## 1:00 One\n\n## 2:00 Two\n"
    out, warnings = linked(data, "n.md")
    assert out == data
    assert warnings == ["n.md:3: timestamped heading (and 1 more) but no video: add `video: URL` to the front matter"]


def test_edited_time_and_changed_video_update_links(example: Path) -> None:
    note = example / "02_docker-and-postgres.md"
    text = note.read_text()
    assert "## [12:34](https://www.youtube.com/watch?v=2JM-ziJt0WI&t=754s) Ingesting" in text
    text = text.replace("[12:34](", "[12:40](").replace(
        "video: https://youtu.be/2JM-ziJt0WI", "video: https://youtu.be/NEWVIDEO01"
    )
    note.write_text(text)
    result = run("index", cwd=example)
    assert result.exit_code == 0, result.stderr
    updated = note.read_text()
    assert "## [12:40](https://www.youtube.com/watch?v=NEWVIDEO01&t=760s) Ingesting" in updated
    assert "2JM-ziJt0WI" not in updated
    assert "- [12:40 Ingesting the taxi data](#1240-ingesting-the-taxi-data)" in updated


def test_index_warns_but_exits_zero_for_a_note_without_video(example: Path) -> None:
    (example / "04_no-video.md").write_text("# Four\n\n## 3:00 Something\n")
    result = run("index", cwd=example)
    assert result.exit_code == 0
    assert "04_no-video.md:3: timestamped heading but no video" in result.stderr


def test_before_and_after_of_the_example(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    root = copy_tree(EXAMPLE, tmp_path / "c")
    before = (root / "02_docker-and-postgres.md").read_text()
    assert "## 3:30 Running Postgres in a container" in before
    assert run("index", cwd=root).exit_code == 0
    after = (root / "02_docker-and-postgres.md").read_text()
    assert "## [3:30](https://www.youtube.com/watch?v=2JM-ziJt0WI&t=210s) Running Postgres in a container" in after
    assert "## [1:02:03](https://www.youtube.com/watch?v=2JM-ziJt0WI&t=3723s) - Docker Compose" in after
    assert "- [1:02:03 Docker Compose](#10203---docker-compose)" in after


def chapters_of(text: str, number: int = 1) -> timestamps.Chapters:
    return timestamps.chapters(document.parse(Path("n.md"), text), number)


def test_chapters_for_youtube() -> None:
    text = (
        "---\ntitle: Docker\nvideo: https://youtu.be/abcdefghijk\n---\n# Docker\n"
        "## 0:00 Intro\n## [1:05](x) Volumes *and* `mounts`\n### 1:02:03 - Compose\n## Not timed\n"
    )
    result = chapters_of(text)
    assert result.lines == ["0:00 Intro", "1:05 Volumes and mounts", "1:02:03 Compose"]
    assert result.problems == []


def test_chapters_add_a_first_chapter_at_zero_and_cut_long_titles() -> None:
    long_title = "word " * 40
    front = "---\ntitle: Docker\nvideo: https://youtu.be/abcdefghijk\n---\n"
    text = f"{front}# Docker\n## 0:30 A\n## 2:00 {long_title}\n"
    result = chapters_of(text)
    assert result.lines[0] == "0:00 Docker"
    assert len(result.lines[2]) - len("2:00 ") == 100
    assert result.problems == []


@pytest.mark.parametrize(
    ("headings", "problem"),
    [
        ("## 0:00 A\n## 1:00 B\n", "at least 3 chapters"),
        ("## 0:00 A\n## 0:05 B\n## 1:00 C\n", "at least 10 s long"),
        ("## 0:00 A\n## 2:00 B\n## 1:00 C\n", "must go up in time"),
    ],
)
def test_chapters_name_the_rule_youtube_would_break(headings: str, problem: str) -> None:
    result = chapters_of(f"---\nvideo: https://youtu.be/abcdefghijk\n---\n# T\n{headings}")
    assert any(problem in p for p in result.problems)


def test_chapters_command_exit_codes_and_video_choice(example: Path) -> None:
    note = example / "02_docker-and-postgres.md"
    ok = run("chapters", str(note), cwd=example)
    assert ok.exit_code == 0, ok.stderr
    assert ok.stdout.splitlines() == [
        "0:00 Why Docker",
        "3:30 Running Postgres in a container",
        "6:10 Volumes",
        "12:34 Ingesting the taxi data",
        "1:02:03 Docker Compose",
    ]
    short = example / "03_workflow-orchestration.md"
    short.write_text(short.read_text().replace("[9:45](", "[4:25]("))
    bad = run("chapters", str(short), cwd=example)
    assert bad.exit_code == 1 and "at least 10 s long" in bad.stderr and bad.stdout == ""
    forced = run("chapters", str(short), "--force", cwd=example)
    assert forced.exit_code == 0 and "4:25 Scheduling" in forced.stdout
    missing = run("chapters", str(note), "--video", "2", cwd=example)
    assert missing.exit_code == 1 and "--video 2 is not one of them" in missing.stderr


@pytest.mark.usefixtures("corpus")
def test_corpus_has_no_timestamps_and_index_changes_nothing_outside_regions(tmp_path: Path) -> None:
    root = copy_tree(CORPUS, tmp_path / "ml")
    (root / "notes.toml").write_text('notes_dir = "notes"\nindex_file = "notes/README.md"\n')
    before = tree_bytes(root)
    ws = open_workspace(root)
    outcome = index.plan(ws)
    assert outcome.changes == []
    assert not any("timestamped heading" in w.message for w in outcome.warnings)
    assert run("index", cwd=root).exit_code == 0
    assert tree_bytes(root) == before


_PIECES = [
    "# ",
    "## ",
    "12:34 ",
    "[1:00] ",
    "x",
    "\n",
    "\r\n",
    "- ",
    "> ",
    "```\n",
    "<!-- a -->\n",
    "video",
    " ",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_text_without_timestamped_headings_round_trips_through_index(text: str) -> None:
    try:
        note = document.parse(Path("n.md"), text)
    except NoteError:
        return
    if any(h.time for h in note.headings):
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "notes.toml").write_text("")
        (root / "README.md").write_text("# R\n")
        path = root / "01_note.md"
        path.write_bytes(text.encode())
        outcome = index.plan(open_workspace(root))
        assert [c.path for c in outcome.changes if c.path == path] == []


def test_chapters_of_one_line_each_and_two_at_one_time_refused() -> None:
    from notes_tool.generate.timestamps import chapters
    from notes_tool.model import document

    text = (
        "---\nvideo: https://youtu.be/abcdefghijk\n---\n# T\n\n"
        "## 0:00 Intro\n\n## 0:00 Same   time\n\n## 1:00\n\n## 2:00 Spaced  out\n"
    )
    found = chapters(document.parse(Path("n.md"), text))
    assert found.lines == ["0:00 Intro", "0:00 Same time", "1:00 Untitled", "2:00 Spaced out"]
    assert found.problems == ["chapters must go up in time: 0:00 'Same   time' comes after 0:00 'Intro'"]
