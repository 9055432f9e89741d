"""The note model: golden outlines, slugs, splicing that keeps every other byte, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from outline import outline

from notes_tool.errors import NoteError
from notes_tool.fsio.read import decode, encode
from notes_tool.model import document
from notes_tool.model.edit import Edit, apply, region_edit
from notes_tool.model.slugger import Slugger

FIXTURES = Path(__file__).parent / "fixtures"
MODEL_CASES = sorted((FIXTURES / "model").glob("*.md"))


@pytest.mark.parametrize("case", MODEL_CASES, ids=lambda p: p.stem)
def test_golden_outline(case: Path) -> None:
    note, _ = document.load(case)
    expected = json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))
    assert outline(note) == expected


def test_github_slugger_fixtures_all_pass() -> None:
    cases = json.loads((FIXTURES / "github-slugger-fixtures.json").read_text(encoding="utf-8"))
    slugger = Slugger()  # state carries over between cases, as in github-slugger's own test
    got = [slugger.slug(case["input"]) for case in cases]
    assert got == [case["expected"] for case in cases]
    assert len(cases) == 78


def test_slugs_count_headings_left_out_of_the_toc() -> None:
    text = "# Setup\n\n> # Setup\n\n## Setup <!-- omit from toc -->\n\n## Setup-1\n"
    note = document.parse(Path("n.md"), text)
    assert [h.slug for h in note.headings] == ["setup", "setup-1", "setup-", "setup-1-1"]


def test_crlf_bom_and_missing_final_newline_survive_a_splice() -> None:
    data = "\ufeff# T\r\n\r\n<!-- notes:toc -->\r\nold\r\n<!-- /notes:toc -->\r\ntail  ".encode()
    text, bom = decode(data, Path("n.md"))
    note = document.parse(Path("n.md"), text, bom)
    region = note.region("toc")
    assert region is not None
    change = region_edit(note, region, "- one\n- two\n")
    assert change is not None
    out = encode(apply(note, [change]), bom)
    assert out == "\ufeff# T\r\n\r\n<!-- notes:toc -->\r\n- one\r\n- two\r\n<!-- /notes:toc -->\r\ntail  ".encode()


def test_unchanged_region_gives_no_edit() -> None:
    note = document.parse(Path("n.md"), "<!-- notes:x -->\r\nsame\r\n<!-- /notes:x -->\r\n")
    region = note.region("x")
    assert region is not None
    assert region_edit(note, region, "same\n") is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("<!-- notes:a -->\n<!-- notes:b -->\n", 2, "cannot nest"),
        ("x\n<!-- /notes:a -->\n", 2, "without an opening"),
        ("<!-- notes:a -->\nbody\n", 1, "never closed"),
        ("<!-- notes:a -->\n<!-- /notes:b -->\n", 2, "does not match"),
        ("<!-- notes:a -->\n<!-- /notes:a -->\n<!-- notes:a -->\n<!-- /notes:a -->\n", 3, "twice"),
        ("- item\n\n  <!-- notes:a -->\n", 3, "inside a list"),
        ("---\ntitle: [unclosed\n---\n# T\n", 2, "front matter"),
        ("---\n- a list\n---\n", 2, "must be a mapping"),
    ],
)
def test_bad_notes_raise_one_line_errors_with_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(NoteError) as caught:
        document.parse(Path("bad.md"), text)
    assert caught.value.line == line
    assert words in caught.value.message
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"# T\n\x00\x01", "binary"), (b"# caf\xe9\n", "not UTF-8"), (b"\xff\xfe#\x00", "binary")],
)
def test_undecodable_files_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(NoteError, match=words):
        decode(data, Path("x.md"))


def test_links_have_their_lines_and_code_is_ignored() -> None:
    text = "# T\n\nSee [a](a.md) and\n[b](b.md#x) ![i](img.png)\n\n`[not](link.md)`\n\n```\n[no](x.md)\n```\n"
    note = document.parse(Path("n.md"), text)
    assert [(link.href, link.line + 1, link.image) for link in note.links] == [
        ("a.md", 3, False),
        ("b.md#x", 4, False),
        ("img.png", 4, True),
    ]


_PIECES = [*"#-*_`~>[]()!:<>/ \n\r\tabcXYZ019é漢😀\ufeff\x00", "<!--", "-->", "notes:", "```", "---\n"]
markdownish = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)


@settings(max_examples=300, deadline=None)
@given(markdownish)
def test_parsing_never_raises_anything_but_a_note_error(text: str) -> None:
    try:
        note = document.parse(Path("fuzz.md"), text)
    except NoteError:
        return
    assert "".join(note.lines) == text
    _ = note.links, note.prose


@settings(max_examples=200, deadline=None)
@given(
    before=markdownish.filter(lambda s: "<!--" not in s and "```" not in s and "~~~" not in s),
    after=markdownish.filter(lambda s: "<!--" not in s),
    old=st.text(alphabet="abc -\n", max_size=40),
    new=st.text(alphabet="xyz -\n", max_size=40),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_splicing_a_region_leaves_the_bytes_outside_it_unchanged(
    before: str, after: str, old: str, new: str, newline: str
) -> None:
    head = before + ("" if before.endswith(("\n", "\r")) or not before else newline)
    start, end = f"<!-- notes:r -->{newline}", f"<!-- /notes:r -->{newline}"
    old_body = "".join(line + newline for line in old.split("\n") if line.strip())
    text = head + newline + start + old_body + end + newline + after
    try:
        note = document.parse(Path("p.md"), text)
    except NoteError:
        return
    region = note.region("r")
    if region is None:  # the prefix swallowed the marker (e.g. an open HTML block)
        return
    body = "".join(line + "\n" for line in new.split("\n") if line.strip())
    change = region_edit(note, region, body)
    out = apply(note, [change]) if change else text
    prefix = "".join(note.lines[: region.start + 1])
    suffix = "".join(note.lines[region.end :])
    assert out.startswith(prefix)
    assert out.endswith(suffix)
    assert out[len(prefix) : len(out) - len(suffix)] == body.replace("\n", newline)


def test_edits_that_overlap_are_refused() -> None:
    note = document.parse(Path("n.md"), "a\nb\nc\n")
    with pytest.raises(ValueError):
        apply(note, [Edit(0, 2, "x\n"), Edit(1, 3, "y\n")])


PIECES = ["a", " ", "\n", "\r", "\r\n", "\v", "\f", "\u2028", "\x85"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_lines_split_where_markdown_does_and_join_back_exactly(text: str) -> None:
    """Only CR, LF and CRLF end a line (not form feeds or Unicode breaks), each kept on its line."""
    lines = document.split_lines(text)
    assert "".join(lines) == text
    assert all(line.endswith(("\r", "\n")) for line in lines[:-1])
    assert all(line for line in lines)
    for line, following in zip(lines, [*lines[1:], ""][: len(lines)], strict=True):
        body = line.removesuffix("\n").removesuffix("\r")
        assert "\r" not in body and "\n" not in body
        assert not (line.endswith("\r") and following.startswith("\n"))  # CRLF is one ending


FOLDERS = st.lists(st.sampled_from(["notes", "cheats", "a b", "ü", "..", "x"]), max_size=3)


@settings(max_examples=200, deadline=None)
@given(FOLDERS, FOLDERS, st.sampled_from(["05_x.md", "git cheat.md"]), st.booleans())
@example(["notes", ".."], [], "05_x.md", True)  # the same folder, spelled another way
@example(["notes"], ["cheats"], "git cheat.md", True)
def test_links_between_files_are_their_relative_paths(
    target_dir: list[str], source_dir: list[str], name: str, absolute: bool
) -> None:
    """Nav, index and cheat-sheet links (folders remembered between calls) lead where relpath says."""
    import os
    from urllib.parse import unquote

    from notes_tool.model.mdtext import href

    base = Path("/course/w") if absolute else Path("w")
    target, source = base.joinpath(*target_dir, name), base.joinpath(*source_dir)
    for _ in range(2):  # the second time from what the first remembered
        assert unquote(href(target, source)) == Path(os.path.relpath(target, source)).as_posix()


def test_an_edits_last_line_without_an_ending_gets_the_files() -> None:
    from notes_tool.model.edit import apply_lines

    assert apply_lines(["a\r\n", "b\r\n"], [Edit(1, 1, "x\ny")], "\n") == "a\r\nx\r\ny\r\nb\r\n"
