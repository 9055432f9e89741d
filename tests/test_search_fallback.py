"""Search's fallback on notes made here (no shared corpus): when fewer sections than asked for
hold every word, the sections holding most of the words fill the answer, those holding more
words first, then those holding the rarer ones; never more than asked for, always in scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes_tool.features import search
from notes_tool.structure.workspace import Workspace, open_workspace

MESSAGE = "no section holds all of"
ONE = """# One

## Everything

The walrus bared a tusk full of krill.

## Rare pair

A walrus ate krill.

## Common pair

A walrus lost a tusk.
""" + "".join(f"\n## Sleeper {n}\n\nThe walrus sleeps {n}.\n" for n in range(1, 5))
TWO = "# Two\n" + "".join(f"\n## Find {n}\n\nA tusk, {'ivory' if n == 1 else 'long'}.\n" for n in range(1, 4))
"""walrus in 7 sections, tusk in 5, krill in 2 (the rarest), ivory in 1; one section holds all
three of walrus, tusk and krill; krill goes with walrus once more, tusk with walrus once more.
No heading holds a word of the questions (a word in a heading weighs more in the ranking)."""


@pytest.fixture
def notes(tmp_path: Path) -> Workspace:
    (tmp_path / "notes.toml").write_text('course = "Seals"\n', encoding="utf-8")
    (tmp_path / "01_one.md").write_text(ONE, encoding="utf-8")
    (tmp_path / "02_two.md").write_text(TWO, encoding="utf-8")
    return open_workspace(tmp_path)


def ask(ws: Workspace, text: str, limit: int, lesson: int | None = None) -> tuple[list[str], list[str]]:
    answer = search.ask(ws, text, lesson=lesson, limit=limit, said=0)
    return [hit.breadcrumb.split(" › ")[-1] for hit in answer.hits], answer.said


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (1, ["Everything"]),
        (2, ["Everything", "Rare pair"]),
        (3, ["Everything", "Rare pair", "Common pair"]),
    ],
)
def test_too_few_sections_with_every_word_are_followed_by_those_with_most(
    notes: Workspace, limit: int, expected: list[str]
) -> None:
    """One section holds walrus, tusk and krill: it comes first; then the two holding two of
    the words, the one with krill (the rarer word) before the one with tusk; no line saying
    that no section holds them all (one does)."""
    found, said = ask(notes, "walrus tusk krill", limit)
    assert found == expected
    assert not any(MESSAGE in line for line in said)


def test_then_sections_holding_one_word_the_rarer_word_first_and_never_more_than_asked(notes: Workspace) -> None:
    found, _ = ask(notes, "walrus tusk krill", 5)
    assert found[:3] == ["Everything", "Rare pair", "Common pair"]
    assert len(found) == 5
    assert set(found[3:]) <= {f"Find {n}" for n in range(1, 4)}  # tusk: 5 sections, walrus: 7


def test_the_fallback_stays_within_the_lesson(notes: Workspace) -> None:
    """Lesson 1 has no tusk-only section: its walrus-only ones fill the answer instead."""
    found, _ = ask(notes, "walrus tusk krill", 5, lesson=1)
    assert found[:3] == ["Everything", "Rare pair", "Common pair"]
    assert set(found[3:]) <= {f"Sleeper {n}" for n in range(1, 5)} and len(found) == 5


def test_when_no_section_holds_every_word_it_says_so_and_the_rarest_word_leads(notes: Workspace) -> None:
    found, said = ask(notes, "ivory krill", 3)
    assert said == [f"{MESSAGE}: ivory krill; showing those holding most of them"]
    assert found[0] == "Find 1"  # ivory: 1 section, krill: 2
    assert set(found[1:]) == {"Everything", "Rare pair"}


@pytest.mark.parametrize("text", ["krill", "walrus krill"])
def test_enough_sections_with_every_word_need_no_fallback(notes: Workspace, text: str) -> None:
    found, said = ask(notes, text, 2)
    assert set(found) == {"Everything", "Rare pair"}
    assert said == []


def test_a_single_word_lists_only_the_sections_holding_it(notes: Workspace) -> None:
    found, said = ask(notes, "krill", 10)
    assert set(found) == {"Everything", "Rare pair"}
    assert said == []
