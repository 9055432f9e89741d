"""What a note says without what the tool generates (generate/learned.py): the digests `notes
commit` compares with the committed version, tested on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes_tool.generate import learned
from notes_tool.generate.learned import Learned
from notes_tool.model import document

BASE = """# Docker

<!-- notes:toc -->
- [Volumes](#volumes)
<!-- /notes:toc -->

## Volumes

A named volume survives the container.

## Networks

Containers on one network see each other.
"""


def note(text: str) -> document.Note:
    return document.parse(Path("02_docker.md"), text)


def changed(old: str, new: str) -> list[tuple[str, int | None]] | None:
    return learned.of(note(new)).changed_since(note(old))


def test_only_generated_parts_changed_is_no_change() -> None:
    regenerated = BASE.replace("- [Volumes](#volumes)\n", "- [Volumes](#volumes)\n- [Networks](#networks)\n")
    spaced = regenerated.replace("A named volume", "\n\nA named volume").replace("container.", "container.   ")
    assert changed(BASE, spaced) is None


def test_a_heading_given_its_time_link_is_no_change() -> None:
    typed = BASE.replace("## Volumes", "## 6:10 Volumes")
    linked = BASE.replace("## Volumes", "## [6:10](https://youtu.be/abcdefghijk?t=370) Volumes")
    assert changed(typed, linked) is None


def test_the_sections_whose_words_changed_are_named_in_note_order() -> None:
    new = BASE.replace("survives the container", "outlives the container").replace("see each", "reach each")
    assert changed(BASE, new) == [("2:Volumes", None), ("2:Networks", None)]
    assert changed(BASE, BASE + "\n## Compose\n\nOne file.\n") == [("2:Compose", None)]


def test_the_video_of_a_changed_section_is_named_when_the_note_has_several() -> None:
    two = (
        "# Docker\n\n## Intro\n\n[Video source](https://youtu.be/aaaaaaaaaaa)\n\nWords.\n\n"
        "## Volumes\n\n[Video source](https://youtu.be/bbbbbbbbbbb)\n\nA volume.\n"
    )
    assert changed(two, two.replace("A volume.", "A named volume.")) == [("2:Volumes", 2)]


@pytest.mark.parametrize("text", [BASE, "", "no heading at all\n", BASE.replace("\n", "\r\n")])
def test_what_is_stored_reads_back_the_same(text: str) -> None:
    said = learned.of(note(text))
    assert Learned.from_json(said.to_json()) == said


@pytest.mark.parametrize("data", [{}, {"text": "x"}, {"text": "x", "sections": [["a", "b", "3"]]}, {"sections": 5}])
def test_a_damaged_record_is_refused(data: dict[str, object]) -> None:
    with pytest.raises((KeyError, TypeError, ValueError)):
        Learned.from_json(data)
