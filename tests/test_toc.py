"""Tables of contents with GitHub's anchors, back-to-top links, --check, adoption, the cache."""

from __future__ import annotations

import re
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from conftest import CORPUS, copy_tree, git, run, tree_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_tool import parallel as parallel_mod
from notes_tool.features import index, index_changes
from notes_tool.generate import toc
from notes_tool.model import document
from notes_tool.model.edit import apply
from notes_tool.structure.workspace import open_workspace

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "toc"
CASES = sorted(p for p in FIXTURES.glob("*.md") if not p.name.endswith(".out.md"))
SETTINGS = index.Settings((1, 3), False)


def local(text: str) -> str:
    note = document.parse(Path("n.md"), text)
    edits, _, _ = index.local_edits(note, SETTINGS)
    return apply(note, edits)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_toc_and_fixed_point(case: Path) -> None:
    out = local(case.read_text(encoding="utf-8"))
    assert out == case.with_name(case.stem + ".out.md").read_text(encoding="utf-8")
    assert local(out) == out


def test_every_toc_link_of_the_hard_note_lands_on_a_heading() -> None:
    out = local((FIXTURES / "hard_headings.md").read_text(encoding="utf-8"))
    note = document.parse(Path("n.md"), out)
    anchors = {h.slug for h in note.headings}
    toc_links = [unquote(link.href) for link in note.links if link.region == "toc"]
    assert len(toc_links) == 18
    assert all(href.startswith("#") and href[1:] in anchors for href in toc_links)
    # Anchors checked by hand against github-slugger's rules.
    assert {
        "#café--crème-brûlée",
        "#emoji--party",
        "#heart-\ufe0f-variation",
        "#inline-code-and-a-link",
        "#c--c",
        "#中文标题-cjk",
        "#tag--entities",
        "#setup",
        "#setup-1",
        "#setup-2",
        "#setup-1-1",
    } <= set(toc_links)


def test_back_to_top_off_removes_the_links_and_restores_the_text() -> None:
    original = (FIXTURES / "back_to_top.md").read_text(encoding="utf-8")
    on = local(original)
    assert on.count("<!-- notes:top -->") == 3
    off = local(on.replace("back_to_top: true", "back_to_top: false"))
    assert "notes:top" not in off
    # Removing them gives back the note as it was (but for its TOC and the setting).
    assert off == local(original.replace("back_to_top: true", "back_to_top: false"))


@pytest.mark.parametrize("ending", ["", "\n"])
def test_back_to_top_regions_next_to_each_other_go_together(ending: str) -> None:
    """Regions with nothing between them (a section emptied by hand), the last at the very end
    of the file: removing them must not make two edits of one line (that stopped `notes index`)."""
    region = "<!-- notes:top -->\n[↑ Back to the top](#t)\n<!-- /notes:top -->"
    text = f"---\nback_to_top: false\n---\n# T\n<!-- notes:toc -->\n<!-- /notes:toc -->\nText.\n{region}\n\n{region}"
    out = local(text + ending)
    assert out == "---\nback_to_top: false\n---\n# T\n<!-- notes:toc -->\n<!-- /notes:toc -->\nText." + ending
    assert local(out) == out


def test_a_timed_heading_just_above_a_last_region_is_linked_and_the_region_removed() -> None:
    """Two edits near the end of a file with no final newline: linking the heading's time and
    taking the region away (which gives that line its old, missing ending back)."""
    head = "---\nvideo: https://youtu.be/abcdefghijk\nback_to_top: false\n---\n# T\n<!-- notes:toc -->\n"
    text = (
        head + "<!-- /notes:toc -->\n## 5:00 Last\n\n<!-- notes:top -->\n[↑ Back to the top](#t)\n<!-- /notes:top -->"
    )
    out = local(text)
    assert out.endswith("\n## [5:00](https://www.youtube.com/watch?v=abcdefghijk&t=300s) Last")
    assert local(out) == out


def test_back_to_top_is_not_put_inside_an_unclosed_fence() -> None:
    text = "---\nback_to_top: true\n---\n# T\n<!-- notes:toc -->\n<!-- /notes:toc -->\n"
    text += "## A\n\n```\nnever closed\n"
    out = local(text)
    assert "notes:top" not in out
    assert local(out) == out


def test_check_lists_stale_files_writes_nothing_and_exits_1(example: Path) -> None:
    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text() + "\n## 12:00 A new section\n")
    before = tree_bytes(example)
    result = run("index", "--check", cwd=example)
    assert result.exit_code == 1
    assert result.stdout == "03_workflow-orchestration.md: stale timestamps 1, toc, back-to-top\n"
    assert tree_bytes(example) == before
    assert run("index", cwd=example).exit_code == 0
    clean = run("index", "--check", cwd=example)
    assert clean.exit_code == 0 and clean.stdout == ""


def test_second_run_writes_nothing_and_mtimes_stay(example: Path) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in example.glob("*.md")}
    assert run("index", cwd=example).exit_code == 0
    assert {p: p.stat().st_mtime_ns for p in example.glob("*.md")} == stamps


def test_a_deleted_or_corrupt_cache_is_rebuilt(example: Path) -> None:
    cache = example / ".notes-cache" / "notes.sqlite"
    assert cache.exists()
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    cache.write_text("{not a database")
    assert run("index", cwd=example).exit_code == 0
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT count(*) FROM notes WHERE regions IS NOT NULL").fetchone()[0] > 0
    cache.unlink()
    result = run("index", cwd=example)
    assert result.exit_code == 0 and "everything up to date" in result.stderr
    assert (example / ".notes-cache" / ".gitignore").read_text().endswith("*\n")


def test_parallel_and_serial_runs_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import EXAMPLE

    serial = copy_tree(EXAMPLE, tmp_path / "serial")
    parallel = copy_tree(EXAMPLE, tmp_path / "parallel")
    for root in (serial, parallel):
        for n in range(4, 30):
            (root / f"{n:02d}_extra-lesson.md").write_text(
                f"---\nvideo: https://youtu.be/abcdefghij{n % 10}\n---\n"
                "<!-- notes:nav -->\n<!-- /notes:nav -->\n"
                f"# Lesson {n}\n<!-- notes:toc -->\n<!-- /notes:toc -->\n## {n}:00 Part\n### Detail\n"
            )
    assert run("index", cwd=serial).exit_code == 0
    monkeypatch.setattr(parallel_mod, "PARALLEL_FROM", 2)
    assert run("index", cwd=parallel).exit_code == 0
    assert tree_bytes(parallel) == tree_bytes(serial)


def test_adopt_takes_over_a_handmade_toc_once(workspace: Path) -> None:
    note = workspace / "01_intro.md"
    note.write_bytes(
        b"# Intro\r\n\r\n## Table of contents\r\n\r\n* [Old name](#first)\r\n* [Gone](#gone)\r\n\r\n"
        b"## First\r\n\r\ntext  \r\n\r\n## Second\r\n"
    )
    result = run("index", "--adopt", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert "adopted hand-made TOC at line 3" in result.stderr
    text = note.read_bytes().decode()
    assert text == (
        "<!-- notes:nav -->\r\n[Course index](README.md)\r\n<!-- /notes:nav -->\r\n\r\n# Intro\r\n\r\n"
        "<!-- omit from toc -->\r\n## Table of contents\r\n\r\n<!-- notes:toc -->\r\n- [First](#first)\r\n"
        "- [Second](#second)\r\n<!-- /notes:toc -->\r\n\r\n## First\r\n\r\ntext  \r\n\r\n## Second\r\n"
    )
    again = run("index", "--adopt", cwd=workspace)
    assert again.exit_code == 0
    assert note.read_bytes().decode() == text


@pytest.mark.parametrize(
    ("markers", "tool"),
    [
        (
            "<!-- START doctoc generated TOC please keep comment here to allow auto update -->\n"
            "<!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->\n"
            "- [Old](#old)\n\n"
            "<!-- END doctoc generated TOC please keep comment here to allow auto update -->\n",
            "doctoc",
        ),
        ("<!-- toc -->\n\n- [Old](#old)\n\n<!-- tocstop -->\n", "markdown-toc"),
    ],
)
def test_adopt_takes_over_doctoc_and_markdown_toc_markers(workspace: Path, markers: str, tool: str) -> None:
    note = workspace / "01_intro.md"
    note.write_text(f"# Intro\n\n{markers}\n## Part\n")
    result = run("index", "--adopt", cwd=workspace)
    assert f"adopted {tool} TOC at line 3" in result.stderr
    text = note.read_text()
    assert "<!-- notes:toc -->\n- [Part](#part)\n<!-- /notes:toc -->\n\n## Part\n" in text
    assert "Old" not in text and "doctoc" not in text and "tocstop" not in text


def test_without_adopt_handmade_tocs_are_left_alone(workspace: Path) -> None:
    note = workspace / "01_intro.md"
    original = "# Intro\n\n## Contents\n\n- [Part](#part)\n\n## Part\n"
    note.write_text(original)
    assert run("index", cwd=workspace).exit_code == 0
    assert note.read_text() == original


def test_adopt_takes_over_handmade_navigation_and_keeps_lists_with_other_links(workspace: Path) -> None:
    (workspace / "README.md").write_text("# Course\n\n* [One](01_one.md)\n* [Project](../project/README.md)\n")
    (workspace / "01_one.md").write_text(
        "> Next: [Two](02_two.md)\n\n# One\n\nText.\n\n[Back to index](README.md) | Next: soon\n"
    )
    (workspace / "02_two.md").write_text("[Project](../project/README.md)\n\n# Two\n")  # not navigation of ours: kept
    result = run("index", "--adopt", cwd=workspace)
    assert result.exit_code == 0
    readme = (workspace / "README.md").read_text()
    assert (
        "<!-- notes:index -->\n* [One](01_one.md)\n* [Lesson 2: Two](02_two.md)\n* [Project](../project/README.md)\n"
        in readme
    )
    one = (workspace / "01_one.md").read_text()
    nav = "<!-- notes:nav -->\n[Course index](README.md) · [Lesson 2: Two »](02_two.md)\n<!-- /notes:nav -->\n"
    assert one.startswith(nav + "\n# One\n") and one.endswith("Text.\n\n" + nav)
    assert "Next: [Two]" not in one and "Next: soon" not in one
    two = (workspace / "02_two.md").read_text()
    # (the owner's index calls lesson 1 "One": so does the nav)
    assert two.startswith("[Project](../project/README.md)\n\n<!-- notes:nav -->\n[« One](01_one.md)")


def test_adopt_keeps_the_owners_own_lines_in_handmade_navigation_and_uses_their_index_titles(
    workspace: Path,
) -> None:
    (workspace / "README.md").write_text(
        "# Course\n\n* [Week 1: Basics](01_one.md)\n* [Week 2: Project](../project/README.md)\n"
        "    * [Office hours](02_tips.md)\n* [Week 3: Deep learning](03_three.md)\n"
    )
    (workspace / "01_one.md").write_text("# One\n")
    (workspace / "03_three.md").write_text("# Three\n")
    nav = (
        "> Previous: [Week 1](01_one.md)\n\n"
        "> [Back to Index](README.md)\n>> [Back to the project](../project/README.md)\n\n"
        "> Next: [Week 3](03_three.md)\n"
    )
    tips = workspace / "02_tips.md"
    tips.write_text(
        nav + "\nA few words before the first chapter.\n\n# Metrics\n\nText.\n\n# Pipelines\n\nText.\n\n" + nav
    )
    assert run("index", "--adopt", cwd=workspace).exit_code == 0
    ours = (
        "<!-- notes:nav -->\n[« Week 1: Basics](01_one.md) · [Course index](README.md) · "
        "[Week 3: Deep learning »](03_three.md)\n<!-- /notes:nav -->\n\n"
        ">> [Back to the project](../project/README.md)\n"  # leads out of the course: the owner's, kept
    )
    text = tips.read_text()
    assert text.startswith(ours + "\nA few words before the first chapter.\n\n<!-- notes:toc -->\n")
    assert text.endswith("# Pipelines\n\nText.\n\n" + ours)
    assert text.count("Previous:") == 0 and text.count("Back to Index") == 0
    assert "everything up to date" in run("index", cwd=workspace).stderr
    # The owner renames a lesson in their index: every nav follows on the next run.
    readme = workspace / "README.md"
    readme.write_text(readme.read_text().replace("[Week 1: Basics]", "[Week 1: First steps]"))
    assert run("index", cwd=workspace).exit_code == 0
    assert tips.read_text().startswith("<!-- notes:nav -->\n[« Week 1: First steps](01_one.md) · ")


@pytest.mark.usefixtures("corpus")
def test_adopt_on_the_corpus_replaces_only_handmade_navigation(tmp_path: Path) -> None:
    root = copy_tree(CORPUS, tmp_path / "ml")
    (root / "notes.toml").write_text('notes_dir = "notes"\nindex_file = "notes/README.md"\n')
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "corpus", cwd=root)
    assert run("index", "--adopt", cwd=root).exit_code == 0
    rows = git("diff", "--numstat", cwd=root).splitlines()
    assert len(rows) == 13
    removed = [
        line[1:]
        for line in git("diff", "-U0", cwd=root).splitlines()
        if line.startswith("-") and not line.startswith("---")
    ]
    navigation = re.compile(r"^>+ (Previous: |Next: |Extra: |Return to: |\[Back to )|^$")
    assert removed and all(navigation.match(line) for line in removed), [x for x in removed if not navigation.match(x)]
    # A navigation line that leads out of the notes folder (the midterm project's page, which the owner's
    # index gives session 7) is not lost: the nav leads there, as the owner's previous/next did.
    elsewhere = {m.group(1) for line in removed if (m := re.search(r"\]\((\.\./[^)]+)\)", line))}
    assert elsewhere == {"../07_midterm_project/README.md"}
    notes = root / "notes"
    assert "[Session 7: Midterm project »](../07_midterm_project/README.md)" in (notes / "06_trees.md").read_text()
    assert (
        "[« Session 7: Midterm project](../07_midterm_project/README.md)" in (notes / "08_deep_learning.md").read_text()
    )
    # One navigation at the top of each note and one at its end, in the owner's words from his index.
    for note in sorted((root / "notes").glob("0*.md")):
        text = note.read_text()
        assert text.count("<!-- notes:nav -->") == 2, note.name
        assert "Previous: [" not in text.replace("Previous: [Midterm Project]", ""), note.name
    assert (
        "[« Session 1: Introduction to Machine Learning](01_intro.md)"
        in (root / "notes/02_linear_regression.md").read_text()
    )
    assert run("index", "--check", cwd=root).exit_code == 0


def test_pre_commit_hook_runs_index_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "notes-index-check"
    assert hook["entry"] == "notes index --check"
    assert hook["pass_filenames"] is False


_PIECES = [
    "# Title\n",
    "## Part\n",
    "### Sub\n",
    "## 1:00 Timed\n",
    "## [2:30] Bracket\n",
    "text\n",
    "\n",
    "- item\n",
    "> quote\n",
    "```\ncode\n```\n",
    "<!-- omit from toc -->\n",
    "## Setup\n",
    "Setext\n---\n",
    "## Émoji 🎉\n",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    body=st.lists(st.sampled_from(_PIECES), max_size=25).map("".join),
    newline=st.sampled_from(["\n", "\r\n"]),
    back_to_top=st.booleans(),
)
def test_index_twice_equals_index_once(body: str, newline: str, back_to_top: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "notes.toml").write_text(f"back_to_top = {'true' if back_to_top else 'false'}\n")
        (root / "README.md").write_text("# Course\n\n<!-- notes:index -->\n<!-- /notes:index -->\n")
        head = "---\nvideo: https://youtu.be/abcdefghijk\n---\n<!-- notes:nav -->\n<!-- /notes:nav -->\n"
        text = head + "<!-- notes:toc -->\n<!-- /notes:toc -->\n" + body
        (root / "01_a.md").write_bytes(text.replace("\n", newline).encode())
        (root / "02_b.md").write_bytes(text.encode())
        ws = open_workspace(root)
        index_changes.write(index.plan(ws, use_cache=False))
        once = {p.name: p.read_bytes() for p in root.glob("*.md")}
        second = index.plan(ws, use_cache=False)
        assert [c.path.name for c in second.changes] == []
        index_changes.write(second)
        assert {p.name: p.read_bytes() for p in root.glob("*.md")} == once


def test_back_to_top_never_separates_an_omit_marker_from_its_heading() -> None:
    text = "---\nback_to_top: true\n---\n# Title\n<!-- notes:toc -->\n<!-- /notes:toc -->\n# Part\ntext\n"
    text += "<!-- omit from toc -->\n# Omitted\n"
    out = local(text)
    assert "<!-- /notes:top -->\n<!-- omit from toc -->\n# Omitted\n" in out.replace("\n\n", "\n")
    assert local(out) == out


@pytest.mark.parametrize("value", ["[0, 9]", "three", "[2]"])
def test_unusable_toc_levels_in_front_matter_are_named_with_their_line(example: Path, value: str) -> None:
    note = example / "02_docker-and-postgres.md"
    lines = note.read_text().splitlines(keepends=True)
    lines.insert(2, f"toc_levels: {value}\n")
    note.write_text("".join(lines))
    result = run("index", cwd=example)
    assert "02_docker-and-postgres.md:3: front matter: 'toc_levels' must be [min, max]" in result.stderr


def test_adopt_names_a_broken_note_once(example: Path) -> None:
    (example / "04_broken.md").write_text("# Four\n\n<!-- notes:toc -->\n")
    result = run("index", "--adopt", cwd=example)
    assert result.stderr.count("04_broken.md:3: region notes:toc is never closed") == 1


def test_a_title_heading_that_disagrees_with_the_front_matter_title_is_said(workspace: Path) -> None:
    """The template writes both; editing the heading alone used to change nothing, silently."""
    path = Path(run("new", "Docker basics", cwd=workspace).stdout.strip())
    assert "title heading" not in run("check", cwd=workspace).stdout
    path.write_text(path.read_text().replace("# Docker basics\n", "# Docker and Compose\n"))
    line = path.read_text().splitlines().index("# Docker and Compose") + 1
    result = run("check", cwd=workspace)
    assert (
        f"{path.name}:{line}: warning: the title heading says 'Docker and Compose' but the front matter's title, "
        "which the nav and the index use, says 'Docker basics'"
    ) in result.stdout
    assert result.exit_code == 0  # a warning: the note still works
    assert "the title heading says" in run("index", cwd=workspace).stderr


@pytest.mark.parametrize("above", ["<!-- notes:index -->\n<!-- /notes:index -->\n", "<!-- a note to self -->\n"])
def test_back_to_top_goes_above_a_comment_that_is_not_the_next_headings_omit_marker(above: str) -> None:
    """Only ``<!-- omit from toc -->`` belongs to the heading below it: the end of a region or
    any other comment right above an omitted heading stays in the section before (a back-to-top
    region put above a region's end nested in it, and the note no longer parsed)."""
    text = f"# Title\n## Part\ntext\n{above}## Setup <!-- omit from toc -->\nmore\n"
    note = document.parse(Path("n.md"), text)
    out = apply(note, toc.back_to_top_edits(note, (2, 3), True))
    link = "<!-- notes:top -->\n[↑ Back to the top](#title)\n<!-- /notes:top -->\n"
    assert out == f"# Title\n## Part\ntext\n{above}\n{link}## Setup <!-- omit from toc -->\nmore\n"
    again = document.parse(Path("n.md"), out)
    assert toc.back_to_top_edits(again, (2, 3), True) == []
