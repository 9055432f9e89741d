"""Typed times written in other people's forms: read as the section's moment, never rewritten.

``### Step 2 [[19:39](URL)]`` and ``### Remote Jupyter (13:10)`` (a time ending the heading), and
``> [03:53](URL) Title`` on the line under a heading, are what learners write in their own notes.
They give the section its moment for search hits, chapters, transcript pages and stamp's fixed
anchors; ``notes index`` links only our own leading form.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run, tree_bytes

from notes_tool.features import search
from notes_tool.model import document
from notes_tool.structure.workspace import open_workspace

VIDEO = "https://www.youtube.com/watch?v=aaaaaaaaaaa"


def heading_time(text: str) -> tuple[str, str, int, str | None, str] | None:
    """(form, shown, seconds, url, label) of the second heading of ``text``."""
    note = document.parse(Path("n.md"), text)
    heading = note.headings[1]
    if heading.time is None:
        return None
    return heading.time.form, heading.time.shown, heading.time.seconds, heading.time.url, heading.label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# T\n\n## 12:34 Topic\n", ("lead", "12:34", 754, None, "Topic")),
        (
            "# T\n\n### Step 2 [[19:39](https://youtu.be/bbbbbbbbbbb?t=1179)]\n",
            ("trail", "19:39", 1179, "https://youtu.be/bbbbbbbbbbb?t=1179", "Step 2"),
        ),
        ("# T\n\n### Remote Jupyter (13:10)\n", ("trail", "13:10", 790, None, "Remote Jupyter")),
        ("# T\n\n### Port forwarding [1:02:03]   \n", ("trail", "1:02:03", 3723, None, "Port forwarding")),
        ("# T\n\n## Wrapped `code` [4:05](<v.mp4>)\n", ("trail", "4:05", 245, "v.mp4", "Wrapped code")),
        (
            "# T\n\n## Install\n\n> [03:53](https://www.youtube.com/watch?v=ddddddddddd&t=233s) Install it\n",
            ("below", "03:53", 233, "https://www.youtube.com/watch?v=ddddddddddd&t=233s", "Install"),
        ),
        (
            "# T\r\n\r\n## Install\r\n[1:02:03](https://youtu.be/ddddddddddd) - part two\r\nmore\r\n",
            ("below", "1:02:03", 3723, "https://youtu.be/ddddddddddd", "Install"),
        ),
        # The heading's own time wins over a line below it.
        ("# T\n\n## Setup (1:00)\n\n> [09:00](https://youtu.be/eeeeeeeeeee) x\n", ("trail", "1:00", 60, None, "Setup")),
        ("# T\n\n## 2:00 Setup (1:00)\n", ("lead", "2:00", 120, None, "Setup (1:00)")),
        # Not times: a ratio, a time in the middle, a clock time, a heading that is only a time in
        # brackets, a bare time or a link somewhere else under the heading, a list under it.
        ("# T\n\n## Ratio (2:1)\n", None),
        ("# T\n\n## The (12:34) train\n", None),
        ("# T\n\n## Meeting (10:30am)\n", None),
        ("# T\n\n## (12:34)\n", None),
        ("# T\n\n## X\n\n> 03:53 a quote\n", None),
        ("# T\n\n## X\n\nSee [03:53](https://youtu.be/ddddddddddd) later.\n", None),
        ("# T\n\n## X\n\n- [03:53](https://youtu.be/ddddddddddd) in a list\n", None),
        ("# T\n\n## X\n\n```\n[03:53](https://youtu.be/ddddddddddd) in code\n```\n", None),
    ],
)
def test_every_form_is_read_from_the_model(text: str, expected: tuple[str, str, int, str | None, str] | None) -> None:
    assert heading_time(text) == expected


NOTE = f"""\
---
video: {VIDEO}
---

# Containers

## 0:30 Our own form

### Step 2 [[19:39](https://youtu.be/bbbbbbbbbbb?t=1179)]

Walrus steps in another video.

### Remote Jupyter (13:10)

A walrus notebook on a server.

## Installing the client

> [15:53](https://www.youtube.com/watch?v=aaaaaaaaaaa&t=953s) Installing the client on a laptop

The walrus client.

## Two links, no time of its own

Walrus first at [5:00](https://youtu.be/aaaaaaaaaaa?t=300), again at [7:00](https://youtu.be/aaaaaaaaaaa?t=420).
"""


@pytest.fixture
def timed(workspace: Path) -> Path:
    (workspace / "01_containers.md").write_bytes(NOTE.replace("\n", "\r\n").encode())
    return workspace


def test_index_links_only_our_own_form_and_keeps_the_others_byte_for_byte(timed: Path) -> None:
    before = (timed / "01_containers.md").read_bytes()
    result = run("index", cwd=timed)
    assert result.exit_code == 0, result.stderr
    after = (timed / "01_containers.md").read_bytes()
    assert f"## [0:30]({VIDEO}&t=30s) Our own form\r\n".encode() in after
    for line in before.split(b"\r\n"):
        if line.startswith((b"### ", b"> ", b"Walrus first")):
            assert line + b"\r\n" in after
    again = tree_bytes(timed)
    assert run("index", cwd=timed).exit_code == 0
    assert tree_bytes(timed) == again


def test_no_video_warning_for_times_we_only_read(workspace: Path) -> None:
    (workspace / "01_x.md").write_text("# X\n\n## Remote Jupyter (13:10)\n\ntext\n")
    result = run("index", cwd=workspace)
    assert result.exit_code == 0 and "no video" not in result.stderr


def test_search_hits_link_each_sections_first_moment_in_its_own_video(timed: Path) -> None:
    moments = {h.breadcrumb.split(" › ")[-1]: (h.time, h.video) for h in search.search(open_workspace(timed), "walrus")}
    assert moments == {
        # the heading's link names another video than the note's: that video, at its time
        "Step 2": ("19:39", "https://www.youtube.com/watch?v=bbbbbbbbbbb&t=1179s"),
        "Remote Jupyter": ("13:10", f"{VIDEO}&t=790s"),
        "Installing the client": ("15:53", f"{VIDEO}&t=953s"),
        # no time of its own: its first moment (5:00), not its last (7:00)
        "Two links, no time of its own": ("", f"{VIDEO}&t=300s"),
    }
    shown = run("search", "remote", "jupyter", cwd=timed).stdout
    assert shown.startswith("01 Containers › Our own form › Remote Jupyter (13:10)\n")


def test_chapters_take_every_form(timed: Path) -> None:
    result = run("chapters", "01_containers.md", "--force", cwd=timed)
    assert result.exit_code == 0, result.stderr
    # 19:39 is a time in another video: not a chapter of this one
    assert result.stdout.splitlines() == [
        "0:00 Containers",
        "0:30 Our own form",
        "13:10 Remote Jupyter",
        "15:53 Installing the client",
    ]


SPOKEN = """\
0:10 hello and welcome
0:30 today containers and images
1:00 we install the client on a laptop first
1:40 the client needs a login
3:00 now the notebook on a remote server with jupyter
3:40 open the jupyter port on the server
"""


def test_stamp_takes_them_as_fixed_anchors_and_leaves_them_alone(workspace: Path, tmp_path: Path) -> None:
    text = (
        f"---\nvideo: {VIDEO}\n---\n\n# C\n\n## Images\n\nContainers and images.\n\n"
        "## Installing the client (1:00)\n\nOn a laptop.\n\n"
        f"## Remote\n\n> [03:00]({VIDEO}&t=180s) Jupyter on a server\n\nThe notebook port.\n"
    )
    (workspace / "01_c.md").write_text(text)
    source = tmp_path / "t.txt"
    source.write_text(SPOKEN)
    assert run("transcript", "add", "01_c.md", str(source), cwd=workspace).exit_code == 0
    rows = {
        r["heading"]: (r["seconds"], r["reason"])
        for r in json.loads(run("stamp", "01_c.md", "--json", cwd=workspace).stdout)
    }
    assert rows["Installing the client"] == (60, "typed")
    assert rows["Remote"] == (180, "typed")
    assert run("stamp", "01_c.md", cwd=workspace).exit_code == 0
    after = (workspace / "01_c.md").read_text()
    assert "## Installing the client (1:00)\n" in after and f"> [03:00]({VIDEO}&t=180s) Jupyter on a server\n" in after


VIDEO_LIST = f"""\
# Videos of module 1

- 00:00 Welcome
- 03:53 Installing the client
- [13:10]({VIDEO}&t=790s) Remote Jupyter
1. [1:02:03](https://youtu.be/aaaaaaaaaaa?t=3723) The end

| time | topic |
| --- | --- |
| 19:39 | Step 2 |
"""


def test_a_video_list_of_chapter_times_breaks_nothing(workspace: Path) -> None:
    (workspace / "01_containers.md").write_text(NOTE)
    (workspace / "Video_List.md").write_text(VIDEO_LIST)
    note = document.parse(workspace / "Video_List.md", VIDEO_LIST)
    assert [h.time for h in note.headings] == [None]  # list items and tables are not sections
    before = (workspace / "Video_List.md").read_bytes()
    for args in (["index"], ["check"], ["search", "jupyter"]):
        result = run(*args, cwd=workspace)
        assert result.exit_code == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert (workspace / "Video_List.md").read_bytes() == before
