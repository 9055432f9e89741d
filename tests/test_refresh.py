"""The one refresh (`notes_tool.features.refresh`): after a save, everything derived from the
notes is up to date in one call; a second call changes nothing."""

from __future__ import annotations

from pathlib import Path

from conftest import run, tree_bytes

from notes_tool.features.refresh import refresh
from notes_tool.features.search import ask
from notes_tool.structure.workspace import open_workspace


def _add_section(note: Path) -> None:
    text = note.read_text(encoding="utf-8")
    note.write_text(
        text + "\n## 12:34 Refreshing gadgets\n\n```bash cheat=gadgets\ngadget --refresh\n```\n", encoding="utf-8"
    )


def test_one_refresh_brings_the_toc_the_sheets_the_course_index_and_search_up_to_date(example: Path) -> None:
    assert run("search", "volumes", cwd=example).exit_code == 0  # the search index is made
    note = example / "02_docker-and-postgres.md"
    _add_section(note)

    done = refresh(open_workspace(example))

    assert done.errors == []
    text = note.read_text(encoding="utf-8")
    assert "(#1234-refreshing-gadgets)" in text  # the note's TOC lists the new section
    assert "## [12:34](" in text  # its time links into the video
    sheet = example / "cheatsheets" / "gadgets.md"
    assert "gadget --refresh" in sheet.read_text(encoding="utf-8")
    assert "- [gadgets](cheatsheets/gadgets.md)" in (example / "README.md").read_text(encoding="utf-8")
    hits = ask(open_workspace(example), "gadgets").hits
    assert [(h.path, h.anchor) for h in hits[:1]] == [("02_docker-and-postgres.md", "1234-refreshing-gadgets")]

    before = tree_bytes(example)
    again = refresh(open_workspace(example))
    assert (again.written, again.sheets, again.searched) == ([], [], 0)
    assert tree_bytes(example) == before
