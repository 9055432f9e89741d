"""`notes index --adopt` on notes with the owner's own navigation and index, as a real course's
notes have them: nothing of theirs lost, nothing doubled, their names kept (issue 29, items 3-4).
Each fixture is small and made up, in the shape the defect was found in."""

from __future__ import annotations

from pathlib import Path

from conftest import run


def _course(root: Path, readme: str, notes: dict[str, str]) -> Path:
    root.mkdir()
    (root / "README.md").write_text(readme)
    for name, text in notes.items():
        (root / name).write_text(text)
    assert run("init", str(root)).exit_code == 0
    return root


def _region(text: str, name: str) -> str:
    return text.split(f"<!-- notes:{name} -->\n", 1)[1].split(f"<!-- /notes:{name} -->", 1)[0]


SESSIONS = (
    "# Field notes\n\nWhat I wrote down.\n\n"
    "* [Session 1: Getting started](01_start.md)\n"
    "* [Session 2: Shipping it](02_ship.md)\n"
    "    * [Extra: packaging on old laptops](02b_laptops.md)\n"
)


def test_inits_advice_on_the_index_and_adopt_agree(tmp_path: Path) -> None:
    """Markers put where init said, empty, beside the owner's list: the list becomes the index
    (before: the owner's list stayed and a second, generated one appeared below it)."""
    notes = {"01_start.md": "# Getting started\n", "02_ship.md": "# Shipping it\n"}
    root = tmp_path / "c"
    root.mkdir()
    (root / "README.md").write_text(SESSIONS.replace("    * [Extra: packaging on old laptops](02b_laptops.md)\n", ""))
    for name, text in notes.items():
        (root / name).write_text(text)
    advice = run("init", str(root)).stderr
    assert "`notes index --adopt` makes your list of lessons the index" in advice
    for where in ("below", "above"):
        readme = SESSIONS.replace("    * [Extra: packaging on old laptops](02b_laptops.md)\n", "")
        markers = "<!-- notes:index -->\n<!-- /notes:index -->\n"
        first = readme.index("* [Session 1")
        readme = readme + markers if where == "below" else readme[:first] + markers + readme[first:]
        (root / "README.md").write_text(readme)
        assert run("index", "--adopt", cwd=root).exit_code == 0
        text = (root / "README.md").read_text()
        assert text.count("](01_start.md)") == 1, text
        assert (
            _region(text, "index")
            == "* [Session 1: Getting started](01_start.md)\n* [Session 2: Shipping it](02_ship.md)\n"
        )


def test_an_owners_link_to_a_neighbours_extra_is_kept_beside_the_nav(tmp_path: Path) -> None:
    """Lesson 1's own nav points to the extra of lesson 2, which the generated nav does not link."""
    nav = "> Next: [Shipping](02_ship.md)\n>> Extra: [Old laptops](02b_laptops.md)\n\n"
    root = _course(
        tmp_path / "c",
        SESSIONS,
        {
            "01_start.md": nav + "# Getting started\n\nText.\n\n" + nav.rstrip("\n") + "\n",
            "02_ship.md": "# Shipping it\n",
            "02b_laptops.md": "# Packaging on old laptops\n",
        },
    )
    assert run("index", "--adopt", cwd=root).exit_code == 0
    start = (root / "01_start.md").read_text()
    assert start.count(">> Extra: [Old laptops](02b_laptops.md)") == 2  # top and bottom: kept
    assert "> Next: [Shipping](02_ship.md)" not in start  # the generated nav links it: taken over
    assert start.startswith("<!-- notes:nav -->\n[Course index](README.md) · [Session 2: Shipping it »](02_ship.md)\n")


def test_coming_soon_is_kept_on_the_last_lesson_and_replaced_where_a_next_exists(tmp_path: Path) -> None:
    soon = "> [Back to Index](README.md)\n\n> Next: _(Coming soon)_\n"
    root = _course(
        tmp_path / "c",
        SESSIONS,
        {"01_start.md": "# Getting started\n\nText.\n\n" + soon, "02_ship.md": "# Shipping it\n\nText.\n\n" + soon},
    )
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert "Coming soon" not in (root / "01_start.md").read_text()  # lesson 2 is its next now
    last = (root / "02_ship.md").read_text()
    assert last.endswith("<!-- /notes:nav -->\n\n> Next: _(Coming soon)_\n")


def test_a_mistyped_link_back_is_replaced_not_kept_beside_the_new_nav(tmp_path: Path) -> None:
    root = _course(
        tmp_path / "c",
        SESSIONS,
        {
            "01_start.md": "# Getting started\n",
            "02_ship.md": "# Shipping it\n",
            "02b_laptops.md": "# Old laptops\n\nText.\n\n> [Back to Index](README.md)\n"
            ">> Return to: [Shipping](02_ship.md.md)\n",
        },
    )
    assert run("index", "--adopt", cwd=root).exit_code == 0
    extra = (root / "02b_laptops.md").read_text()
    assert "Return to" not in extra and extra.endswith(
        "Extra to [Session 2: Shipping it](02_ship.md)\n<!-- /notes:nav -->\n"
    )


def test_the_nav_names_an_extra_as_the_owners_index_does(tmp_path: Path) -> None:
    root = _course(
        tmp_path / "c",
        SESSIONS,
        {"01_start.md": "# Getting started\n", "02_ship.md": "# Shipping it\n", "02b_laptops.md": "# Laptops\n"},
    )
    assert run("index", "--adopt", cwd=root).exit_code == 0
    ship = (root / "02_ship.md").read_text()
    assert "Extras: [packaging on old laptops](02b_laptops.md)" in ship  # not the note's own "Laptops"


def test_an_added_index_line_follows_the_owners_pattern_and_never_says_extra_twice(tmp_path: Path) -> None:
    root = _course(
        tmp_path / "c",
        SESSIONS,
        {
            "01_start.md": "# Getting started\n",
            "02_ship.md": "# Shipping it\n",
            "02b_laptops.md": "# Laptops\n",
            "02c_spark.md": "# Extra: preparing data for Spark\n",
            "03_scale.md": "# Scaling out\n",
        },
    )
    assert run("index", "--adopt", cwd=root).exit_code == 0
    index = _region((root / "README.md").read_text(), "index")
    assert "* [Session 3: Scaling out](03_scale.md)\n" in index  # not "Lesson 3:" among "Session N:" lines
    assert "[Extra: preparing data for Spark](02c_spark.md)" in index and "Extra: Extra" not in index


def test_init_takes_no_generic_readme_title_as_the_course(tmp_path: Path) -> None:
    """The course is named the same way whichever README init reads: "Notes" names no course."""
    root = tmp_path / "data-engineering-zoomcamp"
    (root / "notes").mkdir(parents=True)
    (root / "notes" / "README.md").write_text(SESSIONS.replace("# Field notes", "# Notes"))
    (root / "notes" / "01_start.md").write_text("# Getting started\n")
    (root / "notes" / "02_ship.md").write_text("# Shipping it\n")
    assert run("init", str(root)).exit_code == 0
    assert 'course = "data engineering zoomcamp"' in (root / "notes.toml").read_text()


def test_a_lesson_the_owners_index_gives_a_page_outside_the_notes_is_where_next_and_previous_lead(
    tmp_path: Path,
) -> None:
    """Lesson 2 is a project page beside the notes, and its only note an office-hours extra: the
    nav leads to the page as the owner's did (before: our next led to the extra, and the owner's
    `Next:` to the page stayed beside it, two "next"s)."""
    root = tmp_path / "c"
    (root / "project").mkdir(parents=True)
    (root / "project" / "README.md").write_text("# The project\n")
    notes = root / "notes"
    notes.mkdir()
    (notes / "README.md").write_text(
        "# My notes\n\n* [Session 1: Getting started](01_start.md)\n* [Session 2: Project](../project/README.md)\n"
        "    * [Extra: office hours](02_hours.md)\n* [Session 3: Scaling](03_scale.md)\n"
    )
    (notes / "01_start.md").write_text(
        "# Getting started\n\nText.\n\n> Next: [Project](../project/README.md)\n>> Extra: [Office hours](02_hours.md)\n"
    )
    (notes / "02_hours.md").write_text("# Office hours\n\nText.\n\n>> [Back to the project](../project/README.md)\n")
    (notes / "03_scale.md").write_text("> Previous: [Project](../project/README.md)\n\n# Scaling\n")
    assert run("init", str(root)).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    start = (notes / "01_start.md").read_text()
    assert start.endswith(
        "[Course index](README.md) · [Session 2: Project »](../project/README.md)\n<!-- /notes:nav -->\n\n"
        ">> Extra: [Office hours](02_hours.md)\n"  # a note the nav does not link: kept
    )
    assert "Next: [Project]" not in start
    scale = (notes / "03_scale.md").read_text()
    assert scale.startswith("<!-- notes:nav -->\n[« Session 2: Project](../project/README.md) · [Course index]")
    assert "Previous: [Project]" not in scale
    hours = (notes / "02_hours.md").read_text()
    assert "Extra to [Session 2: Project](../project/README.md)" in hours and "Back to the project" not in hours
    assert (root / "project" / "README.md").read_text() == "# The project\n"  # no nav written there
    assert "everything up to date" in run("index", cwd=root).stderr


def test_what_adopt_leaves_as_the_owners_own(tmp_path: Path) -> None:
    """A long paragraph linking a lesson is prose, not the start of the index; an image linking a
    lesson and a "Back to top" leading nowhere in the course are not navigation; a note with text
    above its title gets its nav just above the title and its TOC below it."""
    prose = (
        "This long paragraph talks about [the intro](1_intro.md) at great length, "
        "far more than a caption would, so it is prose.\n\n"
    )
    root = _course(
        tmp_path / "c",
        "# Course\n\n" + prose + "- [Intro](1_intro.md)\n- [Next](2_next.md)\n\n## Week 2\n\n- [Third](3_third.md)\n",
        {
            "1_intro.md": "## Preface\n\nText.\n\n# Intro\n\n## Part\n\n[Back to top](#intro)\n",
            "2_next.md": "[![prev](prev.png)](1_intro.md)\n\n# Next\n\n## More\n",
            "3_third.md": "# Third\n\n## Bit\n",
        },
    )
    result = run("index", "--adopt", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "README.md: adopted your lessons' bullet_list blocks at line 5 (your titles kept)" in result.stderr
    readme = (root / "README.md").read_text()
    assert readme.startswith("# Course\n\n" + prose + "<!-- notes:index -->\n- [Intro](1_intro.md)\n")
    assert readme.endswith("- [Third](3_third.md)\n<!-- /notes:index -->\n")
    intro = (root / "1_intro.md").read_text()
    assert intro.startswith("## Preface\n\nText.\n\n<!-- notes:nav -->\n")
    assert "<!-- /notes:nav -->\n\n# Intro\n\n<!-- notes:toc -->\n- [Preface](#preface)\n" in intro
    assert intro.endswith("## Part\n\n[Back to top](#intro)\n")
    assert (root / "2_next.md").read_text().startswith("[![prev](prev.png)](1_intro.md)\n\n<!-- notes:nav -->\n")
